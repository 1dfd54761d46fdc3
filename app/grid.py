"""Lay a journey out as the journey-map grid: stages as columns, lanes as rows, cards in cells."""

from __future__ import annotations

from dataclasses import dataclass, field

from journeys import model as engine
from journeys.cards import CardGap, card_gaps
from journeys.findings import Analysis

__all__ = ["LANES", "Card", "Chip", "Grid", "Lane", "grid", "label"]

#: How rows can be drawn: by the touchpoint's channel or by its owner.
LANES: dict[str, str] = {"channel": "Channel", "owner": "Owner"}

#: Severity -> the mark shown before its word, on the map and every report page.
SEVERITY_MARKS: dict[str, str] = {"critical": "✖", "warning": "⚠", "info": "ℹ"}

#: Severity -> (mark, the engine's word) for the marker of a card's worst finding.
MARKERS: dict[str, tuple[str, str]] = {
    s: (SEVERITY_MARKS[s], engine.SEVERITY_WORDS[s]) for s in engine.SEVERITIES
}


def label(value: str) -> str:
    """Return a file value as people read it.

    >>> label("career_services"), label("in_person"), label("lms")
    ('Career services', 'In person', 'LMS')
    """
    if value in {"lms", "sms"}:
        return value.upper()
    return value.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Chip:
    """The messages a touchpoint declares for one credential."""

    credential: str
    name: str
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Card:
    """One touchpoint as the map shows it."""

    touchpoint: engine.Touchpoint
    chips: tuple[Chip, ...]
    #: Severity of its worst finding, or None.
    worst: str | None
    awards: tuple[str, ...]
    next: tuple[tuple[str, float | None], ...]
    #: Its gaps in the card's words, each with the gap report's finding number.
    gaps: tuple[CardGap, ...] = ()
    #: Its outgoing transitions as (touchpoint id, share), for the drawn arrows.
    routes: tuple[tuple[str, float | None], ...] = ()

    @property
    def marker(self) -> tuple[str, str] | None:
        """Return the icon and words for the worst finding, or None."""
        return MARKERS.get(self.worst) if self.worst else None


@dataclass
class Lane:
    """One row of the grid: a channel or an owner, with its cards per stage."""

    key: str
    name: str
    cells: list[list[Card]] = field(default_factory=list)


@dataclass(frozen=True)
class Grid:
    """The journey map: stages in order and the lanes across them."""

    stages: tuple[engine.Stage, ...]
    lanes: tuple[Lane, ...]
    by: str


def grid(journey: engine.Journey, analysis: Analysis | None, by: str = "channel") -> Grid:
    """Return the map of ``journey`` with lanes ``by`` channel or owner.

    Lanes come in the order of the owners list, or of first appearance for
    channels; within a cell, cards keep the journey's order.
    """
    by = by if by in LANES else "channel"
    worst = analysis.worst_by_touchpoint if analysis is not None else {}
    gaps = card_gaps(analysis) if analysis is not None else {}
    leaving: dict[str, list[engine.Transition]] = {}
    for tr in journey.transitions:
        leaving.setdefault(tr.from_, []).append(tr)
    names = {c.id: c.name for c in journey.credentials}
    titles = {t.id: t.title for t in journey.touchpoints}
    column = {s.id: i for i, s in enumerate(journey.stages)}
    keys: list[str] = []
    for t in journey.touchpoints:
        value = getattr(t, by)
        if value not in keys:
            keys.append(value)
    if by == "owner":
        keys.sort(key=lambda k: engine.OWNERS.index(k) if k in engine.OWNERS else len(keys))
    lanes = {k: Lane(k, label(k), [[] for _ in journey.stages]) for k in keys}
    for t in journey.touchpoints:
        chips = tuple(
            Chip(cid, names.get(cid, cid), kinds) for cid, kinds in t.messages.items() if kinds
        )
        card = Card(
            touchpoint=t,
            chips=chips,
            worst=worst.get(t.id),
            awards=tuple(names.get(cid, cid) for cid in t.issues),
            next=tuple((titles.get(tr.to, tr.to), tr.share) for tr in leaving.get(t.id, ())),
            gaps=gaps.get(t.id, ()),
            routes=tuple((tr.to, tr.share) for tr in leaving.get(t.id, ())),
        )
        lanes[getattr(t, by)].cells[column[t.stage]].append(card)
    return Grid(journey.stages, tuple(lanes.values()), by)
