"""Fitting the reach figures to what learners did (issue 14)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from journeys.calibrate import calibrate, more_claim, scaled
from journeys.fileformat import from_data, load
from journeys.outcomes import Outcome, expected

EXAMPLES = Path(__file__).resolve().parents[2] / "journeys" / "examples"


@pytest.mark.parametrize("factor", [0.4, 0.7, 1.0])
def test_calibration_recovers_the_factor_outcomes_were_simulated_with(factor):
    journey = load(EXAMPLES / "promoted-data-literacy.json")
    truth = expected(scaled(journey, factor), "data-lit")[0]
    # Cohorts of different sizes, claim counts exactly what the scaled model expects.
    rows = [
        ("data-lit", Outcome("Data Literacy Badge", str(n), n, round(truth * n), None))
        for n in (200, 500, 1000)
    ]
    fit = calibrate(journey, rows)
    assert fit is not None
    assert fit.factor == pytest.approx(factor, abs=0.02)
    assert fit.rmse_after < 0.01
    assert fit.rows == 3 and fit.issued == 1700


def test_per_channel_factors_fit_at_least_as_well_as_one():
    journey = load(EXAMPLES / "careers-ready-pathway.json")
    rows = [("pro-comm", Outcome("x", "a", 300, 120, None))]
    one = calibrate(journey, rows)
    several = calibrate(journey, rows, per_channel=True)
    assert one is not None and several is not None
    assert several.channels and several.rmse_after <= one.rmse_after + 1e-9
    assert "channel" in "\n".join(several.describe())


def test_nothing_to_fit_without_claim_counts():
    journey = load(EXAMPLES / "promoted-data-literacy.json")
    assert calibrate(journey, [("data-lit", Outcome("x", "", 10, None, None))]) is None


def test_more_claim_says_how_many_learners_a_change_brings():
    journey = load(EXAMPLES / "promoted-data-literacy.json")
    rows = [("data-lit", Outcome("x", "", 100, 50, None))]
    fit = calibrate(journey, rows)
    assert fit is not None
    better = scaled(journey, 1.5)  # every touchpoint reaching more learners
    gained = more_claim(journey, better, fit, "data-lit", 1000)
    old = expected(scaled(journey, fit.factor), "data-lit")[0]
    new = expected(scaled(better, fit.factor), "data-lit")[0]
    assert gained == round((new - old) * 1000) and gained > 0


@pytest.mark.parametrize("factor", [0.5, 0.8])
def test_maximum_likelihood_recovers_the_factor_from_simulated_binomial_claims(factor):
    journey = load(EXAMPLES / "promoted-data-literacy.json")
    truth = expected(scaled(journey, factor), "data-lit")[0]
    draw = random.Random(14)
    rows = []
    for n in (400, 800, 1200):
        claimed = sum(draw.random() < truth for _ in range(n))  # each learner claims or not
        rows.append(("data-lit", Outcome("Data Literacy Badge", str(n), n, claimed, None)))
    fit = calibrate(journey, rows, method="likelihood")
    assert fit is not None and fit.method == "likelihood"
    assert fit.factor == pytest.approx(factor, abs=0.05)
    assert fit.rmse_after < fit.rmse_before or factor == 1.0


def test_likelihood_and_least_squares_agree_on_one_touchpoint_by_hand():
    journey = from_data(
        {
            "format": "claimpath-journey/1",
            "title": "T",
            "credentials": [{"id": "b", "name": "Badge"}],
            "stages": [{"id": "s", "name": "S", "phase": "issue"}],
            "touchpoints": [
                {
                    "id": "z",
                    "title": "Issue",
                    "stage": "s",
                    "issues": ["b"],
                    "messages": {"b": ["claim"]},
                    "reach": 0.8,
                }
            ],
        }
    )
    # 40 of 100 and 60 of 300 claimed: both fits put the model at the pooled 100/400 = 25%,
    # so 0.8 k = 0.25 and k = 0.3125.
    rows = [
        ("b", Outcome("Badge", "a", 100, 40, None)),
        ("b", Outcome("Badge", "b", 300, 60, None)),
    ]
    for method in ("least-squares", "likelihood"):
        fit = calibrate(journey, rows, method=method)
        assert fit is not None and fit.factor == pytest.approx(0.3125, abs=1e-4), method
    with pytest.raises(ValueError, match="unknown calibration method"):
        calibrate(journey, rows, method="guess")
