"""The gap diagram: a journey's stages and touchpoints drawn with Graphviz.

Stages are left-to-right clusters in journey order. A touchpoint's worst finding
sets its colour *and* its shape and border, so the diagram also reads in grayscale
and for colour-blind viewers. The DOT statements are written here, in one place
(:mod:`journeys.dot`), which is faster than the ``graphviz`` package's
per-attribute quoting; text a user wrote reaches them only through
:func:`journeys.dot.label` or :func:`journeys.dot.tooltip`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import graphviz

from journeys import dot
from journeys.errors import RenderError
from journeys.findings import Analysis, Finding, worse
from journeys.model import Touchpoint
from journeys.report import counted

__all__ = ["FORMATS", "build_graph", "render_bytes", "render_file", "to_dot"]

#: Output formats by file extension, with their MIME types.
FORMATS: dict[str, str] = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
    "dot": "text/vnd.graphviz",
}


def _look(shape: str, style: str, fill: str, border: str, **more: str) -> dict[str, str]:
    """Return node attributes for a shape, a border style and two colours."""
    return {"shape": shape, "style": style, "fillcolor": fill, "color": border, **more}


# Okabe-Ito hues (colour-blind safe) as borders with light tints as fills; the
# shape and the border style say the same without colour.
_SEVERITY_STYLE: dict[str | None, dict[str, str]] = {
    "critical": _look("octagon", "filled,bold", "#F9CBB3", "#A63D00", peripheries="2"),
    "warning": _look("hexagon", "filled,dashed", "#FCE7B2", "#8A5F00"),
    "info": _look("box", "filled,dotted", "#D4E8F5", "#0072B2"),
    None: _look("box", "filled,rounded", "#FFFFFF", "#555555"),
}
_LEGEND = (
    ("critical", "Critical gap: octagon, double border"),
    ("warning", "Warning (or unreachable): hexagon, dashed border"),
    ("info", "Info: box, dotted border"),
    (None, "No finding: rounded box"),
)
_FONT = "Helvetica,Arial,sans-serif"
_HIGHLIGHT = "#5E3C99"
_HEAD = (
    "\tgraph [rankdir=LR newrank=true outputorder=edgesfirst nodesep=0.3 ranksep=0.5"
    f' fontname="{_FONT}" labelloc=t]\n'
    f'\tnode [fontname="{_FONT}" fontsize=11 margin="0.12,0.06"]\n'
    f'\tedge [fontname="{_FONT}" fontsize=9 color="#4D4D4D" arrowsize=0.7 class=transition]\n'
)
_CLUSTER = {"style": "rounded,filled", "fillcolor": "#F4F4F4", "color": "#BBBBBB", "fontsize": "13"}
_EDGE_DIMMED = {"color": "#AAAAAA"}
_EDGE_WITNESS = {
    "color": _HIGHLIGHT,
    "fontcolor": _HIGHLIGHT,
    "penwidth": "4",
    "style": "bold",
    "arrowsize": "1.1",
    "class": "transition witness",
}
_INVISIBLE = {"style": "invis", "weight": "0"}
#: Stage-level diagrams of long journeys wrap after this many stages.
_STAGES_PER_ROW = 8
_ANCHOR = {"shape": "point", "style": "invis", "width": "0", "height": "0"}


def _percent(share: float) -> str:
    """Return a transition share as a percentage label.

    >>> _percent(0.8), _percent(1 / 3), _percent(0.005)
    ('80%', '33.3%', '0.5%')
    """
    return f"{share * 100:.3g}%"


def _witness(finding: Finding | None) -> tuple[set[str], dict[tuple[str, str], list[int]]]:
    """Return the touchpoints a finding highlights and its step numbers by transition."""
    if finding is None:
        return set(), {}
    path = finding.witness or ((finding.touchpoint,) if finding.touchpoint else ())
    steps: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, pair in enumerate(zip(path, path[1:], strict=False), start=1):
        steps[pair].append(i)
    return set(path), steps


def _loops(edges: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Return the edges that close a cycle, found by depth-first search in edge order.

    >>> sorted(_loops([("a", "b"), ("b", "c"), ("c", "a"), ("a", "c"), ("c", "c")]))
    [('c', 'a'), ('c', 'c')]
    """
    out: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        out[a].append(b)
    state: dict[str, bool] = {}  # True while on the search path, False once done
    loops: set[tuple[str, str]] = set()
    for root in list(out):
        if root in state:
            continue
        state[root], stack = True, [(root, iter(out[root]))]
        while stack:
            node, todo = stack[-1]
            for nxt in todo:
                if state.get(nxt):
                    loops.add((node, nxt))
                elif nxt not in state:
                    state[nxt] = True
                    stack.append((nxt, iter(out[nxt])))
                    break
            else:
                state[node] = False
                stack.pop()
    return loops


def build_graph(
    analysis: Analysis,
    *,
    highlight: Finding | None = None,
    href: Callable[[str], str] | None = None,
    stage_level: bool = False,
    legend: bool = True,
    titled: bool = True,
) -> graphviz.Digraph:
    """Return the gap diagram of ``analysis`` as an unrendered :class:`graphviz.Digraph`.

    ``legend=False`` and ``titled=False`` leave out the legend and the title, for
    :mod:`journeys.pages`, which draws both once per printed page.

    Why the ``graphviz`` dependency stays: the DOT text itself is written by hand
    (for speed, and so :func:`render_bytes` controls the timeout), but handing it
    back as a ``Digraph`` gives notebook users ``_repr_svg_`` (the diagram shows
    inline in Jupyter) and ``.render()`` / ``.pipe()`` without another tool;
    the engine's own callers only read ``.source``.
    """
    journey = analysis.journey
    counts = ", ".join(f"{analysis.count(s)} {s}" for s in ("critical", "warning", "info"))
    title = (
        f'<<B>{dot.label(journey.title)}</B><BR/><FONT POINT-SIZE="10">findings: {counts}</FONT>>'
    )
    out = [_HEAD]
    if titled:
        out.append(dot.statement("graph", {"label": title, "tooltip": dot.tooltip(journey.title)}))
    on_path, steps = _witness(highlight)
    if stage_level:
        _draw_stages(out, analysis, on_path, steps)
    else:
        _draw_touchpoints(out, analysis, on_path, steps, highlight, href)
    if legend:
        _draw_legend(out, highlight, len(journey.stages), stage_level)
    return graphviz.Digraph("journey", body=out)


def _touchpoint(
    tp: Touchpoint, analysis: Analysis, notes: list[str], stage: str, flags: dict[str, bool]
) -> dict[str, str]:
    """Return the DOT attributes of a touchpoint's node."""
    severity = analysis.worst_by_touchpoint.get(tp.id)
    attrs = dict(_SEVERITY_STYLE[severity], id=f"tp-{tp.id}")
    classes, small = ["touchpoint", f"sev-{severity or 'none'}"], [dot.label(tp.channel)]
    if tp.issues:
        names = analysis.journey.credential_by_id
        awarded = ", ".join(names[c].name if c in names else c for c in tp.issues)
        small.append(f"<B>★ awards {dot.label(awarded, 40, 2)}</B>")
        classes.append("issues")
    if tp.id not in analysis.reachable:
        small.append("<I>unreachable</I>")
        attrs["fontcolor"] = "#595959"
        classes.append("unreachable")
    if flags["witness"]:
        attrs.update(color=_HIGHLIGHT, penwidth="3")
        classes.append("witness")
    if flags["checkpoint"]:
        small.append(f'<B><FONT COLOR="{_HIGHLIGHT}">◆ highlighted finding</FONT></B>')
        classes.append("checkpoint")
    if flags["entry"]:
        classes.append("entry")
    head = "<B>▶ START</B><BR/>" if flags["entry"] else ""
    small_text = "<BR/>".join(small)
    attrs["label"] = (
        f'<{head}{dot.label(tp.title, 24)}<BR/><FONT POINT-SIZE="9">{small_text}</FONT>>'
    )
    more = [f"… and {len(notes) - 5} more findings"] if len(notes) > 5 else []
    attrs["tooltip"] = dot.tooltip(tp.title, f"{stage} · {tp.channel}", *notes[:5], *more)
    attrs["class"] = " ".join(classes)
    return attrs


def _draw_touchpoints(
    out: list[str],
    analysis: Analysis,
    on_path: set[str],
    steps: dict[tuple[str, str], list[int]],
    highlight: Finding | None,
    href: Callable[[str], str] | None,
) -> None:
    """Append one cluster per stage with its touchpoints, then the transitions, to ``out``."""
    journey = analysis.journey
    stage_index = {s.id: i for i, s in enumerate(journey.stages)}
    where = {tp.id: stage_index.get(tp.stage, 0) for tp in journey.touchpoints}
    by_stage: dict[int, list[Touchpoint]] = defaultdict(list)
    for tp in journey.touchpoints:
        by_stage[where[tp.id]].append(tp)
    notes: dict[str, list[str]] = defaultdict(list)
    for f in analysis.findings:
        if f.touchpoint is not None:
            notes[f.touchpoint].append(f"{f.severity}: {f.summary}")
    pairs = [(t.from_, t.to) for t in journey.transitions if t.from_ in where and t.to in where]
    inner = [(a, b) for a, b in pairs if where[a] == where[b]]
    loops = _loops(inner)
    led = {b for a, b in inner if (a, b) not in loops}
    leading = {a for a, b in inner if (a, b) not in loops}
    entries, mark = set(journey.entries), highlight.touchpoint if highlight else None
    for i, stage in enumerate(journey.stages):
        # Invisible edges _b{i} -> stage i -> _b{i+1} give the stages disjoint,
        # increasing ranks, so the clusters sit left to right in journey order. Only
        # the first and last touchpoints of each stage need them: an edge to every
        # touchpoint made dot over 20 times slower on a 300-touchpoint journey.
        out.append(dot.statement(f"_b{i}", _ANCHOR))
        out.append(dot.edge(f"_b{i}", f"_b{i + 1}", _INVISIBLE))
        members = [tp.id for tp in by_stage[i]] or [f"_empty{i}"]
        out.append(f"\tsubgraph cluster_{i} {{\n")
        label = f"<<B>{dot.label(stage.name, 30, 2)}</B>>"
        out.append(
            dot.statement("graph", dict(_CLUSTER, label=label, id=f"stage-{stage.id}"), "\t\t")
        )
        if not by_stage[i]:
            empty = {"label": "<<I>no touchpoints</I>>", "shape": "none"}
            out.append(dot.statement(f"_empty{i}", empty, "\t\t"))
        for tp in by_stage[i]:
            flags = {"entry": tp.id in entries, "witness": tp.id in on_path}
            flags["checkpoint"] = tp.id == mark
            attrs = _touchpoint(tp, analysis, notes.get(tp.id, []), stage.name, flags)
            if href is not None:
                attrs["href"] = dot.url(href(tp.id))
            out.append(dot.statement(dot.quoted(tp.id), attrs, "\t\t"))
        out.append("\t}\n")
        for member in members:
            if member not in led:
                out.append(dot.edge(f"_b{i}", member, _INVISIBLE))
            if member not in leading:
                out.append(dot.edge(member, f"_b{i + 1}", _INVISIBLE))
    out.append(dot.statement(f"_b{len(journey.stages)}", _ANCHOR))
    plain = _EDGE_DIMMED if highlight is not None else {}
    for tr in journey.transitions:
        numbers = steps.get((tr.from_, tr.to))
        attrs = dict(_EDGE_WITNESS if numbers else plain)
        parts = [] if tr.share is None else [_percent(tr.share)]
        if numbers:
            parts.append(f"<B>step{'s' * (len(numbers) > 1)} {', '.join(map(str, numbers))}</B>")
        if parts:
            attrs["label"] = f"<{'<BR/>'.join(parts)}>"
        if where.get(tr.to, 0) < where.get(tr.from_, 0) or (tr.from_, tr.to) in loops:
            attrs["constraint"] = "false"  # a loop back must not pull stages out of order
        out.append(dot.edge(tr.from_, tr.to, attrs))


def _draw_stages(
    out: list[str],
    analysis: Analysis,
    on_path: set[str],
    steps: dict[tuple[str, str], list[int]],
) -> None:
    """Append one node per stage and the stage-to-stage transitions to ``out``."""
    journey = analysis.journey
    count = len(journey.stages)
    stage_index = {s.id: i for i, s in enumerate(journey.stages)}
    where = {tp.id: stage_index.get(tp.stage, 0) for tp in journey.touchpoints}
    worst: list[str | None] = [None] * count
    size, found = [0] * count, [0] * count
    for i in where.values():
        size[i] += 1
    for f in analysis.findings:
        if f.touchpoint in where:
            i = where[f.touchpoint]
            worst[i], found[i] = worse(worst[i], f.severity), found[i] + 1
    highlighted = {where[t] for t in on_path if t in where}
    walked = {(where.get(a), where.get(b)) for a, b in steps}
    for i, stage in enumerate(journey.stages):
        attrs = dict(
            _SEVERITY_STYLE[worst[i]], id=f"stage-{stage.id}", tooltip=dot.tooltip(stage.name)
        )
        attrs["class"] = f"stage sev-{worst[i] or 'none'}"
        if i in highlighted:
            attrs.update(color=_HIGHLIGHT, penwidth="3")
        summary = (
            f"worst: {worst[i]} ({counted(found[i], 'finding')})" if worst[i] else "no finding"
        )
        attrs["label"] = (
            f"<<B>{dot.label(stage.name, 24)}</B><BR/>{counted(size[i], 'touchpoint')}"
            f'<BR/><FONT POINT-SIZE="9">{summary}</FONT>>'
        )
        out.append(dot.statement(f"_b{i}", attrs))
        if (i + 1) % _STAGES_PER_ROW and i + 1 < count:
            out.append(dot.edge(f"_b{i}", f"_b{i + 1}", {"style": "invis", "weight": "10"}))
    # Long journeys wrap: stage i sits in column i % _STAGES_PER_ROW, rows one under another.
    for column in range(min(count, _STAGES_PER_ROW)):
        below = [f"_b{i}" for i in range(column, count, _STAGES_PER_ROW)]
        if len(below) > 1:
            out.append("\t{rank=same; " + "; ".join(below) + "}\n")
            for upper, lower in zip(below, below[1:], strict=False):
                out.append(dot.edge(upper, lower, {"style": "invis"}))
    out.append(dot.statement(f"_b{count}", _ANCHOR))
    out.append(dot.edge(f"_b{min(count, _STAGES_PER_ROW) - 1}", f"_b{count}", _INVISIBLE))
    flows: dict[tuple[int, int], int] = defaultdict(int)
    for tr in journey.transitions:
        a, b = where.get(tr.from_), where.get(tr.to)
        if a is not None and b is not None and a != b:
            flows[a, b] += 1
    for (a, b), n in flows.items():
        attrs = dict(
            _EDGE_WITNESS if (a, b) in walked else {}, label=f"<{counted(n, 'transition')}>"
        )
        if a % _STAGES_PER_ROW >= b % _STAGES_PER_ROW:  # back, or down to the next row
            attrs["constraint"] = "false"
        out.append(dot.edge(f"_b{a}", f"_b{b}", attrs))


def _draw_legend(out: list[str], highlight: Finding | None, last: int, stage_level: bool) -> None:
    """Append the legend, right of the last stage: shapes, marks and the highlight."""
    rows = [(sev or "none", _SEVERITY_STYLE[sev], text) for sev, text in _LEGEND]
    if not stage_level:
        rows.append(("start", {"shape": "none"}, "▶ START: learners begin here"))
        rows.append(("awards", {"shape": "none"}, "★ awards: issues a credential"))
    if highlight is not None:
        style = dict(_SEVERITY_STYLE[highlight.severity], color=_HIGHLIGHT, penwidth="3")
        how = "thick purple" if stage_level else "thick purple, numbered steps"
        rows.append(("highlight", style, f"Highlighted ({how}): {highlight.summary}"))
    out.append("\tsubgraph cluster_legend {\n")
    box = {"label": "<<B>Legend</B>>", "id": "legend", "style": "rounded", "color": "#BBBBBB"}
    out.append(dot.statement("graph", box, "\t\t"))
    for key, style, text in rows:
        attrs = dict(style, label=f"<{dot.label(text, 36)}>", id=f"legend-{key}")
        out.append(dot.statement(f"_legend_{key}", attrs, "\t\t"))
    out.append("\t}\n")
    out.extend(dot.edge(f"_b{last}", f"_legend_{key}", _INVISIBLE) for key, _, _ in rows)


def to_dot(analysis: Analysis, **kwargs: Any) -> str:
    """Return the DOT source of the gap diagram (keywords as for :func:`build_graph`)."""
    return build_graph(analysis, **kwargs).source


def render_bytes(
    analysis: Analysis,
    fmt: str,
    *,
    timeout: float = 20.0,
    max_touchpoints: int = 2000,
    **kwargs: Any,
) -> bytes:
    """Return the gap diagram as ``fmt`` (svg, png, pdf or dot), laid out by one ``dot`` run.

    Parameters
    ----------
    analysis : Analysis
        What :func:`journeys.analyse` returned.
    fmt : {"svg", "png", "pdf", "dot"}
        The file format; a leading dot and capitals are allowed (``".SVG"``).
    timeout : float
        Seconds Graphviz may take to lay the diagram out.
    max_touchpoints : int
        The most touchpoints a touchpoint diagram may have; larger journeys
        need ``stage_level=True``.
    **kwargs
        As for :func:`build_graph`: ``highlight`` (a finding whose path is
        drawn thick and numbered), ``href`` (touchpoint id -> link),
        ``stage_level``, ``legend``, ``titled``.

    Returns
    -------
    bytes
        The file's bytes; for ``dot``, the DOT source itself (UTF-8).

    Raises
    ------
    RenderError
        With a message for people when the format is unknown, the journey has
        more than ``max_touchpoints`` touchpoints (unless ``stage_level=True``),
        or Graphviz is missing, fails or takes over ``timeout`` seconds. DOT
        source needs no layout, so neither limit applies to it.

    Examples
    --------
    >>> from journeys.analysis import analyse
    >>> from journeys.fileformat import loads
    >>> journey = loads('''{"format": "claimpath-journey/1", "title": "Tiny",
    ...     "credentials": [{"id": "b", "name": "Badge"}],
    ...     "stages": [{"id": "s", "name": "Award", "phase": "issue"}],
    ...     "touchpoints": [{"id": "mail", "title": "Issue email", "stage": "s",
    ...                      "issues": ["b"]}]}''')
    >>> analysis = analyse(journey)
    >>> render_bytes(analysis, "dot").splitlines()[0]
    b'digraph journey {'
    >>> svg = render_bytes(analysis, "svg")  # needs Graphviz's dot on PATH
    >>> svg.startswith(b"<?xml"), b"<svg" in svg, b"Issue email" in svg
    (True, True, True)
    >>> render_bytes(analysis, "gif")
    Traceback (most recent call last):
    ...
    journeys.errors.RenderError: unknown diagram format 'gif': use one of svg, png, pdf, dot
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise RenderError(f"unknown diagram format {fmt!r}: use one of {', '.join(FORMATS)}")
    size = len(analysis.journey.touchpoints)
    if fmt != "dot" and size > max_touchpoints and not kwargs.get("stage_level"):
        raise RenderError(
            f"this journey has {size} touchpoints, more than the {max_touchpoints} a "
            "touchpoint diagram can show; draw the stage-level diagram instead "
            "(stage_level=True)"
        )
    source = to_dot(analysis, **kwargs).encode("utf-8", errors="replace")
    if fmt == "dot":
        return source
    exe = shutil.which("dot")
    if exe is None:
        raise RenderError(
            "Graphviz is not installed: the 'dot' program is not on PATH "
            "(on Debian: apt-get install graphviz)"
        )
    try:
        done = subprocess.run(  # noqa: S603 (Graphviz's dot found on PATH, fixed flags, no shell)
            [exe, f"-T{fmt}"], input=source, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise RenderError(
            f"Graphviz took longer than {timeout:g} s to lay out this journey ({size} "
            "touchpoints); draw the stage-level diagram instead (stage_level=True)"
        ) from exc
    except OSError as exc:
        raise RenderError(f"Graphviz could not be started: {exc}") from exc
    if done.returncode != 0:
        detail = " ".join(done.stderr.decode("utf-8", "replace").split()[-40:]) or "no message"
        raise RenderError(f"Graphviz failed with exit status {done.returncode}: {detail}")
    return done.stdout


def render_file(analysis: Analysis, path: str | os.PathLike[str], **kwargs: Any) -> None:
    """Write the gap diagram to ``path`` in the format its extension names; return None."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        allowed = ", ".join(f".{ext}" for ext in FORMATS)
        raise RenderError(f"cannot tell the diagram format from {path.name!r}: use {allowed}")
    path.write_bytes(render_bytes(analysis, fmt, **kwargs))
