"""Outcomes page: the per-channel fit on request; the what-if preview in learners (issue 14)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.test_accessibility import _violations
from tests.browser.test_outcomes import import_example

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path("/tmp/claimpath-shots")

OUTCOMES = (
    "credential,cohort,issued,claimed,shared,date\n"
    "Data Literacy Badge,2025 S1,120,54,9,2025-03-03\n"
    "Data Literacy Badge,2026 S1,160,139,61,2026-03-02\n"
)


def test_per_channel_fit_and_whatif_in_learners(signed_in_page, live_server):
    page = signed_in_page
    page.set_viewport_size({"width": 1366, "height": 768})
    import_example(page, "promoted-data-literacy")
    journey_url = page.url
    page.get_by_role("navigation", name="Journey").get_by_role("link", name="Outcomes").click()
    page.get_by_label("Outcomes file").set_input_files(
        {"name": "terms.csv", "mimeType": "text/csv", "buffer": OUTCOMES.encode()}
    )
    page.get_by_role("button", name="Upload outcomes").click()
    page.get_by_role("link", name="Fit one factor per channel too").click()
    table = page.get_by_role("table", name="One factor per channel")
    expect(table).to_be_visible()
    expect(table.get_by_role("row").nth(1)).to_be_visible()
    assert _violations(page) == []
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "outcomes-per-channel.png"), full_page=False)

    page.goto(journey_url.rstrip("/") + "/report")
    page.get_by_role("link", name="What-if").first.click()
    page.get_by_role("group", name="Fixes to try").get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Preview fixes").click()
    gains = page.get_by_role("list", name="Learners who claim, with the reach fitted")
    expect(gains).to_contain_text("issued in terms.csv, with the reach fitted to observed outcomes")
    assert _violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "whatif-learners.png"), full_page=False)
