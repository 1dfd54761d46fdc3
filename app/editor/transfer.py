"""Import a journey file or a CSV of touchpoints, all or nothing; export the journey file."""

from __future__ import annotations

import dataclasses
from pathlib import PurePath

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from werkzeug.wrappers import Response as BaseResponse
from wtforms import StringField, SubmitField
from wtforms.validators import Length

from app import convert
from app.access import journey_or_404, shared_or_signed_in
from app.models import Journey
from app.saving import Refused, create, save_or_explain
from app.ui import download, filename
from journeys import csvformat, fileformat
from journeys import model as engine
from journeys.errors import JourneyInvalid

__all__ = ["bp"]

bp = Blueprint("transfer", __name__)

FORMATS = {".json": "json", ".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".mmd": "mermaid"}


class ImportForm(FlaskForm):
    """A journey file (JSON or YAML) or a CSV of touchpoints."""

    file = FileField(
        "File",
        validators=[
            FileRequired("Choose a file to import."),
            FileAllowed(
                ["json", "yaml", "yml", "csv", "mmd"],
                "Choose a .json, .yaml, .yml, .csv or .mmd file.",
            ),
        ],
        description="A journey file (.json, .yaml), a CSV of touchpoints (.csv) or a Mermaid "
        "journey diagram (.mmd).",
    )
    title = StringField(
        "Title",
        validators=[Length(max=200)],
        description="For a CSV, the new journey's title; for a journey file, leave empty "
        "to keep the file's title.",
    )
    submit = SubmitField("Import")


def _read(form: ImportForm, base: Journey | None) -> tuple[engine.Journey, str]:
    """Return the journey in the uploaded file and the file's name, or raise ``JourneyInvalid``."""
    upload = form.file.data
    name = PurePath(upload.filename or "upload").name
    fmt = FORMATS[PurePath(name).suffix.lower()]
    raw = upload.read()
    if fmt == "csv":
        title = (form.title.data or "").strip() or (base.title if base else PurePath(name).stem)
        return csvformat.read_csv(raw, convert.document(base) if base else None, title), name
    if fmt == "mermaid":
        return _mermaid(raw, name, (form.title.data or "").strip() or PurePath(name).stem), name
    return fileformat.loads(raw, fmt), name


def _mermaid(raw: bytes, name: str, title: str) -> engine.Journey:
    """Return the journey in a Mermaid diagram (warnings flashed), or raise ``JourneyInvalid``."""
    from journeys.importing import Refused as FileRefused
    from journeys.mermaid import read_mermaid

    try:
        result = read_mermaid(raw, name, title)
    except FileRefused as exc:
        raise JourneyInvalid(exc.problems) from None
    for warning in result.warnings:
        flash(f"{name}: {warning}", "warning")
    return result.journey


def _problems(error: JourneyInvalid | Refused) -> list[str]:
    if isinstance(error, Refused):
        return [p.text for p in error.problems]
    return [str(p) if p.location else p.message for p in error.problems]


@bp.route("/import", methods=["GET", "POST"])
@login_required
def new() -> BaseResponse | str:
    """Import a file as a new journey."""
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            source, name = _read(form, None)
            title = (form.title.data or "").strip() or None
            journey = create(source, current_user._get_current_object(), f"Imported {name}", title)
        except (JourneyInvalid, Refused) as error:
            problems = _problems(error)
        else:
            flash(f"Imported '{journey.title}' from {name}.", "success")
            return redirect(url_for("map.show", journey_id=journey.id))
    return render_template("transfer/import.html", form=form, problems=problems, journey=None)


@bp.route("/journeys/<int:journey_id>/import", methods=["GET", "POST"])
@login_required
def replace(journey_id: int) -> ResponseReturnValue:
    """Import a file over a journey as a new revision: the whole journey, or its touchpoints."""
    journey = journey_or_404(journey_id, "edit")
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            source, name = _read(form, journey)
        except JourneyInvalid as error:
            problems = _problems(error)
        else:
            if form.title.data and form.title.data.strip():
                source = _retitled(source, form.title.data.strip())
            convert.apply(journey, source)

            def again(saved: Journey, refused: Refused) -> str:
                return render_template(
                    "transfer/import.html", form=form, problems=_problems(refused), journey=saved
                )

            shown = save_or_explain(journey, again=again, headline=f"Imported {name}")
            if shown is not None:
                return shown
            flash(f"Imported {name} into '{journey.title}'.", "success")
            return redirect(url_for("map.show", journey_id=journey.id))
    return render_template("transfer/import.html", form=form, problems=problems, journey=journey)


def _retitled(source: engine.Journey, title: str) -> engine.Journey:
    return dataclasses.replace(source, title=title)


@bp.route("/journeys/<int:journey_id>/export.json")
@shared_or_signed_in
def export(journey_id: int) -> Response:
    """Download the journey as the JSON file the command line reads."""
    journey = journey_or_404(journey_id)
    text = fileformat.dumps(convert.to_engine(journey))
    return download(text, "application/json", filename(journey.title, "", "json"))


# Import a course (.imscc) joins this blueprint (issue 13).
from app.editor import course_import  # noqa: E402, F401
