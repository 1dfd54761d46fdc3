"""What an analysis gives back: findings, checkpoints and the analysis itself."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from journeys.model import SEVERITIES, Journey

__all__ = ["RULES", "Analysis", "Checkpoint", "Finding", "worse"]

#: Every rule of spec section 4, in the order reports list them within a severity.
RULES: tuple[str, ...] = (
    "never-issued",
    "surprise-issue",
    "missing-message",
    "unreachable-touchpoint",
    "mention-without-explanation",
    "no-early-mention",
    "no-employer-touchpoint",
    "no-faculty-voice",
    "undescribed-credential",
)


@dataclass(frozen=True)
class Finding:
    """One communication gap, with the learner path that shows it where the rule has one."""

    rule: str
    severity: str
    credential: str | None
    touchpoint: str | None
    message: str | None
    witness: tuple[str, ...] | None
    summary: str
    advice: str
    #: ``none`` or ``partial``; only ``missing-message`` findings carry it.
    coverage: str | None = None


@dataclass(frozen=True)
class Checkpoint:
    """One (credential, message, checkpoint) of a requirement, covered or not."""

    credential: str
    message: str
    by: str
    touchpoint: str
    coverage: str
    severity: str
    #: Reach model (``by: issue`` only): probability a learner gets here.
    arrival: float | None = None
    #: Reach model: probability a learner who gets here has taken in the message.
    expected_share: float | None = None


def worse(a: str | None, b: str | None) -> str | None:
    """Return the worse of two severities, None meaning no finding.

    >>> worse("info", "critical"), worse(None, "warning"), worse(None, None)
    ('critical', 'warning', None)
    """
    if a is None:
        return b
    if b is None:
        return a
    return a if SEVERITIES.index(a) <= SEVERITIES.index(b) else b


@dataclass(frozen=True)
class Analysis:
    """Everything the engine found about a journey."""

    journey: Journey
    findings: tuple[Finding, ...]
    checkpoints: tuple[Checkpoint, ...]
    reachable: frozenset[str]

    @cached_property
    def worst_by_touchpoint(self) -> dict[str, str]:
        """Return the worst severity of the findings at each touchpoint that has one."""
        worst: dict[str, str] = {}
        for f in self.findings:
            if f.touchpoint is not None:
                worst[f.touchpoint] = worse(worst.get(f.touchpoint), f.severity) or f.severity
        return worst

    def count(self, severity: str) -> int:
        """Return how many findings have ``severity``."""
        return sum(1 for f in self.findings if f.severity == severity)
