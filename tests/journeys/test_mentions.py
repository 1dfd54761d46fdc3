"""Tests for journeys.mentions: names in copy, what counts as a mention, suggestions, highlights."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeys.mentions import (
    Mention,
    credential_pattern,
    find_mentions,
    highlight,
    mentions,
    text_mentions,
)
from journeys.model import MESSAGE_KINDS, Credential, Journey, Stage, Touchpoint
from journeys.suggestions import suggest_messages, suggestions_for

DATA_LIT = Credential("data-lit", "Data Literacy Badge", aliases=("data badge",))
VIZ = Credential("viz", "Viz Badge")


def build_journey(*touchpoints: Touchpoint, credentials=(DATA_LIT, VIZ)) -> Journey:
    """Return a one-stage journey over ``touchpoints``."""
    return Journey(
        title="Test journey",
        credentials=tuple(credentials),
        stages=(Stage("learn", "Learn", "learn"),),
        touchpoints=touchpoints,
    )


def tp(id: str, title: str = "Update", content: str = "", **fields) -> Touchpoint:
    """Return a touchpoint in the journey's only stage."""
    return Touchpoint(id, title, "learn", content=content, **fields)


# --- credential_pattern ----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "aliases", "text", "found"),
    [
        pytest.param(
            "Data Literacy Badge",
            (),
            "Earn the data literacy badge, then share it.",
            ["data literacy badge"],
            id="name-any-case-before-punctuation",
        ),
        pytest.param(
            "Data Literacy Badge",
            ("badge",),
            "Collect badges, then the badge.",
            ["badge"],
            id="alias-not-inside-plural",
        ),
        pytest.param(
            "Lit", (), "Our literacy course. Lit! lit.", ["Lit", "lit"], id="short-name-not-in-word"
        ),
        pytest.param("C++ Badge", (), "Earn the C++ badge today", ["C++ badge"], id="plus-signs"),
        pytest.param(
            "Data-Lit",
            (),
            "The data-lit credential, not data-literacy.",
            ["data-lit"],
            id="hyphenated",
        ),
        pytest.param(
            "Data Literacy Badge",
            (),
            "the Data Literacy\nBadge and the Data\u00a0Literacy  Badge",
            ["Data Literacy\nBadge", "Data\u00a0Literacy  Badge"],
            id="line-wrap-and-nbsp",
        ),
        pytest.param("Viz Badge", (), "the Viz Badge's criteria", ["Viz Badge"], id="possessive"),
        pytest.param("Viz", (), "viz_badge and vizual", [], id="underscore-is-a-word-character"),
        pytest.param("Data Badge", ("DATA BADGE",), "data badge", ["data badge"], id="duplicate"),
        pytest.param(
            "Résumé Badge", (), "your RÉSUMÉ BADGE", ["RÉSUMÉ BADGE"], id="accented-any-case"
        ),
    ],
)
def test_pattern_matches_whole_names_in_any_case(name, aliases, text, found):
    pattern = credential_pattern(Credential("c", name, aliases=aliases))
    assert [m.group() for m in pattern.finditer(text)] == found


def test_pattern_prefers_the_longest_name_written():
    credential = Credential("c", "Data Badge", aliases=("Data Badge Plus",))
    match = credential_pattern(credential).search("You earned the data badge plus.")
    assert match.group() == "data badge plus"


@pytest.mark.parametrize(
    ("name", "aliases", "matches"),
    [("  ", ("", " "), None), (" ", (" data badge ",), "the data badge")],
    ids=["all-blank", "blank-name-with-alias"],
)
def test_pattern_ignores_blank_names(name, aliases, matches):
    pattern = credential_pattern(Credential("c", name, aliases=aliases))
    if matches is None:
        assert pattern is None
    else:
        assert pattern.search(matches).group() == "data badge"


def test_pattern_does_not_treat_names_as_regular_expressions():
    pattern = credential_pattern(Credential("c", "Badge (v2.0)"))
    assert pattern.search("Badge (v2.0) is out")
    assert not pattern.search("Badge v2x0")


# --- find_mentions ---------------------------------------------------------


def test_find_mentions_lists_title_then_content_in_order():
    touchpoint = tp(
        "t",
        title="Your Viz Badge",
        content="The data badge and the Viz badge. Also the DATA LITERACY BADGE.",
    )
    found = find_mentions(build_journey(touchpoint), touchpoint)
    assert [(m.credential, m.field, m.text) for m in found] == [
        ("viz", "title", "Viz Badge"),
        ("data-lit", "content", "data badge"),
        ("viz", "content", "Viz badge"),
        ("data-lit", "content", "DATA LITERACY BADGE"),
    ]


def test_find_mentions_offsets_point_at_the_words():
    touchpoint = tp(
        "t", title="Claim the viz badge", content="Well done!\nThe Data  Badge is yours."
    )
    found = find_mentions(build_journey(touchpoint), touchpoint)
    assert len(found) == 2
    for mention in found:
        assert getattr(touchpoint, mention.field)[mention.start : mention.end] == mention.text


def test_find_mentions_reports_overlapping_names_of_different_credentials():
    full = Credential("full", "Data Literacy Badge")
    part = Credential("part", "Literacy Badge")
    touchpoint = tp("t", content="Earn the Data Literacy Badge.")
    found = find_mentions(build_journey(touchpoint, credentials=(full, part)), touchpoint)
    assert [(m.credential, m.start, m.end) for m in found] == [("full", 9, 28), ("part", 14, 28)]


def test_find_mentions_is_empty_when_no_credential_is_named():
    touchpoint = tp("t", title="Timetable", content="Badges are coming soon.")
    assert find_mentions(build_journey(touchpoint), touchpoint) == []


# --- text_mentions and mentions ----------------------------------------------


def test_text_mentions_lists_every_touchpoint_with_the_credentials_it_names():
    journey = build_journey(
        tp("welcome", content="You will earn the Data Literacy Badge."),
        tp("viz", title="About the VIZ BADGE"),
        tp("both", content="data badge, viz badge"),
        tp("none", content="Badges and visualisations."),
    )
    assert text_mentions(journey) == {
        "welcome": {"data-lit"},
        "viz": {"viz"},
        "both": {"data-lit", "viz"},
        "none": frozenset(),
    }


def test_text_mentions_does_not_join_title_and_content():
    journey = build_journey(tp("t", title="The Data Literacy", content="Badge pack"))
    assert text_mentions(journey) == {"t": frozenset()}


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Kit Badge", "the \u212aIT BADGE"),  # Kelvin sign: equal to k when ignoring case
        ("Skills Badge", "the \u017fkills badge"),  # long s
        ("Intro Badge", "the \u0130NTRO BADGE"),  # dotted capital I
        ("Résumé Badge", "Add the résumé badge"),
    ],
)
def test_text_mentions_agrees_with_the_pattern_on_unusual_letters(name, text):
    credential = Credential("c", name)
    expected = {"t": frozenset({"c"} if credential_pattern(credential).search(text) else ())}
    journey = build_journey(tp("t", content=text), credentials=(credential,))
    assert text_mentions(journey) == expected


# Pieces that stress the fast path: letters that equal others when case is
# ignored, word characters, whitespace of several kinds, repeated first words.
_NAMES = st.lists(
    st.sampled_from([*"abkKsI -+", "\u212a", "\u017f", "\u0130", "data", "Data"]), max_size=6
).map("".join)
_TEXTS = st.lists(
    st.sampled_from([*"abkKsI -+_\n\u00a0é", "\u212a", "\u017f", "\u0130", "data"]), max_size=20
).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    names=st.lists(st.tuples(_NAMES, st.lists(_NAMES, max_size=2)), min_size=1, max_size=3),
    title=_TEXTS,
    content=_TEXTS,
)
def test_text_mentions_finds_exactly_what_searching_each_pattern_finds(names, title, content):
    credentials = tuple(
        Credential(f"c{i}", name, aliases=tuple(aliases)) for i, (name, aliases) in enumerate(names)
    )
    expected = {
        c.id
        for c in credentials
        if (pattern := credential_pattern(c)) and (pattern.search(title) or pattern.search(content))
    }
    journey = build_journey(tp("t", title=title, content=content), credentials=credentials)
    assert text_mentions(journey) == {"t": expected}


def test_mentions_counts_declared_issued_and_named_credentials():
    journey = build_journey(
        tp("declares", messages={"data-lit": ("earned",)}),
        tp("issues", issues=("viz",)),
        tp("names", content="Your Viz Badge is waiting."),
        tp("silent", content="See you next week."),
    )
    assert mentions(journey) == {
        "declares": {"data-lit"},
        "issues": {"viz"},
        "names": {"viz"},
        "silent": frozenset(),
    }


def test_mentions_ignores_an_empty_message_list():
    journey = build_journey(tp("t", messages={"data-lit": (), "viz": ("share",)}))
    assert mentions(journey) == {"t": {"viz"}}


def test_mentions_joins_every_reason_for_one_touchpoint():
    touchpoint = tp(
        "t",
        content="The Data Literacy Badge is issued today.",
        issues=("viz",),
        messages={"viz": ("claim",)},
    )
    assert mentions(build_journey(touchpoint)) == {"t": {"data-lit", "viz"}}


# --- suggestions -------------------------------------------------------------

KIND_EXAMPLES = [
    ("earned", "Congratulations, you have earned it.", "Congratulations"),
    ("earned", "On completion you will receive a digital badge.", "On completion you will receive"),
    ("earned", "You\u2019ve earned the Data Literacy Badge.", "You\u2019ve earned"),
    ("represents", "The badge represents four skills.", "represents"),
    ("represents", "Skills: interpret charts, clean data.", "Skills:"),
    ("represents", "Read what it means before you apply.", "what it means"),
    ("represents", "It is assessed at AQF level 5.", "AQF level 5"),
    ("why", "You receive it because you passed every quiz.", "because you"),
    ("why", "Awarded for completing the capstone.", "Awarded for"),
    ("why", "Thanks for completing the capstone.", "for completing"),
    ("claim", "Claim your badge within 30 days.", "Claim"),
    ("claim", "Click the link to accept it.", "Click the link"),
    ("claim", "Save it in your digital wallet.", "digital wallet"),
    ("use", "List it on your CV.", "CV"),
    ("use", "Mention it in job applications.", "job applications"),
    ("use", "Keep a portfolio of your work.", "portfolio"),
    ("share", "Add it to your LinkedIn profile.", "Add it to your LinkedIn profile"),
    ("share", "Our e-portfolio template helps.", "e-portfolio"),
    ("share", "Post it on social media.", "Post it"),
    ("talk", "Interview tips for new graduates.", "Interview"),
    ("talk", "Learn to talk about your learning.", "talk about"),
    ("talk", "Practise your elevator pitch.", "elevator pitch"),
    ("value", "Employers recognise this credential.", "Employers recognise"),
    ("value", "It is industry-recognised across Australia.", "industry-recognised"),
    ("value", "It improves your job prospects.", "job prospects"),
]


@pytest.mark.parametrize(("kind", "text", "phrase"), KIND_EXAMPLES)
def test_suggest_messages_names_the_kind_and_the_phrase(kind, text, phrase):
    suggestion = {s.message: s for s in suggest_messages(text)}[kind]
    assert suggestion.phrase == phrase
    assert text[suggestion.start : suggestion.end] == phrase


def test_every_message_kind_has_an_example():
    assert {kind for kind, _, _ in KIND_EXAMPLES} == set(MESSAGE_KINDS)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Resume the course when you are ready.", "use"),
        ("Our e-portfolio guide and ePortfolio templates.", "use"),
        ("The study claims a rise; critics claim that it is small.", "claim"),
        ("Visit Career Services or the careers centre.", "value"),
        ("The slides are on the shared drive.", "share"),
        ("A high-level overview of the week.", "represents"),
        ("Build your data skills this week.", "represents"),
        ("The STAR report is out.", "talk"),
    ],
)
def test_suggest_messages_skips_lookalike_words(text, kind):
    assert kind not in {s.message for s in suggest_messages(text)}


def test_suggest_messages_gives_each_kind_once_at_its_first_phrase():
    found = suggest_messages("Share it. Then share it again on LinkedIn.")
    assert [(s.message, s.phrase, s.start) for s in found] == [("share", "Share", 0)]


def test_suggest_messages_are_in_text_order_and_carry_the_field():
    text = "Add it to your CV. Claim it first. Congratulations!"
    found = suggest_messages(text, field="title")
    assert [s.message for s in found] == ["use", "claim", "earned"]
    assert [s.start for s in found] == sorted(s.start for s in found)
    assert {s.field for s in found} == {"title"}


def test_suggest_messages_finds_nothing_in_plain_logistics():
    assert suggest_messages("The live session starts at 10am in room 4.") == []


def test_suggestions_for_reads_the_title_before_the_content():
    touchpoint = tp(
        "t", title="Claim your Viz Badge", content="Click the link to claim it, then share it."
    )
    found = suggestions_for(touchpoint)
    assert [(s.message, s.field, s.phrase) for s in found] == [
        ("claim", "title", "Claim"),
        ("share", "content", "share"),
    ]


def test_suggestions_for_keeps_kinds_already_declared():
    touchpoint = tp("t", content="Share it on LinkedIn.", messages={"viz": ("share",)})
    assert [s.message for s in suggestions_for(touchpoint)] == ["share"]


# --- highlight ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spans", "pieces"),
    [
        ("no names here", [], [("no names here", False)]),
        ("Viz Badge first", [(0, 9)], [("Viz Badge", True), (" first", False)]),
        ("last: Viz Badge", [(6, 15)], [("last: ", False), ("Viz Badge", True)]),
        (
            "abcdefgh",
            [(4, 6), (1, 3)],
            [("a", False), ("bc", True), ("d", False), ("ef", True), ("gh", False)],
        ),
        ("abcdefgh", [(1, 4), (2, 6)], [("a", False), ("bcdef", True), ("gh", False)]),
        ("abcdefgh", [(1, 3), (3, 5)], [("a", False), ("bcde", True), ("fgh", False)]),
        ("abcdefgh", [(2, 2)], [("abcdefgh", False)]),
        ("", [], []),
    ],
    ids=[
        "no-spans",
        "at-start",
        "at-end",
        "unsorted",
        "overlapping",
        "touching",
        "empty",
        "no-text",
    ],
)
def test_highlight_splits_text_into_marked_pieces(text, spans, pieces):
    assert highlight(text, spans) == pieces
    assert "".join(piece for piece, _ in pieces) == text


def test_highlight_marks_the_mentions_find_mentions_gives():
    touchpoint = tp("t", content="Earn the Viz Badge, then the data badge.")
    found = [
        m for m in find_mentions(build_journey(touchpoint), touchpoint) if m.field == "content"
    ]
    assert [piece for piece, marked in highlight(touchpoint.content, found) if marked] == [
        "Viz Badge",
        "data badge",
    ]


@pytest.mark.parametrize("span", [(-1, 2), (3, 2), (0, 99), Mention("c", "title", 5, 40, "x")])
def test_highlight_rejects_spans_outside_the_text(span):
    with pytest.raises(ValueError, match="outside"):
        highlight("short text", [span])
