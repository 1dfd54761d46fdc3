"""The Sharing screen: roles by email, a journey always keeps an owner, and share links."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import Membership, ShareLink, User, utcnow
from app.review.sharing import digest
from tests.app.helpers import join
from tests.conftest import AuthActions


def sharing(client, journey_id: int) -> str:
    return client.get(f"/journeys/{journey_id}/sharing").get_data(as_text=True)


def add(client, journey_id: int, email: str, role: str = "viewer"):
    return client.post(
        f"/journeys/{journey_id}/sharing/people",
        data={"person-email": email, "person-role": role},
    )


def user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(User.id).where(User.email == email))


def role(app, journey_id: int, email: str) -> str | None:
    with app.app_context():
        membership = db.session.get(Membership, (user_id(app, email), journey_id))
        return membership.role if membership else None


def make_link(client, journey_id: int, label: str = "", expires: str = "") -> str:
    """Create a share link through the form and return the link shown once."""
    response = client.post(
        f"/journeys/{journey_id}/sharing/links",
        data={"link-label": label, "link-expires": expires},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = sharing(client, journey_id)
    return re.search(r'id="new-link-url" type="text" readonly value="([^"]+)"', page).group(1)


class TestPeople:
    def test_the_owner_adds_someone_by_email_with_a_role(self, app, signed_in, journey_id):
        guest = join(app, signed_in, journey_id, "editor", "Bob@Example.com")
        assert role(app, journey_id, "bob@example.com") == "editor"
        assert "bob@example.com" in sharing(signed_in, journey_id)
        assert guest.get(f"/journeys/{journey_id}/settings").status_code == 200

    def test_a_malformed_email_is_said_beside_the_field(self, signed_in, journey_id):
        response = add(signed_in, journey_id, "nobody-at-example.com")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert 'aria-describedby="person-email-error" aria-invalid="true"' in page
        assert re.search(r'id="person-email-error" class="error">Invalid email address\.', page)

    def test_someone_already_on_the_journey_is_not_added_twice(self, app, signed_in, journey_id):
        join(app, signed_in, journey_id, "viewer", "bob@example.com")
        response = add(signed_in, journey_id, "bob@example.com", "editor")
        assert "bob@example.com already holds the viewer role" in response.get_data(as_text=True)
        assert role(app, journey_id, "bob@example.com") == "viewer"

    def test_an_unknown_role_is_refused(self, app, signed_in, journey_id, auth):
        join(app, signed_in, journey_id, "viewer", "bob@example.com")
        uid = user_id(app, "bob@example.com")
        response = signed_in.post(
            f"/journeys/{journey_id}/sharing/people/{uid}", data={"role": "admin"}
        )
        assert "Choose one of the roles." in response.get_data(as_text=True)
        assert role(app, journey_id, "bob@example.com") == "viewer"

    def test_the_owner_changes_a_role(self, app, signed_in, journey_id):
        bob = join(app, signed_in, journey_id, "viewer", "bob@example.com")
        assert bob.get(f"/journeys/{journey_id}/settings").status_code == 403
        uid = user_id(app, "bob@example.com")
        response = signed_in.post(
            f"/journeys/{journey_id}/sharing/people/{uid}", data={"role": "editor"}
        )
        assert response.status_code == 302
        assert bob.get(f"/journeys/{journey_id}/settings").status_code == 200

    def test_the_owner_removes_someone_who_then_gets_404s(self, app, signed_in, journey_id):
        bob = join(app, signed_in, journey_id, "editor", "bob@example.com")
        uid = user_id(app, "bob@example.com")
        assert (
            signed_in.post(f"/journeys/{journey_id}/sharing/people/{uid}/remove").status_code == 302
        )
        assert role(app, journey_id, "bob@example.com") is None
        assert bob.get(f"/journeys/{journey_id}").status_code == 404
        assert bob.get(f"/journeys/{journey_id}/export/findings.csv").status_code == 404

    def test_removing_someone_not_on_the_journey_is_a_404(self, app, signed_in, journey_id, auth):
        join(app, signed_in, journey_id, "viewer", "bob@example.com")
        other = user_id(app, "bob@example.com") + 1
        assert (
            signed_in.post(f"/journeys/{journey_id}/sharing/people/{other}/remove").status_code
            == 404
        )


class TestAlwaysAnOwner:
    @pytest.mark.parametrize("how", ["demote", "remove"])
    def test_the_last_owner_stays_with_a_clear_message(self, app, signed_in, journey_id, how):
        me = user_id(app, "ada@example.com")
        url = f"/journeys/{journey_id}/sharing/people/{me}"
        if how == "demote":
            response = signed_in.post(url, data={"role": "editor"})
        else:
            response = signed_in.post(f"{url}/remove")
        assert response.status_code == 200
        assert "A journey always keeps an owner: make someone else owner first." in (
            response.get_data(as_text=True)
        )
        assert role(app, journey_id, "ada@example.com") == "owner"

    def test_with_a_second_owner_the_first_can_step_down(self, app, signed_in, journey_id):
        join(app, signed_in, journey_id, "owner", "bob@example.com")
        me = user_id(app, "ada@example.com")
        response = signed_in.post(
            f"/journeys/{journey_id}/sharing/people/{me}", data={"role": "reviewer"}
        )
        assert response.headers["Location"] == f"/journeys/{journey_id}"
        assert role(app, journey_id, "ada@example.com") == "reviewer"
        assert signed_in.get(f"/journeys/{journey_id}/sharing").status_code == 403

    def test_an_owner_who_leaves_goes_back_to_their_journeys(self, app, signed_in, journey_id):
        join(app, signed_in, journey_id, "owner", "bob@example.com")
        me = user_id(app, "ada@example.com")
        response = signed_in.post(f"/journeys/{journey_id}/sharing/people/{me}/remove")
        assert response.headers["Location"] == "/"
        assert signed_in.get(f"/journeys/{journey_id}").status_code == 404


class TestShareLinks:
    def test_the_token_is_random_shown_once_and_stored_only_as_a_digest(
        self, app, signed_in, journey_id
    ):
        url = make_link(signed_in, journey_id, "Workshop 12 March")
        token = url.rsplit("/s/", 1)[1]
        assert len(token) >= 43  # 32 random bytes
        assert url.startswith("http://localhost/s/")
        with app.app_context():
            link = db.session.scalar(db.select(ShareLink))
            assert link.token_digest == digest(token)
            assert token not in {link.token_digest, link.label}
        page = sharing(signed_in, journey_id)
        assert token not in page
        assert "Workshop 12 March" in page

    def test_two_links_never_share_a_token(self, signed_in, journey_id):
        assert make_link(signed_in, journey_id) != make_link(signed_in, journey_id)

    def test_a_guest_reads_without_an_account(self, client, signed_in, journey_id, app):
        url = make_link(signed_in, journey_id)
        guest = app.test_client()
        response = guest.get(url)
        assert response.headers["Location"] == f"/journeys/{journey_id}"
        for page in ("", "/report", "/mentions/", "/export/", "/export/findings.csv"):
            assert guest.get(f"/journeys/{journey_id}{page}").status_code == 200, page
        map_page = guest.get(f"/journeys/{journey_id}").get_data(as_text=True)
        assert "Add touchpoint" not in map_page
        assert "/touchpoints/welcome/edit" not in map_page
        assert ">Sharing<" not in map_page and ">Settings<" not in map_page

    def test_a_guest_can_change_nothing(self, signed_in, journey_id, app):
        guest = app.test_client()
        guest.get(make_link(signed_in, journey_id))
        for url in (
            f"/journeys/{journey_id}/touchpoints/welcome/edit",
            f"/journeys/{journey_id}/settings",
            f"/journeys/{journey_id}/sharing",
        ):
            response = guest.get(url)
            assert response.status_code == 302
            assert response.headers["Location"].startswith("/auth/signin")
        assert guest.post(f"/journeys/{journey_id}/delete").status_code == 302
        assert signed_in.get(f"/journeys/{journey_id}").status_code == 200

    def test_a_signed_in_stranger_with_the_link_is_a_viewer(self, signed_in, journey_id, app):
        bob = app.test_client()
        AuthActions(bob).signup("bob@example.com")
        assert bob.get(f"/journeys/{journey_id}").status_code == 404
        bob.get(make_link(signed_in, journey_id))
        assert bob.get(f"/journeys/{journey_id}").status_code == 200
        assert bob.get(f"/journeys/{journey_id}/settings").status_code == 403
        assert (
            bob.post(
                f"/journeys/{journey_id}/mentions/welcome/review", data={"decision": "approved"}
            ).status_code
            == 403
        )
        # The journey does not join their list.
        assert "Tiny journey" not in bob.get("/").get_data(as_text=True)

    def test_a_member_keeps_their_own_role_with_a_link(self, app, signed_in, journey_id):
        editor = join(app, signed_in, journey_id, "editor", "bob@example.com")
        editor.get(make_link(signed_in, journey_id))
        assert editor.get(f"/journeys/{journey_id}/settings").status_code == 200

    def test_a_link_opens_only_its_own_journey(self, signed_in, make_journey, app):
        first, second = make_journey(), make_journey()
        guest = app.test_client()
        guest.get(make_link(signed_in, first))
        assert guest.get(f"/journeys/{first}").status_code == 200
        assert guest.get(f"/journeys/{second}").status_code == 302

    def test_last_use_is_recorded(self, app, signed_in, journey_id):
        url = make_link(signed_in, journey_id, "Guests")
        with app.app_context():
            assert db.session.scalar(db.select(ShareLink.last_used_at)) is None
        app.test_client().get(url)
        with app.app_context():
            used = db.session.scalar(db.select(ShareLink.last_used_at))
        assert used is not None and utcnow() - used < timedelta(minutes=1)
        row = sharing(signed_in, journey_id).split("Guests", 1)[1].split("</tr>", 1)[0]
        assert used.strftime("%Y-%m-%d %H:%M UTC") in row

    @pytest.mark.parametrize("token", ["nope", "x" * 43])
    def test_an_unknown_token_is_a_404(self, client, token):
        assert client.get(f"/s/{token}").status_code == 404


class TestEndingALink:
    def test_a_revoked_link_is_a_404_even_mid_session(self, app, signed_in, journey_id):
        url = make_link(signed_in, journey_id, "Workshop")
        guest = app.test_client()
        guest.get(url)
        assert guest.get(f"/journeys/{journey_id}/report").status_code == 200
        with app.app_context():
            link_id = db.session.scalar(db.select(ShareLink.id))
        response = signed_in.post(f"/journeys/{journey_id}/sharing/links/{link_id}/revoke")
        assert response.status_code == 302
        assert guest.get(f"/journeys/{journey_id}/report").status_code == 404
        assert guest.get(url).status_code == 404
        assert ">Revoked<" in sharing(signed_in, journey_id)

    def test_an_expired_link_is_a_404_even_mid_session(self, app, signed_in, journey_id):
        url = make_link(signed_in, journey_id, expires=date.today().isoformat())
        guest = app.test_client()
        guest.get(url)
        assert guest.get(f"/journeys/{journey_id}").status_code == 200
        with app.app_context():
            link = db.session.scalar(db.select(ShareLink))
            link.expires_at = utcnow() - timedelta(seconds=1)
            db.session.commit()
        assert guest.get(f"/journeys/{journey_id}").status_code == 404
        assert guest.get(url).status_code == 404
        assert ">Expired<" in sharing(signed_in, journey_id)

    def test_a_link_works_to_the_end_of_its_last_day(self, app, signed_in, journey_id):
        make_link(signed_in, journey_id, expires="2999-03-12")
        with app.app_context():
            expires = db.session.scalar(db.select(ShareLink.expires_at))
        assert expires.isoformat() == "2999-03-13T00:00:00"
        assert "end of 2999-03-12 UTC" in sharing(signed_in, journey_id)

    def test_a_last_day_in_the_past_is_refused_beside_the_field(self, app, signed_in, journey_id):
        response = signed_in.post(
            f"/journeys/{journey_id}/sharing/links",
            data={"link-expires": (date.today() - timedelta(days=2)).isoformat()},
        )
        assert response.status_code == 200
        assert re.search(
            r'id="link-expires-error" class="error">Choose today or a later day\.',
            response.get_data(as_text=True),
        )
        with app.app_context():
            assert db.session.scalar(db.select(ShareLink)) is None

    def test_a_link_to_a_journey_in_the_trash_is_a_404(self, app, signed_in, journey_id):
        url = make_link(signed_in, journey_id)
        guest = app.test_client()
        guest.get(url)
        signed_in.post(f"/journeys/{journey_id}/delete")
        assert guest.get(url).status_code == 404
        assert guest.get(f"/journeys/{journey_id}").status_code == 404

    def test_revoking_another_journeys_link_is_a_404(self, signed_in, make_journey, app):
        first, second = make_journey(), make_journey()
        make_link(signed_in, first)
        with app.app_context():
            link_id = db.session.scalar(db.select(ShareLink.id))
        response = signed_in.post(f"/journeys/{second}/sharing/links/{link_id}/revoke")
        assert response.status_code == 404


class TestControlsFollowTheRole:
    @pytest.mark.parametrize(
        ("page", "control"),
        [
            ("", "Add touchpoint"),
            ("/credentials/", "Add credential"),
            ("/credentials/", "/credentials/data-lit/edit"),
            ("/history/", "Restore revision"),
        ],
    )
    def test_editing_controls_show_only_to_editors(self, app, signed_in, journey_id, page, control):
        signed_in.post(f"/journeys/{journey_id}/settings", data={"title": "Renamed"})
        reviewer = join(app, signed_in, journey_id, "reviewer")
        assert control in signed_in.get(f"/journeys/{journey_id}{page}").get_data(as_text=True)
        assert control not in reviewer.get(f"/journeys/{journey_id}{page}").get_data(as_text=True)

    @pytest.mark.parametrize(
        ("who", "hidden"),
        [
            ("owner", set()),
            ("editor", {"Sharing"}),
            ("reviewer", {"Import", "Settings", "Sharing"}),
            ("viewer", {"Import", "Settings", "Sharing"}),
        ],
    )
    def test_the_tabs_are_those_the_role_may_open(self, app, signed_in, journey_id, who, hidden):
        client = signed_in if who == "owner" else join(app, signed_in, journey_id, who)
        html = client.get(f"/journeys/{journey_id}").get_data(as_text=True)
        start = html.index('<nav aria-label="Journey"')
        nav = html[start : html.index("</nav>", start)]
        every = ["Journey map", "Gap report", "Outcomes", "Mentions", "Comments", "Credentials"]
        every += ["History", "Import", "Settings", "Sharing", "Export"]
        shown = re.findall(r'href="/journeys/\d+[^"]*"\s*(?:aria-current="page")?>([^<]+)</a>', nav)
        assert shown == [tab for tab in every if tab not in hidden]
