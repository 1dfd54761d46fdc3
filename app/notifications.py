"""Notifications in the app: what changed for each person, shown on their home page until read."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user, login_required
from sqlalchemy import select, update
from werkzeug.wrappers import Response

from app.extensions import db
from app.models import Journey, Membership, Notification, User, utcnow

__all__ = ["KINDS", "bp", "members", "notify", "unread"]

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

#: Kind -> how the home page labels it.
KINDS: dict[str, str] = {
    "review_requested": "Review requested",
    "changes_requested": "Changes requested",
    "approved": "Approved",
    "reset": "Needs review again",
    "reply": "Reply",
    "added": "Added to a journey",
    "mention": "Mentioned",
}

#: How many unread notifications the home page lists.
SHOWN = 50


def members(journey: Journey, roles: Iterable[str]) -> list[User]:
    """Return the people holding one of ``roles`` on the journey."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership)
            .where(Membership.journey_id == journey.id, Membership.role.in_(tuple(roles)))
            .order_by(User.email)
        )
    )


def notify(
    people: Iterable[User | None],
    journey: Journey,
    kind: str,
    text: str,
    touchpoint_key: str | None = None,
    *,
    actor: User | None = None,
) -> None:
    """Add a notification for each person, once each, leaving out whoever caused it.

    The caller commits, so a notification is kept exactly when its change is.
    """
    seen: set[int] = set() if actor is None else {actor.id}
    for person in people:
        if person is None or person.id in seen:
            continue
        seen.add(person.id)
        db.session.add(
            Notification(
                user_id=person.id,
                journey_id=journey.id,
                kind=kind,
                text=text,
                touchpoint_key=touchpoint_key,
            )
        )


def unread(user: User) -> list[Notification]:
    """Return the user's unread notifications, newest first, about journeys they still hold."""
    return list(
        db.session.scalars(
            select(Notification)
            .join(Journey, Journey.id == Notification.journey_id)
            .join(
                Membership,
                (Membership.journey_id == Notification.journey_id)
                & (Membership.user_id == Notification.user_id),
            )
            .where(
                Notification.user_id == user.id,
                Notification.read_at.is_(None),
                Journey.deleted_at.is_(None),
            )
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(SHOWN)
        )
    )


@bp.post("/read")
@login_required
def read() -> Response:
    """Mark all my notifications as read and go back to the journeys."""
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    flash("Marked your notifications as read.", "info")
    return redirect(url_for("journeys.index"))
