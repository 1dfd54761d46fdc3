"""Ask the engine about a journey: its analysis and score, cached per journey document."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from journeys import fileformat
from journeys import model as engine
from journeys.analysis import analyse
from journeys.findings import Analysis
from journeys.score import score

__all__ = ["Gaps", "gaps_of", "gaps_of_document", "top_fixes"]


@dataclass(frozen=True)
class Gaps:
    """What the engine found: the analysis, the score and the counts the lists show."""

    analysis: Analysis
    score: int
    critical: int
    warning: int
    info: int
    #: The score's one-line explanations, largest deduction first.
    deductions: tuple[str, ...] = ()
    #: SHA-256 of the journey's file text: equal journeys, equal digests (a cache key).
    digest: str = ""


def gaps_of(journey: engine.Journey) -> Gaps:
    """Return the engine's analysis and score of a journey."""
    return _gaps(fileformat.dumps(journey))


def gaps_of_document(document: dict[str, Any]) -> Gaps:
    """Return the engine's analysis and score of a stored journey document."""
    return gaps_of(fileformat.from_data(document))


@lru_cache(maxsize=128)
def _gaps(text: str) -> Gaps:
    # Keyed by the journey's own file text: equal journeys share one analysis,
    # and a changed journey can never be served a stale one.
    analysis = analyse(fileformat.loads(text))
    result = score(analysis)
    return Gaps(
        analysis=analysis,
        score=result.value,
        critical=analysis.count("critical"),
        warning=analysis.count("warning"),
        info=analysis.count("info"),
        deductions=tuple(d.text for d in result.deductions),
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


_TOP: dict[str, list[dict[str, Any]]] = {}
_TOP_SIZE = 128


def top_fixes(gaps: Gaps) -> list[dict[str, Any]]:
    """Return the engine's *Fix these first* for ``gaps``, kept per journey digest.

    Ranking tries every suggested fix on a copy, so it is worked out once per
    journey version, not once per page view.
    """
    from journeys.report import top_fixes_data

    found = _TOP.get(gaps.digest)
    if found is None:
        found = top_fixes_data(gaps.analysis)
        if len(_TOP) >= _TOP_SIZE:
            _TOP.pop(next(iter(_TOP)))
        _TOP[gaps.digest] = found
    return found
