"""Loading and writing journey files: defaults, every validation rule, bad input, round trips."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from journeys import fileformat
from journeys.errors import JourneyInvalid
from journeys.fileformat import dumps, from_data, load, loads, to_data
from journeys.model import DEFAULT_REQUIREMENTS, MESSAGE_KINDS, OWNERS, PHASES, Requirement

_GONE = object()  # a change that removes the field

EXAMPLES = sorted((Path(fileformat.__file__).parent / "examples").glob("*.json"))


def _change(data: dict[str, Any], where: str, value: Any) -> None:
    """Set (or remove, or append) the value at a location such as ``touchpoints[0].reach``."""
    *parents, last = re.findall(r"[^.\[\]]+", where)
    for part in parents:
        data = data[int(part)] if part.isdigit() else data[part]
    key: Any = int(last) if last.isdigit() else last
    if value is _GONE:
        del data[key]
    elif isinstance(data, list) and key == len(data):
        data.append(value)
    else:
        data[key] = value


def _changed(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    for where, value in changes.items():
        _change(data, where, value)
    return data


def _problems(data: Any) -> list[Any]:
    """Return the problems loading ``data`` reports; fail if it loads."""
    with pytest.raises(JourneyInvalid) as caught:
        from_data(data)
    return caught.value.problems


def _locations(data: Any) -> list[str]:
    return [p.location for p in _problems(data)]


def _rich() -> dict[str, Any]:
    """Return a journey that uses every field of the format."""
    return {
        "format": "claimpath-journey/1",
        "title": "Data Literacy microcredential, 2027 intake",
        "description": "Two badges, a reminder loop and the file's own requirements.",
        "credentials": [
            {
                "id": "data-lit",
                "name": "Data Literacy Badge",
                "aliases": ["data badge", "DLB"],
                "description": "Reading and questioning charts.",
                "criteria": "Pass all four module quizzes.",
                "skills": ["Interpret charts", "Question sources"],
                "issuer": "Uni X",
                "requires_claim": True,
            },
            {"id": "stats_101", "name": "Statistics Starter", "requires_claim": False},
        ],
        "stages": [
            {"id": "enrol", "name": "Enrol", "phase": "discover"},
            {"id": "learn", "name": "Learn", "phase": "learn"},
            {"id": "award", "name": "Award", "phase": "issue"},
            {"id": "after", "name": "Afterwards", "phase": "use"},
        ],
        "touchpoints": [
            {
                "id": "welcome",
                "title": "Welcome email",
                "stage": "enrol",
                "channel": "email",
                "owner": "faculty",
                "audience": "learner",
                "content": "You will earn the Data Literacy Badge — café ✓",
                "messages": {"data-lit": ["earned", "represents"], "stats_101": ["earned"]},
                "reach": 0.45,
                "entry": True,
                "entry_share": 3,
            },
            {
                "id": "fair",
                "title": "Careers fair",
                "stage": "enrol",
                "channel": "in_person",
                "owner": "career_services",
                "audience": "employer",
                "entry": True,
                "entry_share": 1,
            },
            {"id": "module-2", "title": "Module 2", "stage": "learn", "channel": "lms"},
            {"id": "reminder", "title": "Reminder", "stage": "learn", "reach": 0},
            {
                "id": "issued",
                "title": "Badge issued email",
                "stage": "award",
                "issues": ["data-lit", "stats_101"],
                "messages": {"data-lit": ["claim", "why"]},
            },
            {
                "id": "linkedin",
                "title": "LinkedIn guide",
                "stage": "after",
                "owner": "other",
                "audience": "faculty",
                "messages": {"data-lit": ["share", "use", "talk", "value"]},
            },
        ],
        "transitions": [
            {"from": "welcome", "to": "module-2", "share": 0.8},
            {"from": "fair", "to": "module-2"},
            {"from": "module-2", "to": "reminder", "share": 0.3},
            {"from": "reminder", "to": "module-2", "share": 0.5},
            {"from": "module-2", "to": "issued"},
            {"from": "issued", "to": "linkedin", "share": 1},
        ],
        "requirements": [
            {"message": "represents", "by": "issue", "severity": "critical"},
            {"message": "value", "by": "end", "severity": "info"},
        ],
    }


# -- loading ------------------------------------------------------------------

TINY_YAML = """\
format: claimpath-journey/1
title: Data Literacy
credentials:
  - id: data-lit
    name: Data Literacy Badge
stages:
  - {id: enrol, name: Enrol, phase: discover}
  - {id: learn, name: Learn, phase: learn}
  - {id: award, name: Award, phase: issue}
touchpoints:
  - id: welcome
    title: Welcome email
    stage: enrol
  - id: issued
    title: Issue email
    stage: award
    issues: [data-lit]
transitions:
  - {from: welcome, to: issued}
"""


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".YAML"])
def test_a_yaml_file_loads_to_the_same_journey_as_its_json_twin(
    tiny_document, write_journey, suffix
):
    from_json = load(write_journey(tiny_document, "journey.json"))
    from_yaml = load(write_journey(TINY_YAML, f"journey{suffix}"))
    assert from_yaml == from_json
    assert from_json == from_data(tiny_document)


def test_a_rich_journey_loads_the_same_from_json_and_yaml():
    data = _rich()
    assert loads(yaml.safe_dump(data, allow_unicode=True), "yaml") == loads(json.dumps(data))


def test_fields_left_out_take_the_spec_defaults(tiny_document):
    journey = from_data(tiny_document)
    welcome = journey.touchpoint_by_id["welcome"]
    assert (welcome.channel, welcome.owner, welcome.audience) == ("other", "issuer", "learner")
    assert (welcome.reach, welcome.entry, welcome.entry_share) == (1.0, False, None)
    assert (dict(welcome.messages), welcome.issues, welcome.content) == ({}, (), "")
    assert journey.credential_by_id["data-lit"].requires_claim is True
    assert journey.transitions[0].share is None
    assert journey.requirements is None
    assert journey.effective_requirements == DEFAULT_REQUIREMENTS


def test_null_means_the_default(tiny_document):
    _changed(tiny_document, {"touchpoints[0].owner": None, "touchpoints[0].reach": None})
    welcome = from_data(tiny_document).touchpoints[0]
    assert (welcome.owner, welcome.reach) == ("issuer", 1.0)


def test_titles_and_names_are_trimmed(tiny_document):
    _changed(
        tiny_document,
        {
            "title": "  Data Literacy \n",
            "credentials[0].name": "\tData Literacy Badge  ",
            "stages[0].name": " Enrol ",
            "touchpoints[0].title": "  Welcome email  ",
        },
    )
    journey = from_data(tiny_document)
    assert journey.title == "Data Literacy"
    assert journey.credentials[0].name == "Data Literacy Badge"
    assert journey.stages[0].name == "Enrol"
    assert journey.touchpoints[0].title == "Welcome email"


def test_repeated_message_kinds_and_issues_count_once(tiny_document):
    _changed(
        tiny_document,
        {
            "touchpoints[1].messages": {"data-lit": ["claim", "earned", "claim"]},
            "touchpoints[1].issues": ["data-lit", "data-lit"],
        },
    )
    issued = from_data(tiny_document).touchpoints[1]
    assert issued.messages["data-lit"] == ("claim", "earned")
    assert issued.issues == ("data-lit",)


def test_an_empty_requirements_list_replaces_the_defaults_with_none(tiny_document):
    tiny_document["requirements"] = []
    assert from_data(tiny_document).effective_requirements == ()


def test_the_files_own_requirements_replace_the_defaults(tiny_document):
    tiny_document["requirements"] = [{"message": "use", "by": "end", "severity": "info"}]
    assert from_data(tiny_document).effective_requirements == (Requirement("use", "end", "info"),)


# -- validation: one rule at a time ---------------------------------------------


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("format", _GONE),
        ("format", "claimpath-journey/2"),
        ("format", 1),
        ("title", _GONE),
        ("title", "   "),
        ("title", "x" * 201),
        ("title", 42),
        ("description", ["not", "text"]),
        ("credentials[0].name", _GONE),
        ("credentials[0].name", ""),
        ("credentials[0].name", "n" * 201),
        ("credentials[0].aliases", "data badge"),
        ("credentials[0].requires_claim", "yes"),
        ("stages[0].name", " "),
        ("stages[0].phase", "begin"),
        ("stages[0].phase", _GONE),
        ("stages[0].phase", "Discover"),
        ("touchpoints[0].title", "  "),
        ("touchpoints[0].title", "t" * 201),
        ("touchpoints[1].stage", "enroll"),
        ("touchpoints[1].stage", _GONE),
        ("touchpoints[1].stage", ["award"]),
        ("touchpoints[0].channel", "c" * 41),
        ("touchpoints[0].channel", 5),
        ("touchpoints[0].owner", "boss"),
        ("touchpoints[0].audience", "everyone"),
        ("touchpoints[0].audience", "Learner"),
        ("touchpoints[0].content", "x" * 20_001),
        ("touchpoints[0].content", {"text": "hi"}),
        ("touchpoints[0].messages", ["earned"]),
        ("touchpoints[1].issues", "data-lit"),
        ("touchpoints[1].issues[0]", "nope"),
        ("touchpoints[1].issues[0]", 3),
        ("touchpoints[0].reach", 1.5),
        ("touchpoints[0].reach", -0.1),
        ("touchpoints[0].reach", "0.5"),
        ("touchpoints[0].reach", True),
        ("touchpoints[0].reach", float("inf")),
        ("touchpoints[0].reach", float("nan")),
        ("touchpoints[0].entry", "yes"),
        ("touchpoints[0].entry", 1),
        ("touchpoints[0].entry_share", -1),
        ("touchpoints[0].entry_share", "half"),
        ("touchpoints[2]", "an email"),
        ("transitions", {"from": "welcome", "to": "issued"}),
        ("transitions[0]", ["welcome", "issued"]),
        ("transitions[0].from", "nowhere"),
        ("transitions[0].from", _GONE),
        ("transitions[0].to", "nowhere"),
        ("transitions[0].share", 1.2),
        ("transitions[0].share", -0.5),
        ("transitions[0].share", "most"),
        ("transitions[0].share", False),
        ("requirements", "defaults"),
    ],
    ids=lambda v: "missing" if v is _GONE else repr(v)[:20],
)
def test_an_invalid_field_is_reported_at_its_own_location(tiny_document, where, value):
    _change(tiny_document, where, value)
    assert _locations(tiny_document) == [where]


@pytest.mark.parametrize(
    ("changes", "locations"),
    [
        pytest.param(
            {"stages[3]": {"id": "Bad Id", "name": "X", "phase": "learn"}},
            ["stages[3].id"],
            id="id-with-capitals-and-space",
        ),
        pytest.param(
            {"stages[3]": {"id": "-x", "name": "X", "phase": "learn"}},
            ["stages[3].id"],
            id="id-starting-with-dash",
        ),
        pytest.param(
            {"stages[3]": {"id": "", "name": "X", "phase": "learn"}},
            ["stages[3].id"],
            id="id-empty",
        ),
        pytest.param(
            {"stages[3]": {"id": "s" * 65, "name": "X", "phase": "learn"}},
            ["stages[3].id"],
            id="id-65-characters",
        ),
        pytest.param(
            {"stages[3]": {"name": "X", "phase": "learn"}}, ["stages[3].id"], id="id-missing"
        ),
        pytest.param(
            {"stages[3]": {"id": "learn", "name": "Again", "phase": "learn"}},
            ["stages[3].id"],
            id="duplicate-stage-id",
        ),
        pytest.param(
            {"credentials[1]": {"id": "data-lit", "name": "Again"}},
            ["credentials[1].id"],
            id="duplicate-credential-id",
        ),
        pytest.param(
            {"touchpoints[2]": {"id": "welcome", "title": "Again", "stage": "learn"}},
            ["touchpoints[2].id"],
            id="duplicate-touchpoint-id",
        ),
        pytest.param(
            {"credentials[0].id": 7, "touchpoints[1].issues": _GONE},
            ["credentials[0].id"],
            id="id-not-text",
        ),
        pytest.param(
            {"credentials": _GONE, "touchpoints[1].issues": _GONE},
            ["credentials"],
            id="credentials-missing",
        ),
        pytest.param(
            {"credentials": [], "touchpoints[1].issues": _GONE},
            ["credentials"],
            id="credentials-empty",
        ),
        pytest.param(
            {"stages": _GONE},
            ["stages", "touchpoints[0].stage", "touchpoints[1].stage"],
            id="stages-missing",
        ),
        pytest.param(
            {"stages": []},
            ["stages", "touchpoints[0].stage", "touchpoints[1].stage"],
            id="stages-empty",
        ),
        pytest.param(
            {"touchpoints": _GONE, "transitions": _GONE}, ["touchpoints"], id="touchpoints-missing"
        ),
        pytest.param(
            {"touchpoints": [], "transitions": []}, ["touchpoints"], id="touchpoints-empty"
        ),
        pytest.param(
            {"credentials[0].skills": ["Charts", 3]},
            ["credentials[0].skills[1]"],
            id="skill-not-text",
        ),
        pytest.param(
            {"touchpoints[0].messages": {"nope": ["earned"]}},
            ["touchpoints[0].messages.nope"],
            id="messages-unknown-credential",
        ),
        pytest.param(
            {"touchpoints[0].messages": {"data-lit": ["earned", "brag"]}},
            ["touchpoints[0].messages.data-lit[1]"],
            id="messages-unknown-kind",
        ),
        pytest.param(
            {"touchpoints[0].messages": {"data-lit": "earned"}},
            ["touchpoints[0].messages.data-lit"],
            id="messages-not-a-list",
        ),
        pytest.param(
            {"touchpoints[0].messages": {"Data Lit": ["earned"]}},
            ['touchpoints[0].messages["Data Lit"]'],
            id="messages-key-that-is-no-id",
        ),
        pytest.param(
            {"transitions[1]": {"from": "welcome", "to": "welcome"}},
            ["transitions[1]"],
            id="self-loop",
        ),
        pytest.param(
            {"transitions[1]": {"from": "welcome", "to": "issued", "share": 0.1}},
            ["transitions[1]"],
            id="duplicate-pair",
        ),
        pytest.param(
            {
                "touchpoints[2]": {"id": "module", "title": "Module", "stage": "learn"},
                "transitions[0].share": 0.6,
                "transitions[1]": {"from": "welcome", "to": "module", "share": 0.5},
            },
            ["transitions[1].share"],
            id="shares-add-up-to-more-than-1",
        ),
        pytest.param(
            {"requirements": [{"message": "brag", "by": "issue", "severity": "critical"}]},
            ["requirements[0].message"],
            id="requirement-unknown-message",
        ),
        pytest.param(
            {"requirements": [{"message": "use", "by": "later", "severity": "critical"}]},
            ["requirements[0].by"],
            id="requirement-unknown-by",
        ),
        pytest.param(
            {"requirements": [{"message": "use", "by": "end", "severity": "fatal"}]},
            ["requirements[0].severity"],
            id="requirement-unknown-severity",
        ),
        pytest.param(
            {"requirements": [{}]},
            ["requirements[0].message", "requirements[0].by", "requirements[0].severity"],
            id="requirement-empty",
        ),
        pytest.param({"requirements": ["earned"]}, ["requirements[0]"], id="requirement-text"),
        pytest.param(
            {"transitions[1]": {"from": "issued", "to": "welcome"}},
            ["touchpoints"],
            id="no-entry",
        ),
    ],
)
def test_an_invalid_file_is_reported_at_the_right_locations(tiny_document, changes, locations):
    assert _locations(_changed(tiny_document, changes)) == locations


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        pytest.param(
            {
                "touchpoints[2]": {"id": "module", "title": "Module", "stage": "learn"},
                "touchpoints[3]": {"id": "reminder", "title": "Reminder", "stage": "enroll"},
            },
            "touchpoints[3].stage: unknown stage 'enroll' (known: enrol, learn, award)",
            id="the-spec-example",
        ),
        pytest.param({"format": _GONE}, "format: required: 'claimpath-journey/1'", id="format"),
        pytest.param(
            {"title": "x" * 201}, "title: 201 characters, at most 200 allowed", id="title-length"
        ),
        pytest.param(
            {"stages[3]": {"id": "learn", "name": "Again", "phase": "learn"}},
            "stages[3].id: duplicate id 'learn' (also at stages[1])",
            id="duplicate-id",
        ),
        pytest.param(
            {"stages[0].phase": "begin"},
            "stages[0].phase: 'begin' is not one of: "
            "discover, learn, earn, issue, claim, share, use",
            id="phase",
        ),
        pytest.param(
            {"touchpoints[0].reach": 1.5},
            "touchpoints[0].reach: 1.5 is out of range: must be from 0 to 1",
            id="reach",
        ),
        pytest.param(
            {"touchpoints[0].messages": {"data-lit": ["earned", "brag"]}},
            "touchpoints[0].messages.data-lit[1]: 'brag' is not a message kind "
            "(known: earned, represents, why, claim, use, share, talk, value)",
            id="message-kind",
        ),
        pytest.param(
            {"transitions[1]": {"from": "welcome", "to": "welcome"}},
            "transitions[1]: a transition from 'welcome' to itself is not allowed",
            id="self-loop",
        ),
        pytest.param(
            {"transitions[1]": {"from": "welcome", "to": "issued"}},
            "transitions[1]: duplicate of transitions[0] (welcome → issued)",
            id="duplicate-pair",
        ),
        pytest.param(
            {
                "touchpoints[2]": {"id": "module", "title": "Module", "stage": "learn"},
                "transitions[0].share": 0.6,
                "transitions[1]": {"from": "welcome", "to": "module", "share": 0.5},
            },
            "transitions[1].share: shares out of 'welcome' add up to 1.1; they may not exceed 1",
            id="share-sum",
        ),
        pytest.param(
            {"transitions[1]": {"from": "issued", "to": "welcome"}},
            "touchpoints: no entry: every touchpoint has an incoming transition, so mark "
            'where learners start with "entry": true',
            id="no-entry",
        ),
    ],
)
def test_a_problem_reads_as_its_location_then_what_is_wrong(tiny_document, changes, problem):
    assert [str(p) for p in _problems(_changed(tiny_document, changes))] == [problem]


@pytest.mark.parametrize(
    ("changes", "check"),
    [
        pytest.param(
            {"credentials[0].id": "c" * 64, "touchpoints[1].issues": ["c" * 64]},
            lambda j: j.credentials[0].id == "c" * 64,
            id="id-64-characters",
        ),
        pytest.param(
            {"credentials[0].id": "0_a-b", "touchpoints[1].issues": ["0_a-b"]},
            lambda j: j.credentials[0].id == "0_a-b",
            id="id-digit-first",
        ),
        pytest.param(
            {"title": "  " + "x" * 200 + "  "},
            lambda j: j.title == "x" * 200,
            id="title-200-after-trimming",
        ),
        pytest.param(
            {"touchpoints[0].channel": "c" * 40},
            lambda j: len(j.touchpoints[0].channel) == 40,
            id="channel-40",
        ),
        pytest.param(
            {"touchpoints[0].content": "x" * 20_000},
            lambda j: len(j.touchpoints[0].content) == 20_000,
            id="content-20000",
        ),
        pytest.param(
            {"touchpoints[0].reach": 0}, lambda j: j.touchpoints[0].reach == 0, id="reach-0"
        ),
        pytest.param(
            {"touchpoints[0].reach": 1}, lambda j: j.touchpoints[0].reach == 1, id="reach-1"
        ),
        pytest.param(
            {"transitions[0].share": 0}, lambda j: j.transitions[0].share == 0, id="share-0"
        ),
        pytest.param(
            {"transitions[0].share": 1}, lambda j: j.transitions[0].share == 1, id="share-1"
        ),
        pytest.param(
            {"touchpoints[0].entry": True, "touchpoints[0].entry_share": 0},
            lambda j: j.touchpoints[0].entry_share == 0,
            id="entry-share-0",
        ),
        *(
            pytest.param(
                {
                    "touchpoints[2]": {"id": "module", "title": "Module", "stage": "learn"},
                    "touchpoints[3]": {"id": "faq", "title": "FAQ", "stage": "learn"},
                    "transitions[0].share": a,
                    "transitions[1]": {"from": "welcome", "to": "module", "share": b},
                    "transitions[2]": {"from": "welcome", "to": "faq", "share": c},
                },
                lambda j, shares=(a, b, c): tuple(t.share for t in j.transitions) == shares,
                id=f"shares-{a}+{b}+{c}",
            )
            # The second adds up to 1.0000000000000002 in floating point.
            for a, b, c in [(0.1, 0.2, 0.7), (0.34, 0.56, 0.1)]
        ),
        pytest.param(
            {
                "transitions[1]": {"from": "issued", "to": "welcome"},
                "touchpoints[0].entry": True,
            },
            lambda j: j.entries == ("welcome",),
            id="loop-with-a-marked-entry",
        ),
    ],
)
def test_values_on_the_boundary_are_accepted(tiny_document, changes, check):
    assert check(from_data(_changed(tiny_document, changes)))


@pytest.mark.parametrize("owner", OWNERS)
def test_every_owner_and_audience_in_the_spec_is_accepted(tiny_document, owner):
    _changed(tiny_document, {"touchpoints[0].owner": owner, "touchpoints[0].audience": owner})
    assert from_data(tiny_document).touchpoints[0].owner == owner


@pytest.mark.parametrize("phase", PHASES)
def test_every_phase_in_the_spec_is_accepted(tiny_document, phase):
    tiny_document["stages"][0]["phase"] = phase
    assert from_data(tiny_document).stages[0].phase == phase


def test_a_file_with_many_problems_reports_all_of_them_at_once(tiny_document):
    _changed(
        tiny_document,
        {
            "format": "claimpath-journey/0",
            "title": "",
            "credentials[0].requires_claim": "no",
            "stages[1].phase": "study",
            "touchpoints[0].owner": "dean",
            "touchpoints[0].reach": 2,
            "touchpoints[0].messages": {"data-lit": ["brag"], "ghost": ["earned"]},
            "touchpoints[1].stage": "awards",
            "transitions[0].share": -1,
            "transitions[1]": {"from": "issued", "to": "issued"},
            "requirements": [{"message": "use", "by": "never", "severity": "info"}],
        },
    )
    with pytest.raises(JourneyInvalid) as caught:
        from_data(tiny_document)
    locations = [p.location for p in caught.value.problems]
    assert locations == [
        "format",
        "title",
        "credentials[0].requires_claim",
        "stages[1].phase",
        "touchpoints[0].messages.data-lit[0]",
        "touchpoints[0].messages.ghost",
        "touchpoints[0].reach",
        "touchpoints[0].owner",
        "touchpoints[1].stage",
        "transitions[0].share",
        "transitions[1]",
        "requirements[0].by",
    ]
    message = str(caught.value)
    assert message.splitlines()[0] == "12 problems in the journey"
    assert all(f"  {p}" in message.splitlines() for p in caught.value.problems)


def test_one_problem_is_counted_in_the_singular(tiny_document):
    tiny_document["title"] = ""
    with pytest.raises(JourneyInvalid, match=r"^1 problem in the journey\n  title: must not"):
        from_data(tiny_document)


def test_an_invalid_journey_is_also_a_value_error(tiny_document):
    tiny_document["title"] = ""
    with pytest.raises(ValueError):
        from_data(tiny_document)


# -- bad documents ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fmt", "location", "says"),
    [
        pytest.param('{"title": }', "json", "line 1, column 11", "not valid JSON", id="json"),
        pytest.param(
            '{\n  "title": "T",\n  "stages": [,]\n}',
            "json",
            "line 3, column 14",
            "not valid JSON",
            id="json-line-3",
        ),
        pytest.param('{"a": 1} {"b": 2}', "json", "line 1, column 10", "JSON", id="json-twice"),
        pytest.param(
            "title: T\nstages: [a, b\n", "yaml", "line 3, column 1", "not valid YAML", id="yaml"
        ),
        pytest.param("a: b\n\tc: d\n", "yaml", "line 2, column 1", "not valid YAML", id="tab"),
        pytest.param("", "json", "", "the file is empty", id="empty-json"),
        pytest.param("", "yaml", "", "the file is empty", id="empty-yaml"),
        pytest.param(" \n\t\r\n ", "json", "", "the file is empty", id="whitespace-json"),
        pytest.param("\n\n   \n", "yaml", "", "the file is empty", id="whitespace-yaml"),
        pytest.param(b"\xff\xfe{}", "json", "line 1", "not UTF-8: byte 0xff", id="not-utf8"),
        pytest.param(
            b'{\n"title":\n"caf\xe9"}', "json", "line 3", "not UTF-8: byte 0xe9", id="latin-1"
        ),
        pytest.param(b"title: caf\xe9\n", "yaml", "line 1", "not UTF-8", id="latin-1-yaml"),
        pytest.param("[" * 100_000, "json", "", "nested too deeply", id="json-deep-lists"),
        pytest.param('{"a":' * 100_000, "json", "", "nested too deeply", id="json-deep-objects"),
        pytest.param("- " * 5000 + "x", "yaml", "", "nested too deeply", id="yaml-deep-block"),
        pytest.param("[" * 5000 + "]" * 5000, "yaml", "", "nested too deeply", id="yaml-deep-flow"),
        pytest.param("[]", "json", "", "expected an object, got a list", id="top-level-list"),
        pytest.param("- a\n- b\n", "yaml", "", "expected an object, got a list", id="yaml-list"),
        pytest.param('"journey"', "json", "", "expected an object, got a string", id="string"),
        pytest.param("null", "json", "", "expected an object, got null", id="null"),
        pytest.param("~\n", "yaml", "", "expected an object, got null", id="yaml-null"),
        pytest.param(
            "a: !!python/object/apply:os.system [ls]", "yaml", "line 1", "YAML", id="yaml-python"
        ),
        pytest.param("? [a, b]\n: c\n", "yaml", "line 1", "not valid YAML", id="unhashable-key"),
    ],
)
def test_a_broken_document_raises_a_located_problem(text, fmt, location, says):
    with pytest.raises(JourneyInvalid) as caught:
        loads(text, fmt)
    [problem] = caught.value.problems
    assert problem.location.startswith(location)
    assert says in problem.message


def _with_number(number: str, field: str = "reach") -> str:
    """Return a valid journey file but for ``number`` written as the touchpoint's ``field``."""
    return json.dumps(
        {
            "format": "claimpath-journey/1",
            "title": "T",
            "credentials": [{"id": "b", "name": "Badge"}],
            "stages": [{"id": "s", "name": "S", "phase": "issue"}],
            "touchpoints": [
                {"id": "a", "title": "A", "stage": "s", "entry": True, field: "NUMBER"}
            ],
        }
    ).replace('"NUMBER"', number)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_numbers_in_a_journey_file(constant):
    with pytest.raises(JourneyInvalid) as caught:
        loads(_with_number(constant))
    [problem] = caught.value.problems
    assert f"{constant} is not a number" in str(problem)


@pytest.mark.parametrize(
    ("text", "fmt"), [("1e400", "json"), (".inf", "yaml"), (".nan", "yaml"), ("-.inf", "yaml")]
)
def test_a_number_that_is_not_finite_is_reported_at_its_location(text, fmt):
    if fmt == "yaml":
        text = TINY_YAML.replace("stage: enrol\n", f"stage: enrol\n    reach: {text}\n")
    else:
        text = _with_number(text)
    with pytest.raises(JourneyInvalid) as caught:
        loads(text, fmt)
    assert [p.location for p in caught.value.problems] == ["touchpoints[0].reach"]


def test_an_integer_with_thousands_of_digits_is_rejected():
    with pytest.raises(JourneyInvalid, match="digits"):
        loads(_with_number("9" * 5000))


@pytest.mark.parametrize("fmt", ["json", "yaml"])
@pytest.mark.parametrize("field", ["reach", "entry_share"])
def test_a_huge_integer_is_reported_at_its_location(fmt, field):
    text = _with_number("1" + "0" * 400, field)
    if fmt == "yaml":
        text = yaml.safe_dump(json.loads(text))
    with pytest.raises(JourneyInvalid) as caught:
        loads(text, fmt)
    assert [p.location for p in caught.value.problems] == [f"touchpoints[0].{field}"]


def test_an_infinite_number_is_not_described_as_a_number():
    with pytest.raises(JourneyInvalid) as caught:
        loads(_with_number("1e400"))
    assert "got a number" not in str(caught.value.problems[0])


def test_a_utf8_byte_order_mark_is_accepted(tiny_document):
    assert loads(b"\xef\xbb\xbf" + json.dumps(tiny_document).encode()) == from_data(tiny_document)
    assert loads(b"\xef\xbb\xbf" + TINY_YAML.encode(), "yaml") == from_data(tiny_document)


def test_non_ascii_text_survives_loading(tiny_document):
    tiny_document["title"] = "Littératie des données ✓"
    assert (
        loads(json.dumps(tiny_document, ensure_ascii=False).encode()).title
        == tiny_document["title"]
    )


def test_yaml_that_turns_text_into_something_else_is_reported_at_its_location():
    text = TINY_YAML.replace("title: Data Literacy", "title: no").replace(
        "title: Welcome email", "title: 2027"
    )
    with pytest.raises(JourneyInvalid) as caught:
        loads(text, "yaml")
    assert [str(p) for p in caught.value.problems] == [
        "title: expected a string, got true/false",
        "touchpoints[0].title: expected a string, got a number",
    ]


def test_wrong_types_everywhere_are_all_reported_where_they_are():
    data = {
        "format": ["claimpath-journey/1"],
        "title": {"en": "T"},
        "description": 1,
        "credentials": [
            {
                "id": 1,
                "name": None,
                "aliases": {},
                "skills": "charts",
                "issuer": 2,
                "criteria": [],
                "requires_claim": 0,
            },
            "a badge",
        ],
        "stages": [{"id": "s", "name": 3, "phase": 4}],
        "touchpoints": [
            {
                "id": "a",
                "title": [],
                "stage": 5,
                "channel": [],
                "owner": 6,
                "audience": {},
                "content": 7,
                "messages": "all",
                "issues": {},
                "reach": "full",
                "entry": "true",
                "entry_share": [],
            }
        ],
        "transitions": [{"from": 1, "to": None, "share": "0.5"}],
        "requirements": {"message": "earned"},
    }
    assert _locations(data) == [
        "format",
        "title",
        "description",
        "credentials[0].id",
        "credentials[0].name",
        "credentials[0].aliases",
        "credentials[0].criteria",
        "credentials[0].skills",
        "credentials[0].issuer",
        "credentials[0].requires_claim",
        "credentials[1]",
        "stages[0].name",
        "stages[0].phase",
        "touchpoints[0].stage",
        "touchpoints[0].messages",
        "touchpoints[0].issues",
        "touchpoints[0].reach",
        "touchpoints[0].title",
        "touchpoints[0].channel",
        "touchpoints[0].owner",
        "touchpoints[0].audience",
        "touchpoints[0].content",
        "touchpoints[0].entry",
        "touchpoints[0].entry_share",
        "transitions[0].from",
        "transitions[0].to",
        "transitions[0].share",
        "requirements",
    ]


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["data-lit", "welcome", "issued", "enrol", "earned", "issue", ""]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)


def _places(value: Any, where: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Return the path of every value inside ``value``, containers included."""
    out = [where]
    if isinstance(value, dict | list):
        for key, inner in value.items() if isinstance(value, dict) else enumerate(value):
            out += _places(inner, (*where, key))
    return out


_RICH_PLACES = _places(_rich())[1:]


@settings(max_examples=300)
@given(place=st.sampled_from(_RICH_PLACES), value=_JSON_VALUES)
def test_any_value_anywhere_either_loads_or_raises_journey_invalid(place, value):
    data = _rich()
    target = data
    for key in place[:-1]:
        target = target[key]
    target[place[-1]] = value
    try:
        from_data(data)
    except JourneyInvalid as exc:
        assert exc.problems
        assert all(isinstance(p.location, str) and p.message for p in exc.problems)


# -- writing and round trips --------------------------------------------------------


def test_a_rich_journey_survives_a_round_trip():
    journey = from_data(_rich())
    assert loads(dumps(journey)) == journey
    assert loads(yaml.safe_dump(to_data(journey), allow_unicode=True), "yaml") == journey


def test_writing_twice_gives_the_same_text():
    text = dumps(from_data(_rich()))
    assert dumps(loads(text)) == text
    assert text.endswith("}\n")
    assert "café ✓" in text  # written as text, not \u escapes


def test_the_files_own_requirements_survive_a_round_trip_even_when_empty(tiny_document):
    tiny_document["requirements"] = []
    journey = from_data(tiny_document)
    assert loads(dumps(journey)).requirements == ()
    assert to_data(journey)["requirements"] == []


def test_written_data_has_the_top_level_keys_in_file_order():
    data = to_data(from_data(_rich()))
    assert list(data) == [
        "format",
        "title",
        "description",
        "credentials",
        "stages",
        "touchpoints",
        "transitions",
        "requirements",
    ]
    assert data["format"] == "claimpath-journey/1"
    assert list(data["credentials"][0])[:2] == ["id", "name"]
    assert list(data["touchpoints"][0])[:3] == ["id", "title", "stage"]
    assert list(data["transitions"][0]) == ["from", "to", "share"]


def test_defaults_are_written_out_and_requirements_left_to_the_defaults_stay_null(tiny_document):
    data = to_data(from_data(tiny_document))
    welcome = data["touchpoints"][0]
    assert (welcome["channel"], welcome["owner"], welcome["audience"]) == (
        "other",
        "issuer",
        "learner",
    )
    assert (welcome["reach"], welcome["entry"]) == (1.0, False)
    assert data["credentials"][0]["requires_claim"] is True
    assert "share" not in data["transitions"][0]
    assert data["requirements"] is None


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_shipped_example_survives_a_round_trip(path):
    journey = load(path)
    assert loads(dumps(journey)) == journey


_IDS = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,11}", fullmatch=True)
_NAMES = st.text(min_size=1, max_size=20).filter(str.strip)


@st.composite
def journey_data(draw: st.DrawFn) -> dict[str, Any]:
    """Draw the data of a small valid journey."""
    cids = draw(st.lists(_IDS, min_size=1, max_size=3, unique=True))
    sids = draw(st.lists(_IDS, min_size=1, max_size=3, unique=True))
    tids = draw(st.lists(_IDS, min_size=1, max_size=8, unique=True))
    credentials = [
        {
            "id": cid,
            "name": draw(_NAMES),
            "aliases": draw(st.lists(_NAMES, max_size=2)),
            "skills": draw(st.lists(_NAMES, max_size=2)),
            "description": draw(st.text(max_size=30)),
            "requires_claim": draw(st.booleans()),
        }
        for cid in cids
    ]
    stages = [
        {"id": sid, "name": draw(_NAMES), "phase": draw(st.sampled_from(PHASES))} for sid in sids
    ]
    pairs = [(a, b) for a in tids for b in tids if a != b]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=12)) if pairs else []
    transitions = []
    for a, b in chosen:
        transition: dict[str, Any] = {"from": a, "to": b}
        fan_out = sum(1 for x, _ in chosen if x == a)
        if draw(st.booleans()):
            transition["share"] = draw(st.floats(0, 1 / fan_out))
        transitions.append(transition)
    touchpoints = []
    for tid in tids:
        touchpoint: dict[str, Any] = {
            "id": tid,
            "title": draw(_NAMES),
            "stage": draw(st.sampled_from(sids)),
            "channel": draw(st.text(max_size=40)),
            "owner": draw(st.sampled_from(OWNERS)),
            "audience": draw(st.sampled_from(OWNERS)),
            "content": draw(st.text(max_size=60)),
            "messages": draw(
                st.dictionaries(
                    st.sampled_from(cids),
                    st.lists(st.sampled_from(MESSAGE_KINDS), unique=True),
                    max_size=3,
                )
            ),
            "issues": draw(st.lists(st.sampled_from(cids), unique=True, max_size=2)),
            "reach": draw(st.floats(0, 1)),
            "entry": draw(st.booleans()),
        }
        if draw(st.booleans()):
            touchpoint["entry_share"] = draw(st.floats(0, 10))
        touchpoints.append(touchpoint)
    targets = {b for _, b in chosen}
    if not any(t["entry"] for t in touchpoints) and all(t in targets for t in tids):
        touchpoints[draw(st.sampled_from(range(len(tids))))]["entry"] = True
    requirements = draw(
        st.none()
        | st.lists(
            st.fixed_dictionaries(
                {
                    "message": st.sampled_from(MESSAGE_KINDS),
                    "by": st.sampled_from(["issue", "end"]),
                    "severity": st.sampled_from(["critical", "warning", "info"]),
                }
            ),
            max_size=3,
        )
    )
    return {
        "format": "claimpath-journey/1",
        "title": draw(_NAMES),
        "description": draw(st.text(max_size=30)),
        "credentials": credentials,
        "stages": stages,
        "touchpoints": touchpoints,
        "transitions": transitions,
        "requirements": requirements,
    }


@given(journey_data())
def test_any_valid_journey_survives_a_round_trip(data):
    journey = from_data(data)
    assert loads(dumps(journey)) == journey
    assert to_data(loads(dumps(journey))) == to_data(journey)


@given(journey_data())
def test_writing_keeps_what_was_loaded(data):
    written = to_data(from_data(data))
    assert [t["id"] for t in written["touchpoints"]] == [t["id"] for t in data["touchpoints"]]
    assert [(t["from"], t["to"]) for t in written["transitions"]] == [
        (t["from"], t["to"]) for t in data["transitions"]
    ]
    assert written["requirements"] == data["requirements"]


def test_a_touchpoint_dropped_for_its_stage_does_not_also_read_as_no_entry(tiny_document):
    tiny_document["touchpoints"][0]["stage"] = "nowhere"
    with pytest.raises(JourneyInvalid) as caught:
        from_data(tiny_document)
    assert [p.location for p in caught.value.problems] == ["touchpoints[0].stage"]
