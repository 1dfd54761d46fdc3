"""The journey's history: every saved change, any revision's map, and restoring one."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app import convert
from app.access import journey_or_404, shared_or_signed_in
from app.analysis import gaps_of_revisions
from app.extensions import db
from app.grid import LANES, grid
from app.models import Journey, Revision
from app.saving import save
from journeys import fileformat

__all__ = ["bp"]

bp = Blueprint("history", __name__, url_prefix="/journeys/<int:journey_id>/history")


def _revision(journey: Journey, number: int) -> Revision:
    revision = db.session.scalar(
        select(Revision).where(Revision.journey_id == journey.id, Revision.number == number)
    )
    if revision is None:
        abort(404)
    return revision


@bp.route("/")
@shared_or_signed_in
def index(journey_id: int) -> str:
    """List every revision, newest first: who, when and what changed."""
    journey = journey_or_404(journey_id)
    revisions = db.session.scalars(
        select(Revision).where(Revision.journey_id == journey.id).order_by(Revision.number.desc())
    ).all()
    return render_template("history/index.html", journey=journey, revisions=revisions)


@bp.route("/<int:number>")
@shared_or_signed_in
def show(journey_id: int, number: int) -> str:
    """Show the journey map as it stood at a revision."""
    journey = journey_or_404(journey_id)
    revision = _revision(journey, number)
    gaps = gaps_of_revisions([revision])[revision.id]
    source = gaps.analysis.journey
    latest = db.session.scalar(
        select(Revision.number)
        .where(Revision.journey_id == journey.id)
        .order_by(Revision.number.desc())
        .limit(1)
    )
    return render_template(
        "history/show.html",
        journey=journey,
        revision=revision,
        latest=latest,
        source=source,
        gaps=gaps,
        grid=grid(source, gaps.analysis, request.args.get("lanes", "channel")),
        lanes=LANES,
        editable=False,
    )


@bp.post("/<int:number>/restore")
@login_required
def restore(journey_id: int, number: int) -> Response:
    """Make a revision the current journey again, as a new revision: nothing is lost."""
    journey = journey_or_404(journey_id, "edit")
    revision = _revision(journey, number)
    convert.apply(journey, fileformat.from_data(revision.document))
    saved = save(journey, f"Restored revision {number}")
    flash(f"Restored revision {number} as revision {saved.number}.", "success")
    return redirect(url_for("map.show", journey_id=journey.id))
