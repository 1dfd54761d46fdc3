"""Comments anywhere: threads on the journey, a stage, a touchpoint or a finding of the gap report.

A thread's place is ``(place, key)``: ``("journey", "")``, ``("stage", stage id)``,
``("touchpoint", touchpoint id)`` or ``("finding", finding key)``, where a
finding's key is made of the engine's own fields (:func:`finding_key`), so it
follows the finding as long as the engine reports it. Comments and replies
can be resolved and reopened; ``@name`` tells the person of that name
(:func:`handles` says how two people of one name are told apart).
Share-link guests may comment where the link allows it, under a name they
give, marked as a guest.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import or_, select

from app.extensions import db
from app.models import Comment, Journey, Membership, User, WorkspaceMember, utcnow
from app.notifications import notify
from app.reviews import Node
from journeys.findings import Finding

__all__ = [
    "PLACES",
    "add",
    "count",
    "find",
    "finding_key",
    "handles",
    "mentioned",
    "open_count",
    "people",
    "resolve",
    "tell_mentioned",
    "thread",
    "threads",
]

#: The kinds of place a thread can be on.
PLACES: tuple[str, ...] = ("journey", "stage", "touchpoint", "finding")
MAX_COMMENT = 5000
MAX_GUEST_NAME = 80


def finding_key(finding: Finding) -> str:
    """Return the key a finding's thread is kept under: its rule, credential, touchpoint, message.

    >>> finding_key(Finding("r", "high", "badge", "tp1", "claim", None, "s", "a"))
    'r|badge|tp1|claim'
    """
    parts = (finding.rule, finding.credential, finding.touchpoint, finding.message)
    return "|".join(p or "" for p in parts)[:300]


def _key_column(place: str):
    return Comment.touchpoint_key if place == "touchpoint" else Comment.place_key


def threads(journey_id: int) -> dict[tuple[str, str], list[Node]]:
    """Return every thread of the journey by place: top comments oldest first, with replies."""
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.journey_id == journey_id)
        .order_by(Comment.created_at, Comment.id)
    ).all()
    nodes = {c.id: Node(c) for c in comments}
    result: dict[tuple[str, str], list[Node]] = {}
    for c in comments:
        parent = nodes.get(c.parent_id) if c.parent_id is not None else None
        if parent is not None:
            parent.replies.append(nodes[c.id])
        else:
            key = c.touchpoint_key if c.place == "touchpoint" else c.place_key
            result.setdefault((c.place, key), []).append(nodes[c.id])
    return result


def thread(journey_id: int, place: str, key: str) -> list[Node]:
    """Return one place's thread."""
    return threads(journey_id).get((place, key), [])


def count(nodes: Iterable[Node]) -> int:
    """Return how many comments a thread holds, replies at every depth included."""
    return sum(1 + count(n.replies) for n in nodes)


def open_count(nodes: Iterable[Node]) -> int:
    """Return how many comments of a thread are not resolved, replies included."""
    return sum((n.comment.resolved_at is None) + open_count(n.replies) for n in nodes)


def people(journey: Journey) -> list[User]:
    """Return everyone who holds a role on the journey, their own or through its workspace."""
    own = select(Membership.user_id).where(Membership.journey_id == journey.id)
    condition = User.id.in_(own)
    if journey.workspace_id is not None:
        given = select(WorkspaceMember.user_id).where(
            WorkspaceMember.workspace_id == journey.workspace_id
        )
        condition = or_(condition, User.id.in_(given))
    return list(db.session.scalars(select(User).where(condition).order_by(User.id)))


def handles(journey: Journey) -> list[tuple[User, str]]:
    """Return the journey's people by name, each with the ``@`` handle that tells only them.

    A handle is the display name; when two people share one, each handle
    gets a short suffix, ``#`` and the account's number (``Sam Lee#7``), so
    they can be told apart. ``@Sam Lee`` alone then tells both.
    """
    found = people(journey)
    shared = Counter(p.name.casefold() for p in found)
    return [
        (p, p.name if shared[p.name.casefold()] == 1 else f"{p.name}#{p.id}")
        for p in sorted(found, key=lambda p: (p.name.casefold(), p.id))
    ]


def mentioned(journey: Journey, body: str) -> list[User]:
    """Return the people of the journey whose handle (:func:`handles`) follows an ``@`` in ``body``.

    Longer handles are matched first, so ``@Ada Byron`` tells Ada Byron, not
    someone called Ada, and ``@Sam Lee#7`` tells only that Sam Lee; a name
    two people share, without its suffix, tells both.
    """
    if "@" not in body:
        return []
    told: dict[str, list[User]] = {}
    for person, handle in handles(journey):
        told.setdefault(handle.casefold(), []).append(person)
        if handle != person.name:
            told.setdefault(person.name.casefold(), []).append(person)
    text = body.casefold()
    found: list[User] = []
    taken: list[tuple[int, int]] = []
    for handle in sorted(told, key=lambda h: -len(h)):
        pattern = re.compile(rf"@{re.escape(handle)}(?![\w#])")
        for match in pattern.finditer(text):
            span = match.span()
            if any(a <= span[0] < b for a, b in taken):
                continue
            taken.append(span)
            found.extend(p for p in told[handle] if p not in found)
            break
    return found


def tell_mentioned(
    journey: Journey,
    body: str,
    who: str,
    where: str,
    touchpoint_key: str | None = None,
    *,
    actor: User | None = None,
) -> None:
    """Notify each member ``@named`` in a comment; the caller commits."""
    people = mentioned(journey, body)
    if people:
        text = f"{who} mentioned you on {where} in '{journey.title}'."
        notify(people, journey, "mention", text, touchpoint_key, actor=actor)


def add(
    journey: Journey,
    place: str,
    key: str,
    body: str,
    where: str,
    *,
    user: User | None = None,
    guest_name: str | None = None,
    parent: Comment | None = None,
) -> Comment:
    """Add a comment (or a reply to ``parent``) by a member or a named guest; the caller commits.

    ``where`` says the place in words for notifications, e.g. ``stage 'Enrol'``.
    """
    if place not in PLACES:
        raise ValueError(f"not a place for comments: {place!r}")
    if (user is None) == (guest_name is None):
        raise ValueError("a comment is by a member or by a named guest")
    entry = Comment(
        journey_id=journey.id,
        place=place,
        touchpoint_key=key if place == "touchpoint" else "",
        place_key="" if place == "touchpoint" else key,
        user_id=user.id if user else None,
        guest_name=guest_name,
        parent_id=parent.id if parent else None,
        body=body,
    )
    db.session.add(entry)
    who = user.name if user else f"{guest_name} (guest)"
    tp = key if place == "touchpoint" else None
    if parent is not None and parent.user is not None:
        text = f"{who} replied to you on {where} in '{journey.title}'."
        notify([parent.user], journey, "reply", text, tp, actor=user)
    tell_mentioned(journey, body, who, where, tp, actor=user)
    return entry


def find(journey: Journey, comment_id: int, place: str | None = None, key: str = "") -> Comment:
    """Return a comment of the journey (at the place, if given), or raise LookupError."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.journey_id != journey.id:
        raise LookupError(comment_id)
    if place is not None:
        own = comment.touchpoint_key if comment.place == "touchpoint" else comment.place_key
        if comment.place != place or own != key:
            raise LookupError(comment_id)
    return comment


def resolve(comment: Comment, user: User) -> bool:
    """Resolve a comment, or reopen it if resolved; return whether it is resolved now."""
    if comment.resolved_at is None:
        comment.resolved_at, comment.resolved_by_id = utcnow(), user.id
        return True
    comment.resolved_at, comment.resolved_by_id = None, None
    return False
