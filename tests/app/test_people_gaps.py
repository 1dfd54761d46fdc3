"""Issue 15's small gaps: an optional display name, digests sent once, two people of one name."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.mailing import mail
from app.models import Journey, Membership, Notification, User, WorkspaceMember, utcnow
from app.workspaces import create as create_workspace

MENTIONED = "ada mentioned you on the journey 'Tiny journey' in 'Tiny journey'."


def _user(app, email: str, name: str = "") -> int:
    with app.app_context():
        user = User(email=email, password_hash="-", display_name=name)
        db.session.add(user)
        db.session.commit()
        return user.id


def _member(app, journey_id: int, user_id: int, role: str = "reviewer") -> None:
    with app.app_context():
        db.session.add(Membership(user_id=user_id, journey_id=journey_id, role=role))
        db.session.commit()


def _told(app, user_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(sa.select(Notification.text).where(Notification.user_id == user_id))
        )


def _comment(client, journey_id: int, body: str):
    response = client.post(
        f"/journeys/{journey_id}/comments/",
        data={"place": "journey", "key": "", "body": body},
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def test_without_a_display_name_people_see_the_part_of_the_email_before_the_at(
    app, signed_in, journey_id
):
    with app.app_context():
        ada = db.session.scalar(sa.select(User).where(User.email == "ada@example.com"))
        assert ada.display_name == ""
        assert ada.name == "ada"
    page = signed_in.get(f"/journeys/{journey_id}/history/").get_data(as_text=True)
    assert ">ada<" in page or "ada</" in page


class TestMentionsOfOneName:
    def test_a_suffix_tells_two_people_of_one_name_apart(self, app, signed_in, journey_id):
        first = _user(app, "sam.one@example.com", "Sam Lee")
        second = _user(app, "sam.two@example.com", "Sam Lee")
        for uid in (first, second):
            _member(app, journey_id, uid)
        page = signed_in.get(f"/journeys/{journey_id}/comments/").get_data(as_text=True)
        assert f"people who share a name: @Sam Lee#{first}, @Sam Lee#{second}" in page
        _comment(signed_in, journey_id, f"@Sam Lee#{second} can you check the award stage?")
        assert _told(app, first) == []
        assert _told(app, second) == [MENTIONED]
        _comment(signed_in, journey_id, "@sam lee both of you, please")
        assert len(_told(app, first)) == 1 and len(_told(app, second)) == 2

    def test_a_name_nobody_shares_needs_no_suffix(self, app, signed_in, journey_id):
        grace = _user(app, "grace@example.com", "Grace Hopper")
        _member(app, journey_id, grace)
        page = signed_in.get(f"/journeys/{journey_id}/comments/").get_data(as_text=True)
        assert "people who share a name" not in page
        _comment(signed_in, journey_id, "@Grace Hopper, thoughts?")
        assert len(_told(app, grace)) == 1

    def test_people_of_the_workspace_are_mentioned_and_see_it_at_home(
        self, app, signed_in, journey_id
    ):
        from tests.conftest import AuthActions

        other = app.test_client()
        AuthActions(other).signup("kat@example.com")
        AuthActions(other).signin("kat@example.com")
        with app.app_context():
            ada = db.session.scalar(sa.select(User).where(User.email == "ada@example.com"))
            kat = db.session.scalar(sa.select(User).where(User.email == "kat@example.com"))
            workspace = create_workspace("Faculty", ada)
            db.session.add(WorkspaceMember(workspace=workspace, user=kat, role="reviewer"))
            db.session.get(Journey, journey_id).workspace_id = workspace.id
            db.session.commit()
            kat_id = kat.id
        _comment(signed_in, journey_id, "@kat please review")
        assert _told(app, kat_id) == [MENTIONED]
        assert "ada mentioned you on the journey" in other.get("/").get_data(as_text=True)


def test_a_second_digest_the_same_day_sends_nothing_new(app, runner, signed_in, journey_id):
    grace = _user(app, "grace@example.com", "Grace")
    _member(app, journey_id, grace)

    def note(text: str, hours_ago: float = 0) -> None:
        with app.app_context():
            db.session.add(
                Notification(
                    user_id=grace,
                    journey_id=journey_id,
                    kind="mention",
                    text=text,
                    created_at=utcnow() - timedelta(hours=hours_ago),
                )
            )
            db.session.commit()

    note("First news", hours_ago=2)
    app.config["MAIL_SERVER"] = "smtp.example.com"
    with mail.record_messages() as outbox:
        assert "Sent 1 digest." in runner.invoke(args=["send-digests"]).output
    assert [m.recipients for m in outbox] == [["grace@example.com"]]
    with mail.record_messages() as outbox:
        assert "Sent 0 digests." in runner.invoke(args=["send-digests"]).output
    assert outbox == []
    with app.app_context():
        assert db.session.get(User, grace).digest_sent_at is not None
    note("Second news")
    with mail.record_messages() as outbox:
        runner.invoke(args=["send-digests"])
    (message,) = outbox
    assert "Second news" in message.body and "First news" not in message.body


def test_a_workspace_designer_is_told_of_reviews_unless_the_journey_gives_another_role(
    app, signed_in, journey_id
):
    from app.notifications import members

    dev = _user(app, "dev@example.com", "Dev")
    low = _user(app, "low@example.com", "Low")
    with app.app_context():
        ada = db.session.scalar(sa.select(User).where(User.email == "ada@example.com"))
        workspace = create_workspace("Faculty", ada)
        for uid in (dev, low):
            db.session.add(WorkspaceMember(workspace=workspace, user_id=uid, role="designer"))
        # Low's own role on the journey wins over the workspace's.
        db.session.add(Membership(user_id=low, journey_id=journey_id, role="viewer"))
        journey = db.session.get(Journey, journey_id)
        journey.workspace_id = workspace.id
        db.session.commit()
        told = [u.email for u in members(journey, ("owner", "editor"))]
    # Ada is owner twice over (her own role, and admin of the workspace); Dev is an editor.
    assert told == ["ada@example.com", "dev@example.com"]
