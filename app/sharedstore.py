"""Redis as the store that several app servers share (issue 9), when ``REDIS_URL`` is set.

``CLAIMPATH_REDIS_URL`` (see :mod:`app.config`) sets both ``REDIS_URL`` and
Flask-Limiter's ``RATELIMIT_STORAGE_URI``, so the rate-limit counters and the
diagram cache (:mod:`app.report.diagrams`, through its :class:`Store`
interface) live in one Redis that every machine sees. Without it, counters stay
in each process and diagrams in each machine's folder. Redis being away never
fails a page: a miss is drawn again, a drawing that cannot be kept is served.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

__all__ = ["PREFIX", "RedisStore", "register"]

#: Every key this app writes starts with this, so one Redis can serve other things too.
PREFIX = "claimpath:diagram:"
#: Seconds a drawing is kept after it was last written; Redis's own eviction may go first.
KEEP = 30 * 24 * 3600
#: Where the lock of one drawing being drawn lives (``LOCKS + name``).
LOCKS = "claimpath:drawing:"


@dataclass
class RedisStore:
    """A diagram :class:`~app.report.diagrams.Store` in Redis, keyed ``PREFIX + name``."""

    url: str
    keep: int = KEEP
    _client: Any = field(default=None, repr=False)

    def _redis(self) -> Any:
        if self._client is None:
            import redis  # the ``redis`` extra: only deployments that set REDIS_URL need it

            self._client = redis.Redis.from_url(self.url, socket_timeout=2)
        return self._client

    def get(self, name: str) -> bytes | None:
        """Return the drawing kept under ``name``, or None (also when Redis does not answer)."""
        try:
            return self._redis().get(PREFIX + name)
        except Exception as exc:  # any Redis trouble is a cache miss
            current_app.logger.warning("the shared diagram cache did not answer: %s", exc)
            return None

    def put(self, name: str, data: bytes) -> None:
        """Keep ``data`` under ``name`` for :data:`KEEP` seconds; Redis trouble is only logged."""
        try:
            self._redis().set(PREFIX + name, data, ex=self.keep)
        except Exception as exc:  # the drawing is served anyway
            current_app.logger.warning("could not keep the diagram %s in Redis: %s", name, exc)

    @contextlib.contextmanager
    def lock(self, name: str, wait: float) -> Iterator[bool]:
        """Hold a Redis lock for drawing ``name`` on every machine, waiting at most ``wait`` s.

        Gives False, holding nothing, when another holder kept it all that time
        or Redis does not answer. The lock expires on its own after twice the
        wait, so a worker killed while drawing holds nobody up for long.
        """
        lock = None
        try:
            lock = self._redis().lock(
                LOCKS + name, timeout=2 * wait + 5, blocking_timeout=max(wait, 0.01)
            )
            got = bool(lock.acquire())
        except Exception as exc:  # Redis away: draw without the lock
            current_app.logger.warning("the shared drawing lock did not answer: %s", exc)
            got = False
        try:
            yield got
        finally:
            if got and lock is not None:
                with contextlib.suppress(Exception):  # expired, or Redis gone meanwhile
                    lock.release()


def register(app: Flask) -> None:
    """Keep the app's diagrams in Redis when ``REDIS_URL`` is set."""
    from app.report.diagrams import STORE  # the report wing, loaded with the app's screens

    url = app.config.get("REDIS_URL")
    if url:
        app.extensions[STORE] = RedisStore(url)
