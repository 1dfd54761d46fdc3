"""Error pages in the app's own style, all served by :func:`render_error`."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db

__all__ = ["register", "render_error"]

_EXPLANATIONS = {
    400: "The request could not be understood. Go back, reload the page and try again.",
    403: "Your role on this journey does not allow that.",
    404: "There is nothing here, or it is not yours to see.",
    405: "That page cannot be used that way.",
    413: "The file is too large: imports are limited to 5 MB.",
    429: "Too many attempts in a short time, so this was not done. "
    "Wait a few minutes, then try again.",
    500: "Something went wrong on our side. Nothing was half-saved; please try again.",
}


def render_error(error: HTTPException) -> tuple[str, int]:
    """Return the error page for an HTTP error and its status code."""
    code = error.code or 500
    explanation = _EXPLANATIONS.get(code, error.description)
    if getattr(error, "located", False):
        explanation = error.description  # says which field and what is wrong with it
    if isinstance(error, CSRFError):
        explanation = (
            "The form was too old or did not come from this site, so nothing was saved. "
            "Go back, reload the page and submit it again."
        )
    return render_template("error.html", code=code, name=error.name, text=explanation), code


def _internal_error(error: Exception) -> tuple[str, int]:
    # Whatever failed, the next request must not inherit a broken transaction.
    db.session.rollback()
    return render_error(InternalServerError())


def register(app: Flask) -> None:
    """Make every HTTP error, uncaught exceptions included (as a 500), show the styled page."""
    from app.saving import Clash, Refused

    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(InternalServerError, _internal_error)
    # Views handle these beside their forms; these catch the ones a button-only form meets.
    app.register_error_handler(Clash, _clash)
    app.register_error_handler(Refused, _refused)


def _clash(error: Exception) -> tuple[str, int]:
    db.session.rollback()
    text = (
        "Someone else saved this journey at the same moment, so your change was not saved "
        "and nothing was overwritten. Go back, reload the page and make your change again."
    )
    return render_template("error.html", code=409, name="Conflict", text=text), 409


def _refused(error: Exception) -> tuple[str, int]:
    db.session.rollback()
    problems = [p.text for p in getattr(error, "problems", [])]
    return (
        render_template(
            "error.html",
            code=422,
            name="Not saved",
            text="The journey would no longer be valid, so nothing was saved:",
            problems=problems,
        ),
        422,
    )
