"""Drafted copy (issue 11): every message kind on every channel, built from the credential."""

from __future__ import annotations

import pytest

from journeys.drafts import DRAFT_MARK, draft, shape_of
from journeys.model import CHANNELS, MESSAGE_KINDS, Credential

BADGE = Credential(
    "dl",
    "Data Literacy Badge",
    description="Reads, questions and presents data at an intermediate level",
    criteria="Pass the three data modules with 70% or more",
    skills=("Interpret charts", "Question a dataset"),
    issuer="Uni X",
)
EVERY_CHANNEL = (*CHANNELS, "workshop", "other")


@pytest.mark.parametrize("channel", EVERY_CHANNEL)
@pytest.mark.parametrize("message", MESSAGE_KINDS)
def test_every_kind_on_every_channel_names_the_credential(message, channel):
    written = draft(BADGE, (message,), channel)
    assert "Data Literacy Badge" in written.text
    if message == "represents":
        assert BADGE.description in written.text
        assert all(skill in written.text for skill in BADGE.skills)
    if message == "why":
        assert BADGE.criteria in written.text
    if message == "talk":
        assert '"I can interpret charts"' in written.text
        assert "interview" in written.text
    if message in ("use", "value"):
        assert all(skill in written.text for skill in BADGE.skills)
    if message == "share":
        assert "LinkedIn" in written.text and "e-portfolio" in written.text
        assert "Uni X" in written.text
    if message == "claim":
        assert "1. " in written.text and "Accept" in written.text
    if message == "earned":
        assert "You have earned the Data Literacy Badge from Uni X" in written.text


@pytest.mark.parametrize("message", MESSAGE_KINDS)
def test_an_email_has_a_subject_and_paragraphs(message):
    written = draft(BADGE, (message,), "email")
    assert written.subject and "Data Literacy Badge" in written.subject
    assert "\n\n" in written.text and written.text.startswith("Hello,")


def test_a_workshop_gets_talking_points_and_an_lms_page_a_short_block():
    points = draft(BADGE, ("represents", "talk"), "in_person").text.splitlines()
    assert points and all(line.startswith("- ") for line in points)
    block = draft(BADGE, ("represents",), "lms").text.splitlines()
    assert block[0] == "Data Literacy Badge" and len(block) <= 4
    assert shape_of("workshop") == "points"


def test_the_optional_type_and_address_are_used_when_known():
    typed = Credential("x", "Care Certificate", achievement_type="Certificate",
                       url="https://badges.example/care")  # fmt: skip
    assert "Certificate" in draft(typed, ("represents",), "web").text
    assert "https://badges.example/care" in draft(typed, ("claim",), "web").text


def test_a_draft_added_to_a_touchpoint_is_marked_for_the_designer():
    marked = draft(BADGE, ("claim",), "email").marked()
    assert marked.startswith(DRAFT_MARK + "\nSubject: How to claim your Data Literacy Badge")


def test_an_unknown_message_is_refused():
    with pytest.raises(ValueError):
        draft(BADGE, ("shout",), "email")
