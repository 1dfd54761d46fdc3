"""Invitations: an owner brings someone into a journey, or an admin into a workspace, by email.

Everyone invited gets a link, ``/invite/<token>``: signed out it leads to
sign-up (then sign-in, which returns to it), and signed in they accept it,
which grants the role. Whether the email has an account changes nothing.
A link works once, until it expires or is revoked. Its token is 32 random
bytes from :mod:`secrets`; only its SHA-256 digest is stored, and the digest
found is compared again in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app, session, url_for
from sqlalchemy import select

from app.extensions import db
from app.models import Invitation, Journey, Membership, User, Workspace, WorkspaceMember, utcnow
from app.notifications import notify

__all__ = [
    "DAYS",
    "accept",
    "find",
    "forget_pending",
    "new_invitation",
    "new_workspace_invitation",
    "pending",
    "pending_token",
    "remember_pending",
    "revoke",
    "welcome",
]

#: How long an invitation works unless the ``INVITATION_DAYS`` setting says otherwise.
DAYS = 14
#: The session key holding the invitation opened before signing up: [id, token].
_PENDING = "invitation"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_invitation(journey: Journey, email: str, role: str, by: User) -> tuple[Invitation, str]:
    """Add an invitation and return it with its token, which is not stored; the caller commits."""
    return _new(email, role, by, journey_id=journey.id)


def new_workspace_invitation(
    workspace: Workspace, email: str, role: str, by: User
) -> tuple[Invitation, str]:
    """Add an invitation to a workspace with a workspace role, and return it with its token."""
    return _new(email, role, by, workspace_id=workspace.id)


def _new(email: str, role: str, by: User, **place: int) -> tuple[Invitation, str]:
    token = secrets.token_urlsafe(32)
    days = int(current_app.config.get("INVITATION_DAYS", DAYS))
    invitation = Invitation(
        **place,
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
    if invitation.state() != "pending":
        return None
    if invitation.journey is not None and invitation.journey.deleted_at is not None:
        return None
    return invitation


def revoke(invitation_id: int, **place: int) -> Invitation | None:
    """Revoke an invitation to the place given (``journey_id=`` or ``workspace_id=``).

    Return it, its link now opening nothing (one already used, revoked or expired
    stays as it was), or None when no such invitation is to that place.
    """
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or any(getattr(invitation, k) != v for k, v in place.items()):
        return None
    if invitation.state() == "pending":
        invitation.revoked_at = utcnow()
        db.session.commit()
    return invitation


def accept(invitation: Invitation, user: User) -> str:
    """Give ``user`` the invitation's role and use it up; return the role they now hold.

    Someone who already holds a role keeps it: an invitation never takes a
    role away. The caller commits.
    """
    invitation.used_at = utcnow()
    invitation.used_by_id = user.id
    if invitation.workspace_id is not None:
        member = db.session.get(WorkspaceMember, (invitation.workspace_id, user.id))
        if member is not None:
            return member.role
        db.session.add(
            WorkspaceMember(workspace_id=invitation.workspace_id, user=user, role=invitation.role)
        )
        return invitation.role
    journey = invitation.journey
    if journey is None:  # exactly one of journey and workspace is set
        raise ValueError("an invitation to neither a journey nor a workspace")
    held = db.session.get(Membership, (user.id, journey.id))
    if held is not None:
        return held.role
    db.session.add(Membership(user=user, journey=journey, role=invitation.role))
    inviter = invitation.created_by
    who = user.name
    notify(
        [inviter],
        journey,
        "added",
        f"{who} accepted your invitation to '{journey.title}' as {invitation.role}.",
        actor=user,
    )
    if invitation.role == "reviewer" and inviter is not None:
        # As everyone added as a reviewer is: asked on their home page to review.
        notify(
            [user],
            journey,
            "review_requested",
            f"{inviter.name} asked you to review the credential mentions in '{journey.title}'.",
            actor=inviter,
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


def welcome(invitation: Invitation, role: str) -> tuple[str, str]:
    """Return what to tell someone who accepted ``invitation`` holding ``role``, and where to go.

    A journey's invitation opens its map; a workspace's opens the workspace.
    """
    text = f"You are {role} on '{invitation.place_title}'."
    if invitation.workspace_id is not None:
        return text, url_for("workspaces.show", workspace_id=invitation.workspace_id)
    return text, url_for("map.show", journey_id=invitation.journey_id)


def pending_token() -> str | None:
    """Return the token of the invitation this session opened, if any (it may no longer work)."""
    held = session.get(_PENDING)
    return str(held[1]) if held and len(held) == 2 else None
