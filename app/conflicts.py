"""The conflict page: a save made on a stale version, shown beside what is saved now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import render_template
from flask_wtf import FlaskForm

from app import revisions
from app.models import Journey

__all__ = ["Conflict", "conflict_page"]


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
        by=latest.user.email if latest is not None and latest.user is not None else None,
        at=latest.created_at if latest is not None else None,
        gone=record is None,
    )
    if record is not None and hasattr(form, "version"):
        form.version.data = record.version
    context.setdefault("journey", journey)
    return render_template(template, form=form, conflict=conflict, **context), 409
