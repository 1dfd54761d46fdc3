"""The journey map: stages by lanes, a card per touchpoint with its chips, gaps and drawn routes."""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

from cachetools import LRUCache
from flask import Blueprint, render_template, request, session
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import func, select

from app import reviews
from app.access import can, journey_or_404, role_on, shared_or_signed_in
from app.analysis import gaps_for
from app.editor import touchpoints
from app.extensions import db
from app.grid import LANES, grid
from app.models import Journey, Stage, Touchpoint, Transition
from journeys import model as engine

__all__ = ["CARD_LIMIT", "PAGE_SIZE", "bp", "render_map"]

bp = Blueprint("map", __name__, url_prefix="/journeys")

#: Above this many touchpoints the map lists them stage by stage instead of card by card.
CARD_LIMIT = 1000
#: Touchpoints per page of a stage's list in that view.
PAGE_SIZE = 50
#: Rendered grids a process keeps (about 100 kB each at 30 touchpoints), least recently used out.
_GRIDS: LRUCache[tuple[Any, ...], str] = LRUCache(maxsize=32)
_GRIDS_LOCK = threading.Lock()
#: Where the session's CSRF token goes in a kept grid (never in a page: NUL is refused as text).
_TOKEN = "\x00csrf-token\x00"  # noqa: S105 (a marker, not a secret)
#: Where a change made on the map leaves its words and revision until the map shows them.
DONE = "map_done"


@bp.route("/<int:journey_id>")
@shared_or_signed_in
def show(journey_id: int) -> str:
    """Show the journey map, lanes by channel or by owner (``?lanes=owner``).

    ``?panel=KEY`` opens a touchpoint's side panel (editors only).
    """
    journey = journey_or_404(journey_id)
    return render_map(journey)


def render_map(journey: Journey, status: int = 200, **extra: Any) -> Any:
    """Return the map page of ``journey``; ``extra`` (problems, conflict, panel form) shows too.

    Only the ``#map-region`` part changes between states, so a page part
    swapped in by htmx and a full page load show the same thing.
    """
    by = request.values.get("lanes", "channel")
    editable = can(journey, "edit")
    count = db.session.scalar(
        select(func.count()).select_from(Touchpoint).where(Touchpoint.journey_id == journey.id)
    )
    large = (count or 0) > CARD_LIMIT
    if large:
        # Straight from the tables: building the engine's journey of 20,000 touchpoints
        # takes seconds, and this view shows titles only.
        source = _outline(journey)
        gaps = None
        layout = None
    else:
        # Analysed once per revision: a hit reads one row and builds no journey.
        gaps = gaps_for(journey)
        source = gaps.analysis.journey
        layout = grid(source, gaps.analysis, by)
    panel = extra.pop("panel_form", None)
    key = request.values.get("panel")
    if panel is None and editable and key and not large:
        from app.editor import mapedits

        record = next((t for t in journey.touchpoints if t.key == key), None)
        if record is not None:
            panel = mapedits.panel_form(journey, record)
    done = session.pop(DONE, None)
    context: dict[str, Any] = dict(
        journey=journey,
        source=source,
        gaps=gaps,
        grid=layout,
        large=large,
        stage_pages=_stage_pages(source) if large else None,
        lanes=LANES,
        by=by if by in LANES else "channel",
        role=role_on(journey.id),
        editable=editable,
        review_states=reviews.card_states(journey.id, source) if not large else {},
        records={t.key: t for t in journey.touchpoints} if editable and not large else {},
        titles={t.id: t.title for t in source.touchpoints},
        owners=engine.OWNERS,
        stage_names={s.id: s.name for s in source.stages},
        panel_messages=touchpoints.message_fields(panel, journey) if panel is not None else [],
        hints=engine.MESSAGE_MEANINGS,
        panel_card=_card(layout, panel.panel_key) if panel is not None and layout else None,
        panel=panel,
        done=done,
        add_after=_add_after(source) if editable and not large else {},
        stage_records={s.key: s for s in journey.stages} if editable and not large else {},
        phases=engine.PHASES,
        **extra,
    )
    if not large:
        context["grid_html"] = _grid_html(context)
    page = render_template("map/show.html", **context)
    return (page, status) if status != 200 else page


def _grid_html(context: dict[str, Any]) -> Markup:
    """Return the map's grid (``map/_grid.html``), rendered once per revision and view.

    What the grid shows is fixed by the revision analysed (``gaps.key``), the
    lanes, whether the visitor may edit, the records' versions (its forms carry
    them) and the review states; those make the key. The session's CSRF token
    is taken out before keeping and put back on the way out. A grid showing a
    refused change's problems is rendered afresh.
    """
    if context.get("problems"):
        # A rendered template: Jinja escaped every user text in it.
        return Markup(render_template("map/_grid.html", **context))  # noqa: S704
    key = (
        context["gaps"].key,
        request.script_root,
        context["grid"].by,
        context["editable"],
        tuple((k, r.version) for k, r in context["records"].items()),
        tuple((k, r.version) for k, r in context["stage_records"].items()),
        tuple(sorted(context["review_states"].items())),
    )
    token = generate_csrf()
    with _GRIDS_LOCK:
        kept = _GRIDS.get(key)
    if kept is None:
        kept = render_template("map/_grid.html", **context).replace(token, _TOKEN)
        with _GRIDS_LOCK:
            _GRIDS[key] = kept
    return Markup(kept.replace(_TOKEN, token))  # noqa: S704 (a rendered template, as above)


def _outline(journey: Journey) -> SimpleNamespace:
    """Return the stages, touchpoints (id, title, stage, channel) and transition count, by SQL."""
    stages = db.session.execute(
        select(Stage.id, Stage.key, Stage.name)
        .where(Stage.journey_id == journey.id)
        .order_by(Stage.position)
    ).all()
    key_of = {row.id: row.key for row in stages}
    rows = db.session.execute(
        select(Touchpoint.key, Touchpoint.title, Touchpoint.stage_id, Touchpoint.channel)
        .where(Touchpoint.journey_id == journey.id)
        .order_by(Touchpoint.position)
    ).all()
    transitions = db.session.scalar(
        select(func.count()).select_from(Transition).where(Transition.journey_id == journey.id)
    )
    return SimpleNamespace(
        stages=[SimpleNamespace(id=row.key, name=row.name) for row in stages],
        touchpoints=[
            SimpleNamespace(id=r.key, title=r.title, stage=key_of[r.stage_id], channel=r.channel)
            for r in rows
        ],
        transitions=range(transitions or 0),
    )


def _add_after(source: engine.Journey) -> dict[str, str]:
    """Return, per stage id, the title a touchpoint added there comes after unless changed.

    That is the most recently added touchpoint that leads nowhere yet, in the
    stage or an earlier one, so adding touchpoints one after another builds a
    path; empty when there is none or its title is not unique.
    """
    leads = {tr.from_ for tr in source.transitions}
    column = {s.id: i for i, s in enumerate(source.stages)}
    seen: dict[str, int] = {}
    last: dict[int, tuple[int, str]] = {}
    for i, t in enumerate(source.touchpoints):
        seen[t.title] = seen.get(t.title, 0) + 1
        if t.id not in leads:
            last[column[t.stage]] = (i, t.title)
    defaults: dict[str, str] = {}
    best: tuple[int, str] | None = None
    for i, s in enumerate(source.stages):
        here = last.get(i)
        if here is not None and (best is None or here[0] > best[0]):
            best = here
        defaults[s.id] = best[1] if best is not None and seen[best[1]] == 1 else ""
    return defaults


def _card(layout: Any, key: str) -> Any:
    """Return the card of touchpoint ``key`` in the grid, or None."""
    for lane in layout.lanes:
        for cell in lane.cells:
            for card in cell:
                if card.touchpoint.id == key:
                    return card
    return None


def _stage_pages(source: Any) -> list[dict[str, Any]]:
    """Return, per stage, its touchpoint count and the page of titles asked for."""
    by_stage: dict[str, list[Any]] = {s.id: [] for s in source.stages}
    for t in source.touchpoints:
        by_stage[t.stage].append(t)
    pages = []
    for s in source.stages:
        items = by_stage[s.id]
        last = max(0, (len(items) - 1) // PAGE_SIZE)
        try:
            page = min(max(int(request.args.get(f"page-{s.id}", 0)), 0), last)
        except ValueError:
            page = 0
        pages.append(
            {
                "stage": s,
                "count": len(items),
                "page": page,
                "last": last,
                "items": items[page * PAGE_SIZE : (page + 1) * PAGE_SIZE],
            }
        )
    return pages
