"""The headline (issue 11): the weakest critical message at issue, in a sentence, on every
example journey; the top fixes ranked by the score they add; one card per place."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeys import fixes
from journeys.analysis import analyse
from journeys.fileformat import load
from journeys.report import cards, format_text, headline_sentence, to_report, top_fixes_data
from journeys.score import score

EXAMPLES = Path(__file__).resolve().parents[2] / "journeys" / "examples"

HEADLINES = {
    "aged-care-local-credential.json": None,
    "careers-ready-pathway.json": None,
    "district-auto-badges.json": (
        "Almost no learner will know that they have earned the Digital Citizenship Badge "
        "when it arrives."
    ),
    "promoted-data-literacy.json": None,
    "staff-pd-badge.json": None,
}


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_each_example_names_its_weakest_critical_message_and_its_share(name):
    analysis = analyse(load(EXAMPLES / name))
    result = score(analysis)
    sentence = headline_sentence(analysis, result)
    weakest = result.weakest
    assert weakest is not None  # every example issues its credential to someone
    credential = analysis.journey.credential_by_id[weakest.credential].name
    assert credential in sentence and sentence.endswith("when it arrives.")
    lowest = min(
        c.expected_share
        for c in analysis.checkpoints
        if c.by == "issue"
        and c.severity == "critical"
        and c.arrival
        and c.expected_share is not None
    )
    assert weakest.expected_share == lowest
    if HEADLINES.get(name):
        assert sentence == HEADLINES[name]
    assert sentence in format_text(analysis)


def test_after_the_three_ticks_the_district_headline_says_1_in_10_will_know_how_to_claim():
    journey = load(EXAMPLES / "district-auto-badges.json")
    ticked = fixes.apply(
        journey,
        ["say:platform-email:dig-cit:why+claim", "say:lms-announcement:dig-cit:earned+represents"],
    )
    assert headline_sentence(analyse(ticked)) == (
        "Only about 1 in 10 learners will know how to claim the Digital Citizenship Badge "
        "when it arrives."
    )


def test_fix_these_first_are_the_three_largest_gains_each_measured_on_a_copy():
    analysis = analyse(load(EXAMPLES / "district-auto-badges.json"))
    today = score(analysis).value
    top = top_fixes_data(analysis)
    assert len(top) == 3
    gains = [t["gain"] for t in top]
    assert gains == sorted(gains, reverse=True) and gains[0] > 0
    for t in top:
        tried = score(analyse(fixes.apply(analysis.journey, [t["key"]]))).value
        assert tried - today == t["gain"]
    every = [
        score(analyse(fixes.apply(analysis.journey, [f.key]))).value - today
        for f in fixes.suggestions(analysis)
    ]
    assert gains == sorted(every, reverse=True)[:3]
    assert "Digital Citizenship Badge" in top[0]["draft"]["text"]
    text = format_text(analysis)
    assert f"Fix these first\n  1. +{gains[0]}: {top[0]['label']}" in text


def test_one_card_per_place_gathers_the_messages_missing_at_one_touchpoint():
    analysis = analyse(load(EXAMPLES / "district-auto-badges.json"))
    deck = cards(analysis)
    titles = [c.title for c in deck]
    assert (
        "At 'Automatic badge-platform email', learners have not been told: "
        "earned, represents, claim, why"
    ) in titles
    email = next(c for c in deck if c.title.startswith("At 'Automatic badge-platform email'"))
    assert [m for m, *_ in email.messages] == ["earned", "represents", "claim", "why"]
    assert all(share == 0.0 for *_, share in email.messages)
    assert email.witness and email.witness[-1] == "platform-email"
    assert len(email.advice) == 4
    assert len(deck) < len(analysis.findings)
    assert sum(len(c.findings) for c in deck) == len(analysis.findings)
    # the JSON report still has one finding per spec rule
    assert len(to_report(analysis)["findings"]) == len(analysis.findings)


def test_apply_with_drafts_adds_marked_copy_beside_the_declared_message():
    journey = load(EXAMPLES / "district-auto-badges.json")
    key = "say:platform-email:dig-cit:why+claim"
    changed = fixes.with_drafts(fixes.apply(journey, [key]), [key])
    email = changed.touchpoint_by_id["platform-email"]
    assert email.content.startswith("Subject: You have a new item in your Westvale Backpack.")
    assert "[Draft — edit before sending]\nSubject: How to claim" not in email.content
    assert "[Draft — edit before sending]\nSubject: Your Digital Citizenship Badge" in email.content
    assert "score 80% or more on the module quiz" in email.content  # the criteria: why
    assert "To claim your Digital Citizenship Badge" in email.content
    assert email.messages["dig-cit"] == ("why", "claim")
    untouched = fixes.with_drafts(journey, ["add:employer:family-newsletter"])
    assert untouched == journey


def test_the_text_output_shows_one_card_per_place_with_the_finding_numbers():
    text = format_text(analyse(load(EXAMPLES / "district-auto-badges.json")))
    card = (
        "  2, 3, 4, 5. At 'Automatic badge-platform email', learners have not been told: "
        "earned, represents, claim, why\n"
        "     earned: critical, coverage none, 0% informed\n"
    )
    assert card in text
    assert text.count("path: lms-announcement → lesson-footprint") == 3  # not 8 times


def test_ranking_is_bounded_by_work_so_a_huge_journey_stays_quick(monkeypatch):
    analysis = analyse(load(EXAMPLES / "district-auto-badges.json"))
    assert fixes.ranked(analysis)
    monkeypatch.setattr(fixes, "MAX_WORK", len(analysis.journey.touchpoints) - 1)
    assert fixes.ranked(analysis) == []  # not even one try: the report shows no list
    assert "Fix these first" not in format_text(analysis)
