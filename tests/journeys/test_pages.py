"""Issue 12: diagrams laid out for pages and slides, and the slide deck."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from journeys import pages
from journeys.analysis import analyse
from journeys.cli import main
from journeys.deck import deck_bytes, top_findings
from journeys.errors import RenderError
from journeys.fileformat import load

EXAMPLES = sorted((Path(__file__).parents[2] / "journeys" / "examples").glob("*.json"))
_SIZE = re.compile(r'<svg[^>]*width="([\d.]+)pt" height="([\d.]+)pt"')


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("name", ["a4", "letter"])
def test_every_example_prints_legibly_on_a_few_pages(example: Path, name: str) -> None:
    analysis = analyse(load(example))
    sheet = pages.paged_svgs(analysis, pages.PAGES[name])
    assert 1 <= len(sheet.pages) <= 6
    with pdfplumber.open(io.BytesIO(pages.to_pdf(sheet.pages))) as pdf:
        assert len(pdf.pages) == len(sheet.pages)
        text = ""
        for page in pdf.pages:
            assert (round(page.width), round(page.height)) == (
                round(pages.PAGES[name].width),
                round(page.height),
            )
            assert round(page.height) == round(pages.PAGES[name].height)
            assert min(c["size"] for c in page.chars) >= pages.MIN_PT
            text += " " + (page.extract_text() or "")
    # Every touchpoint's title is printed (titles wrap over lines: compare words in order).
    printed = _words(text.replace("\n", " "))
    words = set(printed.split())
    for tp in analysis.journey.touchpoints:
        assert set(tp.title.split()) <= words, tp.title
    assert analysis.journey.title.split(":")[0] in printed


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_slide_pages_are_16_by_9_and_the_png_is_1920_by_1080(example: Path) -> None:
    analysis = analyse(load(example))
    sheet = pages.paged_svgs(analysis, pages.PAGES["slide"])
    for svg in sheet.pages:
        w, h = map(float, _SIZE.search(svg.decode()).groups())
        assert abs(w / h - 16 / 9) < 0.01
    png = pages.to_png(sheet.pages[0], sheet.page)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == 1920
    assert int.from_bytes(png[20:24], "big") == 1080


def test_a_long_journey_wraps_into_rows_and_pages_with_continuations(tmp_path: Path) -> None:
    analysis = analyse(load(EXAMPLES[0]))
    sheet = pages.paged_svgs(analysis, pages.PAGES["slide"])
    text = b"".join(sheet.pages).decode()
    assert "continues in the next row" in text
    assert "continues ▶" in text and "▶ continued" in text
    if len(sheet.pages) > 1:
        assert "Overview: stages on this page are filled" in text
        assert f"Page {len(sheet.pages)} of {len(sheet.pages)}" in text
    assert text.count('class="legend"') == len(sheet.pages)


def test_unknown_page_name_is_refused_with_the_choices() -> None:
    with pytest.raises(RenderError, match="a4, letter, a3, slide"):
        pages.page_of("b5")
    assert pages.page_of("FIT") is None


def test_the_deck_has_title_diagram_findings_table_and_fixes() -> None:
    analysis = analyse(load(EXAMPLES[1]))
    deck = Presentation(io.BytesIO(deck_bytes(analysis)))
    slides = list(deck.slides)
    titles = [s.shapes.title.text for s in slides]
    diagrams = pages.paged_svgs(analysis, pages.PAGES["slide"]).pages
    top = top_findings(analysis)
    assert len(slides) == 1 + len(diagrams) + len(top) + 2
    assert titles[0] == analysis.journey.title
    assert "Score" in slides[0].placeholders[1].text_frame.text
    assert titles[1].startswith("Gap diagram")
    assert any(sh.shape_type == MSO_SHAPE_TYPE.PICTURE for sh in slides[1].shapes)
    first_finding = slides[1 + len(diagrams)]
    assert top[0][1].summary in first_finding.shapes.title.text
    body = first_finding.placeholders[1].text_frame.text
    assert "Learner route" in body and "Learners affected" in body and top[0][1].advice in body
    tables = [sh for sh in slides[-2].shapes if sh.has_table]
    assert tables, "the coverage matrix is a real table"
    cells = [c.text for row in tables[0].table.rows for c in row.cells]
    assert cells[0] == "Credential · message"
    assert any(c.endswith(("all", "partial", "none")) for c in cells)
    assert titles[-1] == "Suggested fixes"


def test_cli_writes_pages_pdf_and_deck(tmp_path: Path, capsys) -> None:
    example = str(EXAMPLES[0])
    assert main(["render", example, "-o", str(tmp_path / "d.pdf"), "--page", "a3"]) == 0
    with pdfplumber.open(tmp_path / "d.pdf") as pdf:
        assert round(pdf.pages[0].width) == 1191
    assert main(["render", example, "-o", str(tmp_path / "d.svg"), "--page", "slide"]) == 0
    assert (tmp_path / "d.svg").exists()
    assert main(["render", example, "-o", str(tmp_path / "deck.pptx")]) == 0
    assert len(Presentation(tmp_path / "deck.pptx").slides) > 4


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--page", "b5", "-o", "x.svg"], "unknown page 'b5'"),
        (["--page", "a4", "-o", "x.dot"], "DOT has no page"),
        (["-o", "x.docx"], "cannot tell the format"),
    ],
)
def test_cli_bad_page_or_extension_exits_2(tmp_path: Path, capsys, argv, says) -> None:
    argv = [a if a != argv[-1] else str(tmp_path / a) for a in argv]
    assert main(["render", str(EXAMPLES[0]), *argv]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())


_BLOCK_AT = re.compile(
    r'<g transform="translate\([\d.]+ ([\d.]+)\)"><svg viewBox="[^"]*" '
    r'width="([\d.]+)" height="([\d.]+)"'
)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("name", ["a4", "letter", "slide"])
def test_no_page_but_the_last_is_left_mostly_blank(example: Path, name: str) -> None:
    analysis = analyse(load(example))
    page = pages.PAGES[name]
    sheet = pages.paged_svgs(analysis, page)
    for number, svg in enumerate(sheet.pages[:-1], start=1):
        ends = [float(y) + float(h) for y, _, h in _BLOCK_AT.findall(svg.decode())]
        # The drawing reaches past the middle of the page, not only its top third.
        assert max(ends) > page.height / 2, (number, max(ends), page.height)


def _shown_font_sizes(svg: str) -> list[float]:
    """Return each text's font size as drawn: nested drawings are scaled by their viewBox."""
    ns = "{http://www.w3.org/2000/svg}"
    sizes = []

    def walk(element: ET.Element, scale: float) -> None:
        if element.tag == f"{ns}svg" and element.get("viewBox") and element.get("width"):
            view = float(element.get("viewBox").split()[2])
            scale *= float(element.get("width").removesuffix("pt")) / view
        if element.tag == f"{ns}text":
            sizes.append(float(element.get("font-size")) * scale)
        for child in element:
            walk(child, scale)

    root = ET.fromstring(svg)
    for child in root:
        walk(child, 1.0)
    return sizes


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_screen_layout_is_one_column_of_rows_with_every_touchpoint(example: Path) -> None:
    analysis = analyse(load(example))
    svg = pages.screen_svg(analysis).decode()
    width, height = map(float, _SIZE.search(svg).groups())
    assert width == pages.SCREEN_WIDTH and height > 100
    # Nothing is drawn wider than the column, and no text under 8 units: 10 px at 650 px wide.
    for _, w, _ in _BLOCK_AT.findall(svg):
        assert float(w) <= width
    assert min(_shown_font_sizes(svg)) >= pages.MIN_PT
    ids = {e.get("id") for e in ET.fromstring(svg).iter()}
    assert {f"tp-{tp.id}" for tp in analysis.journey.touchpoints} <= ids
    assert 'class="legend"' in svg and "Row 1 of" in svg
