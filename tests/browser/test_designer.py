"""A designer builds, imports and restores journeys in the browser, by the names on screen."""

from __future__ import annotations

import json

from playwright.sync_api import expect


def _new_from_template(page, live_server, title: str) -> None:
    page.get_by_role("link", name="New journey", exact=True).click()
    start = page.get_by_label("Start from")
    # The first template in the list, whichever examples the engine ships.
    template = start.locator("option").nth(1).get_attribute("value")
    start.select_option(template)
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_role("button", name="Create journey", exact=True).click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def test_build_a_journey_from_a_template(signed_in_page, live_server):
    page = signed_in_page
    _new_from_template(page, live_server, "Pilot journey")

    page.get_by_role("link", name="Add stage", exact=True).click()
    page.get_by_label("Name").fill("Celebrate")
    page.get_by_label("Phase").select_option("share")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("columnheader", name="Celebrate")).to_be_visible()

    page.get_by_role("link", name="Add touchpoint", exact=True).click()
    page.get_by_label("Title", exact=True).fill("LinkedIn how-to")
    page.get_by_label("Stage").select_option(label="Celebrate")
    page.get_by_label("Channel").fill("web")
    page.get_by_label("Content").fill("Add your badge to your LinkedIn profile.")
    first = page.get_by_role("group").filter(has=page.locator("legend")).nth(1)
    first.get_by_label("share").check()
    first.get_by_label("use").check()
    # Connect it: learners come here from an existing touchpoint.
    after = page.get_by_label("Comes after")
    after.select_option(index=1)
    before = after.locator("option").nth(1).inner_text()
    page.get_by_role("button", name="Save", exact=True).click()

    card = page.get_by_role("article", name="LinkedIn how-to")
    expect(card).to_be_visible()
    expect(card.locator(".chip", has_text="share")).to_be_visible()
    expect(card.locator(".chip", has_text="use")).to_be_visible()
    source = page.get_by_role("article", name=before)
    expect(source).to_contain_text("LinkedIn how-to")

    # Connect the other way round, through the touchpoint's next touchpoints.
    card.get_by_role("link", name="LinkedIn how-to", exact=True).click()
    page.get_by_label("Next touchpoint 1").select_option(label=before)
    page.get_by_label("Share 1").fill("0.5")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("article", name="LinkedIn how-to")).to_contain_text(
        f"Next: {before} (50%)"
    )


def test_an_import_with_an_error_lists_the_located_problem(signed_in_page, live_server, tmp_path):
    page = signed_in_page
    broken = {
        "format": "claimpath-journey/1",
        "title": "Broken",
        "credentials": [{"id": "b", "name": "Badge"}],
        "stages": [{"id": "enrol", "name": "Enrol", "phase": "discover"}],
        "touchpoints": [{"id": "t", "title": "Welcome", "stage": "enroll"}],
    }
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("File", exact=True).set_input_files(path)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(
        "touchpoints[0].stage: unknown stage 'enroll' (known: enrol)"
    )
    expect(page.get_by_role("alert")).to_contain_text("Nothing was imported")


def test_restore_an_old_revision(signed_in_page, live_server):
    page = signed_in_page
    _new_from_template(page, live_server, "Restore me")
    page.get_by_role("link", name="Settings", exact=True).click()
    page.get_by_label("Title").fill("Renamed by mistake")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name="Renamed by mistake")).to_be_visible()

    page.get_by_role("link", name="History", exact=True).click()
    expect(
        page.get_by_role("cell", name="renamed the journey to 'Renamed by mistake'")
    ).to_be_visible()
    page.get_by_role("link", name="Revision 1", exact=True).click()
    expect(page.get_by_role("heading", name="Restore me")).to_be_visible()
    page.get_by_role("button", name="Restore revision 1", exact=True).click()
    expect(page.get_by_role("heading", name="Restore me", exact=True)).to_be_visible()
    page.get_by_role("link", name="History", exact=True).click()
    expect(page.get_by_role("cell", name="Restored revision 1", exact=False)).to_be_visible()


def test_an_import_shows_it_is_busy_once_sent(signed_in_page, tmp_path):
    page = signed_in_page
    path = tmp_path / "slow.json"
    path.write_text(json.dumps({"format": "claimpath-journey/1"}))
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("File", exact=True).set_input_files(path)
    # Keep the page where it is, as a slow server would: the window hears the
    # submit last, after the page's own script has marked the form busy.
    page.evaluate("() => window.addEventListener('submit', (e) => e.preventDefault())")
    page.get_by_role("button", name="Import", exact=True).click()
    busy = page.get_by_role("button", name="Importing…")
    expect(busy).to_have_attribute("aria-busy", "true")
