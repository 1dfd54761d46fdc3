"""Issue 12 item 2: the journey map as a poster (``claimpath render --view map``)."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from journeys import pages, poster
from journeys.analysis import analyse
from journeys.cards import card_gaps
from journeys.cli import main
from journeys.errors import RenderError
from journeys.fileformat import from_data, load

EXAMPLES = sorted((Path(__file__).parents[2] / "journeys" / "examples").glob("*.json"))
_SIZE = re.compile(r'<svg[^>]*width="([\d.]+)pt" height="([\d.]+)pt"')
_CARD = re.compile(r'id="card-([^"]+)"')
_PILL_OUT = re.compile(r"→ (\d+) p\.(\d+)<")


def pdf_text(data: bytes, page: pages.Page) -> tuple[int, str]:
    """Return the page count and the text of a PDF, checking each page's size and fonts."""
    text = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for p in pdf.pages:
            assert (round(p.width), round(p.height)) == (round(page.width), round(page.height))
            assert p.chars, "a page with no text"
            assert min(c["size"] for c in p.chars) >= pages.MIN_PT
            text.append(p.extract_text(x_tolerance=1) or "")
        return len(pdf.pages), " ".join(" ".join(text).split())


def _cards_by_page(sheet: pages.Sheet) -> list[set[str]]:
    return [set(_CARD.findall(svg.decode())) for svg in sheet.pages]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("name", ["a4", "letter", "a3"])
def test_every_example_prints_every_card_legibly_on_a_few_pages(example: Path, name: str) -> None:
    analysis = analyse(load(example))
    sheet = poster.poster_svgs(analysis, pages.PAGES[name])
    assert 1 <= len(sheet.pages) <= 4
    count, text = pdf_text(pages.to_pdf(sheet.pages), pages.PAGES[name])
    assert count == len(sheet.pages)
    words = set(text.split())
    for tp in analysis.journey.touchpoints:
        assert set(tp.title.split()) <= words, tp.title
    for stage in analysis.journey.stages:
        assert set(stage.name.split()) <= words, stage.name
    assert analysis.journey.title.split()[0] in words
    assert "Legend:" in text
    # Each card is drawn once, on exactly one page.
    drawn = _cards_by_page(sheet)
    assert sum(len(d) for d in drawn) == len(analysis.journey.touchpoints)
    assert set().union(*drawn) == {tp.id for tp in analysis.journey.touchpoints}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_slide_pages_are_16_by_9_and_their_png_is_1920_by_1080(example: Path) -> None:
    sheet = poster.poster_svgs(analyse(load(example)), pages.PAGES["slide"])
    for svg in sheet.pages:
        w, h = map(float, _SIZE.search(svg.decode()).groups())
        assert (w, h) == (960.0, 540.0)
    png = pages.to_png(sheet.pages[0], sheet.page)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1920, 1080)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_fit_is_one_drawing_with_every_stage_side_by_side(example: Path) -> None:
    analysis = analyse(load(example))
    sheet = poster.poster_svgs(analysis, None)
    assert len(sheet.pages) == 1
    svg = sheet.pages[0].decode()
    w, h = map(float, _SIZE.search(svg).groups())
    assert (w, h) == (sheet.page.width, sheet.page.height)
    # Stage columns are side by side: wider than tall, one column per stage.
    assert w > h
    assert svg.count("Stage ") >= len(analysis.journey.stages)
    assert "Page 1 of" not in svg
    count, text = pdf_text(pages.to_pdf(sheet.pages), sheet.page)
    assert count == 1


def test_a_map_wider_than_the_page_goes_on_with_markers_that_name_real_pages() -> None:
    analysis = analyse(load(EXAMPLES[0]))  # seven stages: more than an A4 page holds
    sheet = poster.poster_svgs(analysis, pages.PAGES["a4"])
    assert len(sheet.pages) > 1
    svgs = [svg.decode() for svg in sheet.pages]
    assert any("◀ stages 1–" in svg for svg in svgs[1:])
    assert re.search(r"p\.\d+ ▶", svgs[0])
    assert f"Page {len(svgs)} of {len(svgs)}" in svgs[-1]
    # Every arrow to another page names a card that really is on that page.
    numbers = {tp.id: n for n, tp in enumerate(analysis.journey.touchpoints, start=1)}
    on_page = [{numbers[key] for key in found} for found in _cards_by_page(sheet)]
    pills = [(int(n), int(p)) for svg in svgs for n, p in _PILL_OUT.findall(svg)]
    assert pills
    for card, page in pills:
        assert card in on_page[page - 1], (card, page)
    # Pages tile into one wall: all the same size, with the legend on each.
    assert {_SIZE.search(svg).groups() for svg in svgs} == {_SIZE.search(svgs[0]).groups()}
    assert all('class="legend"' in svg for svg in svgs)
    assert all("goes on to card" in svg for svg in svgs)


def test_a_poster_on_one_page_has_no_other_page_marker_in_its_legend() -> None:
    example = next(p for p in EXAMPLES if p.stem == "staff-pd-badge")
    sheet = poster.poster_svgs(analyse(load(example)), pages.PAGES["a3"])
    assert len(sheet.pages) == 1
    svg = sheet.pages[0].decode()
    assert "goes on to card" not in svg and "Page 1 of" not in svg and "▶" in svg


def test_a_card_shows_its_message_chips_gaps_marks_and_the_share_of_its_arrows() -> None:
    example = next(p for p in EXAMPLES if p.stem == "promoted-data-literacy")
    analysis = analyse(load(example))
    svg = poster.poster_svgs(analysis, None).pages[0].decode()
    cards = dict(re.findall(r'<g class="card [^"]*" id="card-([^"]+)"[^>]*>(.*?)</g>', svg))
    journey = analysis.journey
    first = journey.touchpoints[0]
    body = cards[first.id]
    for kinds in first.messages.values():
        for kind in kinds:
            assert f">{kind}<" in body
    assert "▶ START" in cards[journey.entries[0]]
    issuing = next(tp for tp in journey.touchpoints if tp.issues)
    assert "★ awards" in cards[issuing.id]
    for key, gaps in card_gaps(analysis).items():
        assert gaps[0].text.split()[0] in cards[key]
        assert f"sev-{analysis.worst_by_touchpoint[key]}" in svg
    for t in journey.transitions:
        if t.share is not None:
            assert f">{t.share * 100:.0f}%<" in svg


def _chain(count: int, stages: int = 1) -> dict[str, Any]:
    """Return a journey of ``count`` touchpoints in a row, all email, over ``stages`` stages."""
    return {
        "format": "claimpath-journey/1",
        "title": "A long chain",
        "credentials": [{"id": "b", "name": "Badge"}],
        "stages": [{"id": f"s{i}", "name": f"Stage {i}", "phase": "learn"} for i in range(stages)],
        "touchpoints": [
            {
                "id": f"t{i}",
                "title": f"Reminder number {i} about the badge",
                "stage": f"s{i * stages // count}",
                "channel": "email",
                "messages": {"b": ["earned", "represents"]},
                "issues": ["b"] if i == count - 1 else [],
                "entry": i == 0,
            }
            for i in range(count)
        ],
        "transitions": [{"from": f"t{i}", "to": f"t{i + 1}"} for i in range(count - 1)],
    }


def test_a_cell_taller_than_the_page_is_cut_into_parts_not_shrunk() -> None:
    analysis = analyse(from_data(_chain(24)))
    sheet = poster.poster_svgs(analysis, pages.PAGES["slide"])
    assert len(sheet.pages) > 1
    text = b"".join(sheet.pages).decode()
    assert f"part {len(sheet.pages)} of {len(sheet.pages)}" in text
    assert "▼ more lanes" in text
    count, printed = pdf_text(pages.to_pdf(sheet.pages), pages.PAGES["slide"])
    for i in range(24):
        assert f"Reminder number {i} " in printed + " "


def test_a_fit_png_of_a_very_wide_map_stays_within_what_cairo_can_draw() -> None:
    analysis = analyse(from_data(_chain(120, stages=120)))
    sheet = poster.poster_svgs(analysis, None)
    assert sheet.page.width > 16000
    assert sheet.page.png is not None and max(sheet.page.png) <= 16000
    assert sheet.page.png[0] / sheet.page.png[1] == pytest.approx(
        sheet.page.width / sheet.page.height, rel=0.01
    )


def test_past_the_size_limit_the_map_is_drawn_stage_by_stage_with_a_notice(
    tmp_path: Path,
) -> None:
    analysis = analyse(from_data(_chain(40, stages=4)))
    out = tmp_path / "map.pdf"
    written, notice = poster.write_poster(analysis, str(out), pages.PAGES["a4"], max_touchpoints=30)
    assert written == [str(out)]
    assert notice == poster.size_notice(40, 30)
    assert "more than the 30 the journey map draws card by card" in (notice or "")
    count, text = pdf_text(out.read_bytes(), pages.PAGES["a4"])
    assert "Journey map stage by stage" in text
    assert "10 touchpoints" in text  # one box per lane and stage
    assert "drawn stage by stage." in text  # the notice is on the page too
    assert "Reminder number" not in text


def test_past_the_time_limit_the_map_is_drawn_stage_by_stage_with_a_notice(
    tmp_path: Path,
) -> None:
    analysis = analyse(load(EXAMPLES[0]))
    with pytest.raises(RenderError, match="longer than 0 s"):
        poster.poster_svgs(analysis, pages.PAGES["a4"], timeout=0)
    out = tmp_path / "map.svg"
    written, notice = poster.write_poster(analysis, str(out), pages.PAGES["a4"], timeout=0)
    assert "longer than the 0 s allowed" in (notice or "")
    assert "Journey map stage by stage" in out.read_text()
    assert len(written) >= 1


def test_a_highlighted_route_is_drawn_in_thick_purple() -> None:
    analysis = analyse(load(EXAMPLES[0]))
    finding = next(f for f in analysis.findings if f.witness and len(f.witness) > 2)
    plain = b"".join(poster.poster_svgs(analysis, None).pages).decode()
    lit = b"".join(poster.poster_svgs(analysis, None, highlight=finding).pages).decode()
    assert 'stroke="#5E3C99" stroke-width="3"' not in plain
    assert lit.count('stroke="#5E3C99" stroke-width="3"') >= len(finding.witness)
    assert "◆ highlighted finding" in lit and "the highlighted route" in lit


def test_text_a_user_wrote_is_drawn_as_text_never_markup() -> None:
    data = _chain(3)
    data["title"] = 'Evil "map" <script>alert(1)</script> & co'
    data["touchpoints"][0]["title"] = "<b>bold</b> & <img src=x onerror=alert(1)>"
    data["touchpoints"][0]["channel"] = "<lane>"
    svg = poster.poster_svgs(analyse(from_data(data)), pages.PAGES["a4"]).pages[0]
    root = ET.fromstring(svg)  # well-formed
    assert not root.findall(".//{http://www.w3.org/2000/svg}script")
    assert b"<script>" not in svg and b"<img" not in svg
    assert b"&lt;script&gt;" in svg


def test_width_and_wrap_keep_lines_inside_the_room() -> None:
    lines = poster.wrap("Supercalifragilisticexpialidocious and friends", 10, 50, bold=True)
    assert all(poster.width_of(line, 10, True) <= 50 for line in lines)
    assert "".join(lines).replace(" ", "").startswith("Supercalifragilistic")


# -- the command line -------------------------------------------------------------------------


def test_cli_writes_a_multi_page_pdf_poster(tmp_path: Path, capsys) -> None:
    out = tmp_path / "map.pdf"
    assert main(["render", str(EXAMPLES[0]), "-o", str(out), "--view", "map", "--page", "a4"]) == 0
    sheet = poster.poster_svgs(analyse(load(EXAMPLES[0])), pages.PAGES["a4"])
    count, _ = pdf_text(out.read_bytes(), pages.PAGES["a4"])
    assert count == len(sheet.pages) > 1
    assert f"wrote {out}" in capsys.readouterr().out


def test_cli_writes_one_svg_a_page_with_numbered_names(tmp_path: Path, capsys) -> None:
    out = tmp_path / "map.svg"
    assert main(["render", str(EXAMPLES[0]), "-o", str(out), "--view", "map", "--page", "a4"]) == 0
    written = capsys.readouterr().out
    assert out.exists() and (tmp_path / "map-2.svg").exists()
    assert "map-2.svg" in written
    for path in tmp_path.glob("map*.svg"):
        assert _SIZE.search(path.read_text()).groups() == ("841.89", "595.28")


def test_cli_fit_is_the_default_page_and_png_works(tmp_path: Path) -> None:
    svg, png = tmp_path / "map.svg", tmp_path / "map.png"
    assert main(["render", str(EXAMPLES[1]), "-o", str(svg), "--view", "map"]) == 0
    assert main(["render", str(EXAMPLES[1]), "-o", str(png), "--view", "map"]) == 0
    assert not (tmp_path / "map-2.svg").exists()
    assert 'class="journey-map-poster"' in svg.read_text()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_default_view_is_still_the_gap_diagram(tmp_path: Path) -> None:
    out = tmp_path / "gaps.svg"
    assert main(["render", str(EXAMPLES[1]), "-o", str(out)]) == 0
    assert "journey-map-poster" not in out.read_text()


@pytest.mark.parametrize(
    ("extra", "output", "said"),
    [
        (["--view", "poster"], "map.svg", "invalid choice: 'poster' (choose from 'gaps', 'map')"),
        (["--view", "map", "--page", "a5"], "map.pdf", "unknown page 'a5'"),
        (["--view", "map"], "map.dot", "the journey map poster is .svg, .png or .pdf"),
        (["--view", "map"], "map.pptx", "the journey map poster is .svg, .png or .pdf"),
        (["--view", "map"], "map.txt", "cannot tell the format"),
    ],
)
def test_cli_refuses_unknown_views_pages_and_formats_with_exit_2(
    tmp_path: Path, capsys, extra: list[str], output: str, said: str
) -> None:
    out = tmp_path / output
    try:
        status = main(["render", str(EXAMPLES[0]), "-o", str(out), *extra])
    except SystemExit as exc:  # argparse's own refusal
        status = exc.code
    assert status == 2
    assert said in capsys.readouterr().err
    assert not out.exists()
