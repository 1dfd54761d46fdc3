"""The database under load and trouble: SQLite in WAL mode, a 503 page, and ``/healthz``.

SQLite connections run in WAL mode (readers never block the writer) with a
busy timeout, so a write waits for the lock instead of failing at once. When
the database cannot answer (locked too long, or a server that is down), the
app's own 503 page says so with ``Retry-After``; ``pool_pre_ping`` (app/config.py)
drops dead connections, so the app recovers by itself when the database returns.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import Blueprint, Flask, g, jsonify, render_template
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.wrappers import Response

from app.extensions import db, limiter, login_manager

__all__ = ["BUSY_TIMEOUT_MS", "RETRY_AFTER", "bp", "register"]

#: How long an SQLite write waits for the lock before giving up.
BUSY_TIMEOUT_MS = 10_000
#: Seconds the 503 page asks a client to wait.
RETRY_AFTER = 5

bp = Blueprint("health", __name__)


@event.listens_for(Engine, "connect")
def _on_connect(connection: Any, _record: Any) -> None:
    if isinstance(connection, sqlite3.Connection):
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")  # safe in WAL mode, and faster
        cursor.close()


@bp.get("/healthz")
@limiter.exempt
def healthz() -> tuple[Response, int]:
    """Answer 200 when the database answers, else 503: for load balancers and monitors."""
    try:
        db.session.execute(text("SELECT 1"))
    except (DBAPIError, PoolTimeout):
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    db.session.rollback()
    return jsonify(status="ok", database="reachable"), 200


def _unavailable(_error: Exception) -> tuple[str, int, dict[str, str]]:
    try:
        db.session.rollback()
    except DBAPIError:  # the connection itself is gone; the pool replaces it
        pass
    text_ = (
        "The database is busy or out of reach just now, so nothing was saved or changed. "
        "Wait a few seconds and try again."
    )
    if "_login_user" not in g:
        # The account could not be read: show the page as to someone signed out.
        g._login_user = login_manager.anonymous_user()
    try:
        page = render_template("error.html", code=503, name="Service unavailable", text=text_)
    except DBAPIError:
        # Something on the page needs the database too: the same words, plainer.
        page = render_template("unavailable.html", text=text_)
    return page, 503, {"Retry-After": str(RETRY_AFTER)}


def register(app: Flask) -> None:
    """Add ``/healthz`` and answer a database that cannot answer with the 503 page."""
    from app.saving import Busy

    app.register_blueprint(bp)
    for error in (OperationalError, PoolTimeout, Busy):
        app.register_error_handler(error, _unavailable)
