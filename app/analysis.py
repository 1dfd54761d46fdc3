"""Ask the engine about a journey: its analysis and score, worked out once per revision.

A saved journey already has an identity: its id and its latest revision (every
save writes one in the same commit). :func:`gaps_for` keys the cache by that, so
a hit costs one small query and never builds, serialises or validates the
journey. A journey that is not saved (a what-if preview) is keyed by the digest
of its compact JSON (:func:`gaps_of`). Either way the journey object in hand is
analysed as it is: nothing is dumped and loaded again.

>>> revision_key(7, 3, "2026-12-02 01:00:00")
('journey', '7', '3', '2026-12-02 01:00:00')
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from cachetools import LRUCache
from sqlalchemy import inspect, select

from app import convert
from app.extensions import db
from app.models import Journey, Revision
from journeys import fileformat
from journeys import model as engine
from journeys.analysis import analyse
from journeys.findings import Analysis
from journeys.score import score

__all__ = [
    "Gaps",
    "content_key",
    "gaps_for",
    "gaps_of",
    "gaps_of_revisions",
    "journey_of",
    "revision_key",
    "top_fixes",
]

#: A cache key: ``("journey", id, revision number, revision time)`` or ``("digest", sha256)``.
Key = tuple[str, ...]

#: How many analyses (and rankings of fixes) a process keeps, least recently used out.
CACHE_SIZE = 128


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
    #: What this analysis is of (:data:`Key`): equal keys, equal journeys. The diagram
    #: cache names its files by it.
    key: Key = ()


_CACHE: LRUCache[Key, Gaps] = LRUCache(maxsize=CACHE_SIZE)
_TOP: LRUCache[Key, list[dict[str, Any]]] = LRUCache(maxsize=CACHE_SIZE)
_LOCK = threading.Lock()
#: The keys being analysed now, each with the lock its other requests wait on.
_BUSY: dict[Key, threading.Lock] = {}


def revision_key(journey_id: int, number: int, created_at: datetime | str) -> Key:
    """Return the cache key of a journey as saved at a revision.

    The revision's time is part of it so that a database made anew (the same ids
    and numbers again) never meets the analyses or diagrams of the old one.
    """
    return ("journey", str(journey_id), str(number), str(created_at))


def content_key(source: engine.Journey) -> Key:
    """Return the cache key of a journey that is not saved: the digest of its compact JSON."""
    text = json.dumps(fileformat.to_data(source), separators=(",", ":"), ensure_ascii=False)
    return ("digest", hashlib.sha256(text.encode("utf-8")).hexdigest())


def gaps_of(source: engine.Journey, key: Key | None = None) -> Gaps:
    """Return the engine's analysis and score of ``source``, from the cache when it is there.

    ``key`` says what ``source`` is (:func:`revision_key`); without one, the
    journey is keyed by its content (:func:`content_key`), as a what-if preview is.
    """
    return _analysed(key or content_key(source), lambda: source)


def gaps_for(journey: Journey, source: engine.Journey | None = None) -> Gaps:
    """Return the analysis of a saved journey as it stands: its latest revision's.

    A hit costs one small query. On a miss ``source`` is analysed, or, if the
    caller has none, the journey's rows (:func:`app.convert.to_engine`). The
    analysis's ``journey`` is then the engine's journey for these rows, so a
    caller that needs one can use ``gaps.analysis.journey`` instead of building it.
    """
    key = _latest_key(journey)
    if key is None:  # a journey from before revisions: keyed by content
        return gaps_of(source if source is not None else convert.to_engine(journey))
    return _analysed(key, lambda: source if source is not None else convert.to_engine(journey))


def journey_of(journey: Journey) -> engine.Journey:
    """Return the engine's journey of a saved journey as it stands, analysing nothing.

    The kept analysis's journey when its latest revision has been analysed (the
    map and the report keep it), else the journey built from its rows: a form
    that only reads the journey never waits for an analysis (minutes at 20,000
    touchpoints).
    """
    key = _latest_key(journey)
    found = _lookup(key) if key is not None else None
    return found.analysis.journey if found is not None else convert.to_engine(journey)


def _latest_key(journey: Journey) -> Key | None:
    """Return the cache key of the journey's latest revision, or None before any revision."""
    latest = db.session.execute(
        select(Revision.number, Revision.created_at)
        .where(Revision.journey_id == journey.id)
        .order_by(Revision.number.desc())
        .limit(1)
    ).first()
    return None if latest is None else revision_key(journey.id, latest.number, latest.created_at)


def gaps_of_revisions(revisions: Collection[Revision]) -> dict[int, Gaps]:
    """Return the analysis of each revision's journey, by revision id.

    A revision in the cache is not read further (load them with ``document``
    deferred); the documents of the others are read in one query, unless already
    loaded, and each is validated once, on that miss.
    """
    wanted = {r.id: revision_key(r.journey_id, r.number, r.created_at) for r in revisions}
    found = {rid: gaps for rid, key in wanted.items() if (gaps := _lookup(key)) is not None}
    documents = {
        r.id: r.document
        for r in revisions
        if r.id not in found and "document" not in inspect(r).unloaded
    }
    missing = [rid for rid in wanted if rid not in found and rid not in documents]
    if missing:
        read = db.session.execute(
            select(Revision.id, Revision.document).where(Revision.id.in_(missing))
        )
        documents.update((rid, document) for rid, document in read)
    for rid, document in documents.items():
        found[rid] = _analysed(wanted[rid], partial(fileformat.from_data, document))
    return found


def _lookup(key: Key) -> Gaps | None:
    with _LOCK:
        return _CACHE.get(key)


def _analysed(key: Key, make: Callable[[], engine.Journey]) -> Gaps:
    """Return the analysis kept under ``key``, or analyse ``make()`` now and keep it.

    Requests that miss the same key at once wait for the first one's analysis
    (minutes at 20,000 touchpoints) instead of each doing it again.
    """
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None:
            return found
        busy = _BUSY.setdefault(key, threading.Lock())
    try:
        with busy:
            found = _lookup(key)
            return found if found is not None else _analyse(make(), key)
    finally:
        with _LOCK:
            _BUSY.pop(key, None)


def _analyse(source: engine.Journey, key: Key) -> Gaps:
    """Return the analysis of ``source``, analysed now and kept under ``key``."""
    analysis = analyse(source)
    result = score(analysis)
    gaps = Gaps(
        analysis=analysis,
        score=result.value,
        critical=analysis.count("critical"),
        warning=analysis.count("warning"),
        info=analysis.count("info"),
        deductions=tuple(d.text for d in result.deductions),
        key=key,
    )
    with _LOCK:
        _CACHE[key] = gaps
    return gaps


def top_fixes(gaps: Gaps) -> list[dict[str, Any]]:
    """Return the engine's *Fix these first* for ``gaps``, kept per journey (its key).

    Ranking tries every suggested fix on a copy, so it is worked out once per
    revision, not once per page view.
    """
    from journeys.report import top_fixes_data

    with _LOCK:
        found = _TOP.get(gaps.key)
    if found is None:
        found = top_fixes_data(gaps.analysis)
        with _LOCK:
            _TOP[gaps.key] = found
    return found
