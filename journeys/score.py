"""The journey score: findings and informed learners together (see docs/score.md).

Two parts make the score:

* the **findings points**: 100 minus capped deductions per kind of finding.
  Each finding costs points by severity; a ``missing-message`` gap that only
  some learners fall into (``partial``) costs half; findings of one rule and
  severity form one deduction, capped so that one kind of gap cannot hide all
  the others; never below 0;
* the **informed share**: from the reach model, the share of learners who have
  taken in each required message when the credential arrives, averaged over
  the ``by: issue`` checkpoints learners reach, weighted by severity points
  and by how many learners arrive there.

The score is the findings points times ``0.2 + 0.8 x informed share``, rounded
down, and below 50 (at most 49) while fewer than half the learners arriving at
an issue point have taken in a critical message. Where the reach model gives
no share at all (no issue point reached, or a loop too large to solve), the
score is the findings points alone.

>>> from journeys.findings import Analysis, Finding
>>> gap = Finding("missing-message", "critical", "b", "t", "claim", ("t",), "", "", "partial")
>>> result = score(Analysis(None, (gap, gap), (), frozenset()))
>>> result.value, [d.text for d in result.deductions]
(90, ['-10 for 2 critical missing-message findings (2 partial)'])
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from journeys.findings import RULES, Analysis, Checkpoint
from journeys.model import SEVERITIES

__all__ = [
    "CAPS",
    "FLOOR",
    "MAJORITY",
    "POINTS",
    "Deduction",
    "Score",
    "informed_share",
    "score",
    "weakest_critical",
]

#: Points one finding costs, by severity.
POINTS: dict[str, float] = {"critical": 10.0, "warning": 4.0, "info": 1.0}
#: The most one rule can cost at each severity.
CAPS: dict[str, float] = {"critical": 40.0, "warning": 20.0, "info": 5.0}
#: The share of the findings points a journey keeps when no learner is informed.
FLOOR = 0.2
#: Below this informed share of a critical message at an issue point, the score is below 50.
MAJORITY = 0.5
#: Shares are compared at this many digits, so that solver noise cannot move the score.
_DIGITS = 9

#: What each rule means in plain words, for the folded-away deductions.
_PLAIN: dict[str, str] = {
    "never-issued": "a credential is never issued on any path",
    "surprise-issue": "learners receive a credential nobody mentioned before",
    "missing-message": "learners are not told a message they need",
    "unreachable-touchpoint": "a touchpoint no learner reaches",
    "mention-without-explanation": "a credential is named but not explained",
    "no-early-mention": "a credential is not mentioned while learners are still learning",
    "no-employer-touchpoint": "no touchpoint speaks to or with employers",
    "no-faculty-voice": "faculty never speak about a credential",
    "undescribed-credential": "a credential lacks a description, criteria or skills",
}


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

    @property
    def plain(self) -> str:
        """Return the deduction in plain words, e.g. ``-30: learners are not told ...``."""
        times = "once" if self.count == 1 else f"{self.count} times"
        return f"-{self.points}: {_PLAIN.get(self.rule, self.rule)} ({self.severity}, {times})"


@dataclass(frozen=True)
class Score:
    """The score, the deductions that explain it (largest first) and the informed share."""

    value: int
    deductions: tuple[Deduction, ...]
    #: 100 minus the deductions, before the informed share is counted.
    findings_points: int = 100
    #: The weighted informed share at the issue points, or None where the reach model gives none.
    informed: float | None = None
    #: The critical issue checkpoint with the lowest informed share, if any has a share.
    weakest: Checkpoint | None = None

    @property
    def explanation(self) -> tuple[str, ...]:
        """Return how the value was reached, in plain words, one line each."""
        lines = [d.plain for d in self.deductions]
        if self.informed is None:
            lines.append("The reach model gives no informed share: findings alone set the score.")
            return tuple(lines)
        lines.append(
            f"Findings leave {self.findings_points} points; about {self.informed * 100:.0f}% of "
            f"the learners at the issue points know what they need, which keeps "
            f"{(FLOOR + (1 - FLOOR) * self.informed) * 100:.0f}% of them."
        )
        if self.weakest is not None and _rounded(self.weakest.expected_share) < MAJORITY:
            lines.append(
                "Fewer than half the learners arriving at an issue point know a critical "
                "message, so the score stays below 50."
            )
        return tuple(lines)


def _rounded(share: float | None) -> float:
    return round(share or 0.0, _DIGITS)


def _counted(c: Checkpoint) -> bool:
    return (
        c.by == "issue" and c.expected_share is not None and c.arrival is not None and c.arrival > 0
    )


def informed_share(analysis: Analysis) -> float | None:
    """Return the informed share at the issue points, weighted by severity and arrival.

    Each ``by: issue`` checkpoint learners reach counts with weight
    ``POINTS[severity] x arrival``; None where no checkpoint has a share.
    """
    weights = 0.0
    informed = 0.0
    for c in analysis.checkpoints:
        if _counted(c):
            weight = POINTS[c.severity] * float(c.arrival or 0.0)
            weights += weight
            informed += weight * _rounded(c.expected_share)
    if weights <= 0:
        return None
    return min(1.0, informed / weights)


def weakest_critical(analysis: Analysis) -> Checkpoint | None:
    """Return the critical issue checkpoint learners reach with the lowest informed share."""
    critical = [c for c in analysis.checkpoints if _counted(c) and c.severity == "critical"]
    if not critical:
        return None
    return min(critical, key=lambda c: _rounded(c.expected_share))


def score(analysis: Analysis) -> Score:
    """Return the 0–100 score of an analysis, its deductions and the informed share."""
    groups: dict[tuple[str, str], list[float]] = {}
    for f in analysis.findings:
        worth = POINTS[f.severity] * (0.5 if f.coverage == "partial" else 1.0)
        groups.setdefault((f.rule, f.severity), []).append(worth)
    deductions = []
    for (rule, severity), points in groups.items():
        partial = sum(1 for p in points if p < POINTS[severity])
        taken = math.ceil(min(CAPS[severity], sum(points)))
        deductions.append(Deduction(rule, severity, len(points), partial, taken))
    deductions.sort(key=lambda d: (-d.points, SEVERITIES.index(d.severity), RULES.index(d.rule)))
    findings_points = max(0, 100 - sum(d.points for d in deductions))
    informed = informed_share(analysis)
    weakest = weakest_critical(analysis)
    if informed is None:
        value = findings_points
    else:
        value = math.floor(findings_points * (FLOOR + (1 - FLOOR) * informed) + 1e-9)
        value = min(findings_points, value)
    if weakest is not None and _rounded(weakest.expected_share) < MAJORITY:
        value = min(value, 49)
    return Score(value, tuple(deductions), findings_points, informed, weakest)
