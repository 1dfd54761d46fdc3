"""Issue 15 in the browser: a workshop guest comments on a finding from a share link.

The owner makes a link that allows comments; the guest opens the gap report,
gives a name once and comments on the finding being discussed; the owner
sees it marked as a guest's. axe-core checks the pages on the way.
"""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

PASSWORD = "the owner's long password"


def _violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]]


def test_a_workshop_guest_comments_on_a_finding(page, browser, live_server):
    owner = page
    owner.set_viewport_size({"width": 1366, "height": 768})
    owner.goto(f"{live_server}/auth/signup")
    owner.get_by_label("Display name").fill("Workshop Host")
    owner.get_by_label("Email").fill("host@example.edu")
    owner.get_by_label("Password", exact=True).fill(PASSWORD)
    owner.get_by_label("Repeat password").fill(PASSWORD)
    owner.get_by_role("button", name="Create account").click()
    # Sign-up then asks to sign in, whether or not the email had an account (issue 9).
    expect(owner.get_by_text("Next, sign in with this email")).to_be_visible()
    owner.get_by_label("Email").fill("host@example.edu")
    owner.get_by_label("Password", exact=True).fill(PASSWORD)
    owner.get_by_role("button", name="Sign in", exact=True).click()
    owner.get_by_role("link", name="New journey", exact=True).click()
    owner.get_by_label("Start from").select_option(index=1)
    owner.get_by_label("Title", exact=True).fill("Workshop journey")
    owner.get_by_role("button", name="Create journey", exact=True).click()
    expect(owner.get_by_role("heading", name="Workshop journey")).to_be_visible()

    owner.get_by_role("link", name="Sharing", exact=True).click()
    owner.get_by_label("Label").fill("Workshop 12 March")
    owner.get_by_label(re.compile("Let people with this link comment")).check()
    owner.get_by_role("button", name="Create share link").click()
    url = owner.get_by_label(re.compile("Your new share link")).input_value()
    expect(owner.get_by_text("read and comment")).to_be_visible()
    assert _violations(owner) == []

    context = browser.new_context(viewport={"width": 1366, "height": 768})
    guest = context.new_page()
    guest.goto(url)
    guest.get_by_role("link", name="Gap report", exact=True).click()
    card = guest.locator("article.finding").first
    card.get_by_label("Your name").fill("Sam from Careers")
    card.get_by_label(re.compile(r"Comment on finding \d+")).fill(
        "Our learners never open this email: say it in the LMS too."
    )
    card.get_by_role("button", name="Add comment").click()
    card = guest.locator("article.finding").first
    expect(card.get_by_text("Sam from Careers (guest)", exact=True)).to_be_visible()
    expect(card.get_by_text("Our learners never open this email")).to_be_visible()
    # The name is asked once: the next box no longer asks for it.
    expect(guest.get_by_label("Your name")).to_have_count(0)
    assert _violations(guest) == []
    guest.screenshot(path="/tmp/guest-report-1366x768.png")
    context.close()

    owner.goto(re.sub(r"/sharing$", "/comments/", owner.url))
    expect(owner.get_by_text("Sam from Careers (guest)", exact=True)).to_be_visible()
    owner.get_by_role("button", name=re.compile("Resolve the comment of Sam")).click()
    expect(owner.get_by_text("Resolved by Workshop Host")).to_be_visible()
    assert _violations(owner) == []
