"""The ``claimpath`` command line: check, render and validate journey files.

Exit status (spec section 6): 0 when no finding is at or above ``--fail-on``,
1 when one is, 2 when the input is invalid or the command cannot do its work
(the problems on standard error).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from journeys.errors import JourneyInvalid, RenderError
from journeys.model import SEVERITIES, Credential, Journey
from journeys.report import counted

if TYPE_CHECKING:  # only for annotations: each verb imports what it needs when it runs
    from journeys.cartridge import CourseDraft
    from journeys.mermaid import MermaidImport
    from journeys.openbadges import Imported
    from journeys.outcomes import Matched

__all__ = ["main"]

OK, FAILED, INVALID = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claimpath",
        description="Find the places where a learner journey leaves credentials unexplained.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="analyse journeys and report their gaps")
    check.add_argument("files", nargs="+", metavar="FILE", help="journey file (.json, .yaml)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument(
        "--fail-on",
        choices=(*SEVERITIES, "never"),
        default="critical",
        help="exit 1 when a finding is at or above this severity (default: critical)",
    )
    check.add_argument(
        "--observed",
        metavar="OUTCOMES",
        help="set what learners did (a badge platform's export or a Claimpath outcomes CSV) "
        "beside what the map predicts",
    )

    render = commands.add_parser("render", help="draw the gap diagram")
    render.add_argument("file", metavar="FILE")
    render.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="OUT.svg, .png, .pdf or .dot"
    )
    render.add_argument(
        "--finding", type=int, metavar="N", help="highlight the path of finding N of `check`"
    )
    render.add_argument(
        "--stage-level", action="store_true", help="one box per stage, for very large journeys"
    )
    render.add_argument(
        "--page",
        default="fit",
        metavar="PAGE",
        help="lay out for a4, letter, a3 or slide (16:9), split over pages; fit (default): one "
        "drawing; OUT.pptx writes a slide deck",
    )
    render.add_argument(
        "--view",
        choices=("gaps", "map"),
        default="gaps",
        help="gaps (default): the gap diagram; map: the journey map as a poster, stages as "
        "columns and channels as rows (.svg, .png or .pdf; several pages: NAME-2.svg, ...)",
    )

    validate = commands.add_parser("validate", help="check that journey files load")
    validate.add_argument("files", nargs="+", metavar="FILE")

    commands.add_parser("schema", help="print the JSON Schema (2020-12) of the journey file")

    credential = commands.add_parser(
        "credential", help="read a credential from an Open Badges file (OB 3.0, OB 2.0)"
    )
    credential.add_argument("file", metavar="FILE", help=".json, .jws/.jwt, baked .svg or .png")
    credential.add_argument("--format", choices=("json",), default="json")
    credential.add_argument(
        "--skills",
        action="append",
        default=[],
        metavar="SKILLS_FILE",
        help="add the skills in an RSD (OSMT JSON or CSV) or CASE CFPackage file; repeatable",
    )
    credential.add_argument(
        "--into",
        metavar="JOURNEY",
        help="add it to this journey file, replacing a credential with the same url or name",
    )

    skills = commands.add_parser(
        "skills", help="add the skills in an RSD or CASE file to a credential in a journey"
    )
    skills.add_argument(
        "file", metavar="SKILLS_FILE", help="RSD (OSMT JSON or CSV) or CASE CFPackage file"
    )
    skills.add_argument("--credential", required=True, metavar="ID", help="credential id")
    skills.add_argument(
        "--into", required=True, metavar="JOURNEY", help="the journey file to change in place"
    )

    imports = commands.add_parser("import", help="draft a journey from another tool's file")
    imports.add_argument(
        "source", metavar="SRC", help="file to read: " + ", ".join(sorted(IMPORTERS))
    )
    imports.add_argument("-o", "--output", required=True, metavar="OUT", help="journey .json")
    imports.add_argument(
        "--credential",
        metavar="BADGE_FILE",
        help="the credential the course leads to, read as by `claimpath credential`",
    )

    guide = commands.add_parser("guide", help="write a learner guide for sharing a credential")
    guide.add_argument("file", metavar="FILE", help="journey file")
    guide.add_argument("--credential", required=True, metavar="ID", help="credential id")
    guide.add_argument("--issued", metavar="YYYY-MM", help="the month it was issued")
    guide.add_argument("--cert-url", default="", metavar="URL", help="the learner's badge link")
    guide.add_argument("--cert-id", default="", metavar="ID", help="the badge's credential ID")
    guide.add_argument(
        "--organization-id", type=int, metavar="N", help="the issuer's LinkedIn organization id"
    )
    guide.add_argument("--format", choices=("md", "html", "json"), default="md")

    export = commands.add_parser("export", help="write the journey as a Mermaid journey diagram")
    export.add_argument("file", metavar="FILE", help="journey file")
    export.add_argument("-o", "--output", required=True, metavar="OUT", help="OUT.mmd")

    calibrate = commands.add_parser(
        "calibrate", help="fit the reach figures to the claim rates learners showed"
    )
    calibrate.add_argument("file", metavar="FILE", help="journey file")
    calibrate.add_argument("--observed", required=True, metavar="OUTCOMES")
    calibrate.add_argument(
        "--per-channel", action="store_true", help="also fit one factor per channel"
    )
    return parser


def _load(path: str) -> Journey | None:
    """Return the journey at ``path``, or None after printing its problems to stderr."""
    from journeys.fileformat import load

    try:
        return load(path)
    except JourneyInvalid as exc:
        print(f"{path}: invalid journey ({counted(len(exc.problems), 'problem')})", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return None


def _write_text(path: str, text: str) -> bool:
    """Return whether ``text`` was written to ``path``; say why not on stderr."""
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        print(f"{path}: cannot write the file ({exc.strerror})", file=sys.stderr)
        return False
    return True


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _check(args: argparse.Namespace) -> int:
    from journeys.analysis import analyse
    from journeys.report import format_text, headline_sentence, to_report, top_fixes_data
    from journeys.score import score

    status = OK
    threshold = None if args.fail_on == "never" else SEVERITIES.index(args.fail_on)
    several = len(args.files) > 1
    for number, path in enumerate(args.files):
        journey = _load(path)
        if journey is None:
            status = INVALID
            continue
        analysis = analyse(journey)
        result = score(analysis)
        observed = None  # (comparison, names matching no credential) with --observed
        if args.observed:
            from journeys.outcomes import compare, format_observed, observed_data

            matched = _observed(journey, args.observed)
            if matched is None:
                status = INVALID
                continue
            observed = compare(journey, matched.rows), matched.unmatched
        if args.format == "json":
            # Indented only for a person at a terminal: the compact form is far faster to write.
            indent = 2 if sys.stdout.isatty() and not several else None
            report = to_report(analysis, result)
            report["headline"] = headline_sentence(analysis, result)
            report["fixes"] = top_fixes_data(analysis)
            if observed is not None:
                report.update(observed_data(*observed))
            print(json.dumps(report, indent=indent, ensure_ascii=False))
        else:
            if several:
                print(("" if number == 0 else "\n") + f"== {path}")
            sys.stdout.write(format_text(analysis, result, color=_color()))
            if observed is not None:
                sys.stdout.write(format_observed(journey, *observed))
        if threshold is not None and any(
            SEVERITIES.index(f.severity) <= threshold for f in analysis.findings
        ):
            status = max(status, FAILED)
    return status


def _render(args: argparse.Namespace) -> int:
    from journeys.analysis import analyse
    from journeys.pages import page_of
    from journeys.render import FORMATS, render_file

    extension = os.path.splitext(args.output)[1].lower().lstrip(".")
    if extension not in (*FORMATS, "pptx"):
        print(
            f"{args.output}: cannot tell the format; use one of "
            + ", ".join(f".{e}" for e in (*FORMATS, "pptx")),
            file=sys.stderr,
        )
        return INVALID
    try:
        page = page_of(args.page)
    except RenderError as exc:
        print(f"--page {args.page}: {exc}", file=sys.stderr)
        return INVALID
    if page is not None and extension == "dot":
        print(f"--page {args.page}: DOT has no page; use .svg, .png or .pdf", file=sys.stderr)
        return INVALID
    if args.view == "map" and extension not in ("svg", "png", "pdf"):
        print(f"{args.output}: the journey map poster is .svg, .png or .pdf", file=sys.stderr)
        return INVALID
    journey = _load(args.file)
    if journey is None:
        return INVALID
    analysis = analyse(journey)
    highlight = None
    if args.finding is not None:
        if not 1 <= args.finding <= len(analysis.findings):
            print(
                f"--finding {args.finding}: the journey has {len(analysis.findings)} findings "
                "(numbered from 1 as `claimpath check` lists them)",
                file=sys.stderr,
            )
            return INVALID
        highlight = analysis.findings[args.finding - 1]
    try:
        if args.view == "map":
            from journeys.poster import write_poster

            written, notice = write_poster(analysis, args.output, page, highlight, args.stage_level)
            if notice:
                print(f"{args.file}: {notice}", file=sys.stderr)
            print("wrote " + ", ".join(written))
            return OK
        if extension == "pptx" or page is not None:
            from journeys.pages import write_paged

            written = write_paged(analysis, args.output, page, highlight, args.stage_level)
            print("wrote " + ", ".join(written))
            return OK
        render_file(analysis, args.output, highlight=highlight, stage_level=args.stage_level)
    except RenderError as exc:
        print(f"{args.output}: {exc}", file=sys.stderr)
        return INVALID
    except OSError as exc:
        print(f"{args.output}: cannot write the file ({exc.strerror})", file=sys.stderr)
        return INVALID
    print(f"wrote {args.output}")
    return OK


def _validate(args: argparse.Namespace) -> int:
    status = OK
    for path in args.files:
        journey = _load(path)
        if journey is None:
            status = INVALID
            continue
        counts = ", ".join(
            counted(len(items), noun)
            for items, noun in (
                (journey.credentials, "credential"),
                (journey.stages, "stage"),
                (journey.touchpoints, "touchpoint"),
                (journey.transitions, "transition"),
            )
        )
        print(f"{path}: valid ({counts})")
    return status


def _schema(args: argparse.Namespace) -> int:
    from journeys.schema import schema_text

    sys.stdout.write(schema_text())
    return OK


def _refused(exc: Exception) -> int:
    """Print a reader's located refusal on stderr and return the exit status for bad input."""
    print(str(exc), file=sys.stderr)
    return INVALID


def _read_bytes(path: str) -> bytes | None:
    from journeys.importing import MAX_FILE_BYTES

    try:
        size = os.path.getsize(path)
        if size > 16 * MAX_FILE_BYTES:
            print(f"{path}: {size:,} bytes, too large to read", file=sys.stderr)
            return None
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        print(f"{path}: cannot read the file ({exc.strerror})", file=sys.stderr)
        return None


def _read_credential(path: str, skill_files: Sequence[str], taken: set[str]) -> Imported | None:
    """Return the credential (with notes) in ``path`` plus skills files, or None after stderr."""
    import dataclasses

    from journeys.importing import Refused
    from journeys.openbadges import read_credential
    from journeys.skills import read_skills

    data = _read_bytes(path)
    if data is None:
        return None
    try:
        imported = read_credential(data, path, taken)
        skills, notes = list(imported.credential.skills), list(imported.notes)
        for skill_path in skill_files:
            raw = _read_bytes(skill_path)
            if raw is None:
                return None
            found = read_skills(raw, skill_path)
            skills += found.skills
            notes += [f"{skill_path}: {n}" for n in found.notes]
    except Refused as exc:
        _refused(exc)
        return None
    credential = dataclasses.replace(imported.credential, skills=tuple(dict.fromkeys(skills)))
    return dataclasses.replace(imported, credential=credential, notes=tuple(notes))


def _credential(args: argparse.Namespace) -> int:
    from journeys.fileformat import dumps, to_data

    journey = None
    if args.into:
        journey = _load(args.into)
        if journey is None:
            return INVALID
    taken = {c.id for c in journey.credentials} if journey else set()
    imported = _read_credential(args.file, args.skills, taken)
    if imported is None:
        return INVALID
    for note in (f"read as {imported.source}", *imported.notes):
        print(f"{args.file}: {note}", file=sys.stderr)
    if journey is None:
        tiny = Journey("x", (imported.credential,), (), ())
        print(json.dumps(to_data(tiny)["credentials"][0], indent=2, ensure_ascii=False))
        return OK
    from journeys.importing import add_credential

    updated, replaced = add_credential(journey, imported.credential)
    if not _write_text(args.into, dumps(updated)):
        return INVALID
    if replaced:
        print(f"{args.into}: replaced credential '{replaced}' (same url or name)")
    else:
        print(f"{args.into}: added credential '{updated.credentials[-1].id}'")
    return OK


def _skills(args: argparse.Namespace) -> int:
    """Append the skills in a skills file to one credential of a journey file, each once."""
    import dataclasses

    from journeys.fileformat import dumps
    from journeys.importing import Refused
    from journeys.skills import merge_skills, read_skills

    journey = _load(args.into)
    if journey is None:
        return INVALID
    credential = journey.credential_by_id.get(args.credential)
    if credential is None:
        known = ", ".join(c.id for c in journey.credentials) or "none"
        print(
            f"--credential {args.credential}: no such credential in {args.into} (known: {known})",
            file=sys.stderr,
        )
        return INVALID
    data = _read_bytes(args.file)
    if data is None:
        return INVALID
    try:
        found = read_skills(data, args.file)
    except Refused as exc:
        return _refused(exc)
    for note in (f"read as {found.source}", *found.notes):
        print(f"{args.file}: {note}", file=sys.stderr)
    merged, added = merge_skills(credential.skills, found.skills)
    if added:
        changed = dataclasses.replace(credential, skills=merged)
        updated = dataclasses.replace(
            journey,
            credentials=tuple(changed if c is credential else c for c in journey.credentials),
        )
        if not _write_text(args.into, dumps(updated)):
            return INVALID
    skipped = len(found.skills) - added
    print(
        f"{args.into}: added {counted(added, 'skill')} to credential '{credential.id}'"
        + (f" ({skipped} already there)" if skipped else "")
    )
    return OK


def _import_cartridge(path: str, credential: Credential | None) -> CourseDraft | None:
    from journeys.cartridge import read_cartridge, read_cartridge_dir

    if os.path.isdir(path):
        return read_cartridge_dir(path, credential)
    data = _read_bytes(path)
    if data is None:
        return None
    return read_cartridge(data, path, credential)


#: ``claimpath import``: file extension -> reader(path, credential or None) -> draft with
#: ``journey`` and ``notes``, or None after printing why on stderr.
IMPORTERS: dict[str, Callable[[str, Credential | None], CourseDraft | MermaidImport | None]] = {
    ".imscc": _import_cartridge
}


def _import_mermaid(path: str, credential: Credential | None) -> MermaidImport | None:
    """Read a Mermaid journey diagram; ``credential`` replaces the placeholder one."""
    from journeys.mermaid import read_mermaid

    data = _read_bytes(path)
    if data is None:
        return None
    stem = os.path.splitext(os.path.basename(path))[0]
    return read_mermaid(data, path, stem).with_credential(credential)


IMPORTERS[".mmd"] = _import_mermaid
IMPORTERS[".mermaid"] = _import_mermaid


def _import(args: argparse.Namespace) -> int:
    from journeys.fileformat import dumps
    from journeys.importing import Refused

    extension = os.path.splitext(args.source)[1].lower()
    reader = IMPORTERS.get(extension)
    if reader is None:
        known = ", ".join(sorted(IMPORTERS))
        print(f"{args.source}: cannot tell what it is; use one of {known}", file=sys.stderr)
        return INVALID
    credential = None
    if args.credential:
        imported = _read_credential(args.credential, (), set())
        if imported is None:
            return INVALID
        credential = imported.credential
    try:
        draft = reader(args.source, credential)
    except Refused as exc:
        return _refused(exc)
    if draft is None:
        return INVALID
    for note in draft.notes:
        print(f"{args.source}: {note}", file=sys.stderr)
    if not _write_text(args.output, dumps(draft.journey)):
        return INVALID
    j = draft.journey
    print(
        f"wrote {args.output} ({counted(len(j.stages), 'stage')}, "
        f"{counted(len(j.touchpoints), 'touchpoint')})"
    )
    return OK


def _guide(args: argparse.Namespace) -> int:
    from journeys.guide import guide, parse_month, to_data, to_html, to_markdown

    journey = _load(args.file)
    if journey is None:
        return INVALID
    credential = journey.credential_by_id.get(args.credential)
    if credential is None:
        known = ", ".join(c.id for c in journey.credentials)
        print(
            f"--credential {args.credential}: no such credential (known: {known})", file=sys.stderr
        )
        return INVALID
    issued = None
    if args.issued:
        try:
            issued = parse_month(args.issued)
        except ValueError as exc:
            print(f"--issued: {exc}", file=sys.stderr)
            return INVALID
    if args.organization_id is not None and args.organization_id <= 0:
        print("--organization-id: must be a positive number", file=sys.stderr)
        return INVALID
    if args.cert_url and not args.cert_url.startswith(("https://", "http://")):
        print(f"--cert-url: {args.cert_url!r} is not a web address", file=sys.stderr)
        return INVALID
    result = guide(
        credential,
        issued=issued,
        cert_url=args.cert_url,
        cert_id=args.cert_id,
        organization_id=args.organization_id,
    )
    if args.format == "json":
        print(json.dumps(to_data(result), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(to_html(result) if args.format == "html" else to_markdown(result))
    return OK


def _observed(journey: Journey, path: str) -> Matched | None:
    """Return the outcomes in ``path`` matched to the journey, or None after stderr."""
    from journeys.importing import Refused
    from journeys.outcomes import match, read_outcomes

    data = _read_bytes(path)
    if data is None:
        return None
    try:
        outcomes = read_outcomes(data, path)
    except Refused as exc:
        _refused(exc)
        return None
    matched = match(journey, outcomes.outcomes)
    for name in matched.unmatched:
        print(f"{path}: no credential of the journey is called {name!r}", file=sys.stderr)
    return matched


def _export(args: argparse.Namespace) -> int:
    from journeys.mermaid import to_mermaid

    if os.path.splitext(args.output)[1].lower() not in (".mmd", ".mermaid"):
        print(f"{args.output}: write a Mermaid diagram to a .mmd file", file=sys.stderr)
        return INVALID
    journey = _load(args.file)
    if journey is None:
        return INVALID
    if not _write_text(args.output, to_mermaid(journey)):
        return INVALID
    print(f"wrote {args.output}")
    return OK


def _calibrate(args: argparse.Namespace) -> int:
    from journeys.calibrate import calibrate

    journey = _load(args.file)
    if journey is None:
        return INVALID
    matched = _observed(journey, args.observed)
    if matched is None:
        return INVALID
    fit = calibrate(journey, matched.rows, per_channel=args.per_channel)
    if fit is None:
        print(
            f"{args.observed}: no row with a claim count matches a credential the journey "
            "issues, so there is nothing to fit",
            file=sys.stderr,
        )
        return INVALID
    print("\n".join(fit.describe()))
    return OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    args = _parser().parse_args(argv)
    command = {
        "check": _check,
        "render": _render,
        "validate": _validate,
        "schema": _schema,
        "credential": _credential,
        "skills": _skills,
        "import": _import,
        "guide": _guide,
        "export": _export,
        "calibrate": _calibrate,
    }[args.command]
    # One command, then exit: the collector's passes over a loaded journey (hundreds of
    # thousands of objects at 20,000 touchpoints, none in a cycle) cost check a fifth of
    # its time, so run it far less often, as mypy does; restored for callers in-process.
    thresholds = gc.get_threshold()
    gc.set_threshold(200_000, 30, 30)
    try:
        return command(args)
    except BrokenPipeError:  # e.g. `claimpath check … | head`
        sys.stderr.close()
        return OK
    finally:
        gc.set_threshold(*thresholds)


if __name__ == "__main__":
    sys.exit(main())
