"""Issue 15 in the browser: an admin makes a workspace, adds journeys and reads its Overview.

axe-core checks each workspace page; the Overview is kept as a screenshot at
1366x768 (``CLAIMPATH_SCREENSHOTS``, default /tmp).
"""

from __future__ import annotations

import os

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

SHOTS = os.environ.get("CLAIMPATH_SCREENSHOTS", "/tmp")


def _violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]]


def _new_journey(page, live_server, template: int, title: str) -> None:
    page.goto(f"{live_server}/journeys/new")
    page.get_by_label("Start from").select_option(index=template)
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_role("button", name="Create journey", exact=True).click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def test_an_admin_creates_a_workspace_adds_journeys_and_opens_the_overview(
    signed_in_page, live_server
):
    page = signed_in_page
    page.set_viewport_size({"width": 1366, "height": 768})
    _new_journey(page, live_server, 1, "Science badges 2027")
    _new_journey(page, live_server, 2, "Careers badges 2027")

    page.get_by_role("link", name="Workspaces", exact=True).click()
    page.get_by_role("link", name="New workspace", exact=True).click()
    page.get_by_label("Name").fill("Faculty of Science")
    page.get_by_role("button", name="Create workspace").click()
    expect(page.get_by_role("heading", name="Faculty of Science")).to_be_visible()
    expect(page.get_by_text("You are its admin")).to_be_visible()
    assert _violations(page) == []

    for title in ("Science badges 2027", "Careers badges 2027"):
        page.get_by_label("Journey", exact=True).select_option(label=title)
        page.get_by_role("button", name="Add journey").click()
        expect(page.get_by_text(f"'{title}' is now in Faculty of Science.")).to_be_visible()
    journeys = page.get_by_role("table")
    expect(journeys.get_by_role("link", name="Science badges 2027")).to_be_visible()
    expect(journeys.get_by_role("link", name="Careers badges 2027")).to_be_visible()
    assert _violations(page) == []
    page.screenshot(path=f"{SHOTS}/workspace-journeys-1366x768.png", full_page=True)
    # A journey of the workspace leads back to it.
    journeys.get_by_role("link", name="Science badges 2027").click()
    expect(page.get_by_role("heading", name="Science badges 2027")).to_be_visible()
    page.get_by_role("link", name="Faculty of Science", exact=True).click()

    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_label("Email").fill("careers.adviser@example.edu")
    page.get_by_label("Role", exact=True).select_option("reviewer")
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_label("Invitation link for careers.adviser@example.edu.")).to_be_visible()
    assert _violations(page) == []
    page.screenshot(path=f"{SHOTS}/workspace-people-1366x768.png", full_page=True)

    page.get_by_role("link", name="Overview", exact=True).click()
    expect(page.get_by_role("heading", name="Overview", exact=True)).to_be_visible()
    expect(page.get_by_text("matched across journeys by name")).to_be_visible()
    matrix = page.locator("table.overview-matrix")
    expect(matrix.get_by_role("columnheader", name="Science badges 2027")).to_be_visible()
    expect(matrix.get_by_role("columnheader", name="Careers badges 2027")).to_be_visible()
    # Every cell says in words how the credential fares: never colour alone.
    for cell in matrix.locator("td").all():
        assert cell.inner_text().strip()
    assert _violations(page) == []
    page.screenshot(path=f"{SHOTS}/overview-1366x768.png")
    page.screenshot(path=f"{SHOTS}/overview-1366x768-full.png", full_page=True)
