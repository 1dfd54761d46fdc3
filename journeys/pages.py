"""Diagrams laid out for a printed page or a slide: rows of stages, split over pages, never shrunk.

A page (:data:`PAGES`) is landscape A4, Letter, A3 or a 16:9 slide. The gap
diagram's stages are packed into rows that fit the page's width, left to right
and then the next row; a transition to another row ends at a continuation
marker that names the stages it continues in. Rows fill a page from the top and
go on to the next page; a row too large for a page even at the smallest legible
scale is cut into tiles rather than shrunk further, so no text prints under
:data:`MIN_PT` points. Each page carries a header, a small overview of the
stages (the ones on this page filled) when there are several pages, and the
legend as one compact strip.

Every row is laid out by one ``dot`` run over all rows together, so the layout
costs about what ``dot`` costs on the whole diagram.
"""

from __future__ import annotations

import dataclasses
import html
import io
import re
import shutil
import subprocess
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from journeys import dot, render
from journeys.errors import RenderError
from journeys.findings import Analysis, Finding
from journeys.model import SEVERITY_WORDS

__all__ = [
    "MIN_PT",
    "PAGES",
    "PAGE_FORMATS",
    "SCREEN_WIDTH",
    "UPRIGHT",
    "Page",
    "Sheet",
    "forget_layouts",
    "page_of",
    "paged_svgs",
    "screen_svg",
    "to_pdf",
    "to_png",
]


@dataclass(frozen=True)
class Page:
    """A landscape page: its name for people and its size in points (1/72 inch)."""

    name: str
    width: float
    height: float
    #: Pixels of a PNG of the page (None: 2 pixels a point).
    png: tuple[int, int] | None = None


#: The page choices besides ``fit`` (one drawing the size of the diagram), landscape.
PAGES: dict[str, Page] = {
    "a4": Page("A4", 841.89, 595.28),
    "letter": Page("Letter", 792.0, 612.0),
    "a3": Page("A3", 1190.55, 841.89),
    "slide": Page("16:9 slide", 960.0, 540.0, (1920, 1080)),
}
#: A page that fits both A4 and Letter landscape: the workshop report prints on either.
PRINT = Page("A4 or Letter", 792.0, 595.28)
#: An upright A4 or Letter sheet inside 12 mm side and 14 mm top and bottom margins, less
#: room for a title: the workshop report's diagram pages, which print on either paper.
UPRIGHT = Page("A4 or Letter, upright", 522.0, 610.0)
#: The formats a paged diagram can be written as.
PAGE_FORMATS = ("svg", "png", "pdf")
#: No text is printed smaller than this many points.
MIN_PT = 8.0
#: The smallest font size Graphviz is given (transition labels and a node's small lines).
_SMALLEST_PT = 9.0
_MIN_SCALE = MIN_PT / _SMALLEST_PT * 1.001
_MARGIN = 18.0
_HEADER = 34.0
_OVERVIEW = 26.0
_LEGEND = 24.0
_GAP = 10.0
_FONT = "Helvetica, Arial, sans-serif"
# A guess of a stage's drawn width per rank of touchpoints, used only to pack rows.
_RANK_WIDTH = 200.0


def page_of(name: str) -> Page | None:
    """Return the page called ``name`` (``a4``, ``letter``, ``a3``, ``slide``), None for ``fit``.

    Raises :class:`RenderError` naming the choices for any other name.

    >>> page_of("slide").png, page_of("fit")
    ((1920, 1080), None)
    """
    key = name.strip().lower()
    if key == "fit":
        return None
    if key not in PAGES:
        raise RenderError(f"unknown page {name!r}: use one of fit, {', '.join(PAGES)}")
    return PAGES[key]


@dataclass(frozen=True)
class _Block:
    """A piece of drawing placed on a page: a view of a drawing, its scale, what it shows."""

    body: str
    #: The part of ``body`` shown: x, y, width and height in the drawing's points.
    view: tuple[float, float, float, float]
    scale: float
    stages: frozenset[int]
    caption: str

    @property
    def width(self) -> float:
        """Return the drawn width in points."""
        return self.view[2] * self.scale

    @property
    def height(self) -> float:
        """Return the drawn height in points."""
        return self.view[3] * self.scale

    @property
    def markup(self) -> str:
        """Return the block as a nested ``<svg>`` element of its drawn size."""
        x, y, w, h = self.view
        return (
            f'<svg viewBox="{x:.2f} {y:.2f} {w:.2f} {h:.2f}" width="{self.width:.2f}" '
            f'height="{self.height:.2f}" overflow="hidden">{self.body}</svg>'
        )


@dataclass(frozen=True)
class Sheet:
    """A paged diagram: one SVG document per page, and what it needed to say."""

    pages: tuple[bytes, ...]
    page: Page
    stage_level: bool


def _ranks(members: list[str], inner: list[tuple[str, str]]) -> int:
    """Return how many touchpoints the longest chain inside one stage has (at least 1)."""
    loops = render._loops(inner)
    following: dict[str, list[str]] = defaultdict(list)
    for a, b in inner:
        if (a, b) not in loops:
            following[a].append(b)
    depth: dict[str, int] = {}
    for start in members:
        stack = [(start, 1)]
        while stack:
            node, d = stack.pop()
            if depth.get(node, 0) >= d:
                continue
            depth[node] = d
            stack.extend((n, d + 1) for n in following[node] if d < len(members))
    return max(depth.values(), default=1)


def _rows(analysis: Analysis, width: float) -> list[list[int]]:
    """Return the stages in rows, each row's guessed width within ``width``."""
    journey = analysis.journey
    index = {s.id: i for i, s in enumerate(journey.stages)}
    where = {tp.id: index.get(tp.stage, 0) for tp in journey.touchpoints}
    members: dict[int, list[str]] = defaultdict(list)
    for tp in journey.touchpoints:
        members[where[tp.id]].append(tp.id)
    inner: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for tr in journey.transitions:
        if tr.from_ in where and where[tr.from_] == where.get(tr.to):
            inner[where[tr.from_]].append((tr.from_, tr.to))
    rows: list[list[int]] = [[]]
    used = 0.0
    for i in range(len(journey.stages)):
        guess = _ranks(members[i], inner[i]) * _RANK_WIDTH + 40
        if rows[-1] and used + guess > width:
            rows.append([])
            used = 0.0
        rows[-1].append(i)
        used += guess
    return rows


def _names(analysis: Analysis, stages: set[int]) -> str:
    """Return up to two stage names, quoted, for a continuation marker."""
    names = [analysis.journey.stages[i].name for i in sorted(stages)]
    shown = ", ".join(f"‘{dot.clean(n)[:28]}’" for n in names[:2])
    return shown + (f" and {len(names) - 2} more" if len(names) > 2 else "")


def _row_source(
    analysis: Analysis,
    row: list[int],
    highlight: Finding | None,
    href: Callable[[str], str] | None,
    downward: bool = False,
) -> str:
    """Return the DOT source of one row of stages, with its continuation markers.

    ``downward`` lays a stage too wide for the page out top to bottom instead.
    The markers are named after the row's first stage, not the row's place, so
    a row's source stays the same when a row before it is split (and its
    layout is reused, see :func:`_dot`).
    """
    number = row[0]
    journey = analysis.journey
    stages = [journey.stages[i] for i in row]
    keep = {s.id for s in stages}
    index = {s.id: i for i, s in enumerate(journey.stages)}
    where = {tp.id: index[tp.stage] for tp in journey.touchpoints if tp.stage in index}
    mine = {tp.id for tp in journey.touchpoints if tp.stage in keep}
    part = dataclasses.replace(
        journey,
        stages=tuple(stages),
        touchpoints=tuple(tp for tp in journey.touchpoints if tp.id in mine),
        transitions=tuple(t for t in journey.transitions if t.from_ in mine and t.to in mine),
    )
    graph = render.build_graph(
        dataclasses.replace(analysis, journey=part),
        highlight=highlight,
        href=href,
        legend=False,
        titled=False,
    )
    body = list(graph.body)
    body.insert(1, "\tgraph [ranksep=0.3 nodesep=0.2]\n")  # denser on paper than on screen
    if downward:
        body.insert(2, "\tgraph [rankdir=TB]\n")
    outgoing: dict[str, set[int]] = defaultdict(set)
    incoming: dict[str, set[int]] = defaultdict(set)
    for tr in journey.transitions:
        if tr.from_ in mine and tr.to not in mine and tr.to in where:
            outgoing[tr.from_].add(where[tr.to])
        elif tr.to in mine and tr.from_ not in mine and tr.from_ in where:
            incoming[tr.to].add(where[tr.from_])
    marker = {"shape": "cds", "style": "filled", "fillcolor": "#E8E1F5", "color": "#5E3C99"}
    marker["fontsize"] = "10"
    route = highlight.witness or () if highlight else ()
    crossing = {tp for pair in zip(route, route[1:], strict=False) for tp in pair}
    dashed = {"style": "dashed", "color": "#5E3C99", "class": "continuation"}
    on_route = dict(dashed, penwidth="3", **{"class": "continuation witness"})
    if incoming:
        sources = set().union(*incoming.values())
        label = f"<<B>▶ continued</B><BR/>from {dot.label(_names(analysis, sources))}>"
        body.append(dot.statement(f"_in{number}", dict(marker, label=label, id=f"from-{number}")))
        body.append(dot.edge(f"_in{number}", "_b0", {"style": "invis"}))
        for tp in incoming:
            style = on_route if tp in crossing else dashed
            body.append(dot.edge(f"_in{number}", tp, style))
    if outgoing:
        targets = set().union(*outgoing.values())
        label = f"<<B>continues ▶</B><BR/>in {dot.label(_names(analysis, targets))}>"
        body.append(dot.statement(f"_out{number}", dict(marker, label=label, id=f"to-{number}")))
        body.append(dot.edge(f"_b{len(stages)}", f"_out{number}", {"style": "invis"}))
        for tp in outgoing:
            style = on_route if tp in crossing else dashed
            body.append(dot.edge(tp, f"_out{number}", style))
    return "digraph row {\n" + "".join(body) + "}\n"


#: Bytes of recent rows' SVGs kept by their DOT source (see :func:`_dot`), per process.
LAID_OUT_BYTES = 8 * 1024 * 1024
_LAID_OUT: dict[str, str] = {}
_LAID_OUT_LOCK = threading.Lock()
_BATCH_ID = re.compile(r'id="page\d+,\d+_(graph\d+)"')
_laid_out_bytes = 0


def forget_layouts() -> None:
    """Drop the rows kept from recent drawings, so the next drawing lays every row out.

    For measuring a fresh layout (``bench/pages.py``); drawings never need it.
    """
    global _laid_out_bytes
    with _LAID_OUT_LOCK:
        _LAID_OUT.clear()
        _laid_out_bytes = 0


def _dot(sources: list[str], timeout: float) -> list[str]:
    """Return the SVG of each DOT graph, those not laid out lately by one ``dot`` run.

    ``dot`` lays out the same source the same way, so a row kept from a recent
    drawing is reused: after a saved change only the rows it touched are laid
    out again (the gap report redraws its diagram for every new revision).
    """
    global _laid_out_bytes
    with _LAID_OUT_LOCK:
        known = {source: _LAID_OUT[source] for source in sources if source in _LAID_OUT}
    todo = list(dict.fromkeys(source for source in sources if source not in known))
    if todo:
        fresh = _run_dot(todo, timeout)
        if len(fresh) != len(todo):  # not one SVG a graph: keep nothing, lay each new one alone
            known.update((source, "".join(_run_dot([source], timeout))) for source in todo)
            return [known[source] for source in sources]
        known.update(zip(todo, fresh, strict=True))
        with _LAID_OUT_LOCK:
            for source, svg in zip(todo, fresh, strict=True):
                if source not in _LAID_OUT:
                    _LAID_OUT[source] = svg
                    _laid_out_bytes += len(source) + len(svg)
            while _laid_out_bytes > LAID_OUT_BYTES and _LAID_OUT:
                oldest = next(iter(_LAID_OUT))
                _laid_out_bytes -= len(oldest) + len(_LAID_OUT.pop(oldest))
    return [known[source] for source in sources]


def _run_dot(sources: list[str], timeout: float) -> list[str]:
    """Return the SVG of each DOT graph, all laid out by one ``dot`` run."""
    exe = shutil.which("dot")
    if exe is None:
        raise RenderError("Graphviz is not installed: the 'dot' program is not on PATH")
    data = "".join(sources).encode("utf-8", errors="replace")
    try:
        done = subprocess.run(  # noqa: S603 (Graphviz's dot found on PATH, fixed flags, no shell)
            [exe, "-Tsvg"], input=data, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise RenderError(
            f"Graphviz took longer than {timeout:g} s to lay out this journey; "
            "draw the stage-level diagram instead (stage_level=True)"
        ) from exc
    if done.returncode != 0:
        detail = " ".join(done.stderr.decode("utf-8", "replace").split()[-40:]) or "no message"
        raise RenderError(f"Graphviz failed with exit status {done.returncode}: {detail}")
    text = done.stdout.decode("utf-8")
    # Graphviz ids the second graph of a run on "page0,1_graph0", and every one after it
    # too: each graph gets its own "graph0", as when drawn alone (and kept, see _dot).
    return [
        _BATCH_ID.sub(r'id="\1"', part) for part in re.split(r"(?=<\?xml)", text) if part.strip()
    ]


_SIZE = re.compile(r'<svg width="([\d.]+)pt"\s+height="([\d.]+)pt"')
_BACKGROUND = re.compile(r'<polygon fill="white" stroke="(?:none|transparent)"[^>]*>')
_POINTS = re.compile(r'(?:points|d)="([^"]*)"')
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_TEXT_AT = re.compile(r'<text[^>]* x="(-?[\d.]+)" y="(-?[\d.]+)"')
# Graphviz numbers its own ids per graph (node1, a_node1, ...): rows would repeat them.
# Ids from the journey (tp-KEY, a_tp-KEY, stage-KEY) are unique already and kept.
_GENERATED_ID = re.compile(r'id="((?:a_)?(?:graph|clust|node|edge)\d+)"')


def _inner(svg: str, row: int) -> tuple[str, float, float]:
    """Return a Graphviz SVG's drawing without its ``<svg>`` element, and its size in points."""
    found = _SIZE.search(svg)
    if found is None:
        raise RenderError("Graphviz wrote an SVG without a size")
    start = svg.index(">", found.end()) + 1
    body = svg[start : svg.rindex("</svg>")]
    body = _GENERATED_ID.sub(lambda m: f'id="r{row}-{m.group(1)}"', body)
    width, height = float(found.group(1)), float(found.group(2))
    # Invisible anchor nodes leave empty bands: crop to what is drawn.
    shift = re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", body)
    dx, dy = (float(shift.group(1)), float(shift.group(2))) if shift else (0.0, 0.0)
    xs: list[float] = []
    ys: list[float] = []
    for points in _POINTS.findall(_BACKGROUND.sub("", body, count=1)):
        numbers = [float(n) for n in _NUMBER.findall(points)]
        xs += numbers[0::2]
        ys += numbers[1::2]
    for x, y in _TEXT_AT.findall(body):
        xs.append(float(x))
        ys.append(float(y))
    if not xs:
        return body, width, height
    left, right = max(0.0, min(xs) + dx - 8), min(width, max(xs) + dx + 8)
    top, bottom = max(0.0, min(ys) + dy - 16), min(height, max(ys) + dy + 8)
    cropped = f'<g transform="translate({-left:.2f} {-top:.2f})">{body}</g>'
    return cropped, right - left, bottom - top


def _tiles(
    body: str, w: float, h: float, room: tuple[float, float], stages: frozenset[int], caption: str
) -> list[_Block]:
    """Return a drawing scaled to fit ``room`` (never under the legible scale), tiled if it must."""
    scale = min(1.0, room[0] / w, room[1] / h)
    if scale < _MIN_SCALE:
        scale = max(_MIN_SCALE, min(1.0, room[0] / w))
    across = max(1, -(-int(w * scale) // int(room[0])))
    down = max(1, -(-int(h * scale) // int(room[1])))
    tw, th = w / across, h / down
    blocks = []
    for y in range(down):
        for x in range(across):
            part = "" if across * down == 1 else f" (part {y * across + x + 1} of {across * down})"
            view = (x * tw, y * th, tw, th)
            blocks.append(_Block(body, view, scale, stages, caption + part))
    return blocks


def paged_svgs(
    analysis: Analysis,
    page: Page,
    *,
    highlight: Finding | None = None,
    href: Callable[[str], str] | None = None,
    stage_level: bool = False,
    timeout: float = 20.0,
    note: str | None = None,
    balance: bool = False,
) -> Sheet:
    """Return the gap diagram laid out on ``page``, one SVG document a page.

    ``note`` (e.g. why a journey is drawn stage by stage) heads the first page's drawing.
    ``balance`` shares the rows out evenly over the pages, the last one too (for pages
    inside a document, where a last page left mostly blank shows).

    Raises :class:`RenderError` when Graphviz is missing, fails or takes over
    ``timeout`` seconds.
    """
    room = (page.width - 2 * _MARGIN, page.height - 2 * _MARGIN - _HEADER - _LEGEND - _OVERVIEW)
    blocks = _blocks(analysis, room, highlight, href, stage_level, timeout, note)
    sheets = _pack(_shelves(blocks, room[0]), room[1], balance)
    drawn = tuple(
        _page_svg(analysis, page, shelves, n, len(sheets), highlight, stage_level).encode("utf-8")
        for n, shelves in enumerate(sheets)
    )
    return Sheet(drawn, page, stage_level)


def _blocks(
    analysis: Analysis,
    room: tuple[float, float],
    highlight: Finding | None,
    href: Callable[[str], str] | None,
    stage_level: bool,
    timeout: float,
    note: str | None,
) -> list[_Block]:
    """Return the diagram's rows (or stage-level drawing) as blocks that fit ``room``."""
    journey = analysis.journey
    if stage_level or not journey.stages:
        source = render.to_dot(
            analysis, highlight=highlight, stage_level=True, legend=False, titled=False
        )
        body, w, h = _inner(_dot([source], timeout)[0], 0)
        every = frozenset(range(len(journey.stages)))
        blocks = _tiles(body, w, h, room, every, "Stage by stage")
    else:
        rows, drawn = _laid_out(analysis, room[0], highlight, href, timeout)
        blocks = []
        for n, (row, svg) in enumerate(zip(rows, drawn, strict=True)):
            body, w, h = _inner(svg, n)
            first, last = journey.stages[row[0]].name, journey.stages[row[-1]].name
            span = f"stage {row[0] + 1}" if len(row) == 1 else f"stages {row[0] + 1}–{row[-1] + 1}"
            caption = f"Row {n + 1} of {len(rows)}: {span} of {len(journey.stages)}"
            caption += f", {dot.clean(first)[:40]}" + (
                f" to {dot.clean(last)[:40]}" if len(row) > 1 else ""
            )
            if n + 1 < len(rows):
                caption += " · continues in the next row"
            blocks.extend(_tiles(body, w, h, room, frozenset(row), caption))
    if note and blocks:
        blocks[0] = dataclasses.replace(blocks[0], caption=f"{note} {blocks[0].caption}")
    return blocks


#: Each block's caption line and the gap under it, in points (not scaled with the drawing).
_CAPTION = 14.0


#: Blocks drawn side by side, left to right in journey order, under one line of captions.
_Shelf = tuple[_Block, ...]


def _shelves(blocks: list[_Block], width: float) -> list[_Shelf]:
    """Return the blocks in shelves: as many in a row, in order, as fit ``width`` side by side.

    >>> narrow, wide = (_Block("", (0, 0, w, 50), 1.0, frozenset(), "") for w in (200, 500))
    >>> [len(s) for s in _shelves([narrow, narrow, wide, narrow], 600)]
    [2, 1, 1]
    """
    shelves: list[list[_Block]] = []
    used = 0.0
    for block in blocks:
        if shelves and used + _GAP * 2 + block.width <= width:
            shelves[-1].append(block)
            used += _GAP * 2 + block.width
        else:
            shelves.append([block])
            used = block.width
    return [tuple(shelf) for shelf in shelves]


def _tall(shelf: _Shelf) -> float:
    return max(b.height for b in shelf)


def _fitted(here: list[_Shelf], height: float) -> float | None:
    """Return the scale the shelves must be drawn at to share one page, None if they cannot.

    A single shelf always fits: :func:`_tiles` made each block fit the page.
    """
    fixed = len(here) * (_CAPTION + _GAP)
    drawn = sum(_tall(shelf) for shelf in here)
    factor = min(1.0, (height - fixed) / drawn) if drawn > 0 else 1.0
    smallest = max(_MIN_SCALE / b.scale for shelf in here for b in shelf)
    if len(here) > 1 and factor < min(1.0, smallest):
        return None
    return max(factor, min(1.0, smallest))


def _pack(shelves: list[_Shelf], height: float, balance: bool = False) -> list[list[_Shelf]]:
    """Return the shelves page by page, in order, each page's shelves within ``height``.

    The fewest pages first; among those, the split that leaves the least blank
    space on pages other than the last (the square of each page's blank share,
    summed), or with ``balance`` on every page. Shelves sharing a page may be
    drawn a little smaller to fit, never under the smallest legible scale.

    >>> low, tall = ((_Block("", (0, 0, 500, h), 1.0, frozenset(), ""),) for h in (100, 300))
    >>> [len(p) for p in _pack([tall, tall, tall], 700)]
    [2, 1]
    >>> [[round(s[0].scale, 2) for s in p] for p in _pack([low, tall], 420)]
    [[0.93, 0.93]]
    >>> [len(p) for p in _pack([tall, low, low, tall], 500)]
    [2, 2]
    >>> [len(p) for p in _pack([tall, tall, low, low, low], 560)], [
    ...     len(p) for p in _pack([tall, tall, low, low, low], 560, balance=True)]
    ([1, 3, 1], [1, 1, 3])
    """
    count = len(shelves)
    if not count:
        return [[]]
    # best[j]: (pages, blank) of the best split of the first j shelves, and where the
    # last of those pages starts.
    best: list[tuple[tuple[int, float], int]] = [((0, 0.0), 0)]
    for j in range(1, count + 1):
        choice: tuple[tuple[int, float], int] | None = None
        for i in range(j - 1, -1, -1):
            factor = _fitted(shelves[i:j], height)
            if factor is None:
                break  # more shelves fit no better
            (pages, blank), _ = best[i]
            used = sum(_tall(s) for s in shelves[i:j]) * factor + (j - i) * (_CAPTION + _GAP)
            waste = 0.0 if j == count and not balance else max(0.0, 1 - used / height) ** 2
            cost = (pages + 1, blank + waste)
            if choice is None or cost < choice[0]:
                choice = (cost, i)
        best.append(choice or ((best[j - 1][0][0] + 1, best[j - 1][0][1]), j - 1))
    sheets: list[list[_Shelf]] = []
    j = count
    while j:
        i = best[j][1]
        factor = _fitted(shelves[i:j], height) or 1.0
        sheets.append([tuple(_scaled(b, factor) for b in shelf) for shelf in shelves[i:j]])
        j = i
    return sheets[::-1]


def _scaled(block: _Block, factor: float) -> _Block:
    return dataclasses.replace(block, scale=block.scale * factor)


def _draw_shelves(shelves: list[_Shelf], y: float) -> tuple[list[str], float]:
    """Return the shelves drawn from ``y`` down, each block under its caption, and the end."""
    out = []
    for shelf in shelves:
        x = _MARGIN
        for block in shelf:
            caption = block.caption
            if len(shelf) > 1:  # a caption no wider than its block
                caption = caption.replace(" · continues in the next row", "")
                most = max(12, int(block.width / 5.2))
                caption = caption if len(caption) <= most else caption[: most - 1] + "…"
            out.append(_text(x, y + 9, caption, 9, "bold"))
            out.append(f'<g transform="translate({x:.2f} {y + _CAPTION:.2f})">{block.markup}</g>')
            x += block.width + 2 * _GAP
        y += _CAPTION + _tall(shelf) + _GAP
    return out, y


def _laid_out(
    analysis: Analysis,
    width: float,
    highlight: Finding | None,
    href: Callable[[str], str] | None,
    timeout: float,
) -> tuple[list[list[int]], list[str]]:
    """Return the rows of stages and their SVGs; a row drawn too wide is split and drawn again."""
    rows = _rows(analysis, width)
    drawn: list[str | None] = [None] * len(rows)
    downward: set[int] = set()  # stages (first of a row) drawn top to bottom
    for _attempt in range(5):
        todo = [n for n, svg in enumerate(drawn) if svg is None]
        if not todo:
            break
        sources = [
            _row_source(analysis, rows[n], highlight, href, rows[n][0] in downward) for n in todo
        ]
        with _LAID_OUT_LOCK:
            new = [rows[n] for n, src in zip(todo, sources, strict=True) if src not in _LAID_OUT]
        ahead = _fallbacks(analysis, new, downward, highlight, href)
        for n, fresh in zip(todo, _dot(sources + ahead, timeout), strict=False):
            drawn[n] = fresh
        again: list[list[int]] = []
        kept: list[str | None] = []
        for row, svg in zip(rows, drawn, strict=True):
            found = _SIZE.search(svg or "")
            wide = float(found.group(1)) if found else 0.0
            if svg is not None and len(row) > 1 and wide * _MIN_SCALE > width:
                keep = max(1, min(len(row) - 1, int(len(row) * width / wide)))
                again += [row[:keep], row[keep:]]
                kept += [None, None]
            elif svg is not None and wide * _MIN_SCALE > width and row[0] not in downward:
                downward.add(row[0])
                again.append(row)
                kept.append(None)
            else:
                again.append(row)
                kept.append(svg)
        rows, drawn = again, kept
    if any(svg is None for svg in drawn):
        sources = [_row_source(analysis, r, highlight, href, r[0] in downward) for r in rows]
        drawn = list(_dot(sources, timeout))
    return rows, [svg or "" for svg in drawn]


#: Up to this many rows to lay out, those of up to :data:`_AHEAD_STAGES` stages have their
#: fallbacks laid out with them (:func:`_fallbacks`).
_AHEAD_ROWS = 4
_AHEAD_STAGES = 3


def _fallbacks(
    analysis: Analysis,
    rows: list[list[int]],
    downward: set[int],
    highlight: Finding | None,
    href: Callable[[str], str] | None,
) -> list[str]:
    """Return the sources :func:`_laid_out` lays out next if new ``rows`` turn out too wide.

    A row too wide is split in two, and a stage too wide alone is drawn top to
    bottom: laying those out in the same ``dot`` run as the rows themselves
    costs a little layout each but saves a second run (about 11 ms of ``dot``
    starting up, here) whenever a row does not fit. The drawing is the same
    either way: a fallback not needed is only kept (:func:`_dot`), never drawn.

    That pays when few rows are laid out, as after a saved change; a first
    layout of many rows, where one run more is little against the layout
    itself, and rows longer than :data:`_AHEAD_STAGES` stages are left to the
    next run.
    """
    ahead: list[str] = []
    if len(rows) > _AHEAD_ROWS:
        return ahead
    for row in rows:
        if len(row) > _AHEAD_STAGES:
            continue
        if len(row) == 1:
            if row[0] not in downward:
                ahead.append(_row_source(analysis, row, highlight, href, True))
            continue
        for keep in range(1, len(row)):
            for part in (row[:keep], row[keep:]):
                ahead.append(_row_source(analysis, part, highlight, href, part[0] in downward))
                if len(part) == 1 and part[0] not in downward:
                    ahead.append(_row_source(analysis, part, highlight, href, True))
    return ahead


def _text(
    x: float,
    y: float,
    words: str,
    size: float = 9,
    weight: str = "normal",
    fill: str = "#1B1B1B",
    **more: str,
) -> str:
    """Return an SVG ``<text>`` element; ``more`` are attributes, ``_`` for ``-``."""
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in more.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{_FONT}" font-size="{size}" '
        f'font-weight="{weight}" fill="{fill}"{extra}>{html.escape(words)}</text>'
    )


def _page_svg(
    analysis: Analysis,
    page: Page,
    shelves: list[_Shelf],
    number: int,
    count: int,
    highlight: Finding | None,
    stage_level: bool,
) -> str:
    """Return one page: header, overview, the shelves one under another, the legend strip."""
    journey = analysis.journey
    w, h = page.width, page.height
    counts = ", ".join(
        f"{analysis.count(s)} {SEVERITY_WORDS[s].lower()}" for s in ("critical", "warning", "info")
    )
    title = dot.clean(journey.title)
    most = int((w - 2 * _MARGIN - 80) / 8.2)  # 14 pt bold, clear of "Page 1 of 2"
    title = title if len(title) <= most else title[: most - 1].rstrip() + "…"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{w:.2f}pt" height="{h:.2f}pt" viewBox="0 0 {w:.2f} {h:.2f}" '
        f'class="paged-diagram" data-page="{number + 1}" data-pages="{count}">',
        f'<rect width="{w:.2f}" height="{h:.2f}" fill="#FFFFFF"/>',
        _text(_MARGIN, _MARGIN + 12, title, 14, "bold"),
        _text(
            _MARGIN,
            _MARGIN + 27,
            f"Gap diagram{' stage by stage' if stage_level else ''} · findings: {counts}"
            + (f" · highlighted: {highlight.summary}" if highlight else ""),
            9,
        ),
        _text(w - _MARGIN, _MARGIN + 12, f"Page {number + 1} of {count}", 10, text_anchor="end"),
    ]
    y = _MARGIN + _HEADER
    if count > 1:
        out.append(_overview(analysis, [b for shelf in shelves for b in shelf], w, y))
    out += _draw_shelves(shelves, y + _OVERVIEW)[0]
    out.append(_legend(w, h - _MARGIN - _LEGEND + 4, highlight, stage_level))
    out.append("</svg>")
    return "\n".join(out)


def _overview(analysis: Analysis, blocks: list[_Block], width: float, y: float) -> str:
    """Return the small overview: one box per stage, the ones on this page filled."""
    stages = analysis.journey.stages
    here = set().union(*(b.stages for b in blocks))
    label = "Overview: stages on this page are filled"
    out = [f'<g class="overview" aria-label="{label}">', _text(_MARGIN, y + 12, label, 8.5)]
    left = _MARGIN + 185
    cell = min(18.0, (width - _MARGIN - left) / max(1, len(stages)))
    for i, _stage in enumerate(stages):
        fill = "#5E3C99" if i in here else "#FFFFFF"
        out.append(
            f'<rect x="{left + i * cell:.1f}" y="{y + 3:.1f}" width="{cell - 2:.1f}" '
            f'height="12" fill="{fill}" stroke="#5E3C99" stroke-width="0.8"/>'
        )
    out.append("</g>")
    return "".join(out)


_SWATCH = {
    "critical": '<polygon points="{a},{t} {b},{t} {c},{m} {b},{u} {a},{u} {d},{m}" '
    'fill="#F9CBB3" stroke="#A63D00" stroke-width="2.2"/>',
    "warning": '<polygon points="{a},{t} {b},{t} {c},{m} {b},{u} {a},{u} {d},{m}" '
    'fill="#FCE7B2" stroke="#8A5F00" stroke-dasharray="3 2" stroke-width="1.2"/>',
    "info": '<rect x="{d}" y="{t}" width="22" height="12" fill="#D4E8F5" stroke="#0072B2" '
    'stroke-dasharray="1 1.5" stroke-width="1.2"/>',
    "none": '<rect x="{d}" y="{t}" width="22" height="12" rx="4" fill="#FFFFFF" stroke="#555555"/>',
}


def _legend(width: float, y: float, highlight: Finding | None, stage_level: bool) -> str:
    """Return the legend as one strip along the bottom of a page."""
    return _legend_lines(width, y, highlight, stage_level)[0]


def _legend_lines(
    width: float, y: float, highlight: Finding | None, stage_level: bool
) -> tuple[str, float]:
    """Return the legend strip from ``y`` down, wrapped within ``width``, and its height."""
    items: list[tuple[str | None, str]] = [
        ("critical", "Critical: octagon, bold"),
        ("warning", "Warning: hexagon, dashed"),
        ("info", "Info: box, dotted"),
        ("none", "No finding: rounded"),
    ]
    if not stage_level:
        items.append((None, "▶ START: learners begin · ★ awards a credential"))
    if highlight is not None:
        items.append((None, "Thick purple: the highlighted route"))
    out = ['<g class="legend" id="legend"><title>Legend</title>']
    out.append(_text(_MARGIN, y + 10, "Legend:", 9, "bold"))
    start = x = _MARGIN + 44
    top = y
    for key, words in items:
        room = (27 if key else 0) + len(words) * 4.6
        if x > start and x + room > width - _MARGIN / 2:
            x, top = start, top + 16
        if key is None:
            fill = "#5E3C99" if words.startswith("Thick") else "#1B1B1B"
            out.append(_text(x, top + 10, words, 8.5, fill=fill))
            x += room + 12
            continue
        shape = _SWATCH[key].format(
            a=f"{x + 4:.1f}",
            b=f"{x + 18:.1f}",
            c=f"{x + 22:.1f}",
            d=f"{x:.1f}",
            t=f"{top:.1f}",
            m=f"{top + 6:.1f}",
            u=f"{top + 12:.1f}",
        )
        out.append(shape)
        out.append(_text(x + 27, top + 10, words, 8.5))
        x += room + 12
    out.append("</g>")
    return "".join(out), top - y + 16


#: The width of the on-screen layout, in SVG units (points): a report's diagram
#: column at 1366 CSS px is about 680 px wide, so text drawn at 8 units shows at
#: 10 px or more when the drawing fits that width.
SCREEN_WIDTH = 520.0


def screen_svg(
    analysis: Analysis,
    *,
    width: float = SCREEN_WIDTH,
    highlight: Finding | None = None,
    href: Callable[[str], str] | None = None,
    stage_level: bool = False,
    timeout: float = 20.0,
) -> bytes:
    """Return the gap diagram as one SVG for a column of a screen: the legend, then the rows.

    The stages wrap into rows ``width`` points wide, one under another, as on a
    printed page but never split over pages; text is never under :data:`MIN_PT`
    units, so at ``width`` CSS px or wider no text shows under 8 px.

    Raises :class:`RenderError` when Graphviz is missing, fails or takes over
    ``timeout`` seconds.
    """
    room = (width - 2 * _MARGIN, 1e6)
    blocks = _blocks(analysis, room, highlight, href, stage_level, timeout, None)
    legend, tall = _legend_lines(width, _MARGIN / 2, highlight, stage_level)
    drawn, y = _draw_shelves(_shelves(blocks, room[0]), _MARGIN / 2 + tall + _GAP)
    out = [legend, *drawn]
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{width:.2f}pt" height="{y:.2f}pt" viewBox="0 0 {width:.2f} {y:.2f}" '
        f'class="paged-diagram" data-layout="screen">'
        f'<rect width="{width:.2f}" height="{y:.2f}" fill="#FFFFFF"/>'
    )
    return (head + "\n".join(out) + "</svg>").encode("utf-8")


def to_pdf(pages: tuple[bytes, ...]) -> bytes:
    """Return the pages (SVG documents of one size) as one PDF, text kept as text."""
    from cairosvg.parser import Tree  # type: ignore[import-untyped]
    from cairosvg.surface import PDFSurface  # type: ignore[import-untyped]

    out = io.BytesIO()
    surface = PDFSurface(Tree(bytestring=pages[0]), out, 72)
    for more in pages[1:]:
        surface.cairo.show_page()
        surface.draw(Tree(bytestring=more))
    surface.finish()
    return out.getvalue()


def to_png(page_svg: bytes, page: Page) -> bytes:
    """Return one page as a PNG: the page's pixel size, else two pixels a point."""
    from cairosvg import svg2png  # type: ignore[import-untyped]

    w, h = page.png or (round(page.width * 2), round(page.height * 2))
    return svg2png(bytestring=page_svg, output_width=w, output_height=h)


def write_paged(
    analysis: Analysis,
    path: str,
    page: Page | None,
    highlight: Finding | None = None,
    stage_level: bool = False,
) -> list[str]:
    """Write a paged diagram (or, for ``.pptx``, the slide deck) to ``path``; return the files.

    A PDF holds every page; an SVG or PNG of several pages is one file a page,
    ``NAME.svg``, ``NAME-2.svg`` and so on. Raises :class:`RenderError`.
    """
    from pathlib import Path

    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt == "pptx":
        from journeys.deck import deck_bytes

        target.write_bytes(deck_bytes(analysis, stage_level=stage_level))
        return [str(target)]
    if fmt not in PAGE_FORMATS:
        raise RenderError(f"a paged diagram is .svg, .png or .pdf, not {target.name!r}")
    sheet = paged_svgs(analysis, page or PAGES["a4"], highlight=highlight, stage_level=stage_level)
    if fmt == "pdf":
        target.write_bytes(to_pdf(sheet.pages))
        return [str(target)]
    written = []
    for number, svg in enumerate(sheet.pages, start=1):
        name = target if number == 1 else target.with_name(f"{target.stem}-{number}{target.suffix}")
        name.write_bytes(svg if fmt == "svg" else to_png(svg, sheet.page))
        written.append(str(name))
    return written
