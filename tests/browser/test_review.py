"""Faculty review in the browser: a reviewer works through the mentions, the designer sees it.

Also a workshop guest with a share link, and axe-core on every page issue 5 adds.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

REVIEWER = "faculty@example.com"
PASSWORD = "another long password"


def _violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['html'][:120]})"
        for v in results.response["violations"]
    ]


def _new_journey(page, title: str) -> str:
    """Create a journey from the first template; return its map's path."""
    page.get_by_role("link", name="New journey", exact=True).click()
    page.get_by_label("Start from").select_option(index=1)
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_role("button", name="Create journey", exact=True).click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    return re.sub(r"^https?://[^/]+", "", page.url)


def _sign_up(page, live_server, email: str) -> None:
    page.goto(f"{live_server}/auth/signup")
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


@pytest.fixture
def reviewer_page(browser, live_server):
    """Return a page of a browser of its own, signed up as the faculty reviewer."""
    context = browser.new_context()
    page = context.new_page()
    _sign_up(page, live_server, REVIEWER)
    yield page
    context.close()


def test_a_reviewer_works_through_the_mentions_and_the_designer_sees_it(
    signed_in_page, reviewer_page, live_server
):
    designer, reviewer = signed_in_page, reviewer_page
    path = _new_journey(designer, "Faculty review")

    # The designer gives the faculty member the reviewer role, by email; a typo makes an
    # invitation for an address with no account, which the designer revokes.
    designer.get_by_role("link", name="Sharing", exact=True).click()
    designer.get_by_label("Email").fill("facutly@example.com")
    designer.get_by_role("button", name="Invite", exact=True).click()
    expect(designer.get_by_text("Invitation link for facutly@example.com.")).to_be_visible()
    assert _violations(designer) == []
    designer.get_by_role("button", name="Revoke the invitation of facutly@example.com").click()
    expect(designer.get_by_text("Revoked", exact=True)).to_be_visible()
    designer.get_by_label("Email").fill(REVIEWER)
    designer.get_by_label("Role", exact=True).select_option("reviewer")
    designer.get_by_role("button", name="Invite", exact=True).click()
    # An account or not, everyone gets an invitation link (issue 9): the faculty member
    # opens it signed in and accepts.
    url = designer.get_by_label(re.compile(f"Invitation link for {re.escape(REVIEWER)}"))
    link = url.input_value()
    assert _violations(designer) == []
    reviewer.goto(link)
    reviewer.get_by_role("button", name="Accept invitation").click()
    expect(reviewer.get_by_text("You are reviewer on 'Faculty review'.")).to_be_visible()

    # The reviewer is asked, on their home page, and opens the Mentions screen.
    reviewer.goto(live_server + "/")
    expect(reviewer.get_by_text("Review requested:")).to_be_visible()
    reviewer.get_by_role("link", name="Faculty review").first.click()
    reviewer.get_by_role("link", name="Mentions", exact=True).click()
    expect(reviewer.get_by_role("heading", name="Mentions", level=2)).to_be_visible()

    # Filter: the first credential, not reviewed yet.
    credential = reviewer.get_by_label("Credential", exact=True)
    name = credential.locator("option").nth(1).inner_text()
    credential.select_option(label=name)
    reviewer.get_by_label("State", exact=True).select_option("not_reviewed")
    reviewer.get_by_role("button", name="Filter").click()
    expect(reviewer).to_have_url(re.compile(r"credential=[\w-]+&stage=&state=not_reviewed"))
    mentions = reviewer.locator("article.mention")
    expect(mentions.first).to_be_visible()
    assert mentions.count() >= 2
    first = mentions.nth(0).locator("h3").inner_text()
    second = mentions.nth(1).locator("h3").inner_text()
    assert _violations(reviewer) == []

    # Approve one, from the keyboard; it leaves the "not reviewed" list.
    reviewer.get_by_role("article", name=first, exact=True).get_by_role(
        "button", name="Approve"
    ).focus()
    reviewer.keyboard.press("Enter")
    expect(reviewer.get_by_role("article", name=first, exact=True)).to_have_count(0)
    expect(reviewer.get_by_label("Credential", exact=True)).to_have_value(re.compile(r".+"))

    # Request changes on another: first without saying which, which is refused.
    card = reviewer.get_by_role("article", name=second, exact=True)
    card.get_by_role("button", name="Request changes").click()
    expect(card.get_by_text("Say what should change")).to_be_visible()
    assert _violations(reviewer) == []
    card.get_by_label(f"Comment on {second}").fill("Tell learners how to claim it.")
    card.get_by_role("button", name="Request changes").click()
    reviewer.get_by_label("State", exact=True).select_option("")
    reviewer.get_by_role("button", name="Filter").click()
    done = reviewer.get_by_role("article", name=second, exact=True)
    expect(done.get_by_text("Changes requested", exact=True).first).to_be_visible()
    expect(done.get_by_text("Tell learners how to claim it.")).to_be_visible()
    assert _violations(reviewer) == []

    # The designer is told, and sees both on the map.
    designer.goto(live_server + "/")
    expect(designer.get_by_text("Approved:")).to_be_visible()
    expect(designer.get_by_text("Changes requested:")).to_be_visible()
    assert _violations(designer) == []
    designer.goto(live_server + path)
    expect(designer.get_by_role("article", name=first, exact=True)).to_contain_text("Approved")
    expect(designer.get_by_role("article", name=second, exact=True)).to_contain_text(
        "Changes requested"
    )
    assert _violations(designer) == []


def test_a_workshop_guest_reads_the_gap_report_with_a_link_and_changes_nothing(
    signed_in_page, browser, live_server
):
    designer = signed_in_page
    path = _new_journey(designer, "Workshop journey")
    designer.get_by_role("link", name="Sharing", exact=True).click()
    designer.get_by_label("Label").fill("Workshop 12 March")
    designer.get_by_role("button", name="Create share link").click()
    link = designer.get_by_label(re.compile("Your new share link")).input_value()
    assert "/s/" in link
    assert _violations(designer) == []

    guest_context = browser.new_context()
    guest = guest_context.new_page()
    try:
        guest.goto(link)
        expect(guest.get_by_role("heading", name="Workshop journey")).to_be_visible()
        expect(guest.get_by_role("link", name="Add touchpoint")).to_have_count(0)
        expect(guest.get_by_role("link", name="Sharing")).to_have_count(0)
        guest.get_by_role("link", name="Gap report", exact=True).click()
        expect(guest.get_by_role("heading", name="Gap report", level=2)).to_be_visible()
        assert _violations(guest) == []
        guest.get_by_role("link", name="Mentions", exact=True).click()
        expect(guest.get_by_role("button", name="Approve")).to_have_count(0)
        assert _violations(guest) == []

        # The owner revokes it: the guest's next page is not found.
        designer.get_by_role("button", name="Revoke Workshop 12 March").click()
        expect(designer.get_by_text("Revoked", exact=True)).to_be_visible()
        response = guest.goto(live_server + path)
        assert response.status == 404
    finally:
        guest_context.close()
