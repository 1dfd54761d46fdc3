"""Changes made on the journey map itself: add, move, connect, shares, the side panel and Undo.

Each is a plain form post that works without JavaScript (the map page comes
back, with an error summary when a change was refused); the map's script
sends the same forms with htmx and swaps in the map region of the answer.
Every change is saved as a normal revision with the version check, and the
map then offers *Undo*, which restores the revision before as a new one.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, redirect, request, session, url_for
from flask_login import login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app import convert, revisions
from app.access import journey_or_404
from app.conflicts import Conflict, conflict_rows
from app.editor import touchpoints
from app.editor.maps import DONE, render_map
from app.extensions import db
from app.grid import label
from app.models import Journey, Revision, Stage, Touchpoint
from app.saving import Clash, Refused, attach, save
from journeys import fileformat
from journeys import model as engine
from journeys.cards import guess_channel

__all__ = ["bp", "panel_form", "parse_share"]

bp = Blueprint("mapedit", __name__, url_prefix="/journeys/<int:journey_id>/map")

#: The channel a new touchpoint gets when its title suggests none (the form's default too).
USUAL_CHANNEL = "email"


def parse_share(text: str | None) -> float | None:
    """Return a share typed as 0-1 or as a percentage; None when left empty.

    Raises ValueError with the words to show when it is neither.

    >>> parse_share("0.25"), parse_share("40%"), parse_share(" "), parse_share("1")
    (0.25, 0.4, None, 1.0)
    """
    text = (text or "").strip()
    if not text:
        return None
    percent = text.endswith("%")
    try:
        value = float(text.rstrip("%").strip().replace(",", "."))
    except ValueError:
        raise ValueError(
            f"'{text}' is not a share: give 0 to 1 (0.8) or a percentage (80%)."
        ) from None
    value = value / 100 if percent else value
    if not 0 <= value <= 1:
        raise ValueError(f"'{text}' is not a share: it must be from 0 to 1, or 0% to 100%.")
    return value


def _lanes() -> str:
    by = request.values.get("lanes", "channel")
    return by if by in ("channel", "owner") else "channel"


def _back(journey: Journey, **args: Any) -> Response:
    return redirect(url_for("map.show", journey_id=journey.id, lanes=_lanes(), **args), 303)


def _find(journey: Journey, key: str) -> Touchpoint:
    found = next((t for t in journey.touchpoints if t.key == key), None)
    if found is None:
        abort(404)
    return found


def _saved(journey: Journey, text: str, headline: str | None = None) -> None:
    """Save the pending change as a revision and leave its words and Undo for the map."""
    revision = save(journey, headline or text)
    session[DONE] = {"journey": journey.id, "text": text, "revision": revision.number}


def _save_on_map(
    journey: Journey,
    journey_id: int,
    text: str,
    field_id: str,
    key: str,
    mine: list[tuple[str, str]],
) -> Any:
    """Save and go back to the map, or return the map with the refusal or the conflict."""
    try:
        _saved(journey, text)
    except Refused as refused:
        return _refused(journey_id, refused, field_id)
    except Clash:
        return _clash(journey_id, key, mine)
    return _back(journey)


def _refused(journey_id: int, refused: Refused, field_id: str) -> Any:
    """Return the map again with the engine's problems in an error summary linked to the field."""
    problems = [(field_id, p.text) for p in refused.problems]
    return render_map(journey_or_404(journey_id, "edit"), 422, problems=problems)


def _problem(journey: Journey, field_id: str, text: str) -> Any:
    db.session.rollback()
    return render_map(journey, 422, problems=[(field_id, text)])


def _clash(journey_id: int, key: str, mine: list[tuple[str, str]]) -> Any:
    """Return the map with both versions of the touchpoint someone else changed meanwhile."""
    db.session.rollback()
    journey = journey_or_404(journey_id, "edit")
    record = next((t for t in journey.touchpoints if t.key == key), None)
    theirs = dict(_words(journey, record)) if record is not None else {}
    latest = revisions.latest(journey)
    conflict = Conflict(
        what=f"the touchpoint '{record.title if record else key}'",
        rows=[(name, value, theirs.get(name, "")) for name, value in mine],
        by=_who(latest),
        at=latest.created_at if latest is not None else None,
        gone=record is None,
    )
    return render_map(journey, 409, conflict=conflict)


def _who(latest: Revision | None) -> str | None:
    """Return the display name of who saved ``latest`` (never an email address), or None."""
    return latest.user.name if latest is not None and latest.user is not None else None


def _words(journey: Journey, t: Touchpoint) -> list[tuple[str, str]]:
    """Return what the map can change about a touchpoint, as the conflict table shows it."""
    return [
        ("Stage", t.stage.name),
        ("Channel", label(t.channel)),
        ("Owner", label(t.owner)),
        (
            "Next touchpoints",
            ", ".join(
                f"{tr.target.title}" + (f" ({tr.share:g})" if tr.share is not None else "")
                for tr in t.outgoing
            ),
        ),
    ]


def _lane_value(typed: str, by: str) -> str:
    """Return the file value of a lane typed as the map shows it ("In person" -> in_person)."""
    from journeys import model as engine

    # sms: not among the spec's suggested channels, but journeys.cards guesses it from titles.
    known = engine.OWNERS if by == "owner" else (*engine.CHANNELS, "sms")
    for value in known:
        if typed.casefold() in (value.casefold(), label(value).casefold()):
            return value
    return typed if by != "owner" else typed.casefold().replace(" ", "_")


def _checked(journey: Journey, t: Touchpoint) -> bool:
    """Return whether the version the form was read at is still the saved one."""
    return request.form.get("version", "") == str(t.version)


@bp.post("/add")
@login_required
def add(journey_id: int) -> Any:
    """Add a touchpoint to a stage from its title alone; its channel is guessed from the title."""
    journey = journey_or_404(journey_id, "edit")
    stages = {s.key: s for s in journey.stages}
    stage = stages.get(request.form.get("stage", ""))
    if stage is None:
        abort(404)
    field_id = f"add-{stage.key}"
    title = (request.form.get("title") or "").strip()
    if not title:
        return _problem(journey, field_id, f"New touchpoint in {stage.name}: give it a title.")
    if len(title) > 200:
        return _problem(journey, field_id, "A title is at most 200 characters.")
    before, why_not = _after(journey, (request.form.get("after") or "").strip())
    if why_not:
        return _problem(journey, f"{field_id}-after", f"New touchpoint in {stage.name}: {why_not}")
    leads_to = [tr.target.title for tr in before.outgoing] if before is not None else []
    guessed = guess_channel(title)
    touchpoint = convert.add(
        journey,
        Touchpoint,
        title,
        title=title,
        stage=stage,
        channel=guessed or USUAL_CHANNEL,
        owner="issuer",
        audience="learner",
        content="",
        messages={},
        issues=[],
        reach=1.0,
        entry=False,
    )
    if before is not None:
        touchpoints._insert_after(journey, before, touchpoint, branch=False)
    how = "guessed from its title" if guessed else "nothing in the title said otherwise"
    where = ""
    if before is not None:
        where = (
            f", between '{before.title}' and {_titles(leads_to)}"
            if leads_to
            else f", after '{before.title}'"
        )
    try:
        _saved(
            journey,
            f"Added '{title}' to {stage.name}{where} as {label(touchpoint.channel)} ({how}).",
            f"Added '{title}' on the map",
        )
    except Refused as refused:
        return _refused(journey_id, refused, field_id)
    except Clash:
        return _problem(journey_or_404(journey_id, "edit"), field_id, "Someone saved meanwhile.")
    return _back(journey)


def _after(journey: Journey, typed: str) -> tuple[Touchpoint | None, str | None]:
    """Return the touchpoint named ``typed`` to come after (None when empty), or why not."""
    if not typed:
        return None, None
    found = [t for t in journey.touchpoints if typed in (t.title, t.key)]
    if not found:
        return None, f"no touchpoint is called '{typed}' to come after."
    if len(found) > 1:
        return None, f"several touchpoints are called '{typed}': name the one it comes after."
    return found[0], None


def _phase_named(name: str) -> str | None:
    """Return the phase a stage's name says outright ("Share the badge" -> share), or None.

    >>> _phase_named("Share the badge"), _phase_named("Learn"), _phase_named("Orientation")
    ('share', 'learn', None)
    """
    words = {w.casefold() for w in re.findall(r"\w+", name)}
    return next((p for p in engine.PHASES if p in words), None)


def _titles(titles: list[str]) -> str:
    """Return titles quoted and joined for a sentence ("'A' and 'B'")."""
    quoted = [f"'{t}'" for t in titles]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


@bp.post("/stage")
@login_required
def add_stage(journey_id: int) -> Any:
    """Add a stage as the last column from its name alone; it takes the phase of the one before."""
    journey = journey_or_404(journey_id, "edit")
    name = (request.form.get("name") or "").strip()
    if not name:
        return _problem(journey, "add-stage", "New stage: give it a name.")
    if len(name) > 200:
        return _problem(journey, "add-stage", "A stage name is at most 200 characters.")
    if any(s.name.casefold() == name.casefold() for s in journey.stages):
        return _problem(journey, "add-stage", f"New stage: there is already a stage '{name}'.")
    ordered = sorted(journey.stages, key=lambda s: s.position)
    named = _phase_named(name)
    phase = request.form.get("phase") or named or (ordered[-1].phase if ordered else "discover")
    if phase not in engine.PHASES:
        return _problem(journey, "add-stage", f"New stage: '{phase}' is not a phase.")
    convert.add(journey, Stage, name, name=name, phase=phase)
    try:
        _saved(
            journey,
            f"Added the stage '{name}' (phase: {phase.capitalize()},"
            f" {'from its name' if named == phase else 'as the stage before it'};"
            " Rename changes it).",
            f"Added the stage '{name}' on the map",
        )
    except Refused as refused:
        return _refused(journey_id, refused, "add-stage")
    except Clash:
        return _problem(journey_or_404(journey_id, "edit"), "add-stage", "Someone saved meanwhile.")
    return _back(journey)


@bp.post("/stage/<stage_key>/rename")
@login_required
def rename_stage(journey_id: int, stage_key: str) -> Any:
    """Rename a stage (and set its phase) in place, with the version check."""
    journey = journey_or_404(journey_id, "edit")
    key = stage_key
    stage = next((s for s in journey.stages if s.key == key), None)
    if stage is None:
        abort(404)
    field_id = f"rename-{key}-name"
    name = (request.form.get("name") or "").strip()
    phase = request.form.get("phase") or stage.phase
    if not name:
        return _problem(journey, field_id, f"Rename the stage '{stage.name}': give it a name.")
    if len(name) > 200:
        return _problem(journey, field_id, "A stage name is at most 200 characters.")
    if phase not in engine.PHASES:
        return _problem(journey, f"rename-{key}-phase", f"'{phase}' is not a phase.")
    if any(s is not stage and s.name.casefold() == name.casefold() for s in journey.stages):
        return _problem(journey, field_id, f"There is already a stage '{name}'.")
    if request.form.get("version", "") != str(stage.version):
        theirs = (stage.name, stage.phase.capitalize())
        db.session.rollback()
        latest = revisions.latest(journey)
        conflict = Conflict(
            what=f"the stage '{theirs[0]}'",
            rows=[("Name", name, theirs[0]), ("Phase", phase.capitalize(), theirs[1])],
            by=_who(latest),
            at=latest.created_at if latest is not None else None,
        )
        return render_map(journey_or_404(journey_id, "edit"), 409, conflict=conflict)
    old = stage.name
    stage.name = name
    if stage.phase != phase:
        stage.phase = phase
    text = (
        f"Saved the stage '{name}'." if old == name else f"Renamed the stage '{old}' to '{name}'."
    )
    try:
        _saved(journey, text)
    except Refused as refused:
        return _refused(journey_id, refused, field_id)
    except Clash:
        return _problem(journey_or_404(journey_id, "edit"), field_id, "Someone saved meanwhile.")
    return _back(journey)


@bp.post("/<key>/move")
@login_required
def move(journey_id: int, key: str) -> Any:
    """Move a touchpoint to another stage and lane (a lane by channel or owner sets that field)."""
    journey = journey_or_404(journey_id, "edit")
    t = _find(journey, key)
    wanted = (request.form.get("stage") or "").strip()
    stage = next((s for s in journey.stages if s.key == wanted), None) or next(
        (s for s in journey.stages if s.name.casefold() == wanted.casefold()), None
    )
    field_id = f"move-{key}-stage"
    if stage is None:
        known = ", ".join(s.name for s in journey.stages)
        return _problem(
            journey, field_id, f"Move '{t.title}': no stage is called '{wanted}' (known: {known})."
        )
    by = _lanes()
    lane = _lane_value((request.form.get("lane") or "").strip(), by)
    mine = [("Stage", stage.name)]
    if lane:
        mine.append(("Owner" if by == "owner" else "Channel", label(lane)))
    if not _checked(journey, t):
        return _clash(journey_id, key, mine)
    if t.stage is not stage:
        t.stage = stage
    if lane and by == "owner":
        from journeys import model as engine

        if lane not in engine.OWNERS:
            return _problem(journey, f"move-{key}-lane", f"Move '{t.title}': unknown owner.")
        if t.owner != lane:
            t.owner = lane
    elif lane and t.channel != lane:
        t.channel = lane[:40]
    where = stage.name + (f", {label(lane)}" if lane else "")
    return _save_on_map(journey, journey_id, f"Moved '{t.title}' to {where}.", field_id, key, mine)


@bp.post("/<key>/connect")
@login_required
def connect(journey_id: int, key: str) -> Any:
    """Connect a touchpoint to another one, named by its title, with an optional share."""
    journey = journey_or_404(journey_id, "edit")
    t = _find(journey, key)
    field_id = f"connect-{key}-to"
    wanted = (request.form.get("to") or "").strip()
    targets = [o for o in journey.touchpoints if o.title == wanted or o.key == wanted]
    if not wanted:
        return _problem(journey, field_id, f"Connect '{t.title}': name the next touchpoint.")
    if not targets:
        return _problem(
            journey, field_id, f"Connect '{t.title}': no touchpoint is called '{wanted}'."
        )
    if len(targets) > 1:
        return _problem(
            journey, field_id, f"Connect '{t.title}': several touchpoints are called '{wanted}'."
        )
    target = targets[0]
    if target is t:
        return _problem(
            journey, field_id, f"Connect '{t.title}': a touchpoint cannot lead to itself."
        )
    try:
        share = parse_share(request.form.get("share"))
    except ValueError as exc:
        return _problem(journey, f"connect-{key}-share", f"Share from '{t.title}': {exc}")
    mine = [
        ("Next touchpoints", ", ".join([*(tr.target.title for tr in t.outgoing), target.title]))
    ]
    if not _checked(journey, t):
        return _clash(journey_id, key, mine)
    if target in (tr.target for tr in t.outgoing):
        return _problem(
            journey, field_id, f"Connect '{t.title}': it already leads to '{target.title}'."
        )
    position = max((tr.position for tr in journey.transitions), default=-1) + 1
    convert.connect(journey, t, target, share, position)
    return _save_on_map(
        journey, journey_id, f"Connected '{t.title}' to '{target.title}'.", field_id, key, mine
    )


@bp.post("/<key>/shares")
@login_required
def shares(journey_id: int, key: str) -> Any:
    """Set the shares of a touchpoint's outgoing transitions; a ticked *Remove* drops one."""
    journey = journey_or_404(journey_id, "edit")
    t = _find(journey, key)
    changes: list[tuple[Any, float | None, bool]] = []
    for tr in t.outgoing:
        name = f"share-{tr.target.key}"
        try:
            share = parse_share(request.form.get(name))
        except ValueError as exc:
            return _problem(
                journey, f"{key}-{name}", f"Share from '{t.title}' to '{tr.target.title}': {exc}"
            )
        changes.append((tr, share, request.form.get(f"remove-{tr.target.key}") == "1"))
    mine = [
        (
            "Next touchpoints",
            ", ".join(
                f"{tr.target.title}" + (f" ({s:g})" if s is not None else "")
                for tr, s, gone in changes
                if not gone
            ),
        )
    ]
    if not _checked(journey, t):
        return _clash(journey_id, key, mine)
    for tr, share, gone in changes:
        if gone:
            convert.disconnect(tr)
        elif tr.share != share:
            tr.share = share
    first = f"{key}-share-{changes[0][0].target.key}" if changes else f"connect-{key}-to"
    return _save_on_map(
        journey, journey_id, f"Saved the next touchpoints of '{t.title}'.", first, key, mine
    )


def panel_form(journey: Journey, touchpoint: Touchpoint) -> Any:
    """Return the touchpoint form the side panel shows for ``touchpoint``."""
    form = touchpoints._build(journey, touchpoint)
    form.panel_key = touchpoint.key
    return form


@bp.post("/<key>/panel")
@login_required
def panel(journey_id: int, key: str) -> Any:
    """Save the side panel's touchpoint form and close the panel, or show it again with why."""
    journey = journey_or_404(journey_id, "edit")
    t = _find(journey, key)
    form = panel_form(journey, t)
    if not form.validate_on_submit():
        return render_map(journey, 422, panel_form=form)
    if form.version.data != str(t.version) and form.version.data != t.version:
        saved = touchpoints._data(t)
        rows = conflict_rows(form, saved, skip=("after",))
        db.session.rollback()
        latest = revisions.latest(journey)
        conflict = Conflict(
            what=f"the touchpoint '{t.title}'",
            rows=[(n, _show(a), _show(b)) for n, a, b in rows],
            by=_who(latest),
            at=latest.created_at if latest is not None else None,
        )
        form.version.data = t.version
        return render_map(journey, 409, panel_form=form, conflict=conflict)
    touchpoints._store(form, journey, t)
    try:
        _saved(journey, f"Saved '{t.title}'.")
    except Refused as refused:
        attach(form, refused, ("touchpoint", key))
        again = journey_or_404(journey_id, "edit")
        return render_map(again, 422, panel_form=form)
    except Clash:
        return _clash(journey_id, key, [])
    return _back(journey)


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@bp.post("/undo")
@login_required
def undo(journey_id: int) -> Any:
    """Restore the revision before the given one as a new revision, if nothing came after it."""
    journey = journey_or_404(journey_id, "edit")
    try:
        number = int(request.form.get("revision", ""))
    except ValueError:
        abort(400)
    latest = revisions.latest(journey)
    if latest is None or latest.number != number:
        return _problem(
            journey,
            "undo",
            f"Not undone: the journey changed again after revision {number}"
            f" (now revision {latest.number if latest else 0}). History can restore any revision.",
        )
    before = db.session.scalar(
        select(Revision).where(Revision.journey_id == journey.id, Revision.number == number - 1)
    )
    if before is None:
        return _problem(journey, "undo", "Not undone: there is no earlier revision.")
    convert.apply(journey, fileformat.from_data(before.document))
    try:
        _saved(
            journey,
            f"Undone: the journey is as in revision {before.number} again.",
            f"Undid revision {number} (restored revision {before.number})",
        )
    except (Refused, Clash):
        return _problem(journey_or_404(journey_id, "edit"), "undo", "Not undone: try again.")
    return _back(journey)


@bp.get("/channel")
@login_required
def channel(journey_id: int) -> dict[str, str | None]:
    """Return the channel the engine guesses from a title (``?title=``), for the touchpoint form."""
    journey_or_404(journey_id, "edit")
    guessed = guess_channel(request.args.get("title", "")[:200])
    return {"channel": guessed, "label": label(guessed) if guessed else None}
