"""A consultant reads the gap report, follows a finding in the diagram, tries a fix, exports."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import _violations
from tests.conftest import TINY

DATED = r"\d{4}-\d\d-\d\d"


def _import(page, document: dict) -> None:
    """Import a journey document through the Import screen and open its gap report."""
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("File", exact=True).set_input_files(
        {
            "name": "tiny.json",
            "mimeType": "application/json",
            "buffer": json.dumps(document).encode(),
        }
    )
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name=document["title"])).to_be_visible()
    _tab(page, "Gap report").click()
    expect(page.get_by_role("heading", name="Gap report", exact=True)).to_be_visible()


@pytest.fixture
def report(signed_in_page, request):
    """Return the page on the gap report of a new tiny journey, titled after the test."""
    document = copy.deepcopy(TINY)
    document["title"] = f"Report {request.node.name[:40]}"
    _import(signed_in_page, document)
    return signed_in_page


def _tab(page, name: str):
    return page.get_by_role("navigation", name="Journey").get_by_role("link", name=name, exact=True)


def _score(page) -> int:
    text = page.locator(".report-score .score-big").first.inner_text()
    return int(re.search(r"\d+", text).group())


def test_selecting_a_finding_highlights_its_route_in_the_diagram(report):
    page = report
    panel = page.locator("#diagram-panel")
    expect(panel.locator("svg g.witness")).to_have_count(0)
    page.evaluate("window.stayed = true")  # gone if the page reloads
    page.get_by_role("link", name="Show finding 1 in the diagram", exact=True).click()
    expect(panel.locator(".highlight-caption")).to_contain_text("Highlighted: finding 1.")
    # The route welcome -> module -> issued: three touchpoints and two transitions.
    expect(panel.locator("svg g.node.witness")).to_have_count(3)
    # Both transitions are drawn thick: in one piece, or (crossing into the next row of
    # stages) in two, to and from the continuation markers.
    direct = panel.locator("svg g.edge.witness:not(.continuation)").count()
    expect(panel.locator("svg g.edge.witness.continuation")).to_have_count(2 * (2 - direct))
    expect(page.locator("#finding-1")).to_have_attribute("aria-current", "true")
    assert page.evaluate("window.stayed") is True
    assert "finding=1" in page.url
    expect(page.locator("#diagram-status")).to_have_text(
        "The diagram shows the route of finding 1."
    )

    panel.get_by_role("link", name="Clear highlight").click()
    expect(panel.locator("svg g.witness")).to_have_count(0)
    expect(page.locator("#finding-1")).not_to_have_attribute("aria-current", "true")


def test_the_diagram_pans_and_zooms_by_buttons_and_keys(report):
    page = report
    viewport = page.locator("#diagram-panel svg .svg-pan-zoom_viewport")
    before = viewport.get_attribute("transform")
    page.get_by_role("button", name="Zoom in", exact=True).click()
    expect(viewport).not_to_have_attribute("transform", before)
    zoomed = viewport.get_attribute("transform")
    page.locator(".diagram-view").focus()
    page.keyboard.press("ArrowLeft")
    expect(viewport).not_to_have_attribute("transform", zoomed)


def test_a_touchpoint_in_the_diagram_opens_its_edit_form(report):
    page = report
    page.locator("#diagram-panel svg #gd-a_tp-module a").click()
    expect(page).to_have_url(re.compile(r"/touchpoints/module/edit$"))
    expect(page.get_by_label("Title", exact=True)).to_have_value("Module page")


def test_the_keyboard_reaches_the_diagram_s_touchpoints(report):
    page = report
    page.locator(".diagram-view").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('g.node').id")
    assert focused.startswith("gd-tp-")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/touchpoints/{focused.removeprefix('gd-tp-')}/edit$"))


def test_applying_a_what_if_changes_the_score(report):
    page = report
    before = _score(page)
    page.get_by_role(
        "checkbox", name=re.compile("what the Data Literacy Badge represents")
    ).first.check()
    page.get_by_role("button", name="Preview fixes").first.click()
    expect(page.get_by_role("heading", name="What-if", exact=True)).to_be_visible()
    change = page.locator(".score-change")
    expect(change).to_contain_text(f"Score {before} →")
    after = int(re.search(r"→ (\d+)", change.inner_text()).group(1))
    assert after > before
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(page.get_by_text("Applied 1 what-if fix as revision 2.")).to_be_visible()
    assert _score(page) == after
    page.get_by_role("link", name="History", exact=True).click()
    expect(page.get_by_role("cell", name=re.compile("Applied 1 what-if fix"))).to_be_visible()


DOWNLOADS = [
    ("Download SVG", rf"gap-diagram-{DATED}\.svg", b"<?xml"),
    ("Download PNG", rf"gap-diagram-{DATED}\.png", b"\x89PNG"),
    ("Download PDF", rf"gap-diagram-{DATED}\.pdf", b"%PDF-"),
    ("Download DOT", rf"gap-diagram-{DATED}\.dot", b"digraph"),
    ("Download findings CSV", rf"findings-{DATED}\.csv", "\ufeffnumber,".encode()),
    ("Download JSON", rf"{DATED}\.json", b"{"),
    ("Download workshop report", rf"workshop-report-{DATED}\.html", b"<!doctype html>"),
]


def test_every_export_downloads(report):
    page = report
    _tab(page, "Export").click()
    expect(page.get_by_role("heading", name="Export", exact=True)).to_be_visible()
    for name, pattern, magic in DOWNLOADS:
        with page.expect_download() as info:
            page.get_by_role("link", name=name, exact=True).click()
        download = info.value
        stem = "report-test-every-export-downloads-chromium-"
        assert re.fullmatch(stem + pattern, download.suggested_filename)
        assert Path(download.path()).read_bytes().startswith(magic), name


def test_the_workshop_report_makes_no_request_but_itself(report, live_server, tmp_path):
    page = report
    _tab(page, "Export").click()
    requested: list[str] = []
    saved = tmp_path / "workshop.html"

    def record(route):
        url = route.request.url
        requested.append(url)
        if url.startswith(live_server) or url == saved.as_uri():
            route.continue_()
        else:
            route.abort()

    page.route("**/*", record)
    page.get_by_role("link", name="Workshop report", exact=True).click()
    expect(page.get_by_role("heading", name="Top findings")).to_be_visible()
    workshop = page.url
    assert [url for url in requested if not url.endswith("/favicon.ico")] == [workshop]

    # Saved to disk and opened with no server at all, it asks for nothing either.
    saved.write_bytes(page.request.get(workshop).body())
    requested.clear()
    page.goto(saved.as_uri())
    expect(page.locator("svg.gap-diagram")).to_be_visible()
    assert requested == [saved.as_uri()]


def test_the_new_pages_pass_axe(report, live_server):
    page = report
    found = {"report": _violations(page)}
    page.get_by_role("link", name="Show finding 2 in the diagram", exact=True).click()
    expect(page.locator(".highlight-caption")).to_contain_text("finding 2")
    found["report, finding selected"] = _violations(page)
    page.locator("input[name=fix]").first.check()
    page.get_by_role("button", name="Preview fixes").first.click()
    found["what-if"] = _violations(page)
    _tab(page, "Export").click()
    found["export"] = _violations(page)
    page.get_by_role("link", name="Workshop report", exact=True).click()
    found["workshop report"] = _violations(page)
    page.go_back()
    _tab(page, "Gap report").click()
    page.goto(page.url + "?stages=1")
    found["report, stage by stage"] = _violations(page)
    assert {name: v for name, v in found.items() if v} == {}


def test_a_large_journey_shows_the_report_at_once_and_the_diagram_when_drawn(signed_in_page):
    page = signed_in_page
    document = copy.deepcopy(TINY)
    document["title"] = "Report of a large journey"
    middle = [
        {"id": f"step-{i}", "title": f"Module {i}", "stage": "learn", "channel": "lms"}
        for i in range(110)
    ]
    document["touchpoints"][1:2] = middle
    chain = ["welcome", *(t["id"] for t in middle), "issued"]
    document["transitions"] = [{"from": a, "to": b} for a, b in zip(chain, chain[1:], strict=False)]
    _import(page, document)
    panel = page.locator("#diagram-panel")
    expect(panel.locator("svg.gap-diagram")).to_be_visible(timeout=30_000)
    expect(panel).not_to_have_attribute("aria-busy", "true")
    expect(panel.get_by_text("Drawing the diagram")).to_have_count(0)


def test_without_javascript_the_report_reads_and_highlights(browser, live_server, report):
    context = browser.new_context(
        java_script_enabled=False, storage_state=report.context.storage_state()
    )
    page = context.new_page()
    page.goto(report.url)
    expect(page.locator("#diagram-panel svg.gap-diagram")).to_be_visible()
    expect(page.get_by_role("button", name="Zoom in")).to_have_count(0)
    page.get_by_role("link", name="Show finding 1 in the diagram", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?finding=1#diagram$"))
    expect(page.locator("#diagram-panel svg g.node.witness")).to_have_count(3)
    page.get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Preview fixes").first.click()
    expect(page.locator(".score-change")).to_contain_text("Score")
    context.close()
