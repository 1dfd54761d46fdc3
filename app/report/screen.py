"""Inline diagrams laid out by :mod:`journeys.pages`: the gap report's, and the workshop report's.

Today's diagram is one long strip: at *Fit* in the report's diagram column its
text shows at about 4 px. A journey of up to :data:`SCREEN_TOUCHPOINTS`
touchpoints is drawn instead with :func:`journeys.pages.screen_svg`: stages wrap
into rows :data:`journeys.pages.SCREEN_WIDTH` points wide, one under another,
so that fitted to the column's width no text shows under 10 CSS px. Larger
journeys, and any drawing that fails, get today's diagram
(:func:`app.report.diagrams.diagram`), which falls back to stages past its limits.

The workshop report prints its diagram on pages of their own
(:func:`workshop_sheets`): :data:`journeys.pages.UPRIGHT` pages, which fit an
upright A4 or Letter sheet inside the report's print margins, so that no text
prints under 8 pt on either paper.
"""

from __future__ import annotations

from app.analysis import Gaps
from app.report import diagrams
from journeys import pages

__all__ = ["SCREEN_TOUCHPOINTS", "inline_diagram", "workshop_sheets"]

#: Up to this many touchpoints the inline diagram is laid out in rows for the screen.
SCREEN_TOUCHPOINTS = 40


def inline_diagram(
    gaps: Gaps,
    *,
    finding: int | None = None,
    stage_level: bool = False,
    link: str | None = None,
    draw: bool = True,
) -> diagrams.Diagram:
    """Return the report's inline diagram (sanitised SVG markup), from the cache when it is there.

    The options are those of :func:`app.report.diagrams.diagram`: ``finding``
    highlights a finding's route, ``link`` makes touchpoints links, and unless
    ``draw`` a drawing not yet cached comes back ``pending``.
    """
    findings = gaps.analysis.findings
    if finding is not None and not 1 <= finding <= len(findings):
        finding = None
    size = len(gaps.analysis.journey.touchpoints)
    if stage_level or size > SCREEN_TOUCHPOINTS:
        return diagrams.diagram(
            gaps, "inline", finding=finding, stage_level=stage_level, link=link, draw=draw
        )

    def drawn(timeout: float) -> bytes:
        href = None
        if link is not None:
            href = lambda key: link.replace("{key}", key)  # noqa: E731
        svg = pages.screen_svg(
            gaps.analysis,
            highlight=findings[finding - 1] if finding else None,
            href=href,
            timeout=timeout,
        )
        return diagrams.inline_svg(svg).encode("utf-8")

    parts = ("screen", pages.SCREEN_WIDTH, finding, link or "")
    try:
        data, _ = diagrams.cached(gaps, "inline", parts, drawn, make=draw)
    except diagrams.Pending:
        return diagrams.Diagram(None, "inline", False, pending=True)
    except diagrams.Failed:
        # Today's strip, or the stages past its limits, says why if it too fails.
        return diagrams.diagram(gaps, "inline", finding=finding, link=link, draw=draw)
    return diagrams.Diagram(data, "inline", False)


def workshop_sheets(
    gaps: Gaps, *, stage_level: bool = False, note: str | None = None
) -> diagrams.Diagram:
    """Return the workshop report's diagram: one inline ``<svg>`` a printed page, in order.

    Each page is a :data:`journeys.pages.UPRIGHT` page with its own header,
    overview and legend; ``note`` heads the first page's drawing. Past the
    limits the pages are drawn stage by stage, saying why; if that fails too,
    today's inline diagram (or its notice) comes back instead.
    """
    notice = None if stage_level else diagrams.too_many(gaps)
    for level in dict.fromkeys((stage_level or notice is not None, True)):
        said = " ".join(n for n in (note, notice) if n) or None

        def drawn(timeout: float, level: bool = level, said: str | None = said) -> bytes:
            sheet = pages.paged_svgs(
                gaps.analysis,
                pages.UPRIGHT,
                stage_level=level,
                timeout=timeout,
                note=said,
                balance=True,
            )
            return "".join(
                diagrams.inline_svg(_numbered(svg, number))
                for number, svg in enumerate(sheet.pages, start=1)
            ).encode("utf-8")

        parts = ("workshop", pages.UPRIGHT, "balanced", level, said or "")
        try:
            data, _ = diagrams.cached(gaps, "inline", parts, drawn)
        except diagrams.Failed as failed:
            notice = failed.notice
            continue
        return diagrams.Diagram(data, "inline", level, notice)
    return diagrams.diagram(gaps, "inline", stage_level=True)


def _numbered(svg: bytes, number: int) -> bytes:
    """Return a page's SVG with its ids made its own: every page has a legend and rows."""
    prefix = f"p{number}-"
    return svg.replace(b' id="', f' id="{prefix}'.encode()).replace(
        b"url(#", f"url(#{prefix}".encode()
    )
