"""The score counts learners (issue 11): its four guarantees, on random journeys with and
without reminder loops, and the district example's three what-if ticks."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeys import fixes
from journeys.analysis import analyse
from journeys.fileformat import from_data, load
from journeys.model import MESSAGE_KINDS, PHASES
from journeys.score import score

EXAMPLES = Path(__file__).resolve().parents[2] / "journeys" / "examples"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def journeys(draw: Any, cycles: bool) -> dict[str, Any]:
    """Return random journey data: a chain with branches, optionally with reminder loops."""
    n = draw(st.integers(2, 7))
    creds = ["a", "b"][: draw(st.integers(1, 2))]
    stages = [{"id": f"s{p}", "name": p.title(), "phase": p} for p in PHASES]
    touchpoints = []
    for i in range(n):
        messages = {
            c: draw(st.lists(st.sampled_from(MESSAGE_KINDS), unique=True, max_size=4))
            for c in creds
            if draw(st.booleans())
        }
        issues = [c for c in creds if draw(st.integers(0, 3)) == 0]
        touchpoints.append(
            {
                "id": f"t{i}",
                "title": f"Touchpoint {i}",
                "stage": draw(st.sampled_from(stages))["id"],
                "owner": draw(st.sampled_from(["issuer", "faculty", "employer"])),
                "messages": messages,
                "issues": issues,
                "reach": draw(st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.8, 1.0])),
                **({"entry": True} if i == 0 else {}),
            }
        )
    touchpoints[-1]["issues"] = list(dict.fromkeys([*touchpoints[-1]["issues"], creds[0]]))
    pairs = {(i, i + 1) for i in range(n - 1)}
    for _ in range(draw(st.integers(0, n))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if a < b or (cycles and a > b):
            pairs.add((a, b))
    transitions = [{"from": f"t{a}", "to": f"t{b}"} for a, b in sorted(pairs) if a != b]
    return {
        "format": "claimpath-journey/1",
        "title": "Random",
        "credentials": [{"id": c, "name": f"Badge {c.upper()}"} for c in creds],
        "stages": stages,
        "touchpoints": touchpoints,
        "transitions": transitions,
    }


any_journey = st.one_of(journeys(cycles=False), journeys(cycles=True))


@SETTINGS
@given(any_journey)
def test_most_learners_uninformed_of_a_critical_message_at_issue_scores_below_50(data):
    analysis = analyse(from_data(data))
    weak = [
        c
        for c in analysis.checkpoints
        if c.by == "issue"
        and c.severity == "critical"
        and c.arrival
        and c.expected_share is not None
        and c.expected_share < 0.5
    ]
    if weak:
        assert score(analysis).value < 50


@SETTINGS
@given(any_journey, st.data())
def test_raising_a_touchpoints_reach_never_lowers_the_score(data, draw):
    before = score(analyse(from_data(data))).value
    tp = draw.draw(st.sampled_from(data["touchpoints"]))
    tp["reach"] = draw.draw(st.floats(tp["reach"], 1.0))
    assert score(analyse(from_data(data))).value >= before


@SETTINGS
@given(any_journey, st.data())
def test_declaring_one_more_message_never_lowers_the_score_but_for_a_bare_earned(data, draw):
    journey = from_data(data)
    today = analyse(journey)
    tp = draw.draw(st.sampled_from(journey.touchpoints))
    cred = draw.draw(st.sampled_from(journey.credentials)).id
    message = draw.draw(st.sampled_from(MESSAGE_KINDS))
    tried = analyse(fixes.apply(journey, [f"say:{tp.id}:{cred}:{message}"]))
    unexplained = {(f.credential, f.touchpoint) for f in today.findings if f.rule == _MWE}
    newly = any(
        f.rule == _MWE and (f.credential, f.touchpoint) not in unexplained for f in tried.findings
    )
    if newly:  # the spec's rule: a bare `earned` makes an unexplained mention
        assert message == "earned"
        return
    assert score(tried).value >= score(today).value


_MWE = "mention-without-explanation"


@SETTINGS
@given(any_journey)
def test_no_findings_and_every_checkpoint_fully_informed_scores_100(data):
    everything = list(MESSAGE_KINDS)
    for c in data["credentials"]:
        c.update(description="What it shows", criteria="How it is earned", skills=["A skill"])
    data["touchpoints"].append(
        {"id": "boss", "title": "Employer", "stage": "sshare", "owner": "employer"}
    )
    for tp in data["touchpoints"]:
        tp.update(reach=1.0, owner="faculty" if tp["id"] != "boss" else "employer")
        tp["messages"] = {c["id"]: everything for c in data["credentials"]}
        tp["stage"] = "slearn" if tp["id"] == "t0" else tp["stage"]
    data["transitions"].append({"from": data["touchpoints"][-2]["id"], "to": "boss"})
    data["transitions"] = [t for t in data["transitions"] if t["from"] != "boss"]
    journey = from_data(data)
    for c in journey.credentials:  # every credential issued somewhere reachable
        data["touchpoints"][-2]["issues"] = list({*data["touchpoints"][-2]["issues"], c.id})
    analysis = analyse(from_data(data))
    if analysis.findings:  # a random shape may leave e.g. an unreachable touchpoint
        return
    assert all(c.expected_share in (1.0, None) for c in analysis.checkpoints if c.by == "issue")
    assert score(analysis).value == 100


def test_the_guarantee_holds_on_a_loop_too():
    data = {
        "format": "claimpath-journey/1",
        "title": "Loop",
        "credentials": [{"id": "b", "name": "Badge"}],
        "stages": [{"id": "s", "name": "S", "phase": "learn"}],
        "touchpoints": [
            {"id": "a", "title": "A", "stage": "s", "entry": True, "reach": 0.3,
             "messages": {"b": ["earned", "represents", "claim", "why"]}},
            {"id": "r", "title": "Reminder", "stage": "s", "reach": 0.2},
            {"id": "z", "title": "Issue", "stage": "s", "issues": ["b"]},
        ],
        "transitions": [{"from": "a", "to": "r"}, {"from": "r", "to": "a", "share": 0.5},
                        {"from": "r", "to": "z"}],
    }  # fmt: skip
    analysis = analyse(from_data(data))
    assert [c.expected_share for c in analysis.checkpoints if c.by == "issue"][0] < 0.5
    assert score(analysis).value < 50


def test_the_three_ticks_on_the_district_example_no_longer_pass():
    journey = load(EXAMPLES / "district-auto-badges.json")
    ticked = fixes.apply(
        journey,
        [
            "say:platform-email:dig-cit:why",
            "say:platform-email:dig-cit:claim",
            "say:lms-announcement:dig-cit:earned+represents",
        ],
    )
    analysis = analyse(ticked)
    assert analysis.count("critical") == 0  # the checkboxes are all ticked ...
    result = score(analysis)
    assert result.value < 50  # ... but only 1 in 10 learners knows how to claim
    assert result.weakest is not None and result.weakest.message == "claim"
    assert result.weakest.expected_share is not None and result.weakest.expected_share < 0.2


def test_a_journey_without_a_reach_model_is_scored_on_findings_alone(tiny_document):
    analysis = analyse(from_data(tiny_document))
    blind = dataclasses.replace(
        analysis,
        checkpoints=tuple(
            dataclasses.replace(c, arrival=None, expected_share=None) for c in analysis.checkpoints
        ),
    )
    result = score(blind)
    assert result.informed is None and result.value == result.findings_points
    assert "findings alone" in result.explanation[-1]
