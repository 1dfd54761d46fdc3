"""Convert between a journey's database rows and the engine's :class:`journeys.model.Journey`.

The only module that does: every view, import, export and revision goes
through it, and it leaves every rule to the engine. Validation is the
engine's own loader run on the journey's file data, so the web app accepts
exactly what the command line accepts.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from sqlalchemy import inspect, select

from app.extensions import db
from app.models import Credential, Journey, Stage, Touchpoint, Transition
from journeys import fileformat
from journeys import model as engine
from journeys.errors import Problem
from journeys.model import new_id

__all__ = [
    "add",
    "apply",
    "check",
    "connect",
    "describe",
    "disconnect",
    "document",
    "place",
    "remove",
    "to_engine",
]

Row = TypeVar("Row", Credential, Stage, Touchpoint)

_LOCATION = re.compile(r"(credentials|stages|touchpoints|transitions)\[(\d+)\](?:\.(\w+))?")


def to_engine(journey: Journey) -> engine.Journey:
    """Return the engine's journey for the rows, unchecked (see :func:`check`).

    A saved journey with nothing pending in the session is read straight from
    its four tables, one query each (:func:`_from_tables`); otherwise the rows
    in hand are converted, pending changes included.
    """
    if journey.id is not None and not (db.session.new or db.session.dirty or db.session.deleted):
        return _from_tables(journey)
    return _journey(
        journey,
        tuple(_credential(c) for c in _ordered(journey.credentials)),
        tuple(engine.Stage(s.key, s.name, s.phase) for s in _ordered(journey.stages)),
        tuple(_touchpoint(t, t.stage.key) for t in _ordered(journey.touchpoints)),
        tuple(
            engine.Transition(tr.source.key, tr.target.key, tr.share)
            for tr in _ordered(journey.transitions)
        ),
    )


def _journey(
    journey: Journey,
    credentials: tuple[engine.Credential, ...],
    stages: tuple[engine.Stage, ...],
    touchpoints: tuple[engine.Touchpoint, ...],
    transitions: tuple[engine.Transition, ...],
) -> engine.Journey:
    requirements = None
    if journey.requirements is not None:
        requirements = tuple(
            engine.Requirement(r["message"], r["by"], r["severity"]) for r in journey.requirements
        )
    return engine.Journey(
        title=journey.title,
        description=journey.description or "",
        credentials=credentials,
        stages=stages,
        touchpoints=touchpoints,
        transitions=transitions,
        requirements=requirements,
    )


def _credential(c: Any) -> engine.Credential:
    """Return the engine's credential for a row object or a table row."""
    return engine.Credential(
        id=c.key,
        name=c.name,
        aliases=tuple(c.aliases or ()),
        description=c.description or "",
        criteria=c.criteria or "",
        skills=tuple(c.skills or ()),
        issuer=c.issuer or "",
        requires_claim=c.requires_claim,
        achievement_type=c.achievement_type or "",
        url=c.url or "",
    )


def _from_tables(journey: Journey) -> engine.Journey:
    """Return the engine's journey as its rows stand in the database, one query per table.

    The same journey the row objects give, without building them: loading
    20,000 touchpoints as objects takes seconds.
    """
    credentials, stages, touchpoints, transitions = (
        Credential.__table__,
        Stage.__table__,
        Touchpoint.__table__,
        Transition.__table__,
    )

    def rows(table: Any) -> Any:
        return db.session.execute(
            select(table).where(table.c.journey_id == journey.id).order_by(table.c.position)
        )

    stage_keys: dict[int, str] = {}
    stage_items = []
    for s in rows(stages):
        stage_keys[s.id] = s.key
        stage_items.append(engine.Stage(s.key, s.name, s.phase))
    touchpoint_keys: dict[int, str] = {}
    touchpoint_items = []
    for t in rows(touchpoints):
        touchpoint_keys[t.id] = t.key
        touchpoint_items.append(_touchpoint(t, stage_keys[t.stage_id]))
    return _journey(
        journey,
        tuple(_credential(c) for c in rows(credentials)),
        tuple(stage_items),
        tuple(touchpoint_items),
        tuple(
            engine.Transition(touchpoint_keys[tr.from_id], touchpoint_keys[tr.to_id], tr.share)
            for tr in rows(transitions)
        ),
    )


def _ordered(rows: list[Any]) -> list[Any]:
    """Return rows by position: collections changed in this request are not yet re-sorted."""
    return sorted(rows, key=lambda row: row.position)


def _touchpoint(t: Any, stage: str) -> engine.Touchpoint:
    """Return the engine's touchpoint for a row object or a table row, in stage ``stage``."""
    return engine.Touchpoint(
        id=t.key,
        title=t.title,
        stage=stage,
        channel=t.channel,
        owner=t.owner,
        audience=t.audience,
        content=t.content or "",
        messages={cid: tuple(kinds) for cid, kinds in (t.messages or {}).items()},
        issues=tuple(t.issues or ()),
        reach=t.reach,
        entry=t.entry,
        entry_share=t.entry_share,
    )


def document(journey: Journey) -> dict[str, Any]:
    """Return the rows as journey file data, as an export or a revision stores it."""
    return fileformat.to_data(to_engine(journey))


def check(journey: Journey) -> engine.Journey:
    """Return the engine's journey for the rows, or raise ``JourneyInvalid`` as the loader would.

    Pending changes are flushed first so that the check sees them.
    """
    db.session.flush()
    return fileformat.from_data(document(journey))


def apply(journey: Journey, source: engine.Journey) -> None:
    """Make the rows hold ``source``: update records by key, add the new, remove the rest.

    Records that keep their key are updated in place, so an edit form opened
    before an import or a restore sees that its record changed.
    """
    # New rows are complete only at the end; flushing half-built ones would fail.
    with db.session.no_autoflush:
        _apply(journey, source)


def _apply(journey: Journey, source: engine.Journey) -> None:
    requirements = None
    if source.requirements is not None:
        requirements = [
            {"message": r.message, "by": r.by, "severity": r.severity} for r in source.requirements
        ]
    _assign(journey, title=source.title, description=source.description, requirements=requirements)
    credentials, stale = _sync(journey.credentials, source.credentials, Credential, journey)
    _delete(journey.credentials, stale)
    for position, (row, c) in enumerate(zip(credentials, source.credentials, strict=True)):
        _assign(
            row,
            position=position,
            name=c.name,
            aliases=list(c.aliases),
            description=c.description,
            criteria=c.criteria,
            skills=list(c.skills),
            issuer=c.issuer,
            requires_claim=c.requires_claim,
            achievement_type=c.achievement_type,
            url=c.url,
        )
    # Stale stages go last: their touchpoints move or go first.
    stages, stale_stages = _sync(journey.stages, source.stages, Stage, journey)
    for position, (row, s) in enumerate(zip(stages, source.stages, strict=True)):
        _assign(row, position=position, name=s.name, phase=s.phase)
    stage_by_key = {row.key: row for row in stages}
    # Transitions go first: they refer to touchpoints that may be removed.
    for tr in list(journey.transitions):
        _drop_transition(tr)
    db.session.flush()
    touchpoints, stale = _sync(journey.touchpoints, source.touchpoints, Touchpoint, journey)
    _delete(journey.touchpoints, stale)
    for position, (row, t) in enumerate(zip(touchpoints, source.touchpoints, strict=True)):
        _assign(
            row,
            position=position,
            stage=stage_by_key[t.stage],
            title=t.title,
            channel=t.channel,
            owner=t.owner,
            audience=t.audience,
            content=t.content,
            messages={cid: list(kinds) for cid, kinds in t.messages.items()},
            issues=list(t.issues),
            reach=t.reach,
            entry=t.entry,
            entry_share=t.entry_share,
        )
    touchpoint_by_key = {row.key: row for row in touchpoints}
    for position, tr in enumerate(source.transitions):
        connect(journey, touchpoint_by_key[tr.from_], touchpoint_by_key[tr.to], tr.share, position)
    db.session.flush()
    _delete(journey.stages, stale_stages)
    db.session.flush()


def _sync(
    rows: list[Any], items: tuple[Any, ...], model: type, journey: Journey
) -> tuple[list[Any], list[Any]]:
    """Return one row per item in order, reusing rows by key, and the rows left over."""
    by_key = {row.key: row for row in rows}
    wanted = {item.id for item in items}
    stale = [row for row in rows if row.key not in wanted]
    out = []
    for item in items:
        row = by_key.get(item.id)
        if row is None:
            row = model(key=item.id)
            db.session.add(row)
            row.journey = journey
        out.append(row)
    return out, stale


def _delete(rows: list[Any], stale: list[Any]) -> None:
    for row in stale:
        rows.remove(row)
        db.session.delete(row)


def _assign(row: Any, **values: Any) -> None:
    """Set only the values that differ, so an unchanged record keeps its version."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def add(journey: Journey, model: type[Row], label: str, **values: Any) -> Row:
    """Return a new credential, stage or touchpoint, last in its journey, keyed after ``label``."""
    rows = _children(journey, model)
    row = model(
        key=new_id(label, {r.key for r in rows}),
        position=max((r.position for r in rows), default=-1) + 1,
        **values,
    )
    db.session.add(row)
    row.journey = journey
    return row


def remove(journey: Journey, row: Credential | Stage | Touchpoint) -> None:
    """Delete a record from the journey; a touchpoint's transitions go with it."""
    if isinstance(row, Touchpoint):
        for tr in [*row.outgoing, *row.incoming]:
            _drop_transition(tr)
    _children(journey, type(row)).remove(row)
    db.session.delete(row)


def _children(journey: Journey, model: type) -> list[Any]:
    return {
        Credential: journey.credentials,
        Stage: journey.stages,
        Touchpoint: journey.touchpoints,
    }[model]


def connect(
    journey: Journey, source: Touchpoint, target: Touchpoint, share: float | None, position: int
) -> Transition:
    """Return a new transition from ``source`` to ``target``, attached to all its parents."""
    tr = Transition(share=share, position=position)
    db.session.add(tr)
    tr.journey = journey
    tr.source = source
    tr.target = target
    return tr


def _drop_transition(tr: Transition) -> None:
    for parent, name in (
        (tr.journey, "transitions"),
        (tr.source, "outgoing"),
        (tr.target, "incoming"),
    ):
        # A collection not loaded yet is left so: once loaded it is read without the
        # deleted row, and loading a big journey's transitions to drop one takes seconds.
        if name in inspect(parent).unloaded:
            continue
        rows = getattr(parent, name)
        if tr in rows:
            rows.remove(tr)
    db.session.delete(tr)


def disconnect(tr: Transition) -> None:
    """Remove a transition from the journey and from both touchpoints."""
    _drop_transition(tr)


def place(journey: Journey, problem: Problem) -> tuple[str, str | None, str | None]:
    """Return what a problem's location refers to: (kind, key, field).

    ``kind`` is ``credential``, ``stage``, ``touchpoint``, ``transition`` or
    ``journey``; for a transition, ``key`` is the touchpoint it leaves.
    """
    match = _LOCATION.match(problem.location)
    if match is None:
        return "journey", None, problem.location.split(".")[0].split("[")[0] or None
    kind, index, field = match.group(1), int(match.group(2)), match.group(3)
    rows: list[Any] = _ordered(getattr(journey, kind))
    if index >= len(rows):
        return "journey", None, None
    row = rows[index]
    if kind == "transitions":
        return "transition", row.source.key, field
    return kind[:-1], row.key, field


def describe(journey: Journey, problem: Problem) -> str:
    """Return a problem in the words of the map: which record, then what is wrong."""
    kind, key, _field = place(journey, problem)
    names = {
        "credential": {c.key: c.name for c in journey.credentials},
        "stage": {s.key: s.name for s in journey.stages},
        "touchpoint": {t.key: t.title for t in journey.touchpoints},
        "transition": {t.key: t.title for t in journey.touchpoints},
    }
    if key is not None and key in names.get(kind, {}):
        what = "Next touchpoints of" if kind == "transition" else kind.capitalize()
        return f"{what} '{names[kind][key]}': {problem.message}"
    return str(problem)
