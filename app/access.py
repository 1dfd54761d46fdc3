"""Find the journey a request is about, as 404 to anyone who holds no role on it."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.models import ROLES, Journey, Membership

__all__ = ["ACTIONS", "journey_or_404", "role_on"]

#: The least role each action needs (spec: People and roles).
ACTIONS: dict[str, str] = {"read": "viewer", "edit": "editor", "own": "owner"}


def role_on(journey_id: int) -> str | None:
    """Return the signed-in user's role on a journey, or None."""
    return db.session.scalar(
        select(Membership.role).where(
            Membership.user_id == current_user.id, Membership.journey_id == journey_id
        )
    )


def journey_or_404(journey_id: int, action: str = "read", *, trashed: bool = False) -> Journey:
    """Return the journey if the signed-in user may do ``action`` on it, else abort.

    No role (or a journey in the trash, unless ``trashed``) is a 404, as if the
    journey did not exist; a role too weak for the action is a 403.
    """
    journey = db.session.get(Journey, journey_id)
    role = role_on(journey_id) if journey is not None else None
    if journey is None or role is None or (journey.deleted_at is not None) != trashed:
        abort(404)
    if ROLES.index(role) > ROLES.index(ACTIONS[action]):
        abort(403)
    return journey
