"""Issue 15 in the browser: an owner invites a faculty reviewer who has no account yet.

The reviewer signs up from the invitation link, is shown by name, and approves
a touchpoint; the owner is told by name. axe-core checks each page on the way,
and the Sharing screen is kept as a screenshot at 1366x768.
"""

from __future__ import annotations

import os
import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

REVIEWER = "dr.okafor@example.edu"
PASSWORD = "a reviewer's long password"
SHOTS = os.environ.get("CLAIMPATH_SCREENSHOTS", "/tmp")


def _violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]]


def _sign_up(page, live_server, name: str, email: str) -> None:
    page.goto(f"{live_server}/auth/signup")
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    # Sign-up then asks to sign in, whether or not the email had an account (issue 9).
    expect(page.get_by_text("Next, sign in with this email")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", name="Journeys", exact=True)).to_be_visible()


def test_an_owner_invites_a_reviewer_who_signs_up_from_the_link_and_approves(
    page, browser, live_server
):
    owner = page
    owner.set_viewport_size({"width": 1366, "height": 768})
    _sign_up(owner, live_server, "Priya Raman", "priya.raman@example.edu")
    owner.get_by_role("link", name="New journey", exact=True).click()
    owner.get_by_label("Start from").select_option(index=1)
    owner.get_by_label("Title", exact=True).fill("Invited review")
    owner.get_by_role("button", name="Create journey", exact=True).click()
    expect(owner.get_by_role("heading", name="Invited review")).to_be_visible()

    owner.get_by_role("link", name="Sharing", exact=True).click()
    owner.get_by_label("Email").fill(REVIEWER)
    owner.get_by_label("Role", exact=True).select_option("reviewer")
    owner.get_by_role("button", name="Invite", exact=True).click()
    field = owner.get_by_label(re.compile(f"Invitation link for {re.escape(REVIEWER)}"))
    expect(field).to_have_attribute("readonly", "")
    url = field.input_value()
    assert re.fullmatch(rf"{re.escape(live_server)}/invite/[\w-]{{43}}", url)
    owner.get_by_role("button", name="Copy").click()
    expect(owner.get_by_text("Copied.")).to_be_visible()
    assert _violations(owner) == []
    owner.screenshot(path=f"{SHOTS}/sharing-1366x768.png", full_page=True)

    # The reviewer, in a browser of their own, opens the link and signs up.
    context = browser.new_context()
    reviewer = context.new_page()
    reviewer.goto(url)
    expect(reviewer.get_by_role("heading", name="Create an account")).to_be_visible()
    expect(reviewer.get_by_text("as reviewer")).to_be_visible()
    expect(reviewer.get_by_label("Email")).to_have_value(REVIEWER)
    assert _violations(reviewer) == []
    reviewer.get_by_label("Display name").fill("Dr Ngozi Okafor")
    reviewer.get_by_label("Password", exact=True).fill(PASSWORD)
    reviewer.get_by_label("Repeat password").fill(PASSWORD)
    reviewer.get_by_role("button", name="Create account").click()
    # Sign-up then asks to sign in, whether or not the email had an account (issue 9).
    expect(reviewer.get_by_text("Next, sign in with this email")).to_be_visible()
    reviewer.get_by_label("Email").fill(REVIEWER)
    reviewer.get_by_label("Password", exact=True).fill(PASSWORD)
    reviewer.get_by_role("button", name="Sign in", exact=True).click()
    reviewer.get_by_role("button", name="Accept invitation").click()
    expect(reviewer.get_by_role("heading", name="Invited review")).to_be_visible()

    # They approve the first mention.
    reviewer.get_by_role("link", name="Mentions", exact=True).click()
    first = reviewer.locator("article.mention").first
    title = first.locator("h3").inner_text()
    first.get_by_role("button", name="Approve").click()
    card = reviewer.get_by_role("article", name=title, exact=True)
    expect(card.get_by_text("Approved", exact=True).first).to_be_visible()
    expect(card.get_by_text("by Dr Ngozi Okafor")).to_be_visible()
    assert _violations(reviewer) == []
    context.close()

    # The owner sees the invitation accepted and the approval, by name, never the address.
    owner.goto(live_server + "/")
    expect(owner.get_by_text(f"Dr Ngozi Okafor approved '{title}'")).to_be_visible()
    owner.get_by_role("link", name="Invited review").first.click()
    owner.get_by_role("link", name="Sharing", exact=True).click()
    expect(owner.get_by_text("Accepted", exact=True)).to_be_visible()
    row = owner.locator("table.people tbody tr", has_text="Dr Ngozi Okafor")
    expect(row).to_contain_text(REVIEWER)
    owner.screenshot(path=f"{SHOTS}/sharing-accepted-1366x768.png", full_page=True)
