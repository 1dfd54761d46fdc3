"""The engine's example journeys, offered as templates for a new journey."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from journeys import fileformat
from journeys import model as engine
from journeys.errors import JourneyInvalid

__all__ = ["Example", "examples", "find"]


@dataclass(frozen=True)
class Example:
    """One example journey and the file name it is known by."""

    name: str
    journey: engine.Journey


def examples() -> list[Example]:
    """Return every loadable example journey, by file name.

    A broken example is left out rather than breaking the page that lists them.
    """
    folder = Path(current_app.config["EXAMPLES_DIR"])
    found = []
    for path in sorted(folder.glob("*.json")):
        try:
            found.append(Example(path.stem, fileformat.load(path)))
        except JourneyInvalid:
            current_app.logger.warning("example %s does not load; left out", path)
    return found


def find(name: str) -> Example | None:
    """Return the example called ``name``, or None."""
    return next((e for e in examples() if e.name == name), None)
