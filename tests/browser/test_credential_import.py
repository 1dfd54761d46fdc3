"""Import credential with a preview, the course import and the learner guide (issue 13).

Set ``CLAIMPATH_SCREENSHOTS=DIR`` to keep 1366x768 screenshots of the preview and the guide.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

INTEROP = Path(__file__).parents[1] / "fixtures" / "interop"
COURSE = (
    INTEROP
    / "commoncartridge"
    / "canvas-cc11-sandbox-course"
    / "sample-public-sandbox-course-export.imscc"
)
BADGE = INTEROP / "ob3" / "spec-skill-assertion-case.json"
SHOTS = os.environ.get("CLAIMPATH_SCREENSHOTS")


def _violations(page) -> list[str]:
    page.wait_for_load_state()
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({v['nodes'][0]['html'][:120]})"
        for v in results.response["violations"]
    ]


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=False)


@pytest.fixture
def wide(signed_in_page):
    signed_in_page.set_viewport_size({"width": 1366, "height": 768})
    return signed_in_page


def test_course_import_then_credential_preview_then_learner_guide(wide, live_server):
    page = wide
    page.goto(f"{live_server}/import")
    assert _violations(page) == []
    page.get_by_label("Course export").set_input_files(str(COURSE))
    page.get_by_label("Badge file (optional)").set_input_files(
        str(INTEROP / "ob2" / "badgr-assertion-embedded-badgeclass.json")
    )
    page.get_by_role("button", name="Import course").click()
    expect(page.get_by_text("Drafted 'Sample Public Sandbox Course'")).to_be_visible()
    expect(page.get_by_role("heading", name="Sample Public Sandbox Course")).to_be_visible()
    journey = urlsplit(page.url).path.rstrip("/")

    page.goto(f"{live_server}{journey}/credentials/")
    page.get_by_role("link", name="Import credential", exact=True).click()
    assert _violations(page) == []
    page.get_by_label("Badge file", exact=True).set_input_files(str(BADGE))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview: Robot Programming")).to_be_visible()
    expect(page.get_by_text("Read as Open Badges 3.0 (VC 2.0).")).to_be_visible()
    _shot(page, "import-preview")
    assert _violations(page) == []
    page.get_by_role("button", name="Save credential").click()
    expect(page.get_by_text("Imported the credential 'Robot Programming'.")).to_be_visible()

    page.get_by_role("link", name="Learner guide", exact=True).last.click()
    expect(page.get_by_role("heading", name="Learner guide: Robot Programming")).to_be_visible()
    page.get_by_label("Issued (YYYY-MM)").fill("2027-03")
    page.get_by_label("Credential ID").fill("RP-17")
    page.get_by_role("button", name="Update guide").click()
    page.wait_for_url("**issued=2027-03**")
    link = page.get_by_role("link", name="Add to LinkedIn profile")
    params = parse_qs(urlsplit(link.get_attribute("href")).query)
    assert params["startTask"] == ["CERTIFICATION_NAME"]
    assert params["name"] == ["Robot Programming"]
    assert params["organizationName"] == ["1EdTech University"]
    assert (params["issueYear"], params["issueMonth"], params["certId"]) == (
        ["2027"],
        ["3"],
        ["RP-17"],
    )
    expect(page.get_by_label("Text to copy: CV line")).to_have_value(
        "Robot Programming, 1EdTech University (March 2027): Robot Programming."
    )
    _shot(page, "learner-guide")
    assert _violations(page) == []

    page.get_by_label("Touchpoint", exact=True).select_option(label="Canvas Student Tour")
    page.get_by_label("What to add").select_option(label="The LinkedIn link")
    page.get_by_role("button", name="Add to touchpoint").click()
    expect(
        page.get_by_text("Added the learner guide's text to 'Canvas Student Tour'.")
    ).to_be_visible()
