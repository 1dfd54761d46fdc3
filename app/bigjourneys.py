"""Journeys too large to analyse within a request get a clear page instead of a held worker.

The gap report, what-if preview, Mentions, the Export page, the findings
CSV, the diagrams and the workshop report all analyse the whole journey; past
``BIG_JOURNEY_TOUCHPOINTS`` touchpoints (app/config.py) that takes minutes
and gigabytes, so those screens answer at once with a "too large to draw
here" page saying what still works: the journey file, and the engine on the
command line, which has no request time limit. The map is issue 10's and is
not guarded here.
"""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

from app.access import journey_or_404
from app.extensions import db
from app.models import Touchpoint

__all__ = ["GUARDED", "register", "too_large"]

#: The endpoints that analyse the whole journey.
GUARDED = frozenset(
    {
        "report.show",
        "report.diagram",
        "report.preview",
        "report.apply",
        "mentions.index",
        "exports.index",
        "exports.findings",
        "exports.diagram",
        "exports.workshop",
    }
)


def too_large(journey_id: int) -> int | None:
    """Return the journey's touchpoint count when it is past the limit, else None."""
    limit = int(current_app.config.get("BIG_JOURNEY_TOUCHPOINTS") or 0)
    if limit <= 0:
        return None
    count = db.session.scalar(
        select(func.count(Touchpoint.id)).where(Touchpoint.journey_id == journey_id)
    )
    return count if count and count > limit else None


def _guard() -> tuple[str, int] | None:
    if request.endpoint not in GUARDED or not request.view_args:
        return None
    journey_id = request.view_args.get("journey_id")
    if not isinstance(journey_id, int):
        return None
    # Count first: checking access has side effects (a revoked share link leaves
    # the session), so it runs only where the page would be replaced.
    count = too_large(journey_id)
    if count is None:
        return None
    try:
        journey = journey_or_404(journey_id)
    except HTTPException:
        return None  # the view answers as it always does: sign in, 403 or 404
    limit = int(current_app.config["BIG_JOURNEY_TOUCHPOINTS"])
    page = render_template("too_large.html", journey=journey, count=count, limit=limit)
    return page, 200


def register(app: Flask) -> None:
    """Answer the whole-journey screens of a journey past the limit with the too-large page."""
    app.before_request(_guard)
