"""Issue 11 on the web: the headline, Fix these first with one-click previews, one card per
place, the workshop report's headline block, and Apply with drafted copy."""

from __future__ import annotations

import re

from app import convert, reviews
from app.extensions import db
from app.models import Journey
from tests.app.helpers import join


def _touchpoint(journey_id: int, key: str):
    return convert.to_engine(db.session.get(Journey, journey_id)).touchpoint_by_id[key]


def _report(client, journey_id: int) -> str:
    response = client.get(f"/journeys/{journey_id}/report")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _top(page: str) -> str:
    """Return the report's headline block, from the score to the folded deductions."""
    start = page.index('class="report-score headline"')
    return page[start : page.index('class="toolbar"', start)]


class TestTheHeadline:
    def test_says_the_score_who_will_not_know_what_and_what_to_fix_first(
        self, signed_in, journey_id
    ):
        top = _top(_report(signed_in, journey_id))
        assert re.search(r"Score <strong>\d+</strong>", top)
        assert "learners will know" in top or "Almost no learner will know" in top
        assert '<h3 id="fix-first-heading">Fix these first</h3>' in top
        gains = [int(g) for g in re.findall(r'<span class="gain">\+(\d+)</span>', top)]
        assert 1 <= len(gains) <= 3 and gains == sorted(gains, reverse=True)
        assert top.index("Fix these first") < top.index("How the score was reached")

    def test_each_fix_previews_in_what_if_with_one_click(self, signed_in, journey_id):
        top = _top(_report(signed_in, journey_id))
        link = re.search(r'class="preview-fix" href="([^"]+)">Preview fix 1 in what-if', top)
        assert link
        preview = signed_in.get(link.group(1).replace("&amp;", "&"))
        text = preview.get_data(as_text=True)
        assert preview.status_code == 200 and "Today and with 1 fix" in text

    def test_the_deductions_are_folded_away_in_plain_words(self, signed_in, journey_id):
        top = _top(_report(signed_in, journey_id))
        assert "<details" in top and "<summary>How the score was reached</summary>" in top
        assert "learners are not told a message they need" in top

    def test_fixes_carry_drafted_copy_from_the_credential(self, signed_in, journey_id):
        top = _top(_report(signed_in, journey_id))
        assert "Drafted copy for fix" in top and "Data Literacy Badge" in top


class TestOneCardPerPlace:
    def test_messages_missing_at_one_touchpoint_share_one_card_and_route(
        self, signed_in, make_journey, tiny
    ):
        document = tiny()
        for tp in document["touchpoints"]:
            tp["messages"] = {}
        page = _report(signed_in, make_journey(document))
        titles = re.findall(r"<h5>.*?</span> (At &#39;[^<]+)</h5>", page)
        assert titles, "no grouped card"
        assert any("learners have not been told: earned, represents, claim" in t for t in titles)
        card = page[page.index(titles[0]) :]
        card = card[: card.index("</article>")]
        assert card.count('class="route"') == 1
        assert '<th scope="row">represents</th>' in card and "0%" in card


class TestTheWorkshopReport:
    def test_opens_with_the_headline_and_fix_these_first(self, signed_in, journey_id):
        page = signed_in.get(f"/journeys/{journey_id}/export/workshop.html").get_data(as_text=True)
        block = page.index('class="headline-block"')
        assert block < page.index('id="score-heading"')
        assert '<h2 id="fix-first-heading">Fix these first</h2>' in page
        assert re.search(r"<li><strong>\+\d+</strong> Tell learners at", page)


class TestApplyWithADraft:
    def test_adds_the_marked_draft_beside_the_message_and_resets_the_review(
        self, app, signed_in, journey_id
    ):
        reviewer = join(app, signed_in, journey_id, "reviewer")
        reviewer.post(
            f"/journeys/{journey_id}/mentions/issued/review", data={"decision": "approved"}
        )
        with app.app_context():
            assert reviews.state_of(reviews.states(journey_id), "issued") == "approved"
        response = signed_in.post(
            f"/journeys/{journey_id}/whatif",
            data={"fix": ["say:issued:data-lit:represents"], "revision": 1, "draft": "1"},
        )
        assert response.status_code == 302
        page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
        assert "with drafted copy" in page
        with app.app_context():
            issued = _touchpoint(journey_id, "issued")
            assert "represents" in issued.messages["data-lit"]
            assert "[Draft — edit before sending]" in issued.content
            assert "The Data Literacy Badge shows what you can do" in issued.content
            assert reviews.state_of(reviews.states(journey_id), "issued") == "not_reviewed"

    def test_without_the_box_only_the_message_is_declared(self, app, signed_in, journey_id):
        signed_in.post(
            f"/journeys/{journey_id}/whatif",
            data={"fix": ["say:issued:data-lit:represents"], "revision": 1},
        )
        with app.app_context():
            issued = _touchpoint(journey_id, "issued")
            assert "represents" in issued.messages["data-lit"]
            assert "[Draft" not in issued.content

    def test_the_what_if_page_offers_the_draft_box(self, signed_in, journey_id):
        page = signed_in.get(
            f"/journeys/{journey_id}/whatif?fix=say:issued:data-lit:represents"
        ).get_data(as_text=True)
        assert 'name="draft" value="1"' in page and "Also add drafted copy" in page


class TestDeclaredButNotSaid:
    def test_the_report_and_mentions_show_a_review_note_not_a_finding(
        self, signed_in, make_journey, tiny
    ):
        document = tiny()
        issued = next(t for t in document["touchpoints"] if t["id"] == "issued")
        issued["content"] = "You have a new item in your inbox."
        issued["messages"] = {"data-lit": ["earned", "claim"]}
        journey_id = make_journey(document)
        page = _report(signed_in, journey_id)
        assert "Review notes: declared but not said" in page
        notes = page[page.index('id="unsaid-heading"') :]
        notes = notes[: notes.index("</section>")]
        assert "Declares &#39;claim&#39;, but its words do not seem to say it" in notes
        assert "Declares &#39;earned&#39;" in notes
        findings = page[page.index('id="findings-heading"') : page.index('id="unsaid-heading"')]
        assert "do not seem to say it" not in findings
        mentions = signed_in.get(f"/journeys/{journey_id}/mentions/").get_data(as_text=True)
        assert "Declared but not said" in mentions
        assert "Declares &#39;claim&#39;, but its words do not seem to say it" in mentions

    def test_copy_that_says_it_gets_no_note(self, signed_in, make_journey, tiny):
        document = tiny()
        issued = next(t for t in document["touchpoints"] if t["id"] == "issued")
        issued["content"] = "Congratulations! Follow the link to claim your badge."
        issued["messages"] = {"data-lit": ["earned", "claim"]}
        page = _report(signed_in, make_journey(document))
        assert "Review notes: declared but not said" not in page


class TestOneNumberEverywhere:
    def test_cli_report_list_and_workshop_show_the_same_score(self, signed_in, make_journey):
        import json
        from pathlib import Path

        from journeys.analysis import analyse
        from journeys.fileformat import load
        from journeys.score import score

        path = Path(__file__).resolve().parents[2] / "journeys/examples/district-auto-badges.json"
        engine = score(analyse(load(path))).value
        assert engine == 6
        journey_id = make_journey(json.loads(path.read_text("utf-8")))
        report = _report(signed_in, journey_id)
        assert f"Score <strong>{engine}</strong>" in report
        listing = signed_in.get("/").get_data(as_text=True)
        assert re.search(rf'<span class="score"[^>]*>{engine}<span', listing)
        workshop = signed_in.get(f"/journeys/{journey_id}/export/workshop.html")
        assert f"Score {engine}/100." in workshop.get_data(as_text=True)


def test_every_finding_on_a_card_can_still_be_shown_in_the_diagram(signed_in, journey_id):
    page = _report(signed_in, journey_id)
    numbers = [int(n) for n in re.findall(r'id="finding-(\d+)"', page)]
    for number in numbers:
        if f'<span id="finding-{number}"></span>' in page:  # folded into a card
            assert (
                f'>Show finding {number}<span class="visually-hidden"> in the diagram</span></a>'
                in page
            )
