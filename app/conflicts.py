"""The conflict page: a save made on a stale version, shown beside what is saved now."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import render_template
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, HiddenField, SelectFieldBase, SubmitField
from wtforms.csrf.core import CSRFTokenField

from app import revisions
from app.models import Journey

__all__ = ["Conflict", "conflict_page", "conflict_rows"]


@dataclass(frozen=True)
class Conflict:
    """What was refused: each field as the user typed it and as it is saved now."""

    what: str
    rows: list[tuple[str, str, str]]
    by: str | None
    at: datetime | None
    #: The record was deleted meanwhile: the user's version is all there is.
    gone: bool = False


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _choice_words(field: Field) -> dict[str, str]:
    """Return a select field's values with the words its options show."""
    return {str(value): str(text) for value, text, *_ in field.iter_choices()}


def _in_words(field: Field, value: Any) -> Any:
    """Return ``value`` of ``field`` as its options word it (a select shows labels, not keys)."""
    if isinstance(field, SelectFieldBase):
        words = _choice_words(field)
        if isinstance(value, list | tuple):
            return [words.get(str(v), v) for v in value if v not in (None, "")]
        return words.get(str(value), value) if value not in (None, "") else ""
    return value


def conflict_rows(
    form: FlaskForm,
    saved: Mapping[str, Any] | None,
    *,
    skip: Iterable[str] = (),
) -> list[tuple[str, Any, Any]]:
    """Return (label, mine, theirs) for each field the user can see, in the form's own words.

    ``saved`` is the saved record as the form's data (field name to value, the
    same dict the edit page fills the form from), or ``None`` when the record
    is gone. Each row takes the field's label; a select shows its options'
    words for both versions. Hidden fields, buttons, field lists and the
    names in ``skip`` are left out.
    """
    left_out = set(skip)
    rows = []
    for field in form:
        if field.name in left_out or isinstance(
            field, HiddenField | SubmitField | CSRFTokenField | FieldList
        ):
            continue
        theirs = saved.get(field.name) if saved is not None else None
        rows.append((field.label.text, _in_words(field, field.data), _in_words(field, theirs)))
    return rows


def conflict_page(
    template: str,
    form: FlaskForm,
    journey: Journey,
    *,
    record: Any | None,
    what: str,
    rows: list[tuple[str, Any, Any]],
    **context: Any,
) -> tuple[str, int]:
    """Return the edit page again, status 409, with both versions shown above the form.

    The form keeps what the user typed but now carries the saved version, so
    saving it again is a deliberate choice to replace the other person's change.
    """
    latest = revisions.latest(journey)
    conflict = Conflict(
        what=what,
        rows=[(label, _show(mine), _show(theirs)) for label, mine, theirs in rows],
        by=latest.user.name if latest is not None and latest.user is not None else None,
        at=latest.created_at if latest is not None else None,
        gone=record is None,
    )
    if record is not None and hasattr(form, "version"):
        form.version.data = record.version
    context.setdefault("journey", journey)
    return render_template(template, form=form, conflict=conflict, **context), 409
