"""Who may do what on a journey: the one permission check, for members and share links.

A member's role comes from their :class:`Membership`; failing that, from
their role in the journey's workspace (:data:`JOURNEY_ROLE`); a valid share
link opened in this browser session gives the viewer role and nothing more.
No role is a 404, as if the journey did not exist; a role too weak is a 403.
Workspaces have their own roles and actions (:data:`WORKSPACE_ACTIONS`),
checked by :func:`workspace_or_404` the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, g, request, session
from flask_login import current_user
from sqlalchemy import select, update

from app.extensions import db
from app.models import Journey, Membership, ShareLink, Workspace, WorkspaceMember, utcnow

__all__ = [
    "ACTIONS",
    "JOURNEY_ROLE",
    "ROLES",
    "ROLE_WORDS",
    "WORKSPACE_ACTIONS",
    "WORKSPACE_ROLES",
    "WORKSPACE_ROLE_WORDS",
    "can",
    "forget_roles",
    "forget_share",
    "guest_may_comment",
    "journey_or_404",
    "remember_share",
    "role_on",
    "shared_or_signed_in",
    "workspace_or_404",
    "workspace_role",
]

#: The roles on a journey, in the order the Sharing screen lists them.
ROLES: tuple[str, ...] = ("owner", "editor", "reviewer", "viewer")

#: What each role may do, in the words of the Sharing screen (kept true to ``ACTIONS``).
ROLE_WORDS: dict[str, str] = {
    "owner": "everything, including sharing and deleting the journey",
    "editor": "edit stages, touchpoints, transitions and credentials; import; restore revisions",
    "reviewer": "read everything, comment, approve or request changes on touchpoints",
    "viewer": "read, run the gap report, export diagrams and reports",
}

#: The roles that may do each action (spec: People and roles). Roles are not a
#: ladder: editors change the journey but do not sign off on it, reviewers sign
#: off but do not change it; editors may answer a reviewer's comments.
ACTIONS: dict[str, frozenset[str]] = {
    "read": frozenset({"owner", "editor", "reviewer", "viewer"}),
    "comment": frozenset({"owner", "editor", "reviewer"}),
    "review": frozenset({"owner", "reviewer"}),
    "edit": frozenset({"owner", "editor"}),
    "own": frozenset({"owner"}),
}

#: The roles in a workspace (issue 15), in the order its People screen lists them.
WORKSPACE_ROLES: tuple[str, ...] = ("admin", "designer", "reviewer", "viewer")

#: The role a workspace role gives on each of the workspace's journeys, unless the
#: person holds a role on the journey itself, which wins (higher or lower).
JOURNEY_ROLE: dict[str, str] = {
    "admin": "owner",
    "designer": "editor",
    "reviewer": "reviewer",
    "viewer": "viewer",
}

#: What each workspace role may do, in the words of the workspace's People screen.
WORKSPACE_ROLE_WORDS: dict[str, str] = {
    "admin": "add people and journeys to the workspace; owner of its journeys",
    "designer": "editor of the workspace's journeys",
    "reviewer": "reviewer of the workspace's journeys",
    "viewer": "viewer of the workspace's journeys and its Overview",
}

#: The workspace roles that may do each action on the workspace itself. Adding a
#: journey also needs the owner role on that journey.
WORKSPACE_ACTIONS: dict[str, frozenset[str]] = {
    "read": frozenset(WORKSPACE_ROLES),
    "manage": frozenset({"admin"}),
}

#: The session key holding the share links opened in this browser: journey id -> link id.
_SHARES = "shares"
#: How stale a link's "last used" may get before a request under it refreshes it.
_TOUCH_EVERY = timedelta(minutes=1)

View = TypeVar("View", bound=Callable[..., Any])


def remember_share(link: ShareLink) -> None:
    """Let this browser session read the link's journey for as long as the link is valid."""
    shares = dict(session.get(_SHARES, {}))
    shares[str(link.journey_id)] = link.id
    session[_SHARES] = shares


def forget_share(journey_id: int) -> None:
    """Drop this session's share link to a journey, if it holds one."""
    shares = dict(session.get(_SHARES, {}))
    if shares.pop(str(journey_id), None) is not None:
        session[_SHARES] = shares


def _shared_role(journey_id: int) -> str | None:
    """Return ``viewer`` when this session opened a share link to the journey that still works."""
    link_id = session.get(_SHARES, {}).get(str(journey_id))
    if link_id is None:
        return None
    link = db.session.get(ShareLink, link_id)
    if link is None or link.journey_id != journey_id or link.state() != "active":
        # Revoked or expired links stop working mid-session too.
        forget_share(journey_id)
        return None
    now = utcnow()
    if link.last_used_at is None or now - link.last_used_at > _TOUCH_EVERY:
        # A statement of its own, so no pending change of the view is committed with it.
        db.session.execute(
            update(ShareLink).where(ShareLink.id == link.id).values(last_used_at=now)
        )
        db.session.commit()
    return "viewer"


def guest_may_comment(journey_id: int) -> bool:
    """Return whether this visitor reads the journey through a working link that allows comments.

    Members comment by their role (:func:`can`); this is for share-link guests only.
    """
    if role_on(journey_id) != "viewer":
        return False
    if current_user.is_authenticated and _member_role(journey_id):
        return False
    link_id = session.get(_SHARES, {}).get(str(journey_id))
    link = db.session.get(ShareLink, link_id) if link_id is not None else None
    return link is not None and link.state() == "active" and bool(link.allow_comments)


def role_on(journey_id: int) -> str | None:
    """Return the current visitor's role on a journey, or None.

    A member's own role wins over a share link's viewer role.
    """
    cache: dict[int, str | None] = g.setdefault("_roles", {})
    if journey_id not in cache:
        role = _member_role(journey_id) if current_user.is_authenticated else None
        cache[journey_id] = role or _shared_role(journey_id)
    return cache[journey_id]


def _member_role(journey_id: int) -> str | None:
    """Return the signed-in person's own role on the journey, else the one its workspace gives.

    One query: the journey-level role, if any, overrides the workspace's.
    """
    own = (
        select(Membership.role)
        .where(Membership.user_id == current_user.id, Membership.journey_id == journey_id)
        .scalar_subquery()
    )
    inherited = (
        select(WorkspaceMember.role)
        .join(Journey, Journey.workspace_id == WorkspaceMember.workspace_id)
        .where(Journey.id == journey_id, WorkspaceMember.user_id == current_user.id)
        .scalar_subquery()
    )
    row = db.session.execute(select(own, inherited)).one()
    return row[0] or JOURNEY_ROLE.get(row[1] or "")


def workspace_role(workspace_id: int) -> str | None:
    """Return the signed-in person's role in the workspace, or None (share links give none)."""
    if not current_user.is_authenticated:
        return None
    cache: dict[int, str | None] = g.setdefault("_workspace_roles", {})
    if workspace_id not in cache:
        cache[workspace_id] = db.session.scalar(
            select(WorkspaceMember.role).where(
                WorkspaceMember.workspace_id == workspace_id,
                WorkspaceMember.user_id == current_user.id,
            )
        )
    return cache[workspace_id]


def workspace_or_404(workspace_id: int, action: str = "read") -> Workspace:
    """Return the workspace if the signed-in person may do ``action`` in it, else abort.

    Someone outside the workspace gets a 404, as if it did not exist; a role
    too weak for the action is a 403.
    """
    workspace = db.session.get(Workspace, workspace_id)
    role = workspace_role(workspace_id) if workspace is not None else None
    if workspace is None or role is None:
        abort(404)
    if role not in WORKSPACE_ACTIONS[action]:
        abort(403)
    return workspace


def forget_roles() -> None:
    """Forget the roles worked out in this request, after they changed."""
    g.pop("_roles", None)
    g.pop("_workspace_roles", None)


def _allows(role: str | None, action: str) -> bool:
    return role in ACTIONS[action]


def can(journey: Journey | int, action: str) -> bool:
    """Return whether the current visitor may do ``action`` on the journey."""
    journey_id = journey if isinstance(journey, int) else journey.id
    return _allows(role_on(journey_id), action)


def journey_or_404(journey_id: int, action: str = "read", *, trashed: bool = False) -> Journey:
    """Return the journey if the current visitor may do ``action`` on it, else abort.

    No role (or a journey in the trash, unless ``trashed``) is a 404, as if the
    journey did not exist; a role too weak for the action is a 403.
    """
    journey = db.session.get(Journey, journey_id)
    role = role_on(journey_id) if journey is not None else None
    if journey is None or role is None or (journey.deleted_at is not None) != trashed:
        abort(404)
    if not _allows(role, action):
        abort(403)
    return journey


def shared_or_signed_in(view: View) -> View:
    """Return ``view`` open to the signed-in and to sessions that opened a link to its journey.

    ``login_required`` for the pages a share link may read: a visitor who is
    neither is sent to sign in; whether the link still works, and what it
    allows, is :func:`journey_or_404`'s to decide.
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        shared = str(kwargs.get("journey_id")) in session.get(_SHARES, {})
        if request.method == "OPTIONS" or current_user.is_authenticated or shared:
            return view(*args, **kwargs)
        return current_app.login_manager.unauthorized()

    return wrapped  # type: ignore[return-value]
