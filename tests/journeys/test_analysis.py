"""The gap rules of spec section 4, rule by rule, then as properties against an oracle."""

from __future__ import annotations

from collections import deque
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeys.analysis import analyse
from journeys.fileformat import from_data
from journeys.model import MESSAGE_KINDS, Journey

STAGES = [
    {"id": "discover", "name": "Discover", "phase": "discover"},
    {"id": "learn", "name": "Learn", "phase": "learn"},
    {"id": "award", "name": "Award", "phase": "issue"},
    {"id": "after", "name": "After", "phase": "use"},
]
BADGE = {"id": "b", "name": "Data Badge"}
EVERYTHING = list(MESSAGE_KINDS)


def journey(
    touchpoints: list[dict[str, Any]],
    transitions: list[tuple[str, str]] | list[dict[str, Any]] = (),
    credentials: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> Journey:
    """Return a journey from compact touchpoints (stage defaults to learn) and transitions."""
    return from_data(
        {
            "format": "claimpath-journey/1",
            "title": "Test journey",
            "credentials": credentials or [BADGE],
            "stages": STAGES,
            "touchpoints": [{"stage": "learn", "title": t["id"].title(), **t} for t in touchpoints],
            "transitions": [
                tr if isinstance(tr, dict) else {"from": tr[0], "to": tr[1]} for tr in transitions
            ],
            **extra,
        }
    )


def keys(analysis, rule: str | None = None) -> set[tuple]:
    return {
        (f.rule, f.credential, f.touchpoint, f.message)
        for f in analysis.findings
        if rule is None or f.rule == rule
    }


def finding(analysis, rule: str, **match: Any):
    found = [
        f
        for f in analysis.findings
        if f.rule == rule and all(getattr(f, k) == v for k, v in match.items())
    ]
    assert len(found) == 1, (rule, match, keys(analysis))
    return found[0]


# -- missing-message ---------------------------------------------------------------


class TestMissingMessage:
    def test_branch_that_skips_the_explanation_gives_partial_with_that_branch_as_witness(self):
        a = analyse(
            journey(
                [
                    {"id": "start", "entry": True},
                    {"id": "webinar", "messages": {"b": ["represents"]}},
                    {"id": "skip"},
                    {"id": "issue", "stage": "award", "issues": ["b"]},
                ],
                [("start", "webinar"), ("start", "skip"), ("webinar", "issue"), ("skip", "issue")],
            )
        )
        f = finding(a, "missing-message", message="represents")
        assert (f.severity, f.touchpoint, f.coverage) == ("critical", "issue", "partial")
        assert f.witness == ("start", "skip", "issue")

    def test_no_path_explains_gives_none(self):
        a = analyse(
            journey([{"id": "start"}, {"id": "issue", "issues": ["b"]}], [("start", "issue")])
        )
        assert finding(a, "missing-message", message="claim").coverage == "none"

    def test_checkpoint_own_messages_count_by_issue(self):
        a = analyse(journey([{"id": "issue", "issues": ["b"], "messages": {"b": EVERYTHING}}]))
        assert keys(a, "missing-message") == set()

    def test_by_end_checks_the_exits_reached_through_the_issuer(self):
        a = analyse(
            journey(
                [
                    {"id": "start", "messages": {"b": ["earned", "represents", "why", "claim"]}},
                    {"id": "issue", "issues": ["b"]},
                    {"id": "linkedin", "stage": "after", "messages": {"b": ["share", "use"]}},
                    {"id": "survey", "stage": "after"},
                    {"id": "dropout"},
                ],
                [
                    ("start", "issue"),
                    ("issue", "linkedin"),
                    ("issue", "survey"),
                    ("start", "dropout"),
                ],
            )
        )
        ends = {
            (f.touchpoint, f.message, f.coverage) for f in a.findings if f.rule == "missing-message"
        }
        # 'dropout' is an exit but never passes the issuer: not a checkpoint.
        assert ends == {
            ("linkedin", "talk", "none"),
            ("survey", "use", "none"),
            ("survey", "share", "none"),
            ("survey", "talk", "none"),
        }
        by_end = {c.touchpoint for c in a.checkpoints if c.by == "end"}
        assert by_end == {"linkedin", "survey"}

    def test_by_end_counts_a_message_delivered_before_the_issuer(self):
        a = analyse(
            journey(
                [
                    {"id": "start", "messages": {"b": EVERYTHING}},
                    {"id": "issue", "issues": ["b"]},
                ],
                [("start", "issue")],
            )
        )
        assert keys(a, "missing-message") == set()

    def test_by_end_witness_passes_the_issuer_even_after_a_loop(self):
        a = analyse(
            journey(
                [
                    {"id": "start", "entry": True},
                    {"id": "issue", "issues": ["b"]},
                    {"id": "remind"},
                    {"id": "share-guide", "messages": {"b": ["share"]}},
                    {"id": "end"},
                ],
                [
                    ("start", "remind"),
                    ("remind", "start"),
                    ("start", "end"),
                    ("remind", "issue"),
                    ("issue", "share-guide"),
                    ("issue", "start"),
                    ("share-guide", "start"),
                ],
            )
        )
        f = finding(a, "missing-message", message="share", touchpoint="end")
        assert f.coverage == "partial"
        assert f.witness == ("start", "remind", "issue", "start", "end")

    def test_claim_is_not_required_when_the_credential_needs_no_claim(self):
        a = analyse(
            journey(
                [{"id": "issue", "issues": ["b"]}],
                credentials=[{**BADGE, "requires_claim": False}],
            )
        )
        assert all(c.message != "claim" for c in a.checkpoints)
        assert ("missing-message", "b", "issue", "earned") in keys(a)

    def test_custom_requirements_replace_the_defaults(self):
        a = analyse(
            journey(
                [{"id": "issue", "issues": ["b"]}],
                requirements=[
                    {"message": "value", "by": "end", "severity": "critical"},
                    {"message": "claim", "by": "issue", "severity": "info"},
                ],
            )
        )
        assert {(c.message, c.by) for c in a.checkpoints} == {("value", "end"), ("claim", "issue")}
        assert finding(a, "missing-message", message="claim").severity == "info"
        assert finding(a, "missing-message", message="value").severity == "critical"

    def test_each_credential_is_checked_on_its_own(self):
        a = analyse(
            journey(
                [
                    {"id": "start", "messages": {"b": EVERYTHING}},
                    {"id": "issue", "issues": ["b", "c"]},
                ],
                [("start", "issue")],
                credentials=[BADGE, {"id": "c", "name": "Care Badge"}],
            )
        )
        assert {f.credential for f in a.findings if f.rule == "missing-message"} == {"c"}

    def test_several_entries_each_start_paths(self):
        a = analyse(
            journey(
                [
                    {"id": "school", "entry": True, "messages": {"b": ["why"]}},
                    {"id": "employer", "entry": True},
                    {"id": "issue", "issues": ["b"]},
                ],
                [("school", "issue"), ("employer", "issue")],
            )
        )
        f = finding(a, "missing-message", message="why")
        assert f.coverage == "partial" and f.witness == ("employer", "issue")


# -- the other rules -----------------------------------------------------------------


class TestSurpriseIssue:
    def test_badge_that_arrives_unannounced_is_a_surprise(self):
        a = analyse(journey([{"id": "lms"}, {"id": "issue", "issues": ["b"]}], [("lms", "issue")]))
        f = finding(a, "surprise-issue")
        assert (f.severity, f.touchpoint, f.witness) == ("critical", "issue", ("lms", "issue"))

    def test_mention_in_the_text_of_an_earlier_touchpoint_prevents_it(self):
        a = analyse(
            journey(
                [
                    {"id": "lms", "content": "Finish both modules to earn the data badge."},
                    {"id": "issue", "issues": ["b"]},
                ],
                [("lms", "issue")],
                credentials=[{**BADGE, "aliases": ["data badge"]}],
            )
        )
        assert keys(a, "surprise-issue") == set()

    def test_issuing_at_an_entry_is_a_surprise(self):
        a = analyse(journey([{"id": "issue", "issues": ["b"], "messages": {"b": EVERYTHING}}]))
        assert finding(a, "surprise-issue").witness == ("issue",)

    def test_loop_back_through_the_issuer_does_not_count_as_an_earlier_mention(self):
        a = analyse(
            journey(
                [
                    {"id": "start", "entry": True},
                    {"id": "issue", "issues": ["b"]},
                    {"id": "remind", "messages": {"b": ["claim"]}},
                ],
                [("start", "issue"), ("issue", "remind"), ("remind", "start")],
            )
        )
        assert finding(a, "surprise-issue").witness == ("start", "issue")


def test_never_issued_when_no_reachable_touchpoint_issues_it():
    a = analyse(
        journey(
            [{"id": "start", "entry": True}, {"id": "orphan", "issues": ["b"]}, {"id": "end"}],
            [("start", "end")],
        )
    )
    assert finding(a, "never-issued").credential == "b"
    assert finding(a, "unreachable-touchpoint").touchpoint == "orphan"
    assert not [c for c in a.checkpoints if c.credential == "b"]


def test_without_marked_entries_a_touchpoint_with_no_way_in_is_an_entry():
    a = analyse(
        journey(
            [{"id": "start"}, {"id": "orphan", "issues": ["b"]}, {"id": "end"}], [("start", "end")]
        )
    )
    assert keys(a, "never-issued") == keys(a, "unreachable-touchpoint") == set()
    assert finding(a, "surprise-issue").witness == ("orphan",)


@pytest.mark.parametrize(
    ("messages", "found"),
    [({}, True), ({"b": ["earned"]}, True), ({"b": ["earned", "claim"]}, False), ({"b": []}, True)],
)
def test_mention_without_explanation(messages, found):
    a = analyse(
        journey([{"id": "intro", "content": "You will get the Data Badge.", "messages": messages}])
    )
    assert (("mention-without-explanation", "b", "intro", None) in keys(a)) is found


def test_no_early_mention_looks_at_discover_and_learn_stages_only():
    late = analyse(journey([{"id": "issue", "stage": "award", "issues": ["b"]}]))
    assert ("no-early-mention", "b", None, None) in keys(late)
    early = analyse(
        journey(
            [
                {"id": "ad", "stage": "discover", "title": "Data Badge open day"},
                {"id": "issue", "stage": "award", "issues": ["b"]},
            ],
            [("ad", "issue")],
        )
    )
    assert ("no-early-mention", "b", None, None) not in keys(early)


@pytest.mark.parametrize(
    ("touchpoint", "found"),
    [
        ({"id": "t"}, True),
        ({"id": "t", "owner": "employer"}, False),
        ({"id": "t", "audience": "employer"}, False),
    ],
)
def test_no_employer_touchpoint(touchpoint, found):
    a = analyse(journey([touchpoint]))
    assert (("no-employer-touchpoint", None, None, None) in keys(a)) is found


def test_no_faculty_voice_needs_a_faculty_owned_mention():
    a = analyse(journey([{"id": "t", "owner": "faculty"}]))
    assert finding(a, "no-faculty-voice").severity == "info"
    a = analyse(journey([{"id": "t", "owner": "faculty", "title": "About the Data Badge"}]))
    assert keys(a, "no-faculty-voice") == set()


def test_findings_are_ordered_by_severity():
    a = analyse(journey([{"id": "lms"}, {"id": "issue", "issues": ["b"]}], [("lms", "issue")]))
    order = [("critical", "warning", "info").index(f.severity) for f in a.findings]
    assert order == sorted(order)


# -- properties against a brute-force oracle -----------------------------------------


def _explicit_coverage(j: Journey, credential: str, message: str, by: str, target: str) -> str:
    """Return coverage by searching (touchpoint, delivered, issued) states explicitly."""
    succ: dict[str, list[str]] = {t.id: [] for t in j.touchpoints}
    for tr in j.transitions:
        succ[tr.from_].append(tr.to)
    tp = j.touchpoint_by_id

    def step(tid: str, delivered: bool, issued: bool) -> tuple[str, bool, bool]:
        t = tp[tid]
        return tid, delivered or t.delivers(credential, message), issued or credential in t.issues

    seen = {step(e, False, False) for e in j.entries}
    queue = deque(seen)
    while queue:
        tid, d, i = queue.popleft()
        for w in succ[tid]:
            state = step(w, d, i)
            if state not in seen:
                seen.add(state)
                queue.append(state)
    considered = {(d) for tid, d, i in seen if tid == target and (by == "issue" or i)}
    if considered == {True}:
        return "all"
    return "none" if considered == {False} else "partial"


@st.composite
def journeys(draw) -> Journey:
    n = draw(st.integers(1, 7))
    ids = [f"t{i}" for i in range(n)]
    edges = draw(
        st.lists(
            st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda e: e[0] != e[1]),
            unique=True,
            max_size=12,
        )
    )
    kinds = st.lists(st.sampled_from(["earned", "represents", "claim", "share"]), unique=True)
    touchpoints = []
    for tid in ids:
        touchpoints.append(
            {
                "id": tid,
                "stage": draw(st.sampled_from([s["id"] for s in STAGES])),
                "messages": draw(st.dictionaries(st.sampled_from(["b", "c"]), kinds, max_size=2)),
                "issues": draw(st.lists(st.sampled_from(["b", "c"]), unique=True, max_size=2)),
                "entry": draw(st.booleans()) or tid == "t0",
                "owner": draw(st.sampled_from(["issuer", "faculty"])),
            }
        )
    return journey(
        touchpoints,
        edges,
        credentials=[BADGE, {"id": "c", "name": "Care Badge"}],
        requirements=[
            {"message": "represents", "by": "issue", "severity": "critical"},
            {"message": "claim", "by": "issue", "severity": "critical"},
            {"message": "share", "by": "end", "severity": "warning"},
        ],
    )


PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(journeys())
def test_coverage_is_exactly_what_an_explicit_walk_search_finds(j):
    a = analyse(j)
    for c in a.checkpoints:
        assert c.coverage == _explicit_coverage(j, c.credential, c.message, c.by, c.touchpoint)


def _is_walk(j: Journey, walk: tuple[str, ...]) -> bool:
    pairs = {(tr.from_, tr.to) for tr in j.transitions}
    return walk[0] in j.entries and all(p in pairs for p in zip(walk, walk[1:], strict=False))


@PROPERTY
@given(journeys())
def test_every_witness_is_a_real_path_that_shows_the_gap(j):
    a = analyse(j)
    tp = j.touchpoint_by_id
    by = {r.message: r.by for r in j.effective_requirements}
    for f in a.findings:
        if f.rule not in ("missing-message", "surprise-issue"):
            assert f.witness is None
            continue
        assert _is_walk(j, f.witness), f
        assert f.witness[-1] == f.touchpoint
        if f.rule == "missing-message":
            assert not any(tp[t].delivers(f.credential, f.message) for t in f.witness)
            if by[f.message] == "end":
                assert any(f.credential in tp[t].issues for t in f.witness)
        else:
            from journeys.mentions import mentions

            mentioned = mentions(j)
            assert not any(f.credential in mentioned[t] for t in f.witness[:-1])


@PROPERTY
@given(journeys(), st.data())
def test_declaring_one_more_message_never_adds_a_finding(j, data):
    t = data.draw(st.sampled_from(j.touchpoints))
    credential = data.draw(st.sampled_from(["b", "c"]))
    # 'earned' alone can turn a silent touchpoint into a mention without explanation.
    kind = data.draw(st.sampled_from([k for k in MESSAGE_KINDS if k != "earned"]))
    from dataclasses import replace

    messages = dict(t.messages)
    messages[credential] = tuple(dict.fromkeys((*messages.get(credential, ()), kind)))
    richer = replace(
        j,
        touchpoints=tuple(replace(x, messages=messages) if x is t else x for x in j.touchpoints),
    )
    assert keys(analyse(richer)) <= keys(analyse(j))
