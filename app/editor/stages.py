"""Add, rename, reorder and delete the stages that are the map's columns."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app import convert
from app.access import journey_or_404
from app.conflicts import conflict_page, conflict_rows
from app.extensions import db
from app.models import Journey, Stage
from app.saving import Placed, save_or_explain
from app.ui import PHASE_CHOICES, options

__all__ = ["bp"]

bp = Blueprint("stages", __name__, url_prefix="/journeys/<int:journey_id>/stages")


class StageForm(FlaskForm):
    """A stage's name and the phase of the learner's journey it belongs to."""

    version = HiddenField()
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    phase = SelectField(
        "Phase",
        choices=PHASE_CHOICES,
        default="learn",
        description="Where in the credential's life this stage sits; "
        "discover and learn count as early.",
    )
    submit = SubmitField("Save")


class DeleteStageForm(FlaskForm):
    """Where the touchpoints of a stage being deleted should go."""

    destination = SelectField("Move its touchpoints to", choices=[])
    submit = SubmitField("Delete")


def _find(journey: Journey, key: str) -> Stage:
    stage = next((s for s in journey.stages if s.key == key), None)
    if stage is None:
        abort(404)
    return stage


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new(journey_id: int) -> ResponseReturnValue:
    """Add a stage as the last column."""
    journey = journey_or_404(journey_id, "edit")
    form = StageForm()
    if form.validate_on_submit():
        stage = convert.add(
            journey, Stage, form.name.data, name=form.name.data.strip(), phase=form.phase.data
        )
        refused = save_or_explain(
            journey,
            form=form,
            here=("stage", stage.key),
            again=lambda journey, _: _page(journey, form, None),
        )
        if refused is not None:
            return refused
        flash(f"Added the stage '{form.name.data.strip()}'.", "success")
        return redirect(url_for("map.show", journey_id=journey.id))
    return _page(journey, form, None)


def _page(journey: Journey, form: StageForm, stage: Stage | None) -> str:
    return render_template("stages/edit.html", journey=journey, form=form, stage=stage)


@bp.route("/<key>/edit", methods=["GET", "POST"])
@login_required
def edit(journey_id: int, key: str) -> ResponseReturnValue:
    """Rename a stage or change its phase."""
    journey = journey_or_404(journey_id, "edit")
    stage = _find(journey, key)
    form = StageForm(obj=stage)
    if form.validate_on_submit():
        if form.version.data != stage.version:
            return _conflict(journey, form, stage)
        stage.name = form.name.data.strip()
        stage.phase = form.phase.data
        refused = save_or_explain(
            journey,
            form=form,
            here=("stage", key),
            again=lambda journey, _: _page(journey, form, _find(journey, key)),
            on_clash=lambda journey: _conflict(journey, form, _find(journey, key)),
        )
        if refused is not None:
            return refused
        flash(f"Saved the stage '{stage.name}'.", "success")
        return redirect(url_for("map.show", journey_id=journey.id))
    return _page(journey, form, stage)


def _conflict(journey: Journey, form: StageForm, stage: Stage) -> tuple[str, int]:
    db.session.rollback()
    return conflict_page(
        "stages/edit.html",
        form,
        journey,
        record=stage,
        what=f"the stage '{stage.name}'",
        rows=conflict_rows(form, {"name": stage.name, "phase": stage.phase}),
        stage=stage,
    )


@bp.post("/<key>/move")
@login_required
def move(journey_id: int, key: str) -> Response:
    """Move a stage one column earlier or later."""
    journey = journey_or_404(journey_id, "edit")
    stage = _find(journey, key)
    ordered = sorted(journey.stages, key=lambda s: s.position)
    here = ordered.index(stage)
    there = here - 1 if request.form.get("direction") == "earlier" else here + 1
    if 0 <= there < len(ordered):
        ordered[here], ordered[there] = ordered[there], ordered[here]
        for position, s in enumerate(ordered):
            if s.position != position:
                s.position = position
        refused = save_or_explain(
            journey,
            again=lambda journey, refused: _not_moved(refused.problems),
            on_clash=lambda journey: _not_moved([]),
        )
        if refused is None:
            flash(f"Moved the stage '{stage.name}'.", "success")
    return redirect(url_for("map.show", journey_id=journey.id, **_lanes()))


def _not_moved(problems: list[Placed]) -> None:
    """Say on the map why the stage stayed where it was; the map is shown either way."""
    why = (
        "; ".join(p.text for p in problems) or "someone else saved this journey at the same moment"
    )
    flash(f"Not moved: {why}.", "error")


def _lanes() -> dict[str, str]:
    lanes = request.form.get("lanes")
    return {"lanes": lanes} if lanes in ("channel", "owner") else {}


@bp.route("/<key>/delete", methods=["GET", "POST"])
@login_required
def delete(journey_id: int, key: str) -> ResponseReturnValue:
    """Delete a stage; its touchpoints first move to the stage the designer picks."""
    journey = journey_or_404(journey_id, "edit")
    stage = _find(journey, key)
    form = DeleteStageForm()
    form.destination.choices = options((s.key, s.name) for s in journey.stages if s is not stage)
    holding = list(stage.touchpoints)
    if request.method == "POST" and (not holding or form.validate()):
        name = stage.name
        if holding:
            destination = _find(journey, form.destination.data)
            for t in holding:
                t.stage = destination
        convert.remove(journey, stage)
        refused = save_or_explain(
            journey,
            form=form,
            here=("stage", key),
            again=lambda journey, _: _delete_page(journey, form, _find(journey, key)),
        )
        if refused is not None:
            return refused
        moved = f" and moved {len(holding)} touchpoints" if holding else ""
        flash(f"Deleted the stage '{name}'{moved}.", "success")
        return redirect(url_for("map.show", journey_id=journey.id))
    return _delete_page(journey, form, stage)


def _delete_page(journey: Journey, form: DeleteStageForm, stage: Stage) -> str:
    return render_template(
        "stages/delete.html",
        journey=journey,
        stage=stage,
        form=form,
        holding=list(stage.touchpoints),
    )
