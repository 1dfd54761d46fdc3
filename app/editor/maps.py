"""The journey map: stages by lanes, a card per touchpoint with its chips and gap marker."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from app import convert, reviews
from app.access import can, journey_or_404, role_on, shared_or_signed_in
from app.analysis import gaps_of
from app.grid import LANES, grid

__all__ = ["bp"]

bp = Blueprint("map", __name__, url_prefix="/journeys")


@bp.route("/<int:journey_id>")
@shared_or_signed_in
def show(journey_id: int) -> str:
    """Show the journey map, lanes by channel or by owner (``?lanes=owner``)."""
    journey = journey_or_404(journey_id)
    source = convert.to_engine(journey)
    gaps = gaps_of(source)
    by = request.args.get("lanes", "channel")
    return render_template(
        "map/show.html",
        journey=journey,
        source=source,
        gaps=gaps,
        grid=grid(source, gaps.analysis, by),
        lanes=LANES,
        role=role_on(journey.id),
        editable=can(journey, "edit"),
        review_states=reviews.card_states(journey.id, source),
    )
