"""The journey score: 100 minus capped deductions per kind of finding (see docs/score.md).

Each finding costs points by severity; a ``missing-message`` gap that only
some learners fall into (``partial``) costs half. Findings of one rule and
severity form one deduction, capped so that one kind of gap cannot hide all
the others, and the score never goes below 0.

>>> from journeys.findings import Analysis, Finding
>>> gap = Finding("missing-message", "critical", "b", "t", "claim", ("t",), "", "", "partial")
>>> result = score(Analysis(None, (gap, gap), (), frozenset()))
>>> result.value, [d.text for d in result.deductions]
(90, ['-10 for 2 critical missing-message findings (2 partial)'])
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from journeys.findings import RULES, Analysis
from journeys.model import SEVERITIES

__all__ = ["CAPS", "POINTS", "Deduction", "Score", "score"]

#: Points one finding costs, by severity.
POINTS: dict[str, float] = {"critical": 10.0, "warning": 4.0, "info": 1.0}
#: The most one rule can cost at each severity.
CAPS: dict[str, float] = {"critical": 40.0, "warning": 20.0, "info": 5.0}


@dataclass(frozen=True)
class Deduction:
    """Points taken off for the findings of one rule at one severity."""

    rule: str
    severity: str
    count: int
    partial: int
    points: int

    @property
    def text(self) -> str:
        """Return the one-line explanation, e.g. ``-20 for 2 critical missing-message findings``."""
        plural = "s" if self.count != 1 else ""
        partial = f" ({self.partial} partial)" if self.partial else ""
        capped = " (capped)" if self.points >= CAPS[self.severity] else ""
        return (
            f"-{self.points} for {self.count} {self.severity} {self.rule} "
            f"finding{plural}{partial}{capped}"
        )


@dataclass(frozen=True)
class Score:
    """The score and the deductions that explain it, largest first."""

    value: int
    deductions: tuple[Deduction, ...]


def score(analysis: Analysis) -> Score:
    """Return the 0–100 score of an analysis, with one deduction per rule and severity."""
    groups: dict[tuple[str, str], list[float]] = {}
    for f in analysis.findings:
        points = POINTS[f.severity] * (0.5 if f.coverage == "partial" else 1.0)
        groups.setdefault((f.rule, f.severity), []).append(points)
    deductions = []
    for (rule, severity), points in groups.items():
        partial = sum(1 for p in points if p < POINTS[severity])
        taken = math.ceil(min(CAPS[severity], sum(points)))
        deductions.append(Deduction(rule, severity, len(points), partial, taken))
    deductions.sort(key=lambda d: (-d.points, SEVERITIES.index(d.severity), RULES.index(d.rule)))
    value = max(0, 100 - sum(d.points for d in deductions))
    return Score(value, tuple(deductions))
