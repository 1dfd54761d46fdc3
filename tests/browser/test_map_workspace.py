"""Issue 10 in Chromium: the journey map as a workspace, by the names on screen, with axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations

EIGHT_STAGES = "promoted-data-literacy"


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
    assert axe_violations(page) == []


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


def test_focus_moved_before_the_map_settles_stays_where_it_was_put(signed_in_page):
    """A fast typist who moves on between htmx's swap and its settling keeps their box.

    The page moves focus to the next box the moment the added stage is swapped in, as a
    person (or a test) typing straight on would; when the map settles it must not pull
    focus back to "New stage", or the next words land in the wrong box.
    """
    page = signed_in_page
    _journey(page, "Typist journey")
    page.evaluate(
        """() => {
          window.__settled = false;
          document.addEventListener("htmx:afterSwap", () => {
            document.getElementById("add-claim").focus();
          }, {once: true});
          document.addEventListener("htmx:afterSettle", () => { window.__settled = true; },
                                    {once: true});
        }"""
    )
    box = page.get_by_label("New stage", exact=True)
    box.fill("Alumni")
    box.press("Enter")
    page.wait_for_function("() => window.__settled === true")
    expect(page.locator(".stage-name").get_by_text("Alumni", exact=True)).to_be_visible()
    expect(page.get_by_label("New touchpoint in Claim")).to_be_focused()
    page.keyboard.type("Claim reminder SMS")
    expect(page.get_by_label("New touchpoint in Claim")).to_have_value("Claim reminder SMS")
    expect(page.get_by_label("New stage", exact=True)).to_have_value("")


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
    assert axe_violations(page) == []


def test_move_by_keyboard_and_by_drag_change_the_stage(signed_in_page):
    page = signed_in_page
    _journey(page, "Move journey")
    _marked(page)
    card = page.locator("article.card").first
    title = card.locator("h3").inner_text().strip()
    # Read before the move: afterwards ".first" is another card (the map answers fast enough
    # now that reading it after the Enter met the moved map).
    key = card.get_attribute("data-touchpoint") or ""
    card.locator("summary", has_text="Move").focus()
    page.keyboard.press("Enter")
    card.get_by_label("Stage").fill("Careers and employers")
    card.get_by_role("button", name="Move here").press("Enter")
    moved = page.get_by_role("article", name=title)
    expect(moved).to_have_attribute("data-touchpoint", key)
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
    assert axe_violations(page) == []
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


def _from_template(page, template: str, title: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    page.get_by_role("link", name="New journey", exact=True).click()
    page.get_by_label("Start from").select_option(template)
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_role("button", name="Create journey", exact=True).click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def test_fit_wraps_long_stage_names_and_shows_the_gap_text(signed_in_page):
    page = signed_in_page
    _from_template(page, "district-auto-badges", "District fit")
    page.evaluate("window.sessionStorage.clear()")
    page.reload()
    page.screenshot(path="/tmp/map-district.png")
    page.get_by_role("button", name="Fit", exact=True).click()
    page.screenshot(path="/tmp/map-district-fit.png")
    for name in page.locator("th.stage-head").all():
        text = name.locator(".stage-name")
        head = name.bounding_box()
        box = text.bounding_box()
        # The whole name is inside its own column: wrapped, not cut off by the next one.
        assert (
            box["x"] >= head["x"] - 1 and box["x"] + box["width"] <= head["x"] + head["width"] + 1
        )
        assert text.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), text.inner_text()
    gaps = page.locator("article.card .card-gaps li.marker")
    assert gaps.count() > 0
    gaps.first.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/map-district-fit-gap.png")
    for gap in gaps.all():
        expect(gap).to_be_visible()
        card = gap.locator("xpath=ancestor::article[1]").bounding_box()
        box = gap.bounding_box()
        assert (
            box["x"] >= card["x"] - 1 and box["x"] + box["width"] <= card["x"] + card["width"] + 1
        )
        assert box["height"] >= 8
    assert axe_violations(page) == []


class _Counted:
    """What a designer does, counted: each click, Enter or drag is one action.

    Page loads are the main frame's navigations ("framenavigated"), so a part of
    the page swapped in place counts none and a form that reloads the page one.
    """

    def __init__(self, page) -> None:
        self.page, self.actions, self.loads = page, 0, 0
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.loads += 1

    def click(self, locator) -> None:
        self.actions += 1
        locator.click()

    def enter(self, locator) -> None:
        self.actions += 1
        locator.press("Enter")

    def drag(self, source, target) -> None:
        self.actions += 1
        source.drag_to(target)


def _card(page, title: str):
    return page.get_by_role("article", name=title, exact=True)


def _drawn(page) -> set[tuple[str, str]]:
    """Return the drawn transitions as (from title, to title) pairs."""
    titles = dict(
        page.eval_on_selector_all(
            "article.card", "cs => cs.map(c => [c.dataset.touchpoint, c.dataset.title])"
        )
    )
    pairs = page.eval_on_selector_all(
        "[data-from][data-to]", "gs => gs.map(g => [g.dataset.from, g.dataset.to])"
    )
    return {(titles[a], titles[b]) for a, b in pairs}


#: The journey of issue 10's "Done when", stage by stage; the first touchpoint comes with
#: the new journey.
STAGES = ["Enrol", "Learn", "Earn", "Share"]
ADDED = [
    ("Enrol", "Orientation video"),
    ("Learn", "Course in the LMS"),
    ("Learn", "Final assessment"),
    ("Earn", "Badge awarded email"),
    ("Earn", "Claim reminder SMS"),
    ("Share", "Claim page on the web"),
    ("Share", "Share on LinkedIn"),
]
TITLES = ["Welcome email"] + [title for _, title in ADDED]
#: The path, a branch (the email also leads straight to the claim page) and the reminder loop.
FLOW = {
    *zip(TITLES, TITLES[1:], strict=False),
    ("Badge awarded email", "Claim page on the web"),
    ("Claim reminder SMS", "Badge awarded email"),
}


def test_the_four_stage_journey_is_built_from_scratch_in_half_the_clicks(signed_in_page):
    page = signed_in_page
    page.set_viewport_size({"width": 1366, "height": 768})
    count = _Counted(page)
    count.click(page.get_by_role("link", name="New journey", exact=True))
    page.get_by_label("Title", exact=True).fill("Counted journey")
    page.get_by_label("Credential it awards").fill("Data Literacy Badge")
    page.get_by_label("First stage", exact=True).fill("Enrol")
    page.get_by_label("First touchpoint").fill("Welcome email")
    count.click(page.get_by_role("button", name="Create journey", exact=True))
    expect(page.get_by_role("heading", name="Counted journey")).to_be_visible()
    _marked(page)
    for name in STAGES[1:]:
        box = page.get_by_label("New stage", exact=True)
        box.fill(name)
        count.enter(box)
        expect(page.locator(".stage-name").get_by_text(name, exact=True)).to_be_visible()
        expect(page.get_by_label("New stage", exact=True)).to_be_focused()
    for stage, title in ADDED:
        box = page.get_by_label(f"New touchpoint in {stage}")
        box.fill(title)
        count.enter(box)
        expect(_card(page, title)).to_be_visible()
    expect(page.locator("[data-from][data-to]")).to_have_count(7)
    page.get_by_role("button", name="Fit", exact=True).click()  # to see it all: not counted
    drags = [
        ("Badge awarded email", "Claim page on the web"),
        ("Claim reminder SMS", "Badge awarded email"),
    ]
    for done, (source, target) in enumerate(drags, start=1):
        count.drag(_card(page, source).locator(".connect-handle"), _card(page, target))
        expect(page.locator("[data-from][data-to]")).to_have_count(7 + done)
    expect(page.locator("[data-from][data-to]")).to_have_count(len(FLOW))
    assert _same_page(page)
    # The journey's structure: four stages in order, each card in its stage, the whole flow.
    assert [
        n.strip() for n in page.locator("th.stage-head .stage-name").all_inner_texts()
    ] == STAGES
    for stage, title in [("Enrol", "Welcome email"), *ADDED]:
        expect(
            page.locator(f'td.cell[data-stage-name="{stage}"]').get_by_role(
                "article", name=title, exact=True
            )
        ).to_be_visible()
    expect(page.locator("article.card")).to_have_count(8)
    assert _drawn(page) == FLOW
    print(f"\nBuilt the journey: {count.actions} clicks, {count.loads} page loads")
    # Issue 10 counted about 44 clicks and 30 page loads; the goal is at most half.
    assert count.actions <= 22 and count.loads <= 15
    assert axe_violations(page) == []


def test_a_stage_is_renamed_in_place_and_a_nameless_stage_is_refused(signed_in_page):
    page = signed_in_page
    _journey(page, "Stage journey")
    _marked(page)
    head = page.locator("th.stage-head").last
    head.locator("summary", has_text="Rename").click()
    name = head.get_by_label("Name", exact=True)
    name.fill("Careers, employers and alumni")
    name.press("Enter")
    expect(page.locator(".stage-name").last).to_have_text("Careers, employers and alumni")
    expect(page.locator(".map-done")).to_contain_text("Renamed the stage")
    expect(head.locator("summary", has_text="Rename")).to_be_focused()
    page.get_by_label("New stage", exact=True).press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("New stage: give it a name.")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("New stage", exact=True)).to_be_focused()
    assert _same_page(page)


def test_connect_by_dragging_a_cards_handle_onto_another_card(signed_in_page):
    page = signed_in_page
    _journey(page, "Handle journey")
    page.get_by_role("button", name="Fit", exact=True).click()
    _marked(page)
    routes = page.locator("[data-from][data-to]")
    expect(routes).to_have_count(14)
    first, last = page.locator("article.card").first, page.locator("article.card").last
    ids = first.get_attribute("data-touchpoint"), last.get_attribute("data-touchpoint")
    first.locator(".connect-handle").drag_to(last)
    expect(routes).to_have_count(15)
    expect(page.locator(f'[data-from="{ids[0]}"][data-to="{ids[1]}"]')).to_have_count(1)
    expect(page.locator(".map-done")).to_contain_text("Connected")
    assert _same_page(page)


def test_hover_and_focus_light_up_a_cards_incoming_and_outgoing_routes(signed_in_page):
    page = signed_in_page
    _journey(page, "Highlight journey")
    card = _card(page, "Badge awarded email")
    key = card.get_attribute("data-touchpoint")
    own = page.locator(
        f'[data-routes-layer] g[data-from="{key}"], [data-routes-layer] g[data-to="{key}"]'
    )
    expect(page.locator("[data-from][data-to]")).to_have_count(14)
    assert own.count() >= 2
    card.hover()
    expect(page.locator("[data-routes-layer] g.lit")).to_have_count(own.count())
    for route in own.all():
        expect(route).to_have_class(re.compile(r"\blit\b"))
    page.mouse.move(1, 1)
    expect(page.locator("[data-routes-layer] g.lit")).to_have_count(0)
    other = page.locator("article.card").first
    other_key = other.get_attribute("data-touchpoint")
    other.get_by_role("link").first.focus()
    lit = page.locator("[data-routes-layer] g.lit")
    expect(lit).not_to_have_count(0)
    for route in lit.all():
        assert other_key in (route.get_attribute("data-from"), route.get_attribute("data-to"))


def _drag_card(page, card, target) -> None:
    """Drag a card by its meta line with the mouse, in small steps, onto a cell's first card
    (or the middle of an empty cell)."""
    cards = target.locator("article.card")
    aim = cards.first if cards.count() else target
    aim.scroll_into_view_if_needed()
    start = card.locator(".card-meta").bounding_box()
    end = aim.bounding_box()
    x, y = start["x"] + 5, start["y"] + 5
    to_x, to_y = end["x"] + end["width"] / 2, end["y"] + min(end["height"] / 2, 20)
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 21):
        page.mouse.move(x + (to_x - x) * step / 20, y + (to_y - y) * step / 20)
    page.mouse.up()


def _next_lane(page, card):
    """Return the cell below the card's cell (the same stage, the next lane) and that lane."""
    cell = card.locator("xpath=ancestor::td[1]")
    stage = cell.get_attribute("data-stage")
    below = card.locator(
        f"xpath=ancestor::tr[1]/following-sibling::tr[1]/td[@data-stage='{stage}']"
    )
    return below, below.get_attribute("data-lane"), stage


def test_a_drag_to_another_lane_changes_the_channel_and_the_owner(signed_in_page):
    page = signed_in_page
    _journey(page, "Lane journey")
    # Tall enough that a card and the lane under it are on screen together.
    page.set_viewport_size({"width": 1366, "height": 1600})
    _marked(page)
    card = _card(page, "Badge awarded email")
    below, lane, stage = _next_lane(page, card)
    _drag_card(page, card, below)
    moved = page.locator(f'td.cell[data-stage="{stage}"][data-lane="{lane}"]')
    expect(moved.get_by_role("article", name="Badge awarded email")).to_be_visible()
    expect(page.locator(".map-done")).to_contain_text("Moved 'Badge awarded email'")
    assert _same_page(page)
    # By owner: the lanes are owners, and the drag sets the owner.
    page.get_by_role("link", name="Owner", exact=True).click()
    expect(page.locator("#map-region")).to_have_attribute("data-lanes", "owner")
    card = _card(page, "Badge awarded email")
    below, owner, stage = _next_lane(page, card)
    _drag_card(page, card, below)
    moved = page.locator(f'td.cell[data-stage="{stage}"][data-lane="{owner}"]')
    expect(moved.get_by_role("article", name="Badge awarded email")).to_be_visible()
    expect(page.locator(".map-done")).to_contain_text("Moved 'Badge awarded email'")


def test_more_next_touchpoint_rows_come_without_saving(signed_in_page):
    page = signed_in_page
    _journey(page, "Rows journey")
    page.get_by_role("link", name="Add touchpoint", exact=True).click()
    expect(page.locator(".next-row")).to_have_count(2)
    _marked(page)
    more = page.get_by_role("button", name="Add another next touchpoint")
    more.click()
    more.click()
    expect(page.locator(".next-row")).to_have_count(4)
    expect(page.get_by_label("Next touchpoint 4", exact=True)).to_be_focused()
    assert _same_page(page)
    page.get_by_label("Title", exact=True).fill("Four-way touchpoint")
    page.get_by_label("Next touchpoint 4", exact=True).select_option(label="Badge awarded email")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(_card(page, "Four-way touchpoint")).to_contain_text("Next: Badge awarded email")


def test_the_full_form_guesses_the_channel_from_the_title(signed_in_page):
    page = signed_in_page
    _journey(page, "Guess journey")
    page.get_by_role("link", name="Add touchpoint", exact=True).click()
    page.get_by_label("Title", exact=True).fill("Claim reminder SMS")
    expect(page.locator("#channel")).to_have_value("sms")
    expect(
        page.get_by_role("status").filter(has_text="Channel guessed from the title: SMS")
    ).to_be_visible()
    page.get_by_label("Channel", exact=True).fill("web")
    page.get_by_label("Title", exact=True).fill("Claim reminder email")
    expect(page.locator("#channel")).to_have_value("web")  # a corrected channel stays


def test_a_conflict_shows_both_versions_in_the_side_panel(signed_in_page):
    page = signed_in_page
    _journey(page, "Conflict journey")
    card = _card(page, "Badge awarded email")
    card.get_by_role("link", name="Badge awarded email").click()
    panel = page.locator("#side-panel")
    expect(panel.get_by_label("Title", exact=True)).to_be_focused()
    # Meanwhile someone saves the same touchpoint on its own page.
    other = page.context.new_page()
    other.goto(page.url.split("?")[0])
    other.get_by_role("link", name="Badge awarded email").click()
    other.locator("#side-panel").get_by_label("Title", exact=True).fill(
        "Badge awarded email (theirs)"
    )
    other.locator("#side-panel").get_by_role("button", name="Save", exact=True).click()
    expect(other.get_by_role("article", name="Badge awarded email (theirs)")).to_be_visible()
    other.close()
    panel.get_by_label("Title", exact=True).fill("Badge awarded email (mine)")
    panel.get_by_role("button", name="Save", exact=True).click()
    conflict = (
        page.locator("#side-panel").get_by_role("alert").filter(has_text="changed by someone else")
    )
    expect(conflict).to_be_visible()
    row = conflict.get_by_role("row").filter(has_text="Title")
    expect(row).to_contain_text("Badge awarded email (mine)")
    expect(row).to_contain_text("Badge awarded email (theirs)")
    page.screenshot(path="/tmp/map-panel-conflict.png")
    assert axe_violations(page) == []


def test_undo_stays_a_few_seconds_and_restores(signed_in_page):
    page = signed_in_page
    _journey(page, "Undo journey")
    _marked(page)
    box = page.get_by_label("New touchpoint in Claim")
    box.fill("Claim reminder SMS")
    box.press("Enter")
    expect(_card(page, "Claim reminder SMS")).to_be_visible()
    undo = page.get_by_role("button", name="Undo", exact=True)
    expect(undo).to_be_visible()
    # Opening a card's panel swaps the map in place: Undo stays.
    _card(page, "Badge awarded email").get_by_role("link", name="Badge awarded email").click()
    expect(page.locator("#side-panel")).to_be_visible()
    page.wait_for_timeout(3000)
    expect(undo).to_be_visible()
    undo.click()
    expect(_card(page, "Claim reminder SMS")).to_have_count(0)
    expect(page.locator(".map-done")).to_contain_text("Undone")
    assert _same_page(page)


def test_no_axe_violations_while_a_card_is_dragged(signed_in_page):
    page = signed_in_page
    _journey(page, "Drag axe journey")
    card = _card(page, "Badge awarded email")
    card.scroll_into_view_if_needed()
    start = card.locator(".card-meta").bounding_box()
    page.mouse.move(start["x"] + 5, start["y"] + 5)
    page.mouse.down()
    for step in range(1, 8):
        page.mouse.move(start["x"] + 5 + step * 15, start["y"] + 5 + step * 10)
        page.wait_for_timeout(30)
    expect(page.locator("body.dragging")).to_have_count(1)
    page.screenshot(path="/tmp/map-dragging.png")
    found = axe_violations(page)
    page.mouse.move(start["x"] + 5, start["y"] + 5)
    page.mouse.up()
    expect(page.locator("body.dragging")).to_have_count(0)
    assert found == []
