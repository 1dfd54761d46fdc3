"""The screen diagram of a changed journey lays out again only the rows the change touched."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

from journeys import fileformat, pages
from journeys.analysis import analyse

EXAMPLE = Path(__file__).resolve().parents[2] / "journeys/examples/careers-ready-pathway.json"

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")


@pytest.fixture
def laid_out(monkeypatch) -> list[int]:
    """Count the graphs each ``dot`` run lays out, from an empty store of rows."""
    monkeypatch.setattr(pages, "_LAID_OUT", {})
    monkeypatch.setattr(pages, "_laid_out_bytes", 0)
    runs: list[int] = []
    real = pages._run_dot

    def counted(sources, timeout):
        runs.append(len(sources))
        return real(sources, timeout)

    monkeypatch.setattr(pages, "_run_dot", counted)
    return runs


def test_a_retitled_touchpoint_lays_out_only_its_own_rows_and_draws_the_same(laid_out):
    document = json.loads(EXAMPLE.read_text())
    pages.screen_svg(analyse(fileformat.from_data(document)))
    first = sum(laid_out)
    changed = copy.deepcopy(document)
    changed["touchpoints"][5]["title"] += " (edited)"
    laid_out.clear()
    kept = pages.screen_svg(analyse(fileformat.from_data(changed)))
    assert 0 < sum(laid_out) < first
    pages._LAID_OUT.clear()
    assert kept == pages.screen_svg(analyse(fileformat.from_data(changed)))  # as if drawn anew
    assert b'id="page0,' not in kept  # every row's graph has an id of its own


def test_a_journey_drawn_again_runs_no_dot(laid_out):
    analysis = analyse(fileformat.from_data(json.loads(EXAMPLE.read_text())))
    first = pages.screen_svg(analysis)
    laid_out.clear()
    assert pages.screen_svg(analysis) == first
    assert laid_out == []
