"""Record every saved change as a revision and say in words what changed.

A revision keeps the whole journey document, so any revision can be shown
or restored on its own; the summary compares it with the one before.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import defer, joinedload

from app import convert
from app.extensions import db
from app.models import Journey, Revision, User

__all__ = ["latest", "latest_of", "record", "summarise"]

_FIELD_NAMES = {
    "aliases": "aliases",
    "audience": "audience",
    "channel": "channel",
    "content": "content",
    "criteria": "criteria",
    "description": "description",
    "entry": "entry",
    "entry_share": "entry share",
    "issuer": "issuer",
    "issues": "credentials awarded",
    "messages": "messages",
    "name": "name",
    "owner": "owner",
    "phase": "phase",
    "reach": "reach",
    "requires_claim": "requires claim",
    "skills": "skills",
    "stage": "stage",
    "title": "title",
}
_MAX_PARTS = 6


def latest(journey: Journey) -> Revision | None:
    """Return the journey's newest revision, or None before the first save."""
    return db.session.scalar(
        select(Revision)
        .where(Revision.journey_id == journey.id)
        .order_by(Revision.number.desc())
        .limit(1)
    )


def latest_of(journey_ids: Iterable[int]) -> dict[int, Revision]:
    """Return each journey's newest revision by journey id, with its author, in one query.

    The documents are left unread (deferred): :func:`app.analysis.gaps_of_revisions`
    reads only those its cache lacks.
    """
    wanted = list(journey_ids)
    if not wanted:
        return {}
    newest = (
        select(Revision.journey_id, func.max(Revision.number).label("number"))
        .where(Revision.journey_id.in_(wanted))
        .group_by(Revision.journey_id)
        .subquery()
    )
    found = db.session.scalars(
        select(Revision)
        .join(
            newest,
            (Revision.journey_id == newest.c.journey_id) & (Revision.number == newest.c.number),
        )
        .options(defer(Revision.document), joinedload(Revision.user))
    )
    return {r.journey_id: r for r in found}


def record(
    journey: Journey,
    user: User | None,
    headline: str | None = None,
    document: dict[str, Any] | None = None,
) -> Revision:
    """Add a revision holding the journey as it now stands, and return it.

    ``headline`` leads the summary (``Imported data.json``); the rest says
    what changed since the previous revision. ``document`` is the journey as
    it now stands when the caller has built it already (:func:`app.saving.save`).
    """
    if document is None:
        db.session.flush()
        document = convert.document(journey)
    previous = latest(journey)
    changes = summarise(previous.document if previous else None, document)
    summary = "; ".join(part for part in (headline, changes) if part) or "No change"
    number = (previous.number if previous else 0) + 1
    revision = Revision(
        journey=journey, number=number, user=user, summary=summary, document=document
    )
    db.session.add(revision)
    return revision


def summarise(old: dict[str, Any] | None, new: dict[str, Any]) -> str:
    """Return what changed from one journey document to the next, in a line of words.

    >>> old = {"title": "T", "description": "", "credentials": [], "stages": [],
    ...        "touchpoints": [{"id": "a", "title": "Welcome", "stage": "s", "content": ""}],
    ...        "transitions": []}
    >>> new = dict(old, touchpoints=[{"id": "a", "title": "Welcome", "stage": "s",
    ...     "content": "Hi"}, {"id": "b", "title": "Reminder", "stage": "s"}],
    ...     transitions=[{"from": "a", "to": "b"}])
    >>> for part in summarise(old, new).split("; "):
    ...     print(part)
    added touchpoint 'Reminder'
    changed touchpoint 'Welcome' (content)
    connected 'Welcome' → 'Reminder'
    >>> summarise(None, new)
    ''
    """
    if old is None:
        return ""
    parts: list[str] = []
    if old.get("title") != new.get("title"):
        parts.append(f"renamed the journey to '{new.get('title')}'")
    if old.get("description") != new.get("description"):
        parts.append("changed the journey's description")
    for key, what, label in (
        ("credentials", "credential", "name"),
        ("stages", "stage", "name"),
        ("touchpoints", "touchpoint", "title"),
    ):
        parts.extend(_records(old.get(key) or [], new.get(key) or [], what, label))
    if [s["id"] for s in old.get("stages") or []] != [s["id"] for s in new.get("stages") or []]:
        if {s["id"] for s in old.get("stages") or []} == {s["id"] for s in new.get("stages") or []}:
            parts.append("reordered the stages")
    parts.extend(_transitions(old, new))
    if old.get("requirements") != new.get("requirements"):
        parts.append("changed the requirements")
    if len(parts) > _MAX_PARTS:
        rest = len(parts) - _MAX_PARTS
        parts = [*parts[:_MAX_PARTS], f"and {rest} more change{'s' if rest != 1 else ''}"]
    return "; ".join(parts)


def _records(old: list[dict], new: list[dict], what: str, label: str) -> list[str]:
    before = {r["id"]: r for r in old}
    after = {r["id"]: r for r in new}
    parts = [f"added {what} '{r[label]}'" for r in new if r["id"] not in before]
    parts += [f"deleted {what} '{r[label]}'" for r in old if r["id"] not in after]
    for r in new:
        previous = before.get(r["id"])
        if previous is None or previous == r:
            continue
        fields = [
            _FIELD_NAMES.get(name, name)
            for name in r
            if name != "id" and previous.get(name) != r.get(name)
        ]
        if previous.get(label) != r.get(label):
            parts.append(f"renamed {what} '{previous[label]}' to '{r[label]}'")
            fields = [f for f in fields if f != _FIELD_NAMES[label]]
        if fields:
            parts.append(f"changed {what} '{r[label]}' ({', '.join(fields)})")
    return parts


def _transitions(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    titles = {t["id"]: t["title"] for t in (old.get("touchpoints") or [])}
    titles.update({t["id"]: t["title"] for t in (new.get("touchpoints") or [])})
    before = {(t["from"], t["to"]): t.get("share") for t in old.get("transitions") or []}
    after = {(t["from"], t["to"]): t.get("share") for t in new.get("transitions") or []}

    def arrow(pair: tuple[str, str]) -> str:
        return f"'{titles.get(pair[0], pair[0])}' → '{titles.get(pair[1], pair[1])}'"

    gone = {t["id"] for t in old.get("touchpoints") or []} - {
        t["id"] for t in new.get("touchpoints") or []
    }
    parts = [f"connected {arrow(p)}" for p in after if p not in before]
    # A deleted touchpoint's transitions go with it; saying so twice is noise.
    parts += [
        f"disconnected {arrow(p)}"
        for p in before
        if p not in after and p[0] not in gone and p[1] not in gone
    ]
    parts += [
        f"changed the share of {arrow(p)}" for p in after if p in before and before[p] != after[p]
    ]
    return parts
