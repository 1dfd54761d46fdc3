"""The database tables: accounts, journeys with their working copy, and revisions.

The rows of a journey (credentials, stages, touchpoints, transitions) are its
working copy; every saved change also leaves a :class:`Revision` holding the
whole journey document, so nothing saved is ever lost. Each editable record
carries a ``version`` that changes on every update: a form posts the version
it was built from, and a save on a stale version is refused.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db

__all__ = [
    "REVIEW_STATES",
    "Comment",
    "Credential",
    "Invitation",
    "OutcomeImport",
    "Journey",
    "Membership",
    "Notification",
    "Review",
    "Revision",
    "ShareLink",
    "Stage",
    "Touchpoint",
    "Transition",
    "User",
    "Workspace",
    "WorkspaceMember",
    "name_from_email",
    "utcnow",
]

#: A touchpoint's review state -> how the pages say it; no :class:`Review` row is the first.
REVIEW_STATES: dict[str, str] = {
    "not_reviewed": "Not reviewed",
    "approved": "Approved",
    "changes_requested": "Changes requested",
}


def utcnow() -> datetime:
    """Return the current UTC time without a zone, as every table stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


def name_from_email(email: str) -> str:
    """Return a display name made from an email's local part.

    >>> name_from_email("ada.lovelace@example.com")
    'ada.lovelace'
    """
    return email.split("@", 1)[0][:80]


def _new_version(_current: Any = None) -> str:
    return uuid.uuid4().hex


def _versioned(version: Any) -> dict[str, Any]:
    """Return mapper arguments that make ``version`` change on every update.

    A random value rather than a counter: a record deleted and restored never
    gets back a version an old form could still hold.
    """
    return {"version_id_col": version, "version_id_generator": _new_version}


class User(UserMixin, db.Model):
    """An account, signed in with email and password."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: How the pages name this person to others; their email is shown only to them and owners.
    display_name: Mapped[str] = mapped_column(String(80), default="", server_default="")
    #: Part of every session of this account (issue 9): changed by signing out or a new
    #: password, so a copied session cookie opens nothing afterwards.
    session_stamp: Mapped[str] = mapped_column(String(32), default=_new_version, server_default="")
    #: When ``flask send-digests`` last emailed this person (issue 15): a digest holds
    #: only what came after, so a second run the same day sends nothing new.
    digest_sent_at: Mapped[datetime | None] = mapped_column(default=None)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def set_password(self, password: str) -> None:
        """Store a salted hash of ``password``, never the password itself; end other sessions."""
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def end_sessions(self) -> None:
        """Make every session cookie of this account, copied or not, open nothing."""
        self.session_stamp = _new_version()

    def get_id(self) -> str:
        """Return the id kept in the session: the account's id and its session stamp."""
        return f"{self.id}:{self.session_stamp or ''}"

    def check_password(self, password: str) -> bool:
        """Return whether ``password`` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @property
    def name(self) -> str:
        """Return the display name, or the part of the email before the @ if there is none."""
        return self.display_name or name_from_email(self.email)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Membership(db.Model):
    """A user's role on a journey; nobody sees a journey they hold no role on."""

    __tablename__ = "memberships"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    journey_id: Mapped[int] = mapped_column(
        ForeignKey("journeys.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), default="owner")

    user: Mapped[User] = relationship(back_populates="memberships")
    journey: Mapped[Journey] = relationship(back_populates="memberships")


class Journey(db.Model):
    """A learner journey: its own fields, its working copy and its history."""

    __tablename__ = "journeys"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: The file's own requirements as plain data, or None for the defaults.
    requirements: Mapped[list[dict[str, str]] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Set when the journey is in the trash.
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)
    version: Mapped[str] = mapped_column(String(32))
    #: The workspace the journey belongs to, whose people hold roles on it (issue 15).
    workspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("workspaces.id", ondelete="SET NULL"), default=None, index=True
    )

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="journey", cascade="all, delete-orphan"
    )
    credentials: Mapped[list[Credential]] = relationship(
        back_populates="journey", cascade="all, delete-orphan", order_by="Credential.position"
    )
    stages: Mapped[list[Stage]] = relationship(
        back_populates="journey", cascade="all, delete-orphan", order_by="Stage.position"
    )
    touchpoints: Mapped[list[Touchpoint]] = relationship(
        back_populates="journey", cascade="all, delete-orphan", order_by="Touchpoint.position"
    )
    transitions: Mapped[list[Transition]] = relationship(
        back_populates="journey", cascade="all, delete-orphan", order_by="Transition.position"
    )
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="journey", cascade="all, delete-orphan", order_by="Revision.number"
    )

    __mapper_args__ = _versioned(version)

    def __repr__(self) -> str:
        return f"<Journey {self.id} {self.title!r}>"


class Credential(db.Model):
    """A badge or microcredential the journey awards; ``key`` is its id in the file."""

    __tablename__ = "credentials"
    __table_args__ = (UniqueConstraint("journey_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    criteria: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    issuer: Mapped[str] = mapped_column(Text, default="")
    requires_claim: Mapped[bool] = mapped_column(default=True)
    #: Open Badges' achievementType or similar, e.g. Certificate (issue 13).
    achievement_type: Mapped[str] = mapped_column(String(100), default="", server_default="")
    #: The credential definition's own id or address (issue 13).
    url: Mapped[str] = mapped_column(Text, default="", server_default="")
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[str] = mapped_column(String(32))

    journey: Mapped[Journey] = relationship(back_populates="credentials")

    __mapper_args__ = _versioned(version)


class Stage(db.Model):
    """A column of the journey map, kept in journey order by ``position``."""

    __tablename__ = "stages"
    __table_args__ = (UniqueConstraint("journey_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[str] = mapped_column(String(32))

    journey: Mapped[Journey] = relationship(back_populates="stages")
    touchpoints: Mapped[list[Touchpoint]] = relationship(
        back_populates="stage", order_by="Touchpoint.position"
    )

    __mapper_args__ = _versioned(version)


class Touchpoint(db.Model):
    """One moment where the learner meets the program; ``key`` is its id in the file."""

    __tablename__ = "touchpoints"
    __table_args__ = (UniqueConstraint("journey_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    title: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(40), default="other")
    owner: Mapped[str] = mapped_column(String(32), default="issuer")
    audience: Mapped[str] = mapped_column(String(32), default="learner")
    content: Mapped[str] = mapped_column(Text, default="")
    #: credential key -> message kinds, in the file's shape.
    messages: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    #: credential keys this touchpoint awards.
    issues: Mapped[list[str]] = mapped_column(JSON, default=list)
    reach: Mapped[float] = mapped_column(default=1.0)
    entry: Mapped[bool] = mapped_column(default=False)
    entry_share: Mapped[float | None] = mapped_column(default=None)
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[str] = mapped_column(String(32))

    journey: Mapped[Journey] = relationship(back_populates="touchpoints")
    stage: Mapped[Stage] = relationship(back_populates="touchpoints")
    outgoing: Mapped[list[Transition]] = relationship(
        foreign_keys="Transition.from_id",
        back_populates="source",
        cascade="all, delete-orphan",
        order_by="Transition.position",
    )
    incoming: Mapped[list[Transition]] = relationship(
        foreign_keys="Transition.to_id",
        back_populates="target",
        cascade="all, delete-orphan",
        order_by="Transition.position",
    )

    __mapper_args__ = _versioned(version)


class Transition(db.Model):
    """Learners can go from one touchpoint to the next, optionally with a share."""

    __tablename__ = "transitions"
    __table_args__ = (UniqueConstraint("from_id", "to_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    from_id: Mapped[int] = mapped_column(ForeignKey("touchpoints.id", ondelete="CASCADE"))
    to_id: Mapped[int] = mapped_column(ForeignKey("touchpoints.id", ondelete="CASCADE"))
    share: Mapped[float | None] = mapped_column(default=None)
    position: Mapped[int] = mapped_column(default=0)

    journey: Mapped[Journey] = relationship(back_populates="transitions")
    source: Mapped[Touchpoint] = relationship(foreign_keys=[from_id], back_populates="outgoing")
    target: Mapped[Touchpoint] = relationship(foreign_keys=[to_id], back_populates="incoming")


class Revision(db.Model):
    """One saved change: who, when, what changed, and the whole journey afterwards."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("journey_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    #: 1, 2, 3 … within the journey.
    number: Mapped[int] = mapped_column()
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    summary: Mapped[str] = mapped_column(Text)
    #: The journey file (``fileformat.to_data``) as it stood after this change.
    document: Mapped[dict[str, Any]] = mapped_column(JSON)

    journey: Mapped[Journey] = relationship(back_populates="revisions")
    user: Mapped[User | None] = relationship()


class ShareLink(db.Model):
    """A read-only link to a journey: whoever opens it reads as a viewer, without an account.

    Only a SHA-256 digest of the link's token is kept, so the database alone
    never opens a journey; the link itself is shown once, when it is made.
    """

    __tablename__ = "share_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    journey_id: Mapped[int] = mapped_column(
        ForeignKey("journeys.id", ondelete="CASCADE"), index=True
    )
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The link stops working at this moment (UTC), if set.
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    #: Whoever opens the link may also comment, under a name they give (issue 15).
    allow_comments: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    journey: Mapped[Journey] = relationship()
    created_by: Mapped[User | None] = relationship()

    def state(self, now: datetime | None = None) -> str:
        """Return ``active``, ``expired`` or ``revoked``."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= (now or utcnow()):
            return "expired"
        return "active"


class Review(db.Model):
    """Where a touchpoint's review stands; a touchpoint without one is not reviewed.

    Keyed by the touchpoint's id in the file, like comments, so a review
    survives a restore or an import that keeps the touchpoint.
    """

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("journey_id", "touchpoint_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    touchpoint_key: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(20), default="not_reviewed")
    #: Who set the state last: the reviewer, or the person whose edit reset it.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()


class Comment(db.Model):
    """One entry of a touchpoint's thread: a comment, a reply, or a review decision."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    journey_id: Mapped[int] = mapped_column(
        ForeignKey("journeys.id", ondelete="CASCADE"), index=True
    )
    touchpoint_key: Mapped[str] = mapped_column(String(64))
    #: The comment this one answers, or None at the top of the thread.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), default=None
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    #: ``comment``, or the review state it set (``approved``, ``changes_requested``,
    #: ``not_reviewed`` when an edit reset it).
    kind: Mapped[str] = mapped_column(String(20), default="comment")
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Where the thread is (issue 15): ``touchpoint`` (keyed by ``touchpoint_key``),
    #: or ``journey``, ``stage`` or ``finding``, keyed by ``place_key``.
    place: Mapped[str] = mapped_column(
        String(16), default="touchpoint", server_default="touchpoint"
    )
    #: The stage's id or the finding's key; empty for the journey and for touchpoints.
    place_key: Mapped[str] = mapped_column(String(300), default="", server_default="")
    #: The name a share-link guest gave, for a guest's comment (``user_id`` is None then).
    guest_name: Mapped[str | None] = mapped_column(String(80), default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])


class Notification(db.Model):
    """Something that changed for a user, shown on their home page until read."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    #: ``review_requested``, ``changes_requested``, ``approved`` or ``reset``.
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    #: The touchpoint it is about, for the link to its place on the Mentions page.
    touchpoint_key: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(default=None)

    journey: Mapped[Journey] = relationship()


class Invitation(db.Model):
    """An invitation to a journey or a workspace with a role, for someone who may have no account.

    The link's token is shown once; only its SHA-256 digest is kept. It works
    once, until ``expires_at``, unless revoked. Exactly one of ``journey_id``
    and ``workspace_id`` is set; a workspace's ``role`` is a workspace role.
    """

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    journey_id: Mapped[int | None] = mapped_column(
        ForeignKey("journeys.id", ondelete="CASCADE"), index=True
    )
    workspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), default=None, index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    journey: Mapped[Journey | None] = relationship()
    workspace: Mapped[Workspace | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    used_by: Mapped[User | None] = relationship(foreign_keys=[used_by_id])

    @property
    def place_title(self) -> str:
        """Return the title of the journey, or the name of the workspace, it invites to."""
        if self.workspace is not None:
            return self.workspace.name
        return self.journey.title if self.journey is not None else ""

    def state(self, now: datetime | None = None) -> str:
        """Return ``pending``, ``accepted``, ``expired`` or ``revoked``."""
        if self.used_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= (now or utcnow()):
            return "expired"
        return "pending"


class OutcomeImport(db.Model):
    """One uploaded file of what learners did (issue 14): its rows matched to credential ids.

    ``rows`` holds ``{credential, cohort, date, issued, claimed, shared}`` per
    credential and cohort; ``unmatched`` the names no credential answered to.
    Every import is kept with its date, so several cohorts and terms add up.
    """

    __tablename__ = "outcome_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    journey_id: Mapped[int] = mapped_column(
        ForeignKey("journeys.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    #: The format key of :data:`journeys.outcomes.FORMATS`.
    format: Mapped[str] = mapped_column(String(40))
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    unmatched: Mapped[list[str]] = mapped_column(JSON)
    imported_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    journey: Mapped[Journey] = relationship()
    imported_by: Mapped[User | None] = relationship()


class Workspace(db.Model):
    """An institution's workspace: journeys and people, each person with a workspace role.

    Its people hold a role on each of its journeys through their workspace
    role (see :data:`app.access.JOURNEY_ROLE`), unless they hold a role on
    that journey itself, which wins.
    """

    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[WorkspaceMember]] = relationship(
        back_populates="workspace", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Workspace {self.id} {self.name!r}>"


class WorkspaceMember(db.Model):
    """A person's role in a workspace: ``admin``, ``designer``, ``reviewer`` or ``viewer``."""

    __tablename__ = "workspace_members"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(16))

    workspace: Mapped[Workspace] = relationship(back_populates="members")
    user: Mapped[User] = relationship()
