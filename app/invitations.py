"""Invitations: an owner brings someone into a journey by email, with a role.

Someone with no account yet gets a link, ``/invite/<token>``, that leads to
sign-up and grants the role; someone who has one can accept it signed in.
A link works once, until it expires or is revoked. Its token is 32 random
bytes from :mod:`secrets`; only its SHA-256 digest is stored, and the digest
found is compared again in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app, session
from sqlalchemy import select

from app.extensions import db
from app.models import Invitation, Journey, Membership, User, utcnow
from app.notifications import notify

__all__ = [
    "DAYS",
    "accept",
    "accept_pending",
    "find",
    "forget_pending",
    "new_invitation",
    "pending",
    "remember_pending",
]

#: How long an invitation works unless the ``INVITATION_DAYS`` setting says otherwise.
DAYS = 14
#: The session key holding the invitation opened before signing up: [id, token].
_PENDING = "invitation"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_invitation(journey: Journey, email: str, role: str, by: User) -> tuple[Invitation, str]:
    """Add an invitation and return it with its token, which is not stored; the caller commits."""
    token = secrets.token_urlsafe(32)
    days = int(current_app.config.get("INVITATION_DAYS", DAYS))
    invitation = Invitation(
        journey_id=journey.id,
        email=email,
        role=role,
        token_digest=_digest(token),
        created_by_id=by.id,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(invitation)
    return invitation, token


def find(token: str) -> Invitation | None:
    """Return the pending invitation the token opens, or None (used, revoked, expired, unknown)."""
    wanted = _digest(token)
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_digest == wanted))
    if invitation is None or not hmac.compare_digest(invitation.token_digest, wanted):
        return None
    if invitation.state() != "pending" or invitation.journey.deleted_at is not None:
        return None
    return invitation


def accept(invitation: Invitation, user: User) -> str:
    """Give ``user`` the invitation's role and use it up; return the role they now hold.

    Someone who already holds a role keeps it: an invitation never takes a
    role away. The caller commits.
    """
    invitation.used_at = utcnow()
    invitation.used_by_id = user.id
    held = db.session.get(Membership, (user.id, invitation.journey_id))
    if held is not None:
        return held.role
    db.session.add(Membership(user=user, journey=invitation.journey, role=invitation.role))
    inviter = invitation.created_by
    who = user.name
    notify(
        [inviter],
        invitation.journey,
        "added",
        f"{who} accepted your invitation to '{invitation.journey.title}' as {invitation.role}.",
        actor=user,
    )
    return invitation.role


def remember_pending(invitation: Invitation, token: str) -> None:
    """Keep an opened invitation in this browser's session until its owner signs up."""
    session[_PENDING] = [invitation.id, token]


def forget_pending() -> None:
    """Drop the invitation this session holds, if any."""
    session.pop(_PENDING, None)


def pending() -> Invitation | None:
    """Return the invitation this session opened, if it still works."""
    held = session.get(_PENDING)
    if not held or len(held) != 2:
        return None
    invitation = find(str(held[1]))
    if invitation is None or invitation.id != held[0]:
        forget_pending()
        return None
    return invitation


def accept_pending(user: User) -> Invitation | None:
    """Accept the invitation this session opened for the new account; the caller commits."""
    invitation = pending()
    if invitation is not None:
        accept(invitation, user)
        forget_pending()
    return invitation
