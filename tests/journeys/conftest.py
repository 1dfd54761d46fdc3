"""Fixtures for the engine tests: small literal journeys as file data, and ``run``.

Each journey fixture returns a fresh dict, so a test may change it before loading
it with :func:`journeys.fileformat.from_data` or writing it with ``write_journey``;
``run`` runs the ``claimpath`` command line in-process.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

FORMAT = "claimpath-journey/1"


@pytest.fixture
def tiny_document() -> dict[str, Any]:
    """Return a valid journey that tells learners nothing: welcome → issued."""
    return {
        "format": FORMAT,
        "title": "Data Literacy",
        "credentials": [{"id": "data-lit", "name": "Data Literacy Badge"}],
        "stages": [
            {"id": "enrol", "name": "Enrol", "phase": "discover"},
            {"id": "learn", "name": "Learn", "phase": "learn"},
            {"id": "award", "name": "Award", "phase": "issue"},
        ],
        "touchpoints": [
            {"id": "welcome", "title": "Welcome email", "stage": "enrol"},
            {"id": "issued", "title": "Issue email", "stage": "award", "issues": ["data-lit"]},
        ],
        "transitions": [{"from": "welcome", "to": "issued"}],
    }


@pytest.fixture
def covered() -> dict[str, Any]:
    """Return a journey with no finding at all: every message on every path, faculty, employer."""
    return {
        "format": FORMAT,
        "title": "Fully covered",
        "credentials": [
            {
                "id": "data-lit",
                "name": "Data Literacy Badge",
                "description": "Reads, questions and presents data",
                "criteria": "Pass the three data modules",
                "skills": ["Interpret charts"],
            }
        ],
        "stages": [
            {"id": "learn", "name": "Learn", "phase": "learn"},
            {"id": "award", "name": "Award", "phase": "issue"},
            {"id": "after", "name": "After", "phase": "use"},
        ],
        "touchpoints": [
            {
                "id": "intro",
                "title": "Course introduction",
                "stage": "learn",
                "owner": "faculty",
                "messages": {"data-lit": ["earned", "represents", "why", "claim"]},
            },
            {
                "id": "issued",
                "title": "Issue email",
                "stage": "award",
                "issues": ["data-lit"],
                "messages": {"data-lit": ["earned", "claim"]},
            },
            {
                "id": "showcase",
                "title": "Employer showcase",
                "stage": "after",
                "owner": "employer",
                "messages": {"data-lit": ["use", "share", "talk", "value"]},
            },
        ],
        "transitions": [
            {"from": "intro", "to": "issued"},
            {"from": "issued", "to": "showcase"},
        ],
    }


@pytest.fixture
def write_journey(tmp_path: Path) -> Callable[..., Path]:
    """Return a function that writes journey data (or raw text) to a file and gives its path."""

    def write(data: dict[str, Any] | str | bytes, name: str = "journey.json") -> Path:
        path = tmp_path / name
        if isinstance(data, bytes):
            path.write_bytes(data)
        elif isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_text(json.dumps(data), encoding="utf-8")
        return path

    return write


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Return a function that runs the command line and gives (exit status, stdout, stderr)."""
    from journeys.cli import main

    def run(*argv: str | Path) -> tuple[int, str, str]:
        status = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return status, out, err

    return run
