"""Changing the password (issue 9): the current one first, the sign-up rules, other sessions end."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import User
from tests.conftest import PASSWORD, AuthActions

NEW = "a brand new long password"


def change(client, current: str = PASSWORD, new: str = NEW, confirm: str | None = None):
    return client.post(
        "/auth/account",
        data={"current": current, "password": new, "confirm": new if confirm is None else confirm},
    )


def test_the_account_area_links_to_the_form(signed_in):
    home = signed_in.get("/").get_data(as_text=True)
    assert '<a href="/auth/account" class="muted">ada@example.com</a>' in home
    page = signed_in.get("/auth/account").get_data(as_text=True)
    for label in ("Current password", "New password", "Repeat new password"):
        assert f">{label}</label>" in page
    assert 'autocomplete="current-password"' in page and 'autocomplete="new-password"' in page
    assert ">Change password<" in page or 'value="Change password"' in page


def test_a_new_password_opens_the_account_and_the_old_one_no_longer_does(app, signed_in):
    response = change(signed_in)
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/account"
    page = signed_in.get("/auth/account").get_data(as_text=True)
    assert "Your password is changed." in page  # and this session goes on
    other = app.test_client()
    assert AuthActions(other).signin(password=PASSWORD).status_code == 200
    assert AuthActions(other).signin(password=NEW).status_code == 302


def test_every_other_session_ends_even_a_copied_cookie(app, client, auth):
    auth.signup()
    laptop = app.test_client()
    assert AuthActions(laptop).signin().status_code == 302
    copied = app.test_client()
    copied.set_cookie("session", laptop.get_cookie("session").value)
    assert copied.get("/").status_code == 200
    assert change(client).status_code == 302
    assert laptop.get("/").status_code == 302  # sent to sign in
    assert copied.get("/").status_code == 302
    assert client.get("/").status_code == 200  # the session that changed it stays in


@pytest.mark.parametrize(
    ("current", "new", "confirm", "field", "message"),
    [
        ("wrong password!", NEW, NEW, "current", "This is not your current password."),
        (PASSWORD, "short", "short", "password", "Use at least 12 characters."),
        (PASSWORD, "x" * 129, "x" * 129, "password", "Use at most 128 characters."),
        (PASSWORD, "password1234", "password1234", "password", "one of the most common"),
        (PASSWORD, NEW, "something else", "confirm", "The passwords differ."),
        (PASSWORD, PASSWORD, PASSWORD, "password", "other than the current one"),
        ("", NEW, NEW, "current", "This field is required."),
    ],
)
def test_a_refused_change_says_why_beside_the_field_and_changes_nothing(
    app, signed_in, current, new, confirm, field, message
):
    with app.app_context():
        before = db.session.scalar(db.select(User.password_hash))
    response = change(signed_in, current, new, confirm)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert 'role="alert"' in page  # the error summary
    with app.app_context():
        assert db.session.scalar(db.select(User.password_hash)) == before
    assert signed_in.get("/").status_code == 200


def test_guessing_the_current_password_from_an_open_session_is_limited(app, signed_in):
    answers = [change(signed_in, current=f"guess number {n}").status_code for n in range(11)]
    assert answers == [200] * 10 + [429]
    # Mistakes in the new password are not guesses: they do not count.
    other = app.test_client()
    AuthActions(other).signup("bob@example.com")
    assert {change(other, new="short").status_code for _ in range(12)} == {200}


def test_signed_out_it_asks_to_sign_in(client):
    response = client.get("/auth/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/signin?next=")
