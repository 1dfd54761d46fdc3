"""Faculty review of the touchpoints that mention a credential: state, threads, reset on edit.

A touchpoint's review state is *not reviewed* until a reviewer approves it or
requests changes; each decision, comment and reply is an entry of the
touchpoint's thread. Editing a reviewed touchpoint's title, content or
messages sends it back to *not reviewed* (see :func:`reset_changed`, called
by every save), and the people concerned are told.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import flash, has_request_context
from sqlalchemy import select

from app.extensions import db
from app.models import REVIEW_STATES, Comment, Journey, Review, Revision, User, utcnow
from app.notifications import members, notify
from journeys import model as engine
from journeys.mentions import mentions

__all__ = [
    "DECISIONS",
    "Node",
    "Reset",
    "add_comment",
    "awaiting",
    "card_states",
    "decide",
    "mentioning",
    "reset_changed",
    "say_reset",
    "state_of",
    "states",
    "threads",
]

#: The states a reviewer can set.
DECISIONS: tuple[str, ...] = ("approved", "changes_requested")
#: The fields whose change undoes a review.
_REVIEWED_FIELDS: dict[str, str] = {"title": "title", "content": "content", "messages": "messages"}
#: Roles told when a reviewer decides: the people who write the journey.
_DESIGNERS = ("owner", "editor")


@dataclass(frozen=True)
class Reset:
    """A touchpoint an edit sent back to *not reviewed*, and the state it had."""

    key: str
    title: str
    was: str


@dataclass
class Node:
    """A comment of a thread with its replies, oldest first."""

    comment: Comment
    replies: list[Node] = field(default_factory=list)


def mentioning(source: engine.Journey) -> dict[str, frozenset[str]]:
    """Return the touchpoints that mention a credential (spec section 2) and what they mention."""
    return {key: cids for key, cids in mentions(source).items() if cids}


def states(journey_id: int) -> dict[str, Review]:
    """Return the journey's reviews by touchpoint id."""
    return {
        r.touchpoint_key: r
        for r in db.session.scalars(select(Review).where(Review.journey_id == journey_id))
    }


def state_of(reviews: dict[str, Review], key: str) -> str:
    """Return a touchpoint's review state from :func:`states`."""
    review = reviews.get(key)
    return review.state if review is not None else "not_reviewed"


def card_states(journey_id: int, source: engine.Journey) -> dict[str, str]:
    """Return the review state of each touchpoint that mentions a credential, for the map."""
    reviews = states(journey_id)
    return {key: state_of(reviews, key) for key in mentioning(source)}


def awaiting(sources: dict[int, engine.Journey]) -> dict[int, int]:
    """Return, by journey id, how many mentioning touchpoints nobody has reviewed yet.

    One query for every journey's reviews, however many journeys there are.
    """
    reviewed: dict[int, set[str]] = {journey_id: set() for journey_id in sources}
    for journey_id, key in db.session.execute(
        select(Review.journey_id, Review.touchpoint_key).where(
            Review.journey_id.in_(list(sources)), Review.state != "not_reviewed"
        )
    ):
        reviewed[journey_id].add(key)
    return {
        journey_id: sum(1 for key in mentioning(source) if key not in reviewed[journey_id])
        for journey_id, source in sources.items()
    }


def threads(journey_id: int) -> dict[str, list[Node]]:
    """Return each touchpoint's thread: top comments oldest first, each with its replies."""
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.journey_id == journey_id, Comment.place == "touchpoint")
        .order_by(Comment.created_at, Comment.id)
    ).all()
    nodes = {c.id: Node(c) for c in comments}
    result: dict[str, list[Node]] = {}
    for c in comments:
        parent = nodes.get(c.parent_id) if c.parent_id is not None else None
        if parent is not None:
            parent.replies.append(nodes[c.id])
        else:
            result.setdefault(c.touchpoint_key, []).append(nodes[c.id])
    return result


def _set_state(journey: Journey, key: str, state: str, user: User | None) -> Review:
    review = db.session.scalar(
        select(Review).where(Review.journey_id == journey.id, Review.touchpoint_key == key)
    )
    if review is None:
        review = Review(journey_id=journey.id, touchpoint_key=key)
        db.session.add(review)
    review.state = state
    review.user_id = user.id if user else None
    review.changed_at = utcnow()
    return review


def decide(
    journey: Journey, touchpoint: engine.Touchpoint, state: str, user: User, body: str = ""
) -> Comment:
    """Approve a touchpoint or request changes, with an optional comment; tell the designers.

    The caller commits.
    """
    if state not in DECISIONS:
        raise ValueError(f"not a review decision: {state!r}")
    _set_state(journey, touchpoint.id, state, user)
    entry = Comment(
        journey_id=journey.id, touchpoint_key=touchpoint.id, user_id=user.id, kind=state, body=body
    )
    db.session.add(entry)
    if state == "approved":
        text = f"{user.name} approved '{touchpoint.title}' in '{journey.title}'."
    else:
        text = f"{user.name} requested changes to '{touchpoint.title}' in '{journey.title}': {body}"
    notify(members(journey, _DESIGNERS), journey, state, text, touchpoint.id, actor=user)
    return entry


def add_comment(
    journey: Journey,
    touchpoint: engine.Touchpoint,
    user: User,
    body: str,
    parent: Comment | None = None,
) -> Comment:
    """Add a comment to a touchpoint's thread, or a reply to ``parent``; the caller commits."""
    entry = Comment(
        journey_id=journey.id,
        touchpoint_key=touchpoint.id,
        user_id=user.id,
        parent_id=parent.id if parent else None,
        body=body,
    )
    db.session.add(entry)
    if parent is not None:
        text = f"{user.name} replied to you about '{touchpoint.title}' in '{journey.title}'."
        notify([parent.user], journey, "reply", text, touchpoint.id, actor=user)
    from app.comments import tell_mentioned  # app.comments builds on this module

    tell_mentioned(journey, body, user.name, f"'{touchpoint.title}'", touchpoint.id, actor=user)
    return entry


def _reviewed(record: dict[str, Any]) -> dict[str, Any]:
    """Return what a review looks at in a touchpoint of a journey document."""
    messages = {cid: tuple(kinds) for cid, kinds in (record.get("messages") or {}).items() if kinds}
    return {
        "title": record.get("title", ""),
        "content": record.get("content") or "",
        "messages": messages,
    }


def _changed(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """Return the reviewed fields that differ; all of them for a touchpoint that is new."""
    if before is None:
        return list(_REVIEWED_FIELDS.values())
    old, new = _reviewed(before), _reviewed(after)
    return [label for name, label in _REVIEWED_FIELDS.items() if old[name] != new[name]]


def reset_changed(journey: Journey, revision: Revision, user: User | None) -> list[Reset]:
    """Send reviewed touchpoints whose words changed in ``revision`` back to *not reviewed*.

    Compares the revision with the one before it. An approved touchpoint's
    owners are told (and its reviewer asked again); a touchpoint with changes
    requested asks its reviewer to look again. Returns what was reset, for
    :func:`say_reset` once the change is committed; the caller commits.
    """
    reviews = [
        r
        for r in db.session.scalars(select(Review).where(Review.journey_id == journey.id))
        if r.state in DECISIONS
    ]
    if not reviews:
        return []
    previous = db.session.scalar(
        select(Revision.document).where(
            Revision.journey_id == journey.id, Revision.number == revision.number - 1
        )
    )
    before = {t["id"]: t for t in (previous or {}).get("touchpoints", [])}
    after = {t["id"]: t for t in revision.document.get("touchpoints", [])}
    reset = []
    for review in reviews:
        record = after.get(review.touchpoint_key)
        # A deleted touchpoint keeps its review: should it come back, it differs from
        # the revision before it and is reset then.
        fields = _changed(before.get(review.touchpoint_key), record) if record else []
        if not fields:
            continue
        reset.append(Reset(review.touchpoint_key, record["title"], review.state))
        _reset(journey, review, record["title"], fields, user)
    return reset


def say_reset(reset: Iterable[Reset]) -> None:
    """Tell whoever saved that their change sent approved touchpoints back for review."""
    titles = [f"'{r.title}'" for r in reset if r.was == "approved"]
    if titles and has_request_context():
        flash(
            f"{', '.join(titles)} {'was' if len(titles) == 1 else 'were'} approved; "
            "your change sends it back for review and its owners are told.",
            "info",
        )


def _reset(
    journey: Journey, review: Review, title: str, fields: Iterable[str], user: User | None
) -> None:
    was, reviewer = review.state, review.user
    who = user.name if user else "Someone"
    what = ", ".join(fields)
    db.session.add(
        Comment(
            journey_id=journey.id,
            touchpoint_key=review.touchpoint_key,
            user_id=user.id if user else None,
            kind="not_reviewed",
            body=f"Changed its {what} after it was {REVIEW_STATES[was].lower()}: "
            "it needs review again.",
        )
    )
    review.state = "not_reviewed"
    review.user_id = user.id if user else None
    review.changed_at = utcnow()
    key = review.touchpoint_key
    if was == "approved":
        text = (
            f"{who} changed the {what} of '{title}' in '{journey.title}' after "
            f"{reviewer.name if reviewer else 'a reviewer'} approved it: it is not reviewed now."
        )
        notify(members(journey, ("owner",)), journey, "reset", text, key, actor=user)
    ask = f"{who} changed the {what} of '{title}' in '{journey.title}': please review it again."
    notify([reviewer], journey, "review_requested", ask, key, actor=user)
