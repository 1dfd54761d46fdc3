"""A live Claimpath server and Debian's Chromium for the browser tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from app.models import User

EMAIL = "designer@example.com"
PASSWORD = "a long enough password"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium, headless; never a downloaded browser."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[str]:
    """Serve the app on a free local port, CSRF on, with one designer account; return its URL."""
    folder = tmp_path_factory.mktemp("live")
    app = create_app(
        {
            "SECRET_KEY": "browser-tests",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.sqlite'}",
            "DIAGRAM_CACHE_DIR": str(folder / "diagrams"),
            # Every browser test signs in from 127.0.0.1: on a fast run that is more than
            # the real per-address limit allows in a minute. The limits' own tests are in
            # tests/app (test_security.py, test_redis.py), where they are asserted.
            "SIGNIN_LIMIT": "1000 per minute",
        }
    )
    with app.app_context():
        db.create_all()
        user = User(email=EMAIL)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def signed_in_page(page, live_server):
    """Return a page signed in as the designer, on the journeys screen."""
    page.goto(f"{live_server}/auth/signin")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Journeys", exact=True).wait_for()
    return page


def axe_violations(page) -> list[str]:
    """Return axe-core's violations on the page, each as "id: help" (none is the goal)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]]
