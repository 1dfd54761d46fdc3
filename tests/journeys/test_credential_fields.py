"""The optional credential fields achievement_type and url, and the undescribed-credential rule."""

from __future__ import annotations

import pytest

from journeys.analysis import analyse
from journeys.errors import JourneyInvalid
from journeys.fileformat import dumps, from_data, loads, to_data


def _journey(**credential):
    return {
        "format": "claimpath-journey/1",
        "title": "T",
        "credentials": [{"id": "b", "name": "Badge", **credential}],
        "stages": [{"id": "s", "name": "Award", "phase": "issue"}],
        "touchpoints": [{"id": "mail", "title": "Issue email", "stage": "s", "issues": ["b"]}],
    }


def test_achievement_type_and_url_round_trip_losslessly():
    data = _journey(achievement_type="Certificate", url="urn:uuid:a0c1-ü", skills=["Σκέψη"])
    journey = from_data(data)
    again = loads(dumps(journey))
    assert again == journey
    assert again.credentials[0].achievement_type == "Certificate"
    assert again.credentials[0].url == "urn:uuid:a0c1-ü"
    assert to_data(again)["credentials"][0]["url"] == "urn:uuid:a0c1-ü"


def test_empty_fields_stay_out_of_the_file():
    written = to_data(from_data(_journey()))["credentials"][0]
    assert "achievement_type" not in written and "url" not in written


@pytest.mark.parametrize(
    ("field", "limit"), [("achievement_type", 100), ("url", 2000)], ids=["type", "url"]
)
def test_too_long_fields_are_refused_with_their_location(field, limit):
    with pytest.raises(JourneyInvalid) as caught:
        from_data(_journey(**{field: "x" * (limit + 1)}))
    assert [str(p) for p in caught.value.problems] == [
        f"credentials[0].{field}: {limit + 1} characters, at most {limit} allowed"
    ]
    assert from_data(_journey(**{field: "x" * limit})).credentials[0]


def test_a_field_of_the_wrong_type_is_refused():
    with pytest.raises(JourneyInvalid) as caught:
        from_data(_journey(url=["https://x"]))
    assert "credentials[0].url: expected a string, got a list" in str(caught.value)


def _undescribed(**credential):
    return [
        f
        for f in analyse(from_data(_journey(**credential))).findings
        if f.rule == "undescribed-credential"
    ]


def test_a_bare_credential_gets_one_info_finding_naming_all_three():
    (finding,) = _undescribed()
    assert (finding.severity, finding.credential, finding.touchpoint) == ("info", "b", None)
    assert finding.summary == (
        "The Badge has no description, criteria or skills to tell learners what it represents"
    )
    assert "import" in finding.advice.lower()


def test_the_summary_names_only_what_is_missing():
    (finding,) = _undescribed(description="Reads charts", skills=["  "])
    assert "no criteria or skills" in finding.summary
    (finding,) = _undescribed(description="Reads charts", criteria="Pass")
    assert "no skills to" in finding.summary


def test_a_described_credential_has_no_finding():
    assert _undescribed(description="Reads charts", criteria="Pass", skills=["Charts"]) == []


def test_one_finding_per_credential():
    data = _journey()
    data["credentials"].append(
        {"id": "c", "name": "Other", "description": "d", "criteria": "c", "skills": ["s"]}
    )
    data["credentials"].append({"id": "e", "name": "Empty"})
    found = [
        f.credential
        for f in analyse(from_data(data)).findings
        if f.rule == "undescribed-credential"
    ]
    assert found == ["b", "e"]
