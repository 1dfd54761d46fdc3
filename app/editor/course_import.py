"""Import a course: a journey drafted from an IMS Common Cartridge, with an optional badge file.

The route joins the transfer blueprint (``/import/course``). The engine reads
the cartridge (:mod:`journeys.cartridge`) and the badge (:mod:`journeys.openbadges`);
the upload is bounded by the app's request size limit before anything is parsed.
"""

from __future__ import annotations

from pathlib import PurePath

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.editor.transfer import bp
from app.saving import Refused as SaveRefused
from app.saving import create
from journeys.cartridge import read_cartridge
from journeys.importing import MAX_FILE_BYTES, Refused
from journeys.openbadges import read_credential

__all__: list[str] = []


def _problems(problems: list[str]) -> tuple[str, int]:
    return render_template("transfer/course.html", problems=problems, journey=None), 400


@bp.route("/import/course", methods=["GET", "POST"])
@login_required
def course() -> ResponseReturnValue:
    """Draft a new journey from a course export (.imscc), with the credential it leads to."""
    if request.method == "GET":
        return render_template("transfer/course.html", problems=[], journey=None)
    upload = request.files.get("course_file")
    if upload is None or not upload.filename:
        return _problems(["Choose a course export (.imscc) to import."])
    name = PurePath(upload.filename).name
    if PurePath(name).suffix.lower() != ".imscc":
        return _problems([f"{name}: choose an IMS Common Cartridge course export (.imscc)."])
    credential = None
    badge = request.files.get("badge_file")
    notes: list[str] = []
    try:
        if badge is not None and badge.filename:
            badge_name = PurePath(badge.filename).name
            imported = read_credential(badge.stream.read(MAX_FILE_BYTES + 1), badge_name)
            credential = imported.credential
            notes += [f"{badge_name}: {n}" for n in imported.notes]
        draft = read_cartridge(upload.stream.read(), name, credential)
    except Refused as exc:
        source = f"{exc.source}: " if exc.source else ""
        return _problems([source + str(p) for p in exc.problems])
    try:
        journey = create(draft.journey, current_user._get_current_object(), f"Imported {name}")
    except SaveRefused as exc:
        return _problems([p.text for p in exc.problems])
    notes += [f"{name}: {n}" for n in draft.notes]
    for note in notes[:12]:
        flash(note, "warning")
    if len(notes) > 12:
        flash(f"… and {len(notes) - 12} more notes on the import.", "warning")
    j = draft.journey
    flash(
        f"Drafted '{journey.title}' from {name}: {len(j.stages)} stages, "
        f"{len(j.touchpoints)} touchpoints (Common Cartridge {draft.version}).",
        "success",
    )
    return redirect(url_for("map.show", journey_id=journey.id))
