"""The example journeys: each loads, analyses and tells its own story."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeys.analysis import analyse
from journeys.fileformat import load
from journeys.findings import RULES
from journeys.report import format_text

EXAMPLES = sorted((Path(__file__).parents[2] / "journeys" / "examples").glob("*.json"))


def test_there_are_at_least_four_examples():
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_loads_and_analyses_into_a_readable_report(path):
    analysis = analyse(load(path))
    text = format_text(analysis)
    assert analysis.journey.title in text
    assert all(c.coverage in ("all", "partial", "none") for c in analysis.checkpoints)
    assert any(c.by == "issue" and c.arrival for c in analysis.checkpoints)


def test_examples_together_exercise_every_rule_each_in_its_own_way():
    rule_sets = [frozenset(f.rule for f in analyse(load(p)).findings) for p in EXAMPLES]
    assert set().union(*rule_sets) == set(RULES)
    assert len(set(rule_sets)) == len(rule_sets)
