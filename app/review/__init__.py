"""The faculty's and the owner's screens: mentions, sharing, invitations, comments."""

from __future__ import annotations

from app.review import comments, invites, mentions, sharing

__all__ = ["BLUEPRINTS"]

BLUEPRINTS = (mentions.bp, sharing.bp, invites.bp, comments.bp)
