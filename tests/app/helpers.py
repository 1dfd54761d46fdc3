"""Helpers for the sharing and review tests: more people on a journey, and forms as sent."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete

from app.extensions import db
from app.models import Notification
from tests.conftest import AuthActions


def join(
    app: Flask, owner: FlaskClient, journey_id: int, role: str, email: str | None = None
) -> FlaskClient:
    """Return a new client, signed up as ``email``, that accepted an invitation as ``role``."""
    email = email or f"{role}@example.com"
    client = app.test_client()
    assert AuthActions(client).signup(email).status_code == 302
    accept(client, invite(owner, journey_id, email, role))
    with app.app_context():  # leave out the owner's news that they joined: tests count what follows
        db.session.execute(delete(Notification).where(Notification.kind == "added"))
        db.session.commit()
    return client


def invite(owner: FlaskClient, journey_id: int, email: str, role: str) -> str:
    """Return the path of the invitation link the owner made for ``email`` with ``role``."""
    response = owner.post(
        f"/journeys/{journey_id}/sharing/people",
        data={"person-email": email, "person-role": role},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with owner.session_transaction() as session:
        url = session["new_invitation"]["url"]
    return "/invite/" + url.rsplit("/invite/", 1)[1]


def accept(client: FlaskClient, path: str) -> None:
    """Accept the invitation at ``path`` as the person the client is signed in as."""
    response = client.post(path)
    assert response.status_code == 302, response.get_data(as_text=True)


class _Form(HTMLParser):
    """Collect what a browser sends for the first form whose ``action`` is ``action``.

    ``None`` is a form without an ``action``, which posts to its own page.
    """

    def __init__(self, action: str | None) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.done = False
        self.values: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.done and dict(attrs).get("action") == self.action:
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in {"submit", "button", "file"}:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            self.values.append((a["name"], a.get("value", "on" if "checked" in a else "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.values.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.values.append((self._textarea or "", ""))

    def handle_data(self, data: str) -> None:
        if self.inside and self._textarea:
            name, text = self.values[-1]
            self.values[-1] = (name, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            # Like a browser, drop the one line break that may open a textarea's text.
            name, text = self.values[-1]
            for start in ("\r\n", "\n"):
                if text.startswith(start):
                    text = text[len(start) :]
                    break
            self.values[-1] = (name, text)
            self._textarea = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_data(html: str, action: str | None = None, **changes: Any) -> dict[str, Any]:
    """Return the values of the first form posting to ``action``, with ``changes`` applied.

    ``None`` means a form without an ``action``. Repeated names (ticked
    checkboxes) become lists.
    """
    parser = _Form(action)
    parser.feed(html)
    data: dict[str, Any] = {}
    for name, value in parser.values:
        if name in data:
            data[name] = [*(data[name] if isinstance(data[name], list) else [data[name]]), value]
        else:
            data[name] = value
    data.update(changes)
    return data


def edit_touchpoint(client: FlaskClient, journey_id: int, key: str, **changes: Any):
    """Save a touchpoint's edit form as shown, with ``changes``; return the response."""
    url = f"/journeys/{journey_id}/touchpoints/{key}/edit"
    page = client.get(url).get_data(as_text=True)
    data = form_data(page, None, **changes)
    return client.post(url, data=data)
