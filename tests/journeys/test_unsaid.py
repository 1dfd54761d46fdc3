"""Declared but not said (issue 11): a review note when the copy does not carry a declared
message; never a finding, never in the score."""

from __future__ import annotations

import dataclasses

import pytest

from journeys.analysis import analyse
from journeys.drafts import draft
from journeys.fileformat import from_data
from journeys.model import CHANNELS, MESSAGE_KINDS, Credential, Touchpoint
from journeys.score import score
from journeys.suggestions import declared_but_unsaid

BADGE = Credential(
    "b",
    "Data Badge",
    description="Reads charts at an intermediate level",
    criteria="Pass the data module",
    skills=("Interpret charts",),
    issuer="Uni X",
)


def test_claim_declared_without_instructions_link_or_button_gets_a_note():
    t = Touchpoint("mail", "Badge email", "s", content="You have a new item.",
                   messages={"b": ("claim",)})  # fmt: skip
    [note] = declared_but_unsaid(t)
    assert (note.credential, note.message, note.touchpoint) == ("b", "claim", "mail")
    assert note.note.startswith("Declares 'claim', but its words do not seem to say it")


def test_words_that_carry_the_message_give_no_note():
    t = Touchpoint("mail", "Badge email", "s", content="Follow the link to claim your badge.",
                   messages={"b": ("claim",)})  # fmt: skip
    assert declared_but_unsaid(t) == []


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("message", MESSAGE_KINDS)
def test_the_engines_own_drafts_carry_what_they_declare(message, channel):
    t = Touchpoint("t", "Step", "s", channel=channel, messages={"b": (message,)},
                   content=draft(BADGE, (message,), channel).text)  # fmt: skip
    assert declared_but_unsaid(t) == []


def test_a_note_is_not_a_finding_and_not_in_the_score(tiny_document):
    tiny_document["touchpoints"][0]["messages"] = {"data-lit": ["earned", "represents", "claim"]}
    quiet = analyse(from_data(tiny_document))
    tiny_document["touchpoints"][0]["content"] = "Nothing about it here."
    noted = analyse(from_data(tiny_document))
    assert declared_but_unsaid(noted.journey.touchpoints[0])
    assert noted.findings == quiet.findings
    assert score(noted).value == score(quiet).value
    assert dataclasses.replace(noted.journey.touchpoints[0], content="") is not None
