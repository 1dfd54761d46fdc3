"""Outcomes upload, comparison and chart in Chromium with axe-core; Download Mermaid (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.test_accessibility import _violations
from tests.browser.test_mermaid import MERMAID_JS, _parse

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path("/tmp/claimpath-shots")

OUTCOMES = (
    "credential,cohort,issued,claimed,shared,date\n"
    "Data Literacy Badge,2025 S1,120,54,9,2025-03-03\n"
    "Data Literacy Badge,2025 S2,140,91,22,2025-08-04\n"
    "data badge,2026 S1,160,139,61,2026-03-02\n"
    "Robotics badge,2026 S1,30,20,4,2026-03-02\n"
)


def import_example(page, name: str) -> dict:
    """Import an example journey through the Import screen; return its document."""
    document = json.loads((ROOT / f"journeys/examples/{name}.json").read_text())
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "j.json", "mimeType": "application/json", "buffer": json.dumps(document).encode()}
    )
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name=document["title"])).to_be_visible()
    return document


def test_upload_outcomes_see_the_comparison_and_chart(signed_in_page, live_server):
    page = signed_in_page
    page.set_viewport_size({"width": 1366, "height": 768})
    import_example(page, "promoted-data-literacy")
    page.get_by_role("navigation", name="Journey").get_by_role("link", name="Outcomes").click()
    expect(page.get_by_role("heading", name="Outcomes", exact=True)).to_be_visible()
    assert _violations(page) == []

    # A bad file first: its problem, located, in an alert; nothing stored.
    page.get_by_label("Outcomes file").set_input_files(
        {"name": "bad.csv", "mimeType": "text/csv", "buffer": b"credential,issued,claimed\nX,1,2\n"}
    )
    page.get_by_role("button", name="Upload outcomes").click()
    expect(page.get_by_role("alert")).to_contain_text("line 2, column claimed")
    expect(page.get_by_text("No outcomes yet")).to_be_visible()
    assert _violations(page) == []

    page.get_by_label("Outcomes file").set_input_files(
        {"name": "terms.csv", "mimeType": "text/csv", "buffer": OUTCOMES.encode()}
    )
    page.get_by_role("button", name="Upload outcomes").click()
    expect(page.get_by_text("Not matched to a credential: Robotics badge.")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(4)  # header + 3 cohorts
    first = table.get_by_role("row").nth(1)
    expect(first).to_contain_text("2025 S1")
    expect(first).to_contain_text("45%")  # 54 of 120 claimed
    expect(first).to_contain_text("Claim: -47 points.")
    chart = page.get_by_role("img", name="Claim and share rates per cohort: Data Literacy Badge")
    expect(chart).to_be_visible()
    expect(chart.locator("circle.point-claim")).to_have_count(4)  # 3 cohorts + the legend
    expect(chart.locator("rect.point-share")).to_have_count(4)
    expect(chart).to_contain_text("Model: claim 92%")
    expect(page.get_by_role("heading", name="Fit reach to what learners did")).to_be_visible()
    expect(page.get_by_text("Reach factor")).to_be_visible()
    assert _violations(page) == []
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "outcomes.png"), full_page=False)
    page.get_by_role(
        "heading", name="Claim and share rates per cohort"
    ).scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "outcomes-chart.png"), full_page=False)

    # Download Mermaid on the Export screen gives what Mermaid's parser accepts.
    page.get_by_role("navigation", name="Journey").get_by_role("link", name="Export").click()
    with page.expect_download() as caught:
        page.get_by_role("link", name="Download Mermaid").click()
    text = Path(caught.value.path()).read_text()
    page.add_script_tag(url=live_server + MERMAID_JS)
    page.wait_for_function("typeof mermaid !== 'undefined'")
    assert _parse(page, text) == {"ok": True, "type": "journey"}
