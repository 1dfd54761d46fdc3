"""Exports: the gap diagram as SVG, PNG, PDF and DOT, the findings as CSV, the workshop report.

The journey itself as JSON is :func:`app.editor.transfer.export`. Every file name
carries the journey's title and the date (:func:`app.ui.filename`).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request
from markupsafe import Markup
from werkzeug.exceptions import BadRequest

from app import convert, revisions
from app.access import journey_or_404, shared_or_signed_in
from app.analysis import gaps_for
from app.report import diagrams, paged, screen
from app.report.pages import COVERAGE, overview
from app.ui import download, filename
from journeys.pages import PAGES
from journeys.poster import VIEWS
from journeys.render import FORMATS

__all__ = ["bp"]

bp = Blueprint("exports", __name__, url_prefix="/journeys/<int:journey_id>/export")

#: How many findings the workshop report lists; the rest are counted.
TOP_FINDINGS = 12
#: Past this many touchpoints a printed page cannot show each one legibly: the
#: workshop report draws stages, and the PDF download has every touchpoint.
WORKSHOP_TOUCHPOINTS = 60
_CSV_COLUMNS = (
    "number",
    "severity",
    "rule",
    "credential",
    "touchpoint",
    "message",
    "coverage",
    "summary",
    "advice",
    "route",
    "credential_id",
    "touchpoint_id",
    "route_ids",
)
# A spreadsheet runs a cell that starts like a formula; a leading quote keeps it text.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@bp.route("/")
@shared_or_signed_in
def index(journey_id: int) -> str:
    """List the exports: diagram files, findings, the journey file and the workshop report."""
    journey = journey_or_404(journey_id)
    gaps = gaps_for(journey)
    return render_template(
        "exports/index.html",
        journey=journey,
        findings=gaps.analysis.findings,
        too_large=diagrams.too_many(gaps) is not None,
        limit=current_app.config["DIAGRAM_MAX_TOUCHPOINTS"],
        pages=PAGES,
    )


@bp.route("/diagram.<fmt>")
@shared_or_signed_in
def diagram(journey_id: int, fmt: str) -> Response:
    """Download the gap diagram; ``?finding=N`` highlights a path, ``?stages=1`` draws stages.

    ``?view=map`` gives the journey map poster instead, ``?page=`` as for the diagram.
    """
    journey = journey_or_404(journey_id)
    if fmt not in FORMATS:
        abort(404)
    page = request.args.get("page", "fit")
    view = request.args.get("view", "gaps")
    if view not in VIEWS:
        _refuse(
            f"There is no view called {view!r}: choose gaps (the gap diagram) "
            "or map (the journey map poster)."
        )
    if page != "fit" or view == "map":
        return _paged(journey, fmt, page, view)
    gaps = gaps_for(journey)
    drawn = diagrams.diagram(
        gaps,
        fmt,
        finding=request.args.get("finding", type=int),
        stage_level=request.args.get("stages") == "1",
    )
    if drawn.data is None:
        abort(503, description=drawn.notice)
    what = "stage-diagram" if drawn.stage_level else "gap-diagram"
    return download(drawn.data, FORMATS[fmt], filename(journey.title, what, fmt))


def _refuse(message: str) -> None:
    """Stop with a 400 page that says what was wrong."""
    error = BadRequest(message)
    error.located = True  # the error page shows this message
    raise error


def _paged(journey, fmt: str, page: str, view: str = "gaps") -> Response:
    """Download the diagram laid out on ``page``: a PDF of every page, or one file a page."""
    if page not in PAGES and not (view == "map" and page == "fit"):
        _refuse(f"There is no page called {page!r}: choose Fit, {', '.join(PAGES)}.")
    if fmt == "dot":
        if view == "map":
            _refuse("The journey map poster is SVG, PNG or PDF, not DOT.")
        _refuse("DOT source has no page: choose Fit for DOT, or SVG, PNG or PDF.")
    gaps = gaps_for(journey)
    drawn = paged.paged(
        gaps,
        fmt,
        page,
        finding=request.args.get("finding", type=int),
        stage_level=request.args.get("stages") == "1",
        view=view,
    )
    if drawn.data is None:
        abort(503, description=drawn.notice)
    if view == "map":
        what = ("stage-map" if drawn.stage_level else "journey-map") + f"-{page}"
    else:
        what = ("stage-diagram" if drawn.stage_level else "gap-diagram") + f"-{page}"
    name = filename(journey.title, what, drawn.ext)
    return download(drawn.data, paged.MIMETYPES[drawn.ext], name)


@bp.route("/slides.pptx")
@shared_or_signed_in
def slides(journey_id: int) -> Response:
    """Download the workshop slide deck: an editable PowerPoint file (16:9)."""
    journey = journey_or_404(journey_id)
    drawn = paged.paged(gaps_for(journey), "pptx", "slide")
    if drawn.data is None:
        abort(503, description=drawn.notice)
    return download(drawn.data, paged.MIMETYPES["pptx"], filename(journey.title, "slides", "pptx"))


@bp.route("/journey.mmd")
@shared_or_signed_in
def mermaid(journey_id: int) -> Response:
    """Download the journey as a Mermaid ``journey`` diagram, to paste into documents and wikis."""
    from journeys.mermaid import to_mermaid

    journey = journey_or_404(journey_id)
    text = to_mermaid(convert.to_engine(journey))
    return download(text, "text/plain", filename(journey.title, "", "mmd"))


@bp.route("/findings.csv")
@shared_or_signed_in
def findings(journey_id: int) -> Response:
    """Download the findings as CSV: one row each, with the learner route that shows it."""
    journey = journey_or_404(journey_id)
    analysis = gaps_for(journey).analysis
    source = analysis.journey
    names = {c.id: c.name for c in source.credentials}
    titles = {t.id: t.title for t in source.touchpoints}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_CSV_COLUMNS)
    for number, f in enumerate(analysis.findings, start=1):
        route = f.witness or ()
        row = (
            number,
            f.severity,
            f.rule,
            names.get(f.credential or "", ""),
            titles.get(f.touchpoint or "", ""),
            f.message or "",
            f.coverage or "",
            f.summary,
            f.advice,
            " → ".join(titles.get(t, t) for t in route),
            f.credential or "",
            f.touchpoint or "",
            " ".join(route),
        )
        writer.writerow([_cell(value) for value in row])
    # The byte-order mark makes spreadsheet programs read the file as UTF-8.
    text = "\ufeff" + out.getvalue()
    return download(text.encode("utf-8"), "text/csv", filename(journey.title, "findings", "csv"))


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


@bp.route("/workshop.html")
@shared_or_signed_in
def workshop(journey_id: int) -> Response:
    """Show the workshop report: one self-contained page to print; ``?download=1`` saves it."""
    journey = journey_or_404(journey_id)
    gaps = gaps_for(journey)
    view = overview(gaps)
    dense = len(view.source.touchpoints) > WORKSHOP_TOUCHPOINTS
    latest = revisions.latest(journey)
    css = (Path(current_app.static_folder or "") / "css" / "report.css").read_text("utf-8")
    page = render_template(
        "exports/workshop.html",
        journey=journey,
        view=view,
        top=[v for v in view.findings if v.finding.severity != "info"][:TOP_FINDINGS],
        diagram=screen.workshop_sheets(
            gaps,
            stage_level=dense,
            note=f"Stage by stage: {len(view.source.touchpoints)} touchpoints are too many to "
            "read on a printed page; the PDF diagram from Export has every one."
            if dense
            else None,
        ),
        dense=dense,
        coverage=COVERAGE,
        revision=latest,
        today=datetime.now(UTC).date(),
        css=Markup(css),  # noqa: S704 (this site's own stylesheet file, no user text)
    )
    name = filename(journey.title, "workshop-report", "html")
    return download(page, "text/html", name, inline=request.args.get("download") != "1")
