"""The institution's screens: workspaces of journeys and people, and their Overview."""

from __future__ import annotations

from app.institution import workspaces

__all__ = ["BLUEPRINTS"]

BLUEPRINTS = (workspaces.bp,)
