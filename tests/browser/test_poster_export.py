"""The Export screen's View choice in Chromium: download the journey map poster (issue 12)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from journeys.pages import PAGES
from tests.browser.test_accessibility import _violations
from tests.browser.test_outcomes import import_example
from tests.journeys.test_poster import pdf_text

SCREENSHOTS = Path("/tmp/claimpath-shots")


def test_choose_the_journey_map_poster_for_a4_and_download_its_pdf(signed_in_page, tmp_path):
    page = signed_in_page
    page.set_viewport_size({"width": 1366, "height": 768})
    document = import_example(page, "careers-ready-pathway")
    page.get_by_role("link", name="Export", exact=True).click()
    view = page.get_by_label("View", exact=True)
    expect(view).to_have_value("gaps")
    view.select_option(label="Journey map poster")
    page.get_by_label("Page", exact=True).select_option("a4")
    view.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "export-view-choice.png"))
    assert _violations(page) == []
    with page.expect_download() as info:
        page.get_by_role("button", name="PDF for this page").click()
    download = info.value
    assert "journey-map-a4" in download.suggested_filename
    _, text = pdf_text(Path(download.path()).read_bytes(), PAGES["a4"])
    words = set(text.split())
    for tp in document["touchpoints"]:
        assert set(tp["title"].split()) <= words, tp["title"]
