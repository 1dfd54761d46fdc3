"""Outcomes: what learners actually did, beside what the map predicts, and the reach fitted to it.

Viewers (and share links) read the comparison, the chart and the fit; editors
and owners upload outcome files. Each upload is read whole by the engine
(:func:`journeys.outcomes.read_outcomes`) or refused with every problem
located; nothing is stored from a refused file. Every import is kept with its
date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from markupsafe import Markup, escape
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse
from wtforms import SubmitField

from app import convert
from app.access import can, journey_or_404, shared_or_signed_in
from app.extensions import db
from app.models import Journey, OutcomeImport
from journeys import fixes
from journeys import model as engine
from journeys.analysis import analyse
from journeys.calibrate import Calibration, calibrate, more_claim
from journeys.importing import Refused
from journeys.outcomes import (
    FORMATS,
    MAX_OUTCOME_BYTES,
    Comparison,
    Outcome,
    compare,
    match,
    percent,
    read_outcomes,
)

__all__ = ["bp", "claim_gains"]

bp = Blueprint("outcomes", __name__, url_prefix="/journeys/<int:journey_id>/outcomes")

#: How many what-if fixes the fit section prices in learners.
TOP_FIXES = 5
#: What the per-channel fit costs, as bench-measured on the example journeys (shown on the page).
PER_CHANNEL_COST = "about 1 to 11 seconds on the example journeys"


class OutcomesForm(FlaskForm):
    """An outcome file from a badge platform, or the Claimpath outcomes CSV."""

    file = FileField(
        "Outcomes file",
        validators=[FileRequired("Choose an outcomes file to upload.")],
        description="A Credly analytics export, a Canvas Credentials export, Accredible "
        "engagement counts, Open Badge Factory recipient records (.json) or the Claimpath "
        "outcomes CSV (credential, cohort, issued, claimed, shared).",
    )
    submit = SubmitField("Upload outcomes")


@dataclass(frozen=True)
class Row:
    """One comparison row with where it came from."""

    comparison: Comparison
    name: str
    source: OutcomeImport


def _imports(journey: Journey) -> list[OutcomeImport]:
    return list(
        db.session.scalars(
            select(OutcomeImport)
            .where(OutcomeImport.journey_id == journey.id)
            .order_by(OutcomeImport.imported_at, OutcomeImport.id)
        )
    )


def _matched(source: engine.Journey, imports: list[OutcomeImport]) -> list[tuple[Any, ...]]:
    """Return (credential id, outcome, import) for each stored row whose credential still exists."""
    out = []
    for item in imports:
        for r in item.rows:
            if r["credential"] not in source.credential_by_id:
                continue  # the credential was deleted since the upload
            when = date.fromisoformat(r["date"]) if r.get("date") else None
            outcome = Outcome(r["label"], r["cohort"], r["issued"], r["claimed"], r["shared"], when)
            out.append((r["credential"], outcome, item))
    return out


@bp.route("/", methods=["GET"])
@shared_or_signed_in
def index(journey_id: int) -> str:
    """Show the comparison, the chart and the fit, with the upload form for editors."""
    journey = journey_or_404(journey_id)
    per_channel = request.args.get("per_channel") == "1"
    form = OutcomesForm() if can(journey, "edit") else None
    return _page(journey, form, [], per_channel=per_channel)


def _page(
    journey: Journey,
    form: OutcomesForm | None,
    problems: list[str],
    status: int = 200,
    per_channel: bool = False,
):
    source = convert.to_engine(journey)
    imports = _imports(journey)
    matched = _matched(source, imports)
    compared = compare(source, [(cid, o) for cid, o, _ in matched])
    rows = [
        Row(c, source.credential_by_id[c.credential].name, item)
        for c, (_, _, item) in zip(compared, matched, strict=True)
    ]
    fit = calibrate(source, [(cid, o) for cid, o, _ in matched])
    channels = None
    if per_channel and fit is not None:  # slow: one fit per channel, so only on request
        channels = calibrate(source, [(cid, o) for cid, o, _ in matched], per_channel=True)
    body = render_template(
        "outcomes/index.html",
        journey=journey,
        form=form,
        problems=problems,
        imports=imports,
        rows=rows,
        formats=FORMATS,
        percent=percent,
        charts=_charts(source, compared),
        fit=fit,
        channel_fit=channels,
        per_channel_cost=PER_CHANNEL_COST,
        priced=_priced(source, fit, compared),
        limit=MAX_OUTCOME_BYTES,
    )
    return (body, status) if status != 200 else body


@bp.route("/", methods=["POST"])
@login_required
def upload(journey_id: int) -> BaseResponse | tuple[str, int] | str:
    """Read an uploaded outcomes file and keep it, or list its problems and keep nothing."""
    journey = journey_or_404(journey_id, "edit")
    form = OutcomesForm()
    if not form.validate_on_submit():
        problems = [e for errors in form.errors.values() for e in errors]
        return _page(journey, form, problems, 400)
    upload_file = form.file.data
    name = PurePath(upload_file.filename or "outcomes").name[:255]
    raw = upload_file.read(MAX_OUTCOME_BYTES + 1)
    try:
        outcomes = read_outcomes(raw, name)
    except Refused as error:
        return _page(journey, form, [str(p) for p in error.problems], 400)
    source = convert.to_engine(journey)
    matched = match(source, outcomes.outcomes)
    stored = [
        {
            "credential": cid,
            "label": o.credential,
            "cohort": o.cohort,
            "date": o.date.isoformat() if o.date else None,
            "issued": o.issued,
            "claimed": o.claimed,
            "shared": o.shared,
        }
        for cid, o in matched.rows
    ]
    db.session.add(
        OutcomeImport(
            journey_id=journey.id,
            filename=name,
            format=outcomes.format,
            rows=stored,
            unmatched=list(matched.unmatched),
            imported_by_id=current_user.id,
        )
    )
    db.session.commit()
    message = f"Imported {len(stored)} row{'s' if len(stored) != 1 else ''} from {name} "
    message += f"({FORMATS[outcomes.format]})."
    if matched.unmatched:
        message += " Not matched to a credential: " + ", ".join(matched.unmatched) + "."
    flash(message, "success" if not matched.unmatched else "warning")
    return redirect(url_for("outcomes.index", journey_id=journey.id))


def _priced(
    source: engine.Journey, fit: Calibration | None, compared: list[Comparison]
) -> list[tuple[str, int, str]]:
    """Return (fix label, about how many more learners claim, credential name) for top fixes."""
    if fit is None:
        return []
    issued: dict[str, int] = {}
    for c in compared:
        if c.claim_rate is not None:
            issued[c.credential] = issued.get(c.credential, 0) + c.issued
    out = []
    for fix in fixes.suggestions(analyse(source)):
        if not fix.key.startswith("say:") or "claim" not in fix.key.rsplit(":", 1)[-1]:
            continue
        credential = fix.key.split(":")[2]
        if credential not in issued:
            continue
        after = fixes.apply(source, [fix.key])
        gained = more_claim(source, after, fit, credential, issued[credential])
        out.append((fix.label, gained, source.credential_by_id[credential].name))
    out.sort(key=lambda item: -item[1])
    return out[:TOP_FIXES]


def claim_gains(
    journey: Journey, source: engine.Journey, changed: engine.Journey
) -> list[tuple[str, int, int, str]]:
    """Return (credential name, about how many more claim, issued, file) from stored outcomes.

    The reach factor is fitted to every stored import; the learners are the
    latest import's issued counts per credential. Empty when the journey has
    no outcome import, or nothing in it to fit.
    """
    imports = _imports(journey)
    if not imports:
        return []
    matched = _matched(source, imports)
    fit = calibrate(source, [(cid, o) for cid, o, _ in matched])
    if fit is None:
        return []
    latest = imports[-1]
    issued: dict[str, int] = {}
    for cid, outcome, item in matched:
        if item is latest:
            issued[cid] = issued.get(cid, 0) + outcome.issued
    return [
        (
            source.credential_by_id[c.id].name,
            more_claim(source, changed, fit, c.id, issued[c.id]),
            issued[c.id],
            latest.filename,
        )
        for c in source.credentials
        if c.id in issued
    ]


# --- the chart -----------------------------------------------------------------------------

_W, _H = 640, 300
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 150, 24, 56
_PAD = 48
#: The least vertical room between the model's two labels, in SVG units.
_LABEL_GAP = 14


def _charts(source: engine.Journey, compared: list[Comparison]) -> list[tuple[str, Markup]]:
    """Return (credential name, SVG) per credential with a rate to draw."""
    out = []
    for credential in source.credentials:
        mine = [c for c in compared if c.credential == credential.id]
        if any(c.claim_rate is not None or c.share_rate is not None for c in mine):
            out.append((credential.name, _chart(credential.name, mine, len(out))))
    return out


def _chart(name: str, rows: list[Comparison], number: int) -> Markup:
    """Return a server-drawn SVG: claim and share rates per cohort, the model's as lines.

    Readable without colour: claim points are filled circles on a solid line,
    share points hollow squares on a dashed line, the model's lines are dotted
    and labelled in words, and every point carries its value.
    """
    rows = sorted(rows, key=lambda c: (c.date or date.max, c.cohort))
    count = len(rows)
    plot_w = _W - _LEFT - _RIGHT
    plot_h = _H - _TOP - _BOTTOM

    def x(i: int) -> float:
        inner = plot_w - 2 * _PAD  # points stay clear of the axis and of the model's labels
        return _LEFT + _PAD + (inner / 2 if count == 1 else inner * i / (count - 1))

    def y(v: float) -> float:
        return _TOP + plot_h * (1 - v)

    title_id = f"chart-{number}-title"
    desc_id = f"chart-{number}-desc"
    described = "; ".join(
        f"{_label(c)}: claimed {percent(c.claim_rate)}, shared {percent(c.share_rate)}"
        for c in rows
    )
    parts = [
        f'<svg class="outcome-chart" viewBox="0 0 {_W} {_H}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">Claim and share rates per cohort: {escape(name)}</title>',
        f'<desc id="{desc_id}">{escape(described)}. Model: claim '
        f"{percent(rows[0].expected_claim_share)}, share "
        f"{percent(rows[0].expected_share_share)}.</desc>",
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        parts.append(
            f'<line class="grid" x1="{_LEFT}" x2="{_LEFT + plot_w}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}"/>'
            f'<text class="tick" x="{_LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{tick * 100:.0f}%</text>"
        )
    for i, c in enumerate(rows):
        parts.append(
            f'<text class="tick" x="{x(i):.1f}" y="{_H - _BOTTOM + 18}" text-anchor="middle">'
            f"{escape(_label(c)[:18])}</text>"
        )
    labels = {}
    for value, kind in (
        (rows[0].expected_claim_share, "claim"),
        (rows[0].expected_share_share, "share"),
    ):
        if value is not None:
            labels[kind] = y(value) + 4
    if len(labels) == 2 and abs(labels["claim"] - labels["share"]) < _LABEL_GAP:
        upper = "claim" if labels["claim"] <= labels["share"] else "share"
        lower = "share" if upper == "claim" else "claim"
        labels[upper] = labels[lower] - _LABEL_GAP
    for value, kind in (
        (rows[0].expected_claim_share, "claim"),
        (rows[0].expected_share_share, "share"),
    ):
        if value is None:
            continue
        parts.append(
            f'<line class="model model-{kind}" x1="{_LEFT}" x2="{_LEFT + plot_w}" '
            f'y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
            f'<text class="label" x="{_LEFT + plot_w + 6}" y="{labels[kind]:.1f}">'
            f"Model: {kind} {percent(value)}</text>"
        )
    for kind, attr in (("claim", "claim_rate"), ("share", "share_rate")):
        points = [
            (x(i), y(getattr(c, attr)), getattr(c, attr))
            for i, c in enumerate(rows)
            if getattr(c, attr) is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in points)
            parts.append(f'<polyline class="observed observed-{kind}" points="{path}"/>')
        for px, py, v in points:
            if kind == "claim":
                parts.append(f'<circle class="point-claim" cx="{px:.1f}" cy="{py:.1f}" r="5"/>')
                dy = -11
            else:
                parts.append(
                    f'<rect class="point-share" x="{px - 5:.1f}" y="{py - 5:.1f}" '
                    'width="10" height="10"/>'
                )
                dy = 21
            parts.append(
                f'<text class="value" x="{px:.1f}" y="{py + dy:.1f}" text-anchor="middle">'
                f"{kind} {percent(v)}</text>"
            )
    legend_y = _H - 14
    parts.append(
        f'<g class="legend">'
        f'<circle class="point-claim" cx="{_LEFT + 6}" cy="{legend_y - 4}" r="5"/>'
        f'<text x="{_LEFT + 16}" y="{legend_y}">Claimed (solid line)</text>'
        f'<rect class="point-share" x="{_LEFT + 171}" y="{legend_y - 9}" width="10" height="10"/>'
        f'<text x="{_LEFT + 186}" y="{legend_y}">Shared (dashed line)</text>'
        f'<line class="model" x1="{_LEFT + 346}" x2="{_LEFT + 376}" y1="{legend_y - 4}" '
        f'y2="{legend_y - 4}"/><text x="{_LEFT + 382}" y="{legend_y}">Model (dotted)</text></g>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every user text above goes through escape)


def _label(c: Comparison) -> str:
    if c.cohort:
        return c.cohort
    return c.date.isoformat() if c.date else "All learners"
