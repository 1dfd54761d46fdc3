"""Comments anywhere (issue 15): every kind of place, threads, counts, resolving, @mentions,
and share-link guests who may comment only when the owner's link says so."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app import convert
from app.analysis import gaps_of
from app.comments import finding_key
from app.extensions import db
from app.models import Comment, Journey, Notification, ShareLink
from tests.app.helpers import accept, invite, join
from tests.conftest import AuthActions

ADDRESS = re.compile(r"[\w.+-]+@example\.com")


def post(client, journey_id: int, place: str, key: str, body: str, **extra):
    return client.post(
        f"/journeys/{journey_id}/comments/",
        data={"place": place, "key": key, "body": body, **extra},
    )


def page(client, journey_id: int) -> str:
    return client.get(f"/journeys/{journey_id}/comments/").get_data(as_text=True)


def first_finding(app, journey_id: int) -> str:
    with app.app_context():
        source = convert.to_engine(db.session.get(Journey, journey_id))
        return finding_key(gaps_of(source).analysis.findings[0])


def guest_link(app, signed_in, journey_id: int, allow: bool):
    data = {"link-label": "Workshop"}
    if allow:
        data["link-allow_comments"] = "y"
    assert signed_in.post(f"/journeys/{journey_id}/sharing/links", data=data).status_code == 302
    html = signed_in.get(f"/journeys/{journey_id}/sharing").get_data(as_text=True)
    url = re.search(r'id="new-link-url" type="text" readonly value="([^"]+)"', html).group(1)
    guest = app.test_client()
    guest.get(url)
    return guest


@pytest.mark.parametrize(
    ("place", "key"),
    [("journey", ""), ("stage", "learn"), ("touchpoint", "module"), ("finding", None)],
)
def test_a_comment_on_each_kind_of_place_shows_under_it(app, signed_in, journey_id, place, key):
    key = first_finding(app, journey_id) if key is None else key
    response = post(signed_in, journey_id, place, key, "Who tells learners this?")
    assert response.status_code == 302
    with app.app_context():
        comment = db.session.scalar(sa.select(Comment))
        assert (comment.place, comment.body) == (place, "Who tells learners this?")
    assert response.headers["Location"] == f"/journeys/{journey_id}/comments/#c{comment.id}"
    html = page(signed_in, journey_id)
    anchor = f'id="{place}-{key.replace("|", "-")}"'
    block = html.split(anchor, 1)[1].split("</article>", 1)[0]
    assert "Who tells learners this?" in block and "Comments (1)" in block


def test_a_place_that_does_not_exist_is_a_404_and_nothing_is_saved(app, signed_in, journey_id):
    assert post(signed_in, journey_id, "stage", "nowhere", "Hello").status_code == 404
    assert post(signed_in, journey_id, "finding", "made|up||", "Hello").status_code == 404
    assert post(signed_in, journey_id, "planet", "", "Hello").status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 0


def test_an_empty_comment_is_refused_beside_its_box(signed_in, journey_id):
    response = post(signed_in, journey_id, "stage", "learn", "   ")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert (
        'id="comment-stage-learn-error" class="error" role="alert">Write your comment first.'
        in (html)
    )


def test_replies_thread_and_are_counted_at_every_depth(app, signed_in, journey_id):
    reviewer = join(app, signed_in, journey_id, "reviewer", "grace@example.com")
    post(signed_in, journey_id, "journey", "", "First")
    with app.app_context():
        first = db.session.scalar(sa.select(Comment.id))
    post(reviewer, journey_id, "journey", "", "Answer", parent=str(first))
    with app.app_context():
        second = db.session.scalar(sa.select(sa.func.max(Comment.id)))
    post(signed_in, journey_id, "journey", "", "Answer to the answer", parent=str(second))
    html = page(signed_in, journey_id)
    assert "Comments (3)" in html
    # The reply sits inside the comment it answers.
    item = html.split(f'id="c{first}"', 1)[1]
    assert item.index(f'id="c{second}"') < item.index("Answer to the answer")
    # Ada was told that Grace answered her, by name.
    assert "grace replied to you on the journey" in signed_in.get("/").get_data(as_text=True)
    # A reply must belong to the same place.
    assert post(signed_in, journey_id, "stage", "learn", "x", parent=str(first)).status_code == 404


def test_the_mentions_page_counts_replies_too(app, signed_in, journey_id):
    signed_in.post(f"/journeys/{journey_id}/mentions/welcome/comments", data={"body": "One"})
    with app.app_context():
        first = db.session.scalar(sa.select(Comment.id))
    signed_in.post(
        f"/journeys/{journey_id}/mentions/welcome/comments",
        data={"body": "Two", "parent": str(first)},
    )
    html = signed_in.get(f"/journeys/{journey_id}/mentions/").get_data(as_text=True)
    assert "Comments (2)" in html and "Comments (1)" not in html


def test_a_comment_is_resolved_and_reopened(app, signed_in, journey_id):
    post(signed_in, journey_id, "stage", "award", "Add the claim link.")
    with app.app_context():
        cid = db.session.scalar(sa.select(Comment.id))
    viewer = join(app, signed_in, journey_id, "viewer", "vic@example.com")
    assert viewer.post(f"/journeys/{journey_id}/comments/{cid}/resolve").status_code == 403
    assert signed_in.post(f"/journeys/{journey_id}/comments/{cid}/resolve").status_code == 302
    assert "Resolved by ada" in page(signed_in, journey_id)
    assert ">Reopen<" in page(signed_in, journey_id)
    signed_in.post(f"/journeys/{journey_id}/comments/{cid}/resolve")
    with app.app_context():
        assert db.session.get(Comment, cid).resolved_at is None


def test_at_name_tells_that_member_only(app, signed_in, journey_id):
    grace = app.test_client()
    grace.post(
        "/auth/signup",
        data={
            "display_name": "Grace Hopper",
            "email": "grace@example.com",
            "password": "correct horse battery",
            "confirm": "correct horse battery",
        },
    )
    AuthActions(grace).signin("grace@example.com")
    accept(grace, invite(signed_in, journey_id, "grace@example.com", "reviewer"))
    join(app, signed_in, journey_id, "editor", "ed@example.com")
    post(signed_in, journey_id, "stage", "learn", "@Grace Hopper can faculty say this?")
    with app.app_context():
        told = db.session.execute(
            sa.select(Notification.user_id, Notification.text).where(Notification.kind == "mention")
        ).all()
    assert len(told) == 1
    assert told[0].text == "ada mentioned you on stage 'Learn' in 'Tiny journey'."
    assert "ada mentioned you on stage" in grace.get("/").get_data(as_text=True)


class TestGuests:
    def test_a_link_that_does_not_allow_comments_shows_no_box_and_refuses(
        self, app, signed_in, journey_id
    ):
        guest = guest_link(app, signed_in, journey_id, allow=False)
        assert "Add comment" not in page(guest, journey_id)
        response = post(guest, journey_id, "journey", "", "Hi", guest_name="Sam")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/signin")

    def test_a_guest_gives_a_name_once_and_is_marked_as_a_guest(self, app, signed_in, journey_id):
        guest = guest_link(app, signed_in, journey_id, allow=True)
        assert "read and comment" in signed_in.get(f"/journeys/{journey_id}/sharing").get_data(
            as_text=True
        )
        key = first_finding(app, journey_id)
        html = page(guest, journey_id)
        assert '<label for="comment-journey--name">Your name</label>' in html
        refused = post(guest, journey_id, "finding", key, "Learners never hear this.")
        assert refused.status_code == 200
        assert "Give your name" in refused.get_data(as_text=True)
        ok = post(guest, journey_id, "finding", key, "Learners never hear this.", guest_name="Sam")
        assert ok.status_code == 302
        assert "Your name" not in page(guest, journey_id)  # asked once
        post(guest, journey_id, "journey", "", "Second thought.")
        with app.app_context():
            rows = db.session.execute(sa.select(Comment.guest_name, Comment.user_id)).all()
        assert rows == [("Sam", None), ("Sam", None)]
        assert "<strong>Sam (guest)</strong>" in page(signed_in, journey_id)

    def test_a_guest_finds_a_comment_box_on_mentions(self, app, signed_in, journey_id):
        guest = guest_link(app, signed_in, journey_id, allow=True)
        html = guest.get(f"/journeys/{journey_id}/mentions/").get_data(as_text=True)
        assert 'for="comment-touchpoint-welcome">Comment on Welcome email' in html
        response = post(
            guest,
            journey_id,
            "touchpoint",
            "welcome",
            "Say how to claim it.",
            guest_name="Sam",
            next=f"/journeys/{journey_id}/mentions/",
        )
        assert response.headers["Location"].startswith(f"/journeys/{journey_id}/mentions/#c")
        html = guest.get(f"/journeys/{journey_id}/mentions/").get_data(as_text=True)
        assert "Say how to claim it." in html and "Sam (guest)" in html

    def test_a_guest_writes_nothing_else_resolves_nothing_and_sees_no_address(
        self, app, signed_in, journey_id
    ):
        join(app, signed_in, journey_id, "reviewer", "grace@example.com")
        post(signed_in, journey_id, "journey", "", "Owner's note")
        with app.app_context():
            cid = db.session.scalar(sa.select(Comment.id))
        guest = guest_link(app, signed_in, journey_id, allow=True)
        resolve = guest.post(f"/journeys/{journey_id}/comments/{cid}/resolve")
        assert resolve.headers["Location"].startswith("/auth/signin")
        assert guest.post(f"/journeys/{journey_id}/mentions/welcome/comments").status_code == 302
        assert guest.get(f"/journeys/{journey_id}/settings").status_code == 302
        assert ADDRESS.findall(page(guest, journey_id)) == []
        # A next= that leaves the journey goes back to its Comments page instead.
        out = post(guest, journey_id, "journey", "", "x", guest_name="Sam", next="//evil.example")
        assert out.headers["Location"].startswith(f"/journeys/{journey_id}/comments/#c")

    def test_a_revoked_link_stops_comments_at_once(self, app, signed_in, journey_id):
        guest = guest_link(app, signed_in, journey_id, allow=True)
        with app.app_context():
            db.session.scalar(sa.select(ShareLink)).revoked_at = db.func.now()
            db.session.commit()
        assert post(guest, journey_id, "journey", "", "x", guest_name="Sam").status_code == 404

    def test_a_guest_never_reaches_another_journey(self, app, signed_in, make_journey):
        first, second = make_journey(), make_journey()
        guest = guest_link(app, signed_in, first, allow=True)
        response = post(guest, second, "journey", "", "x", guest_name="Sam")
        assert response.headers["Location"].startswith("/auth/signin")
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 0


def test_a_workshop_guest_comments_on_a_finding_from_the_gap_report(app, signed_in, journey_id):
    guest = guest_link(app, signed_in, journey_id, allow=True)
    key = first_finding(app, journey_id)
    report = guest.get(f"/journeys/{journey_id}/report").get_data(as_text=True)
    assert 'for="comment-finding-' in report and "Comment on finding 1" in report
    response = post(
        guest,
        journey_id,
        "finding",
        key,
        "Our learners never open this email.",
        guest_name="Sam",
        next=f"/journeys/{journey_id}/report?",
    )
    assert re.match(rf"/journeys/{journey_id}/report\??#c\d+$", response.headers["Location"])
    owner_view = signed_in.get(f"/journeys/{journey_id}/report").get_data(as_text=True)
    finding = owner_view.split('id="finding-1"', 1)[1].split("</article>", 1)[0]
    assert "Our learners never open this email." in finding and "Sam (guest)" in finding
