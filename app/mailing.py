"""Email, only when the app is configured for SMTP (``MAIL_SERVER``); otherwise nothing is sent.

Flask-Mail does the sending, set up on first use from the app's settings or
the environment: ``MAIL_SERVER``, ``MAIL_PORT`` (587), ``MAIL_USE_TLS`` (1/0,
default 1), ``MAIL_USERNAME``, ``MAIL_PASSWORD``, ``MAIL_DEFAULT_SENDER``.
In tests (``TESTING``) Flask-Mail records messages in its outbox instead
(``mail.record_messages()``), so no test sends email.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from flask import Flask, current_app
from flask_mail import Mail, Message

__all__ = ["SETTINGS", "enabled", "mail", "send"]

mail = Mail()

#: The settings email reads, with their defaults.
SETTINGS: dict[str, object] = {
    "MAIL_SERVER": None,
    "MAIL_PORT": 587,
    "MAIL_USE_TLS": True,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_DEFAULT_SENDER": "claimpath@localhost",
}


def _from_environment(name: str, default: object) -> object:
    value = os.environ.get(name)
    if not value:
        return default
    if name == "MAIL_PORT":
        return int(value) if value.isdigit() else default
    if name == "MAIL_USE_TLS":
        return value.lower() not in {"0", "false", "no"}
    return value


def _ready(app: Flask) -> None:
    """Fill in the email settings the app lacks from the environment, and bind Flask-Mail."""
    if "mail" in app.extensions:
        return
    for name, default in SETTINGS.items():
        if app.config.get(name) is None:
            app.config[name] = _from_environment(name, default)
    mail.init_app(app)


def enabled() -> bool:
    """Return whether the app is configured to send email (``MAIL_SERVER`` is set)."""
    app = current_app._get_current_object()
    _ready(app)
    return bool(app.config.get("MAIL_SERVER"))


def send(to: Iterable[str], subject: str, body: str) -> bool:
    """Send a plain-text email when SMTP is configured; return whether one was sent."""
    recipients = [address for address in to if address]
    if not enabled() or not recipients:
        return False
    mail.send(Message(subject=subject, recipients=recipients, body=body))
    return True
