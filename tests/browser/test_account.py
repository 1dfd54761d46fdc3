"""Your account (issue 9): signing up leads to sign-in, and the password changes from the header."""

from __future__ import annotations

import os

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations

EMAIL = "grace.hopper@example.edu"
FIRST = "a first long password"
SECOND = "a second long password"
SHOTS = os.environ.get("CLAIMPATH_SCREENSHOTS", "/tmp")


def _sign_in(page, password: str) -> None:
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_sign_up_then_sign_in_then_change_the_password(page, browser, live_server):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server}/auth/signup")
    page.get_by_label("Display name").fill("Grace Hopper")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(FIRST)
    page.get_by_label("Repeat password").fill(FIRST)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_text("Next, sign in with this email")).to_be_visible()
    assert axe_violations(page) == []
    _sign_in(page, FIRST)
    expect(page.get_by_role("heading", name="Journeys", exact=True)).to_be_visible()

    # A second browser signed in as the same person is signed out by the change.
    other = browser.new_context().new_page()
    other.goto(f"{live_server}/auth/signin")
    _sign_in(other, FIRST)
    expect(other.get_by_role("heading", name="Journeys", exact=True)).to_be_visible()

    page.get_by_role("link", name=EMAIL).click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    page.get_by_label("Current password").fill("not my password at all")
    page.get_by_label("New password", exact=True).fill(SECOND)
    page.get_by_label("Repeat new password").fill(SECOND)
    page.get_by_role("button", name="Change password").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("This is not your current password.")
    assert axe_violations(page) == []
    page.get_by_label("Current password").fill(FIRST)
    page.get_by_label("New password", exact=True).fill(SECOND)
    page.get_by_label("Repeat new password").fill(SECOND)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password is changed.")).to_be_visible()
    assert axe_violations(page) == []
    page.screenshot(path=f"{SHOTS}/account-1366x768.png", full_page=True)

    other.reload()
    expect(other.get_by_role("heading", name="Sign in")).to_be_visible()
    _sign_in(other, SECOND)
    expect(other.get_by_role("heading", name="Journeys", exact=True)).to_be_visible()
