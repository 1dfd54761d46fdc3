"""The gap report: score, findings with their learner routes, coverage, shares, the diagram.

Everything shown comes from the engine's analysis (:mod:`app.analysis`); this
module only arranges it for the page, the what-if preview and the workshop
report (:mod:`app.report.exports`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from typing import Any
from urllib.parse import quote

from cachetools import LRUCache
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from app import convert, revisions
from app.access import can, journey_or_404, shared_or_signed_in
from app.analysis import Gaps, Key, gaps_for, gaps_of, top_fixes
from app.models import Journey
from app.report import screen
from app.report.outcomes import claim_gains
from app.saving import save_or_explain
from journeys import fixes as whatif
from journeys import model as engine
from journeys.advice import learner_gap
from journeys.findings import Finding
from journeys.model import SEVERITIES
from journeys.report import Card, awareness_sentence, cards, headline_sentence
from journeys.score import score as engine_score
from journeys.suggestions import declared_but_unsaid

__all__ = ["COVERAGE", "Overview", "bp", "overview"]

bp = Blueprint("report", __name__, url_prefix="/journeys/<int:journey_id>")

#: How a coverage reads in a cell: a symbol and a word, never colour alone.
COVERAGE = {"all": "✔ all", "partial": "◐ partial", "none": "✖ none"}


@dataclass(frozen=True)
class Step:
    """One touchpoint on a learner's route; ``last`` marks where the gap shows."""

    key: str
    title: str
    last: bool


@dataclass(frozen=True)
class Leg:
    """The consecutive steps of a route within one stage."""

    stage: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class FindingView:
    """A finding as the report shows it: number, words, route and the fixes to try."""

    number: int
    finding: Finding
    about: tuple[str, ...]
    route: tuple[Leg, ...]
    #: What the learner lacks where the route ends, e.g. "not told what the Badge represents".
    gap: str | None
    fixes: tuple[whatif.Fix, ...]


@dataclass(frozen=True)
class Matrix:
    """One credential's coverage: a row per required message, a column per checkpoint."""

    credential: engine.Credential
    #: (by, touchpoint title) per column.
    columns: tuple[tuple[str, str], ...]
    #: (message, severity, coverage per column or None where it is not checked).
    rows: tuple[tuple[str, str, tuple[str | None, ...]], ...]


@dataclass(frozen=True)
class IssuePoint:
    """Where a credential is issued: how many learners arrive and how many know each message."""

    credential: str
    touchpoint: str
    arrival: float | None
    shares: tuple[tuple[str, float | None], ...]


@dataclass(frozen=True)
class CardView:
    """One card of the report: the findings at one place, one learner route, their fixes."""

    card: Card
    number: int
    route: tuple[Leg, ...]
    gap: str | None
    fixes: tuple[whatif.Fix, ...]


@dataclass(frozen=True)
class Overview:
    """Everything the report page and the workshop report show about one analysis."""

    source: engine.Journey
    gaps: Gaps
    groups: tuple[tuple[str, tuple[FindingView, ...]], ...]
    matrices: tuple[Matrix, ...]
    points: tuple[IssuePoint, ...]
    sentence: str | None
    #: The headline: the weakest critical message at issue and its informed share.
    headline: str = ""
    #: *Fix these first*: the engine's top fixes (key, label, gain, score, draft).
    top: tuple[dict[str, Any], ...] = ()
    #: The findings as cards, one per place.
    cards: tuple[CardView, ...] = ()
    #: How the score was reached, in plain words.
    explanation: tuple[str, ...] = ()
    #: Review notes, not findings: (touchpoint key, title, credential name, note).
    unsaid: tuple[tuple[str, str, str, str], ...] = ()

    @property
    def findings(self) -> tuple[FindingView, ...]:
        """Return every finding, in report order."""
        return tuple(view for _, views in self.groups for view in views)


class _Router:
    """Cuts learner routes into legs by stage; the journey's lookups are built once."""

    def __init__(self, source: engine.Journey) -> None:
        self.stage_of = {t.id: t.stage for t in source.touchpoints}
        self.titles = {t.id: t.title for t in source.touchpoints}
        self.names = {s.id: s.name for s in source.stages}

    def __call__(self, witness: tuple[str, ...]) -> tuple[Leg, ...]:
        """Return the route's legs, one per run of consecutive steps in one stage."""
        titles, last = self.titles, len(witness) - 1
        steps = [Step(key, titles.get(key, key), i == last) for i, key in enumerate(witness)]
        return tuple(
            Leg(self.names.get(stage, stage), tuple(group))
            for stage, group in groupby(steps, key=lambda s: self.stage_of.get(s.key))
        )


def _about(source: engine.Journey, f: Finding) -> tuple[str, ...]:
    about = [f.rule]
    if f.credential:
        about.append(source.credential_by_id[f.credential].name)
    if f.message:
        about.append(f"message: {f.message}")
    if f.coverage:
        about.append(f"coverage: {f.coverage}")
    return tuple(about)


def _matrices(source: engine.Journey, gaps: Gaps) -> tuple[Matrix, ...]:
    titles = {t.id: t.title for t in source.touchpoints}
    out = []
    for credential in source.credentials:
        mine = [c for c in gaps.analysis.checkpoints if c.credential == credential.id]
        columns = list(dict.fromkeys((c.by, c.touchpoint) for c in mine))
        cells = {(c.message, c.by, c.touchpoint): c.coverage for c in mine}
        rows = tuple(
            (r.message, r.severity, tuple(cells.get((r.message, *col)) for col in columns))
            for r in source.requirements_for(credential)
        )
        out.append(Matrix(credential, tuple((by, titles[tp]) for by, tp in columns), rows))
    return tuple(out)


def _points(source: engine.Journey, gaps: Gaps) -> tuple[IssuePoint, ...]:
    titles = {t.id: t.title for t in source.touchpoints}
    names = {c.id: c.name for c in source.credentials}
    found: dict[tuple[str, str], list] = {}
    for c in gaps.analysis.checkpoints:
        if c.by == "issue":
            found.setdefault((c.credential, c.touchpoint), []).append(c)
    return tuple(
        IssuePoint(
            names[cid],
            titles[tp],
            group[0].arrival,
            tuple((c.message, c.expected_share) for c in group),
        )
        for (cid, tp), group in found.items()
    )


def overview(gaps: Gaps, fixes: list[whatif.Fix] | None = None) -> Overview:
    """Return what the report shows about ``gaps``, with ``fixes`` listed under their findings."""
    source = gaps.analysis.journey
    route = _Router(source)
    under = whatif.by_finding(fixes or [])
    views = [
        FindingView(
            number,
            f,
            _about(source, f),
            route(f.witness or ()),
            learner_gap(source, f),
            tuple(under.get(number, ())),
        )
        for number, f in enumerate(gaps.analysis.findings, start=1)
    ]
    groups = tuple(
        (severity, group)
        for severity in SEVERITIES
        if (group := tuple(v for v in views if v.finding.severity == severity))
    )
    result = engine_score(gaps.analysis)
    deck = []
    for card in cards(gaps.analysis):
        number, first = card.findings[0]
        told = [m for m, *_ in card.messages]
        gap = learner_gap(source, first)
        if len(told) > 1 and first.credential:
            gap = f"not told: {', '.join(told)}"
        keyed = {fix.key: fix for n, _ in card.findings for fix in under.get(n, ())}
        deck.append(CardView(card, number, route(card.witness or ()), gap, tuple(keyed.values())))
    return Overview(
        source,
        gaps,
        groups,
        _matrices(source, gaps),
        _points(source, gaps),
        awareness_sentence(gaps.analysis),
        headline_sentence(gaps.analysis, result),
        tuple(top_fixes(gaps)),
        tuple(deck),
        result.explanation,
        tuple(
            (t.id, t.title, source.credential_by_id[u.credential].name, u.note)
            for t in source.touchpoints
            for u in declared_but_unsaid(t)
        ),
    )


#: The report page's view of each revision (it lists every finding), worked out once.
_VIEWS: LRUCache[Key, Overview] = LRUCache(maxsize=16)
_VIEWS_LOCK = threading.Lock()


def _report_view(gaps: Gaps) -> Overview:
    """Return the report page's overview of ``gaps`` with every suggested fix, kept per revision."""
    with _VIEWS_LOCK:
        view = _VIEWS.get(gaps.key)
    if view is None:
        view = overview(gaps, whatif.suggestions(gaps.analysis))
        with _VIEWS_LOCK:
            _VIEWS[gaps.key] = view
    return view


def _listed(
    view: Overview, limit: int, finding: int | None
) -> dict[str, tuple[list[CardView], int]]:
    """Return, by severity, the cards the page lists and how many more it only counts.

    The first ``limit`` of each severity, and the card of the highlighted ``finding``.
    """
    listed: dict[str, tuple[list[CardView], int]] = {}
    for severity, _ in view.groups:
        mine = [item for item in view.cards if item.card.severity == severity]
        shown = [
            item
            for n, item in enumerate(mine)
            if n < limit or any(number == finding for number, _ in item.card.findings)
        ]
        listed[severity] = (shown, len(mine) - len(shown))
    return listed


def _diagram(journey: Journey, gaps: Gaps, draw: bool = True) -> dict[str, Any]:
    """Return the diagram panel's context: the diagram as the query string asks for it.

    ``?finding=N`` highlights finding N's route, ``?stages=1`` draws stage by stage.
    Unless ``draw``, a diagram not in the cache is left ``pending``.
    """
    finding = request.args.get("finding", type=int)
    if finding is not None and not 1 <= finding <= len(gaps.analysis.findings):
        finding = None
    stages = request.args.get("stages") == "1"
    link = _edit_pattern(journey) if can(journey, "edit") else None
    return {
        "journey": journey,
        "diagram": screen.inline_diagram(
            gaps, finding=finding, stage_level=stages, link=link, draw=draw
        ),
        "highlighted": gaps.analysis.findings[finding - 1] if finding else None,
        "finding": finding,
        "stages": stages,
    }


def _edit_pattern(journey: Journey) -> str:
    """Return a touchpoint's edit URL with ``{key}`` where its key goes."""
    return url_for("touchpoints.edit", journey_id=journey.id, key="KEY").replace("/KEY/", "/{key}/")


def _edit_link(journey: Journey) -> Callable[[str], str]:
    """Return the function giving a touchpoint's edit URL from its key."""
    pattern = _edit_pattern(journey)
    return lambda key: pattern.replace("{key}", quote(key))


@bp.route("/report")
@shared_or_signed_in
def show(journey_id: int) -> str:
    """Show the gap report; ``?finding=N`` highlights a path, ``?stages=1`` draws stages."""
    journey = journey_or_404(journey_id)
    gaps = gaps_for(journey)
    # A large journey's page does not wait for Graphviz: its script fetches the
    # diagram, and without a script "Draw the diagram" asks for it (``?draw=1``).
    large = len(gaps.analysis.journey.touchpoints) > current_app.config["DIAGRAM_DEFER_TOUCHPOINTS"]
    draw = not large or request.args.get("draw") == "1"
    view = _report_view(gaps)
    return render_template(
        "report/show.html",
        view=view,
        listed=_listed(
            view, current_app.config["REPORT_CARDS"], request.args.get("finding", type=int)
        ),
        coverage=COVERAGE,
        edit_link=_edit_link(journey) if can(journey, "edit") else None,
        **_diagram(journey, gaps, draw),
    )


@bp.route("/report/diagram")
@shared_or_signed_in
def diagram(journey_id: int) -> str:
    """Return the diagram panel alone, for the page's script to swap in a new highlight."""
    journey = journey_or_404(journey_id)
    return render_template("report/_diagram.html", **_diagram(journey, gaps_for(journey)))


def _chosen(gaps: Gaps, keys: list[str]) -> tuple[list[whatif.Fix], int]:
    """Return the suggested fixes among ``keys`` and how many keys no longer name one."""
    offered = {fix.key: fix for fix in whatif.offered(gaps.analysis)}
    keys = list(dict.fromkeys(keys))
    return [offered[k] for k in keys if k in offered], sum(k not in offered for k in keys)


def _preview(journey: Journey, keys: list[str], status: int = 200, problem: str | None = None):
    """Return the what-if page: today's analysis beside the one with the fixes."""
    today = gaps_for(journey)
    source = today.analysis.journey
    fixes, dropped = _chosen(today, keys)
    changed = whatif.apply(source, [f.key for f in fixes]) if fixes else source
    tried = gaps_of(changed) if fixes else today
    latest = revisions.latest(journey)
    page = render_template(
        "report/whatif.html",
        journey=journey,
        today=overview(today),
        tried=overview(tried),
        change=whatif.compare(today.analysis, tried.analysis),
        fixes=fixes,
        offered=whatif.offered(today.analysis),
        dropped=dropped,
        revision=latest.number if latest else 0,
        editable=can(journey, "edit"),
        problem=problem,
        gains=claim_gains(journey, source, changed) if fixes else [],
        names={c.id: c.name for c in source.credentials},
        titles={t.id: t.title for t in source.touchpoints},
    )
    return page, status


@bp.route("/whatif")
@shared_or_signed_in
def preview(journey_id: int) -> tuple[str, int]:
    """Show what the ticked fixes (``?fix=KEY``) would change, saving nothing."""
    journey = journey_or_404(journey_id)
    return _preview(journey, request.args.getlist("fix"))


@bp.post("/whatif")
@login_required
def apply(journey_id: int) -> Response | tuple[str, int]:
    """Save the previewed fixes as a new revision, unless the journey changed meanwhile."""
    journey = journey_or_404(journey_id, "edit")
    keys = request.form.getlist("fix")
    latest = revisions.latest(journey)
    seen = request.form.get("revision", type=int)
    if seen is None:
        abort(400)
    if seen != (latest.number if latest else 0):
        problem = (
            f"Not saved: the journey changed since this preview (it is now at revision "
            f"{latest.number if latest else 0}). Here is the preview again on the journey as "
            "it is now; apply again if it still looks right."
        )
        return _preview(journey, keys, 409, problem)
    today = gaps_for(journey)
    source = today.analysis.journey
    fixes, _ = _chosen(today, keys)
    if not fixes:
        return _preview(journey, keys, 400, "Not saved: tick at least one fix to apply.")
    count = f"{len(fixes)} what-if fix{'es' if len(fixes) != 1 else ''}"
    changed = whatif.apply(source, [f.key for f in fixes])
    if request.form.get("draft") == "1":  # the drafted copy too, marked for the designer
        changed = whatif.with_drafts(changed, [f.key for f in fixes])
        count += " with drafted copy"
    convert.apply(journey, changed)
    refused = save_or_explain(
        journey,
        headline=f"Applied {count}",
        again=lambda journey, refused: _preview(
            journey,
            keys,
            422,
            "Not saved: the journey would not be valid: "
            + "; ".join(p.text for p in refused.problems),
        ),
        on_clash=lambda journey: _preview(
            journey,
            keys,
            409,
            "Not saved: someone else saved this journey at the same moment. Here is the "
            "preview again on the journey as it is now; apply again if it still looks right.",
        ),
    )
    if refused is not None:
        return refused
    saved = revisions.latest(journey)
    flash(f"Applied {count} as revision {saved.number if saved else 0}.", "success")
    return redirect(url_for("report.show", journey_id=journey.id))
