"""The Mentions screen: which touchpoints it lists, what it shows of each, and its filters."""

from __future__ import annotations

import re

import pytest

from tests.app.helpers import join
from tests.conftest import TINY

WELCOME, _, ISSUED = TINY["touchpoints"]
TOUCHPOINTS = [
    WELCOME,
    {
        "id": "module",
        "title": "Module page",
        "stage": "learn",
        "channel": "lms",
        "content": "Finish the quizzes for the DATA badge.\nAdd it to your LinkedIn profile.",
    },
    {"id": "viz-intro", "title": "Viz Badge intro", "stage": "learn", "channel": "web"},
    {"id": "quiz", "title": "Quiz <b>one</b>", "stage": "learn", "channel": "lms"},
    ISSUED,
]


@pytest.fixture
def mentioned_id(make_journey, tiny) -> int:
    """Return the id of a journey with two credentials, mentioned in every way the spec counts."""
    order = [t["id"] for t in TOUCHPOINTS]
    return make_journey(
        tiny(
            credentials=[
                {"id": "data-lit", "name": "Data Literacy Badge", "aliases": ["data badge"]},
                {"id": "viz", "name": "Viz Badge"},
            ],
            touchpoints=TOUCHPOINTS,
            transitions=[{"from": a, "to": b} for a, b in zip(order, order[1:], strict=False)],
        )
    )


def page(client, journey_id: int, query: str = "") -> str:
    response = client.get(f"/journeys/{journey_id}/mentions/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def listed(html: str) -> list[str]:
    return re.findall(r'<article class="mention[^"]*" id="tp-([^"]+)"', html)


def item(html: str, key: str) -> str:
    start = html.index(f'id="tp-{key}"')
    return html[start : html.index("</article>", start)]


def counts(html: str) -> dict[str, int]:
    return {
        state: int(n)
        for state, n in re.findall(r'class="state state-(\w+)"[^>]*>[^<]*: <strong>(\d+)', html)
    }


def approve(client, journey_id: int, key: str):
    return client.post(
        f"/journeys/{journey_id}/mentions/{key}/review", data={"decision": "approved"}
    )


class TestWhatItLists:
    def test_every_touchpoint_that_mentions_a_credential_in_journey_order(
        self, signed_in, mentioned_id
    ):
        html = page(signed_in, mentioned_id)
        assert listed(html) == ["welcome", "module", "viz-intro", "issued"]
        assert "Showing 4 of 4 touchpoints that mention a credential." in html

    @pytest.mark.parametrize(
        ("key", "how"),
        [
            (
                "welcome",
                '<strong>Data Literacy Badge</strong> <span class="muted">'
                "(declares messages, names it)</span>",
            ),
            ("module", '<strong>Data Literacy Badge</strong> <span class="muted">(names it)'),
            ("viz-intro", '<strong>Viz Badge</strong> <span class="muted">(names it)'),
            (
                "issued",
                '<strong>Data Literacy Badge</strong> <span class="muted">'
                "(declares messages, awards it)</span>",
            ),
        ],
    )
    def test_says_how_each_credential_is_mentioned(self, signed_in, mentioned_id, key, how):
        assert how in item(page(signed_in, mentioned_id), key)

    def test_a_journey_without_mentions_says_so(self, signed_in, make_journey, tiny):
        journey_id = make_journey(
            tiny(
                touchpoints=[{"id": "a", "title": "Hello", "stage": "enrol", "entry": True}],
                transitions=[],
            )
        )
        html = page(signed_in, journey_id)
        assert listed(html) == []
        assert "No touchpoint mentions a credential yet." in html


class TestWhatItShows:
    def test_highlights_names_and_aliases_in_title_and_content(self, signed_in, mentioned_id):
        html = page(signed_in, mentioned_id)
        assert "You will earn the <mark>Data Literacy Badge</mark>." in item(html, "welcome")
        assert "Finish the quizzes for the <mark>DATA badge</mark>.\nAdd it" in item(html, "module")
        assert '<h3 id="tp-viz-intro-title"><mark>Viz Badge</mark> intro</h3>' in item(
            html, "viz-intro"
        )

    def test_shows_declared_messages(self, signed_in, mentioned_id):
        html = item(page(signed_in, mentioned_id), "issued")
        assert (
            '<span class="chip-credential">Data Literacy Badge:</span> <span class="chip">claim'
            in html
        )

    def test_shows_what_the_words_seem_to_carry_and_whether_it_is_declared(
        self, signed_in, mentioned_id
    ):
        html = page(signed_in, mentioned_id)
        assert '<span class="chip">earned</span> “You will earn”</li>' in item(html, "welcome")
        assert (
            '<span class="chip">share</span> “Add it to your LinkedIn profile” '
            '<em class="undeclared">not declared</em>'
        ) in item(html, "module")

    def test_text_is_escaped(self, signed_in, make_journey, tiny):
        document = tiny()
        document["touchpoints"][0]["content"] = "<script>alert(1)</script> Data Literacy Badge"
        html = page(signed_in, make_journey(document))
        assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Data Literacy Badge</mark>" in html
        assert "<script>alert" not in html

    def test_shows_the_review_state_and_who_set_it(self, signed_in, mentioned_id):
        approve(signed_in, mentioned_id, "welcome")
        html = item(page(signed_in, mentioned_id), "welcome")
        assert '<span class="state state-approved">Approved</span>' in html
        assert "by ada," in html
        assert '<span class="state state-not_reviewed">Not reviewed</span>' in item(
            page(signed_in, mentioned_id), "module"
        )


class TestFilters:
    @pytest.mark.parametrize(
        ("query", "keys"),
        [
            ("?credential=viz", ["viz-intro"]),
            ("?credential=data-lit", ["welcome", "module", "issued"]),
            ("?stage=learn", ["module", "viz-intro"]),
            ("?credential=data-lit&stage=learn", ["module"]),
            ("?state=approved", []),
            ("?state=not_reviewed", ["welcome", "module", "viz-intro", "issued"]),
            # Values that are not choices mean no filter.
            (
                "?credential=nope&stage=nowhere&state=maybe",
                ["welcome", "module", "viz-intro", "issued"],
            ),
        ],
    )
    def test_by_credential_stage_and_state(self, signed_in, mentioned_id, query, keys):
        assert listed(page(signed_in, mentioned_id, query)) == keys

    def test_by_state_after_reviewing(self, signed_in, mentioned_id):
        approve(signed_in, mentioned_id, "module")
        signed_in.post(
            f"/journeys/{mentioned_id}/mentions/issued/review",
            data={"decision": "changes_requested", "body": "Link the claim page."},
        )
        assert listed(page(signed_in, mentioned_id, "?state=approved")) == ["module"]
        assert listed(page(signed_in, mentioned_id, "?state=changes_requested")) == ["issued"]
        assert listed(page(signed_in, mentioned_id, "?state=not_reviewed")) == [
            "welcome",
            "viz-intro",
        ]

    def test_counts_each_state_within_the_credential_and_stage_filters(
        self, signed_in, mentioned_id
    ):
        approve(signed_in, mentioned_id, "module")
        assert counts(page(signed_in, mentioned_id)) == {
            "not_reviewed": 3,
            "approved": 1,
            "changes_requested": 0,
        }
        assert counts(page(signed_in, mentioned_id, "?credential=viz&state=approved")) == {
            "not_reviewed": 1,
            "approved": 0,
            "changes_requested": 0,
        }
        html = page(signed_in, mentioned_id, "?stage=learn")
        assert '<option value="approved" >Approved (1)</option>' in html

    def test_the_chosen_filters_stay_selected(self, signed_in, mentioned_id):
        html = page(signed_in, mentioned_id, "?credential=viz&stage=learn")
        assert '<option value="viz" selected>Viz Badge</option>' in html
        assert '<option value="learn" selected>Learn</option>' in html

    def test_forms_carry_the_filters_back(self, signed_in, mentioned_id):
        html = item(page(signed_in, mentioned_id, "?credential=data-lit"), "welcome")
        assert '<input type="hidden" name="credential" value="data-lit">' in html
        response = approve(signed_in, mentioned_id, "welcome")
        assert response.headers["Location"].endswith("#tp-module")


class TestWhoSeesWhat:
    def test_a_viewer_reads_without_review_forms(self, app, signed_in, mentioned_id):
        viewer = join(app, signed_in, mentioned_id, "viewer")
        html = page(viewer, mentioned_id)
        assert listed(html) == ["welcome", "module", "viz-intro", "issued"]
        assert "Request changes" not in html and "Your reply" not in html
        assert "/touchpoints/welcome/edit" not in html

    def test_a_reviewer_gets_the_forms_but_no_edit_links(self, app, signed_in, mentioned_id):
        reviewer = join(app, signed_in, mentioned_id, "reviewer")
        html = item(page(reviewer, mentioned_id), "welcome")
        assert ">Approve</button>" in html and ">Request changes</button>" in html
        assert "/touchpoints/welcome/edit" not in html

    def test_the_tab_is_in_every_journey_page_navigation(self, signed_in, mentioned_id):
        html = signed_in.get(f"/journeys/{mentioned_id}").get_data(as_text=True)
        assert f'<a href="/journeys/{mentioned_id}/mentions/"' in html
        assert re.search(
            r'href="/journeys/\d+/mentions/"\s*aria-current="page">Mentions<',
            page(signed_in, mentioned_id),
        )
