"""The Mentions screen: every touchpoint that mentions a credential, for faculty to review.

Each touchpoint shows its words with the credential names highlighted, the
messages it declares, the message kinds its text seems to carry, its review
state and its thread. Reviewers approve or request changes from here; the
engine decides what counts as a mention.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response
from wtforms import Form, SelectField, TextAreaField
from wtforms.validators import Length

from app import convert, reviews
from app.access import can, journey_or_404, shared_or_signed_in
from app.extensions import db
from app.models import REVIEW_STATES, Comment, Journey, Review
from app.ui import options
from journeys import model as engine
from journeys.mentions import find_mentions, highlight
from journeys.suggestions import Suggestion, declared_but_unsaid, suggestions_for

__all__ = ["Item", "bp", "items"]

bp = Blueprint("mentions", __name__, url_prefix="/journeys/<int:journey_id>/mentions")

ALL = ""
#: The query parameters that filter the list, carried through every form on the page.
FILTERS = ("credential", "stage", "state")
MAX_COMMENT = 5000


@dataclass(frozen=True)
class Named:
    """A credential a touchpoint mentions, and how: declared, awarded or named in its words."""

    id: str
    name: str
    how: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    """One mentioning touchpoint as the Mentions screen shows it."""

    touchpoint: engine.Touchpoint
    stage: str
    credentials: tuple[Named, ...]
    #: Title and content cut into (text, is a mention) pieces.
    title: list[tuple[str, bool]]
    content: list[tuple[str, bool]]
    #: (credential name, message kinds) per credential it declares messages for.
    declared: tuple[tuple[str, tuple[str, ...]], ...]
    #: What its words seem to carry, with whether it is declared for any credential.
    suggested: tuple[tuple[Suggestion, bool], ...]
    state: str
    review: Review | None
    thread: list[reviews.Node]
    #: Review notes: (credential name, note) per declared message its words do not seem to say.
    unsaid: tuple[tuple[str, str], ...] = ()


class FilterForm(Form):
    """The filters of the list, read from the query string."""

    credential = SelectField("Credential", validate_choice=True)
    stage = SelectField("Stage", validate_choice=True)
    state = SelectField("State", validate_choice=True)


class CommentForm(FlaskForm):
    """A comment, a reply or a reviewer's note with a decision."""

    body = TextAreaField("Comment", validators=[Length(max=MAX_COMMENT)])


@bp.app_template_filter("review_state")
def review_state(state: str) -> str:
    """Return a review state as the pages say it.

    >>> review_state("changes_requested")
    'Changes requested'
    """
    return REVIEW_STATES[state]


def _menus(source: engine.Journey, counts: dict[str, int] | None = None) -> FilterForm:
    """Return the filter form with its choices: credentials, stages, states with counts."""
    form = FilterForm()
    form.credential.choices = options(
        [(ALL, "All credentials"), *((c.id, c.name) for c in source.credentials)]
    )
    form.stage.choices = options([(ALL, "All stages"), *((s.id, s.name) for s in source.stages)])
    form.state.choices = options(
        [
            (ALL, "All states"),
            *(
                (key, f"{name} ({counts[key]})" if counts is not None else name)
                for key, name in REVIEW_STATES.items()
            ),
        ]
    )
    return form


def _filters(source: engine.Journey, args: MultiDict) -> dict[str, str]:
    """Return the valid filters in ``args``; an unknown value means no filter."""
    form = _menus(source)
    form.process(args)
    form.validate()
    return {name: (form[name].data or ALL) if not form[name].errors else ALL for name in FILTERS}


def _how(touchpoint: engine.Touchpoint, cid: str, named: set[str]) -> tuple[str, ...]:
    how = []
    if touchpoint.messages.get(cid):
        how.append("declares messages")
    if cid in touchpoint.issues:
        how.append("awards it")
    if cid in named:
        how.append("names it")
    return tuple(how)


def items(journey: Journey, source: engine.Journey) -> list[Item]:
    """Return every touchpoint that mentions a credential, in journey order."""
    mentioned = reviews.mentioning(source)
    states = reviews.states(journey.id)
    threads = reviews.threads(journey.id)
    names = {c.id: c.name for c in source.credentials}
    stages = {s.id: s.name for s in source.stages}
    result = []
    for t in source.touchpoints:
        if t.id not in mentioned:
            continue
        found = find_mentions(source, t)
        named = {m.credential for m in found}
        declared_kinds = {k for kinds in t.messages.values() for k in kinds}
        result.append(
            Item(
                touchpoint=t,
                stage=stages.get(t.stage, t.stage),
                credentials=tuple(
                    Named(cid, names[cid], _how(t, cid, named))
                    for cid in names
                    if cid in mentioned[t.id]
                ),
                title=highlight(t.title, [m for m in found if m.field == "title"]),
                content=highlight(t.content, [m for m in found if m.field == "content"]),
                declared=tuple(
                    (names.get(cid, cid), kinds) for cid, kinds in t.messages.items() if kinds
                ),
                suggested=tuple((s, s.message in declared_kinds) for s in suggestions_for(t)),
                state=reviews.state_of(states, t.id),
                review=states.get(t.id),
                thread=threads.get(t.id, []),
                unsaid=tuple(
                    (names.get(u.credential, u.credential), u.note) for u in declared_but_unsaid(t)
                ),
            )
        )
    return result


def _matches(item: Item, filters: dict[str, str], *, state: bool = True) -> bool:
    if filters["credential"] and filters["credential"] not in {c.id for c in item.credentials}:
        return False
    if filters["stage"] and item.touchpoint.stage != filters["stage"]:
        return False
    return not (state and filters["state"] and item.state != filters["state"])


def _page(
    journey: Journey,
    filters_from: MultiDict,
    errors: dict[str, str] | None = None,
    drafts: dict[str, str] | None = None,
) -> str:
    source = convert.to_engine(journey)
    filters = _filters(source, filters_from)
    every = items(journey, source)
    # Counts follow the credential and stage filters, so each state's number is what
    # choosing that state would list.
    counts = {s: 0 for s in REVIEW_STATES}
    for item in every:
        if _matches(item, filters, state=False):
            counts[item.state] += 1
    return render_template(
        "mentions/index.html",
        journey=journey,
        source=source,
        items=[item for item in every if _matches(item, filters)],
        total=len(every),
        counts=counts,
        states=REVIEW_STATES,
        filters=filters,
        menus=[
            (f.name, f.label.text, [(c.value, c.label) for c in f.choices])
            for f in _menus(source, counts)
        ],
        carried={k: v for k, v in filters.items() if v},
        errors=errors or {},
        drafts=drafts or {},
        may_comment=can(journey, "comment"),
        may_review=can(journey, "review"),
        may_edit=can(journey, "edit"),
    )


@bp.route("/")
@shared_or_signed_in
def index(journey_id: int) -> str:
    """List the touchpoints that mention a credential, filtered by credential, stage, state."""
    return _page(journey_or_404(journey_id), request.args)


def _touchpoint(journey: Journey, key: str) -> tuple[engine.Journey, engine.Touchpoint]:
    source = convert.to_engine(journey)
    touchpoint = source.touchpoint_by_id.get(key)
    if touchpoint is None:
        abort(404)
    return source, touchpoint


def _back(journey: Journey, anchor: str | None) -> Response:
    """Return to the list with the filters the form carried, at ``anchor``."""
    carried = {k: request.form[k] for k in FILTERS if request.form.get(k)}
    url = url_for("mentions.index", journey_id=journey.id, **carried)
    return redirect(f"{url}#{anchor}" if anchor else url)


def _next_after(journey: Journey, source: engine.Journey, key: str) -> str | None:
    """Return the anchor of the touchpoint listed after ``key`` under the carried filters."""
    filters = _filters(source, request.form)
    listed = [i.touchpoint.id for i in items(journey, source) if _matches(i, filters)]
    later = listed[listed.index(key) + 1 :] if key in listed else []
    return f"tp-{later[0]}" if later else None


@bp.post("/<key>/review")
@login_required
def review(journey_id: int, key: str) -> Response | str:
    """Approve a touchpoint, or request changes with a comment saying which."""
    journey = journey_or_404(journey_id, "review")
    source, touchpoint = _touchpoint(journey, key)
    decision = request.form.get("decision")
    if decision not in reviews.DECISIONS:
        abort(400)
    form = CommentForm()
    body = (form.body.data or "").strip()
    problem = None
    if not form.validate():
        problem = " ".join(form.body.errors)
    elif decision == "changes_requested" and not body:
        problem = "Say what should change: the designers read this comment."
    if problem:
        return _page(journey, request.form, {f"body-{key}": problem}, {f"body-{key}": body})
    # Straight on to the next touchpoint, so a whole credential is reviewed in one sitting;
    # found first, as the decision may take this one off a list filtered by state.
    after = _next_after(journey, source, key)
    reviews.decide(journey, touchpoint, decision, current_user._get_current_object(), body)
    db.session.commit()
    return _back(journey, after or f"tp-{key}")


@bp.post("/<key>/comments")
@login_required
def comment(journey_id: int, key: str) -> Response | str:
    """Add a comment to a touchpoint's thread, or a reply to one of its comments."""
    journey = journey_or_404(journey_id, "comment")
    _source, touchpoint = _touchpoint(journey, key)
    parent = None
    if request.form.get("parent"):
        parent = db.session.get(Comment, request.form.get("parent", type=int) or 0)
        if parent is None or parent.journey_id != journey.id or parent.touchpoint_key != key:
            abort(404)
    field = f"reply-{parent.id}" if parent else f"body-{key}"
    form = CommentForm()
    body = (form.body.data or "").strip()
    if not form.validate() or not body:
        problem = " ".join(form.body.errors) or "Write your comment first."
        return _page(journey, request.form, {field: problem}, {field: body})
    entry = reviews.add_comment(
        journey, touchpoint, current_user._get_current_object(), body, parent
    )
    db.session.commit()
    return _back(journey, f"c{entry.id}")
