"""Structured request logs: one JSON object a line per request, for a log collector.

On when ``REQUEST_LOG`` is set (``CLAIMPATH_REQUEST_LOG=1``, as ``make serve``
does); each line has the time, method, path, status, duration in ms, the
client address (as ProxyFix saw it), the account id and the response size.
Query strings are left out: share-link and invitation tokens live in paths
that are logged only up to their prefix (``/s/…``, ``/invite/…``).
"""

from __future__ import annotations

import json
import logging
import sys
import time

from flask import Flask, g, request
from flask_login import current_user
from werkzeug.wrappers import Response

__all__ = ["LOGGER", "register"]

#: The logger the lines go to; it writes to standard error, which gunicorn keeps.
LOGGER = logging.getLogger("claimpath.requests")

#: Path prefixes whose next part is a secret token: logged without it.
_SECRET_PATHS = ("/s/", "/invite/")


def _path() -> str:
    path = request.path
    for prefix in _SECRET_PATHS:
        if path.startswith(prefix):
            return prefix + "…"
    return path


def _start() -> None:
    g._request_started = time.perf_counter()


def _log(response: Response) -> Response:
    started = g.get("_request_started")
    user = current_user.get_id() if current_user and current_user.is_authenticated else None
    LOGGER.info(
        json.dumps(
            {
                "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "method": request.method,
                "path": _path(),
                "status": response.status_code,
                "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
                "remote": request.remote_addr,
                "user": user.split(":", 1)[0] if user else None,
                "bytes": response.calculate_content_length(),
            },
            ensure_ascii=False,
        )
    )
    return response


def register(app: Flask) -> None:
    """Log every request as a JSON line when the app's ``REQUEST_LOG`` setting is on."""
    if not app.config.get("REQUEST_LOG"):
        return
    if not LOGGER.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        LOGGER.addHandler(handler)
        LOGGER.setLevel(logging.INFO)
        LOGGER.propagate = False
    app.before_request(_start)
    app.after_request(_log)
