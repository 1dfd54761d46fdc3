"""Paged diagrams and the slide deck for the web, kept in the diagram cache.

The files of :mod:`journeys.pages` (a diagram laid out for A4, Letter, A3 or a
16:9 slide) and :mod:`journeys.deck` (the PowerPoint deck) are drawn once per
journey revision and options and kept in the diagram cache with the other
diagrams (:func:`app.report.diagrams.cached`). Past the size or
time limit they are drawn stage by stage, with a note saying why.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from functools import partial

from flask import current_app

from app.analysis import Gaps
from app.report import diagrams
from journeys import pages
from journeys.deck import deck_bytes
from journeys.poster import poster_svgs, size_notice

__all__ = ["Drawn", "MIMETYPES", "paged"]

#: What a paged download is: one PDF of every page, a deck, or a ZIP of one file a page.
MIMETYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "svg": "image/svg+xml",
    "png": "image/png",
    "zip": "application/zip",
}


@dataclass(frozen=True)
class Drawn:
    """A paged file: its bytes, its extension (``zip``: several pages) and any note."""

    data: bytes | None
    ext: str
    stage_level: bool
    notice: str | None = None


def paged(
    gaps: Gaps,
    fmt: str,
    page: str,
    *,
    finding: int | None = None,
    stage_level: bool = False,
    view: str = "gaps",
) -> Drawn:
    """Return the gap diagram on ``page`` as ``fmt`` (svg, png, pdf), or the deck (``pptx``).

    ``page`` must be a name of :data:`journeys.pages.PAGES`; the deck is always
    16:9. ``view="map"`` draws the journey map poster (:mod:`journeys.poster`)
    instead, for which ``page`` may also be ``fit``. Past the limits the diagram
    is drawn stage by stage with ``notice`` saying why; if even that fails,
    ``data`` is None. A failure is remembered
    (:func:`app.report.diagrams.cached`): the next request does not wait again.
    """
    if finding is not None and not 1 <= finding <= len(gaps.analysis.findings):
        finding = None
    notice = None
    if not stage_level and view == "map":
        size = len(gaps.analysis.journey.touchpoints)
        notice = size_notice(size, current_app.config["DIAGRAM_MAX_TOUCHPOINTS"])
    elif not stage_level:
        notice = diagrams.too_many(gaps)
    stage_level = stage_level or notice is not None
    what = "paged" if view == "gaps" else "poster"
    for level in dict.fromkeys((stage_level, True)):
        draw = partial(_draw, gaps, fmt, page, finding, level, notice, view)
        try:
            data, ext = diagrams.cached(gaps, fmt, (what, page, finding, level, notice), draw)
        except diagrams.Failed as failed:
            notice = failed.notice
            continue
        return Drawn(data, ext, level, notice)
    return Drawn(None, fmt, True, notice)


def _draw(
    gaps: Gaps,
    fmt: str,
    page: str,
    finding: int | None,
    stage_level: bool,
    notice: str | None,
    view: str,
    timeout: float,
) -> tuple[bytes, str]:
    """Return the paged file drawn now and its extension; raise ``RenderError`` past a limit."""
    analysis = gaps.analysis
    if fmt == "pptx":
        return deck_bytes(analysis, timeout=timeout, stage_level=stage_level), "pptx"
    highlight = analysis.findings[finding - 1] if finding else None
    draw = partial(
        poster_svgs if view == "map" else pages.paged_svgs,
        highlight=highlight,
        stage_level=stage_level,
        timeout=timeout,
        note=notice,
    )
    # The journey map poster's page may also be fit (None): one drawing the map's size.
    sheet = draw(analysis, pages.PAGES.get(page) if view == "map" else pages.PAGES[page])
    if fmt == "pdf":
        return pages.to_pdf(sheet.pages), "pdf"
    files = [svg if fmt == "svg" else pages.to_png(svg, sheet.page) for svg in sheet.pages]
    if len(files) == 1:
        return files[0], fmt
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, data in enumerate(files, start=1):
            archive.writestr(f"page-{number}.{fmt}", data)
    return out.getvalue(), "zip"
