"""Claimpath's journey engine: model, file format, analysis, reach, rendering.

Pure Python: nothing here imports Flask or the database. The web app and the
``claimpath`` command line both call this package and nothing re-implements
its rules.

The verbs are at the front door, like networkx's; each is imported on first
use, so ``import journeys`` stays cheap for the command line:

>>> import journeys
>>> from pathlib import Path
>>> journey = journeys.load(Path(journeys.__file__).parent / "examples" / "staff-pd-badge.json")
>>> analysis = journeys.analyse(journey)
>>> journeys.loads(journeys.dumps(journey)) == journey
True
>>> from journeys.score import score
>>> 0 <= score(analysis).value <= 100
True
>>> "findings" in journeys.to_report(analysis)
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from journeys.errors import JourneyError, JourneyInvalid, Problem
from journeys.model import (
    MESSAGE_KINDS,
    Credential,
    Journey,
    Requirement,
    Stage,
    Touchpoint,
    Transition,
)

if TYPE_CHECKING:
    from journeys.analysis import analyse
    from journeys.fileformat import dumps, load, loads
    from journeys.render import render_bytes
    from journeys.report import to_report

#: Verb -> the module it lives in; read by :func:`__getattr__` on first use.
_VERBS: dict[str, str] = {
    "load": "journeys.fileformat",
    "loads": "journeys.fileformat",
    "dumps": "journeys.fileformat",
    "analyse": "journeys.analysis",
    "to_report": "journeys.report",
    "render_bytes": "journeys.render",
}

__all__ = [
    "MESSAGE_KINDS",
    "Credential",
    "Journey",
    "JourneyError",
    "JourneyInvalid",
    "Problem",
    "Requirement",
    "Stage",
    "Touchpoint",
    "Transition",
    "analyse",
    "dumps",
    "load",
    "loads",
    "render_bytes",
    "to_report",
]


def __getattr__(name: str) -> Any:
    """Return one of the verbs in ``_VERBS``, imported from its module on first use."""
    if name in _VERBS:
        value = getattr(importlib.import_module(_VERBS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'journeys' has no attribute {name!r}")
