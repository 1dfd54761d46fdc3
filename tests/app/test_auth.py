"""Signing up, in and out."""

from __future__ import annotations

import flask
import pytest

from app import create_app
from app.extensions import db
from app.mailing import mail
from app.models import User
from tests.conftest import PASSWORD


class TestSigningUp:
    def test_creates_an_account_and_signs_in(self, client, auth, app):
        response = auth.signup("Ada@Example.com")  # then signs in, as the next page asks
        assert response.status_code == 302
        assert "Journeys" in client.get("/").get_data(as_text=True)
        with app.app_context():
            user = db.session.scalar(db.select(User))
            assert user.email == "ada@example.com"
            assert "correct horse" not in user.password_hash

    @pytest.mark.parametrize(
        ("email", "password", "confirm", "message"),
        [
            ("", "long enough pw", "long enough pw", "This field is required."),
            ("not-an-email", "long enough pw", "long enough pw", "Invalid email address."),
            ("a@example.com", "short", "short", "Use at least 12 characters."),
            ("a@example.com", "long enough pw", "different pw", "The passwords differ."),
        ],
    )
    def test_bad_input_is_refused_beside_the_field(self, client, email, password, confirm, message):
        response = client.post(
            "/auth/signup", data={"email": email, "password": password, "confirm": confirm}
        )
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
        assert 'aria-invalid="true"' in response.get_data(as_text=True)

    def test_an_email_can_have_one_account_and_sign_up_never_tells_whether_it_had(
        self, app, client, auth
    ):
        def sign_up(email: str, password: str):
            """Return what a visitor sees after signing up: status, where to, the page there."""
            visitor = app.test_client()
            response = visitor.post(
                "/auth/signup", data={"email": email, "password": password, "confirm": password}
            )
            page = visitor.get(response.headers["Location"]).get_data(as_text=True)
            return response.status_code, response.headers["Location"], page

        new = sign_up("ada@example.com", "correct horse battery")
        taken = sign_up("ADA@example.com", "another long password")
        assert new == taken
        assert new[:2] == (302, "/auth/signin")
        assert "Next, sign in with this email and the password you chose." in new[2]
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count(User.id))) == 1
        # The account is the first one's: the second password opens nothing.
        assert auth.signin("ada@example.com", "another long password").status_code == 200
        assert auth.signin("ada@example.com", "correct horse battery").status_code == 302

    def test_with_smtp_the_address_is_told_what_happened(self, app, client):
        app.config["MAIL_SERVER"] = "smtp.example.com"
        data = {"email": "ada@example.com", "password": PASSWORD, "confirm": PASSWORD}
        with mail.record_messages() as outbox:
            first = app.test_client().post("/auth/signup", data=data)
            second = app.test_client().post("/auth/signup", data=data)
        assert first.headers["Location"] == second.headers["Location"]
        assert [m.recipients for m in outbox] == [["ada@example.com"], ["ada@example.com"]]
        assert outbox[0].subject == "Your Claimpath account"
        assert outbox[1].subject == "Someone tried to sign up to Claimpath with your email"
        assert "Nothing was changed" in outbox[1].body


class TestSigningIn:
    def test_with_the_right_password_opens_the_journeys(self, client, auth):
        auth.signup()
        auth.signout()
        response = auth.signin()
        assert response.headers["Location"] == "/"

    def test_with_a_wrong_password_says_so_and_stays_out(self, client, auth):
        auth.signup()
        auth.signout()
        response = auth.signin(password="wrong password")
        assert "Email or password is wrong." in response.get_data(as_text=True)
        assert client.get("/").status_code == 302

    def test_an_unknown_email_gets_the_same_answer(self, client, auth):
        response = auth.signin("nobody@example.com")
        assert "Email or password is wrong." in response.get_data(as_text=True)

    def test_goes_on_to_the_page_asked_for(self, client, auth):
        auth.signup()
        auth.signout()
        response = client.post(
            "/auth/signin?next=/trash",
            data={"email": "ada@example.com", "password": "correct horse battery"},
        )
        assert response.headers["Location"] == "/trash"

    @pytest.mark.parametrize(
        "target", ["https://evil.example/", "//evil.example/x", "javascript:x"]
    )
    def test_never_goes_on_to_another_site(self, client, auth, target):
        auth.signup()
        auth.signout()
        response = client.post(
            f"/auth/signin?next={target}",
            data={"email": "ada@example.com", "password": "correct horse battery"},
        )
        assert response.headers["Location"] == "/"

    def test_signed_in_users_skip_the_forms(self, client, auth):
        auth.signup()
        assert client.get("/auth/signin").status_code == 302
        assert client.get("/auth/signup").status_code == 302


def test_signing_out_ends_the_session(client, auth):
    auth.signup()
    response = auth.signout()
    assert response.headers["Location"] == "/auth/signin"
    assert client.get("/").status_code == 302


def test_signing_out_needs_a_post(client, auth):
    auth.signup()
    assert client.get("/auth/signout").status_code == 405


def test_a_session_survives_a_restart(tmp_path, monkeypatch):
    # The app as make run starts it: no SECRET_KEY, instance folder on disk.
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("CLAIMPATH_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    monkeypatch.setattr(flask.Flask, "auto_find_instance_path", lambda self: str(tmp_path))
    first = create_app()
    first.config["WTF_CSRF_ENABLED"] = False
    with first.app_context():
        db.create_all()
    client = first.test_client()
    client.post(
        "/auth/signup",
        data={
            "email": "ada@example.com",
            "password": "long enough pw",
            "confirm": "long enough pw",
        },
    )
    client.post("/auth/signin", data={"email": "ada@example.com", "password": "long enough pw"})
    cookie = client.get_cookie("session")

    second = create_app()
    again = second.test_client()
    again.set_cookie("session", cookie.value)
    assert again.get("/").status_code == 200
    for app in (first, second):
        with app.app_context():
            db.engine.dispose()
