"""The workshop slide deck: an editable PowerPoint file of a journey's gaps, made with python-pptx.

Slides, in order: the title (journey, score, headline sentence); the gap
diagram fitted to the slide (a picture: the diagram is a drawing); one slide
per top finding with its learner route, the learners it affects and the
advice; the coverage matrix as a PowerPoint table; the suggested fixes. Every
word is slide text, editable, never a picture of text.
"""

from __future__ import annotations

import io
from typing import Any

from journeys import fixes, pages
from journeys import report as reports
from journeys.findings import Analysis, Checkpoint, Finding
from journeys.model import SEVERITY_WORDS
from journeys.score import score

__all__ = ["TOP_FINDINGS", "deck_bytes"]

#: How many findings (critical and warning first) get a slide each.
TOP_FINDINGS = 8
#: Past this many slides of touchpoints, the deck draws the diagram stage by stage.
_DIAGRAM_SLIDES = 6
#: The coverage matrix table shows at most this many rows; the rest are counted.
_TABLE_ROWS = 14
_COVERAGE = {"all": "✔ all", "partial": "◐ partial", "none": "✖ none"}


def _headline(analysis: Analysis) -> str:
    """Return the headline sentence: the report's headline where it has one, else awareness."""
    headline = getattr(reports, "headline_sentence", None)
    if headline is not None:
        return headline(analysis)
    return reports.awareness_sentence(analysis) or "No credential issue point is reached."


def _checkpoint(analysis: Analysis, f: Finding) -> Checkpoint | None:
    for c in analysis.checkpoints:
        if (c.credential, c.message, c.touchpoint) == (f.credential, f.message, f.touchpoint):
            return c
    return None


def affected(analysis: Analysis, f: Finding) -> str:
    """Return, in words, which learners a finding affects, from the reach model where it can.

    Falls back to the route's learners where the finding has no checkpoint share.
    """
    c = _checkpoint(analysis, f)
    if c is not None and c.arrival is not None and c.expected_share is not None:
        untold = (1 - c.expected_share) * 100
        return (
            f"About {c.arrival * 100:.0f}% of learners reach this point; "
            f"{untold:.0f}% of them have not been told."
        )
    if f.witness:
        return "Every learner who takes the route shown."
    return "Every learner on the journey."


def top_findings(analysis: Analysis, limit: int = TOP_FINDINGS) -> list[tuple[int, Finding]]:
    """Return the numbered findings that get a slide: critical and warning, in report order."""
    numbered = list(enumerate(analysis.findings, start=1))
    serious = [(n, f) for n, f in numbered if f.severity != "info"]
    return (serious or numbered)[:limit]


def deck_bytes(analysis: Analysis, *, timeout: float = 20.0, stage_level: bool = False) -> bytes:
    """Return the deck as the bytes of a ``.pptx`` file.

    Raises :class:`journeys.errors.RenderError` when the diagram cannot be drawn.
    """
    from pptx import Presentation
    from pptx.util import Emu, Pt

    journey = analysis.journey
    deck = Presentation()
    slide_width, slide_height = Emu(12192000), Emu(6858000)  # 16:9
    deck.slide_width, deck.slide_height = slide_width, slide_height
    title_only, title_and_body, title_slide = (
        deck.slide_layouts[5],
        deck.slide_layouts[1],
        deck.slide_layouts[0],
    )

    first = deck.slides.add_slide(title_slide)
    first.shapes.title.text = journey.title
    result = score(analysis)
    counts = ", ".join(
        f"{analysis.count(s)} {SEVERITY_WORDS[s].lower()}" for s in ("critical", "warning", "info")
    )
    first.placeholders[1].text = f"Score {result.value} of 100 · {counts}\n{_headline(analysis)}"

    sheet = pages.paged_svgs(
        analysis, pages.PAGES["slide"], timeout=timeout, stage_level=stage_level
    )
    if len(sheet.pages) > _DIAGRAM_SLIDES and not stage_level:
        note = f"{len(journey.touchpoints)} touchpoints take over {_DIAGRAM_SLIDES} slides:"
        sheet = pages.paged_svgs(
            analysis,
            pages.PAGES["slide"],
            timeout=timeout,
            stage_level=True,
            note=note + " drawn stage by stage; the PDF from Export has every touchpoint.",
        )
    for number, page in enumerate(sheet.pages, start=1):
        slide = deck.slides.add_slide(title_only)
        more = f" ({number} of {len(sheet.pages)})" if len(sheet.pages) > 1 else ""
        slide.shapes.title.text = f"Gap diagram{more}"
        _fit_title(slide, Pt)
        picture = io.BytesIO(pages.to_png(page, sheet.page))
        top = Emu(1000000)
        height = slide_height - top - Emu(150000)
        width = int(height * 16 / 9)
        left = (slide_width - width) // 2
        slide.shapes.add_picture(picture, left, top, width=width, height=height)

    titles = {t.id: t.title for t in journey.touchpoints}
    for number, f in top_findings(analysis):
        slide = deck.slides.add_slide(title_and_body)
        slide.shapes.title.text = f"{number}. {SEVERITY_WORDS[f.severity]}: {f.summary}"
        _fit_title(slide, Pt)
        body = slide.placeholders[1].text_frame
        route = " → ".join(titles.get(t, t) for t in f.witness or ()) or "No route: see the advice."
        lines = [("Learner route", route), ("Learners affected", affected(analysis, f))]
        lines.append(("Advice", f.advice))
        body.text = ""
        for i, (head, text) in enumerate(lines):
            para = body.paragraphs[0] if i == 0 else body.add_paragraph()
            run = para.add_run()
            run.text = f"{head}: "
            run.font.bold = True
            para.add_run().text = text
            for r in para.runs:
                r.font.size = Pt(18)

    _coverage_slide(deck, analysis, title_only, Emu, Pt)

    slide = deck.slides.add_slide(title_and_body)
    slide.shapes.title.text = "Suggested fixes"
    body = slide.placeholders[1].text_frame
    suggested = fixes.suggestions(analysis)
    body.text = suggested[0].label if suggested else "No fix to suggest: no finding calls for one."
    for fix in suggested[1:10]:
        body.add_paragraph().text = fix.label
    if len(suggested) > 10:
        body.add_paragraph().text = f"And {len(suggested) - 10} more in the gap report's what-if."
    for para in body.paragraphs:
        for r in para.runs:
            r.font.size = Pt(16)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _fit_title(slide: Any, Pt: Any) -> None:  # noqa: N803 (python-pptx's unit)
    for para in slide.shapes.title.text_frame.paragraphs:
        for r in para.runs:
            r.font.size = Pt(28)


def _coverage_slide(  # noqa: N803 (python-pptx's units)
    deck: Any, analysis: Analysis, layout: Any, Emu: Any, Pt: Any
) -> None:
    """Add the coverage matrix: a row per credential and message, a column per checkpoint kind."""
    journey = analysis.journey
    names = {c.id: c.name for c in journey.credentials}
    titles = {t.id: t.title for t in journey.touchpoints}
    columns: list[tuple[str, str]] = []
    cells: dict[tuple[str, str], dict[tuple[str, str], str]] = {}
    for c in analysis.checkpoints:
        where = (c.by, c.touchpoint)
        if where not in columns:
            columns.append(where)
        cells.setdefault((c.credential, c.message), {})[where] = c.coverage
    slide = deck.slides.add_slide(layout)
    slide.shapes.title.text = "Coverage: has every learner path told each message?"
    _fit_title(slide, Pt)
    rows = list(cells.items())[:_TABLE_ROWS]
    columns = columns[:6]
    table = slide.shapes.add_table(
        len(rows) + 1,
        len(columns) + 1,
        Emu(400000),
        Emu(1100000),
        deck.slide_width - Emu(800000),
        Emu(300000) * (len(rows) + 1),
    ).table
    table.cell(0, 0).text = "Credential · message"
    for j, (by, tp) in enumerate(columns, start=1):
        table.cell(0, j).text = ("issued at " if by == "issue" else "end at ") + titles.get(tp, tp)
    for i, ((credential, message), row) in enumerate(rows, start=1):
        table.cell(i, 0).text = f"{names.get(credential, credential)} · {message}"
        for j, where in enumerate(columns, start=1):
            table.cell(i, j).text = _COVERAGE.get(row.get(where, ""), "— not checked")
    for row in table.rows:
        for cell in row.cells:
            for para in cell.text_frame.paragraphs:
                for r in para.runs:
                    r.font.size = Pt(11)
    if len(cells) > _TABLE_ROWS:
        box = slide.shapes.add_textbox(
            Emu(400000), deck.slide_height - Emu(500000), Emu(8000000), Emu(300000)
        )
        box.text_frame.text = f"And {len(cells) - _TABLE_ROWS} more rows in the gap report."
