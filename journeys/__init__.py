"""Claimpath's journey engine: model, file format, analysis, reach, rendering.

Pure Python: nothing here imports Flask or the database. The web app and the
``claimpath`` command line both call this package and nothing re-implements
its rules.
"""

from __future__ import annotations

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
]
