"""Template helpers shared by every screen: form inputs, times, labels and shares."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from flask import Blueprint, Response
from markupsafe import Markup
from wtforms import Field, SelectChoice

from app import access
from app.grid import SEVERITY_MARKS, label
from journeys import model as engine
from journeys.model import new_id

__all__ = ["PHASE_CHOICES", "bp", "download", "filename", "options", "severity"]

bp = Blueprint("ui", __name__)


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Return (value, label) pairs as the choices of a select field."""
    return [SelectChoice(value, text) for value, text in pairs]


#: The spec's phases as the choices of a stage's *Phase* select.
PHASE_CHOICES = options((p, p.capitalize()) for p in engine.PHASES)

# The engine's vocabulary, read by every template under these names and nowhere copied.
bp.add_app_template_global(engine.MESSAGE_MEANINGS, "MESSAGE_MEANINGS")
bp.add_app_template_global(engine.CHANNELS, "CHANNELS")
bp.add_app_template_global(engine.PHASES, "PHASES")


@bp.app_template_filter("severity")
def severity(value: str) -> str:
    """Return a severity as pages head it: its mark and the engine's word for it.

    >>> severity("info"), severity("critical")
    ('ℹ Info', '✖ Critical')
    """
    return f"{SEVERITY_MARKS[value]} {engine.SEVERITY_WORDS[value]}"


def filename(title: str, what: str, ext: str, day: date | None = None) -> str:
    """Return an export's file name: the title as a slug, what it is, the date.

    >>> filename("Data Literacy: 2027 intake!", "gap-diagram", "svg", date(2027, 3, 1))
    'data-literacy-2027-intake-gap-diagram-2027-03-01.svg'
    >>> filename("Ünïcode", "", "json", date(2027, 3, 1))
    'unicode-2027-03-01.json'
    """
    day = day or datetime.now(UTC).date()
    stem = "-".join(part for part in (new_id(title, set()), what) if part)
    return f"{stem}-{day.isoformat()}.{ext}"


def download(data: bytes | str, mimetype: str, name: str, *, inline: bool = False) -> Response:
    """Return ``data`` as a file called ``name``, to save (or, ``inline``, to show)."""
    disposition = "inline" if inline else "attachment"
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
    )


@bp.app_template_global()
def input_for(field: Field, **attrs: Any) -> Markup:
    """Return a field's input tied to its message and hint for screen readers."""
    described = []
    if field.errors:
        described.append(f"{field.id}-error")
        attrs["aria-invalid"] = "true"
    if field.description:
        described.append(f"{field.id}-hint")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field(**{k: v for k, v in attrs.items() if v is not None})


@bp.app_template_filter("field_problems")
def field_problems(form: Any) -> list[tuple[str, str]]:
    """Return (field id, "Label: message") for every field error of a form, rows included.

    The error summary links each to its field; a row of a list of fields is
    named by its label and number ("Share 2").
    """
    found: list[tuple[str, str]] = []

    def visit(field: Any, name: str) -> None:
        entries = getattr(field, "entries", None)
        if entries is not None:
            for number, entry in enumerate(entries, start=1):
                for sub in getattr(entry, "form", entry):
                    visit(sub, f"{sub.label.text} {number}")
            return
        for message in field.errors if isinstance(field.errors, list | tuple) else ():
            if isinstance(message, str):
                found.append((field.id, f"{name}: {message}"))

    for field in form:
        if field.type not in {"CSRFTokenField", "HiddenField", "SubmitField"}:
            visit(field, field.label.text)
    return found


@bp.app_template_global()
def can(journey: Any, action: str) -> bool:
    """Return whether the current visitor may do ``action`` on the journey (see ``access``)."""
    return access.can(journey, action)


@bp.app_template_filter("when")
def when(moment: datetime | None) -> str:
    """Return a stored UTC time as the pages show it."""
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "never"


@bp.app_template_filter("label")
def label_filter(value: str) -> str:
    """Return a file value (``career_services``) as people read it (``Career services``)."""
    return label(value)


@bp.app_template_filter("percent")
def percent(share: float | None) -> str:
    """Return a share from 0 to 1 as a percentage.

    >>> percent(0.8), percent(0.125), percent(None)
    ('80%', '12.5%', '')
    """
    if share is None:
        return ""
    return f"{share * 100:.1f}".rstrip("0").rstrip(".") + "%"
