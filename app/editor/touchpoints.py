"""Add, edit, connect and delete touchpoints, with the engine's reading of their text."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased
from werkzeug.wrappers import Response
from wtforms import (
    BooleanField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app import convert
from app.access import journey_or_404
from app.analysis import journey_of
from app.conflicts import conflict_page, conflict_rows
from app.extensions import db
from app.grid import label
from app.models import Journey, Touchpoint, Transition
from app.saving import save_or_explain
from app.ui import options
from journeys import mentions, suggestions
from journeys import model as engine

__all__ = ["bp"]

bp = Blueprint("touchpoints", __name__, url_prefix="/journeys/<int:journey_id>/touchpoints")

#: Blank "next touchpoint" rows offered below the existing ones.
SPARE_ROWS = 2
#: Past this many touchpoints "Comes after" and each next touchpoint are typed (a title
#: or an id) instead of picked from a list of every touchpoint: at 20,000 touchpoints
#: those lists made the form 5.4 MB and took seconds to build.
PICK_LIMIT = 300
NONE = ""
PEOPLE = options((o, label(o)) for o in engine.OWNERS)


class NextForm(Form):
    """One outgoing transition: where learners go next, and what share of them."""

    to = SelectField("Next touchpoint", choices=[], validate_choice=False)
    share = FloatField(
        "Share",
        validators=[Optional(), NumberRange(0, 1, "A share is from 0 to 1, e.g. 0.8.")],
    )


class TouchpointForm(FlaskForm):
    """Everything about one touchpoint; message fields are added per credential."""

    version = HiddenField()
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    stage = SelectField("Stage", choices=[])
    channel = StringField(
        "Channel",
        validators=[DataRequired(), Length(max=40)],
        default="email",
        description=f"How it reaches the learner: {', '.join(engine.CHANNELS)}, or your own word.",
    )
    owner = SelectField("Owner", choices=PEOPLE, default="issuer", description="Who sends it.")
    audience = SelectField("Audience", choices=PEOPLE, default="learner")
    content = TextAreaField(
        "Content",
        validators=[Length(max=20_000)],
        description="The touchpoint's actual copy: what the learner reads or hears.",
    )
    issues = SelectMultipleField("Awards", choices=[], validate_choice=False)
    reach = FloatField(
        "Reach",
        default=1.0,
        validators=[
            InputRequired("Give a reach from 0 to 1."),
            NumberRange(0, 1, "Reach is from 0 to 1, e.g. 0.45."),
        ],
        description="Share of learners passing here who take in what it says, from 0 to 1.",
    )
    entry = BooleanField("Learners start here")
    entry_share = FloatField(
        "Entry share",
        validators=[Optional(), NumberRange(min=0, message="An entry share is 0 or more.")],
        description="Only with several starts: how learners split between them.",
    )
    after = SelectField("Comes after", choices=[], validate_choice=False)
    #: What "after" does when that touchpoint already leads somewhere: step in, or branch off.
    after_mode = RadioField(
        "If it already leads somewhere",
        choices=options([("insert", "Insert between"), ("branch", "Add as a new branch")]),
        default="insert",
    )
    next = FieldList(FormField(NextForm))
    check = SubmitField("Check text")
    submit = SubmitField("Save")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: Problems about the outgoing transitions as a whole (e.g. shares adding up past 1).
        self.next_problems: list[str] = []
        #: The journey's touchpoint count when its touchpoints are typed, not picked; else 0.
        self.typed = 0
        #: What each typed text names (:func:`_resolve`).
        self.resolved: dict[str, Found] = {}
        #: By touchpoint key, the titles of where it leads ("Comes after" says so).
        self.leads: dict[str, str] = {}

    def validate_next(self, field: FieldList) -> None:
        """Refuse the same next touchpoint twice."""
        chosen = [row.to.data for row in field if row.to.data]
        if len(chosen) != len(set(chosen)):
            raise ValidationError("Each next touchpoint can be listed once.")


def _form_class(journey: Journey, typed: bool = False) -> type[TouchpointForm]:
    """Return a form class with one group of message checkboxes per credential.

    ``typed``: "Comes after" and the next touchpoints are text boxes taking a
    touchpoint's title or id (see :data:`PICK_LIMIT`), checked by :func:`_typed`.
    """

    class Form(TouchpointForm):
        pass

    if typed:

        class TypedNext(NextForm):
            to = StringField(
                "Next touchpoint",
                validators=[Length(max=200), _typed],
                render_kw={"autocomplete": "off", "aria-describedby": "typed-help"},
            )

        Form.next = FieldList(FormField(TypedNext))
        Form.after = StringField(
            "Comes after",
            validators=[Length(max=200), _typed],
            render_kw={"autocomplete": "off", "aria-describedby": "typed-help"},
        )

    for c in journey.credentials:
        setattr(
            Form,
            _message_field(c.key),
            SelectMultipleField(
                c.name, choices=options((k, k) for k in engine.MESSAGE_KINDS), validate_choice=True
            ),
        )
    return Form


def _message_field(key: str) -> str:
    return f"messages-{key}"


def _build(journey: Journey, touchpoint: Touchpoint | None) -> TouchpointForm:
    """Return the form for a new or existing touchpoint, filled from the request or the record."""
    count = db.session.scalar(
        select(func.count()).select_from(Touchpoint).where(Touchpoint.journey_id == journey.id)
    )
    typed = (count or 0) > PICK_LIMIT
    form_class = _form_class(journey, typed)
    data: dict[str, Any] = {}
    if touchpoint is not None:
        data = _data(touchpoint)
    else:
        stage = request.args.get("stage")
        data = {"stage": stage, "next": []}
    if request.method == "GET":
        if typed:  # show each next touchpoint by its title where that says which one
            shown = _shown(journey, [row["to"] for row in data["next"]])
            data["next"] = [{**row, "to": shown[row["to"]]} for row in data["next"]]
        data["next"] = data["next"] + [{"to": NONE, "share": None}] * SPARE_ROWS
        form = form_class(data=data)
    else:
        form = form_class()
    form.stage.choices = options((s.key, s.name) for s in journey.stages)
    form.issues.choices = options((c.key, c.name) for c in journey.credentials)
    form.typed = count if typed else 0
    if typed:
        if request.method == "POST":  # what was typed is checked (and used) only when sent
            boxes = [row.to for row in form.next] + [form.after]
            form.resolved = _resolve(journey, boxes)
            for box in boxes:
                box._resolved = form.resolved
        return form
    # (key, title) pairs straight from the table: the choices need nothing more.
    others = [
        (key, title)
        for key, title in db.session.execute(
            select(Touchpoint.key, Touchpoint.title)
            .where(Touchpoint.journey_id == journey.id)
            .order_by(Touchpoint.position)
        )
        if touchpoint is None or key != touchpoint.key
    ]
    if touchpoint is None:
        form.leads = _leads(journey)
    form.after.choices = options([(NONE, "— nothing: learners arrive here another way —"), *others])
    for row in form.next:
        row.to.choices = options([(NONE, "—"), *others])
    return form


def _leads(journey: Journey) -> dict[str, str]:
    """Return, by touchpoint key, the titles of where it leads: one query, for "Comes after"."""
    source, target = aliased(Touchpoint), aliased(Touchpoint)
    found: dict[str, list[str]] = {}
    for key, title in db.session.execute(
        select(source.key, target.title)
        .join(Transition, Transition.from_id == source.id)
        .join(target, Transition.to_id == target.id)
        .where(Transition.journey_id == journey.id)
        .order_by(Transition.position)
    ):
        found.setdefault(key, []).append(title)
    return {key: ", ".join(titles) for key, titles in found.items()}


def _shown(journey: Journey, keys: list[str]) -> dict[str, str]:
    """Return how typed boxes show touchpoints ``keys``: by title, or by id where that is shared.

    Two queries however many boxes: the titles of ``keys``, then which of them
    more than one touchpoint has.
    """
    if not keys:
        return {}
    titles = dict(
        db.session.execute(
            select(Touchpoint.key, Touchpoint.title).where(
                Touchpoint.journey_id == journey.id, Touchpoint.key.in_(keys)
            )
        ).all()
    )
    shared = set(
        db.session.scalars(
            select(Touchpoint.title)
            .where(Touchpoint.journey_id == journey.id, Touchpoint.title.in_(titles.values()))
            .group_by(Touchpoint.title)
            .having(func.count() > 1)
        )
    )
    return {
        key: titles[key] if key in titles and titles[key] not in shared else key for key in keys
    }


#: What a typed box found: the touchpoint's key, or the words that say why there is none.
Found = tuple[str | None, str | None]


def _resolve(journey: Journey, fields: list[Any]) -> dict[str, Found]:
    """Return, for each text typed in ``fields``, the touchpoint it names (one query).

    A text names a touchpoint by its id, or by its title when only one touchpoint
    has that title.
    """
    texts = {(f.data or "").strip() for f in fields} - {""}
    if not texts:
        return {}
    by_title: dict[str, list[str]] = {}
    keys: set[str] = set()
    for key, title in db.session.execute(
        select(Touchpoint.key, Touchpoint.title).where(
            Touchpoint.journey_id == journey.id,
            or_(Touchpoint.key.in_(texts), Touchpoint.title.in_(texts)),
        )
    ):
        keys.add(key)
        by_title.setdefault(title, []).append(key)
    found: dict[str, Found] = {}
    for text in texts:
        named = by_title.get(text, [])
        if text in keys:
            found[text] = (text, None)
        elif len(named) == 1:
            found[text] = (named[0], None)
        elif named:
            ids = ", ".join(sorted(named)[:5])
            found[text] = (
                None,
                f"{len(named)} touchpoints are called '{text[:80]}': "
                f"type the id of the one you mean ({ids}).",
            )
        else:
            found[text] = (
                None,
                f"No touchpoint in this journey is called '{text[:80]}': "
                "type its title or id as the map shows it.",
            )
    return found


def _typed(form: Any, field: Any) -> None:
    """Refuse a typed touchpoint that names none, or several, with the words saying so."""
    text = (field.data or "").strip()
    resolved = getattr(field, "_resolved", None)
    if text and resolved is not None and resolved.get(text, (None, None))[1]:
        raise ValidationError(resolved[text][1])


def _keys_of_typed(form: TouchpointForm) -> None:
    """Put the key of the touchpoint each typed box names in its place (after validation)."""
    if not form.typed:
        return
    for field in [row.to for row in form.next] + [form.after]:
        text = (field.data or "").strip()
        field.data = form.resolved.get(text, (None, None))[0] or NONE if text else NONE


def _data(touchpoint: Touchpoint) -> dict[str, Any]:
    """Return the touchpoint as the form's data: what its edit page starts from."""
    data = {
        "version": touchpoint.version,
        "title": touchpoint.title,
        "stage": touchpoint.stage.key,
        "channel": touchpoint.channel,
        "owner": touchpoint.owner,
        "audience": touchpoint.audience,
        "content": touchpoint.content,
        "issues": list(touchpoint.issues or ()),
        "reach": touchpoint.reach,
        "entry": touchpoint.entry,
        "entry_share": touchpoint.entry_share,
        "next": [{"to": tr.target.key, "share": tr.share} for tr in touchpoint.outgoing],
    }
    for cid, kinds in (touchpoint.messages or {}).items():
        data[_message_field(cid)] = list(kinds)
    return data


def message_fields(form: TouchpointForm, journey: Journey) -> list[tuple[Any, Any]]:
    """Return (credential, its message field) pairs in credential order."""
    return [(c, form[_message_field(c.key)]) for c in journey.credentials]


def _store(form: TouchpointForm, journey: Journey, touchpoint: Touchpoint) -> None:
    """Copy the form onto the touchpoint and make its outgoing transitions match."""
    # Nothing is written before save(): there a record someone changed meanwhile is a
    # conflict, where a flush on the way (loading its transitions) would be a 500.
    with db.session.no_autoflush:
        _copy(form, journey, touchpoint)


def _copy(form: TouchpointForm, journey: Journey, touchpoint: Touchpoint) -> None:
    stages = {s.key: s for s in journey.stages}
    touchpoint.title = form.title.data.strip()
    touchpoint.stage = stages[form.stage.data]
    touchpoint.channel = form.channel.data.strip()
    touchpoint.owner = form.owner.data
    touchpoint.audience = form.audience.data
    touchpoint.content = form.content.data or ""
    before = touchpoint.messages or {}
    messages = {
        c.key: [k for k in engine.MESSAGE_KINDS if k in (form[_message_field(c.key)].data or ())]
        for c in journey.credentials
        if form[_message_field(c.key)].data
    }
    # The same kinds in the file's own order are no change (nor a line in the history).
    touchpoint.messages = {
        cid: before[cid] if set(before.get(cid, ())) == set(kinds) else kinds
        for cid, kinds in messages.items()
    }
    touchpoint.issues = [c.key for c in journey.credentials if c.key in (form.issues.data or ())]
    touchpoint.reach = form.reach.data
    touchpoint.entry = form.entry.data
    touchpoint.entry_share = form.entry_share.data
    _connect(journey, touchpoint, [(row.to.data, row.share.data) for row in form.next])


def _connect(
    journey: Journey, touchpoint: Touchpoint, wanted: list[tuple[str, float | None]]
) -> None:
    asked = {key for key, _ in wanted if key != touchpoint.key}
    by_key = {t.key: t for t in _touchpoints(journey, asked)} if asked else {}
    wanted = [(key, share) for key, share in wanted if key in by_key and key != touchpoint.key]
    keys = {key for key, _ in wanted}
    for tr in list(touchpoint.outgoing):
        if tr.target.key not in keys:
            convert.disconnect(tr)
    existing = {tr.target.key: tr for tr in touchpoint.outgoing}
    # Asked of the table: loading every transition as an object takes seconds at 20,000
    # touchpoints. New transitions are added after any the session holds (for instance
    # the in-between steps of an insert).
    stored = db.session.scalar(
        select(func.max(Transition.position)).where(Transition.journey_id == journey.id)
    )
    position = max([-1 if stored is None else stored, *_pending_positions(journey)]) + 1
    for key, share in wanted:
        if key in existing:
            if existing[key].share != share:
                existing[key].share = share
        else:
            convert.connect(journey, touchpoint, by_key[key], share, position)
            position += 1


def _pending_positions(journey: Journey) -> list[int]:
    """Return the positions of the journey's transitions added in this session, not yet saved."""
    return [
        tr.position
        for tr in db.session.new
        if isinstance(tr, Transition) and tr.journey is journey and tr.position is not None
    ]


def _reading(journey: Journey, form: TouchpointForm, touchpoint: Touchpoint | None) -> dict:
    """Return what the engine reads in the touchpoint's text: mentions and suggestions.

    The journey's credentials and the touchpoint as saved come from the kept
    analysis of the latest revision when there is one (the map and the report
    keep it), instead of building the engine's journey from every table again.
    """
    source = journey_of(journey)
    current = source.touchpoint_by_id.get(touchpoint.key) if touchpoint is not None else None
    stage = form.stage.data or (source.stages[0].id if source.stages else "")
    draft = engine.Touchpoint(id="draft", title="", stage=stage)
    draft = dataclasses.replace(
        current or draft,
        title=form.title.data or "",
        content=form.content.data or "",
    )
    found = mentions.find_mentions(source, draft)
    names = {c.id: c.name for c in source.credentials}
    credentials = sorted({names.get(m.credential, m.credential) for m in found})
    spans = [(m.start, m.end) for m in found if m.field == "content"]
    return {
        "credentials": credentials,
        "content": mentions.highlight(draft.content, spans) if spans else None,
        "suggestions": [
            s
            for s in suggestions.suggestions_for(draft)
            if not any(s.message in kinds for kinds in draft.messages.values())
        ],
    }


def _page(journey: Journey, form: TouchpointForm, touchpoint: Touchpoint | None, **extra: Any):
    return render_template(
        "touchpoints/edit.html",
        journey=journey,
        form=form,
        touchpoint=touchpoint,
        messages=message_fields(form, journey),
        reading=_reading(journey, form, touchpoint),
        hints=engine.MESSAGE_MEANINGS,
        **extra,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new(journey_id: int) -> Response | str:
    """Add a touchpoint to a stage, optionally after an existing touchpoint."""
    journey = journey_or_404(journey_id, "edit")
    form = _build(journey, None)
    if form.check.data or not form.validate_on_submit():
        return _page(journey, form, None)
    _keys_of_typed(form)
    touchpoint = convert.add(journey, Touchpoint, form.title.data)
    _store(form, journey, touchpoint)
    before = _find(journey, form.after.data) if form.after.data else None
    if before is not None and touchpoint not in (tr.target for tr in before.outgoing):
        _insert_after(journey, before, touchpoint, branch=form.after_mode.data == "branch")
    refused = save_or_explain(
        journey,
        form=form,
        here=("touchpoint", touchpoint.key),
        again=lambda journey, _: _page(journey, form, None),
    )
    if refused is not None:
        return refused
    flash(f"Added '{form.title.data.strip()}'.", "success")
    return redirect(url_for("map.show", journey_id=journey.id))


@bp.route("/<key>/edit", methods=["GET", "POST"])
@login_required
def edit(journey_id: int, key: str) -> Response | str | tuple[str, int]:
    """Edit a touchpoint: its text, messages, stage, reach, entry and next touchpoints."""
    journey = journey_or_404(journey_id, "edit")
    touchpoint = _find(journey, key)
    if touchpoint is None and request.method == "GET":
        abort(404)
    form = _build(journey, touchpoint)
    if touchpoint is None:
        return _conflict(journey, form, None)
    if form.check.data or not form.validate_on_submit():
        return _page(journey, form, touchpoint)
    if form.version.data != touchpoint.version:
        return _conflict(journey, form, touchpoint)
    _keys_of_typed(form)
    _store(form, journey, touchpoint)
    refused = save_or_explain(
        journey,
        form=form,
        here=("touchpoint", key),
        again=lambda journey, _: _page(journey, form, _find(journey, key)),
        on_clash=lambda journey: _conflict(journey, form, _find(journey, key)),
    )
    if refused is not None:
        return refused
    flash(f"Saved '{touchpoint.title}'.", "success")
    return redirect(url_for("map.show", journey_id=journey.id))


def _insert_after(journey: Journey, before: Touchpoint, new: Touchpoint, *, branch: bool) -> None:
    """Connect ``before`` to ``new``; unless ``branch``, ``new`` takes over where ``before`` went.

    Inserting moves each of ``before``'s transitions (with its share) to
    leave from ``new`` instead, so learners pass through the new step; a
    transition ``new`` already has to the same place keeps its own share.
    """
    position = max((tr.position for tr in journey.transitions), default=-1) + 1
    if not branch:
        already = {tr.target.key for tr in new.outgoing}
        for tr in list(before.outgoing):
            target, share = tr.target, tr.share
            convert.disconnect(tr)
            if target is not new and target.key not in already:
                convert.connect(journey, new, target, share, position)
                position += 1
    convert.connect(journey, before, new, None, position)


def _find(journey: Journey, key: str) -> Touchpoint | None:
    return next(iter(_touchpoints(journey, {key})), None)


def _touchpoints(journey: Journey, keys: set[str]) -> list[Touchpoint]:
    """Return the journey's touchpoints with these keys, without loading all the others."""
    return list(
        db.session.scalars(
            select(Touchpoint).where(Touchpoint.journey_id == journey.id, Touchpoint.key.in_(keys))
        )
    )


def _conflict(
    journey: Journey, form: TouchpointForm, touchpoint: Touchpoint | None
) -> tuple[str, int]:
    db.session.rollback()
    titles = {t.key: t.title for t in journey.touchpoints}
    mine_next = [titles.get(row.to.data, row.to.data) for row in form.next if row.to.data]
    theirs_next = (
        [titles.get(tr.target.key, "") for tr in touchpoint.outgoing] if touchpoint else []
    )
    rows = conflict_rows(form, _data(touchpoint) if touchpoint else None, skip=("after",))
    rows.append(("Next touchpoints", mine_next, theirs_next))
    return conflict_page(
        "touchpoints/edit.html",
        form,
        journey,
        record=touchpoint,
        what=f"the touchpoint '{form.title.data}'",
        rows=rows,
        touchpoint=touchpoint,
        messages=message_fields(form, journey),
        reading=None,
        hints=engine.MESSAGE_MEANINGS,
    )


@bp.route("/<key>/delete", methods=["GET", "POST"])
@login_required
def delete(journey_id: int, key: str) -> Response | str:
    """Say what deleting a touchpoint removes, then delete it with its transitions."""
    journey = journey_or_404(journey_id, "edit")
    touchpoint = _find(journey, key)
    if touchpoint is None:
        abort(404)
    problems: list[str] = []
    if request.method == "POST":
        title = touchpoint.title
        convert.remove(journey, touchpoint)
        refused = save_or_explain(
            journey,
            again=lambda journey, refused: render_template(
                "touchpoints/delete.html",
                journey=journey,
                touchpoint=_find(journey, key),
                problems=[p.text for p in refused.problems],
            ),
        )
        if refused is not None:
            return refused
        flash(f"Deleted '{title}' and its transitions.", "success")
        return redirect(url_for("map.show", journey_id=journey.id))
    return render_template(
        "touchpoints/delete.html", journey=journey, touchpoint=touchpoint, problems=problems
    )
