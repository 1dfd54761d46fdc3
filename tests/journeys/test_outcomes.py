"""Outcome files from badge platforms: formats, counts, matching, rates and flags (issue 14)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from journeys.fileformat import from_data, load
from journeys.importing import Refused
from journeys.outcomes import (
    MAX_OUTCOME_BYTES,
    Outcome,
    compare,
    expected,
    match,
    observed_data,
    read_outcomes,
)

HERE = Path(__file__).resolve().parent.parent / "fixtures" / "interop" / "analytics"
EXAMPLES = Path(__file__).resolve().parents[2] / "journeys" / "examples"


def _read(name: str):
    return read_outcomes((HERE / name).read_bytes(), name)


def _counts(result):
    return [(o.credential, o.cohort, o.issued, o.claimed, o.shared) for o in result.outcomes]


@pytest.mark.parametrize(
    ("name", "fmt", "counts"),
    [
        (
            "credly-analytics-export.CONSTRUCTED.csv",
            "credly",
            # 4 rows accepted/pending/pending/rejected; the revoked badge is not counted issued.
            [
                ("Aged Care Infection Control", "cohort-2026-03", 4, 1, None),
                ("Medication Safety Refresher", "cohort-2025-09", 1, 1, None),
            ],
        ),
        (
            "accredible-group-engagement.CONSTRUCTED.csv",
            "accredible",
            [
                ("Aged Care Infection Control 2026-03", "", 43, 22, 6),
                ("Medication Safety Refresher 2025-09", "", 120, 71, 14),
            ],
        ),
        (
            "canvas-credentials-group-export-general.DOCUMENTED-EXAMPLE.csv",
            "canvas-groups",
            [("Badge 2", "Teacher epic course", 1, None, None)],
        ),
        (
            "canvas-credentials-learner-progress.CONSTRUCTED.csv",
            "canvas-progress",
            # Two learners; only the one with "Last Badge Earned" has been awarded it.
            [("Badge 2", "Teacher epic course", 1, None, None)],
        ),
        (
            "obf-api-v2-event-recipients.json",
            "obf-recipients",
            [("SZYIFPaVZ7Ta7", "", 1, 0, 0)],
        ),
        (
            "obf-api-v2-events.json",
            "obf-events",
            [("The badge that no one has!", "SYVN8WaDP1TaK", 1, None, None)],
        ),
        (
            "obf-badge-history.CONSTRUCTED.csv",
            "obf-history",
            [
                ("Aged Care Infection Control", "", 3, None, None),
                ("Medication Safety Refresher", "", 1, None, None),
            ],
        ),
    ],
)
def test_every_analytics_fixture_is_read_with_its_counts(name, fmt, counts):
    result = _read(name)
    assert result.format == fmt
    assert _counts(result) == counts


def test_dates_come_from_the_files():
    credly = _read("credly-analytics-export.CONSTRUCTED.csv")
    assert [o.date for o in credly.outcomes] == [date(2026, 3, 2), date(2025, 9, 15)]
    recipients = _read("obf-api-v2-event-recipients.json")
    assert recipients.outcomes[0].date == date(2025, 7, 24)  # 1753390800 Unix seconds, UTC


def test_an_obf_event_without_recipients_is_refused_with_what_to_export():
    with pytest.raises(Refused, match="recipient records"):
        _read("obf-api-v2-single-event.json")


def test_a_credly_status_it_does_not_know_is_located():
    text = (HERE / "credly-analytics-export.CONSTRUCTED.csv").read_text()
    bad = text.replace(",pending,", ",waiting,", 1)
    with pytest.raises(Refused) as caught:
        read_outcomes(bad.encode(), "credly.csv")
    assert [str(p) for p in caught.value.problems] == [
        "line 3, column Status: 'waiting' is not a Credly badge status "
        "(accepted, pending, rejected, revoked)"
    ]


def test_bad_claimpath_rows_each_get_a_located_message_and_nothing_is_returned():
    raw = (
        b"credential,cohort,issued,claimed,shared\n"
        b"Badge,A,10,11,0\n"
        b"Badge,B,ten,1,0\n"
        b",C,1,1,0\n"
        b"Badge,D,10,5,6\n"
    )
    with pytest.raises(Refused) as caught:
        read_outcomes(raw, "o.csv")
    assert [str(p) for p in caught.value.problems] == [
        "line 2, column claimed: 11 claimed is more than 10 issued",
        "line 3, column issued: 'ten' is not a whole number of learners",
        "line 4, column credential: empty: name the credential",
        "line 5, column shared: 6 shared is more than 5 claimed",
    ]


def test_unknown_headers_empty_files_and_huge_files_are_refused():
    with pytest.raises(Refused, match="line 1: cannot tell the format"):
        read_outcomes(b"name,count\nA,1\n", "x.csv")
    with pytest.raises(Refused, match="empty"):
        read_outcomes(b"  \n", "x.csv")
    with pytest.raises(Refused, match="more than the"):
        read_outcomes(b"x" * (MAX_OUTCOME_BYTES + 1), "x.csv")
    with pytest.raises(Refused, match="line 1, column 13: not valid JSON"):
        read_outcomes(b'{"result": [}', "x.json")


def test_claimpath_cohort_is_optional_and_rows_of_a_cohort_add_up():
    raw = b"credential,issued,claimed\nBadge,10,4\nBadge,30,20\n"
    [row] = read_outcomes(raw, "o.csv").outcomes
    assert (row.cohort, row.issued, row.claimed, row.shared, row.claim_rate) == (
        "",
        40,
        24,
        None,
        0.6,
    )


def _journey(**credential):
    return from_data(
        {
            "format": "claimpath-journey/1",
            "title": "T",
            "credentials": [{"id": "b", "name": "Aged Care Infection Control", **credential}],
            "stages": [{"id": "s", "name": "S", "phase": "issue"}],
            "touchpoints": [
                {
                    "id": "a",
                    "title": "Intro",
                    "stage": "s",
                    "reach": 0.5,
                    "messages": {"b": ["claim"]},
                },
                {
                    "id": "z",
                    "title": "Issue",
                    "stage": "s",
                    "issues": ["b"],
                    "reach": 0.4,
                    "messages": {"b": ["claim"]},
                },
                {
                    "id": "n",
                    "title": "Share guide",
                    "stage": "s",
                    "reach": 0.25,
                    "messages": {"b": ["share"]},
                },
            ],
            "transitions": [{"from": "a", "to": "z"}, {"from": "z", "to": "n"}],
        }
    )


def test_rows_match_by_name_alias_url_and_name_with_cohort_and_the_rest_are_listed():
    journey = _journey(
        aliases=["Infection badge"], url="https://openbadgefactory.com/badges/SZYIFPaVZ7Ta7"
    )
    rows = [
        Outcome("aged care  INFECTION control", "x", 1, 1, None),
        Outcome("Infection badge", "y", 1, 1, None),
        Outcome("SZYIFPaVZ7Ta7", "", 1, 0, 0),
        Outcome("Aged Care Infection Control 2026-03", "", 43, 22, 6),
        Outcome("Medication Safety Refresher", "", 1, 1, None),
    ]
    matched = match(journey, rows)
    assert [(cid, o.cohort) for cid, o in matched.rows] == [
        ("b", "x"),
        ("b", "y"),
        ("b", ""),
        ("b", "2026-03"),
    ]
    assert matched.unmatched == ("Medication Safety Refresher",)


def test_expected_shares_by_hand():
    # claim at issue: 1 - (1 - 0.5) * (1 - 0.4) = 0.7; share by the end: only the guide, 0.25.
    assert expected(_journey(), "b") == (pytest.approx(0.7), pytest.approx(0.25))


def test_share_by_the_end_counts_only_learners_who_were_issued():
    journey = from_data(
        {
            "format": "claimpath-journey/1",
            "title": "T",
            "credentials": [{"id": "b", "name": "B"}],
            "stages": [{"id": "s", "name": "S", "phase": "issue"}],
            "touchpoints": [
                {"id": "e", "title": "Start", "stage": "s", "entry": True},
                {"id": "t", "title": "Told to share", "stage": "s", "messages": {"b": ["share"]}},
                {"id": "u", "title": "Not told", "stage": "s"},
                {"id": "z", "title": "Issue", "stage": "s", "issues": ["b"]},
                {"id": "d", "title": "Dropped, told", "stage": "s", "messages": {"b": ["share"]}},
            ],
            "transitions": [
                {"from": "e", "to": "t", "share": 0.3},
                {"from": "e", "to": "u", "share": 0.3},
                {"from": "e", "to": "d", "share": 0.4},
                {"from": "t", "to": "z"},
                {"from": "u", "to": "z"},
            ],
        }
    )
    # Those on the dropped branch never receive the badge: half of the issued were told.
    assert expected(journey, "b")[1] == pytest.approx(0.5)


def test_rates_and_flags_on_hand_computed_cases():
    journey = _journey()  # the model: claim 70%, share 25%
    rows = [
        ("b", Outcome("A", "spring", 100, 50, 10)),  # claim 50% (-20), share 20% (-5)
        ("b", Outcome("A", "autumn", 100, 90, 45)),  # claim 90% (+20), share 50% (+25)
        ("b", Outcome("A", "summer", 100, 60, None)),  # claim 60% (-10): no flag
    ]
    spring, autumn, summer = compare(journey, rows)
    assert (spring.claim_rate, spring.share_rate) == (0.5, 0.2)
    assert [(f.message, f.points, f.direction) for f in spring.flags] == [
        ("claim", -20, "optimistic")
    ]
    assert "reach figure" in spring.flags[0].meaning and "too high" in spring.flags[0].meaning
    assert [(f.message, f.points, f.direction) for f in autumn.flags] == [
        ("claim", 20, "pessimistic"),
        ("share", 25, "pessimistic"),
    ]
    assert "somewhere the map does not show" in autumn.flags[1].meaning
    assert summer.flags == () and summer.share_rate is None
    data = observed_data([spring], ["Other"])
    assert data["observed"][0] == {
        "credential": "b",
        "cohort": "spring",
        "issued": 100,
        "claimed": 50,
        "shared": 10,
        "claim_rate": 0.5,
        "share_rate": 0.2,
        "expected_claim_share": 0.7,
        "expected_share_share": 0.25,
    }
    assert data["observed_flags"][0]["points"] == -20 and data["unmatched"] == ["Other"]


def test_a_gap_of_exactly_fifteen_points_is_not_flagged():
    [row] = compare(_journey(), [("b", Outcome("A", "", 100, 55, None))])
    assert row.flags == ()


def test_every_example_journey_has_model_numbers_for_its_issued_credentials():
    for path in sorted(EXAMPLES.glob("*.json")):
        journey = load(path)
        for c in journey.credentials:
            if any(c.id in t.issues for t in journey.touchpoints):
                claim, share = expected(journey, c.id)
                assert claim is not None and 0 <= claim <= 1, (path.name, c.id)
                assert share is not None and 0 <= share <= 1, (path.name, c.id)
