"""Mermaid ``journey`` diagrams: export a journey as one, import one as a starting journey.

Export: stages are sections, touchpoints are tasks in journey order, the
owner and the audience are the actors, and each task's score (1-5) says how
much of what the journey requires learners to be told they have been told on
every path up to and including that touchpoint (:func:`scores`). Import
follows Mermaid's grammar (``journey.jison``, ``journeyDb.js``): front matter,
CRLF, indentation (dedented as Mermaid does), ``#`` and ``%%`` comments,
``accTitle``/``accDescr``, repeated names, scores outside 1-5 clamped with a
warning naming the line, and any line that is not a statement refused with its
line number. The mapping is in ``docs/mermaid.md``.

>>> from journeys.fileformat import load
>>> text = ("journey\\n  title Day\\n  section Go to work\\n"
...         "    Make tea: 5: Me\\n    Do work: 9: Me, issuer\\n")
>>> result = read_mermaid(text.encode(), "day.mmd")
>>> [t.title for t in result.journey.touchpoints], result.journey.touchpoints[1].owner
(['Make tea', 'Do work'], 'issuer')
>>> result.warnings[0]
'line 5: score 9 is outside 1-5; read as 5'
"""

from __future__ import annotations

import dataclasses
import math
import re
import textwrap
from dataclasses import dataclass
from typing import Any

import yaml

from journeys.errors import JourneyInvalid, Problem
from journeys.importing import Refused, check_size, read_text
from journeys.model import FORMAT, OWNERS, PHASES, Credential, Journey, new_id
from journeys.validation import from_data

__all__ = ["MAX_MERMAID_BYTES", "MermaidImport", "read_mermaid", "scores", "to_mermaid"]

#: The largest diagram read, and the most lines in it.
MAX_MERMAID_BYTES = 1024 * 1024
MAX_LINES = 20_000

_ROLE_LABELS = {role: role.replace("_", " ").capitalize() for role in OWNERS}
_KEYWORDS = ("journey", "title", "section", "acc")


# --- export --------------------------------------------------------------------------------


def scores(journey: Journey) -> dict[str, int]:
    """Return each touchpoint's score, 1-5: how much learners passing it have surely been told.

    The share f of the journey's required (credential, message) pairs that
    every path from an entry up to and including the touchpoint declares;
    the score is ``1 + round(4 * f)``. A touchpoint no path reaches scores 1.
    """
    required = {(c.id, r.message) for c in journey.credentials for r in journey.requirements_for(c)}
    if not required:
        return {t.id: 5 for t in journey.touchpoints}
    said = {
        t.id: {(cid, kind) for cid, kinds in t.messages.items() for kind in kinds} & required
        for t in journey.touchpoints
    }
    preds: dict[str, list[str]] = {t.id: [] for t in journey.touchpoints}
    for tr in journey.transitions:
        preds[tr.to].append(tr.from_)
    entries = set(journey.entries)
    # Told on every path: the greatest fixed point, starting from "everything" and shrinking.
    told: dict[str, set[tuple[str, str]] | None] = {t.id: None for t in journey.touchpoints}
    changed = True
    rounds = 0
    while changed and rounds < len(journey.touchpoints) + 2:
        changed, rounds = False, rounds + 1
        for t in journey.touchpoints:
            before = [told[p] for p in preds[t.id] if told[p] is not None]
            if t.id in entries:
                inherited: set[tuple[str, str]] = set()
            elif before:
                inherited = set.intersection(*before)  # type: ignore[arg-type]
            else:
                continue
            new = inherited | said[t.id]
            if told[t.id] != new:
                told[t.id], changed = new, True
    return {
        tid: 1 if got is None else 1 + round(4 * len(got) / len(required))
        for tid, got in told.items()
    }


def _clean(text: str, *, statement: bool = True) -> str:
    """Return text Mermaid reads back as written: no ``:``, ``#``, ``;``, ``%%`` or line break."""
    text = re.sub(r"\s+", " ", text).strip()
    text = text.replace("%%", "%").replace("#", "no. ").replace(";", ",").replace(":", " -")
    text = re.sub(r" {2,}", " ", text).strip()
    if statement and text.lower().startswith(_KEYWORDS):
        text = "- " + text  # else the lexer reads it as the keyword
    return text or "-"


def to_mermaid(journey: Journey) -> str:
    """Return the journey as a Mermaid ``journey`` diagram, LF line endings.

    >>> from journeys.fileformat import load
    >>> print(to_mermaid(load("journeys/examples/district-auto-badges.json")).splitlines()[3])
        Homeroom announcement in the LMS: 1: Faculty, Learner
    """
    score = scores(journey)
    lines = ["journey", f"  title {_clean(journey.title, statement=False)}"]
    for stage in journey.stages:
        lines.append(f"  section {_clean(stage.name)}")
        for t in journey.touchpoints:
            if t.stage != stage.id:
                continue
            actors = [_ROLE_LABELS.get(t.owner, t.owner)]
            if t.audience != t.owner:
                actors.append(_ROLE_LABELS.get(t.audience, t.audience))
            names = ", ".join(_clean(a, statement=False).replace(",", " ") for a in actors)
            lines.append(f"    {_clean(t.title)}: {score[t.id]}: {names}")
    return "\n".join(lines) + "\n"


# --- import --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MermaidImport:
    """The journey read from a diagram, and what the reader changed or left out, by line."""

    journey: Journey
    warnings: tuple[str, ...]

    @property
    def notes(self) -> tuple[str, ...]:
        """Return the warnings, under the name every importer's draft uses."""
        return self.warnings

    def with_credential(self, credential: Credential | None) -> MermaidImport:
        """Return the import with ``credential`` in place of the placeholder, when one is given."""
        if credential is None:
            return self
        journey = dataclasses.replace(self.journey, credentials=(credential,))
        kept = tuple(w for w in self.warnings if not w.startswith("Mermaid names no credential"))
        return MermaidImport(journey, kept)


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _js_number(text: str) -> float:
    """Return ``Number(text)`` as JavaScript computes it (NaN where it is not a number)."""
    text = text.strip()
    if text == "":
        return 0.0
    if _NUMBER.fullmatch(text):
        return float(text)
    if re.fullmatch(r"0[xX][0-9a-fA-F]+", text):
        return float(int(text, 16))
    if re.fullmatch(r"[+-]?Infinity", text):
        return -math.inf if text.startswith("-") else math.inf
    return math.nan


_PHASE_WORDS = {
    "discover": ("discover", "aware", "enrol", "enroll", "onboard", "explore", "start", "sign up"),
    "learn": ("learn", "study", "course", "module", "practice", "practise", "teach"),
    "earn": ("earn", "assess", "exam", "complete", "submit", "finish"),
    "issue": ("issue", "award", "badge", "certif"),
    "claim": ("claim", "accept", "receive"),
    "share": ("share", "linkedin", "social", "promot"),
    "use": ("use", "career", "job", "employ", "apply", "retention", "after"),
}


def _phase(name: str, previous: str) -> str:
    lowered = name.lower()
    for phase in PHASES:
        if any(word in lowered for word in _PHASE_WORDS[phase]):
            return phase
    return previous


def _role(actor: str) -> str | None:
    key = re.sub(r"[\s-]+", "_", actor.strip().lower())
    return key if key in OWNERS else None


def read_mermaid(data: bytes, source: str = "", title: str = "") -> MermaidImport:
    """Return the journey in a Mermaid ``journey`` diagram, with the reader's warnings.

    Raises :class:`journeys.importing.Refused` with the line of each problem
    (a line that is not a statement, a score that is not a number, no
    ``journey`` keyword, no task). ``title`` is used where the diagram has none.
    """
    check_size(data, source, MAX_MERMAID_BYTES)
    text = read_text(data, source).replace("\r\n", "\n").replace("\r", "\n")
    raw = text.split("\n")
    if len(raw) > MAX_LINES:
        raise Refused(source, [Problem("", f"more than {MAX_LINES:,} lines")])
    lines = textwrap.dedent("\n".join(raw)).split("\n")  # Mermaid dedents, then trims
    problems: list[Problem] = []
    warnings: list[str] = []
    n = 0
    while n < len(lines) and not lines[n].strip():
        n += 1
    front_title = ""
    if n < len(lines) and re.fullmatch(r"-{3}\s*", lines[n]):
        end = next(
            (i for i in range(n + 1, len(lines)) if re.fullmatch(r"-{3}\s*", lines[i])), None
        )
        if end is None:
            raise Refused(source, [Problem(f"line {n + 1}", "front matter '---' is never closed")])
        try:
            matter = yaml.safe_load("\n".join(lines[n + 1 : end]))
        except yaml.YAMLError as exc:
            raise Refused(
                source, [Problem(f"line {n + 2}", f"front matter is not YAML: {exc}")]
            ) from None
        if isinstance(matter, dict) and isinstance(matter.get("title"), str | int | float):
            front_title = str(matter["title"]).strip()
        n = end + 1
    while n < len(lines) and (not lines[n].strip() or lines[n].strip().startswith("%%")):
        n += 1
    if n >= len(lines) or not re.match(r"\s*journey\b", lines[n], re.IGNORECASE):
        where = f"line {n + 1}" if n < len(lines) else ""
        raise Refused(
            source, [Problem(where, "not a Mermaid journey: it must start with 'journey'")]
        )
    head = re.match(r"\s*journey", lines[n], re.IGNORECASE)
    assert head is not None  # noqa: S101 (matched just above, for mypy)
    rest: list[tuple[int, str]] = [(n + 1, lines[n][head.end() :])]
    rest += [(i + 1, lines[i]) for i in range(n + 1, len(lines))]

    diagram_title = front_title
    description = ""
    sections: list[dict[str, Any]] = []
    tasks: list[dict[str, Any]] = []
    left_out: list[str] = []
    in_descr: list[str] | None = None
    queue = list(rest)
    while queue:
        number, line = queue.pop(0)
        if in_descr is not None:
            if "}" in line:
                before, after = line.split("}", 1)
                in_descr.append(before)
                description = " ".join(p.strip() for p in in_descr if p.strip())
                in_descr = None
                queue.insert(0, (number, after))
            else:
                in_descr.append(line)
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("%%"):
            continue
        stripped = stripped.split("#", 1)[0].strip()  # '#' starts a comment
        if not stripped:
            continue
        if ";" in stripped:
            problems.append(Problem(f"line {number}", "';' is not allowed in a journey statement"))
            continue
        low = stripped.lower()
        if re.match(r"title\s", low):
            diagram_title = stripped[6:].strip()
        elif re.match(r"acctitle\s*:", low):
            continue
        elif re.match(r"accdescr\s*:", low):
            description = stripped.split(":", 1)[1].strip()
        elif re.match(r"accdescr\s*\{", low):
            body = stripped.split("{", 1)[1]
            if "}" in body:
                description, after = (p.strip() for p in body.split("}", 1))
                if after:
                    queue.insert(0, (number, after))
            else:
                in_descr = [body]
        elif re.match(r"section\s", low):
            name = stripped[8:].strip()
            if ":" in name:
                problems.append(Problem(f"line {number}", "a section name may not contain ':'"))
                continue
            sections.append({"name": name or "Section", "line": number})
        elif ":" in stripped:
            name, task = stripped.split(":", 1)
            name = name.strip()
            if not name:
                problems.append(Problem(f"line {number}", "a task needs a name before ':'"))
                continue
            if task.strip() == "" and not task:
                problems.append(Problem(f"line {number}", "a task needs a score after ':'"))
                continue
            pieces = task.split(":")
            value = _js_number(pieces[0])
            if math.isnan(value):
                problems.append(
                    Problem(
                        f"line {number}",
                        f"{stripped!r} is not a task: its score {pieces[0].strip()!r} is not a "
                        "number (a task is 'name: score: actors')",
                    )
                )
                continue
            if not 1 <= value <= 5:
                clamped = min(5, max(1, value))
                warnings.append(
                    f"line {number}: score {pieces[0].strip()} is outside 1-5; read as {clamped:g}"
                )
            actors = [a.strip() for a in pieces[1].split(",")] if len(pieces) > 1 else []
            if not sections:
                sections.append({"name": "Journey", "line": number})
            tasks.append(
                {"name": name, "actors": actors, "section": len(sections) - 1, "line": number}
            )
            left_out += [a for a in actors if a and _role(a) is None and a not in left_out]
        else:
            problems.append(
                Problem(
                    f"line {number}",
                    f"{stripped[:80]!r} is not a journey statement (title, section, or a task "
                    "'name: score: actors')",
                )
            )
    if in_descr is not None:
        problems.append(Problem("", "accDescr { is never closed with }"))
    if problems:
        raise Refused(source, problems)
    if not tasks:
        where = f"line {sections[-1]['line']}: " if sections else ""
        raise Refused(
            source, [Problem("", f"{where}the diagram has no tasks to make touchpoints of")]
        )
    if left_out:
        warnings.append(
            "actors that are not Claimpath roles were kept in the touchpoint text, not as owner "
            "or audience: " + ", ".join(left_out)
        )
    warnings.append(
        "Mermaid names no credential: one called 'Credential' was added; rename it and declare "
        "what each touchpoint tells"
    )
    return MermaidImport(
        _journey(diagram_title or title or "Imported journey", description, sections, tasks),
        tuple(warnings),
    )


def _journey(
    title: str, description: str, sections: list[dict[str, Any]], tasks: list[dict[str, Any]]
) -> Journey:
    stage_ids: set[str] = set()
    stages = []
    phase = "discover"
    for s in sections:
        phase = _phase(s["name"], phase)
        sid = new_id(s["name"], stage_ids)
        stage_ids.add(sid)
        stages.append({"id": sid, "name": s["name"][:200], "phase": phase})
    tids: set[str] = set()
    touchpoints = []
    for i, task in enumerate(tasks):
        tid = new_id(task["name"], tids)
        tids.add(tid)
        roles = [r for r in (_role(a) for a in task["actors"]) if r]
        others = [a for a in task["actors"] if a and _role(a) is None]
        tp: dict[str, Any] = {
            "id": tid,
            "title": task["name"][:200],
            "stage": stages[task["section"]]["id"],
        }
        if roles:
            tp["owner"] = roles[0]
            tp["audience"] = roles[1] if len(roles) > 1 else roles[0]
        if others:
            tp["content"] = "Actors in the Mermaid diagram: " + ", ".join(others)
        if i == 0:
            tp["entry"] = True
        touchpoints.append(tp)
    transitions = [
        {"from": a["id"], "to": b["id"]} for a, b in zip(touchpoints, touchpoints[1:], strict=False)
    ]
    data = {
        "format": FORMAT,
        "title": title[:200],
        "description": description,
        "credentials": [{"id": "credential", "name": "Credential"}],
        "stages": stages,
        "touchpoints": touchpoints,
        "transitions": transitions,
    }
    try:
        return from_data(data)
    except JourneyInvalid as exc:  # e.g. an over-long name: say so rather than crash
        raise Refused("", exc.problems) from None
