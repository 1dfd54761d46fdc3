"""Return the app's settings from environment variables, with safe defaults."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

__all__ = ["DEFAULTS", "settings"]

#: Settings that do not depend on the machine.
DEFAULTS: dict[str, Any] = {
    "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
    "EXAMPLES_DIR": str(Path(__file__).resolve().parent.parent / "journeys" / "examples"),
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # Rate-limit counters: this process's memory by default; a shared store
    # (for example redis://) when several app servers answer for one site.
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    # A connection the database dropped (a restart) is replaced, not reused (issue 9).
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    # Rate limits (issue 9), per client address unless said otherwise.
    "SIGNIN_LIMIT": "20 per minute; 200 per hour",
    # Failed sign-ins per account, from anywhere: then that account waits.
    "SIGNIN_ACCOUNT_LIMIT": "10 per 15 minutes",
    "SIGNUP_LIMIT": "10 per minute; 50 per hour",
    # Email (issue 15, app/mailing.py, Flask-Mail): nothing is sent while MAIL_SERVER
    # is None. Set it (and MAIL_PORT, MAIL_USE_TLS, MAIL_USERNAME, MAIL_PASSWORD,
    # MAIL_DEFAULT_SENDER), here or as environment variables of those names, to email
    # invitation links and let `flask send-digests` send the daily digest.
    "MAIL_SERVER": None,
    # Days an invitation link works (app/invitations.py).
    "INVITATION_DAYS": 14,
    # Past this many touchpoints the screens that analyse a whole journey show the
    # "too large to draw here" page (app/bigjourneys.py); 0 turns that off.
    "BIG_JOURNEY_TOUCHPOINTS": 2000,
    # Diagrams (app/report/diagrams.py): seconds Graphviz may take for one diagram.
    "DIAGRAM_TIMEOUT": 15.0,
    # Above this many touchpoints only the stage-level diagram is drawn.
    "DIAGRAM_MAX_TOUCHPOINTS": 1500,
    # The diagram cache folder is trimmed, oldest first, when it grows past this.
    "DIAGRAM_CACHE_BYTES": 256 * 1024 * 1024,
    # None: ``diagrams/`` in the instance folder.
    "DIAGRAM_CACHE_DIR": None,
    # The report page of a larger journey does not wait for a diagram still to draw:
    # the page's script fetches it, showing that it is busy.
    "DIAGRAM_DEFER_TOUCHPOINTS": 100,
    # The gap report lists at most this many finding cards of each severity; the rest
    # are counted, with the findings CSV that has every one (a 20,000-touchpoint
    # journey has thousands, a 40 MB page).
    "REPORT_CARDS": 100,
}

_KEY_FILE = "secret_key"


def settings(instance_path: str) -> dict[str, Any]:
    """Return the configuration read from the environment and the instance folder.

    ``CLAIMPATH_DATABASE_URL`` picks the database (default: SQLite in the
    instance folder); ``SECRET_KEY`` signs sessions, and when it is unset a key
    is generated once and kept in the instance folder so that sessions survive
    a restart.
    """
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    default_db = f"sqlite:///{instance / 'claimpath.sqlite'}"
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or _kept_secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("CLAIMPATH_DATABASE_URL") or default_db,
        "EXAMPLES_DIR": os.environ.get("CLAIMPATH_EXAMPLES_DIR") or DEFAULTS["EXAMPLES_DIR"],
        **_deployment(),
    }


def _deployment() -> dict[str, Any]:
    """Return the settings of a deployment (issue 9) that the environment sets.

    ``CLAIMPATH_SECURE_COOKIES`` (0/1) overrides Secure session cookies
    (default: on unless debugging); ``CLAIMPATH_REDIS_URL`` keeps rate-limit
    counters in Redis so several app servers share them; ``CLAIMPATH_PROXY_HOPS``
    is how many reverse proxies in front set X-Forwarded-* (0: trust none);
    ``CLAIMPATH_REQUEST_LOG=1`` logs each request as a JSON line (app/requestlog.py).
    """
    found: dict[str, Any] = {}
    secure = os.environ.get("CLAIMPATH_SECURE_COOKIES")
    if secure in ("0", "1"):
        found["SECURE_COOKIES"] = secure == "1"
    redis = os.environ.get("CLAIMPATH_REDIS_URL")
    if redis:
        found["RATELIMIT_STORAGE_URI"] = redis
        found["REDIS_URL"] = redis  # and the diagram cache (app/sharedstore.py)
    hops = os.environ.get("CLAIMPATH_PROXY_HOPS", "")
    if hops.isdigit():
        found["PROXY_HOPS"] = int(hops)
    if os.environ.get("CLAIMPATH_REQUEST_LOG") == "1":
        found["REQUEST_LOG"] = True
    return found


def _kept_secret_key(instance: Path) -> str:
    """Return the key kept in the instance folder, creating it on first use."""
    path = instance / _KEY_FILE
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        key = ""
    if not key:
        key = secrets.token_hex(32)
        # Only the owner may read it: it signs every session.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(key)
    return key
