"""The consultant's screens: the gap report, what-if, exports and the workshop report."""

from __future__ import annotations

from app.report import exports, outcomes, pages

__all__ = ["BLUEPRINTS"]

BLUEPRINTS = (pages.bp, exports.bp, outcomes.bp)
