"""Issue 12 in Chromium: a legible inline diagram, presentation mode, the Export choices.

The inline gap diagram of every example journey (all have 40 touchpoints or
fewer) shows its text at 10 CSS px or more at *Fit*; *Present* runs the top
findings full screen from the keyboard, with axe-core; the Export screen's
page choices download the files they name; the workshop report prints on A4
and Letter with no page left mostly blank and nothing under 8 pt.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import _violations
from tests.browser.test_outcomes import ROOT, import_example

EXAMPLES = sorted(p.stem for p in (ROOT / "journeys" / "examples").glob("*.json"))

# The size each SVG text shows at: its font size times the drawing's scale on screen,
# and the height of its box; the smallest of each, over the text inside the view.
_TEXT_SIZES = """(view) => {
  const frame = view.getBoundingClientRect();
  const sizes = [];
  for (const text of view.querySelectorAll("svg text")) {
    const box = text.getBoundingClientRect();
    if (!box.width || box.bottom < frame.top || box.top > frame.bottom) continue;
    if (box.right < frame.left || box.left > frame.right) continue;
    const size = parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a;
    sizes.push([size, box.height, text.textContent]);
  }
  return sizes;
}"""


def _report(page, name: str) -> None:
    import_example(page, name)
    page.get_by_role("navigation", name="Journey").get_by_role("link", name="Gap report").click()
    expect(page.get_by_role("heading", name="Gap report", exact=True)).to_be_visible()


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_inline_diagram_s_text_is_10_px_or_more_at_fit(signed_in_page, name):
    page = signed_in_page
    page.set_viewport_size({"width": 1366, "height": 768})
    _report(page, name)
    view = page.locator("#diagram-panel .diagram-view.zoomable")
    expect(view).to_be_visible()
    page.get_by_role("button", name="Zoom in", exact=True).click()
    page.get_by_role("button", name="Fit", exact=True).click()
    sizes = view.evaluate(_TEXT_SIZES)
    assert len(sizes) >= 10  # a good share of the diagram is in view, legend and rows
    smallest = min(sizes)
    assert smallest[0] >= 10, smallest
    assert min(height for _, height, _ in sizes) >= 10
    # At Fit the whole width shows: the widest text is inside the view.
    frame = view.bounding_box()
    sheet = page.locator("#diagram-panel svg.gap-diagram .svg-pan-zoom_viewport > rect").first
    assert sheet.bounding_box()["width"] <= frame["width"] + 2


def _shown(dialog):
    """Return the finding on screen: its number and its route's touchpoint count."""
    item = dialog.locator(".present-finding:visible")
    expect(item).to_have_count(1)
    route = item.locator(".present-route").inner_text().removeprefix("Learner route:")
    return item.get_attribute("data-finding"), len(route.split("→"))


def _highlighted(dialog, number: str, steps: int) -> None:
    """The diagram in the dialog is the one of finding ``number``, its route drawn thick."""
    diagram = dialog.locator(".present-diagram")
    expect(diagram).not_to_have_attribute("aria-busy", "true")
    expect(diagram.locator("svg g.node.witness")).to_have_count(steps)
    expect(diagram.locator("svg g.node.checkpoint")).to_have_count(1)
    assert dialog.get_attribute("data-current") == number


def test_present_steps_through_the_top_findings_from_the_keyboard(signed_in_page):
    page = signed_in_page
    page.set_viewport_size({"width": 1366, "height": 768})
    _report(page, "aged-care-local-credential")  # 4 critical or warning cards, 3 with a route
    present = page.get_by_role("button", name="Present", exact=True)
    present.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name=re.compile("top findings"))
    expect(dialog).to_be_visible()
    # It covers the window, its heading has focus, and it says where we are.
    box = dialog.bounding_box()
    assert box["width"] >= 1366 - 1 and box["height"] >= 768 - 1
    expect(dialog.get_by_role("heading", level=2)).to_be_focused()
    status = dialog.get_by_role("status")
    expect(status).to_have_text(re.compile(r"^Finding 1 of \d+: \S"))
    total = int(re.search(r"of (\d+)", status.inner_text()).group(1))
    assert total >= 3
    first, steps = _shown(dialog)
    _highlighted(dialog, first, steps)
    assert _violations(page) == []

    seen = [first]
    for key, position in (("ArrowRight", 2), ("PageDown", 3), ("PageUp", 2), ("ArrowLeft", 1)):
        page.keyboard.press(key)
        expect(status).to_have_text(re.compile(rf"^Finding {position} of {total}: "))
        number, steps = _shown(dialog)
        _highlighted(dialog, number, steps)
        seen.append(number)
    assert seen[1] != seen[0] and seen[2] not in seen[:2] and seen[3:] == [seen[1], seen[0]]
    page.keyboard.press(" ")
    expect(status).to_have_text(re.compile(rf"^Finding 2 of {total}: "))
    # The summary and the advice show large.
    summary = dialog.locator(".present-finding:visible .present-summary")
    assert float(summary.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 24
    expect(dialog.locator(".present-finding:visible .present-advice").first).to_be_visible()
    assert _violations(page) == []

    # Tab stays inside the presentation; the buttons work too.
    for _ in range(5):
        page.keyboard.press("Tab")
        assert dialog.evaluate("(d) => d.contains(document.activeElement)")
    dialog.get_by_role("button", name="Next finding").click()
    expect(status).to_have_text(re.compile(rf"^Finding 3 of {total}: "))

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(present).to_be_focused()
    expect(page.get_by_role("heading", name="Gap report", exact=True)).to_be_visible()
    assert _violations(page) == []


def test_without_javascript_there_is_no_present_button(browser, signed_in_page):
    page = signed_in_page
    _report(page, "staff-pd-badge")
    context = browser.new_context(
        java_script_enabled=False, storage_state=page.context.storage_state()
    )
    plain = context.new_page()
    plain.goto(page.url)
    expect(plain.get_by_role("heading", name="Gap report", exact=True)).to_be_visible()
    expect(plain.get_by_role("button", name="Present")).to_have_count(0)
    expect(plain.get_by_role("dialog")).to_have_count(0)
    context.close()


def _printed(page, paper: str, path) -> dict:
    """Print the page on ``paper`` and return what pdfplumber reads of each sheet."""
    page.pdf(path=str(path), format=paper)
    sheets = []
    with pdfplumber.open(path) as pdf:
        for sheet in pdf.pages:
            drawn = sheet.chars + sheet.rects + sheet.lines + sheet.curves
            sheets.append(
                {
                    "size": (round(sheet.width), round(sheet.height)),
                    "smallest": min((c["size"] for c in sheet.chars), default=99.0),
                    "bottom": max((o["bottom"] for o in drawn), default=0.0) / sheet.height,
                    "covered": _covered([(o["top"], o["bottom"]) for o in drawn]) / sheet.height,
                    "text": sheet.extract_text() or "",
                }
            )
    return sheets


def _covered(spans: list[tuple[float, float]]) -> float:
    """Return how much of the page's height the spans cover together (overlaps once)."""
    total, reach = 0.0, float("-inf")
    for top, bottom in sorted(spans):
        if bottom > reach:
            total += bottom - max(top, reach)
            reach = bottom
    return total


PAPER = {"A4": (595, 842), "Letter": (612, 792)}


@pytest.mark.parametrize("paper", PAPER)
def test_the_workshop_report_prints_well_on_a4_and_letter(
    signed_in_page, live_server, tmp_path, paper
):
    page = signed_in_page
    for name in EXAMPLES:
        page.goto(live_server + "/")
        document = import_example(page, name)
        page.get_by_role("navigation", name="Journey").get_by_role("link", name="Export").click()
        page.get_by_role("link", name="Workshop report", exact=True).click()
        expect(page.get_by_role("heading", name="Top findings")).to_be_visible()
        sheets = _printed(page, paper, tmp_path / f"{name}.pdf")
        print(name, paper, [(round(s["bottom"], 2), round(s["covered"], 2)) for s in sheets])
        assert 2 <= len(sheets) <= 12, name
        for number, sheet in enumerate(sheets, start=1):
            width, height = sheet["size"]
            assert abs(width - PAPER[paper][0]) <= 1 and abs(height - PAPER[paper][1]) <= 1
            assert sheet["smallest"] >= 8, (name, number, sheet["smallest"])
            if number < len(sheets):
                # Only the last page may end in its top third, and drawing and text cover
                # a fair share of the height of every other page (a legend alone does not).
                assert sheet["bottom"] > 1 / 3, (name, number, sheet["bottom"])
                assert sheet["covered"] > 0.45, (name, number, sheet["covered"])
        words = set(" ".join(s["text"] for s in sheets).split())
        for tp in document["touchpoints"]:
            assert set(tp["title"].split()) <= words, (name, tp["title"])
        # The diagram has pages of its own: its header names the journey's diagram.
        diagram = [s for s in sheets if "Gap diagram" in s["text"] and "Legend:" in s["text"]]
        assert diagram, name


def _files(path, ext: str) -> list[bytes]:
    """Return the files of a download: itself, or each page of a ZIP."""
    data = path.read_bytes()
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            assert names == [f"page-{n}.{ext}" for n in range(1, len(names) + 1)]
            return [archive.read(name) for name in names]
    return [data]


# (view, page, button, file name, extension, what each page must be)
CHOICES = [
    ("Gap diagram", "a4", "PDF for this page", "gap-diagram-a4", "pdf", (842, 595)),
    ("Gap diagram", "letter", "SVG for this page", "gap-diagram-letter", "svg", (792, 612)),
    ("Gap diagram", "slide", "PNG for this page", "gap-diagram-slide", "png", (1920, 1080)),
    ("Journey map poster", "a3", "PDF for this page", "journey-map-a3", "pdf", (1191, 842)),
]


def test_the_export_screen_s_choices_download_the_files_they_name(signed_in_page):
    page = signed_in_page
    import_example(page, "staff-pd-badge")
    page.get_by_role("navigation", name="Journey").get_by_role("link", name="Export").click()
    expect(page.get_by_role("heading", name="Export", exact=True)).to_be_visible()
    assert _violations(page) == []
    for view, paper, button, stem, ext, size in CHOICES:
        page.get_by_label("View", exact=True).select_option(label=view)
        page.get_by_label("Page", exact=True).select_option(paper)
        with page.expect_download() as info:
            page.get_by_role("button", name=button, exact=True).click()
        download = info.value
        name = download.suggested_filename
        assert re.fullmatch(rf".*-{stem}-\d{{4}}-\d\d-\d\d\.({ext}|zip)", name), name
        files = _files(Path(download.path()), ext)
        for data in files:
            if ext == "pdf":
                with pdfplumber.open(io.BytesIO(data)) as pdf:
                    assert pdf.pages
                    for sheet in pdf.pages:
                        assert (round(sheet.width), round(sheet.height)) == size, name
                        assert min(c["size"] for c in sheet.chars) >= 8, name
            elif ext == "png":
                assert data.startswith(b"\x89PNG")
                assert struct.unpack(">II", data[16:24]) == size
            else:
                found = re.search(rb'<svg[^>]*width="([\d.]+)pt" height="([\d.]+)pt"', data)
                assert tuple(round(float(n)) for n in found.groups()) == size
    # Slides too: an editable deck.
    with page.expect_download() as info:
        page.get_by_role("link", name="Download slides", exact=True).click()
    assert info.value.suggested_filename.endswith(".pptx")
    assert Path(info.value.path()).read_bytes().startswith(b"PK")
