"""Gap diagrams for the web: drawn by the engine once per journey content, within limits.

A diagram is cached as a file under the instance folder (``diagrams/``), keyed
by the journey's digest, the options and the renderer's own source, so every
worker shares it, it survives a restart, and a changed journey (or renderer)
is never served a stale one. The folder is kept under a size bound, oldest
first out.

Drawing has a time limit and a size limit. A journey past either gets the
stage-level diagram with a message saying why; the failure is remembered
(with the limits it hit), so the next request does not wait again.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from flask import current_app

from app.analysis import Gaps
from journeys import render
from journeys.errors import RenderError

__all__ = ["Diagram", "diagram", "inline_svg", "setting"]

#: What :func:`diagram` can give: the engine's formats, and ``inline`` (sanitised SVG).
FORMATS = (*render.FORMATS, "inline")

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


class _Failed(Exception):
    """A diagram could not be drawn; the message is already in words for people."""


class _Pending(Exception):
    """A diagram is not in the cache, and drawing it now was not asked for."""


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


def setting(name: str) -> Any:
    """Return a diagram setting from the app's config (defaults: ``app.config.DEFAULTS``).

    Kept for callers still being written; new code reads ``current_app.config[name]``.
    """
    return current_app.config[name]


def _folder() -> Path:
    folder = Path(
        current_app.config["DIAGRAM_CACHE_DIR"] or Path(current_app.instance_path) / "diagrams"
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # an unwritable place: diagrams are drawn without caching (issue 9)
    return folder


@cache
def _renderer() -> str:
    """Return a digest of the code that analyses and draws: a new engine invalidates the cache."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for module in sorted(Path(render.__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())
    return digest.hexdigest()[:16]


def _key(gaps: Gaps, fmt: str, finding: int | None, stage_level: bool, link: str | None) -> str:
    parts = (_renderer(), gaps.digest, fmt, str(finding), str(stage_level), link or "")
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


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
    try:
        return _diagram(gaps, fmt, finding, stage_level, link, draw)
    except _Pending:
        return Diagram(None, fmt, stage_level, pending=True)


def _diagram(
    gaps: Gaps, fmt: str, finding: int | None, stage_level: bool, link: str | None, draw: bool
) -> Diagram:
    if fmt not in FORMATS:
        raise ValueError(f"unknown diagram format {fmt!r}")
    findings = gaps.analysis.findings
    if finding is not None and not 1 <= finding <= len(findings):
        finding = None
    notice = None
    if not stage_level:
        size = len(gaps.analysis.journey.touchpoints)
        limit = current_app.config["DIAGRAM_MAX_TOUCHPOINTS"]
        if fmt != "dot" and size > limit:
            notice = (
                f"This journey has {size} touchpoints, more than the {limit} the gap diagram "
                "draws one by one, so it is drawn stage by stage."
            )
        else:
            data, notice = _cached(gaps, fmt, finding, False, link, draw)
            if data is not None:
                return Diagram(data, fmt, False)
    data, problem = _cached(gaps, fmt, finding, True, None, draw)
    return Diagram(data, fmt, True, notice or (problem if data is None else None))


def _cached(
    gaps: Gaps,
    fmt: str,
    finding: int | None,
    stage_level: bool,
    link: str | None,
    draw: bool = True,
) -> tuple[bytes | None, str | None]:
    """Return the diagram's bytes, or None and why it cannot be drawn; cache either.

    Raises ``_Pending`` when neither is cached and ``draw`` is false.
    """
    folder = _folder()
    key = _key(gaps, fmt, finding, stage_level, link)
    path = folder / f"{key}.{fmt}"
    timeout = current_app.config["DIAGRAM_TIMEOUT"]
    failed = folder / f"{key}-{timeout:g}.failed"
    for known in (path, failed):
        try:
            data = known.read_bytes()
        except OSError:  # not there, or a folder that cannot be read: draw it
            continue
        _touch(known)
        return (data, None) if known is path else (None, data.decode("utf-8"))
    if not draw:
        raise _Pending
    try:
        data = _draw(gaps, fmt, finding, stage_level, link, timeout)
    except _Failed as exc:
        return None, str(exc)  # the SVG it is made from failed, and is remembered
    except (RenderError, ET.ParseError) as exc:
        problem = _in_words(str(exc), timeout, len(gaps.analysis.journey.touchpoints))
        _store(failed, problem.encode("utf-8"))
        return None, problem
    _store(path, data)
    return data, None


def _draw(
    gaps: Gaps,
    fmt: str,
    finding: int | None,
    stage_level: bool,
    link: str | None,
    timeout: float,
) -> bytes:
    """Return the diagram drawn by the engine now; raise ``RenderError`` past a limit."""
    if fmt == "inline":
        svg, problem = _cached(gaps, "svg", finding, stage_level, link)
        if svg is None:
            raise _Failed(problem)
        return inline_svg(svg).encode("utf-8")
    analysis = gaps.analysis
    highlight = analysis.findings[finding - 1] if finding else None
    href = None
    if link is not None:
        href = lambda key: link.replace("{key}", key)  # noqa: E731
    return render.render_bytes(
        analysis,
        fmt,
        timeout=timeout,
        max_touchpoints=len(analysis.journey.touchpoints),  # checked above, in words
        highlight=highlight,
        href=href,
        stage_level=stage_level,
    )


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


def _store(path: Path, data: bytes) -> None:
    """Write a cache file atomically, then trim the folder to its size bound."""
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    except OSError:
        # A read-only, missing or full folder: serve the diagram without caching it.
        current_app.logger.warning("could not cache the diagram %s", path.name)
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(temp, path)
    except OSError:
        Path(temp).unlink(missing_ok=True)
        current_app.logger.warning("could not cache the diagram %s", path.name)
        return
    _trim(path.parent, current_app.config["DIAGRAM_CACHE_BYTES"])


def _trim(folder: Path, bound: int) -> None:
    """Delete the least recently used files until the folder holds at most 3/4 of ``bound``."""
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
        return
    for _, size, name in sorted(files):
        Path(name).unlink(missing_ok=True)
        total -= size
        if total <= bound * 3 // 4:
            break


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
