"""Issue 10 item 6 in Chromium: a refused sign-in, invitation or import puts a focused error
summary first, and its links move focus to the field; axe-core finds nothing."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import EMAIL, axe_violations
from tests.browser.test_map_workspace import _journey


def _summary_leads_to(page, field) -> None:
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    box = summary.bounding_box()
    assert box["y"] < 768, box  # on the first screen, not under the form
    assert axe_violations(page) == []
    summary.get_by_role("link").first.click()
    expect(field).to_be_focused()


def test_a_failed_sign_in_focuses_the_summary(page, live_server):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server}/auth/signin")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Email or password is wrong")
    _summary_leads_to(page, page.get_by_label("Password"))


def test_a_refused_invitation_and_import_focus_the_summary(signed_in_page, tmp_path):
    page = signed_in_page
    _journey(page, "Summary journey")
    page.get_by_role("link", name="Sharing", exact=True).click()
    page.get_by_label("Email", exact=True).fill("no-at-sign")
    page.get_by_role("button", name="Invite").click()
    _summary_leads_to(page, page.get_by_label("Email", exact=True))
    page.get_by_role("link", name="Import", exact=True).first.click()
    broken = tmp_path / "broken.json"
    broken.write_text('{"title": 3}')
    page.get_by_label("File", exact=True).set_input_files(str(broken))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Nothing was imported")
    _summary_leads_to(page, page.get_by_label("File", exact=True))
