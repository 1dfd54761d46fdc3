"""Mermaid ``journey`` diagrams in and out (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeys.fileformat import from_data, load
from journeys.importing import Refused
from journeys.mermaid import MAX_MERMAID_BYTES, read_mermaid, scores, to_mermaid

HERE = Path(__file__).resolve().parent.parent / "fixtures" / "interop" / "mermaid"
EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "journeys" / "examples").glob("*.json"))


def _read(name: str):
    return read_mermaid((HERE / name).read_bytes(), name)


def _shape(journey):
    return [
        (s.name, [t.title for t in journey.touchpoints if t.stage == s.id]) for s in journey.stages
    ]


IMPORTED = {
    "docs-my-working-day.mmd": (
        "My working day",
        [
            ("Go to work", ["Make tea", "Go upstairs", "Do work"]),
            ("Go home", ["Go downstairs", "Sit down"]),
        ],
    ),
    "platform-go-shopping.mmd": (
        "Go shopping",
        [
            ("Get to the shops", ["Get car keys", "Get into car", "Really drive to supermarket"]),
            ("Do shopping", ["Do actual shop", "Get in the way", "Pay"]),
            ("Go home", ["Lose keys", "Get cross", "Find keys", "Get into car", "Drive home"]),
        ],
    ),
    "demo-frontmatter-acc.mmd": (
        "My working day",
        [
            ("Go to work", ["Make tea", "Go upstairs", "Do work"]),
            ("Go home", ["Go downstairs", "Sit down"]),
        ],
    ),
    "cypress-webhook-lifecycle.mmd": (
        "Web hook life cycle",
        [
            ("Darkoob", ["Make preBuilt", "register slug", "Map slug to a Prebuilt Job"]),
            (
                "External Service",
                [
                    "set Darkoob slug as hook for an Event",
                    "listen to the events",
                    "call darkoob endpoint",
                ],
            ),
            ("Darkoob", ["check for inputs", "run the prebuilt job"]),
        ],
    ),
    "cypress-frontmatter-empty-actors.mmd": (
        "User Journey Example",
        [
            ("Onboarding", ["Sign Up", "Browse Features", "Use Core Functionality"]),
            ("Engagement", ["Browse Features", "Use Core Functionality"]),
        ],
    ),
    "parser-spec-task-forms.mmd": (
        "Adding journey diagram functionality to mermaid",
        [
            ("Documentation", ["A task", "B task", "C task", "D task", "E task"]),
            ("Another section", ["P task", "Q task", "R task"]),
        ],
    ),
    "realworld-japanese-mixed-indent.mmd": (
        "おれの労働日",
        [
            ("Go to work", ["make tea", "go upstairs", "Do work"]),
            ("Go home", ["Go downstairs", "Sit down"]),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(IMPORTED))
def test_mermaid_fixtures_import_with_their_sections_and_tasks_in_order(name):
    title, shape = IMPORTED[name]
    result = _read(name)
    assert result.journey.title == title
    assert _shape(result.journey) == shape
    # Tasks follow one another in order, from the first.
    tps = result.journey.touchpoints
    assert [(tr.from_, tr.to) for tr in result.journey.transitions] == [
        (a.id, b.id) for a, b in zip(tps, tps[1:], strict=False)
    ]
    assert result.journey.entries == (tps[0].id,)


def test_scores_outside_one_to_five_are_clamped_with_a_warning_naming_the_line():
    result = _read("realworld-css-learning-journey.mmd")
    assert len(result.journey.touchpoints) == 18 and len(result.journey.stages) == 6
    clamped = [w for w in result.warnings if "outside 1-5" in w]
    assert clamped[0] == "line 16: score 6 is outside 1-5; read as 5"
    assert [w.split(":")[0] for w in clamped] == [
        "line 16",
        "line 17",
        "line 20",
        "line 21",
        "line 24",
        "line 25",
        "line 26",
    ]


def test_a_stray_line_that_is_not_a_task_is_refused_with_its_line_number():
    with pytest.raises(Refused) as caught:
        _read("cypress-title-styling-stray-line.mmd")
    [problem] = caught.value.problems
    assert problem.location == "line 21"
    assert "'2rem' is not a number" in problem.message


def test_a_diagram_with_no_task_is_refused_naming_its_last_section():
    with pytest.raises(Refused, match="line 7: the diagram has no tasks"):
        _read("parser-spec-acc-descr-multiline.mmd")


def test_accdescr_becomes_the_description():
    assert _read("demo-frontmatter-acc.mmd").journey.description == (
        "2 main sections: work and home, each with just a few tasks"
    )


def test_actors_that_are_roles_become_owner_and_audience_and_others_are_kept_as_text():
    text = (
        b"journey\n section Award\n  Badge email: 4: Faculty, learner\n"
        b"  Talk: 3: Career services\n  Party: 5: Mum\n"
    )
    result = read_mermaid(text, "x.mmd")
    a, b, c = result.journey.touchpoints
    assert (a.owner, a.audience) == ("faculty", "learner")
    assert (b.owner, b.audience) == ("career_services", "career_services")
    assert (c.owner, c.audience, c.content) == (
        "issuer",
        "learner",
        "Actors in the Mermaid diagram: Mum",
    )
    assert any("Mum" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (b"graph TD\n A-->B\n", "line 1"),
        (b"journey\n section A\n just words\n", "line 3"),
        (b"journey\n section A\n T: 5; x\n", "line 3"),
        (b"---\ntitle: x\njourney\n", "line 1"),
    ],
)
def test_bad_diagrams_are_refused_with_the_line(text, where):
    with pytest.raises(Refused) as caught:
        read_mermaid(text, "x.mmd")
    assert caught.value.problems[0].location == where


def test_oversized_and_empty_diagrams_are_refused_before_parsing():
    with pytest.raises(Refused, match="more than the"):
        read_mermaid(b"journey\n" + b" " * MAX_MERMAID_BYTES, "x.mmd")
    with pytest.raises(Refused, match="empty"):
        read_mermaid(b"\n\n", "x.mmd")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_exports_and_imports_back_with_the_same_stages_and_touchpoints(path):
    journey = load(path)
    text = to_mermaid(journey)
    assert text.startswith("journey\n")
    back = read_mermaid(text.encode(), "x.mmd").journey
    assert [s.name for s in back.stages] == [s.name.replace(":", " -") for s in journey.stages]
    assert _shape(back) == [
        (
            s.name.replace(":", " -"),
            [t.title.replace(":", " -") for t in journey.touchpoints if t.stage == s.id],
        )
        for s in journey.stages
    ]
    original = {t.title.replace(":", " -"): (t.owner, t.audience) for t in journey.touchpoints}
    assert {t.title: (t.owner, t.audience) for t in back.touchpoints} == original


def _journey(**touchpoint):
    return from_data(
        {
            "format": "claimpath-journey/1",
            "title": "Title: with # and ; and %% signs",
            "credentials": [{"id": "b", "name": "B", "requires_claim": False}],
            "stages": [{"id": "s", "name": "section: one", "phase": "issue"}],
            "touchpoints": [
                {
                    "id": "a",
                    "title": "Journey start: 1",
                    "stage": "s",
                    "messages": {"b": ["earned", "represents", "why"]},
                    **touchpoint,
                },
                {
                    "id": "z",
                    "title": "Issue",
                    "stage": "s",
                    "issues": ["b"],
                    "messages": {"b": ["use", "share", "talk"]},
                },
            ],
            "transitions": [{"from": "a", "to": "z"}],
        }
    )


def test_scores_say_how_much_of_what_is_required_learners_have_been_told():
    # Six required messages (no claim): 3 of 6 at the start -> 1 + round(2) = 3; all at the end.
    assert scores(_journey()) == {"a": 3, "z": 5}


def test_names_mermaid_would_misread_are_written_so_it_reads_them_as_text():
    text = to_mermaid(_journey())
    assert "title Title - with no. and , and % signs" in text
    assert "section - section - one" in text
    assert "- Journey start - 1: 3: Issuer, Learner" in text
    back = read_mermaid(text.encode(), "x.mmd").journey
    assert [t.title for t in back.touchpoints] == ["- Journey start - 1", "Issue"]
