"""Invitations (issue 15): anyone invited by email with a role, by a link that works once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.mailing import mail
from app.models import Invitation, Membership, User, utcnow
from app.review.sharing import digest
from tests.app.test_sharing import make_link, role, sharing
from tests.conftest import PASSWORD, AuthActions

URL = re.compile(r'id="new-invitation-url" type="text" readonly value="([^"]+)"')


def invite(client, journey_id: int, email: str, role_: str = "reviewer") -> str:
    """Invite ``email`` through the Sharing form and return the link shown once."""
    response = client.post(
        f"/journeys/{journey_id}/sharing/people",
        data={"person-email": email, "person-role": role_},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = sharing(client, journey_id)
    found = URL.search(page)
    assert found, page
    return found.group(1)


def sign_up_from(app, url: str, email: str, name: str = "Faculty Reviewer"):
    """Open the link in a new browser and sign up there; return the client and the response."""
    visitor = app.test_client()
    opened = visitor.get(url)
    assert opened.status_code == 302
    assert opened.headers["Location"] == "/auth/signup"
    form = visitor.get("/auth/signup").get_data(as_text=True)
    response = visitor.post(
        "/auth/signup",
        data={"display_name": name, "email": email, "password": PASSWORD, "confirm": PASSWORD},
    )
    return visitor, form, response


def join_from(app, url: str, email: str):
    """Sign up from the link, sign in as the next page asks, and accept; return the client."""
    visitor, _, response = sign_up_from(app, url, email)
    signed = visitor.post(response.headers["Location"], data={"email": email, "password": PASSWORD})
    path = url.removeprefix("http://localhost")
    assert signed.headers["Location"] == path
    assert visitor.post(path).status_code == 302
    return visitor


class TestANewPerson:
    def test_the_link_is_a_full_url_with_copy_and_its_token_is_stored_only_as_a_digest(
        self, app, signed_in, journey_id
    ):
        signed_in.post(
            f"/journeys/{journey_id}/sharing/people",
            data={"person-email": "New.Person@example.com", "person-role": "reviewer"},
        )
        page = sharing(signed_in, journey_id)
        url = URL.search(page).group(1)
        assert url.startswith("http://localhost/invite/")
        token = url.rsplit("/", 1)[1]
        assert len(token) >= 43  # 32 random bytes
        assert '<button type="button" class="secondary" data-copy="new-invitation-url">Copy' in page
        assert "js/copy.js" in page
        with app.app_context():
            invitation = db.session.scalar(sa.select(Invitation))
            assert invitation.email == "new.person@example.com"
            assert invitation.token_digest == digest(token)
        # Shown once: the next visit lists the invitation but not the link.
        again = sharing(signed_in, journey_id)
        assert token not in again
        assert "new.person@example.com" in again and ">Pending<" in again

    def test_signing_up_from_the_link_grants_the_role(self, app, signed_in, journey_id):
        url = invite(signed_in, journey_id, "faculty@example.com")
        visitor, form, response = sign_up_from(app, url, "faculty@example.com")
        assert "invites you to “Tiny journey” as <strong>reviewer</strong>" in form
        assert 'value="faculty@example.com"' in form  # the email is filled in
        # Sign-up leads to signing in, and then back to the invitation to accept it.
        path = url.removeprefix("http://localhost")
        assert response.headers["Location"] == f"/auth/signin?next={path}"
        signed = visitor.post(
            response.headers["Location"],
            data={"email": "faculty@example.com", "password": PASSWORD},
        )
        assert signed.headers["Location"] == path
        assert "Accept invitation" in visitor.get(path).get_data(as_text=True)
        assert role(app, journey_id, "faculty@example.com") is None  # not before accepting
        assert visitor.post(path).headers["Location"] == f"/journeys/{journey_id}"
        assert role(app, journey_id, "faculty@example.com") == "reviewer"
        assert visitor.get(f"/journeys/{journey_id}/mentions/").status_code == 200
        page = sharing(signed_in, journey_id)
        assert ">Accepted<" in page and "by Faculty Reviewer" in page
        # The owner is told, by name.
        assert "Faculty Reviewer accepted your invitation" in signed_in.get("/").get_data(
            as_text=True
        )

    def test_a_link_works_once(self, app, signed_in, journey_id):
        url = invite(signed_in, journey_id, "faculty@example.com")
        join_from(app, url, "faculty@example.com")
        assert app.test_client().get(url).status_code == 404
        other = app.test_client()
        AuthActions(other).signup("other@example.com")
        assert other.get(url).status_code == 404
        assert other.post(url).status_code == 404
        assert other.get(f"/journeys/{journey_id}").status_code == 404

    def test_an_expired_link_opens_nothing(self, app, signed_in, journey_id):
        url = invite(signed_in, journey_id, "faculty@example.com")
        with app.app_context():
            invitation = db.session.scalar(sa.select(Invitation))
            assert invitation.expires_at - utcnow() > timedelta(days=13)
            invitation.expires_at = utcnow() - timedelta(seconds=1)
            db.session.commit()
        assert app.test_client().get(url).status_code == 404
        assert ">Expired<" in sharing(signed_in, journey_id)

    def test_expiring_after_it_was_opened_grants_nothing_at_sign_up(
        self, app, signed_in, journey_id
    ):
        url = invite(signed_in, journey_id, "faculty@example.com")
        visitor = app.test_client()
        visitor.get(url)
        with app.app_context():
            db.session.scalar(sa.select(Invitation)).expires_at = utcnow()
            db.session.commit()
        response = AuthActions(visitor).signup("faculty@example.com")
        assert response.headers["Location"] == "/"
        assert role(app, journey_id, "faculty@example.com") is None

    def test_a_revoked_link_opens_nothing(self, app, signed_in, journey_id):
        url = invite(signed_in, journey_id, "faculty@example.com")
        visitor = app.test_client()
        visitor.get(url)  # opened before it was revoked
        with app.app_context():
            invitation_id = db.session.scalar(sa.select(Invitation.id))
        response = signed_in.post(
            f"/journeys/{journey_id}/sharing/invitations/{invitation_id}/revoke"
        )
        assert response.status_code == 302
        assert ">Revoked<" in sharing(signed_in, journey_id)
        assert app.test_client().get(url).status_code == 404
        AuthActions(visitor).signup("faculty@example.com")
        assert role(app, journey_id, "faculty@example.com") is None

    def test_revoking_another_journeys_invitation_is_a_404(self, app, signed_in, make_journey):
        first, second = make_journey(), make_journey()
        invite(signed_in, first, "faculty@example.com")
        with app.app_context():
            invitation_id = db.session.scalar(sa.select(Invitation.id))
        url = f"/journeys/{second}/sharing/invitations/{invitation_id}/revoke"
        assert signed_in.post(url).status_code == 404

    def test_a_journey_in_the_trash_cannot_be_joined(self, app, signed_in, journey_id):
        url = invite(signed_in, journey_id, "faculty@example.com")
        signed_in.post(f"/journeys/{journey_id}/delete")
        assert app.test_client().get(url).status_code == 404

    @pytest.mark.parametrize("token", ["nope", "x" * 43])
    def test_an_unknown_token_is_a_404(self, client, token):
        assert client.get(f"/invite/{token}").status_code == 404
        assert client.post(f"/invite/{token}").status_code == 404

    def test_guessing_is_rate_limited_but_using_a_link_is_not(self, app, signed_in, journey_id):
        url = invite(signed_in, journey_id, "faculty@example.com")
        visitor = app.test_client()
        # Only misses count: opening a real link again and again is never stopped...
        assert {visitor.get(url).status_code for _ in range(25)} == {302}
        # ...while guessing from that address is, for invitations and share links alike.
        for prefix in ("/invite/", "/s/"):
            answers = [visitor.get(f"{prefix}guess{n}").status_code for n in range(21)]
            assert answers == [404] * 20 + [429], prefix


class TestEmail:
    def test_with_smtp_configured_the_link_is_emailed(self, app, signed_in, journey_id):
        app.config["MAIL_SERVER"] = "smtp.example.com"
        with mail.record_messages() as outbox:
            url = invite(signed_in, journey_id, "faculty@example.com")
        assert len(outbox) == 1
        assert outbox[0].recipients == ["faculty@example.com"]
        assert "ada invites you to 'Tiny journey'" in outbox[0].subject
        assert url in outbox[0].body
        assert "We emailed it to them" in sharing_after(signed_in, journey_id, "faculty2")

    def test_without_smtp_nothing_is_sent(self, app, signed_in, journey_id):
        with mail.record_messages() as outbox:
            invite(signed_in, journey_id, "faculty@example.com")
        assert outbox == []


def sharing_after(client, journey_id: int, local: str) -> str:
    client.post(
        f"/journeys/{journey_id}/sharing/people",
        data={"person-email": f"{local}@example.com", "person-role": "viewer"},
    )
    return sharing(client, journey_id)


class TestSomeoneWithAnAccount:
    def test_is_invited_in_the_same_words_as_someone_without_one(
        self, app, signed_in, make_journey
    ):
        bob = app.test_client()
        AuthActions(bob).signup("bob@example.com")

        def answer(email: str) -> tuple[int, str, str]:
            """Return what the owner sees inviting ``email`` to a journey of their own."""
            journey_id = make_journey()
            response = signed_in.post(
                f"/journeys/{journey_id}/sharing/people",
                data={"person-email": email, "person-role": "editor"},
            )
            page = URL.sub("LINK", sharing(signed_in, journey_id)).replace(email, "EMAIL")
            page = re.sub(rf"/journeys/{journey_id}\b", "/journeys/J", page)
            page = re.sub(r"\d\d:\d\d", "HH:MM", page)
            page = re.sub(r"invitations/\d+/", "invitations/N/", page)
            where = response.headers["Location"].replace(str(journey_id), "J")
            return response.status_code, where, page

        assert answer("bob@example.com") == answer("nobody@example.com")
        # Bob's account gets the role only when he accepts, signed in, like anyone else.
        with app.app_context():
            bobs = db.session.scalar(
                sa.select(Invitation).where(Invitation.email == "bob@example.com")
            )
            assert bobs.state() == "pending" and bobs.role == "editor"
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Membership)) == 2

    def test_can_accept_a_link_signed_in(self, app, signed_in, journey_id):
        url = invite(signed_in, journey_id, "adviser@example.com", "viewer")
        adviser = app.test_client()
        AuthActions(adviser).signup("careers@example.com")  # signed up with another address
        page = adviser.get(url)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "invites you to this journey as <strong>viewer</strong>" in html
        assert role(app, journey_id, "careers@example.com") is None  # opening grants nothing
        accepted = adviser.post(url)
        assert accepted.headers["Location"] == f"/journeys/{journey_id}"
        assert role(app, journey_id, "careers@example.com") == "viewer"

    def test_accepting_never_takes_a_stronger_role_away(self, app, signed_in, journey_id):
        url = invite(signed_in, journey_id, "someone@example.com", "viewer")
        signed_in.post(url)  # the owner accepts their own link
        assert role(app, journey_id, "ada@example.com") == "owner"
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Membership)) == 1
            assert db.session.scalar(sa.select(Invitation.used_by_id)) == db.session.scalar(
                sa.select(User.id).where(User.email == "ada@example.com")
            )

    def test_signing_in_from_the_sign_up_page_keeps_the_invitation(
        self, app, signed_in, journey_id
    ):
        url = invite(signed_in, journey_id, "bob@example.com")
        bob = app.test_client()
        AuthActions(bob).signup("bob@example.com")
        AuthActions(bob).signout()
        bob.get(url)
        form = bob.get("/auth/signup").get_data(as_text=True)
        link = re.search(r'href="(/auth/signin\?next=[^"]+)">Sign in</a> to accept', form)
        assert link
        response = bob.post(
            link.group(1).replace("&amp;", "&"),
            data={"email": "bob@example.com", "password": PASSWORD},
        )
        assert response.headers["Location"] == url.removeprefix("http://localhost")


def test_share_links_have_a_copy_button_too(signed_in, journey_id):
    make_link(signed_in, journey_id)
    # make_link read the page once; make another to see the button.
    signed_in.post(f"/journeys/{journey_id}/sharing/links", data={"link-label": "Second"})
    page = sharing(signed_in, journey_id)
    assert '<button type="button" class="secondary" data-copy="new-link-url">Copy</button>' in page
