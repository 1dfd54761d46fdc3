"""Issue 11 in a browser: the first screen says who will not know what and what to fix
first; the grouped cards; a fix previewed with one click and applied with its draft."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import _violations

DISTRICT = (
    Path(__file__).resolve().parents[2] / "journeys" / "examples" / "district-auto-badges.json"
)
SHOTS = Path("/tmp/claimpath-shots")


def _import(page, document: dict) -> None:
    """Import a journey document through the Import screen and open its gap report."""
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("File", exact=True).set_input_files(
        {
            "name": "district.json",
            "mimeType": "application/json",
            "buffer": json.dumps(document).encode(),
        }
    )
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name=document["title"])).to_be_visible()
    journey = page.get_by_role("navigation", name="Journey")
    journey.get_by_role("link", name="Gap report", exact=True).click()
    expect(page.get_by_role("heading", name="Gap report", exact=True)).to_be_visible()


@pytest.fixture
def district(signed_in_page, request):
    """Return the page on the gap report of the district example, titled after the test."""
    document = copy.deepcopy(json.loads(DISTRICT.read_text("utf-8")))
    document["title"] = f"District {request.node.name[:40]}"
    signed_in_page.set_viewport_size({"width": 1366, "height": 768})
    _import(signed_in_page, document)
    return signed_in_page


def test_the_first_screen_has_the_headline_and_fix_these_first(district):
    page = district
    sentence = page.locator(".headline-sentence")
    expect(sentence).to_have_text(
        "Almost no learner will know that they have earned the Digital Citizenship Badge "
        "when it arrives."
    )
    heading = page.get_by_role("heading", name="Fix these first", exact=True)
    expect(heading).to_be_in_viewport()
    items = page.locator(".fix-first-list > li")
    expect(items).to_have_count(3)
    expect(items.first).to_contain_text("+32")
    expect(items.first.get_by_role("link", name="Preview fix 1 in what-if")).to_be_in_viewport()
    # the deductions are folded away until asked for
    expect(page.locator(".deductions-folded .deductions").first).to_be_hidden()
    page.get_by_text("How the score was reached", exact=True).click()
    expect(page.locator(".deductions-folded .deductions").first).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.get_by_text("How the score was reached", exact=True).click()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / "report-first-screen-1366x768.png"))
    assert _violations(page) == []


def test_one_card_per_place_with_one_route(district):
    page = district
    card = page.locator("article.finding").filter(
        has_text="At 'Automatic badge-platform email', learners have not been told: "
        "earned, represents, claim, why"
    )
    expect(card).to_have_count(1)
    expect(card.locator("ol.route")).to_have_count(1)
    expect(card.get_by_role("rowheader", name="claim")).to_be_visible()
    expect(card.locator(".advice")).to_have_count(4)
    SHOTS.mkdir(exist_ok=True)
    card.screenshot(path=str(SHOTS / "report-card.png"))
    # 13 findings, fewer cards
    assert page.locator("article.finding").count() < 13


def test_preview_a_fix_and_apply_it_with_its_draft(district):
    page = district
    page.get_by_role("link", name="Preview fix 1 in what-if").click()
    expect(page.get_by_role("heading", name="Today and with 1 fix")).to_be_visible()
    page.get_by_label("Also add drafted copy", exact=False).check()
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(page.locator("body")).to_contain_text("with drafted copy")
    expect(page.locator(".headline-sentence")).not_to_contain_text("earned")
    journey = page.url.split("/report")[0]
    # The Mentions screen shows the touchpoint's copy: the draft is there, marked.
    page.goto(f"{journey}/mentions/")
    card = page.locator("article").filter(has_text="Module complete page")
    expect(card.first).to_contain_text("[Draft — edit before sending]")
    expect(card.first).to_contain_text("The Digital Citizenship Badge shows what you can do")
    assert _violations(page) == []
