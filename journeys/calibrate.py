"""Fit reach to what learners did: one factor on every reach figure, optionally one per channel.

The model's expected informed share for ``claim`` at issue depends on the
touchpoints' ``reach``. :func:`calibrate` finds the factor ``k`` that, with
every reach replaced by ``min(1, k * reach)``, makes those expected shares
match the observed claim rates best by weighted least squares: it minimises
``sum(issued_i * (claim_rate_i - expected_i(k)) ** 2)`` over the outcome rows,
so a cohort of 400 counts ten times a cohort of 40. With ``per_channel`` it
then fits one factor per channel on top, by coordinate descent. The method is
in ``docs/calibration.md``.

>>> from journeys.fileformat import from_data
>>> from journeys.outcomes import Outcome
>>> j = from_data({"format": "claimpath-journey/1", "title": "T",
...     "credentials": [{"id": "b", "name": "Badge"}],
...     "stages": [{"id": "s", "name": "S", "phase": "issue"}],
...     "touchpoints": [{"id": "z", "title": "Issue", "stage": "s", "issues": ["b"],
...                      "messages": {"b": ["claim"]}, "reach": 0.8}]})
>>> fit = calibrate(j, [("b", Outcome("Badge", "", 100, 40, None))])
>>> round(fit.factor, 3), round(fit.rmse_after, 3)
(0.5, 0.0)
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from journeys.model import Journey
from journeys.outcomes import Outcome, expected

__all__ = ["METHODS", "Calibration", "calibrate", "more_claim", "scaled"]

#: The ways to fit: weighted least squares on the rates, or binomial maximum likelihood.
METHODS = ("least-squares", "likelihood")
#: Expected shares are kept this far inside (0, 1) so a log-likelihood stays finite.
_EPSILON = 1e-9

_STEPS = 40  # golden-section steps after the grid: width shrinks by 0.618**40
_GRID = 48


@dataclass(frozen=True)
class Calibration:
    """The fitted factors and how well the model fits the observed claim rates."""

    factor: float
    #: channel -> its factor, applied on top of ``factor``; empty unless per channel.
    channels: Mapping[str, float]
    #: Rows (credential, cohort) used: those with a known claim rate and a model number.
    rows: int
    issued: int
    #: Root of the issued-weighted mean squared gap, as a share (0.1 = 10 points).
    rmse_before: float
    rmse_after: float
    #: One of :data:`METHODS`: what was minimised.
    method: str = "least-squares"

    def describe(self) -> list[str]:
        """Return the fit as lines a person reads."""
        lines = [
            f"Reach factor: {self.factor:.2f} (every reach figure times {self.factor:.2f}, "
            "at most 1)",
        ]
        for channel, k in sorted(self.channels.items()):
            lines.append(f"  channel {channel}: {k:.2f} on top")
        lines.append(
            f"Fit over {self.rows} cohort row{'s' if self.rows != 1 else ''} "
            f"({self.issued} learners issued): typical gap {self.rmse_before * 100:.0f} points "
            f"before, {self.rmse_after * 100:.0f} points after"
        )
        return lines


def scaled(journey: Journey, factor: float, channels: Mapping[str, float] | None = None) -> Journey:
    """Return the journey with every reach times ``factor`` (and its channel's), capped at 1."""
    channels = channels or {}
    return dataclasses.replace(
        journey,
        touchpoints=tuple(
            dataclasses.replace(
                t, reach=min(1.0, max(0.0, t.reach * factor * channels.get(t.channel, 1.0)))
            )
            for t in journey.touchpoints
        ),
    )


def _usable(journey: Journey, rows: Sequence[tuple[str, Outcome]]) -> list[tuple[str, float, int]]:
    out = []
    for cid, o in rows:
        if o.claim_rate is not None and cid in journey.credential_by_id:
            if expected(journey, cid)[0] is not None:
                out.append((cid, o.claim_rate, o.issued))
    return out


def _loss(journey: Journey, data: list[tuple[str, float, int]]) -> float:
    cache: dict[str, float] = {}
    total = 0.0
    weight = 0
    for cid, rate, issued in data:
        if cid not in cache:
            cache[cid] = expected(journey, cid)[0] or 0.0
        total += issued * (rate - cache[cid]) ** 2
        weight += issued
    return total / weight if weight else 0.0


def _negative_log_likelihood(journey: Journey, data: list[tuple[str, float, int]]) -> float:
    """Return minus the binomial log-likelihood of the claims given the issued counts, per learner.

    Row i contributes ``c_i log p_i + (n_i - c_i) log(1 - p_i)`` with
    ``c_i = rate_i * n_i`` claimed of ``n_i`` issued and ``p_i`` the model's
    expected claim share, kept inside ``(0, 1)`` by :data:`_EPSILON`.
    """
    cache: dict[str, float] = {}
    total = 0.0
    weight = 0
    for cid, rate, issued in data:
        if cid not in cache:
            p = expected(journey, cid)[0] or 0.0
            cache[cid] = min(1.0 - _EPSILON, max(_EPSILON, p))
        p = cache[cid]
        claimed = rate * issued
        total -= claimed * math.log(p) + (issued - claimed) * math.log(1.0 - p)
        weight += issued
    return total / weight if weight else 0.0


def _minimise(f: Callable[[float], float], low: float, high: float) -> float:
    """Return the x in [low, high] with the least f: a grid, then golden section near its best."""
    xs = [low + (high - low) * i / _GRID for i in range(_GRID + 1)]
    values = [f(x) for x in xs]
    best = min(range(len(xs)), key=lambda i: (values[i], abs(xs[i] - 1.0)))
    a, b = xs[max(0, best - 1)], xs[min(_GRID, best + 1)]
    ratio = (math.sqrt(5) - 1) / 2
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = f(c), f(d)
    for _ in range(_STEPS):
        if fc <= fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = f(c)
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = f(d)
    x = (a + b) / 2
    return x if f(x) <= values[best] else xs[best]


def _ceiling(journey: Journey) -> float:
    """Return the factor past which every reach is 1 already, so nothing changes."""
    smallest = min((t.reach for t in journey.touchpoints if t.reach > 0), default=1.0)
    return max(1.0, 1.0 / smallest)


def calibrate(
    journey: Journey,
    rows: Sequence[tuple[str, Outcome]],
    *,
    per_channel: bool = False,
    method: str = "least-squares",
) -> Calibration | None:
    """Return the reach factor(s) that best fit observed claim rates, or None with nothing to fit.

    Parameters
    ----------
    journey
        The journey whose reach figures are scaled.
    rows
        Matched outcomes, as :func:`journeys.outcomes.match` gives them; rows
        without a claim count are left out.
    per_channel
        Also fit one factor per channel, on top of the journey-wide one.
    method
        ``"least-squares"`` (issued-weighted squared gap of the rates) or
        ``"likelihood"`` (binomial maximum likelihood of claimed given issued).
    """
    if method not in METHODS:
        raise ValueError(f"unknown calibration method {method!r}: expected one of {METHODS}")
    objective = _loss if method == "least-squares" else _negative_log_likelihood
    data = _usable(journey, rows)
    if not data:
        return None
    high = _ceiling(journey)
    factor = _minimise(lambda k: objective(scaled(journey, k), data), 0.0, high)
    channels: dict[str, float] = {}
    if per_channel:
        names = sorted({t.channel for t in journey.touchpoints})
        channels = {c: 1.0 for c in names}
        for _ in range(3):
            for name in names:
                ceiling = high / max(factor, 1e-9)

                def loss(k: float, name: str = name) -> float:
                    return objective(scaled(journey, factor, {**channels, name: k}), data)

                channels[name] = _minimise(loss, 0.0, ceiling)
    before = math.sqrt(_loss(journey, data))
    after = math.sqrt(_loss(scaled(journey, factor, channels), data))
    issued = sum(d[2] for d in data)
    return Calibration(factor, channels, len(data), issued, before, after, method)


def more_claim(
    before: Journey, after: Journey, fit: Calibration, credential: str, learners: int
) -> int:
    """Return about how many more of ``learners`` claim after a change, with the fitted reach.

    Both journeys are scaled by the fit; the difference of their expected
    ``claim`` shares at issue, times ``learners``, rounded.
    """
    old = expected(scaled(before, fit.factor, fit.channels), credential)[0] or 0.0
    new = expected(scaled(after, fit.factor, fit.channels), credential)[0] or 0.0
    return round((new - old) * learners)
