"""The journey score: 100 without findings, lower with more and worse ones, never below 0."""

from __future__ import annotations

import pytest

from journeys.analysis import analyse
from journeys.fileformat import from_data
from journeys.findings import RULES, Analysis, Finding
from journeys.score import CAPS, POINTS, score


def _finding(rule: str = "missing-message", severity: str = "critical", coverage=None) -> Finding:
    if rule == "missing-message" and coverage is None:
        coverage = "none"
    return Finding(rule, severity, "b", "t", None, None, "summary", "advice", coverage)


def _score(*findings: Finding):
    return score(Analysis(None, tuple(findings), (), frozenset()))


def test_a_journey_with_no_findings_scores_100(covered):
    result = score(analyse(from_data(covered)))
    assert (result.value, result.deductions) == (100, ())


def test_a_journey_with_gaps_scores_less_than_one_without(tiny_document, covered):
    assert score(analyse(from_data(tiny_document))).value < score(analyse(from_data(covered))).value


def test_telling_learners_more_raises_the_score(tiny_document):
    before = score(analyse(from_data(tiny_document))).value
    tiny_document["touchpoints"][0]["messages"] = {"data-lit": ["earned", "represents", "claim"]}
    assert score(analyse(from_data(tiny_document))).value > before


@pytest.mark.parametrize("severity", ["critical", "warning", "info"])
def test_one_more_finding_lowers_the_score(severity):
    one = _score(_finding("no-faculty-voice", severity))
    two = _score(_finding("no-faculty-voice", severity), _finding("surprise-issue", severity))
    assert 0 <= two.value < one.value < 100


@pytest.mark.parametrize(("worse", "better"), [("critical", "warning"), ("warning", "info")])
def test_a_worse_finding_costs_more(worse, better):
    assert _score(_finding(severity=worse)).value < _score(_finding(severity=better)).value


def test_a_partial_gap_costs_less_than_a_gap_on_every_path():
    partial = _score(_finding(coverage="partial"))
    none = _score(_finding(coverage="none"))
    assert none.value < partial.value < 100


def test_the_score_never_goes_below_zero():
    findings = [_finding(rule, severity) for rule in RULES for severity in POINTS] * 20
    result = _score(*findings)
    assert result.value == 0
    assert sum(d.points for d in result.deductions) > 100  # the floor, not the sum, set it


def test_findings_of_one_rule_and_severity_share_one_deduction_line():
    result = _score(
        _finding("missing-message", "critical"),
        _finding("missing-message", "critical", "partial"),
        _finding("missing-message", "warning"),
        _finding("surprise-issue", "critical"),
        _finding("surprise-issue", "critical"),
        _finding("no-employer-touchpoint", "warning"),
    )
    assert sorted((d.rule, d.severity, d.count) for d in result.deductions) == [
        ("missing-message", "critical", 2),
        ("missing-message", "warning", 1),
        ("no-employer-touchpoint", "warning", 1),
        ("surprise-issue", "critical", 2),
    ]
    assert [d.text for d in result.deductions] == [
        "-20 for 2 critical surprise-issue findings",
        "-15 for 2 critical missing-message findings (1 partial)",
        "-4 for 1 warning missing-message finding",
        "-4 for 1 warning no-employer-touchpoint finding",
    ]
    assert result.value == 100 - 20 - 15 - 4 - 4


@pytest.mark.parametrize("severity", ["critical", "warning", "info"])
def test_one_kind_of_gap_cannot_take_more_than_its_cap(severity):
    result = _score(*[_finding("surprise-issue", severity)] * 50)
    [deduction] = result.deductions
    assert deduction.points == CAPS[severity]
    assert deduction.text.endswith("(capped)")
    assert result.value == 100 - CAPS[severity]


def test_deductions_are_listed_largest_first(tiny_document):
    points = [d.points for d in score(analyse(from_data(tiny_document))).deductions]
    assert points == sorted(points, reverse=True)
    assert len(points) > 1


def test_a_single_partial_gap_costs_whole_points():
    result = _score(_finding(coverage="partial"))
    assert result.value == 95
    assert isinstance(result.value, int)
