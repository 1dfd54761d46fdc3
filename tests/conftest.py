"""Fixtures for the web app's tests: an app on a throwaway database, clients and signing in."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from app import create_app
from app.extensions import db

PASSWORD = "correct horse battery"

#: A server database to run the app's tests on instead of a fresh SQLite file
#: per test (`.ci/with-postgres` sets it): the same code must work on both.
_DATABASE_URL = os.environ.get("CLAIMPATH_TEST_DATABASE_URL")

#: A small journey in the file format: two credentials' worth of gaps, three stages.
TINY: dict[str, Any] = {
    "format": "claimpath-journey/1",
    "title": "Tiny journey",
    "description": "For tests",
    "credentials": [
        {"id": "data-lit", "name": "Data Literacy Badge", "aliases": ["data badge"]},
    ],
    "stages": [
        {"id": "enrol", "name": "Enrol", "phase": "discover"},
        {"id": "learn", "name": "Learn", "phase": "learn"},
        {"id": "award", "name": "Award", "phase": "issue"},
    ],
    "touchpoints": [
        {
            "id": "welcome",
            "title": "Welcome email",
            "stage": "enrol",
            "channel": "email",
            "content": "You will earn the Data Literacy Badge.",
            "messages": {"data-lit": ["earned"]},
            "entry": True,
        },
        {"id": "module", "title": "Module page", "stage": "learn", "channel": "lms"},
        {
            "id": "issued",
            "title": "Badge issued email",
            "stage": "award",
            "channel": "email",
            "issues": ["data-lit"],
            "messages": {"data-lit": ["claim"]},
        },
    ],
    "transitions": [
        {"from": "welcome", "to": "module"},
        {"from": "module", "to": "issued", "share": 0.8},
    ],
    "requirements": None,
}


@pytest.fixture
def tiny() -> Callable[..., dict[str, Any]]:
    """Return a maker of fresh copies of the tiny journey, with top-level changes."""

    def make(**changes: Any) -> dict[str, Any]:
        return {**copy.deepcopy(TINY), **changes}

    return make


@pytest.fixture
def app(tmp_path) -> Flask:
    """Return an app on a fresh SQLite database in a temporary folder."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": _DATABASE_URL or f"sqlite:///{tmp_path / 'test.sqlite'}",
            "WTF_CSRF_ENABLED": False,
            "DIAGRAM_CACHE_DIR": str(tmp_path / "diagrams"),
        }
    )
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()  # before drop_all, or PostgreSQL waits on the session's own lock
        if _DATABASE_URL:
            db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return a test client of the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Return a runner for the app's command-line commands."""
    return app.test_cli_runner()


class AuthActions:
    """Sign up, in and out through the real forms."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def signup(self, email: str = "ada@example.com", password: str = PASSWORD):
        """Sign up, then sign in as the page then asks; return the last answer (302 when in)."""
        response = self._client.post(
            "/auth/signup", data={"email": email, "password": password, "confirm": password}
        )
        if response.status_code != 302 or "/auth/signin" not in response.headers["Location"]:
            return response
        return self._client.post(
            response.headers["Location"], data={"email": email, "password": password}
        )

    def signin(self, email: str = "ada@example.com", password: str = PASSWORD):
        return self._client.post("/auth/signin", data={"email": email, "password": password})

    def signout(self):
        return self._client.post("/auth/signout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """Return helpers that sign the test client up, in and out."""
    return AuthActions(client)


def pytest_configure(config: pytest.Config) -> None:
    """Let pytest-playwright's session-scoped ``base_url`` fixture through pytest 9.

    pytest deprecates session-scoped fixtures defined as methods, which is how
    pytest-playwright provides ``base_url``; warnings are errors in this suite.
    """
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods are deprecated"
        ":pytest.PytestRemovedIn10Warning",
    )
