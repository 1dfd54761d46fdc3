"""Past PICK_LIMIT touchpoints, next touchpoints are typed: in Chromium, with axe-core."""

from __future__ import annotations

from playwright.sync_api import expect

from app.editor import touchpoints
from tests.browser.conftest import axe_violations


def test_a_mistyped_next_touchpoint_is_refused_beside_its_box(signed_in_page, monkeypatch):
    monkeypatch.setattr(touchpoints, "PICK_LIMIT", 2)  # the example's 12 touchpoints are "many"
    page = signed_in_page
    page.set_viewport_size({"width": 1366, "height": 768})
    page.get_by_role("link", name="New journey", exact=True).click()
    page.get_by_label("Start from").select_option("careers-ready-pathway")
    page.get_by_label("Title", exact=True).fill("Typed journey")
    page.get_by_role("button", name="Create journey", exact=True).click()
    # Let the map finish loading: leaving it mid-load drops its script downloads, and the
    # test server then leaks their files (an unraisable ResourceWarning fails the test).
    expect(page.get_by_role("heading", name="Typed journey")).to_be_visible()
    page.wait_for_load_state("load")
    page.goto(page.url.split("?")[0] + "/touchpoints/launch-email/edit")
    first = page.get_by_label("Next touchpoint 1")
    expect(first).to_have_value("Career Ready sign-up page")
    expect(first).to_have_accessible_description(
        "This journey has 12 touchpoints, too many to list here: type the title of a "
        "touchpoint (or its id, when several share a title)."
    )
    assert axe_violations(page) == []
    page.get_by_label("Next touchpoint 2").fill("Nowhere page")
    page.get_by_role("button", name="Save", exact=True).click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Next touchpoint 2: No touchpoint in this journey").click()
    box = page.get_by_label("Next touchpoint 2")
    expect(box).to_be_focused()
    expect(box).to_have_value("Nowhere page")
    expect(box).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []
