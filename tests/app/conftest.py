"""Fixtures for the Flask test-client tests: a signed-in designer with a journey."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient


@pytest.fixture
def signed_in(client: FlaskClient, auth) -> FlaskClient:
    """Return the client, signed up and in as ada@example.com."""
    auth.signup()
    return client


@pytest.fixture
def upload(signed_in: FlaskClient) -> Callable[..., object]:
    """Return a function that posts a file to an import form and returns the response."""

    def post(content: bytes | str, name: str, url: str = "/import", title: str = ""):
        raw = content.encode() if isinstance(content, str) else content
        return signed_in.post(
            url,
            data={"file": (io.BytesIO(raw), name), "title": title},
            content_type="multipart/form-data",
        )

    return post


@pytest.fixture
def make_journey(signed_in, upload, tiny) -> Callable[..., int]:
    """Return a function that imports a journey document and returns the new journey's id."""

    def make(document: dict | None = None) -> int:
        response = upload(json.dumps(document or tiny()), "tiny.json")
        assert response.status_code == 302, response.get_data(as_text=True)
        signed_in.get(response.headers["Location"])  # shows, and so clears, the flash
        return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])

    return make


@pytest.fixture
def journey_id(make_journey) -> int:
    """Return the id of the tiny journey, imported by the signed-in designer."""
    return make_journey()
