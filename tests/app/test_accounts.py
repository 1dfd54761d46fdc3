"""Issue 9: sessions that end for real, rate limits, lockout and the password rules."""

from __future__ import annotations

import time

import pytest

from app.extensions import db
from app.models import User
from tests.conftest import PASSWORD


def _copy_session(client, app):
    """Return a second client holding a copy of ``client``'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


class TestSessions:
    def test_signing_in_starts_a_new_session(self, client, auth):
        auth.signup()
        auth.signout()
        with client.session_transaction() as session:
            session["planted"] = "by an attacker"
        auth.signin()
        with client.session_transaction() as session:
            assert "planted" not in session
            assert "_user_id" in session

    def test_a_copied_cookie_opens_nothing_after_sign_out(self, client, auth, app):
        auth.signup()
        thief = _copy_session(client, app)
        assert thief.get("/").status_code == 200
        auth.signout()
        response = thief.get("/")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/signin")

    def test_signing_out_ends_the_other_sessions_too(self, client, auth, app):
        auth.signup()
        laptop = app.test_client()
        laptop.post("/auth/signin", data={"email": "ada@example.com", "password": PASSWORD})
        assert laptop.get("/").status_code == 200
        auth.signout()
        assert laptop.get("/").status_code == 302

    def test_a_new_password_ends_copied_sessions(self, client, auth, app):
        auth.signup()
        thief = _copy_session(client, app)
        with app.app_context():
            user = db.session.scalar(db.select(User))
            user.set_password("another long passphrase")
            db.session.commit()
        assert thief.get("/").status_code == 302

    @pytest.mark.parametrize("forged", ["1", "1:", "1:0000", "99999999999999:x", "x:y"])
    def test_a_forged_session_id_opens_nothing(self, client, auth, app, forged):
        auth.signup()
        stranger = app.test_client()
        with stranger.session_transaction() as session:
            session["_user_id"] = forged
        assert stranger.get("/").status_code == 302


class TestPasswords:
    def _signup(self, client, password):
        return client.post(
            "/auth/signup",
            data={"email": "ada@example.com", "password": password, "confirm": password},
        )

    @pytest.mark.parametrize("password", ["password", "qwerty123456", "Password1234"])
    def test_common_or_short_passwords_are_refused(self, client, password):
        page = self._signup(client, password).get_data(as_text=True)
        assert "Use at least 12 characters." in page or "most common ones" in page
        assert client.get("/").status_code == 302

    def test_a_too_long_password_is_told_the_real_maximum(self, client):
        page = self._signup(client, "x" * 201).get_data(as_text=True)
        assert "Use at most 128 characters." in page
        assert "at least" not in page.split("Use at most")[0][-200:]

    def test_a_long_uncommon_password_is_taken(self, client):
        assert self._signup(client, "ribbon kettle orbit").status_code == 302


class TestSigningInGivesNothingAway:
    def test_unknown_email_and_wrong_password_take_as_long(self, client, auth):
        auth.signup()
        auth.signout()

        def timed(email):
            start = time.perf_counter()
            page = auth.signin(email, "not the password").get_data(as_text=True)
            return time.perf_counter() - start, page

        known, known_page = min(timed("ada@example.com") for _ in range(3))
        unknown, unknown_page = min(timed("nobody@example.com") for _ in range(3))
        # Both hash a password: an unknown email is not answered in a few milliseconds.
        assert unknown > known / 4
        assert "Email or password is wrong." in known_page
        assert "Email or password is wrong." in unknown_page

    @pytest.mark.parametrize("target", ["/\\evil.example", "/\\/evil.example", "/\tx"])
    def test_next_never_leaves_the_site_even_with_backslashes(self, client, auth, target):
        auth.signup()
        auth.signout()
        response = client.post(
            "/auth/signin",
            query_string={"next": target},
            data={"email": "ada@example.com", "password": PASSWORD},
        )
        assert response.headers["Location"] == "/"


class TestRateLimits:
    def test_the_eleventh_wrong_password_is_refused_and_then_the_right_one_too(
        self, client, auth, app
    ):
        auth.signup()
        auth.signout()
        answers = [auth.signin(password=f"wrong {n}").status_code for n in range(10)]
        assert answers == [200] * 10
        locked = auth.signin()  # the right password, but the account waits now
        assert locked.status_code == 429
        assert "Too many attempts" in locked.get_data(as_text=True)
        assert client.get("/").status_code == 302

    def test_the_lockout_is_per_account(self, client, auth, app):
        auth.signup()
        auth.signout()
        auth.signup("bob@example.com")
        auth.signout()
        for n in range(10):
            auth.signin(password=f"wrong {n}")
        assert auth.signin("bob@example.com").status_code == 302

    def test_sign_in_attempts_from_one_address_are_limited(self, app, client, auth):
        app.config["SIGNIN_LIMIT"] = "3 per minute"
        answers = [auth.signin(f"p{n}@example.com").status_code for n in range(4)]
        assert answers == [200, 200, 200, 429]
        page = auth.signin("q@example.com")
        assert "Too many attempts" in page.get_data(as_text=True)
        assert "Retry-After" in page.headers

    def test_sign_ups_from_one_address_are_limited(self, app, client):
        app.config["SIGNUP_LIMIT"] = "2 per minute"
        answers = [
            app.test_client()
            .post(
                "/auth/signup",
                data={"email": f"p{n}@example.com", "password": PASSWORD, "confirm": PASSWORD},
            )
            .status_code
            for n in range(3)
        ]
        assert answers[-1] == 429
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count(User.id))) == 2
