"""The engine's exceptions, in one place."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["JourneyError", "JourneyInvalid", "Problem", "RenderError"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a journey file, at a location such as ``touchpoints[3].stage``.

    >>> str(Problem("touchpoints[3].stage", "unknown stage 'enroll' (known: enrol, award)"))
    "touchpoints[3].stage: unknown stage 'enroll' (known: enrol, award)"
    """

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class JourneyError(Exception):
    """Base class of every error the engine raises on purpose."""


class JourneyInvalid(JourneyError, ValueError):
    """A journey file that cannot be loaded; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the journey"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


class RenderError(JourneyError):
    """A diagram that could not be rendered: Graphviz missing, too slow, or too large."""
