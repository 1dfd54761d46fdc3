"""Every route about a journey, for every kind of visitor, answers with exactly the right status.

The routes come from the app's own URL map, so a new route without a line
in ``CASES`` fails :func:`test_every_journey_route_has_expectations`. Each
case says the least role the route needs, the status an allowed visitor
gets for the request sent, and whether a share link may read it. From that:

- signed out: 302 to the sign-in page, everywhere;
- a stranger (signed in, no role): 404, everywhere, exports included;
- a share link: the allowed status on the pages it may read, else 302 to sign in;
- a member: the allowed status with the role the route needs or a stronger one, else 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

from app import create_app
from app.extensions import db
from app.invitations import new_invitation
from app.models import Comment, Membership, User, WorkspaceMember, utcnow
from app.review.sharing import new_link
from app.saving import create
from journeys import fileformat
from tests.conftest import TINY

#: Roles on a journey, most powerful first: each can do what the ones after it can.
ROLE_ORDER = ("owner", "editor", "reviewer", "viewer")
VISITORS = (*ROLE_ORDER, "link", "stranger", "signed_out")


@dataclass(frozen=True)
class Case:
    """One route and method, and what an allowed visitor gets for the request sent."""

    endpoint: str
    method: str
    least: str
    ok: int
    shared: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    args: dict[str, Any] = field(default_factory=dict)
    #: The journey is in the trash first (only restoring it works then).
    trashed: bool = False
    #: The roles allowed, where they are not ``least`` and every role above it.
    only: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        extra = "".join(f" {v}" for v in self.args.values())
        return f"{self.endpoint} {self.method}{extra}"


def _read(endpoint: str, **args: Any) -> Case:
    """Return a page any role and a share link may read."""
    return Case(endpoint, "GET", "viewer", 200, shared=True, args=args)


CASES: tuple[Case, ...] = (
    # Reading: every role, and share links.
    _read("map.show"),
    _read("report.show"),
    _read("report.diagram"),
    _read("report.preview"),
    _read("mentions.index"),
    _read("credentials.index"),
    _read("credentials.learner_guide"),
    _read("history.index"),
    _read("history.show"),
    _read("transfer.export"),
    _read("exports.index"),
    *(_read("exports.diagram", fmt=fmt) for fmt in ("svg", "png", "pdf", "dot")),
    _read("exports.diagram", fmt="pdf", view="map"),  # the journey map poster (issue 12)
    _read("exports.findings"),
    _read("exports.workshop"),
    _read("comments.index"),
    _read("exports.mermaid"),
    _read("outcomes.index"),
    _read("exports.slides"),
    # A copy is a new journey of one's own: any role, but an account.
    Case("journeys.duplicate", "POST", "viewer", 302),
    # Review: reviewers and owners sign off; editors may answer in the comments.
    Case(
        "mentions.review",
        "POST",
        "reviewer",
        302,
        data={"decision": "approved"},
        only=("owner", "reviewer"),
    ),
    Case("mentions.comment", "POST", "reviewer", 302, data={"body": "Name the badge here."}),
    # Comments anywhere (issue 15): a link without comments allowed sends guests to sign in.
    Case(
        "comments.add",
        "POST",
        "reviewer",
        302,
        data={"place": "stage", "key": "enrol", "body": "Say what the badge is for."},
    ),
    Case("comments.resolve", "POST", "reviewer", 302),
    # Editing: editors and owners. Empty forms come back with their messages (200).
    Case("journeys.settings", "GET", "editor", 200),
    Case("journeys.settings", "POST", "editor", 200, data={"title": ""}),
    Case("transfer.replace", "GET", "editor", 200),
    Case("transfer.replace", "POST", "editor", 200),
    Case("history.restore", "POST", "editor", 302),
    Case("credentials.new", "GET", "editor", 200),
    Case("credentials.new", "POST", "editor", 200),
    Case("credentials.edit", "GET", "editor", 200),
    Case("credentials.edit", "POST", "editor", 200),
    Case("credentials.delete", "GET", "editor", 200),
    Case("credentials.delete", "POST", "editor", 200),
    # Import credential and the learner guide (issue 13): an empty form says what is missing.
    Case("credentials.import_credential", "GET", "editor", 200),
    Case("credentials.import_credential", "POST", "editor", 400),
    Case("credentials.place_guide", "POST", "editor", 400),
    # Add skills from a file (issue 13): no file comes back with its message (400).
    Case("credentials.add_skills", "POST", "editor", 400),
    Case("stages.new", "GET", "editor", 200),
    Case("stages.new", "POST", "editor", 200),
    Case("stages.edit", "GET", "editor", 200),
    Case("stages.edit", "POST", "editor", 200, data={"name": ""}),
    Case("stages.move", "POST", "editor", 302, data={"direction": "later"}),
    Case("stages.delete", "GET", "editor", 200),
    Case("stages.delete", "POST", "editor", 200),
    Case("touchpoints.new", "GET", "editor", 200),
    Case("touchpoints.new", "POST", "editor", 200),
    Case("touchpoints.edit", "GET", "editor", 200),
    Case("touchpoints.edit", "POST", "editor", 200),
    Case("touchpoints.delete", "GET", "editor", 200),
    Case("touchpoints.delete", "POST", "editor", 302),
    # What-if with no fix ticked saves nothing and says so (400).
    Case("report.apply", "POST", "editor", 400, data={"revision": "1"}),
    # An outcomes upload without a file comes back with its message (400), nothing stored.
    Case("outcomes.upload", "POST", "editor", 400),
    # Owning: sharing and the trash.
    Case("sharing.index", "GET", "owner", 200),
    Case(
        "sharing.add_person",
        "POST",
        "owner",
        302,
        data={"person-email": "stranger@example.com", "person-role": "viewer"},
    ),
    Case("sharing.change_role", "POST", "owner", 302, data={"role": "viewer"}),
    Case("sharing.remove_person", "POST", "owner", 302),
    Case("sharing.create_link", "POST", "owner", 302, data={"link-label": "Workshop"}),
    Case("sharing.revoke_link", "POST", "owner", 302),
    Case("sharing.revoke_invitation", "POST", "owner", 302),
    # Editing on the map (issue 10): an empty form comes back with the map and its message.
    Case("mapedit.add", "POST", "editor", 422, data={"stage": "enrol", "title": ""}),
    Case("mapedit.channel", "GET", "editor", 200),
    Case("mapedit.move", "POST", "editor", 422),
    Case("mapedit.connect", "POST", "editor", 422),
    Case("mapedit.shares", "POST", "editor", 409),  # no version: a conflict, nothing saved
    Case("mapedit.panel", "POST", "editor", 422),
    Case("mapedit.undo", "POST", "editor", 400),
    Case("mapedit.add_stage", "POST", "editor", 422),  # no name
    Case("mapedit.rename_stage", "POST", "editor", 422, args={"stage_key": "award"}),
    Case("journeys.delete", "POST", "owner", 302),
    Case("journeys.restore", "POST", "owner", 302, trashed=True),
)

#: The record each blueprint's ``<key>`` names in the tiny journey.
KEYS = {
    "credentials": "data-lit",
    "stages": "award",
    "touchpoints": "module",
    "mentions": "welcome",
    "mapedit": "module",
}


def expected(case: Case, visitor: str) -> int:
    """Return the status ``visitor`` must get for ``case``."""
    if visitor == "signed_out":
        return 302
    if visitor == "link":
        return case.ok if case.shared else 302
    if visitor == "stranger":
        return 404
    allowed = case.only or ROLE_ORDER[: ROLE_ORDER.index(case.least) + 1]
    return case.ok if visitor in allowed else 403


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict[str, Any]:
    """Return an app with one account per role and a stranger."""
    folder = tmp_path_factory.mktemp("permissions")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'test.sqlite'}",
            "WTF_CSRF_ENABLED": False,
            "DIAGRAM_CACHE_DIR": str(folder / "diagrams"),
        }
    )
    users = {}
    with app.app_context():
        db.create_all()
        for who in (*ROLE_ORDER, "stranger"):
            # No password: these tests sign in through the session.
            user = User(email=f"{who}@example.com", password_hash="-")
            db.session.add(user)
            users[who] = user
        db.session.commit()
        ids = {who: u.id for who, u in users.items()}
        # What a session holds: the id with the account's session stamp (issue 9).
        logins = {who: u.get_id() for who, u in users.items()}
    yield {"app": app, "users": ids, "logins": logins, "shared": None}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _journey(world: dict[str, Any], trashed: bool = False) -> dict[str, Any]:
    """Make the tiny journey, owned by the owner, with a member per role and a share link."""
    with world["app"].app_context():
        users = {who: db.session.get(User, uid) for who, uid in world["users"].items()}
        journey = create(fileformat.from_data(TINY), users["owner"], "Test journey")
        for role in ROLE_ORDER[1:]:
            db.session.add(Membership(user=users[role], journey=journey, role=role))
        link, token = new_link(journey, users["owner"], "Guests")
        invitation, _ = new_invitation(journey, "new@example.com", "reviewer", users["owner"])
        comment = Comment(
            journey_id=journey.id, touchpoint_key="welcome", user_id=users["reviewer"].id
        )
        db.session.add(comment)
        if trashed:
            journey.deleted_at = utcnow()
        db.session.commit()
        return {
            "id": journey.id,
            "link": link.id,
            "token": token,
            "invitation": invitation.id,
            "comment": comment.id,
        }


def _client(
    world: dict[str, Any], visitor: str, journey: dict[str, Any], case: Case
) -> FlaskClient:
    # A link to a journey in the trash opens nothing.
    return _visitor(world, visitor, journey["token"], 404 if case.trashed else 302)


def _visitor(world: dict[str, Any], who: str, token: str, opened: int = 302) -> FlaskClient:
    """Return a client signed in as ``who``, or that opened the share link ``token`` (``link``)."""
    client = world["app"].test_client()
    if who in world["users"]:
        with client.session_transaction() as session:
            session["_user_id"] = world["logins"][who]
            session["_fresh"] = True
    elif who == "link":
        assert client.get(f"/s/{token}").status_code == opened
    return client


def _url(app: Flask, case: Case, journey: dict[str, Any], users: dict[str, int]) -> str:
    values = {"journey_id": journey["id"], **case.args}
    rule = next(r for r in app.url_map.iter_rules(case.endpoint))
    blueprint = case.endpoint.split(".")[0]
    if "key" in rule.arguments:
        values["key"] = KEYS[blueprint]
    if "number" in rule.arguments:
        values["number"] = 1
    if "link_id" in rule.arguments:
        values["link_id"] = journey["link"]
    if "comment_id" in rule.arguments:
        values["comment_id"] = journey["comment"]
    if "invitation_id" in rule.arguments:
        values["invitation_id"] = journey["invitation"]
    if "user_id" in rule.arguments:
        values["user_id"] = users["editor"]
    with app.test_request_context():
        return url_for(case.endpoint, **values)


def test_every_journey_route_has_expectations(world):
    routes = {
        (rule.endpoint, method)
        for rule in world["app"].url_map.iter_rules()
        if "journey_id" in rule.arguments
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {(c.endpoint, c.method) for c in CASES}
    assert routes - covered == set(), "add these routes to CASES"
    assert covered - routes == set(), "these routes no longer exist"


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_status(world, case: Case, visitor: str):
    # A change may only go to a journey of its own; reading shares one journey.
    if case.method == "GET":
        journey = world["shared"] = world["shared"] or _journey(world)
    else:
        journey = _journey(world, trashed=case.trashed)
    app = world["app"]
    client = _client(world, visitor, journey, case)
    url = _url(app, case, journey, world["users"])
    response = client.open(url, method=case.method, data=case.data)
    assert response.status_code == expected(case, visitor), response.get_data(as_text=True)[:800]
    # Issue 9: every answer, refusals and redirects included, carries the security headers.
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    if visitor == "signed_out" or (visitor == "link" and not case.shared):
        assert response.headers["Location"].startswith("/auth/signin?next=")


# Workspaces (issue 15): every route about a workspace, for every kind of visitor.
# The people of the journey world hold the workspace role of the same rank: the owner
# is admin, the editor designer. A share link to one of the workspace's journeys opens
# no workspace page (302 to sign in), and someone outside the workspace gets a 404.

#: Workspace roles, most powerful first, and the account of the journey world that holds each.
WORKSPACE_ORDER = ("admin", "designer", "reviewer", "viewer")
HOLDER = dict(zip(WORKSPACE_ORDER, ROLE_ORDER, strict=True))
WORKSPACE_VISITORS = (*WORKSPACE_ORDER, "link", "stranger", "signed_out")


@dataclass(frozen=True)
class WorkspaceCase:
    """One workspace route and method, the least workspace role it needs, and its status."""

    endpoint: str
    method: str
    least: str
    ok: int
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.endpoint} {self.method}"


WORKSPACE_CASES: tuple[WorkspaceCase, ...] = (
    WorkspaceCase("workspaces.show", "GET", "viewer", 200),
    WorkspaceCase("workspaces.people", "GET", "viewer", 200),
    WorkspaceCase("workspaces.overview", "GET", "viewer", 200),
    # No journey chosen: the form comes back with its message (400), nothing moved.
    WorkspaceCase("workspaces.add_journey", "POST", "admin", 400),
    WorkspaceCase("workspaces.remove_journey", "POST", "admin", 302, {"remove-journey": "JOURNEY"}),
    WorkspaceCase(
        "workspaces.invite",
        "POST",
        "admin",
        302,
        {"person-email": "someone@example.com", "person-role": "viewer"},
    ),
    WorkspaceCase("workspaces.change_role", "POST", "admin", 302, {"role": "viewer"}),
    WorkspaceCase("workspaces.remove_person", "POST", "admin", 302),
    WorkspaceCase("workspaces.revoke_invitation", "POST", "admin", 302),
)


def _workspace(world: dict[str, Any]) -> dict[str, Any]:
    """Make a workspace with a member per role, the tiny journey in it, an invitation, a link."""
    from app.invitations import new_workspace_invitation
    from app.workspaces import create as create_workspace

    with world["app"].app_context():
        users = {who: db.session.get(User, uid) for who, uid in world["users"].items()}
        workspace = create_workspace("Faculty", users["owner"])
        for role in WORKSPACE_ORDER[1:]:
            db.session.add(
                WorkspaceMember(workspace=workspace, user=users[HOLDER[role]], role=role)
            )
        journey = create(fileformat.from_data(TINY), users["owner"], "Test journey")
        journey.workspace_id = workspace.id
        _, token = new_link(journey, users["owner"], "Guests")
        invitation, _ = new_workspace_invitation(
            workspace, "x@example.com", "viewer", users["owner"]
        )
        db.session.commit()
        return {
            "id": workspace.id,
            "journey": journey.id,
            "token": token,
            "invitation": invitation.id,
        }


def test_every_workspace_route_has_expectations(world):
    routes = {
        (rule.endpoint, method)
        for rule in world["app"].url_map.iter_rules()
        if "workspace_id" in rule.arguments
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {(c.endpoint, c.method) for c in WORKSPACE_CASES}
    assert routes - covered == set(), "add these routes to WORKSPACE_CASES"
    assert covered - routes == set(), "these routes no longer exist"


@pytest.mark.parametrize("visitor", WORKSPACE_VISITORS)
@pytest.mark.parametrize("case", WORKSPACE_CASES, ids=lambda c: c.name)
def test_workspace_status(world, case: WorkspaceCase, visitor: str):
    found = _workspace(world)
    app = world["app"]
    client = _visitor(world, HOLDER.get(visitor, visitor), found["token"])
    values: dict[str, Any] = {"workspace_id": found["id"]}
    rule = next(r for r in app.url_map.iter_rules(case.endpoint))
    if "user_id" in rule.arguments:
        values["user_id"] = world["users"]["editor"]
    if "invitation_id" in rule.arguments:
        values["invitation_id"] = found["invitation"]
    with app.test_request_context():
        url = url_for(case.endpoint, **values)
    data = {k: found["journey"] if v == "JOURNEY" else v for k, v in case.data.items()}
    response = client.open(url, method=case.method, data=data)
    if visitor in ("signed_out", "link"):
        want = 302
    elif visitor == "stranger":
        want = 404
    else:
        allowed = WORKSPACE_ORDER[: WORKSPACE_ORDER.index(case.least) + 1]
        want = case.ok if visitor in allowed else 403
    assert response.status_code == want, response.get_data(as_text=True)[:800]
    if want == 302 and visitor in ("signed_out", "link"):
        assert response.headers["Location"].startswith("/auth/signin?next=")


@pytest.mark.parametrize("visitor", ("viewer", "stranger", "link", "signed_out"))
@pytest.mark.parametrize(
    ("path", "method"),
    [("/workspaces", "GET"), ("/workspaces/new", "GET"), ("/workspaces/new", "POST")],
)
def test_my_workspaces_and_a_new_one_need_an_account_only(world, visitor, path, method):
    client = _visitor(world, visitor, _workspace(world)["token"])
    response = client.open(path, method=method, data={"name": ""})
    signed_in = visitor in ("viewer", "stranger")
    assert response.status_code == (200 if signed_in else 302)
    if not signed_in:
        assert response.headers["Location"].startswith("/auth/signin?next=")


# The account page (issue 9): anyone signed in, about their own account only.
@pytest.mark.parametrize("visitor", ("owner", "viewer", "stranger", "link", "signed_out"))
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_account_page_needs_an_account_and_shows_only_ones_own(world, visitor, method):
    client = _visitor(world, visitor, _journey(world)["token"])
    # An empty form changes nothing: it comes back with its messages.
    response = client.open("/auth/account", method=method, data={})
    if visitor in ("link", "signed_out"):
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/signin?next=")
    else:
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        others = set(world["users"]) - {visitor}
        assert f"{visitor}@example.com" in page
        assert not [o for o in others if f"{o}@example.com" in page]
