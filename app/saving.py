"""Save a change to a journey: the engine checks it, a revision records it, or nothing is kept.

Every view that changes a journey ends in :func:`save`, so no change reaches
the database unless the engine's loader would accept the journey, and every
change leaves a revision behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import event, inspect, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app import convert, reviews, revisions
from app.extensions import db
from app.models import Journey, Membership, Revision, User
from app.security import unstorable
from journeys import fileformat
from journeys import model as engine
from journeys.errors import JourneyInvalid, Problem

__all__ = ["Busy", "Clash", "Placed", "Refused", "attach", "create", "save", "save_or_explain"]


class Clash(Exception):
    """Someone else saved the same record between this request's read and its write."""


@dataclass(frozen=True)
class Placed:
    """One of the engine's problems, with the record and field it is about."""

    kind: str
    key: str | None
    field: str | None
    message: str
    #: The problem in the map's words: which record, then what is wrong.
    text: str


class Refused(Exception):
    """The engine would reject the journey as changed; ``problems`` say where and why."""

    def __init__(self, problems: list[Placed]) -> None:
        super().__init__("\n".join(p.text for p in problems))
        self.problems = problems


def save(journey: Journey, headline: str | None = None, user: User | None = None) -> Revision:
    """Commit the pending change with a new revision by ``user`` and return the revision.

    ``user`` defaults to whoever is signed in. Reviewed touchpoints whose
    words the change touches go back to *not reviewed* in the same commit
    (:func:`app.reviews.reset_changed`).

    Raises :class:`Refused` (with the engine's located problems) or
    :class:`Clash`; either way the session is rolled back and nothing is kept.
    """
    if user is None and current_user and current_user.is_authenticated:
        user = current_user._get_current_object()
    try:
        if journey.id is not None:
            # One save of this journey at a time, and the revision built from what is
            # saved now, others' changes included (issue 9).
            _lock(journey.id)
            db.session.flush()
            # Read the journey again inside the lock: what is checked and what the
            # revision holds is what is saved now, others' changes included.
            db.session.expire_all()
        else:
            db.session.flush()  # a new journey: no one else can have changed it
        # Built once, from the tables, for both the engine's check and the revision.
        document = convert.document(journey)
        fileformat.from_data(document)
    except JourneyInvalid as exc:
        # Place the problems while the rows still hold the rejected change.
        placed = [_place(journey, p) for p in exc.problems]
        db.session.rollback()
        raise Refused(placed) from None
    except (StaleDataError, IntegrityError, OperationalError) as exc:
        _not_written(exc)
    try:
        revision = revisions.record(journey, user, headline, document)
        # Reviews of touchpoints whose words changed are undone in the same commit.
        reset = reviews.reset_changed(journey, revision, user)
        db.session.commit()
    except (StaleDataError, IntegrityError, OperationalError) as exc:
        _not_written(exc)
    reviews.say_reset(reset)
    return revision


class Busy(Exception):
    """The database could not take the change now (locked too long, or unreachable)."""


def _not_written(exc: Exception) -> NoReturn:
    """Roll back and raise :class:`Clash` or :class:`Busy` for a write the database refused."""
    db.session.rollback()
    if isinstance(exc, OperationalError) and not _deadlock(exc):
        # The database stayed locked or went away: nothing of the change is kept.
        raise Busy(str(exc)) from exc
    # A version that moved under us, a revision number taken meanwhile, or a deadlock.
    raise Clash(str(exc)) from exc


#: Tries to get the journey's write lock, each waiting up to the busy timeout.
_LOCK_TRIES = 3


def _lock(journey_id: int) -> None:
    """Hold the journey's row for this transaction: concurrent saves of it wait in line.

    PostgreSQL locks the row (``SELECT ... FOR UPDATE``); SQLite takes its one
    write lock with a write that changes nothing, so every later read in this
    transaction sees what others committed before it. Raises
    :class:`~sqlalchemy.exc.OperationalError` when the lock never comes.
    """
    with db.session.no_autoflush:
        for attempt in range(_LOCK_TRIES):
            try:
                if db.session.get_bind().dialect.name == "postgresql":
                    db.session.execute(
                        select(Journey.id).where(Journey.id == journey_id).with_for_update()
                    )
                else:
                    db.session.execute(
                        update(Journey.__table__)
                        .where(Journey.__table__.c.id == journey_id)
                        .values(title=Journey.__table__.c.title)
                    )
                return
            except OperationalError:
                if attempt == _LOCK_TRIES - 1:
                    raise


@event.listens_for(Session, "before_flush")
def _refuse_unstorable(session: Session, _context: object, _instances: object) -> None:
    """Refuse, before any row is written, text no database can store (issue 9).

    Raises :class:`Refused` with each field that holds a NUL or a lone
    surrogate, whichever way it came (an import, a form, an API).
    """
    cannot = _unstorable(session)
    if cannot:
        raise Refused(cannot)


def _unstorable(session: Session) -> list[Placed]:
    """Return a problem for each pending text no database can store (NUL, lone surrogates)."""
    found: list[Placed] = []

    def walk(value: object, kind: str, key: str | None, field: str, label: str) -> None:
        if isinstance(value, str):
            problem = unstorable(value)
            if problem:
                message = f"This text holds {problem}, which cannot be saved: remove it."
                found.append(Placed(kind, key, field, message, f"{label} ({field}): {message}"))
        elif isinstance(value, dict):
            for name, inner in value.items():
                walk(name, kind, key, field, label)
                walk(inner, kind, key, field, label)
        elif isinstance(value, list | tuple):
            for inner in value:
                walk(inner, kind, key, field, label)

    with session.no_autoflush:
        for record in [*session.new, *session.dirty]:
            kind = type(record).__name__.lower()
            key = getattr(record, "key", None)
            name = getattr(record, "title", None) or getattr(record, "name", None) or key or ""
            label = f"The {kind} '{str(name)[:60]}'"
            for attr in inspect(record).mapper.column_attrs:
                walk(getattr(record, attr.key, None), kind, key, attr.key, label)
    return found[:20]


def _deadlock(exc: OperationalError) -> bool:
    return "deadlock" in str(exc.orig).lower()


def create(source: engine.Journey, owner: User, headline: str, title: str | None = None) -> Journey:
    """Return a new journey holding ``source``, owned by ``owner``, saved as revision 1.

    Raises :class:`Refused` when the engine would reject ``source``.
    """
    journey = Journey(title=title or source.title, description=source.description)
    db.session.add(journey)
    db.session.add(Membership(user=owner, journey=journey, role="owner"))
    convert.apply(journey, source)
    if title:
        journey.title = title
    save(journey, headline, owner)
    return journey


def _place(journey: Journey, problem: Problem) -> Placed:
    kind, key, field = convert.place(journey, problem)
    return Placed(kind, key, field, problem.message, convert.describe(journey, problem))


def attach(
    form: FlaskForm,
    refused: Refused,
    here: tuple[str, str | None],
    fields: dict[str, str] | None = None,
) -> None:
    """Put each problem beside the form field it is about, or above the form.

    ``here`` is the (kind, key) of the record the form edits; ``fields`` maps
    file field names to form field names where they differ; a form with
    ``next_problems`` takes the problems of its record's outgoing transitions.
    """
    fields = fields or {}
    for problem in refused.problems:
        here_record = problem.key == here[1]
        if here_record and problem.kind == "transition" and hasattr(form, "next_problems"):
            form.next_problems.append(problem.message)
            continue
        field = None
        if here_record and problem.kind == here[0] and problem.field:
            field = getattr(form, fields.get(problem.field, problem.field), None)
        if field is not None and hasattr(field, "errors"):
            if not isinstance(field.errors, list):
                # Fields that were not validated keep an empty tuple.
                field.errors = list(field.errors)
            field.errors.append(problem.message)
        else:
            form.form_errors.append(problem.text)


def save_or_explain(
    journey: Journey,
    *,
    again: Callable[[Journey, Refused], ResponseReturnValue],
    on_clash: Callable[[Journey], ResponseReturnValue] | None = None,
    form: FlaskForm | None = None,
    here: tuple[str, str | None] = ("journey", None),
    fields: dict[str, str] | None = None,
    headline: str | None = None,
) -> ResponseReturnValue | None:
    """Save the pending change and return ``None``, or the page that says why it was not saved.

    The one ladder every view that changes a journey ends in: :func:`save`;
    if the engine refuses the change, its problems go beside ``form``'s fields
    (:func:`attach`, when there is a form) and ``again`` shows the page once
    more; if someone else saved meanwhile, ``on_clash`` shows the conflict
    (without one, :class:`Clash` propagates). Either way nothing is kept, and
    both callbacks get the journey as it is saved now, read afresh, so the
    page never shows the rejected change as if it were saved.
    """
    try:
        save(journey, headline)
    except Refused as refused:
        if form is not None:
            attach(form, refused, here, fields)
        return again(_afresh(journey), refused)
    except Clash:
        if on_clash is None:
            raise
        return on_clash(_afresh(journey))
    return None


def _afresh(journey: Journey) -> Journey:
    """Return the journey read again from the database, after a rolled-back save."""
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(Journey, journey.id) or journey
