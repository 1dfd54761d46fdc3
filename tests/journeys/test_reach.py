"""The reach model of spec section 5: hand-computed values, loops, and a simulation oracle."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from journeys import reach
from journeys.analysis import analyse
from journeys.fileformat import from_data
from journeys.model import Journey


def journey(touchpoints: list[dict[str, Any]], transitions: list[tuple]) -> Journey:
    return from_data(
        {
            "format": "claimpath-journey/1",
            "title": "Reach",
            "credentials": [{"id": "b", "name": "Badge"}],
            "stages": [{"id": "s", "name": "S", "phase": "learn"}],
            "touchpoints": [{"stage": "s", "title": t["id"], **t} for t in touchpoints],
            "transitions": [
                {"from": tr[0], "to": tr[1], **({"share": tr[2]} if len(tr) > 2 else {})}
                for tr in transitions
            ],
        }
    )


def numbers(j: Journey, touchpoint: str = "c", message: str = "represents") -> tuple:
    [checkpoint] = [
        c
        for c in analyse(j).checkpoints
        if c.touchpoint == touchpoint and c.message == message and c.by == "issue"
    ]
    return checkpoint.arrival, checkpoint.expected_share


ISSUE = {"id": "c", "issues": ["b"]}
SAYS = {"b": ["represents"]}


def test_branches_combine_their_chances_of_taking_the_message_in():
    j = journey(
        [
            {"id": "s", "messages": SAYS, "reach": 0.5},
            {"id": "a", "messages": SAYS, "reach": 0.5},
            {"id": "x"},
            ISSUE,
        ],
        [("s", "a", 0.6), ("s", "x"), ("a", "c"), ("x", "c")],
    )
    # Not informed: via a 0.6 * 0.5 * 0.5, via x 0.4 * 0.5.
    assert numbers(j) == (1.0, pytest.approx(0.65))


def test_learners_drop_out_where_shares_add_up_to_less_than_one():
    j = journey([{"id": "s", "messages": SAYS}, ISSUE], [("s", "c", 0.7)])
    assert numbers(j) == (0.7, 1.0)


def test_unspecified_shares_split_what_is_left_equally():
    j = journey(
        [{"id": "s"}, {"id": "a"}, {"id": "x"}, ISSUE],
        [("s", "a", 0.5), ("s", "x"), ("s", "c")],
    )
    assert numbers(j)[0] == 0.25


@pytest.mark.parametrize("weight", [{"entry_share": 1}, {}])
def test_entries_are_weighted_by_entry_share(weight):
    j = journey(
        [
            {"id": "school", "entry": True, "entry_share": 3, "messages": SAYS},
            {"id": "work", "entry": True, **weight},
            ISSUE,
        ],
        [("school", "c"), ("work", "c")],
    )
    assert numbers(j) == (1.0, 0.75)


def test_a_checkpoint_nobody_reaches_has_no_expected_share():
    j = journey([{"id": "s"}, ISSUE], [("s", "c", 0.0)])
    assert numbers(j) == (0.0, None)


def test_reminder_loop_before_the_checkpoint_is_solved_exactly():
    # At 'a' half take the message in; half go on to c, half get a reminder
    # that sends them back to 'a'. Not informed at c: sum of 0.5^k * 0.5^k = 1/3.
    j = journey(
        [{"id": "a", "entry": True, "messages": SAYS, "reach": 0.5}, {"id": "r"}, ISSUE],
        [("a", "c", 0.5), ("a", "r", 0.5), ("r", "a")],
    )
    arrival, share = numbers(j)
    assert arrival == pytest.approx(1.0)
    assert share == pytest.approx(2 / 3)


def test_checkpoint_inside_a_loop_counts_the_first_arrival():
    j = journey(
        [{"id": "a", "entry": True, "messages": SAYS, "reach": 0.5}, {"id": "r"}, ISSUE],
        [("a", "c", 0.5), ("a", "r", 0.5), ("r", "a"), ("c", "a")],
    )
    arrival, share = numbers(j)
    assert arrival == pytest.approx(1.0)
    assert share == pytest.approx(2 / 3)


def test_a_closed_loop_that_learners_never_leave_does_not_break_the_numbers():
    j = journey(
        [{"id": "s", "entry": True}, {"id": "x"}, {"id": "y"}, ISSUE],
        [("s", "x", 0.5), ("s", "c", 0.5), ("x", "y", 1.0), ("y", "x", 1.0)],
    )
    assert numbers(j) == (0.5, 0.0)


def test_a_loop_larger_than_the_limit_gives_null_not_a_guess(monkeypatch):
    monkeypatch.setattr(reach, "MAX_LOOP", 1)
    j = journey(
        [{"id": "a", "entry": True, "messages": SAYS, "reach": 0.5}, {"id": "r"}, ISSUE],
        [("a", "c", 0.5), ("a", "r", 0.5), ("r", "a")],
    )
    assert numbers(j) == (None, None)


# -- a simulation oracle ----------------------------------------------------------------


def simulate(j: Journey, target: str, steps: int = 4000) -> tuple[float, float, float]:
    """Return (arrival, informed share, mass that may still arrive) by pushing probability mass."""
    tp = j.touchpoint_by_id
    out: dict[str, list[tuple[str, float]]] = {t.id: [] for t in j.touchpoints}
    for tr in j.transitions:
        out[tr.from_].append((tr.to, tr.share))
    prob: dict[str, list[tuple[str, float]]] = {}
    for v, edges in out.items():
        given_ = sum(s for _, s in edges if s is not None)
        free = [w for w, s in edges if s is None]
        rest = max(0.0, 1 - given_) / len(free) if free else 0.0
        prob[v] = [(w, rest if s is None else s) for w, s in edges]

    def visit(v: str, informed: bool, mass: float, into: dict) -> None:
        r = tp[v].reach if tp[v].delivers("b", "represents") else 0.0
        if not informed and r:
            into[v, True] = into.get((v, True), 0.0) + mass * r
            mass *= 1 - r
        into[v, informed] = into.get((v, informed), 0.0) + mass

    weights = {e: 1.0 if tp[e].entry_share is None else tp[e].entry_share for e in j.entries}
    total = sum(weights.values())
    state: dict = {}
    for e, w in weights.items():
        visit(e, False, w / total, state)
    arrived = {True: 0.0, False: 0.0}
    for _ in range(steps):
        nxt: dict = {}
        for (v, informed), mass in state.items():
            if v == target:
                arrived[informed] += mass
                continue
            for w, p in prob[v]:
                if p:
                    visit(w, informed, mass * p, nxt)
        state = nxt
    arrival = arrived[True] + arrived[False]
    can_reach = {target}
    for _ in j.touchpoints:
        can_reach |= {v for v, edges in prob.items() if any(w in can_reach and p for w, p in edges)}
    wandering = sum(m for (v, _), m in state.items() if v in can_reach)
    return arrival, (arrived[True] / arrival if arrival else 0.0), wandering


@st.composite
def looping_journeys(draw) -> Journey:
    n = draw(st.integers(2, 6))
    ids = ["c", *(f"t{i}" for i in range(1, n))]
    edges = draw(
        st.lists(
            st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda e: e[0] != e[1]),
            unique=True,
            max_size=10,
        )
    )
    share = st.one_of(st.none(), st.sampled_from([0.2, 0.3, 0.5]))
    touchpoints = [
        {
            "id": tid,
            "entry": tid == "t1",
            "reach": draw(st.sampled_from([0.3, 0.5, 1.0])),
            "messages": SAYS if draw(st.booleans()) else {},
            **({"issues": ["b"]} if tid == "c" else {}),
        }
        for tid in ids
    ]
    shared = [(a, b, draw(share)) for a, b in edges]
    total: dict[str, float] = {}
    for a, _, p in shared:
        total[a] = total.get(a, 0.0) + (p or 0.0)
    # Where the drawn shares out of one touchpoint exceed 1, leave them unspecified.
    return journey(touchpoints, [(a, b, p if total[a] <= 1 else None) for a, b, p in shared])


@settings(max_examples=150, deadline=None)
@given(looping_journeys())
def test_numbers_match_a_simulation_of_the_learners(j):
    analysis = analyse(j)
    points = [c for c in analysis.checkpoints if c.message == "represents" and c.by == "issue"]
    assume(points)
    arrival, informed, wandering = simulate(j, "c")
    assume(wandering < 1e-9)  # mass still on its way would bias the oracle
    got_arrival, got_share = points[0].arrival, points[0].expected_share
    assert got_arrival == pytest.approx(arrival, abs=1e-6)
    if arrival > 1e-9:
        assert got_share == pytest.approx(informed, abs=1e-6)
