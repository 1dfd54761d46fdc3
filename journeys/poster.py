"""The journey map as a wall poster: stages as columns, channels as rows, a card per touchpoint.

:func:`poster_svgs` lays the classic journey-map grid out on a page of
:data:`journeys.pages.PAGES` (or, for ``fit``, one drawing the size of the
map): a header with the journey's title, score and headline sentence; the
stages across the top; one row (lane) per channel, in order of first
appearance as on the web map; in each cell the touchpoints' cards, each with
its number, title, start and award marks, message chips (the kinds of message
it tells, per credential) and its gaps in the words of
:func:`journeys.cards.card_gaps`, its border showing the worst gap by colour
*and* by line style; transitions as arrows with their shares; and a legend
strip along the bottom.

Everything is placed by hand, in points, at the printed size, so no text is
smaller than :data:`journeys.pages.MIN_PT`. A map wider than the page goes on
over several pages, a run of stages a page, with markers naming the pages
where the stages continue; a map taller than the page puts its lanes on
further pages. Every page has the same column width and row heights, so the
printed pages tile into one wall. An arrow to a card on another page ends in
a marker naming the card's number and page.

Why not Graphviz: a journey map is a fixed table, so every card's place is
known without a layout search. ``dot`` cannot hold clusters in rows and
columns at once, and ``neato`` with pinned nodes routes edges through cards;
drawing the grid directly gives aligned rows and columns, exact text sizes and
a layout that takes milliseconds instead of a ``dot`` run.
"""

from __future__ import annotations

import dataclasses
import html
import math
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from journeys.cards import card_gaps
from journeys.errors import RenderError
from journeys.findings import Analysis, Finding, worse
from journeys.model import MESSAGE_KINDS, SEVERITIES, SEVERITY_WORDS, Journey, Touchpoint
from journeys.pages import MIN_PT, PAGE_FORMATS, Page, Sheet, to_pdf, to_png
from journeys.report import counted, headline_sentence
from journeys.score import score

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

__all__ = ["VIEWS", "poster_svgs", "size_notice", "width_of", "wrap", "write_poster"]

#: The views ``claimpath render --view`` draws: the gap diagram (default) and the map poster.
VIEWS: tuple[str, ...] = ("gaps", "map")

_FONT = "DejaVu Sans Condensed, Arial Narrow, Arial, Helvetica, sans-serif"
_MARGIN = 24.0
_LANE_HEAD = 76.0
_GUTTER = 38.0
_MIN_CARD = 112.0
_FIT_CARD = 168.0
_CARD_GAP = 8.0
_ROW_PAD = 6.0
_PAD = 5.0
_TITLE_PT = 10.0
# A hair over MIN_PT: cairo's matrices print 8 pt as 7.999999.
_SMALL_PT = MIN_PT + 0.05
_LINE = 1.22  # line height, in font sizes
_GAPS_SHOWN = 3
_PNG_PIXELS = 16000  # cairo cannot draw an image more than 32,767 pixels across
_HIGHLIGHT = "#5E3C99"
_INK = "#1B1B1B"
_GREY = "#595959"
# Border colour, fill of the left band, stroke width and dashes: colour and line style say it.
_SEVERITY_LOOK: dict[str | None, tuple[str, str, float, str]] = {
    "critical": ("#A63D00", "#F9CBB3", 2.4, ""),
    "warning": ("#8A5F00", "#FCE7B2", 1.6, "5 3"),
    "info": ("#0072B2", "#D4E8F5", 1.4, "1.5 2"),
    None: ("#777777", "#FFFFFF", 0.8, ""),
}
_MARKS = {"critical": "✖", "warning": "⚠", "info": "ℹ"}
# Light tints for the chips of up to eight credentials, none like a severity's fill.
_CHIP_FILLS = (
    "#D4E8F5",
    "#CDEBDD",
    "#F3D3E6",
    "#E8E1F5",
    "#E6EFCF",
    "#E2E2E2",
    "#D9F0F7",
    "#F0E6DA",
)


# -- measuring text ------------------------------------------------------------------------


@cache
def _face(bold: bool) -> FreeTypeFont | None:
    """Return the Pillow font the poster's text is measured with, or None without one."""
    try:
        from PIL import ImageFont

        name = "DejaVuSansCondensed-Bold.ttf" if bold else "DejaVuSansCondensed.ttf"
        return ImageFont.truetype(name, 100)
    except (ImportError, OSError):
        return None


@cache
def _word_width(word: str, bold: bool) -> float:
    """Return the width of ``word`` at 100 pt."""
    face = _face(bold)
    if face is None:
        return len(word) * (62.0 if bold else 56.0)
    return float(face.getlength(word))


def width_of(text: str, size: float, bold: bool = False) -> float:
    """Return the printed width of ``text`` in points at ``size`` points, with 3% to spare.

    >>> width_of("", 10), width_of("ab cd", 10) > width_of("ab", 10)
    (0.0, True)
    """
    if not text:
        return 0.0
    words = text.split(" ")
    total = sum(_word_width(w, bold) for w in words) + _word_width(" ", bold) * (len(words) - 1)
    return total * size / 100 * 1.03


def wrap(text: str, size: float, width: float, bold: bool = False, lines: int = 0) -> list[str]:
    """Return ``text`` broken into lines no wider than ``width`` at ``size`` points.

    A word longer than a line is cut; with ``lines`` the last line kept ends in
    an ellipsis when text is left over.

    >>> lines = wrap("Welcome email for the new intake", 10, 60)
    >>> " ".join(lines), all(width_of(line, 10) <= 60 for line in lines)
    ('Welcome email for the new intake', True)
    >>> wrap("one two three four", 10, 40, lines=2)
    ['one two', 'three …']
    """
    out: list[str] = []
    line = ""
    for word in " ".join(text.split()).split(" "):
        while width_of(word, size, bold) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and width_of(word[:cut], size, bold) > width:
                cut -= 1
            if line:
                out.append(line)
                line = ""
            out.append(word[:cut])
            word = word[cut:]
        candidate = f"{line} {word}" if line else word
        if line and width_of(candidate, size, bold) > width:
            out.append(line)
            line = word
        else:
            line = candidate
    if line:
        out.append(line)
    if lines and len(out) > lines:
        last = out[lines - 1]
        while last and width_of(last + " …", size, bold) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        out = [*out[: lines - 1], last + " …"]
    return out


def _text(x: float, y: float, words: str, size: float, **attrs: str) -> str:
    """Return an SVG ``<text>`` at baseline (x, y)."""
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    if "fill" not in attrs:
        extra += f' fill="{_INK}"'
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{_FONT}" font-size="{size:g}"{extra}>'
        f"{html.escape(words)}</text>"
    )


# -- what the map shows -------------------------------------------------------------------


@dataclass(frozen=True)
class _Card:
    """One box in a cell: a touchpoint, or (stage by stage) every touchpoint of a cell."""

    key: str
    number: int
    lane: int
    stage: int
    title: str
    marks: str
    #: (credential tag, message kinds) per credential.
    chips: tuple[tuple[str, tuple[str, ...]], ...]
    #: (severity, words) per gap, worst first is not assumed: the findings' order.
    gaps: tuple[tuple[str, str], ...]
    worst: str | None
    faded: bool = False
    on_route: bool = False


@dataclass(frozen=True)
class _Route:
    """An arrow between two cards, with its label (a share or a count)."""

    start: str
    end: str
    label: str | None
    on_route: bool


@dataclass(frozen=True)
class _Map:
    """The cards and arrows of a journey, with the lanes and what the legend must explain."""

    lanes: tuple[str, ...]
    cards: tuple[_Card, ...]
    routes: tuple[_Route, ...]
    #: (tag, credential name, chip fill) per credential.
    credentials: tuple[tuple[str, str, str], ...]
    stage_level: bool


def _lane_name(channel: str) -> str:
    """Return a channel as a lane heading.

    >>> _lane_name("in_person"), _lane_name("lms")
    ('In person', 'LMS')
    """
    if channel in {"lms", "sms"}:
        return channel.upper()
    return channel.replace("_", " ").capitalize()


def _tags(journey: Journey) -> tuple[tuple[str, str, str], ...]:
    """Return a short unique tag (initials), the name and a chip fill for each credential."""
    out: list[tuple[str, str, str]] = []
    taken: set[str] = set()
    for i, c in enumerate(journey.credentials):
        initials = "".join(w[0] for w in c.name.split() if w[:1].isalnum())[:3].upper() or "C"
        tag = initials
        n = 2
        while tag in taken:
            tag, n = f"{initials}{n}", n + 1
        taken.add(tag)
        out.append((tag, c.name, _CHIP_FILLS[i % len(_CHIP_FILLS)]))
    return tuple(out)


def _percent(share: float) -> str:
    """Return a share as a short percentage.

    >>> _percent(0.8), _percent(1 / 3)
    ('80%', '33%')
    """
    return f"{share * 100:.0f}%"


def _route_of(highlight: Finding | None) -> tuple[set[str], set[tuple[str, str]]]:
    """Return the touchpoints and transitions a highlighted finding's route takes."""
    if highlight is None:
        return set(), set()
    path = highlight.witness or ((highlight.touchpoint,) if highlight.touchpoint else ())
    return set(path), set(zip(path, path[1:], strict=False))


def _basis(
    journey: Journey,
) -> tuple[
    tuple[tuple[str, str, str], ...], dict[str, str], dict[str, int], list[str], dict[str, int]
]:
    """Return the credential tags, tag by credential id, column by stage id, lanes, lane by channel.

    Lanes are the channels in order of first appearance, as on the web map.
    """
    tags = _tags(journey)
    tag_of = {c.id: t[0] for c, t in zip(journey.credentials, tags, strict=True)}
    column = {s.id: i for i, s in enumerate(journey.stages)}
    lanes: list[str] = list(dict.fromkeys(tp.channel for tp in journey.touchpoints))
    return tags, tag_of, column, lanes, {name: i for i, name in enumerate(lanes)}


def _touchpoint_map(
    analysis: Analysis, highlight: Finding | None, deadline: float, timeout: float
) -> _Map:
    """Return a card per touchpoint and an arrow per transition."""
    journey = analysis.journey
    tags, tag_of, column, lanes, lane_of = _basis(journey)
    names = journey.credential_by_id
    gaps = card_gaps(analysis)
    worst = analysis.worst_by_touchpoint
    entries = set(journey.entries)
    on_path, steps = _route_of(highlight)
    cards: list[_Card] = []
    for number, tp in enumerate(journey.touchpoints, start=1):
        if number % 200 == 0 and time.monotonic() > deadline:
            raise _TooSlow(timeout)
        marks = []
        if tp.id in entries:
            marks.append("▶ START")
        if tp.issues:
            awarded = ", ".join(names[c].name if c in names else c for c in tp.issues)
            marks.append(f"★ awards {awarded}")
        if tp.id not in analysis.reachable:
            marks.append("unreachable")
        if highlight is not None and tp.id == highlight.touchpoint:
            marks.append("◆ highlighted finding")
        chips = tuple(
            (tag_of.get(cid, cid), tuple(k for k in MESSAGE_KINDS if k in kinds))
            for cid, kinds in tp.messages.items()
            if kinds
        )
        cards.append(
            _Card(
                key=tp.id,
                number=number,
                lane=lane_of[tp.channel],
                stage=column.get(tp.stage, 0),
                title=tp.title,
                marks=" · ".join(marks),
                chips=chips,
                gaps=tuple((g.severity, g.text) for g in gaps.get(tp.id, ())),
                worst=worst.get(tp.id),
                faded=tp.id not in analysis.reachable,
                on_route=tp.id in on_path,
            )
        )
    known = {tp.id for tp in journey.touchpoints}
    routes = tuple(
        _Route(
            t.from_,
            t.to,
            None if t.share is None else _percent(t.share),
            (t.from_, t.to) in steps,
        )
        for t in journey.transitions
        if t.from_ in known and t.to in known
    )
    return _Map(tuple(_lane_name(x) for x in lanes), tuple(cards), routes, tags, False)


def _stage_map(analysis: Analysis, highlight: Finding | None) -> _Map:
    """Return a card per non-empty cell (lane and stage) and an arrow per pair of cells."""
    journey = analysis.journey
    tags, tag_of, column, lanes, lane_of = _basis(journey)
    names = journey.credential_by_id
    cell_of = {tp.id: (lane_of[tp.channel], column.get(tp.stage, 0)) for tp in journey.touchpoints}
    members: dict[tuple[int, int], list[Touchpoint]] = defaultdict(list)
    for tp in journey.touchpoints:
        members[cell_of[tp.id]].append(tp)
    found: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for f in analysis.findings:
        if f.touchpoint in cell_of:
            found[cell_of[f.touchpoint]][f.severity] += 1
    on_path, _ = _route_of(highlight)
    cards: list[_Card] = []
    for number, (cell, tps) in enumerate(sorted(members.items(), key=lambda c: c[0][::-1]), 1):
        kinds: dict[str, set[str]] = defaultdict(set)
        for tp in tps:
            for cid, told in tp.messages.items():
                kinds[cid].update(told)
        awarded = sorted({names[c].name if c in names else c for tp in tps for c in tp.issues})
        severe: str | None = None
        for s in found[cell]:
            severe = worse(severe, s)
        cards.append(
            _Card(
                key=f"{cell[0]}:{cell[1]}",
                number=number,
                lane=cell[0],
                stage=cell[1],
                title=counted(len(tps), "touchpoint"),
                marks="★ awards " + ", ".join(awarded) if awarded else "",
                chips=tuple(
                    (tag_of.get(cid, cid), tuple(k for k in MESSAGE_KINDS if k in told))
                    for cid, told in kinds.items()
                    if told
                ),
                gaps=tuple(
                    (s, counted(found[cell][s], f"{SEVERITY_WORDS[s].lower()} finding"))
                    for s in SEVERITIES
                    if found[cell].get(s)
                ),
                worst=severe,
                on_route=any(tp.id in on_path for tp in tps),
            )
        )
    flows: dict[tuple[str, str], int] = defaultdict(int)
    for t in journey.transitions:
        if t.from_ in cell_of and t.to in cell_of and cell_of[t.from_] != cell_of[t.to]:
            a, b = cell_of[t.from_], cell_of[t.to]
            flows[f"{a[0]}:{a[1]}", f"{b[0]}:{b[1]}"] += 1
    routes = tuple(_Route(a, b, f"{n}×", False) for (a, b), n in flows.items())
    return _Map(tuple(_lane_name(x) for x in lanes), tuple(cards), routes, tags, True)


class _TooSlow(Exception):
    """Laying the map out took longer than allowed."""


# -- a card ---------------------------------------------------------------------------------


def _card_body(card: _Card, width: float, fills: dict[str, str], tagged: bool) -> tuple[float, str]:
    """Return a card's height and its drawing, its top left corner at (0, 0)."""
    inner = width - 2 * _PAD - 4
    left = _PAD + 4
    out: list[str] = []
    y = _PAD
    number = str(card.number)
    colour = _GREY if card.faded else _INK
    out.append(
        _text(
            width - _PAD,
            y + _SMALL_PT,
            number,
            _SMALL_PT,
            font_weight="bold",
            fill=_GREY,
            text_anchor="end",
        )
    )
    room = inner - width_of(number, _SMALL_PT, True) - 6
    for line in wrap(card.title, _TITLE_PT, room, bold=True):
        out.append(_text(left, y + _TITLE_PT, line, _TITLE_PT, font_weight="bold", fill=colour))
        y += _TITLE_PT * _LINE
    if card.marks:
        for line in wrap(card.marks, _SMALL_PT, inner, bold=True, lines=3):
            out.append(
                _text(left, y + _SMALL_PT, line, _SMALL_PT, font_weight="bold", fill="#333333")
            )
            y += _SMALL_PT * _LINE
    chip_h = _SMALL_PT + 4
    x = left
    if card.chips:
        y += 2
    for tag, kinds in card.chips:
        fill = fills.get(tag, "#FFFFFF")
        items = [(tag, True)] if tagged else []
        for words, is_tag in items + [(k, False) for k in kinds]:
            w = width_of(words, _SMALL_PT, is_tag) + 6
            if x > left and x + w > left + inner:
                x, y = left, y + chip_h + 2
            border = _INK if is_tag else "#8C8C8C"
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{chip_h:.1f}" '
                f'rx="{2 if is_tag else 5}" fill="{fill}" stroke="{border}" stroke-width="0.6"/>'
            )
            weight = {"font_weight": "bold"} if is_tag else {}
            out.append(_text(x + 3, y + chip_h - 3, words, _SMALL_PT, **weight))
            x += w + 3
    if card.chips:
        y += chip_h + 3
    for severity, words in card.gaps[:_GAPS_SHOWN]:
        dark = _SEVERITY_LOOK.get(severity, _SEVERITY_LOOK[None])[0]
        for line in wrap(f"{_MARKS.get(severity, '')} {words}", _SMALL_PT, inner, lines=4):
            out.append(_text(left, y + _SMALL_PT, line, _SMALL_PT, fill=dark))
            y += _SMALL_PT * _LINE
    if len(card.gaps) > _GAPS_SHOWN:
        more = f"+ {counted(len(card.gaps) - _GAPS_SHOWN, 'more gap')} in the gap report"
        out.append(_text(left, y + _SMALL_PT, more, _SMALL_PT, fill=_GREY, font_style="italic"))
        y += _SMALL_PT * _LINE
    height = y + _PAD
    border, _band, stroke, dashes = _SEVERITY_LOOK.get(card.worst, _SEVERITY_LOOK[None])
    frame = []
    if card.on_route:
        frame.append(
            f'<rect x="-3.5" y="-3.5" width="{width + 7:.1f}" height="{height + 7:.1f}" rx="6" '
            f'fill="none" stroke="{_HIGHLIGHT}" stroke-width="3"/>'
        )
    dash = f' stroke-dasharray="{dashes}"' if dashes else ""
    frame.append(
        f'<rect width="{width:.1f}" height="{height:.1f}" rx="4" fill="#FFFFFF" '
        f'stroke="{border}" stroke-width="{stroke:g}"{dash}/>'
    )
    if card.worst is not None:
        frame.append(
            f'<rect x="{stroke / 2:.1f}" y="{stroke / 2:.1f}" width="4" '
            f'height="{height - stroke:.1f}" fill="{border}"/>'
        )
    return height, "".join(frame + out)


# -- the layout -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Band:
    """One row of the grid on a page: a lane, or one piece of a lane too tall for a page."""

    lane: int
    piece: int
    pieces: int
    #: Stage number -> the cards of this band in that stage, in journey order.
    cells: dict[int, tuple[_Card, ...]]
    height: float


@dataclass(frozen=True)
class _Layout:
    """Where everything goes: the card width, the runs of stages and the bands of each page."""

    width: float
    height: float
    card: float
    #: The title's lines, the line of figures, the headline's lines and the note's lines.
    header: tuple[list[str], str, list[str], list[str]]
    header_h: float
    stage_h: float
    legend: list[list[tuple[float, str]]]
    legend_h: float
    chunks: list[range]
    #: Per page, in reading order: the run of stages (an index into ``chunks``) and its bands.
    pages: list[tuple[int, list[_Band]]]
    bodies: dict[str, tuple[float, str]]


_BELOW = 14.0  # room under the grid for "lanes continue on page N"


def _bands(
    drawn: _Map, bodies: dict[str, tuple[float, str]], room: float, run: range
) -> list[_Band]:
    """Return the lanes across the stages of ``run`` as bands, one too tall cut into pieces."""
    by_lane: dict[int, dict[int, list[_Card]]] = defaultdict(lambda: defaultdict(list))
    for card in drawn.cards:
        if card.stage in run:
            by_lane[card.lane][card.stage].append(card)
    bands: list[_Band] = []
    for lane in range(len(drawn.lanes)):
        pieces: dict[int, list[list[_Card]]] = {}
        for stage, cards in by_lane[lane].items():
            cut: list[list[_Card]] = [[]]
            used = 2 * _ROW_PAD
            for card in cards:
                h = bodies[card.key][0] + _CARD_GAP
                if cut[-1] and used + h > room:
                    cut.append([])
                    used = 2 * _ROW_PAD
                cut[-1].append(card)
                used += h
            pieces[stage] = cut
        count = max((len(c) for c in pieces.values()), default=1)
        for piece in range(count):
            cells = {s: tuple(c[piece]) for s, c in pieces.items() if piece < len(c)}
            tall = max(
                (sum(bodies[c.key][0] + _CARD_GAP for c in cards) for cards in cells.values()),
                default=0.0,
            )
            height = max(34.0 if cells else 26.0, tall - _CARD_GAP + 2 * _ROW_PAD)
            bands.append(_Band(lane, piece + 1, count, cells, height))
    return bands


def _legend_items(drawn: _Map, paged: bool, highlight: Finding | None) -> list[tuple[float, str]]:
    """Return the legend's items, each its width and its drawing from (0, 0) to (width, 12)."""
    items: list[tuple[float, str]] = []

    def words(text: str, x: float = 0.0, bold: bool = False, fill: str = _INK) -> tuple[float, str]:
        weight = {"font_weight": "bold"} if bold else {}
        return x + width_of(text, _SMALL_PT, bold), _text(
            x, 9.5, text, _SMALL_PT, fill=fill, **weight
        )

    items.append(words("Legend:", bold=True))
    for severity, name in (
        ("critical", "critical gap: bold border"),
        ("warning", "warning: dashed"),
        ("info", "info: dotted"),
        (None, "no gap"),
    ):
        border, _band, stroke, dashes = _SEVERITY_LOOK[severity]
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        box = (
            f'<rect x="0.5" y="0.5" width="20" height="11" rx="2" fill="#FFFFFF" '
            f'stroke="{border}" stroke-width="{stroke:g}"{dash}/>'
        )
        if severity is not None:
            box += f'<rect x="0.5" y="0.5" width="3.5" height="11" fill="{border}"/>'
        mark = f"{_MARKS[severity]} " if severity else ""
        end, label = words(mark + name, 25, fill=border if severity else _INK)
        items.append((end, box + label))
    fill = drawn.credentials[0][2] if drawn.credentials else "#FFFFFF"
    chip = width_of("claim", _SMALL_PT) + 6
    end, label = words("a message the card tells", chip + 4)
    items.append(
        (
            end,
            f'<rect x="0" y="0" width="{chip:.1f}" height="12" rx="5" fill="{fill}" '
            f'stroke="#8C8C8C" stroke-width="0.6"/>' + _text(3, 9, "claim", _SMALL_PT) + label,
        )
    )
    if len(drawn.credentials) > 1:
        for tag, name, tint in drawn.credentials:
            w = width_of(tag, _SMALL_PT, True) + 6
            end, label = words(f"= {name}", w + 4)
            items.append(
                (
                    end,
                    f'<rect x="0" y="0" width="{w:.1f}" height="12" rx="2" fill="{tint}" '
                    f'stroke="{_INK}" stroke-width="0.6"/>'
                    + _text(3, 9, tag, _SMALL_PT, font_weight="bold")
                    + label,
                )
            )
    items.append(words("▶ START: learners begin here · ★ awards a credential"))
    share = "80%: share who go on" if not drawn.stage_level else "3×: transitions between cells"
    end, label = words(share + " · dashed: back to an earlier stage", 26)
    arrow = '<path d="M0 6 H18" stroke="#5A5A5A" stroke-width="1.1" fill="none"/>'
    items.append((end, arrow + _head(18, 6, 1.0, 0.0, "#5A5A5A") + label))
    if paged:
        items.append(words("→ 7 p.2: goes on to card 7 on page 2"))
    if highlight is not None and any(c.on_route for c in drawn.cards):
        items.append(words("Thick purple: the highlighted route", fill=_HIGHLIGHT, bold=True))
    return items


def _legend_lines(items: list[tuple[float, str]], room: float) -> list[list[tuple[float, str]]]:
    """Return the legend's items in lines no wider than ``room``."""
    lines: list[list[tuple[float, str]]] = [[]]
    used = 0.0
    for item in items:
        if lines[-1] and used + item[0] > room:
            lines.append([])
            used = 0.0
        lines[-1].append(item)
        used += item[0] + 14
    return lines


def _layout(
    analysis: Analysis,
    drawn: _Map,
    page: Page | None,
    highlight: Finding | None,
    note: str | None = None,
    several: bool = True,
) -> _Layout:
    """Return where the map's parts go on ``page`` (None: one drawing the map's size).

    ``several=False`` leaves the other-page marker out of the legend.
    """
    journey = analysis.journey
    stages = max(1, len(journey.stages))
    if page is None:
        card, per = _FIT_CARD, stages
        width = max(760.0, 2 * _MARGIN + _LANE_HEAD + _GUTTER + per * (card + _GUTTER))
    else:
        room_w = page.width - 2 * _MARGIN - _LANE_HEAD - _GUTTER
        per = max(1, min(stages, int(room_w // (_MIN_CARD + _GUTTER))))
        per = math.ceil(stages / math.ceil(stages / per))
        card = room_w / per - _GUTTER
        width = page.width
    chunks = [range(i, min(i + per, stages)) for i in range(0, stages, per)]
    tagged = len(journey.credentials) > 1
    fills = {tag: fill for tag, _, fill in drawn.credentials}
    bodies = {c.key: _card_body(c, card, fills, tagged) for c in drawn.cards}
    result = score(analysis)
    counts = ", ".join(
        f"{analysis.count(s)} {SEVERITY_WORDS[s].lower()}" for s in ("critical", "warning", "info")
    )
    meta = (
        f"Journey map{' stage by stage' if drawn.stage_level else ''} · "
        f"score {result.value}/100 · findings: {counts} · "
        f"{counted(len(journey.touchpoints), 'touchpoint')} in "
        f"{counted(len(journey.stages), 'stage')}"
    )
    text_room = width - 2 * _MARGIN - 180
    title = wrap(journey.title, 16, text_room, bold=True, lines=2)
    headline = wrap(headline_sentence(analysis, result), 10, text_room, lines=2)
    noted = wrap(note, 9, text_room, bold=True, lines=2) if note else []
    header_h = len(title) * 19.5 + 14 + len(headline) * 12.5 + len(noted) * 11.5 + 8
    names = [wrap(s.name, _TITLE_PT, card - 10, bold=True, lines=3) for s in journey.stages]
    stage_h = max((len(n) for n in names), default=1) * 12.2 + _SMALL_PT * 1.3 + 15
    items = _legend_items(drawn, several and page is not None, highlight)
    legend = _legend_lines(items, width - 2 * _MARGIN)
    legend_h = len(legend) * 15 + 6
    fixed = 2 * _MARGIN + header_h + stage_h + legend_h + _BELOW + 4
    room_h = (page.height if page else math.inf) - fixed
    if room_h < 60:
        raise RenderError(f"the page is too small for the journey map ({room_h:.0f} pt left)")
    laid: list[tuple[int, list[_Band]]] = []
    for run, stages_run in enumerate(chunks):
        groups: list[list[_Band]] = [[]]
        used = 0.0
        for band in _bands(drawn, bodies, room_h, stages_run):
            if groups[-1] and used + band.height > room_h:
                groups.append([])
                used = 0.0
            groups[-1].append(band)
            used += band.height
        for bands in groups:
            if page is not None:  # rows share what the page has left: room to write on
                spare = (room_h - sum(b.height for b in bands)) / len(bands)
                bands = [dataclasses.replace(b, height=b.height + spare) for b in bands]
            laid.append((run, bands))
    height = page.height if page else fixed + sum(b.height for b in laid[0][1])
    return _Layout(
        width,
        height,
        card,
        (title, meta, headline, noted),
        header_h,
        stage_h,
        legend,
        legend_h,
        chunks,
        laid,
        bodies,
    )


# -- drawing a page -------------------------------------------------------------------------


def _head(x: float, y: float, dx: float, dy: float, colour: str, size: float = 6.0) -> str:
    """Return an arrowhead with its tip at (x, y), pointing along (dx, dy)."""
    norm = math.hypot(dx, dy) or 1.0
    ux, uy = dx / norm, dy / norm
    bx, by = x - ux * size, y - uy * size
    half = size * 0.55
    return (
        f'<polygon points="{x:.1f},{y:.1f} {bx - uy * half:.1f},{by + ux * half:.1f} '
        f'{bx + uy * half:.1f},{by - ux * half:.1f}" fill="{colour}"/>'
    )


def _label(x: float, y: float, words: str, anchor: str = "start", fill: str = _INK) -> str:
    """Return small text on a white patch, its baseline at y, so it reads over lines."""
    w = width_of(words, _SMALL_PT)
    left = x if anchor == "start" else x - w
    return (
        f'<rect x="{left - 1:.1f}" y="{y - _SMALL_PT:.1f}" width="{w + 2:.1f}" '
        f'height="{_SMALL_PT + 2.5:.1f}" fill="#FFFFFF" fill-opacity="0.9"/>'
        + _text(x, y, words, _SMALL_PT, fill=fill, text_anchor=anchor)
    )


_Box = tuple[float, float, float, float]


def _arrows(
    drawn: _Map,
    boxes: dict[str, _Box],
    columns: dict[str, int],
    where: dict[str, int],
    numbers: dict[str, int],
    dim: bool,
) -> tuple[list[str], list[str]]:
    """Return the arrows (drawn under the cards) and their labels (drawn over them)."""
    lines: list[str] = []
    labels: list[str] = []
    leaving: dict[str, list[_Route]] = defaultdict(list)
    arriving: dict[str, list[_Route]] = defaultdict(list)
    for r in drawn.routes:
        if r.start in boxes and (r.end not in boxes or columns[r.end] > columns[r.start]):
            leaving[r.start].append(r)
        if r.end in boxes and (r.start not in boxes or columns[r.end] > columns[r.start]):
            arriving[r.end].append(r)

    def order(key: str) -> float:
        box = boxes.get(key)
        return box[1] if box else -1.0

    out_at: dict[tuple[str, str], float] = {}
    in_at: dict[tuple[str, str], float] = {}
    for key, routes in leaving.items():
        x, y, w, h = boxes[key]
        ports = _ports(y, h, len(routes))
        for i, r in enumerate(sorted(routes, key=lambda r: order(r.end))):
            out_at[r.start, r.end] = ports[i]
    for key, routes in arriving.items():
        x, y, w, h = boxes[key]
        ports = _ports(y, h, len(routes))
        for i, r in enumerate(sorted(routes, key=lambda r: order(r.start))):
            in_at[r.start, r.end] = ports[i]
    tracks: dict[int, int] = defaultdict(int)
    shown: dict[str, float] = {}  # the last share label's baseline beside each card
    for r in drawn.routes:
        colour = _HIGHLIGHT if r.on_route else ("#B0B0B0" if dim else "#5A5A5A")
        stroke = 3.0 if r.on_route else 1.1
        style = f'fill="none" stroke="{colour}" stroke-width="{stroke:g}"'
        have_start, have_end = r.start in boxes, r.end in boxes
        if have_start and have_end:
            sx, sy, sw, sh = boxes[r.start]
            tx, ty, tw, th = boxes[r.end]
            if columns[r.end] > columns[r.start]:
                x0, y0 = sx + sw, _on(out_at[r.start, r.end], sy, sh)
                x1, y1 = tx, _on(in_at[r.start, r.end], ty, th)
                bend = max(18.0, (x1 - x0) / 2)
                lines.append(
                    f'<path d="M{x0:.1f} {y0:.1f} C{x0 + bend:.1f} {y0:.1f} {x1 - bend:.1f} '
                    f'{y1:.1f} {x1 - 6:.1f} {y1:.1f} L{x1 - 5:.1f} {y1:.1f}" {style}/>'
                    + _head(x1, y1, 1.0, 0.0, colour)
                )
                if r.label:
                    labels.append(_label(x0 + 3, _below(shown, r.start, y0 - 2.5), r.label))
            elif columns[r.end] == columns[r.start] and _between(boxes, r.start, r.end):
                # Another card stands between: go round it, through the gutter on the
                # right, each such arrow of a column on its own track.
                k = tracks[columns[r.start]]
                tracks[columns[r.start]] += 1
                x0, x1, bend = sx + sw, tx + tw, 8.0 + 7 * (k % 4)
                y0, y1 = sy + sh - 6 - 4 * (k % 3), ty + 8 + 4 * (k % 3)
                turn = 4.0 if y1 > y0 else -4.0
                gx = x0 + bend
                lines.append(
                    f'<path d="M{x0:.1f} {y0:.1f} H{gx - 4:.1f} Q{gx:.1f} {y0:.1f} {gx:.1f} '
                    f"{y0 + turn:.1f} V{y1 - turn:.1f} Q{gx:.1f} {y1:.1f} {gx - 4:.1f} {y1:.1f} "
                    f'H{x1 + 6:.1f}" {style}/>' + _head(x1, y1, -1.0, 0.0, colour)
                )
                if r.label:
                    labels.append(_label(gx + 2, y0 + (y1 - y0) * 0.3 + 3, r.label))
            elif columns[r.end] == columns[r.start]:
                down = ty > sy
                x0 = sx + sw * 0.72
                x1 = tx + tw * 0.72
                y0, y1 = (sy + sh, ty) if down else (sy, ty + th)
                step = 1.0 if down else -1.0
                mid = (y0 + y1) / 2
                lines.append(
                    f'<path d="M{x0:.1f} {y0:.1f} C{x0:.1f} {mid:.1f} {x1:.1f} {mid:.1f} '
                    f'{x1:.1f} {y1 - 6 * step:.1f}" {style}/>' + _head(x1, y1, 0.0, step, colour)
                )
                if r.label:
                    labels.append(_label(x1 + 4, mid + 3, r.label))
            else:
                x0, y0 = sx + sw * 0.3, sy
                x1, y1 = tx + tw * 0.7, ty
                top = min(y0, y1) - 22
                lines.append(
                    f'<path d="M{x0:.1f} {y0:.1f} C{x0:.1f} {top:.1f} {x1:.1f} {top:.1f} '
                    f'{x1:.1f} {y1 - 6:.1f}" {style} stroke-dasharray="4 3"/>'
                    + _head(x1, y1, 0.0, 1.0, colour)
                )
                if r.label:
                    labels.append(_label(x0 + 3, y0 - 3, r.label))
        elif have_start:
            sx, sy, sw, sh = boxes[r.start]
            x0, y0 = sx + sw, out_at[r.start, r.end]
            lines.append(
                f'<path d="M{x0:.1f} {_on(y0, sy, sh):.1f} L{x0 + 5:.1f} {y0:.1f}" {style}/>'
            )
            pill = f"→ {numbers.get(r.end, '?')} p.{where.get(r.end, '?')}"
            labels.append(_pill(x0 + 5, y0, pill, colour))
            if r.label:
                labels.append(_label(x0 + 3, _below(shown, r.start, y0 - 7), r.label))
        elif have_end:
            tx, ty, tw, th = boxes[r.end]
            y1 = in_at[r.start, r.end]
            pill = f"{numbers.get(r.start, '?')} p.{where.get(r.start, '?')} →"
            width = width_of(pill, _SMALL_PT) + 6
            labels.append(_pill(tx - 7 - width, y1, pill, colour))
            at = _on(y1, ty, th)
            lines.append(
                f'<path d="M{tx - 7:.1f} {y1:.1f} L{tx - 5:.1f} {at:.1f}" {style}/>'
                + _head(tx, at, 7.0, at - y1, colour)
            )
    return lines, labels


def _ports(y: float, h: float, count: int) -> list[float]:
    """Return where ``count`` arrows leave (or reach) a card's side, a label's height apart.

    They spread over the side, or beyond its ends when the card is too short for them.
    """
    room = (h - 20) / (count + 1)
    if room >= 12.5:
        return [y + 14 + room * (i + 1) for i in range(count)]
    return [y + h / 2 + 12.5 * (i - (count - 1) / 2) for i in range(count)]


def _on(y: float, top: float, h: float) -> float:
    """Return ``y`` moved onto a card's side (from ``top``, ``h`` high), 4 pt inside its ends."""
    return min(max(y, top + 4), top + h - 4)


def _below(shown: dict[str, float], key: str, y: float) -> float:
    """Return a label's baseline at ``y`` or far enough below the last one beside ``key``."""
    if key in shown:
        y = max(y, shown[key] + _SMALL_PT + 2)
    shown[key] = y
    return y


def _between(boxes: dict[str, _Box], start: str, end: str) -> bool:
    """Return whether another card of the same column lies between two cards."""
    sx, sy, _, sh = boxes[start]
    ty, th = boxes[end][1], boxes[end][3]
    low, high = min(sy + sh, ty + th), max(sy, ty)
    return any(
        x == sx and key not in (start, end) and y >= low - 1 and y + h <= high + 1
        for key, (x, y, _, h) in boxes.items()
    )


def _pill(x: float, y: float, words: str, colour: str) -> str:
    """Return a rounded marker for a card on another page, its left middle at (x, y)."""
    w = width_of(words, _SMALL_PT) + 6
    return (
        f'<rect x="{x:.1f}" y="{y - 6:.1f}" width="{w:.1f}" height="12" rx="6" fill="#F1ECF8" '
        f'stroke="{_HIGHLIGHT if colour != "#B0B0B0" else colour}" stroke-width="0.8"/>'
        + _text(x + 3, y + 3, words, _SMALL_PT, fill=_HIGHLIGHT)
    )


def _page_svg(
    analysis: Analysis,
    drawn: _Map,
    lay: _Layout,
    index: int,
    where: dict[str, int],
    numbers: dict[str, int],
    highlight: Finding | None,
) -> str:
    """Return one page of the poster: header, stage heads, lanes, cards, arrows and legend."""
    journey = analysis.journey
    run, bands = lay.pages[index]
    chunk = lay.chunks[run]
    count = len(lay.pages)
    number = index + 1
    first = {r: n + 1 for n, (r, _) in reversed(list(enumerate(lay.pages)))}
    below = index + 2 if index + 1 < count and lay.pages[index + 1][0] == run else None
    split = below is not None or (index > 0 and lay.pages[index - 1][0] == run)
    w, h = lay.width, lay.height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.2f}pt" height="{h:.2f}pt" '
        f'viewBox="0 0 {w:.2f} {h:.2f}" class="journey-map-poster" data-page="{number}" '
        f'data-pages="{count}">',
        f"<title>{html.escape(journey.title)}: journey map, page {number} of {count}</title>",
        f'<rect width="{w:.2f}" height="{h:.2f}" fill="#FFFFFF"/>',
    ]
    title, meta, headline, noted = lay.header
    y = _MARGIN
    for line in title:
        out.append(_text(_MARGIN, y + 16, line, 16, font_weight="bold"))
        y += 19.5
    out.append(_text(_MARGIN, y + 10, meta, 9, fill="#333333"))
    y += 14
    for line in headline:
        out.append(_text(_MARGIN, y + 10, line, 10, font_style="italic"))
        y += 12.5
    for line in noted:
        out.append(_text(_MARGIN, y + 9.5, line, 9, font_weight="bold", fill=_HIGHLIGHT))
        y += 11.5
    if count > 1:
        out.append(
            _text(
                w - _MARGIN,
                _MARGIN + 14,
                f"Page {number} of {count}",
                11,
                font_weight="bold",
                text_anchor="end",
            )
        )
    span = f"Stages {chunk[0] + 1}–{chunk[-1] + 1}" if len(chunk) > 1 else f"Stage {chunk[0] + 1}"
    span += f" of {len(journey.stages)}"
    if split:
        first_lane, last = bands[0].lane + 1, bands[-1].lane + 1
        span += (
            f" · lanes {first_lane}–{last} of {len(drawn.lanes)}"
            if last > first_lane
            else f" · lane {first_lane} of {len(drawn.lanes)}"
        )
    if count > 1:
        out.append(
            _text(w - _MARGIN, _MARGIN + 28, span, _SMALL_PT, fill="#333333", text_anchor="end")
        )
    top = _MARGIN + lay.header_h
    left = _MARGIN + _LANE_HEAD + _GUTTER
    step = lay.card + _GUTTER
    body_h = sum(b.height for b in bands)
    grid_top = top + lay.stage_h
    for j, stage_no in enumerate(chunk):
        cx = left + j * step
        tint = "#F3F5F8" if stage_no % 2 == 0 else "#FFFFFF"
        out.append(
            f'<rect x="{cx - _GUTTER / 2:.1f}" y="{grid_top:.1f}" width="{step:.1f}" '
            f'height="{body_h:.1f}" fill="{tint}"/>'
        )
        stage = journey.stages[stage_no]
        out.append(
            f'<rect x="{cx - 4:.1f}" y="{top:.1f}" width="{lay.card + 8:.1f}" '
            f'height="{lay.stage_h - 5:.1f}" rx="3" fill="#2F3B4C"/>'
        )
        ty = top + 4
        for line in wrap(stage.name, _TITLE_PT, lay.card - 10, bold=True, lines=3):
            out.append(
                _text(cx, ty + _TITLE_PT, line, _TITLE_PT, font_weight="bold", fill="#FFFFFF")
            )
            ty += 12.2
        out.append(
            _text(
                cx,
                ty + _SMALL_PT + 1,
                f"Stage {stage_no + 1} · {stage.phase}",
                _SMALL_PT,
                fill="#DCE2EA",
            )
        )
    if run > 0:
        back = first[run - 1]
        earlier = lay.chunks[run - 1]
        out.append(
            _marker(
                _MARGIN,
                top,
                _LANE_HEAD - 6,
                lay.stage_h - 5,
                [f"◀ stages {earlier[0] + 1}–{earlier[-1] + 1}", f"on page {back}"],
            )
        )
    else:
        out.append(_text(_MARGIN + 2, top + 14, "Lanes by", 9, font_weight="bold", fill="#333333"))
        out.append(_text(_MARGIN + 2, top + 26, "channel", 9, font_weight="bold", fill="#333333"))
    end = left + len(chunk) * step - _GUTTER
    if run + 1 < len(lay.chunks):
        later = lay.chunks[run + 1]
        out.append(
            _marker(
                end + 7,
                top,
                _GUTTER - 9,
                lay.stage_h - 5,
                [f"p.{first[run + 1]} ▶", f"{later[0] + 1}–{later[-1] + 1}"],
            )
        )
        out.append(
            f'<path d="M{end + 24:.1f} {grid_top:.1f} V{grid_top + body_h:.1f}" '
            f'stroke="{_HIGHLIGHT}" stroke-width="1.2" stroke-dasharray="4 3"/>'
        )
    boxes: dict[str, _Box] = {}
    cards: list[str] = []
    y = grid_top
    for band in bands:
        out.append(
            f'<rect x="{_MARGIN:.1f}" y="{y + 1:.1f}" width="{_LANE_HEAD - 6:.1f}" '
            f'height="{band.height - 2:.1f}" rx="3" fill="#E4E8EE"/>'
        )
        ly = y + 4
        for line in wrap(drawn.lanes[band.lane], 9, _LANE_HEAD - 14, bold=True, lines=3):
            out.append(_text(_MARGIN + 4, ly + 9, line, 9, font_weight="bold"))
            ly += 11
        if band.pieces > 1:
            out.append(
                _text(
                    _MARGIN + 4,
                    ly + 9,
                    f"part {band.piece} of {band.pieces}",
                    _SMALL_PT,
                    fill="#333333",
                )
            )
        for j, stage_no in enumerate(chunk):
            cx = left + j * step
            cy = y + _ROW_PAD
            for card in band.cells.get(stage_no, ()):
                ch, body = lay.bodies[card.key]
                boxes[card.key] = (cx, cy, lay.card, ch)
                cards.append(
                    f'<g class="card sev-{card.worst or "none"}" id="card-{html.escape(card.key)}" '
                    f'transform="translate({cx:.1f} {cy:.1f})">{body}</g>'
                )
                cy += ch + _CARD_GAP
        y += band.height
        out.append(
            f'<path d="M{_MARGIN:.1f} {y:.1f} H{end + _GUTTER / 2:.1f}" stroke="#D0D4DA" '
            'stroke-width="0.6"/>'
        )
    if below is not None:
        rest = lay.pages[index + 1][1][0].lane + 1
        out.append(
            _text(
                _MARGIN,
                y + 11,
                f"▼ more lanes, from lane {rest}, continue on page {below}",
                _SMALL_PT,
                fill=_HIGHLIGHT,
                font_weight="bold",
            )
        )
    columns = {c.key: c.stage for c in drawn.cards}
    dim = any(r.on_route for r in drawn.routes)
    lines, labels = _arrows(drawn, boxes, columns, where, numbers, dim)
    out += lines
    out += cards
    out += labels
    ly = h - _MARGIN - lay.legend_h + 6
    out.append(
        f'<path d="M{_MARGIN:.1f} {ly - 4:.1f} H{w - _MARGIN:.1f}" stroke="#BBBBBB" '
        'stroke-width="0.6"/>'
    )
    out.append('<g class="legend">')
    for items in lay.legend:
        x = _MARGIN
        for width, item in items:
            out.append(f'<g transform="translate({x:.1f} {ly:.1f})">{item}</g>')
            x += width + 14
        ly += 15
    out.append("</g></svg>")
    return "\n".join(out)


def _marker(x: float, y: float, w: float, h: float, lines: list[str]) -> str:
    """Return a continuation marker: a purple box naming where the stages go on."""
    out = [
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="3" fill="#E8E1F5" '
        f'stroke="{_HIGHLIGHT}" stroke-width="1"/>'
    ]
    ty = y + 4
    for line in lines:
        out.append(
            _text(x + 3, ty + _SMALL_PT, line, _SMALL_PT, fill=_HIGHLIGHT, font_weight="bold")
        )
        ty += 10
    return "".join(out)


def poster_svgs(
    analysis: Analysis,
    page: Page | None,
    *,
    highlight: Finding | None = None,
    stage_level: bool = False,
    timeout: float = 20.0,
    note: str | None = None,
) -> Sheet:
    """Return the journey map laid out as a poster on ``page``, one SVG document a page.

    Parameters
    ----------
    analysis
        The analysed journey.
    page
        A page of :data:`journeys.pages.PAGES`, or None for one drawing the size
        of the map (``--page fit``).
    highlight
        A finding whose learner route is drawn in thick purple.
    stage_level
        Draw one box per lane and stage instead of a card per touchpoint.
    timeout
        The most seconds laying the map out may take.
    note
        A sentence shown in every page's header, e.g. why it is drawn stage by stage.

    Returns
    -------
    Sheet
        The pages in reading order (a run of stages, its lanes that did not fit
        on the following pages, then the next run); ``page`` is the page used
        (for ``fit``, one the size of the map).

    Raises
    ------
    RenderError
        When laying out takes longer than ``timeout`` (the message says
        "longer than", as Graphviz's time limit does), or the page is too small
        to hold one row of cards.

    Examples
    --------
    >>> from journeys.analysis import analyse
    >>> from journeys.fileformat import load
    >>> from journeys.pages import PAGES
    >>> sheet = poster_svgs(analyse(load("journeys/examples/staff-pd-badge.json")), PAGES["a4"])
    >>> len(sheet.pages) >= 1, b"journey-map-poster" in sheet.pages[0]
    (True, True)
    """
    deadline = time.monotonic() + timeout
    try:
        if stage_level:
            drawn = _stage_map(analysis, highlight)
        else:
            drawn = _touchpoint_map(analysis, highlight, deadline, timeout)
        lay = _layout(analysis, drawn, page, highlight, note)
        if len(lay.pages) == 1 and page is not None:  # nothing goes on elsewhere
            lay = _layout(analysis, drawn, page, highlight, note, several=False)
        if time.monotonic() > deadline:
            raise _TooSlow(timeout)
    except _TooSlow:
        size = len(analysis.journey.touchpoints)
        raise RenderError(
            f"laying out the journey map of {size} touchpoints took longer than {timeout:g} s; "
            "draw it stage by stage instead (stage_level=True)"
        ) from None
    where: dict[str, int] = {}
    for number, (_run, bands) in enumerate(lay.pages, start=1):
        for band in bands:
            for cards in band.cells.values():
                where.update((card.key, number) for card in cards)
    numbers = {c.key: c.number for c in drawn.cards}
    svgs = tuple(
        _page_svg(analysis, drawn, lay, n, where, numbers, highlight).encode("utf-8")
        for n in range(len(lay.pages))
    )
    if page is None:
        # A PNG of the whole map: two pixels a point, at most _PNG_PIXELS on its long side.
        scale = min(2.0, _PNG_PIXELS / max(lay.width, lay.height))
        pixels = (round(lay.width * scale), round(lay.height * scale))
        page = Page("Fit", round(lay.width, 2), round(lay.height, 2), pixels)
    return Sheet(svgs, page, stage_level)


def size_notice(size: int, limit: int) -> str | None:
    """Return why a map of ``size`` touchpoints is drawn stage by stage, None within ``limit``.

    >>> size_notice(10, 20) is None, size_notice(30, 20)[:40]
    (True, 'This journey has 30 touchpoints, more th')
    """
    if size <= limit:
        return None
    return (
        f"This journey has {size} touchpoints, more than the {limit} the journey map draws "
        "card by card, so it is drawn stage by stage."
    )


def write_poster(
    analysis: Analysis,
    path: str,
    page: Page | None,
    highlight: Finding | None = None,
    stage_level: bool = False,
    *,
    timeout: float = 20.0,
    max_touchpoints: int = 2000,
) -> tuple[list[str], str | None]:
    """Write the poster to ``path`` (.svg, .png or .pdf); return the files and any notice.

    Parameters
    ----------
    analysis
        The analysed journey.
    path
        Where to write; the extension says the format. A PDF holds every page;
        an SVG or PNG of several pages is one file a page, ``NAME.svg``,
        ``NAME-2.svg`` and so on, as for the paged gap diagram.
    page
        A page of :data:`journeys.pages.PAGES`, or None for one drawing (``fit``).
    highlight, stage_level
        As for :func:`poster_svgs`.
    timeout, max_touchpoints
        Past either the map is drawn stage by stage.

    Returns
    -------
    tuple of (list of str, str or None)
        The files written, and why the map is drawn stage by stage when that was
        not asked for (the same words head each page).

    Raises
    ------
    RenderError
        For another extension, or when even the stage-level map cannot be drawn.
    OSError
        When a file cannot be written.
    """
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in PAGE_FORMATS:
        raise RenderError(f"the journey map poster is .svg, .png or .pdf, not {target.name!r}")
    size = len(analysis.journey.touchpoints)
    notice = None if stage_level else size_notice(size, max_touchpoints)
    try:
        sheet = poster_svgs(
            analysis,
            page,
            highlight=highlight,
            stage_level=stage_level or notice is not None,
            timeout=timeout,
            note=notice,
        )
    except RenderError as exc:
        if "longer than" not in str(exc) or stage_level:
            raise
        notice = (
            f"Laying out this journey's {size} touchpoints took longer than the {timeout:g} s "
            "allowed, so it is drawn stage by stage."
        )
        sheet = poster_svgs(analysis, page, highlight=highlight, stage_level=True, note=notice)
    if fmt == "pdf":
        target.write_bytes(to_pdf(sheet.pages))
        return [str(target)], notice
    written = []
    for number, svg in enumerate(sheet.pages, start=1):
        name = target if number == 1 else target.with_name(f"{target.stem}-{number}{target.suffix}")
        name.write_bytes(svg if fmt == "svg" else to_png(svg, sheet.page))
        written.append(str(name))
    return written, notice
