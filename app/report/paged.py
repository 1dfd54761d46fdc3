"""Paged diagrams and the slide deck for the web, kept in the diagram cache.

The files of :mod:`journeys.pages` (a diagram laid out for A4, Letter, A3 or a
16:9 slide) and :mod:`journeys.deck` (the PowerPoint deck) are drawn once per
journey content and options and kept in the same folder, under the same size
bound, as the other diagrams (:mod:`app.report.diagrams`). Past the size or
time limit they are drawn stage by stage, with a note saying why.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from app.analysis import Gaps
from app.report import diagrams
from journeys import pages
from journeys.deck import deck_bytes
from journeys.errors import RenderError

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


def _key(
    gaps: Gaps, fmt: str, page: str, finding: int | None, stage_level: bool, notice: str | None
) -> str:
    parts = (diagrams._renderer(), gaps.digest, "paged", fmt, page, str(finding), str(stage_level))
    parts += (notice or "",)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def paged(
    gaps: Gaps, fmt: str, page: str, *, finding: int | None = None, stage_level: bool = False
) -> Drawn:
    """Return the gap diagram on ``page`` as ``fmt`` (svg, png, pdf), or the deck (``pptx``).

    ``page`` must be a name of :data:`journeys.pages.PAGES`; the deck is always
    16:9. Past the limits the diagram is drawn stage by stage with ``notice``
    saying why; if even that fails, ``data`` is None.
    """
    findings = gaps.analysis.findings
    if finding is not None and not 1 <= finding <= len(findings):
        finding = None
    notice = None
    size = len(gaps.analysis.journey.touchpoints)
    limit = int(diagrams.setting("DIAGRAM_MAX_TOUCHPOINTS"))
    if not stage_level and size > limit:
        notice = (
            f"This journey has {size} touchpoints, more than the {limit} the gap diagram "
            "draws one by one, so it is drawn stage by stage."
        )
        stage_level = True
    timeout = float(diagrams.setting("DIAGRAM_TIMEOUT"))
    for level in dict.fromkeys((stage_level, True)):
        try:
            data, ext = _cached(gaps, fmt, page, finding, level, timeout, notice)
        except RenderError as exc:
            notice = diagrams._in_words(str(exc), timeout, size)
            continue
        return Drawn(data, ext, level, notice)
    return Drawn(None, fmt, True, notice)


def _cached(
    gaps: Gaps,
    fmt: str,
    page: str,
    finding: int | None,
    stage_level: bool,
    timeout: float,
    notice: str | None,
) -> tuple[bytes, str]:
    folder = diagrams._folder()
    key = _key(gaps, fmt, page, finding, stage_level, notice)
    for ext in (fmt, "zip"):
        path = folder / f"{key}.{ext}"
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue
        diagrams._touch(path)
        return data, ext
    data, ext = _draw(gaps, fmt, page, finding, stage_level, timeout, notice)
    diagrams._store(folder / f"{key}.{ext}", data)
    return data, ext


def _draw(
    gaps: Gaps,
    fmt: str,
    page: str,
    finding: int | None,
    stage_level: bool,
    timeout: float,
    notice: str | None,
) -> tuple[bytes, str]:
    analysis = gaps.analysis
    if fmt == "pptx":
        return deck_bytes(analysis, timeout=timeout, stage_level=stage_level), "pptx"
    highlight = analysis.findings[finding - 1] if finding else None
    sheet = pages.paged_svgs(
        analysis,
        pages.PAGES[page],
        highlight=highlight,
        stage_level=stage_level,
        timeout=timeout,
        note=notice,
    )
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
