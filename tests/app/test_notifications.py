"""Notifications opened and marked read one by one (issue 15)."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import Notification
from tests.app.helpers import join


def _notes(app, user_email: str) -> list[Notification]:
    with app.app_context():
        from app.models import User

        uid = db.session.scalar(sa.select(User.id).where(User.email == user_email))
        rows = db.session.scalars(
            sa.select(Notification).where(Notification.user_id == uid).order_by(Notification.id)
        ).all()
        db.session.expunge_all()
        return rows


def test_opening_one_marks_only_it_read_and_goes_to_its_place(app, signed_in, journey_id):
    reviewer = join(app, signed_in, journey_id, "reviewer", "grace@example.com")
    reviewer.post(f"/journeys/{journey_id}/mentions/welcome/review", data={"decision": "approved"})
    reviewer.post(
        f"/journeys/{journey_id}/comments/",
        data={"place": "stage", "key": "learn", "body": "@ada is this stage right?"},
    )
    first, second = _notes(app, "ada@example.com")
    home = signed_in.get("/").get_data(as_text=True)
    assert f'href="/notifications/{first.id}"' in home
    opened = signed_in.get(f"/notifications/{first.id}")
    assert opened.headers["Location"] == f"/journeys/{journey_id}/mentions/#tp-welcome"
    first, second = _notes(app, "ada@example.com")
    assert first.read_at is not None and second.read_at is None
    home = signed_in.get("/").get_data(as_text=True)
    assert f'href="/notifications/{first.id}"' not in home
    assert "grace mentioned you on stage" in home
    # A mention on a stage opens the Comments screen.
    assert signed_in.get(f"/notifications/{second.id}").headers["Location"] == (
        f"/journeys/{journey_id}/comments/"
    )


def test_marking_one_read_leaves_the_others(app, signed_in, journey_id):
    reviewer = join(app, signed_in, journey_id, "reviewer", "grace@example.com")
    reviewer.post(f"/journeys/{journey_id}/mentions/welcome/review", data={"decision": "approved"})
    reviewer.post(f"/journeys/{journey_id}/mentions/issued/review", data={"decision": "approved"})
    first, second = _notes(app, "ada@example.com")
    assert signed_in.post(f"/notifications/{second.id}/read").headers["Location"] == "/"
    first, second = _notes(app, "ada@example.com")
    assert first.read_at is None and second.read_at is not None
    assert "Mark read: grace approved &#39;Welcome email&#39;" in signed_in.get("/").get_data(
        as_text=True
    )


def test_nobody_opens_or_marks_someone_elses(app, signed_in, journey_id):
    reviewer = join(app, signed_in, journey_id, "reviewer", "grace@example.com")
    reviewer.post(f"/journeys/{journey_id}/mentions/welcome/review", data={"decision": "approved"})
    (note,) = _notes(app, "ada@example.com")
    assert reviewer.get(f"/notifications/{note.id}").status_code == 404
    assert reviewer.post(f"/notifications/{note.id}/read").status_code == 404
    assert app.test_client().get(f"/notifications/{note.id}").status_code == 302
    assert _notes(app, "ada@example.com")[0].read_at is None


def test_the_daily_digest_is_emailed_only_with_smtp(app, signed_in, journey_id, runner):
    from app.mailing import mail

    reviewer = join(app, signed_in, journey_id, "reviewer", "grace@example.com")
    reviewer.post(f"/journeys/{journey_id}/mentions/welcome/review", data={"decision": "approved"})
    with mail.record_messages() as outbox:
        result = runner.invoke(args=["send-digests"])
    assert result.exit_code == 0
    assert "SMTP is not configured" in result.output and outbox == []
    app.config["MAIL_SERVER"] = "smtp.example.com"
    with mail.record_messages() as outbox:
        result = runner.invoke(args=["send-digests"])
    assert "Sent 2 digests." in result.output, result.output  # Ada and Grace
    ada = next(m for m in outbox if m.recipients == ["ada@example.com"])
    assert ada.subject == "Claimpath: 1 unread notification"
    assert "Approved: grace approved 'Welcome email' in 'Tiny journey'." in ada.body
    # A second run the same day sends nothing new: each person's last digest is recorded.
    with mail.record_messages() as outbox:
        result = runner.invoke(args=["send-digests"])
    assert outbox == [] and "Sent 0 digests." in result.output
    # What came after is sent next time, and what was read is not.
    reviewer.post(f"/journeys/{journey_id}/mentions/issued/review", data={"decision": "approved"})
    first, second = _notes(app, "ada@example.com")
    signed_in.post(f"/notifications/{first.id}/read")
    with mail.record_messages() as outbox:
        runner.invoke(args=["send-digests"])
    assert [m.recipients for m in outbox] == [["ada@example.com"]]
    assert "'Badge issued email'" in outbox[0].body and "'Welcome email'" not in outbox[0].body
