"""What the journey map says on a card: its gaps in words, and a new touchpoint's likely channel."""

from __future__ import annotations

import re
from dataclasses import dataclass

from journeys.findings import Analysis
from journeys.model import MESSAGE_KINDS, SEVERITIES

__all__ = ["CardGap", "card_gaps", "guess_channel"]


@dataclass(frozen=True)
class CardGap:
    """One gap as a card names it, with the report's number of the finding behind it."""

    severity: str
    #: The words on the card, e.g. "Not told: why, claim (Data Literacy Badge)".
    text: str
    #: The finding's number in the gap report (its position in the analysis, from 1).
    number: int
    #: The finding's own sentence, for the side panel.
    summary: str


def card_gaps(analysis: Analysis) -> dict[str, tuple[CardGap, ...]]:
    """Return each touchpoint's gaps in a card's words, keyed by touchpoint id.

    Messages a learner may not have been told by a touchpoint are gathered per
    credential into one "Not told: ..." line; every other finding at the
    touchpoint keeps its own summary. Lines keep the order of the findings.

    >>> from journeys import fileformat
    >>> from journeys.analysis import analyse
    >>> journey = fileformat.from_data({
    ...     "format": "claimpath-journey/1", "title": "T",
    ...     "credentials": [{"id": "b", "name": "Badge"}],
    ...     "stages": [{"id": "s", "name": "S", "phase": "issue"}],
    ...     "touchpoints": [{"id": "a", "title": "Award", "stage": "s", "issues": ["b"],
    ...                      "entry": True}]})
    >>> [g.text for g in card_gaps(analyse(journey))["a"]][1]
    'Not told: earned, represents, why, claim, use, share, talk (Badge)'
    """
    names = {c.id: c.name for c in analysis.journey.credentials}
    kinds = {m: i for i, m in enumerate(MESSAGE_KINDS)}
    told: dict[tuple[str, str], list[tuple[int, str, str, str]]] = {}
    lines: dict[str, list[tuple[int, CardGap | tuple[str, str]]]] = {}
    for number, f in enumerate(analysis.findings, start=1):
        if f.touchpoint is None:
            continue
        at = lines.setdefault(f.touchpoint, [])
        if f.message is not None and f.credential is not None and f.coverage is not None:
            key = (f.touchpoint, f.credential)
            if key not in told:
                told[key] = []
                at.append((number, key))
            told[key].append((number, f.message, f.severity, f.summary))
        else:
            at.append((number, CardGap(f.severity, f.summary, number, f.summary)))
    result: dict[str, tuple[CardGap, ...]] = {}
    for touchpoint, entries in lines.items():
        gaps = []
        for number, entry in entries:
            if isinstance(entry, CardGap):
                gaps.append(entry)
                continue
            missing = sorted(told[entry], key=lambda m: kinds.get(m[1], len(kinds)))
            severity = min((m[2] for m in missing), key=SEVERITIES.index)
            words = ", ".join(m[1] for m in missing)
            name = names.get(entry[1], entry[1])
            summary = "; ".join(m[3] for m in missing)
            gaps.append(CardGap(severity, f"Not told: {words} ({name})", number, summary))
        result[touchpoint] = tuple(gaps)
    return result


#: Words in a title that give its channel away, most telling first.
_CHANNEL_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sms", ("sms", "text message", "txt")),
    ("email", ("email", "e-mail", "newsletter", "mail")),
    ("video", ("video", "webinar", "recording", "youtube")),
    ("lms", ("lms", "moodle", "canvas", "blackboard", "course page", "module")),
    (
        "in_person",
        (
            "in person",
            "in-person",
            "workshop",
            "meeting",
            "session",
            "talk",
            "ceremony",
            "fair",
            "tutorial",
            "lecture",
            "class",
            "event",
        ),
    ),
    ("web", ("web", "website", "page", "portal", "online", "linkedin", "wallet")),
)


def guess_channel(title: str) -> str | None:
    """Return the channel a touchpoint's title suggests, or None when it says none.

    >>> guess_channel("Reminder SMS"), guess_channel("Badge awarded email")
    ('sms', 'email')
    >>> guess_channel("Careers fair"), guess_channel("Claim page on the web")
    ('in_person', 'web')
    >>> guess_channel("Intro video"), guess_channel("Moodle announcement"), guess_channel("Hello")
    ('video', 'lms', None)
    """
    words = " " + re.sub(r"[^a-z0-9-]+", " ", title.lower()) + " "
    for channel, hints in _CHANNEL_WORDS:
        if any(f" {hint} " in words for hint in hints):
            return channel
    return None
