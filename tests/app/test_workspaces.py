"""Workspaces (issue 15): journeys and people of an institution, roles inherited, the Overview."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Journey, Membership, User, WorkspaceMember
from journeys import fileformat
from journeys.analysis import analyse
from journeys.score import score
from tests.app.test_sharing import add, make_link
from tests.conftest import PASSWORD, AuthActions

URL = re.compile(r'id="new-invitation-url" type="text" readonly value="([^"]+)"')


def new_workspace(client, name: str = "Faculty of Science") -> int:
    response = client.post("/workspaces/new", data={"name": name})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def add_journey(client, workspace_id: int, journey_id: int):
    return client.post(f"/workspaces/{workspace_id}/journeys", data={"add-journey": journey_id})


def invite(client, workspace_id: int, email: str, role: str) -> str:
    response = client.post(
        f"/workspaces/{workspace_id}/people",
        data={"person-email": email, "person-role": role},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(f"/workspaces/{workspace_id}/people").get_data(as_text=True)
    return URL.search(page).group(1)


def join(app, client, workspace_id: int, email: str, role: str):
    """Invite ``email`` as ``role`` and sign them up from the link; return their client."""
    url = invite(client, workspace_id, email, role)
    visitor = app.test_client()
    assert visitor.get(url).status_code == 302
    response = visitor.post(
        "/auth/signup", data={"email": email, "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    if "/auth/signin" in response.headers["Location"]:  # sign-up asks to sign in (issue 9)
        signed = visitor.post(
            response.headers["Location"], data={"email": email, "password": PASSWORD}
        )
        assert signed.headers["Location"] == url.removeprefix("http://localhost")
        accepted = visitor.post(url)
        assert accepted.headers["Location"] == f"/workspaces/{workspace_id}"
    return visitor


@pytest.fixture
def workspace(app, signed_in, journey_id) -> int:
    """Return a workspace of ada's holding the tiny journey."""
    found = new_workspace(signed_in)
    assert add_journey(signed_in, found, journey_id).status_code == 302
    return found


class TestCreating:
    def test_the_creator_is_admin_and_finds_it_under_workspaces(self, signed_in):
        found = new_workspace(signed_in, "Careers and Employability")
        page = signed_in.get("/workspaces").get_data(as_text=True)
        assert "Careers and Employability" in page and "<td>Admin</td>" in page
        show = signed_in.get(f"/workspaces/{found}").get_data(as_text=True)
        assert "No journeys in this workspace yet" in show

    def test_a_name_is_needed(self, signed_in):
        response = signed_in.post("/workspaces/new", data={"name": "  "})
        assert response.status_code == 200
        assert "Give the workspace a name." in response.get_data(as_text=True)

    def test_someone_outside_gets_404_everywhere(self, app, workspace, journey_id):
        other = app.test_client()
        AuthActions(other).signup("out@example.com")
        for path in ("", "/people", "/overview"):
            assert other.get(f"/workspaces/{workspace}{path}").status_code == 404
        assert add_journey(other, workspace, journey_id).status_code == 404
        assert other.get(f"/journeys/{journey_id}").status_code == 404


class TestInheritedRoles:
    def test_each_workspace_role_gives_its_journey_role(
        self, app, signed_in, workspace, journey_id
    ):
        designer = join(app, signed_in, workspace, "designer@example.com", "designer")
        reviewer = join(app, signed_in, workspace, "reviewer@example.com", "reviewer")
        viewer = join(app, signed_in, workspace, "viewer@example.com", "viewer")
        admin = join(app, signed_in, workspace, "admin2@example.com", "admin")
        settings = f"/journeys/{journey_id}/settings"
        sharing = f"/journeys/{journey_id}/sharing"
        review = f"/journeys/{journey_id}/mentions/welcome/review"
        assert [c.get(f"/journeys/{journey_id}").status_code for c in (designer, viewer)] == [
            200
        ] * 2
        assert designer.get(settings).status_code == 200  # editor
        assert designer.get(sharing).status_code == 403
        assert designer.post(review, data={"decision": "approved"}).status_code == 403
        assert reviewer.get(settings).status_code == 403
        assert reviewer.post(review, data={"decision": "approved"}).status_code == 302
        assert viewer.get(settings).status_code == 403
        assert (
            viewer.post(
                f"/journeys/{journey_id}/comments/",
                data={"place": "journey", "key": "", "body": "Hi"},
            ).status_code
            == 403
        )
        assert admin.get(sharing).status_code == 200  # owner

    def test_the_workspaces_journeys_are_on_each_members_journeys_list(
        self, app, signed_in, workspace, journey_id
    ):
        designer = join(app, signed_in, workspace, "designer@example.com", "designer")
        viewer = join(app, signed_in, workspace, "viewer@example.com", "viewer")
        with app.app_context():
            title = db.session.get(Journey, journey_id).title
            user = db.session.scalar(sa.select(User).where(User.email == "viewer@example.com"))
            db.session.add(Membership(user_id=user.id, journey_id=journey_id, role="reviewer"))
            db.session.commit()
        mine = designer.get("/").get_data(as_text=True)
        link = f'<a href="/journeys/{journey_id}">{title}</a>'
        assert link in mine and "(editor)" in mine
        # A role on the journey itself wins, and the journey is listed once.
        theirs = viewer.get("/").get_data(as_text=True)
        assert "(reviewer)" in theirs and "(viewer)" not in theirs
        assert theirs.count(link) == 1
        outsider = app.test_client()
        AuthActions(outsider).signup("out@example.com")
        assert title not in outsider.get("/").get_data(as_text=True)

    def test_a_role_on_the_journey_itself_wins_either_way(
        self, app, signed_in, workspace, journey_id
    ):
        viewer = join(app, signed_in, workspace, "viewer@example.com", "viewer")
        admin = join(app, signed_in, workspace, "admin2@example.com", "admin")
        with app.app_context():  # roles on the journey itself, as its Sharing screen gives them
            for email, role in (("viewer@example.com", "editor"), ("admin2@example.com", "viewer")):
                user = db.session.scalar(sa.select(User).where(User.email == email))
                db.session.add(Membership(user_id=user.id, journey_id=journey_id, role=role))
            db.session.commit()
        assert viewer.get(f"/journeys/{journey_id}/settings").status_code == 200
        assert admin.get(f"/journeys/{journey_id}/sharing").status_code == 403
        assert admin.get(f"/journeys/{journey_id}").status_code == 200

    def test_a_journey_taken_out_is_closed_to_the_workspace_but_not_its_owner(
        self, app, signed_in, workspace, journey_id
    ):
        viewer = join(app, signed_in, workspace, "viewer@example.com", "viewer")
        assert viewer.get(f"/journeys/{journey_id}").status_code == 200
        response = signed_in.post(
            f"/workspaces/{workspace}/journeys/remove", data={"remove-journey": journey_id}
        )
        assert response.status_code == 302
        assert viewer.get(f"/journeys/{journey_id}").status_code == 404
        assert signed_in.get(f"/journeys/{journey_id}").status_code == 200

    def test_people_of_no_workspace_keep_working_as_today(self, app, signed_in, make_journey):
        lone = make_journey()
        assert add(signed_in, lone, "helper@example.com", "viewer").status_code == 302
        assert signed_in.get(f"/journeys/{lone}/sharing").status_code == 200
        with app.app_context():
            assert db.session.get(Journey, lone).workspace_id is None


class TestManaging:
    def test_only_an_admin_who_owns_a_journey_can_move_it_in(
        self, app, signed_in, workspace, make_journey
    ):
        designer = join(app, signed_in, workspace, "designer@example.com", "designer")
        theirs = app.test_client()
        AuthActions(theirs).signup("bob@example.com")

        other_ws = new_workspace(theirs, "Bob's")
        mine = make_journey()
        # A designer is not an admin; an admin of another workspace does not own ada's journey.
        assert add_journey(designer, workspace, mine).status_code == 403
        response = add_journey(theirs, other_ws, mine)
        assert response.status_code == 400
        assert "Choose one of the journeys you own." in response.get_data(as_text=True)
        with app.app_context():
            assert db.session.get(Journey, mine).workspace_id is None

    def test_a_viewer_reads_but_cannot_write(self, app, signed_in, workspace, journey_id):
        viewer = join(app, signed_in, workspace, "viewer@example.com", "viewer")
        assert viewer.get(f"/workspaces/{workspace}").status_code == 200
        people = viewer.get(f"/workspaces/{workspace}/people").get_data(as_text=True)
        assert "ada@example.com" not in people  # addresses are for admins
        assert "Invite a person" not in people
        assert invite_status(viewer, workspace, "x@example.com") == 403
        assert (
            viewer.post(
                f"/workspaces/{workspace}/journeys/remove", data={"remove-journey": journey_id}
            ).status_code
            == 403
        )

    def test_inviting_says_the_same_words_whether_or_not_the_account_exists(
        self, app, signed_in, workspace
    ):
        AuthActions(app.test_client()).signup("exists@example.com")
        shown = []
        for email in ("exists@example.com", "nobody@example.com"):
            response = signed_in.post(
                f"/workspaces/{workspace}/people",
                data={"person-email": email, "person-role": "reviewer"},
            )
            page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
            box = page[page.index('<div class="new-link"') :].split("</small>")[0]
            box = re.sub(r"http://localhost/invite/[\w-]+", "LINK", box).replace(email, "EMAIL")
            shown.append((response.status_code, box))
        assert shown[0] == shown[1]
        assert "Invitation link for EMAIL." in shown[0][1]
        # Neither address joins before accepting.
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkspaceMember)) == 1

    def test_an_account_holder_accepts_signed_in(self, app, signed_in, workspace, journey_id):
        other = app.test_client()
        AuthActions(other).signup("exists@example.com")
        url = invite(signed_in, workspace, "exists@example.com", "designer")
        page = other.get(url).get_data(as_text=True)
        assert "invites you to this workspace as <strong>designer</strong>" in page
        response = other.post(url)
        assert response.headers["Location"] == f"/workspaces/{workspace}"
        assert other.get(f"/journeys/{journey_id}/settings").status_code == 200

    def test_the_last_admin_stays(self, app, signed_in, workspace):
        with app.app_context():
            ada = db.session.scalar(sa.select(User.id).where(User.email == "ada@example.com"))
        response = signed_in.post(f"/workspaces/{workspace}/people/{ada}", data={"role": "viewer"})
        assert response.status_code == 400
        assert "A workspace always keeps an admin" in response.get_data(as_text=True)
        assert signed_in.post(f"/workspaces/{workspace}/people/{ada}/remove").status_code == 400

    def test_share_link_guests_never_reach_workspace_pages(
        self, app, signed_in, workspace, journey_id
    ):
        url = make_link(signed_in, journey_id, "Workshop")
        guest = app.test_client()
        assert guest.get(url).status_code == 302
        assert guest.get(f"/journeys/{journey_id}").status_code == 200
        for path in ("", "/people", "/overview"):
            response = guest.get(f"/workspaces/{workspace}{path}")
            assert response.status_code == 302
            assert response.headers["Location"].startswith("/auth/signin")
        # Signed in as someone outside the workspace, the link still opens only the journey.
        AuthActions(guest).signup("guest@example.com")
        assert guest.get(url).status_code == 302
        assert guest.get(f"/workspaces/{workspace}/overview").status_code == 404


def invite_status(client, workspace_id: int, email: str) -> int:
    return client.post(
        f"/workspaces/{workspace_id}/people", data={"person-email": email, "person-role": "viewer"}
    ).status_code


def _second(tiny) -> dict:
    """Return a second journey: the same badge spelt otherwise, and a badge of its own."""
    doc = tiny(title="Second journey")
    doc["credentials"] = [
        {"id": "dl", "name": "Data literacy  badge"},
        {"id": "cv", "name": "Career Ready Badge"},
    ]
    for tp in doc["touchpoints"]:
        tp["messages"] = {"dl": ["earned", "represents"]} if tp.get("messages") else {}
        tp["issues"] = ["dl", "cv"] if tp.get("issues") else []
    doc["touchpoints"][0]["content"] = "You will earn the data literacy badge."
    return doc


class TestOverview:
    def test_numbers_are_the_engines(self, app, signed_in, workspace, make_journey, tiny):
        second = make_journey(_second(tiny))
        assert add_journey(signed_in, workspace, second).status_code == 302
        page = signed_in.get(f"/workspaces/{workspace}/overview").get_data(as_text=True)
        assert '<h2 id="overview-heading">Overview</h2>' in page
        assert "matched across journeys by name" in page
        for document in (tiny(), _second(tiny)):
            analysis = analyse(fileformat.from_data(document))
            value = score(analysis).value
            shares = [
                c.expected_share
                for c in analysis.checkpoints
                if c.by == "issue" and c.expected_share is not None
            ]
            assert f">{value}<span" in page
            assert f"{min(shares) * 100:.1f}".rstrip("0").rstrip(".") + "%" in page
        rows = re.findall(r"<tr>\s*<th scope=\"row\">([^<]+)</th>\s*<td><a[^>]*>([^<]+)</a>", page)
        # One credential by name across journeys, named as the first journey (by title) names it.
        assert rows == [
            ("Career Ready Badge", "Second journey"),
            ("Data literacy  badge", "Second journey"),
            ("Data literacy  badge", "Tiny journey"),
        ]

    def test_the_matrix_says_in_words_how_each_credential_is_explained(
        self, app, signed_in, workspace, make_journey, tiny
    ):
        second = make_journey(_second(tiny))
        add_journey(signed_in, workspace, second)
        page = signed_in.get(f"/workspaces/{workspace}/overview").get_data(as_text=True)
        matrix = page[page.index('class="coverage overview-matrix"') :]
        heads = re.findall(r'<th scope="col"><a [^>]*>([^<]+)</a></th>', matrix)
        assert heads == ["Second journey", "Tiny journey"]
        career = matrix[matrix.index(">Career Ready Badge<") :].split("</tr>")[0]
        cells = re.findall(r"<td class=\"cov cov-(\w+)\">(.*?)</td>", career, re.S)
        assert [c[0] for c in cells] == ["none", "na"]
        assert "not in this journey" in career  # Tiny journey does not award it
        assert "Not explained" in career  # issued with no message told
        data = matrix[matrix.index(">Data literacy  badge<") :].split("</tr>")[0]
        cells = re.findall(r"<td class=\"cov cov-(\w+)\">(.*?)</td>", data, re.S)
        assert len(cells) == 2
        analysis = analyse(fileformat.from_data(tiny()))
        issue = [c for c in analysis.checkpoints if c.by == "issue"]
        told = len({c.message for c in issue if c.coverage == "all"})
        assert f"{told} of {len({c.message for c in issue})} messages on every route" in cells[1][1]

    def test_open_reviews_count_touchpoints_not_approved(
        self, app, signed_in, workspace, journey_id
    ):
        page = signed_in.get(f"/workspaces/{workspace}/overview").get_data(as_text=True)
        assert "open reviews of Data Literacy Badge in Tiny journey" in page
        signed_in.post(
            f"/journeys/{journey_id}/mentions/welcome/review", data={"decision": "approved"}
        )
        signed_in.post(
            f"/journeys/{journey_id}/mentions/issued/review", data={"decision": "approved"}
        )
        page = signed_in.get(f"/workspaces/{workspace}/overview").get_data(as_text=True)
        assert "open reviews of Data Literacy Badge" not in page

    def test_a_fixed_number_of_queries_whatever_the_journeys(
        self, app, signed_in, workspace, make_journey, tiny
    ):
        def queries() -> int:
            seen: list[str] = []

            def count(*_args) -> None:
                seen.append("q")

            with app.app_context():
                engine = db.engine
            sa.event.listen(engine, "before_cursor_execute", count)
            try:
                assert signed_in.get(f"/workspaces/{workspace}/overview").status_code == 200
            finally:
                sa.event.remove(engine, "before_cursor_execute", count)
            return len(seen)

        queries()  # the analyses are in the cache from here on
        one = queries()
        for _ in range(3):
            add_journey(signed_in, workspace, make_journey(_second(tiny)))
        queries()
        assert queries() == one


class TestHostileInput:
    @pytest.mark.parametrize("big", [2**31, 10**30])
    def test_huge_ids_in_every_workspace_route_are_404(self, app, signed_in, workspace, big):
        for rule in app.url_map.iter_rules():
            if "workspace_id" not in rule.arguments or "GET" not in rule.methods:
                continue
            assert (
                signed_in.get(rule.rule.replace("<int:workspace_id>", str(big))).status_code == 404
            )
        assert add_journey(signed_in, workspace, big).status_code == 400
        response = signed_in.post(
            f"/workspaces/{workspace}/journeys/remove", data={"remove-journey": "x"}
        )
        assert response.status_code == 404

    def test_a_name_is_text_and_bounded(self, signed_in):
        hostile = '<script>alert("x")</script>'
        found = new_workspace(signed_in, hostile)
        page = signed_in.get(f"/workspaces/{found}/overview").get_data(as_text=True)
        assert hostile not in page and "&lt;script&gt;" in page
        response = signed_in.post("/workspaces/new", data={"name": "x" * 201})
        assert response.status_code == 200
        assert "Field cannot be longer than 200 characters." in response.get_data(as_text=True)


def test_sharing_says_the_journey_is_in_a_workspace(signed_in, workspace, journey_id, make_journey):
    page = signed_in.get(f"/journeys/{journey_id}/sharing").get_data(as_text=True)
    assert "This journey is in the workspace" in page and "Faculty of Science</a>" in page
    alone = signed_in.get(f"/journeys/{make_journey()}/sharing").get_data(as_text=True)
    assert "This journey is in the workspace" not in alone


def test_a_journeys_pages_lead_back_to_its_workspace_for_its_people_only(
    app, signed_in, workspace, journey_id
):
    back = f'<a href="/workspaces/{workspace}">Faculty of Science</a>'
    assert back in signed_in.get(f"/journeys/{journey_id}").get_data(as_text=True)
    guest = app.test_client()
    assert guest.get(make_link(signed_in, journey_id)).status_code == 302
    assert "Faculty of Science" not in guest.get(f"/journeys/{journey_id}").get_data(as_text=True)
