"""Gap diagrams for the web, drawn by the engine once per journey revision, within limits.

One cache for every drawing the web serves: the gap diagram (:func:`diagram`),
the paged files and the deck (:mod:`app.report.paged`) and any other view.
:func:`cached` is its one entry point::

    data, ext = diagrams.cached(gaps, "pdf", ("poster", page), lambda timeout: draw(timeout))

``gaps`` (:func:`app.analysis.gaps_for`) says which journey and revision,
``fmt`` and ``parts`` say which drawing of it, and ``draw(timeout)`` makes it
on a miss, returning its bytes, or ``(bytes, ext)`` when the file is of another
kind (``zip`` for several pages). The key also holds a digest of the code that
draws (``journeys/`` and ``app/report/``), so a new release never serves an old
drawing. A drawing that fails past a limit (:class:`~journeys.errors.RenderError`:
too large, too slow, no Graphviz) is remembered as :class:`Failed` with the
reason in words for people: the next request for the same revision gets the
reason at once instead of waiting again, until the time limit setting changes.

The drawings are kept in a :class:`Store`: by default a folder
(``DIAGRAM_CACHE_DIR``, else ``diagrams/`` in the instance folder), shared by
every worker and surviving a restart, trimmed oldest first past
``DIAGRAM_CACHE_BYTES``; a folder that cannot be written is tolerated (drawings
are served, not kept). A deployment shares one store between machines by
putting any object with ``get(name)`` and ``put(name, data)`` into
``app.extensions[STORE]``.

Each drawing is made once even when several threads and worker processes miss
it at the same moment (after a save, every worker that serves the new
revision's report would otherwise draw it): the first takes a lock per name,
a threading lock within the process and the store's own ``lock(name, wait)``
across processes (:meth:`FolderStore.lock`: ``flock`` on a lock file; the Redis
store: a Redis lock), and the others wait for it, then find the drawing kept.
The wait is bounded by the time limit: past it, or when no lock can be had
(an unwritable folder, Redis away), a request draws on its own.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from flask import current_app

from app.analysis import Gaps
from journeys import render
from journeys.errors import RenderError

__all__ = [
    "STORE",
    "Diagram",
    "Failed",
    "FolderStore",
    "Pending",
    "Store",
    "cached",
    "diagram",
    "inline_svg",
    "too_many",
]

#: What :func:`diagram` can give: the engine's formats, and ``inline`` (sanitised SVG).
FORMATS = (*render.FORMATS, "inline")
#: The ``app.extensions`` name of a shared :class:`Store`, when a deployment sets one.
STORE = "claimpath.diagram_store"

_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"
ET.register_namespace("", _SVG)
ET.register_namespace("xlink", _XLINK)
# Everything Graphviz draws with; any other element (script, foreignObject, style,
# animation) is dropped from an inlined diagram.
_ELEMENTS = frozenset(
    "svg g a title polygon polyline path ellipse circle rect line text tspan "
    "defs linearGradient radialGradient stop".split()
)
_LINKS = (f"{{{_XLINK}}}href", "href")
_PREFIX = "gd-"
#: Seconds between tries for a lock another process holds.
_POLL = 0.01
#: Seconds a process trusts its own count of a cache folder's bytes (see :func:`_trim`).
_RECOUNT = 5.0
_COUNTED: dict[Path, tuple[int, float]] = {}  # folder: (bytes, when last counted)
_COUNTED_LOCK = threading.Lock()


class Failed(Exception):
    """A drawing could not be made within the limits; ``notice`` says why, for people."""

    def __init__(self, notice: str) -> None:
        super().__init__(notice)
        self.notice = notice


class Pending(Exception):
    """A drawing is not in the cache, and making it now was not asked for."""


class Store(Protocol):
    """Where drawings are kept, by name; every worker that shares it sees the others' drawings."""

    def get(self, name: str) -> bytes | None:
        """Return what was put under ``name``, or None."""

    def put(self, name: str, data: bytes) -> None:
        """Keep ``data`` under ``name``; a store that cannot keep it says so in the log."""

    # Optional: ``lock(name, wait)``, a context manager giving True once this process
    # alone may draw ``name`` (other processes wait), False when no lock could be had
    # within ``wait`` seconds. A store without it is locked within each process only.


@dataclass(frozen=True)
class FolderStore:
    """A :class:`Store` in a folder, trimmed least recently used first past ``bound`` bytes."""

    folder: Path
    bound: int

    def get(self, name: str) -> bytes | None:
        """Return the file's bytes, marking it used; None when it is not there or unreadable."""
        path = self.folder / name
        try:
            data = path.read_bytes()
        except OSError:
            return None
        _touch(path)
        return data

    def put(self, name: str, data: bytes) -> None:
        """Write the file atomically, then trim the folder to its bound."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        except OSError:
            # A read-only, missing or full place: serve the drawing without keeping it.
            current_app.logger.warning("could not cache the diagram %s", name)
            return
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(temp, self.folder / name)
        except OSError:
            Path(temp).unlink(missing_ok=True)
            current_app.logger.warning("could not cache the diagram %s", name)
            return
        _trim(self.folder, self.bound, len(data))

    @contextlib.contextmanager
    def lock(self, name: str, wait: float) -> Iterator[bool]:
        """Hold an exclusive ``flock`` for ``name`` across processes, waiting at most ``wait`` s.

        Gives False, holding nothing, when the lock file cannot be made (an
        unwritable folder) or another process held it all that time. The lock
        file, beside the drawing's, is removed on release; a waiter that then
        holds a removed file's lock takes the new one instead.
        """
        path = self.folder / f"{name}.lock"
        fd = _flock(path, time.monotonic() + wait)
        try:
            yield fd is not None
        finally:
            if fd is not None:
                with contextlib.suppress(OSError):
                    path.unlink()
                os.close(fd)  # closing releases the flock


def _flock(path: Path, deadline: float) -> int | None:
    """Return a descriptor of ``path`` holding its exclusive flock, or None past ``deadline``."""
    while True:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return None
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        os.close(fd)
                        return None
                    time.sleep(_POLL)
            # The holder before may have removed the file on release: lock the one there now.
            if os.fstat(fd).st_ino == os.stat(path).st_ino:
                return fd
        except FileNotFoundError:
            pass
        except OSError:  # no flock here (some network folders): draw without the lock
            os.close(fd)
            return None
        os.close(fd)
        if time.monotonic() >= deadline:
            return None


class _KeyLocks:
    """Threading locks by name, each kept only while a thread holds or waits for it."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[threading.Lock, int]] = {}

    @contextlib.contextmanager
    def hold(self, name: str, wait: float) -> Iterator[bool]:
        """Hold ``name``'s lock, waiting at most ``wait`` s; give whether it was had."""
        with self._guard:
            lock, users = self._locks.get(name, (None, 0))
            if lock is None:
                lock = threading.Lock()
            self._locks[name] = (lock, users + 1)
        got = lock.acquire(timeout=max(wait, 0))
        try:
            yield got
        finally:
            if got:
                lock.release()
            with self._guard:
                lock, users = self._locks[name]
                if users == 1:
                    del self._locks[name]
                else:
                    self._locks[name] = (lock, users - 1)


_DRAWING = _KeyLocks()


@dataclass(frozen=True)
class Diagram:
    """A drawn diagram, or the reason it could not be drawn as asked."""

    #: The file (or, for ``inline``, UTF-8 SVG markup); None when nothing could be drawn.
    data: bytes | None
    fmt: str
    #: Drawn stage by stage: asked for, or fallen back to past a limit.
    stage_level: bool
    #: Why the touchpoint diagram is not shown, in words for people.
    notice: str | None = None
    #: Not drawn yet: ``draw=False`` and it was not in the cache.
    pending: bool = False


def store() -> Store:
    """Return the app's diagram store: the shared one if set (:data:`STORE`), else the folder."""
    shared = current_app.extensions.get(STORE)
    if shared is not None:
        return shared
    config = current_app.config
    folder = Path(config["DIAGRAM_CACHE_DIR"] or Path(current_app.instance_path) / "diagrams")
    return FolderStore(folder, config["DIAGRAM_CACHE_BYTES"])


@cache
def _code() -> str:
    """Return a digest of the code that analyses and draws: a new release invalidates the cache."""
    digest = hashlib.sha256()
    for package in (Path(render.__file__).parent, Path(__file__).parent):
        for module in sorted(package.glob("*.py")):
            digest.update(module.read_bytes())
    return digest.hexdigest()[:16]


def cached(
    gaps: Gaps,
    fmt: str,
    parts: Sequence[object],
    draw: Callable[[float], bytes | tuple[bytes, str]],
    *,
    make: bool = True,
) -> tuple[bytes, str]:
    """Return a drawing of ``gaps``'s journey and its file extension, drawn at most once.

    ``fmt`` is what was asked for (``svg``, ``pdf``, ``inline``, ...) and the
    extension unless ``draw`` says otherwise; ``parts`` is everything else that
    changes the drawing (view, page, highlighted finding, stage level, links),
    each written with ``str``. On a miss ``draw(timeout)`` makes it, with the
    ``DIAGRAM_TIMEOUT`` setting as its time limit.

    Raises :class:`Failed` when drawing fails past a limit, now or on an earlier
    request under the same time limit; :class:`Pending` on a miss when not ``make``.
    """
    key = "\x1f".join((_code(), *gaps.key, fmt, *(str(p) for p in parts)))
    name = f"{hashlib.sha256(key.encode('utf-8')).hexdigest()}.{fmt}"
    timeout = current_app.config["DIAGRAM_TIMEOUT"]
    shelf = store()
    kept = _kept(shelf.get(name), timeout)
    if kept is not None:
        return kept
    if not make:
        raise Pending
    # Whoever drew it while this request waited has kept it: look again once the lock is had.
    wait = timeout + 1
    started = time.monotonic()
    with _DRAWING.hold(name, wait) as here:
        shared = getattr(shelf, "lock", None)
        across = shared(name, wait - (time.monotonic() - started)) if shared else _unlocked()
        with across as everywhere:
            if here or everywhere:
                kept = _kept(shelf.get(name), timeout)
                if kept is not None:
                    return kept
            try:
                drawn = draw(timeout)
            except (RenderError, ET.ParseError) as exc:
                notice = _in_words(str(exc), timeout, len(gaps.analysis.journey.touchpoints))
                shelf.put(name, f"failed {timeout:g}\n".encode() + notice.encode("utf-8"))
                raise Failed(notice) from None
            data, ext = drawn if isinstance(drawn, tuple) else (drawn, fmt)
            shelf.put(name, f"ok {ext}\n".encode() + data)
            return data, ext


def _kept(kept: bytes | None, timeout: float) -> tuple[bytes, str] | None:
    """Return a kept drawing and its extension, or None to draw it; raise :class:`Failed`."""
    if kept is None:
        return None
    head, _, body = kept.partition(b"\n")
    kind, _, value = head.decode("ascii", "replace").partition(" ")
    if kind == "ok" and value:
        return body, value
    if kind == "failed" and value == f"{timeout:g}":
        raise Failed(body.decode("utf-8"))
    # Failed under another time limit (or not ours): draw it again.
    return None


@contextlib.contextmanager
def _unlocked() -> Iterator[bool]:
    """A store without a lock of its own: nothing is held across processes."""
    yield False


def too_many(gaps: Gaps) -> str | None:
    """Return why the journey is drawn stage by stage when it has too many touchpoints, or None."""
    size = len(gaps.analysis.journey.touchpoints)
    limit = current_app.config["DIAGRAM_MAX_TOUCHPOINTS"]
    if size <= limit:
        return None
    return (
        f"This journey has {size} touchpoints, more than the {limit} the gap diagram "
        "draws one by one, so it is drawn stage by stage."
    )


def diagram(
    gaps: Gaps,
    fmt: str,
    *,
    finding: int | None = None,
    stage_level: bool = False,
    link: str | None = None,
    draw: bool = True,
) -> Diagram:
    """Return the gap diagram of ``gaps`` as ``fmt``, from the cache when it is there.

    ``finding`` (1-based, in report order) highlights that finding's witness path;
    ``link`` is a URL with ``{key}`` where each touchpoint's id goes, making the
    touchpoints links. Past the limits, or if Graphviz fails, the diagram falls
    back to the stage-level one, with ``notice`` saying why. With ``draw=False``
    a diagram not yet in the cache comes back ``pending`` instead of drawn.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown diagram format {fmt!r}")
    if finding is not None and not 1 <= finding <= len(gaps.analysis.findings):
        finding = None
    notice = None
    try:
        if not stage_level:
            notice = too_many(gaps) if fmt != "dot" else None
            if notice is None:
                try:
                    return Diagram(_gap(gaps, fmt, finding, False, link, draw), fmt, False)
                except Failed as exc:
                    notice = exc.notice
        try:
            return Diagram(_gap(gaps, fmt, finding, True, None, draw), fmt, True, notice)
        except Failed as exc:
            return Diagram(None, fmt, True, notice or exc.notice)
    except Pending:
        return Diagram(None, fmt, stage_level, pending=True)


def _gap(
    gaps: Gaps, fmt: str, finding: int | None, stage_level: bool, link: str | None, make: bool
) -> bytes:
    """Return the gap diagram's bytes from the cache, drawing them if ``make``."""

    def draw(timeout: float) -> bytes:
        if fmt == "inline":
            # The SVG it is made from is cached (or its failure remembered) on its own.
            return inline_svg(_gap(gaps, "svg", finding, stage_level, link, True)).encode("utf-8")
        analysis = gaps.analysis
        href = None
        if link is not None:
            href = lambda key: link.replace("{key}", key)  # noqa: E731
        return render.render_bytes(
            analysis,
            fmt,
            timeout=timeout,
            max_touchpoints=len(analysis.journey.touchpoints),  # checked by too_many, in words
            highlight=analysis.findings[finding - 1] if finding else None,
            href=href,
            stage_level=stage_level,
        )

    return cached(gaps, fmt, ("gap", finding, stage_level, link or ""), draw, make=make)[0]


def _in_words(error: str, timeout: float, size: int) -> str:
    """Return a render failure as the page says it."""
    if "longer than" in error:
        return (
            f"Drawing this journey's {size} touchpoints took longer than the {timeout:g} s "
            "allowed, so it is drawn stage by stage."
        )
    return f"The gap diagram could not be drawn: {error}"


def _touch(path: Path) -> None:
    """Mark a cache file as used, at most once a minute (the cleanup drops the least used)."""
    try:
        if time.time() - path.stat().st_mtime > 60:
            os.utime(path)
    except OSError:
        pass


def _trim(folder: Path, bound: int, added: int) -> None:
    """Delete the least recently used files until the folder holds at most 3/4 of ``bound``.

    Counting a folder of thousands of drawings on every write cost each save's
    first report a few milliseconds: a process adds up what it wrote since it
    last counted, and counts again only once that passes ``bound`` or
    :data:`_RECOUNT` seconds have gone by (other workers write too).
    """
    now = time.monotonic()
    with _COUNTED_LOCK:
        known = _COUNTED.get(folder)
        if known is not None and known[0] + added <= bound and now - known[1] < _RECOUNT:
            _COUNTED[folder] = (known[0] + added, known[1])
            return
    total = _trimmed(folder, bound)
    with _COUNTED_LOCK:
        _COUNTED[folder] = (total, now)


def _trimmed(folder: Path, bound: int) -> int:
    """Return the folder's bytes after deleting the least recently used files past ``bound``."""
    files = []
    for entry in os.scandir(folder):
        try:
            stat = entry.stat()
        except OSError:
            continue
        if entry.is_file():
            files.append((stat.st_mtime, stat.st_size, entry.path))
    total = sum(size for _, size, _ in files)
    if total <= bound:
        return total
    for _, size, name in sorted(files):
        Path(name).unlink(missing_ok=True)
        total -= size
        if total <= bound * 3 // 4:
            break
    return total


def inline_svg(svg: bytes) -> str:
    """Return Graphviz SVG as markup safe to put inside a page.

    Only drawing elements are kept (no script, foreignObject or style), event
    handler and style attributes are dropped, links must stay on this site, and
    every id is prefixed so that none collides with the page's own.

    >>> print(inline_svg(b'<svg><script>alert(1)</script><g id="a" onclick="x()">'
    ...                  b'<a href="javascript:x()"><text>Hi</text></a></g></svg>'))
    <svg class="gap-diagram"><g id="gd-a"><a><text>Hi</text></a></g></svg>
    """
    root = ET.fromstring(svg)  # noqa: S314 (Graphviz's output: user text arrives escaped)
    _clean(root)
    root.set("class", "gap-diagram")
    return ET.tostring(root, encoding="unicode")


def _clean(element: ET.Element) -> None:
    for child in list(element):
        local = child.tag.rpartition("}")[2]
        # Titles hold node names and "a->b": noise for screen readers; links keep tooltips.
        if local not in _ELEMENTS or local == "title":
            element.remove(child)
        else:
            _clean(child)
    for name, value in list(element.attrib.items()):
        local = name.rpartition("}")[2]
        if local.startswith("on") or local == "style":
            del element.attrib[name]
        elif name in _LINKS:
            if not (value.startswith("/") and not value.startswith("//")):
                del element.attrib[name]
        elif local == "id":
            element.set(name, _PREFIX + value)
        elif "url(#" in value:
            element.set(name, value.replace("url(#", f"url(#{_PREFIX}"))
