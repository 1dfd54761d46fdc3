"""The faculty's and the owner's screens: mentions under review, and sharing."""

from __future__ import annotations

from app.review import mentions, sharing

__all__ = ["BLUEPRINTS"]

BLUEPRINTS = (mentions.bp, sharing.bp)
