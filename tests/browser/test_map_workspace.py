"""Issue 10 in Chromium: the journey map as a workspace, by the names on screen, with axe-core."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

EIGHT_STAGES = "promoted-data-literacy"


def _violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({v['nodes'][0]['html'][:120]})"
        for v in results.response["violations"]
    ]


def _journey(page, title: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    page.get_by_role("link", name="New journey", exact=True).click()
    page.get_by_label("Start from").select_option(EIGHT_STAGES)
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_role("button", name="Create journey", exact=True).click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def _marked(page) -> None:
    """Mark the page so that a full page load (which drops the mark) can be told apart."""
    page.evaluate("window.__sameMap = true")


def _same_page(page) -> bool:
    return page.evaluate("window.__sameMap === true")


def test_fit_shows_every_stage_and_every_transition_is_drawn(signed_in_page, tmp_path):
    page = signed_in_page
    _journey(page, "Fit journey")
    page.get_by_role("button", name="Fit", exact=True).click()
    page.screenshot(path="/tmp/map-fit.png")
    heads = page.locator("th.stage-head")
    expect(heads).to_have_count(8)
    for i in range(8):
        box = heads.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1366, (i, box)
        assert box["y"] >= 0 and box["y"] + box["height"] <= 768, (i, box)
    routes = page.locator("[data-from][data-to]")
    expect(routes).to_have_count(14)  # the example's 14 transitions
    page.screenshot(path=str(tmp_path / "fit.png"))
    assert _violations(page) == []


def test_add_in_place_keeps_the_page_and_undo_takes_it_back(signed_in_page):
    page = signed_in_page
    _journey(page, "Add journey")
    _marked(page)
    box = page.get_by_label("New touchpoint in Claim")
    box.fill("Claim reminder SMS")
    box.press("Enter")
    card = page.get_by_role("article", name="Claim reminder SMS")
    expect(card).to_be_visible()
    assert _same_page(page)
    expect(page.get_by_role("status").filter(has_text="as SMS")).to_be_visible()
    page.get_by_role("button", name="Undo", exact=True).click()
    expect(card).to_have_count(0)
    assert _same_page(page)


def test_the_error_summary_is_focused_after_a_bad_save(signed_in_page):
    page = signed_in_page
    _journey(page, "Error journey")
    box = page.get_by_label("New touchpoint in Claim")
    box.press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("New touchpoint in Claim: give it a title")
    page.screenshot(path="/tmp/map-error.png")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("New touchpoint in Claim")).to_be_focused()
    assert _violations(page) == []


def test_move_by_keyboard_and_by_drag_change_the_stage(signed_in_page):
    page = signed_in_page
    _journey(page, "Move journey")
    _marked(page)
    card = page.locator("article.card").first
    title = card.locator("h3").inner_text().strip()
    card.locator("summary", has_text="Move").focus()
    page.keyboard.press("Enter")
    card.get_by_label("Stage").fill("Careers and employers")
    card.get_by_role("button", name="Move here").press("Enter")
    moved = page.get_by_role("article", name=title)
    expect(moved).to_have_attribute("data-touchpoint", card.get_attribute("data-touchpoint") or "")
    column = page.locator('td.cell[data-stage="careers"]').get_by_role("article", name=title)
    expect(column).to_be_visible()
    assert _same_page(page)
    # Drag it back to the first stage.
    target = page.locator('td.cell[data-stage="enrolment"]').first
    start = moved.locator(".card-meta").bounding_box()
    end = target.bounding_box()
    page.mouse.move(start["x"] + 5, start["y"] + 5)
    page.mouse.down()
    for step in range(1, 21):
        page.mouse.move(
            start["x"] + 5 + (end["x"] + 20 - start["x"] - 5) * step / 20,
            start["y"] + 5 + (end["y"] + 20 - start["y"] - 5) * step / 20,
        )
    page.mouse.up()
    expect(
        page.locator('td.cell[data-stage="enrolment"]').get_by_role("article", name=title)
    ).to_be_visible()


def test_connect_by_keyboard_draws_a_new_arrow(signed_in_page):
    page = signed_in_page
    _journey(page, "Connect journey")
    routes = page.locator("[data-from][data-to]")
    expect(routes).to_have_count(14)
    cards = page.locator("article.card")
    first = cards.first
    last_title = cards.last.locator("h3").inner_text().strip()
    first.locator("summary", has_text="Connect").focus()
    page.keyboard.press("Enter")
    first.get_by_label("Next touchpoint").fill(last_title)
    first.get_by_label("Share", exact=True).fill("10%")
    first.get_by_label("Share", exact=True).press("Enter")
    expect(routes).to_have_count(15)


def test_the_side_panel_opens_without_a_page_load_and_lists_findings(signed_in_page):
    page = signed_in_page
    _journey(page, "Panel journey")
    card = page.get_by_role("article", name="Badge awarded email")
    expect(card).to_contain_text("Not told: why (Data Literacy Badge)")
    _marked(page)
    card.get_by_role("link", name="Badge awarded email").click()
    panel = page.locator("#side-panel")
    expect(panel.get_by_label("Title", exact=True)).to_be_focused()
    expect(panel).to_contain_text("Not told: why (Data Literacy Badge)")
    assert _same_page(page)
    page.screenshot(path="/tmp/map-panel.png")
    assert _violations(page) == []
    panel.get_by_label("Title", exact=True).fill("Badge awarded email (v2)")
    panel.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("article", name="Badge awarded email (v2)")).to_be_visible()
    assert _same_page(page)


def test_insert_after_a_branching_touchpoint_steps_in_between(signed_in_page, live_server):
    page = signed_in_page
    _journey(page, "Insert journey")
    page.get_by_role("link", name="Add touchpoint", exact=True).click()
    page.get_by_label("Title", exact=True).fill("Orientation reminder")
    after = page.get_by_label("Comes after")
    after.select_option(label="Badge awarded email")
    effect = page.locator("[data-after-effect]")
    expect(effect).to_contain_text("Insert between Badge awarded email and")
    page.get_by_role("button", name="Save", exact=True).click()
    card = page.get_by_role("article", name="Badge awarded email")
    expect(card).to_contain_text("Next: Orientation reminder")
