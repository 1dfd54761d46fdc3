"""The report: the ``claimpath-report/1`` object of spec section 6 and the text people read."""

from __future__ import annotations

import json
from typing import Any

import pytest

from journeys.analysis import analyse
from journeys.fileformat import from_data
from journeys.report import awareness_sentence, format_text, to_report

FINDING_KEYS = ["rule", "severity", "credential", "touchpoint", "message", "witness", "summary"]
CHECKPOINT_KEYS = [
    "credential",
    "message",
    "by",
    "touchpoint",
    "coverage",
    "arrival",
    "expected_share",
]


def _report(data: dict[str, Any]) -> dict[str, Any]:
    return to_report(analyse(from_data(data)))


@pytest.fixture
def partial(tiny_document) -> dict[str, Any]:
    """Return the tiny document with a second way to the issue email, via a module explaining it."""
    tiny_document["touchpoints"].insert(
        1,
        {
            "id": "module",
            "title": "Module 1",
            "stage": "learn",
            "messages": {"data-lit": ["represents"]},
        },
    )
    tiny_document["transitions"] += [
        {"from": "welcome", "to": "module"},
        {"from": "module", "to": "issued"},
    ]
    return tiny_document


def _one(report: dict[str, Any], **match: Any) -> dict[str, Any]:
    [found] = [f for f in report["findings"] if match.items() <= f.items()]
    return found


def test_the_report_has_exactly_the_spec_keys(tiny_document):
    report = _report(tiny_document)
    assert list(report) == ["format", "journey", "score", "findings", "checkpoints"]
    assert report["format"] == "claimpath-report/1"
    assert report["journey"] == {
        "title": "Data Literacy",
        "touchpoints": 2,
        "transitions": 1,
        "credentials": 1,
    }
    assert isinstance(report["score"], int) and 0 <= report["score"] < 100


def test_the_report_is_plain_json(partial):
    report = _report(partial)
    assert json.loads(json.dumps(report, allow_nan=False)) == report


def test_every_finding_has_the_spec_fields_and_only_missing_message_has_coverage(tiny_document):
    findings = _report(tiny_document)["findings"]
    assert {f["rule"] for f in findings} >= {
        "missing-message",
        "surprise-issue",
        "no-early-mention",
    }
    for f in findings:
        keys = [*FINDING_KEYS, "advice"]
        if f["rule"] == "missing-message":
            keys.insert(5, "coverage")
        assert list(f) == keys
        assert f["summary"] and f["advice"]


def test_a_gap_on_some_paths_only_is_partial_with_a_witness_that_misses_it(partial):
    found = _one(_report(partial), rule="missing-message", message="represents")
    assert found["coverage"] == "partial"
    assert found["witness"] == ["welcome", "issued"]  # the way around the module
    assert found["touchpoint"] == "issued"
    assert found["summary"] == (
        "Some learners reach 'Issue email' without being told what the "
        "Data Literacy Badge represents"
    )


def test_a_gap_on_every_path_has_coverage_none(tiny_document):
    found = _one(_report(tiny_document), rule="missing-message", message="claim")
    assert (found["coverage"], found["severity"]) == ("none", "critical")
    assert found["witness"] == ["welcome", "issued"]


def test_a_surprise_issue_carries_the_path_on_which_nothing_mentions_the_credential(tiny_document):
    found = _one(_report(tiny_document), rule="surprise-issue")
    assert (found["credential"], found["touchpoint"], found["message"]) == (
        "data-lit",
        "issued",
        None,
    )
    assert found["witness"] == ["welcome", "issued"]


def test_only_missing_message_and_surprise_issue_have_a_witness(tiny_document):
    tiny_document["touchpoints"].append({"id": "orphan", "title": "Old page", "stage": "learn"})
    tiny_document["transitions"].append({"from": "orphan", "to": "issued"})
    tiny_document["touchpoints"][0]["entry"] = True
    findings = _report(tiny_document)["findings"]
    others = [f for f in findings if f["rule"] not in ("missing-message", "surprise-issue")]
    assert {f["rule"] for f in others} >= {"unreachable-touchpoint", "no-employer-touchpoint"}
    assert all(f["witness"] is None for f in others)
    assert all(f["witness"] for f in findings if f not in others)


def test_journey_wide_findings_have_no_credential_touchpoint_or_message(tiny_document):
    found = _one(_report(tiny_document), rule="no-employer-touchpoint")
    assert (found["credential"], found["touchpoint"], found["message"]) == (None, None, None)


def test_checkpoints_list_every_requirement_covered_or_not(covered):
    checkpoints = _report(covered)["checkpoints"]
    assert [(c["message"], c["by"], c["touchpoint"]) for c in checkpoints] == [
        ("earned", "issue", "issued"),
        ("represents", "issue", "issued"),
        ("why", "issue", "issued"),
        ("claim", "issue", "issued"),
        ("use", "end", "showcase"),
        ("share", "end", "showcase"),
        ("talk", "end", "showcase"),
    ]
    assert all(list(c) == CHECKPOINT_KEYS for c in checkpoints)
    assert {c["coverage"] for c in checkpoints} == {"all"}


def test_a_credential_that_needs_no_claim_has_no_claim_checkpoint(covered):
    covered["credentials"][0]["requires_claim"] = False
    messages = [c["message"] for c in _report(covered)["checkpoints"]]
    assert "claim" not in messages
    assert len(messages) == 6


def test_issue_checkpoints_carry_the_reach_numbers_and_end_checkpoints_null(tiny_document):
    tiny_document["touchpoints"][0].update(reach=0.45, messages={"data-lit": ["represents"]})
    tiny_document["touchpoints"].append({"id": "faq", "title": "FAQ", "stage": "learn"})
    tiny_document["transitions"][0]["share"] = 0.8
    tiny_document["transitions"].append({"from": "welcome", "to": "faq"})
    checkpoints = _report(tiny_document)["checkpoints"]
    represents = [c for c in checkpoints if c["message"] == "represents" and c["by"] == "issue"]
    assert [(c["arrival"], c["expected_share"]) for c in represents] == [
        (pytest.approx(0.8), pytest.approx(0.45))
    ]
    ends = [c for c in checkpoints if c["by"] == "end"]
    assert {c["touchpoint"] for c in ends} == {"issued"}  # faq is never after the issue
    assert all(c["arrival"] is None and c["expected_share"] is None for c in ends)


def test_an_issue_point_nobody_reaches_is_not_a_checkpoint(tiny_document):
    tiny_document["touchpoints"][1]["issues"] = []
    tiny_document["touchpoints"].append(
        {"id": "lost", "title": "Lost email", "stage": "award", "issues": ["data-lit"]}
    )
    tiny_document["touchpoints"][0]["entry"] = True
    report = _report(tiny_document)
    assert report["checkpoints"] == []
    assert _one(report, rule="never-issued")["credential"] == "data-lit"


# -- text ------------------------------------------------------------------------


def test_text_groups_findings_worst_first_and_numbers_them_in_order(tiny_document):
    text = format_text(analyse(from_data(tiny_document)))
    headings = [line for line in text.splitlines() if line.split(" (")[0].isupper()]
    assert [h.split(" (")[0] for h in headings] == ["CRITICAL", "WARNING", "INFO"]
    assert text.index("CRITICAL (") < text.index("WARNING (") < text.index("INFO (")
    assert "  1. Some learners receive the Data Literacy Badge" in text


def test_text_shows_the_witness_as_arrows_and_the_advice(partial):
    partial["transitions"].pop(0)  # only welcome → module → issued is left
    partial["touchpoints"][1]["messages"] = {}
    text = format_text(analyse(from_data(partial)))
    assert "     path: welcome → module → issued" in text
    assert "     advice: Show how to claim or accept it, step by step" in text


def test_text_has_no_colour_unless_asked(tiny_document):
    analysis = analyse(from_data(tiny_document))
    assert "\x1b[" not in format_text(analysis)
    assert "\x1b[1;31mCRITICAL" in format_text(analysis, color=True)


def test_text_explains_the_score(tiny_document):
    lines = format_text(analyse(from_data(tiny_document))).splitlines()
    assert lines[0] == "Data Literacy"
    assert lines[1].startswith("2 touchpoints, 1 transition")
    assert lines[3].startswith("Score ") and lines[3].endswith("/100")
    assert lines[4] == (
        "Almost no learner will know that they have earned the Data Literacy Badge when it arrives."
    )
    assert lines[6] == "Fix these first"
    assert lines[7].startswith("  1. +")
    reached = lines.index("How the score was reached:")
    assert lines[reached + 1].startswith("  -") and "critical" in lines[reached + 1]


def test_text_counts_one_touchpoint_and_one_transition_in_the_singular(tiny_document):
    tiny_document["touchpoints"] = [tiny_document["touchpoints"][1]]
    tiny_document["transitions"] = []
    lines = format_text(analyse(from_data(tiny_document))).splitlines()
    assert lines[1] == "1 touchpoint, 0 transitions, 1 credential"


def test_text_for_a_journey_without_gaps_says_so(covered):
    text = format_text(analyse(from_data(covered)))
    assert "Score 100/100" in text
    assert "No gaps found" in text
    assert "CRITICAL" not in text


# -- the awareness sentence ------------------------------------------------------------


def test_the_awareness_sentence_says_how_many_learners_know_what_the_credential_represents(
    tiny_document,
):
    tiny_document["touchpoints"][0].update(reach=0.2, messages={"data-lit": ["represents"]})
    sentence = awareness_sentence(analyse(from_data(tiny_document)))
    assert sentence == (
        "About 1 in 5 learners will know what the Data Literacy Badge represents when it arrives."
    )


@pytest.mark.parametrize(
    ("reach", "says"), [(0.9, "About 9 in 10 learners"), (0.36, "About 1 in 3 learners")]
)
def test_the_awareness_sentence_rounds_as_people_speak(tiny_document, reach, says):
    tiny_document["touchpoints"][0].update(reach=reach, messages={"data-lit": ["represents"]})
    assert awareness_sentence(analyse(from_data(tiny_document))).startswith(says)


def test_the_awareness_sentence_speaks_of_the_least_informed_issue_point(tiny_document):
    tiny_document["credentials"].append({"id": "stats", "name": "Stats Badge"})
    tiny_document["touchpoints"][0].update(
        reach=0.5, messages={"data-lit": ["represents"], "stats": ["represents"]}
    )
    tiny_document["touchpoints"].append({"id": "stats-mail", "title": "Stats", "stage": "award"})
    tiny_document["touchpoints"][1]["issues"] = ["data-lit"]
    tiny_document["touchpoints"][2]["issues"] = ["stats"]
    tiny_document["touchpoints"][2]["messages"] = {"stats": ["represents"]}
    tiny_document["transitions"].append({"from": "welcome", "to": "stats-mail"})
    sentence = awareness_sentence(analyse(from_data(tiny_document)))
    assert sentence.startswith("About 5 in 10 learners will know what the Data Literacy Badge")


def test_the_awareness_sentence_can_speak_of_another_message(tiny_document):
    tiny_document["touchpoints"][0].update(reach=0.25, messages={"data-lit": ["claim"]})
    sentence = awareness_sentence(analyse(from_data(tiny_document)), "claim")
    assert sentence == (
        "About 1 in 4 learners will know how to claim the Data Literacy Badge when it arrives."
    )


def test_there_is_no_awareness_sentence_when_no_issue_point_is_reached(tiny_document):
    tiny_document["touchpoints"][1]["issues"] = []
    assert awareness_sentence(analyse(from_data(tiny_document))) is None


@pytest.mark.parametrize("reach", [0.0, 1.0])
def test_the_awareness_sentence_reads_well_when_everyone_or_no_one_knows(tiny_document, reach):
    tiny_document["touchpoints"][0].update(reach=reach, messages={"data-lit": ["represents"]})
    sentence = awareness_sentence(analyse(from_data(tiny_document)))
    assert not sentence.startswith(("About all ", "About no "))
