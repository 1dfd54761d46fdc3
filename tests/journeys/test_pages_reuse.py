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


@pytest.mark.parametrize(
    ("records", "field", "index"),
    [("touchpoints", "title", 5), ("stages", "name", 2), ("stages", "name", 0)],
)
def test_a_saved_change_is_laid_out_by_one_dot_run_and_draws_as_if_anew(
    laid_out, records, field, index
):
    # The rows the change touches, the halves they split into and the stages drawn
    # top to bottom are laid out together: a second run would cost dot's start-up again.
    document = json.loads(EXAMPLE.read_text())
    pages.screen_svg(analyse(fileformat.from_data(document)))
    changed = copy.deepcopy(document)
    changed[records][index][field] += " (changed by someone with a longer name)"
    laid_out.clear()
    kept = pages.screen_svg(analyse(fileformat.from_data(changed)))
    assert len(laid_out) == 1
    pages._LAID_OUT.clear()
    assert kept == pages.screen_svg(analyse(fileformat.from_data(changed)))


def test_fallbacks_change_no_drawing_and_are_left_out_past_a_few_new_rows(laid_out, monkeypatch):
    analysis = analyse(fileformat.from_data(json.loads(EXAMPLE.read_text())))
    guessed = len(pages._rows(analysis, pages.SCREEN_WIDTH - 2 * pages._MARGIN))
    monkeypatch.setattr(pages, "_AHEAD_ROWS", guessed - 1)  # more new rows than that: none
    alone = pages.screen_svg(analysis)
    assert laid_out[0] == guessed
    monkeypatch.setattr(pages, "_AHEAD_ROWS", guessed)
    pages._LAID_OUT.clear()
    laid_out.clear()
    assert pages.screen_svg(analysis) == alone
    assert laid_out[0] > guessed


def test_a_run_giving_one_svg_short_lays_each_new_graph_out_alone(laid_out, monkeypatch):
    analysis = analyse(fileformat.from_data(json.loads(EXAMPLE.read_text())))
    whole = pages.screen_svg(analysis)
    pages._LAID_OUT.clear()
    real = pages._run_dot
    monkeypatch.setattr(pages, "_run_dot", lambda s, t: real(s, t)[: len(s) - (len(s) > 1)])
    assert pages.screen_svg(analysis) == whole
