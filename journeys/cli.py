"""The ``claimpath`` command line: check, render and validate journey files.

Exit status (spec section 6): 0 when no finding is at or above ``--fail-on``,
1 when one is, 2 when the input is invalid or the command cannot do its work
(the problems on standard error).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from journeys.errors import JourneyInvalid, RenderError
from journeys.model import SEVERITIES, Journey
from journeys.report import counted

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

    validate = commands.add_parser("validate", help="check that journey files load")
    validate.add_argument("files", nargs="+", metavar="FILE")
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
        if args.format == "json":
            # Indented only for a person at a terminal: the compact form is far faster to write.
            indent = 2 if sys.stdout.isatty() and not several else None
            report = to_report(analysis, result)
            report["headline"] = headline_sentence(analysis, result)
            report["fixes"] = top_fixes_data(analysis)
            print(json.dumps(report, indent=indent, ensure_ascii=False))
        else:
            if several:
                print(("" if number == 0 else "\n") + f"== {path}")
            sys.stdout.write(format_text(analysis, result, color=_color()))
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    args = _parser().parse_args(argv)
    command = {"check": _check, "render": _render, "validate": _validate}[args.command]
    try:
        return command(args)
    except BrokenPipeError:  # e.g. `claimpath check … | head`
        sys.stderr.close()
        return OK


if __name__ == "__main__":
    sys.exit(main())
