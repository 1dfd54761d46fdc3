"""The instructional designer's screens: journeys, the map, its parts, import and history."""

from __future__ import annotations

from app.editor import (
    credentials,
    history,
    journeys,
    mapedits,
    maps,
    stages,
    touchpoints,
    transfer,
)

__all__ = ["BLUEPRINTS"]

BLUEPRINTS = (
    journeys.bp,
    maps.bp,
    mapedits.bp,
    touchpoints.bp,
    stages.bp,
    credentials.bp,
    transfer.bp,
    history.bp,
)
