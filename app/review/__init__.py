"""The faculty's and the owner's screens: mentions under review, sharing and invitations."""

from __future__ import annotations

from app.review import invites, mentions, sharing

__all__ = ["BLUEPRINTS"]

BLUEPRINTS = (mentions.bp, sharing.bp, invites.bp)
