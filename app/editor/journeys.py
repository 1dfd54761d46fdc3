"""The journeys screen: my journeys with their score, new, rename, duplicate, trash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import contains_eager
from werkzeug.wrappers import Response
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app import convert, examples, notifications, reviews, revisions
from app.access import JOURNEY_ROLE, journey_or_404
from app.analysis import Gaps, gaps_of_revisions
from app.conflicts import conflict_page, conflict_rows
from app.extensions import db
from app.models import Journey, Membership, Revision, WorkspaceMember, utcnow
from app.saving import Refused, attach, create, save_or_explain
from app.ui import PHASE_CHOICES, options
from journeys import model as engine

__all__ = ["bp"]

bp = Blueprint("journeys", __name__)

BLANK = "blank"


@dataclass(frozen=True)
class Row:
    """One line of the journeys list."""

    journey: Journey
    role: str
    gaps: Gaps | None
    changed: Revision | None
    #: Touchpoints that mention a credential and nobody has reviewed yet.
    awaiting: int = 0


class NewJourneyForm(FlaskForm):
    """Start a journey from a template, or blank with its first credential, stage and touchpoint."""

    start = SelectField("Start from", default=BLANK)
    title = StringField(
        "Title",
        validators=[Length(max=200)],
        description="Leave empty to keep the template's title.",
    )
    credential = StringField(
        "Credential it awards",
        validators=[Length(max=200)],
        description="The badge or microcredential, e.g. Data Literacy Badge.",
    )
    stage = StringField(
        "First stage", validators=[Length(max=200)], description="e.g. Enrol, Learn, Award."
    )
    phase = SelectField("Phase of the first stage", choices=PHASE_CHOICES, default="discover")
    touchpoint = StringField(
        "First touchpoint",
        validators=[Length(max=200)],
        description="e.g. Welcome email. A journey needs one of each to be analysed.",
    )
    submit = SubmitField("Create journey")

    def validate_title(self, field: StringField) -> None:
        """Ask for a title when starting blank."""
        if self.start.data == BLANK and not (field.data or "").strip():
            raise ValidationError("Give the journey a title.")

    def validate_credential(self, field: StringField) -> None:
        """Ask for the first credential when starting blank."""
        self._needed(field, "Name the credential the journey awards.")

    def validate_stage(self, field: StringField) -> None:
        """Ask for the first stage when starting blank."""
        self._needed(field, "Name the first stage.")

    def validate_touchpoint(self, field: StringField) -> None:
        """Ask for the first touchpoint when starting blank."""
        self._needed(field, "Name the first touchpoint.")

    def _needed(self, field: StringField, message: str) -> None:
        if self.start.data == BLANK and not (field.data or "").strip():
            raise ValidationError(message)


class SettingsForm(FlaskForm):
    """A journey's own fields: title and description."""

    version = HiddenField()
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Length(max=20_000)])
    submit = SubmitField("Save")


def _rows(trashed: bool) -> list[Row]:
    """Return my journeys' rows, newest change first, in the same few queries however many.

    Each journey is analysed from the cache by its latest revision; a revision
    not seen before is read and validated once (:func:`app.analysis.gaps_of_revisions`).
    """
    listed = Journey.deleted_at.is_not(None) if trashed else Journey.deleted_at.is_(None)
    memberships = db.session.scalars(
        select(Membership)
        .join(Journey)
        .options(contains_eager(Membership.journey))
        .where(Membership.user_id == current_user.id, listed)
        .order_by(Journey.title, Journey.id)
    ).all()
    held = [(m.journey, m.role) for m in memberships]
    # Journeys reached only through a workspace role, in the role it gives (access.py).
    own = select(Membership.journey_id).where(Membership.user_id == current_user.id)
    held += [
        (journey, JOURNEY_ROLE[role])
        for journey, role in db.session.execute(
            select(Journey, WorkspaceMember.role)
            .join(WorkspaceMember, WorkspaceMember.workspace_id == Journey.workspace_id)
            .where(WorkspaceMember.user_id == current_user.id, listed, Journey.id.not_in(own))
        ).all()
    ]
    latest = revisions.latest_of(journey.id for journey, _ in held)
    gaps = gaps_of_revisions(latest.values())
    by_journey = {r.journey_id: gaps[r.id] for r in latest.values()}
    waiting = reviews.awaiting({j: g.analysis.journey for j, g in by_journey.items()})
    rows = [
        Row(
            journey,
            role,
            by_journey.get(journey.id),
            latest.get(journey.id),
            waiting.get(journey.id, 0),
        )
        for journey, role in held
    ]
    rows.sort(key=lambda r: r.changed.created_at if r.changed else datetime.min, reverse=True)
    return rows


@bp.route("/")
@login_required
def index() -> str:
    """List the journeys I hold a role on (mine or my workspaces'), newest change first."""
    return render_template(
        "journeys/index.html",
        rows=_rows(trashed=False),
        notifications=notifications.unread(current_user),
        kinds=notifications.KINDS,
    )


@bp.route("/trash")
@login_required
def trash() -> str:
    """List my journeys in the trash, each with a way back."""
    return render_template("journeys/trash.html", rows=_rows(trashed=True))


@bp.route("/journeys/new", methods=["GET", "POST"])
@login_required
def new() -> Response | str:
    """Create a journey, blank or from an example, and open its map."""
    templates = examples.examples()
    form = NewJourneyForm()
    form.start.choices = options(
        [(BLANK, "A blank journey")] + [(e.name, e.journey.title) for e in templates]
    )
    if form.validate_on_submit():
        title = (form.title.data or "").strip()
        if form.start.data == BLANK:
            source, headline = _blank(form, title), "Created a blank journey"
        else:
            example = next(e for e in templates if e.name == form.start.data)
            source, headline = (
                example.journey,
                f"Created from the template '{example.journey.title}'",
            )
        try:
            journey = create(source, current_user._get_current_object(), headline, title or None)
        except Refused as refused:
            attach(form, refused, ("journey", None))
        else:
            flash(f"Created '{journey.title}'.", "success")
            return redirect(url_for("map.show", journey_id=journey.id))
    return render_template("journeys/new.html", form=form, templates=templates)


def _blank(form: NewJourneyForm, title: str) -> engine.Journey:
    """Return the smallest journey the engine accepts, from the names the designer gave."""
    credential = form.credential.data.strip()
    stage = form.stage.data.strip()
    touchpoint = form.touchpoint.data.strip()
    stage_key = engine.new_id(stage, set())
    return engine.Journey(
        title=title,
        credentials=(engine.Credential(engine.new_id(credential, set()), credential),),
        stages=(engine.Stage(stage_key, stage, form.phase.data),),
        touchpoints=(
            engine.Touchpoint(engine.new_id(touchpoint, set()), touchpoint, stage_key, entry=True),
        ),
    )


@bp.route("/journeys/<int:journey_id>/settings", methods=["GET", "POST"])
@login_required
def settings(journey_id: int) -> ResponseReturnValue:
    """Rename a journey or change its description."""
    journey = journey_or_404(journey_id, "edit")
    form = SettingsForm(obj=journey)
    if form.validate_on_submit():
        if form.version.data != journey.version:
            return _conflict(journey, form)
        journey.title = form.title.data.strip()
        journey.description = form.description.data or ""
        refused = save_or_explain(
            journey,
            form=form,
            here=("journey", None),
            again=lambda journey, _: _settings_page(journey, form),
            on_clash=lambda journey: _conflict(journey, form),
        )
        if refused is not None:
            return refused
        flash("Saved the journey's title and description.", "success")
        return redirect(url_for("map.show", journey_id=journey.id))
    return _settings_page(journey, form)


def _settings_page(journey: Journey, form: SettingsForm) -> str:
    return render_template("journeys/settings.html", journey=journey, form=form)


def _conflict(journey: Journey, form: SettingsForm) -> tuple[str, int]:
    db.session.rollback()
    return conflict_page(
        "journeys/settings.html",
        form,
        journey,
        record=journey,
        what="the journey's title and description",
        rows=conflict_rows(form, {"title": journey.title, "description": journey.description}),
    )


@bp.post("/journeys/<int:journey_id>/duplicate")
@login_required
def duplicate(journey_id: int) -> Response:
    """Copy a journey into a new one I own, and open the copy."""
    journey = journey_or_404(journey_id, "read")
    source = convert.to_engine(journey)
    title = f"Copy of {journey.title}"[:200]
    copy = create(
        source, current_user._get_current_object(), f"Duplicated from '{journey.title}'", title
    )
    flash(f"Made a copy: '{copy.title}'.", "success")
    return redirect(url_for("map.show", journey_id=copy.id))


@bp.post("/journeys/<int:journey_id>/delete")
@login_required
def delete(journey_id: int) -> Response:
    """Move a journey to the trash; it can be restored from there."""
    journey = journey_or_404(journey_id, "own")
    journey.deleted_at = utcnow()
    db.session.commit()
    flash(f"Moved '{journey.title}' to the trash. You can restore it from there.", "info")
    return redirect(url_for("journeys.index"))


@bp.post("/journeys/<int:journey_id>/restore")
@login_required
def restore(journey_id: int) -> Response:
    """Bring a journey back from the trash."""
    journey = journey_or_404(journey_id, "own", trashed=True)
    journey.deleted_at = None
    db.session.commit()
    flash(f"Restored '{journey.title}' from the trash.", "success")
    return redirect(url_for("map.show", journey_id=journey.id))
