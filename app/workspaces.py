"""Workspaces: an institution's journeys and people, and its Overview of every credential.

A workspace's people hold a role on each of its journeys through their
workspace role (:data:`app.access.JOURNEY_ROLE`), unless they hold a role on
the journey itself. People join by invitation (:mod:`app.invitations`), with
or without an account, so adding someone says the same words either way. A
journey joins a workspace when someone who owns it and administers the
workspace moves it in.

The Overview asks the engine (through :mod:`app.analysis`, cached) about
every journey of the workspace and matches credentials across journeys by
name, ignoring case and spacing: two journeys awarding "Data Literacy Badge"
award the same credential.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, not_, or_, select
from sqlalchemy.orm import joinedload

from app import revisions
from app.access import WORKSPACE_ROLES
from app.analysis import Gaps, gaps_of_revisions
from app.extensions import db
from app.models import (
    Journey,
    Membership,
    Review,
    Revision,
    User,
    Workspace,
    WorkspaceMember,
)
from app.reviews import mentioning, state_of

__all__ = [
    "COVERAGE_WORDS",
    "Cell",
    "Column",
    "Line",
    "Overview",
    "addable",
    "admins",
    "create",
    "journeys",
    "members",
    "mine",
    "overview",
    "same_credential",
]

#: How the Overview says a credential's coverage at its issue points (the engine's values).
COVERAGE_WORDS: dict[str, str] = {
    "all": "✔ Explained",
    "partial": "◐ Partly explained",
    "none": "✖ Not explained",
}


def create(name: str, user: User) -> Workspace:
    """Add a workspace with ``user`` as its admin and return it, id given; the caller commits."""
    workspace = Workspace(name=name, created_by_id=user.id)
    db.session.add(workspace)
    db.session.add(WorkspaceMember(workspace=workspace, user=user, role="admin"))
    db.session.flush()
    return workspace


def mine(user: User) -> list[tuple[Workspace, str, int]]:
    """Return the user's workspaces by name, each with their role and its journey count."""
    counted = (
        select(Journey.workspace_id, func.count().label("n"))
        .where(Journey.deleted_at.is_(None), Journey.workspace_id.is_not(None))
        .group_by(Journey.workspace_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Workspace, WorkspaceMember.role, func.coalesce(counted.c.n, 0))
        .join(WorkspaceMember, WorkspaceMember.workspace_id == Workspace.id)
        .outerjoin(counted, counted.c.workspace_id == Workspace.id)
        .where(WorkspaceMember.user_id == user.id)
        .order_by(Workspace.name, Workspace.id)
    ).all()
    return [(w, role, n) for w, role, n in rows]


def members(workspace: Workspace) -> list[WorkspaceMember]:
    """Return the workspace's people, in the order of :data:`WORKSPACE_ROLES`, then by name."""
    found = db.session.scalars(
        select(WorkspaceMember)
        .options(joinedload(WorkspaceMember.user))
        .where(WorkspaceMember.workspace_id == workspace.id)
    ).all()
    return sorted(
        found,
        key=lambda m: (WORKSPACE_ROLES.index(m.role), m.user.name.casefold(), m.user_id),
    )


def admins(workspace: Workspace) -> int:
    """Return how many admins the workspace has; it always keeps one."""
    return db.session.scalar(
        select(func.count())
        .select_from(WorkspaceMember)
        .where(WorkspaceMember.workspace_id == workspace.id, WorkspaceMember.role == "admin")
    )


def journeys(workspace: Workspace) -> list[Journey]:
    """Return the workspace's journeys that are not in the trash, by title."""
    return list(
        db.session.scalars(
            select(Journey)
            .where(Journey.workspace_id == workspace.id, Journey.deleted_at.is_(None))
            .order_by(Journey.title, Journey.id)
        )
    )


def addable(workspace: Workspace, user: User) -> list[Journey]:
    """Return the journeys ``user`` owns that are not in ``workspace``: the ones they may move in.

    Owning is holding the owner role on the journey itself, or, without a
    role of one's own there, administering the workspace it is in now.
    """
    own = exists().where(
        Membership.journey_id == Journey.id,
        Membership.user_id == user.id,
    )
    owner = exists().where(
        Membership.journey_id == Journey.id,
        Membership.user_id == user.id,
        Membership.role == "owner",
    )
    admin_there = exists().where(
        WorkspaceMember.workspace_id == Journey.workspace_id,
        WorkspaceMember.user_id == user.id,
        WorkspaceMember.role == "admin",
    )
    return list(
        db.session.scalars(
            select(Journey)
            .where(
                Journey.deleted_at.is_(None),
                or_(Journey.workspace_id.is_(None), Journey.workspace_id != workspace.id),
                or_(owner, and_(not_(own), admin_there)),
            )
            .order_by(Journey.title, Journey.id)
        )
    )


def same_credential(name: str) -> str:
    """Return the key credentials are matched by across journeys: the name, case and spacing aside.

    >>> same_credential("  Data  Literacy badge") == same_credential("data literacy Badge")
    True
    """
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Column:
    """One journey of the Overview: its analysis and its last change."""

    journey: Journey
    gaps: Gaps | None
    changed: Revision | None


@dataclass(frozen=True)
class Cell:
    """How a credential fares in one journey, from the engine's analysis."""

    #: Where the credential is issued in this journey (touchpoint ids).
    issued_at: tuple[str, ...]
    #: The worst coverage of its messages at its issue points: ``all``, ``partial`` or ``none``.
    coverage: str | None
    #: Messages fully covered at every issue point, of those required there.
    told: int
    required: int
    #: The lowest expected informed share at an issue point, or None where none is reached.
    weakest: float | None
    #: Touchpoints that mention the credential and are not approved yet.
    open_reviews: int


@dataclass(frozen=True)
class Line:
    """One credential of the Overview: its name and how it fares in each journey (None: absent)."""

    name: str
    cells: tuple[Cell | None, ...]


@dataclass(frozen=True)
class Overview:
    """Every credential across a workspace's journeys, and the journeys themselves."""

    columns: tuple[Column, ...]
    lines: tuple[Line, ...]


def _reviews(journey_ids: list[int]) -> dict[int, dict[str, Review]]:
    """Return each journey's reviews by touchpoint id, in one query."""
    found: dict[int, dict[str, Review]] = {j: {} for j in journey_ids}
    if journey_ids:
        for r in db.session.scalars(select(Review).where(Review.journey_id.in_(journey_ids))):
            found[r.journey_id][r.touchpoint_key] = r
    return found


def _cell(gaps: Gaps, credential_id: str, unapproved: Counter[str]) -> Cell:
    source = gaps.analysis.journey
    at_issue = [
        c for c in gaps.analysis.checkpoints if c.credential == credential_id and c.by == "issue"
    ]
    by_message: dict[str, list[str]] = {}
    for c in at_issue:
        by_message.setdefault(c.message, []).append(c.coverage)
    worst = None
    for coverage in ("none", "partial", "all"):
        if any(coverage in found for found in by_message.values()):
            worst = coverage
            break
    shares = [c.expected_share for c in at_issue if c.expected_share is not None]
    return Cell(
        issued_at=tuple(t.id for t in source.touchpoints if credential_id in t.issues),
        coverage=worst,
        told=sum(1 for found in by_message.values() if all(c == "all" for c in found)),
        required=len(by_message),
        weakest=min(shares) if shares else None,
        open_reviews=unapproved[credential_id],
    )


def overview(workspace: Workspace) -> Overview:
    """Return the workspace's Overview in a fixed number of queries, whatever its size.

    Three queries (journeys, newest revisions, reviews), and one more for the
    documents of revisions the analysis cache does not hold yet.
    """
    found = journeys(workspace)
    ids = [j.id for j in found]
    latest = revisions.latest_of(ids)
    analysed = gaps_of_revisions(latest.values())
    reviews = _reviews(ids)
    columns: list[Column] = []
    per_journey: list[dict[str, Cell]] = []
    names: dict[str, str] = {}
    for journey in found:
        revision = latest.get(journey.id)
        gaps = analysed.get(revision.id) if revision is not None else None
        cells: dict[str, Cell] = {}
        if gaps is not None:
            source = gaps.analysis.journey
            unapproved: Counter[str] = Counter()
            for key, credential_ids in mentioning(source).items():
                if state_of(reviews[journey.id], key) != "approved":
                    unapproved.update(credential_ids)
            for credential in source.credentials:
                match = same_credential(credential.name)
                names.setdefault(match, credential.name)
                cells.setdefault(match, _cell(gaps, credential.id, unapproved))
        columns.append(Column(journey, gaps, revision))
        per_journey.append(cells)
    lines = tuple(
        Line(names[match], tuple(cells.get(match) for cells in per_journey))
        for match in sorted(names, key=lambda m: (names[m].casefold(), m))
    )
    return Overview(tuple(columns), lines)
