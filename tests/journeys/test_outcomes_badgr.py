"""The Badgr / Canvas Credentials assertion reader (``acceptance``), CSV and JSON (issue 14)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from journeys.importing import Refused
from journeys.outcomes import read_outcomes

BADGR = Path(__file__).resolve().parents[1] / "fixtures" / "badgr"


def _counts(result):
    return [(o.credential, o.issued, o.claimed, o.shared) for o in result.outcomes]


def test_json_assertions_count_accepted_as_claimed_and_leave_out_revoked():
    raw = (BADGR / "badgr-assertions-v2.CONSTRUCTED.json").read_bytes()
    result = read_outcomes(raw, "assertions.json")
    assert result.format == "canvas-assertions"
    # bc0001: accepted, unaccepted, rejected (the revoked one counts for nothing); bc0002: one.
    assert _counts(result) == [
        ("https://api.badgr.io/public/badges/bc0001", 3, 1, None),
        ("https://api.badgr.io/public/badges/bc0002", 1, 1, None),
    ]
    assert result.outcomes[0].date == date(2026, 3, 1)  # the earliest issuedOn counted


def test_csv_assertions_give_the_same_counts_by_badge_name():
    raw = (BADGR / "badgr-assertions.CONSTRUCTED.csv").read_bytes()
    result = read_outcomes(raw, "assertions.csv")
    assert result.format == "canvas-assertions"
    assert _counts(result) == [("Data Literacy Badge", 3, 1, None), ("Robotics Badge", 1, 1, None)]
    assert result.outcomes[0].date == date(2026, 3, 1)


def test_an_unknown_acceptance_is_located_and_nothing_is_returned():
    data = json.loads((BADGR / "badgr-assertions-v2.CONSTRUCTED.json").read_text())
    data["result"][2]["acceptance"] = "Pending"
    with pytest.raises(Refused) as caught:
        read_outcomes(json.dumps(data).encode(), "assertions.json")
    assert [str(p) for p in caught.value.problems] == [
        "result[2], acceptance: 'Pending' is not Unaccepted, Accepted or Rejected"
    ]
    raw = (BADGR / "badgr-assertions.CONSTRUCTED.csv").read_bytes().replace(b"Rejected", b"nope")
    with pytest.raises(Refused) as caught:
        read_outcomes(raw, "assertions.csv")
    assert [str(p) for p in caught.value.problems] == [
        "line 4, acceptance: 'nope' is not Unaccepted, Accepted or Rejected"
    ]


def test_json_assertions_match_a_credential_by_its_url(tiny):
    from journeys.fileformat import from_data
    from journeys.outcomes import match

    document = tiny()
    document["credentials"][0]["url"] = "https://api.badgr.io/public/badges/bc0001"
    raw = (BADGR / "badgr-assertions-v2.CONSTRUCTED.json").read_bytes()
    matched = match(from_data(document), read_outcomes(raw, "assertions.json").outcomes)
    assert [(cid, o.issued, o.claimed) for cid, o in matched.rows] == [("data-lit", 3, 1)]
    assert list(matched.unmatched) == ["https://api.badgr.io/public/badges/bc0002"]
