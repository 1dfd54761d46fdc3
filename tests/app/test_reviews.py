"""The review workflow: approve, request changes, threads, reset on edit, and who is told."""

from __future__ import annotations

import io
import json
import re

import pytest

from app import reviews
from app.extensions import db
from app.models import Comment, Notification
from tests.app.helpers import edit_touchpoint, join


@pytest.fixture
def reviewer(app, signed_in, journey_id):
    """Return the client of a reviewer on the tiny journey (the designer, ada, owns it)."""
    return join(app, signed_in, journey_id, "reviewer")


@pytest.fixture
def editor(app, signed_in, journey_id):
    """Return the client of an editor on the tiny journey."""
    return join(app, signed_in, journey_id, "editor")


def decide(client, journey_id: int, key: str, decision: str, body: str = "", **carried):
    return client.post(
        f"/journeys/{journey_id}/mentions/{key}/review",
        data={"decision": decision, "body": body, **carried},
    )


def comment(client, journey_id: int, key: str, body: str, parent: int | None = None):
    data = {"body": body, **({"parent": str(parent)} if parent else {})}
    return client.post(f"/journeys/{journey_id}/mentions/{key}/comments", data=data)


def state(app, journey_id: int, key: str) -> str:
    with app.app_context():
        return reviews.state_of(reviews.states(journey_id), key)


def home(client) -> str:
    return client.get("/").get_data(as_text=True)


def notes(app, email: str) -> list[tuple[str, str]]:
    """Return (kind, text) of the unread notifications of ``email``, oldest first."""
    with app.app_context():
        rows = db.session.scalars(
            db.select(Notification).order_by(Notification.id).where(Notification.read_at.is_(None))
        ).all()
        return [(n.kind, n.text) for n in rows if n.user_id == _user_id(email)]


def _user_id(email: str) -> int:
    from app.models import User

    return db.session.scalar(db.select(User.id).where(User.email == email))


class TestApproving:
    def test_sets_the_state_and_tells_the_designers(self, app, signed_in, reviewer, journey_id):
        assert decide(reviewer, journey_id, "welcome", "approved").status_code == 302
        assert state(app, journey_id, "welcome") == "approved"
        assert notes(app, "ada@example.com") == [
            ("approved", "reviewer approved 'Welcome email' in 'Tiny journey'.")
        ]
        assert "reviewer approved &#39;Welcome email&#39;" in home(signed_in)

    def test_an_editor_cannot_sign_off_the_touchpoints_they_write(self, app, editor, journey_id):
        assert decide(editor, journey_id, "welcome", "approved").status_code == 403
        assert state(app, journey_id, "welcome") == "not_reviewed"
        page = editor.get(f"/journeys/{journey_id}/mentions/").get_data(as_text=True)
        assert ">Approve</button>" not in page

    def test_an_editor_can_answer_in_the_comments(self, editor, journey_id):
        assert comment(editor, journey_id, "welcome", "Fixed the wording.").status_code == 302

    def test_the_reviewer_is_not_told_of_their_own_decision(
        self, app, signed_in, reviewer, journey_id
    ):
        decide(reviewer, journey_id, "welcome", "approved")
        kinds = [kind for kind, _ in notes(app, "reviewer@example.com")]
        assert kinds == ["review_requested"]  # from being added as a reviewer, nothing since

    def test_an_optional_comment_joins_the_thread(self, reviewer, journey_id):
        decide(reviewer, journey_id, "welcome", "approved", "Clear and warm.")
        page = reviewer.get(f"/journeys/{journey_id}/mentions/").get_data(as_text=True)
        thread = page[page.index('id="tp-welcome"') : page.index('id="tp-issued"')]
        assert "approved</span>" in thread
        assert "Clear and warm." in thread

    def test_goes_on_to_the_next_touchpoint_keeping_the_filters(self, reviewer, journey_id):
        response = decide(
            reviewer, journey_id, "welcome", "approved", credential="data-lit", state=""
        )
        assert response.headers["Location"] == (
            f"/journeys/{journey_id}/mentions/?credential=data-lit#tp-issued"
        )

    def test_goes_on_even_when_the_state_filter_drops_the_one_approved(self, reviewer, journey_id):
        response = decide(reviewer, journey_id, "welcome", "approved", state="not_reviewed")
        assert response.headers["Location"] == (
            f"/journeys/{journey_id}/mentions/?state=not_reviewed#tp-issued"
        )

    def test_the_last_touchpoint_stays_in_place(self, reviewer, journey_id):
        response = decide(reviewer, journey_id, "issued", "approved")
        assert response.headers["Location"] == f"/journeys/{journey_id}/mentions/#tp-issued"

    def test_an_unknown_decision_is_a_bad_request(self, reviewer, journey_id):
        assert decide(reviewer, journey_id, "welcome", "maybe").status_code == 400

    def test_an_unknown_touchpoint_is_a_404(self, reviewer, journey_id):
        assert decide(reviewer, journey_id, "nowhere", "approved").status_code == 404


class TestRequestingChanges:
    def test_needs_a_comment_said_beside_the_field(self, app, reviewer, journey_id):
        response = decide(reviewer, journey_id, "welcome", "changes_requested", "  ")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert 'id="body-welcome" name="body" rows="2" aria-invalid="true"' in page
        assert re.search(r'id="body-welcome-error"[^>]*>Say what should change', page)
        assert state(app, journey_id, "welcome") == "not_reviewed"

    def test_keeps_the_comment_and_tells_the_designers(
        self, app, signed_in, reviewer, editor, journey_id
    ):
        response = decide(
            reviewer, journey_id, "welcome", "changes_requested", "Say what the badge is for."
        )
        assert response.status_code == 302
        assert state(app, journey_id, "welcome") == "changes_requested"
        told = "requested changes to 'Welcome email' in 'Tiny journey': Say what the badge is for."
        assert notes(app, "ada@example.com") == [("changes_requested", f"reviewer {told}")]
        assert ("changes_requested", f"reviewer {told}") in notes(app, "editor@example.com")

    def test_a_comment_that_is_too_long_is_refused(self, app, reviewer, journey_id):
        response = decide(reviewer, journey_id, "welcome", "changes_requested", "x" * 5001)
        assert "Field cannot be longer than 5000 characters." in response.get_data(as_text=True)
        assert state(app, journey_id, "welcome") == "not_reviewed"


class TestComments:
    def test_a_comment_leaves_the_state_alone(self, app, reviewer, journey_id):
        response = comment(reviewer, journey_id, "welcome", "Is 'earn' right here?")
        assert response.status_code == 302
        assert re.fullmatch(rf"/journeys/{journey_id}/mentions/#c\d+", response.headers["Location"])
        assert state(app, journey_id, "welcome") == "not_reviewed"
        page = reviewer.get(f"/journeys/{journey_id}/mentions/").get_data(as_text=True)
        assert "Is &#39;earn&#39; right here?" in page

    def test_an_empty_comment_is_refused(self, reviewer, journey_id):
        response = comment(reviewer, journey_id, "welcome", "")
        assert response.status_code == 200
        assert "Write your comment first." in response.get_data(as_text=True)

    def test_replies_thread_under_their_comment_and_tell_its_author(
        self, app, signed_in, reviewer, journey_id
    ):
        comment(reviewer, journey_id, "welcome", "Is 'earn' right here?")
        with app.app_context():
            first = db.session.scalar(db.select(Comment.id))
        assert (
            comment(signed_in, journey_id, "welcome", "Yes, on completion.", first).status_code
            == 302
        )
        comment(reviewer, journey_id, "welcome", "Thanks.", first + 1)
        with app.app_context():
            parents = db.session.execute(
                db.select(Comment.body, Comment.parent_id).order_by(Comment.id)
            ).all()
        assert [tuple(p) for p in parents] == [
            ("Is 'earn' right here?", None),
            ("Yes, on completion.", first),
            ("Thanks.", first + 1),
        ]
        page = reviewer.get(f"/journeys/{journey_id}/mentions/").get_data(as_text=True)
        # Each reply sits in a list inside its parent's item.
        assert re.search(
            rf'<li id="c{first}".*?<ul class="comments">\s*<li id="c{first + 1}"'
            rf'.*?<ul class="comments">\s*<li id="c{first + 2}"',
            page,
            re.S,
        )
        assert (
            "reply",
            "ada replied to you about 'Welcome email' in 'Tiny journey'.",
        ) in notes(app, "reviewer@example.com")

    def test_a_reply_to_another_touchpoints_comment_is_a_404(self, app, reviewer, journey_id):
        comment(reviewer, journey_id, "welcome", "About the welcome.")
        with app.app_context():
            first = db.session.scalar(db.select(Comment.id))
        assert comment(reviewer, journey_id, "issued", "Wrong thread.", first).status_code == 404


class TestResetOnEdit:
    def test_editing_an_approved_touchpoints_content_resets_it_and_tells_the_owner(
        self, app, signed_in, reviewer, editor, journey_id
    ):
        decide(reviewer, journey_id, "welcome", "approved")
        response = edit_touchpoint(editor, journey_id, "welcome", content="You get a badge.")
        assert response.status_code == 302
        assert state(app, journey_id, "welcome") == "not_reviewed"
        reset = (
            "editor changed the content of 'Welcome email' in 'Tiny journey' after "
            "reviewer approved it: it is not reviewed now."
        )
        assert ("reset", reset) in notes(app, "ada@example.com")
        assert notes(app, "reviewer@example.com")[-1] == (
            "review_requested",
            "editor changed the content of 'Welcome email' in 'Tiny journey': "
            "please review it again.",
        )
        page = editor.get(f"/journeys/{journey_id}/mentions/").get_data(as_text=True)
        assert "Changed its content after it was approved: it needs review again." in page

    @pytest.mark.parametrize(
        ("changes", "what"),
        [
            ({"title": "Welcome!"}, "title"),
            ({"messages-data-lit": ["earned", "claim"]}, "messages"),
            ({"messages-data-lit": []}, "messages"),
            ({"title": "Hello", "content": "Hi."}, "title, content"),
        ],
    )
    def test_title_and_messages_count_too(
        self, app, signed_in, reviewer, editor, journey_id, changes, what
    ):
        decide(reviewer, journey_id, "welcome", "approved")
        assert edit_touchpoint(editor, journey_id, "welcome", **changes).status_code == 302
        assert state(app, journey_id, "welcome") == "not_reviewed"
        assert f"changed the {what} of" in notes(app, "ada@example.com")[-1][1]

    @pytest.mark.parametrize("changes", [{"channel": "lms"}, {"reach": "0.5"}, {}])
    def test_other_fields_keep_the_approval(self, app, reviewer, editor, journey_id, changes):
        decide(reviewer, journey_id, "welcome", "approved")
        assert edit_touchpoint(editor, journey_id, "welcome", **changes).status_code == 302
        assert state(app, journey_id, "welcome") == "approved"

    def test_the_owner_who_edits_is_told_on_the_spot_not_by_notification(
        self, app, signed_in, reviewer, journey_id
    ):
        decide(reviewer, journey_id, "welcome", "approved")
        response = edit_touchpoint(signed_in, journey_id, "welcome", content="New words.")
        page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
        assert "&#39;Welcome email&#39; was approved; your change sends it back for review" in page
        assert [k for k, _ in notes(app, "ada@example.com")] == ["approved"]

    def test_an_edit_after_changes_were_requested_asks_the_reviewer_again(
        self, app, signed_in, reviewer, journey_id
    ):
        decide(reviewer, journey_id, "welcome", "changes_requested", "Say what it is for.")
        edit_touchpoint(signed_in, journey_id, "welcome", content="It shows your data skills.")
        assert state(app, journey_id, "welcome") == "not_reviewed"
        assert notes(app, "reviewer@example.com")[-1][0] == "review_requested"
        assert "reset" not in [k for k, _ in notes(app, "ada@example.com")]

    def test_restoring_an_older_revision_resets_too(self, app, signed_in, reviewer, journey_id):
        edit_touchpoint(signed_in, journey_id, "welcome", content="Revised copy.")
        decide(reviewer, journey_id, "welcome", "approved")
        assert signed_in.post(f"/journeys/{journey_id}/history/1/restore").status_code == 302
        assert state(app, journey_id, "welcome") == "not_reviewed"

    def test_importing_over_the_journey_resets_too(
        self, app, signed_in, reviewer, journey_id, tiny
    ):
        decide(reviewer, journey_id, "welcome", "approved")
        decide(reviewer, journey_id, "issued", "approved")
        document = tiny()
        document["touchpoints"][0]["content"] = "Imported words."
        response = signed_in.post(
            f"/journeys/{journey_id}/import",
            data={"file": (io.BytesIO(json.dumps(document).encode()), "new.json"), "title": ""},
            content_type="multipart/form-data",
        )
        assert response.status_code == 302
        assert state(app, journey_id, "welcome") == "not_reviewed"
        assert state(app, journey_id, "issued") == "approved"


class TestWhereReviewShows:
    def test_the_map_shows_each_cards_review_state(self, signed_in, reviewer, journey_id):
        decide(reviewer, journey_id, "welcome", "approved")
        decide(reviewer, journey_id, "issued", "changes_requested", "Add the claim link.")
        page = signed_in.get(f"/journeys/{journey_id}").get_data(as_text=True)

        def card(title: str) -> str:
            start = page.index(f">{title}<")
            return page[start : page.index("</article>", start)]

        assert '<p class="review review-approved">' in card("Welcome email")
        assert "Approved</p>" in card("Welcome email")
        assert "Changes requested</p>" in card("Badge issued email")
        # The module page mentions no credential: nothing to review there.
        assert "review-" not in card("Module page")

    def test_a_decision_shows_on_a_map_seen_before_it(self, signed_in, reviewer, journey_id):
        """The map's grid is kept per revision; a review changes no revision but shows at once."""
        before = signed_in.get(f"/journeys/{journey_id}").get_data(as_text=True)
        assert "review-approved" not in before
        decide(reviewer, journey_id, "welcome", "approved")
        after = signed_in.get(f"/journeys/{journey_id}").get_data(as_text=True)
        start = after.index(">Welcome email<")
        card = after[start : after.index("</article>", start)]
        assert '<p class="review review-approved">' in card

    def test_the_journeys_list_counts_mentions_awaiting_review(
        self, signed_in, reviewer, journey_id
    ):
        assert ">2 to review<" in home(signed_in)
        decide(reviewer, journey_id, "welcome", "approved")
        assert ">1 to review<" in home(signed_in)
        decide(reviewer, journey_id, "issued", "changes_requested", "Add the claim link.")
        assert "2 to review" not in home(signed_in)
        assert ">1 to review<" not in home(signed_in)


class TestNotifications:
    def test_a_new_reviewer_is_asked_to_review(self, app, reviewer, journey_id):
        assert notes(app, "reviewer@example.com") == [
            (
                "review_requested",
                "ada asked you to review the credential mentions in 'Tiny journey'.",
            )
        ]
        assert "Review requested:" in home(reviewer)

    def test_marking_them_read_clears_the_home_page(self, app, reviewer):
        response = reviewer.post("/notifications/read")
        assert response.status_code == 302
        assert "Review requested:" not in home(reviewer)
        assert notes(app, "reviewer@example.com") == []

    def test_someone_removed_from_a_journey_no_longer_sees_its_notifications(
        self, app, signed_in, reviewer, journey_id
    ):
        with app.app_context():
            uid = _user_id("reviewer@example.com")
        signed_in.post(f"/journeys/{journey_id}/sharing/people/{uid}/remove")
        assert "Review requested:" not in home(reviewer)
