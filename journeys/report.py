"""The report of an analysis: the JSON object of spec section 6, and the text a person reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from journeys.advice import TOLD
from journeys.findings import Analysis, Checkpoint, Finding
from journeys.model import SEVERITIES
from journeys.score import Score, score

__all__ = [
    "REPORT_FORMAT",
    "Card",
    "awareness_sentence",
    "cards",
    "checkpoint_data",
    "counted",
    "finding_data",
    "format_text",
    "headline_sentence",
    "to_report",
    "top_fixes_data",
]

REPORT_FORMAT = "claimpath-report/1"

_ANSI = {"critical": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;34m", "dim": "\033[2m"}
_RESET = "\033[0m"


def counted(number: int, noun: str) -> str:
    """Return ``number noun`` with the noun in the plural where it needs one.

    >>> counted(1, "touchpoint"), counted(0, "transition"), counted(3, "stage")
    ('1 touchpoint', '0 transitions', '3 stages')
    """
    return f"{number} {noun}{'' if number == 1 else 's'}"


def finding_data(f: Finding) -> dict[str, Any]:
    """Return one finding as report data; only ``missing-message`` carries ``coverage``."""
    data: dict[str, Any] = {
        "rule": f.rule,
        "severity": f.severity,
        "credential": f.credential,
        "touchpoint": f.touchpoint,
        "message": f.message,
    }
    if f.rule == "missing-message":
        data["coverage"] = f.coverage
    data["witness"] = None if f.witness is None else list(f.witness)
    data["summary"] = f.summary
    data["advice"] = f.advice
    return data


def checkpoint_data(c: Checkpoint) -> dict[str, Any]:
    """Return one checkpoint as report data; reach numbers are null for ``end``."""
    return {
        "credential": c.credential,
        "message": c.message,
        "by": c.by,
        "touchpoint": c.touchpoint,
        "coverage": c.coverage,
        "arrival": c.arrival,
        "expected_share": c.expected_share,
    }


def to_report(analysis: Analysis, result: Score | None = None) -> dict[str, Any]:
    """Return the ``claimpath-report/1`` object for an analysis (spec section 6).

    Plain data, ready for :func:`json.dumps`: the journey's size, the score,
    every finding and every checkpoint, in the analysis's order.

    Parameters
    ----------
    analysis : Analysis
        What :func:`journeys.analyse` returned.
    result : Score, optional
        The analysis's score, when the caller has it already; computed otherwise.

    Returns
    -------
    dict
        Keys ``format``, ``journey``, ``score``, ``findings`` and ``checkpoints``.
        ``claimpath check --format json`` prints this, with ``headline`` and
        ``fixes`` added.

    Raises
    ------
    KeyError
        Only for an analysis of a hand-built journey that names an id it does
        not define (see :func:`journeys.analyse`).

    Examples
    --------
    >>> from pathlib import Path
    >>> import journeys
    >>> journey = journeys.load(Path(journeys.__file__).parent / "examples" / "staff-pd-badge.json")
    >>> report = to_report(journeys.analyse(journey))
    >>> report["format"], report["score"], len(report["findings"])
    ('claimpath-report/1', 88, 4)
    >>> report["journey"]["touchpoints"], report["findings"][0]["rule"]
    (12, 'missing-message')
    """
    journey = analysis.journey
    result = result or score(analysis)
    return {
        "format": REPORT_FORMAT,
        "journey": {
            "title": journey.title,
            "touchpoints": len(journey.touchpoints),
            "transitions": len(journey.transitions),
            "credentials": len(journey.credentials),
        },
        "score": result.value,
        "findings": [finding_data(f) for f in analysis.findings],
        "checkpoints": [checkpoint_data(c) for c in analysis.checkpoints],
    }


def awareness_sentence(analysis: Analysis, message: str = "represents") -> str | None:
    """Return one plain sentence on how many learners know ``message`` when the credential arrives.

    Uses the lowest expected share among the credential issue points, so the
    sentence never flatters the journey; None where no issue point is reached.
    """
    shares = [
        (c.expected_share, c)
        for c in analysis.checkpoints
        if c.by == "issue" and c.message == message and c.expected_share is not None
    ]
    if not shares:
        return None
    share, checkpoint = min(shares, key=lambda pair: pair[0])
    credential = analysis.journey.credential_by_id[checkpoint.credential]
    told = TOLD[message].format(name=credential.name)
    if share < 0.005:
        return f"Almost no learner will know {told} when it arrives."
    if share >= 0.95:  # "10 in 10" would overstate it
        return f"Almost every learner will know {told} when it arrives."
    return f"About {_in_words(share)} learners will know {told} when it arrives."


def _in_words(share: float) -> str:
    """Return a share between 0 and 1, exclusive, as people say it: ``1 in 5``, ``9 in 10``.

    >>> [_in_words(x) for x in (0.02, 0.2, 0.36, 0.93)]
    ['1 in 50', '1 in 5', '1 in 3', '9 in 10']
    """
    if share < 0.5:
        return f"1 in {round(1 / share)}"
    return f"{round(share * 10)} in 10"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f}%"


def format_text(analysis: Analysis, result: Score | None = None, *, color: bool = False) -> str:
    """Return the report as a person reads it in a terminal, grouped by severity."""
    journey = analysis.journey
    result = result or score(analysis)
    paint = (lambda text, key: f"{_ANSI[key]}{text}{_RESET}") if color else (lambda text, _: text)
    title_of = {t.id: t.title for t in journey.touchpoints}
    name_of = {c.id: c.name for c in journey.credentials}
    lines = [
        journey.title,
        paint(
            f"{counted(len(journey.touchpoints), 'touchpoint')}, "
            f"{counted(len(journey.transitions), 'transition')}, "
            f"{counted(len(journey.credentials), 'credential')}",
            "dim",
        ),
        "",
        f"Score {result.value}/100",
        headline_sentence(analysis, result),
        *_fix_lines(analysis),
        "",
        "How the score was reached:",
        *(f"  {d.text}" for d in result.deductions),
        *(f"  {line}" for line in result.explanation[len(result.deductions) :]),
    ]
    deck = cards(analysis)  # one card per place; the numbers stay those of the findings
    for severity in SEVERITIES:
        group = [f for f in analysis.findings if f.severity == severity]
        if not group:
            continue
        lines += ["", paint(f"{severity.upper()} ({len(group)})", severity)]
        for card in (c for c in deck if c.severity == severity):
            f = card.findings[0][1]
            numbers = ", ".join(str(n) for n, _ in card.findings)
            lines.append(f"  {numbers}. {card.title}")
            if card.messages:
                for message, level, coverage, share in card.messages:
                    informed = "" if share is None else f", {_percent(share)} informed"
                    lines.append(
                        paint(f"     {message}: {level}, coverage {coverage}{informed}", "dim")
                    )
            else:
                about = [f.rule]
                if f.credential:
                    about.append(name_of[f.credential])
                if f.message:
                    about.append(f.message)
                lines.append(paint(f"     [{' · '.join(about)}]", "dim"))
            if card.witness:
                route = " → ".join(card.witness)
                lines.append(f"     path: {route}")
            lines.extend(f"     advice: {advice}" for advice in card.advice)
    if not analysis.findings:
        lines += ["", "No gaps found: every path tells learners what they need to know."]
    reach = [c for c in analysis.checkpoints if c.by == "issue"]
    if reach:
        lines += ["", "At each issue point (arrival; share informed):"]
        seen: dict[tuple[str, str], list[Checkpoint]] = {}
        for c in reach:
            seen.setdefault((c.credential, c.touchpoint), []).append(c)
        for (cid, tid), at_point in seen.items():
            informed = ", ".join(f"{c.message} {_percent(c.expected_share)}" for c in at_point)
            lines.append(
                f"  {name_of[cid]} at '{title_of[tid]}': {_percent(at_point[0].arrival)} arrive; "
                f"{informed}"
            )
        sentence = awareness_sentence(analysis)
        if sentence:
            lines += ["", sentence]
    return "\n".join(lines) + "\n"


# --- Headline, top fixes and one card per place (issue 11) ---------------------------------


def headline_sentence(analysis: Analysis, result: Score | None = None) -> str:
    """Return one sentence naming the weakest critical message at issue and its informed share.

    E.g. "Only about 1 in 10 learners will know how to claim the Digital
    Citizenship Badge when it arrives." Where the reach model gives no share,
    the sentence says so and counts the critical findings instead.
    """
    result = result or score(analysis)
    weakest = result.weakest
    if weakest is None or weakest.expected_share is None:
        critical = analysis.count("critical")
        if critical:
            return (
                "The reach model gives no informed share here; "
                f"{counted(critical, 'critical gap')} remain in the findings."
            )
        return "The reach model gives no informed share here, and no critical gap remains."
    credential = analysis.journey.credential_by_id[weakest.credential]
    told = TOLD[weakest.message].format(name=credential.name)
    share = weakest.expected_share
    if share < 0.005:
        return f"Almost no learner will know {told} when it arrives."
    if share >= 0.95:
        return f"Almost every learner will know {told} when it arrives."
    if share < 0.5:
        return f"Only about {_in_words(share)} learners will know {told} when it arrives."
    return f"About {_in_words(share)} learners will know {told} when it arrives."


@dataclass(frozen=True)
class Card:
    """Findings shown together: one place (credential and touchpoint), one route, its advice.

    A card holds every ``missing-message`` finding at one checkpoint touchpoint
    for one credential; any other finding is a card of its own.
    """

    #: The finding numbers (1-based, report order) and findings on the card.
    findings: tuple[tuple[int, Finding], ...]
    severity: str
    title: str
    #: One learner route: the witness of the card's first finding.
    witness: tuple[str, ...] | None
    #: (message, severity, coverage, expected share or None) per message on the card.
    messages: tuple[tuple[str, str, str | None, float | None], ...]
    #: The advice, once per distinct text.
    advice: tuple[str, ...]


def cards(analysis: Analysis) -> list[Card]:
    """Return the findings as cards, one per place, in report order of their first finding.

    The JSON report keeps one finding per rule; this is presentation only.
    """
    journey = analysis.journey
    title_of = {t.id: t.title for t in journey.touchpoints}
    share_of = {
        (c.credential, c.message, c.touchpoint): c.expected_share for c in analysis.checkpoints
    }
    places: dict[tuple[str, ...], list[tuple[int, Finding]]] = {}
    for number, f in enumerate(analysis.findings, start=1):
        key: tuple[str, ...]
        if f.rule == "missing-message" and f.credential and f.touchpoint:
            key = ("place", f.credential, f.touchpoint)
        else:
            key = ("one", str(number))
        places.setdefault(key, []).append((number, f))
    out = []
    for key, group in places.items():
        first = group[0][1]
        severity = min((f.severity for _, f in group), key=SEVERITIES.index)
        if key[0] == "place":
            told = ", ".join(f.message or "" for _, f in group)
            title = f"At '{title_of[first.touchpoint or '']}', learners have not been told: {told}"
            messages = tuple(
                (
                    f.message or "",
                    f.severity,
                    f.coverage,
                    share_of.get((f.credential or "", f.message or "", f.touchpoint or "")),
                )
                for _, f in group
            )
        else:
            title, messages = first.summary, ()
        advice = tuple(dict.fromkeys(f.advice for _, f in group))
        out.append(Card(tuple(group), severity, title, first.witness, messages, advice))
    out.sort(key=lambda c: (SEVERITIES.index(c.severity), c.findings[0][0]))
    return out


def top_fixes_data(analysis: Analysis, limit: int = 3) -> list[dict[str, Any]]:
    """Return the fixes that raise the score most, as report data with their drafts."""
    from journeys.drafts import draft
    from journeys.fixes import ranked

    out = []
    for r in ranked(analysis, limit):
        item: dict[str, Any] = {
            "key": r.fix.key,
            "label": r.fix.label,
            "gain": r.gain,
            "score": r.score,
            "draft": None,
        }
        if r.target is not None:
            tp, cid, kinds = r.target
            written = draft(
                analysis.journey.credential_by_id[cid],
                kinds,
                analysis.journey.touchpoint_by_id[tp].channel,
            )
            item["draft"] = {"subject": written.subject, "text": written.text}
        out.append(item)
    return out


def _fix_lines(analysis: Analysis) -> list[str]:
    """Return the *Fix these first* lines of the text report, or none where no fix helps."""
    top = top_fixes_data(analysis)
    if not top:
        return []
    return [
        "",
        "Fix these first",
        *(f"  {i}. +{t['gain']}: {t['label']}" for i, t in enumerate(top, start=1)),
    ]
