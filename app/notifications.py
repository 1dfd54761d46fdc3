"""Notifications in the app: what changed for each person, shown on their home page until read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import click
from flask import Blueprint, abort, flash, redirect, url_for
from flask.cli import with_appcontext
from flask_login import current_user, login_required
from sqlalchemy import ColumnElement, and_, exists, or_, select, update
from werkzeug.wrappers import Response

from app import mailing
from app.access import JOURNEY_ROLE
from app.extensions import db
from app.models import Journey, Membership, Notification, User, WorkspaceMember, utcnow

__all__ = ["KINDS", "bp", "digests", "members", "notify", "send_digests", "target", "unread"]

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

#: Kind -> how the home page labels it.
KINDS: dict[str, str] = {
    "review_requested": "Review requested",
    "changes_requested": "Changes requested",
    "approved": "Approved",
    "reset": "Needs review again",
    "reply": "Reply",
    "added": "Added to a journey",
    "mention": "Mentioned",
}

#: How many unread notifications the home page lists.
SHOWN = 50


def members(journey: Journey, roles: Iterable[str]) -> list[User]:
    """Return the people holding one of ``roles`` on the journey, their own or their workspace's.

    A role of one's own on the journey wins over the one the workspace gives.
    """
    wanted = tuple(roles)
    own = exists().where(Membership.journey_id == journey.id, Membership.user_id == User.id)
    condition = exists().where(
        Membership.journey_id == journey.id,
        Membership.user_id == User.id,
        Membership.role.in_(wanted),
    )
    if journey.workspace_id is not None:
        given = [w for w, role in JOURNEY_ROLE.items() if role in wanted]
        condition = or_(
            condition,
            and_(
                ~own,
                exists().where(
                    WorkspaceMember.workspace_id == journey.workspace_id,
                    WorkspaceMember.user_id == User.id,
                    WorkspaceMember.role.in_(given),
                ),
            ),
        )
    return list(db.session.scalars(select(User).where(condition).order_by(User.email)))


def _still_held() -> ColumnElement[bool]:
    """Return the condition that a notification's person still holds a role on its journey."""
    return or_(
        exists().where(
            Membership.journey_id == Notification.journey_id,
            Membership.user_id == Notification.user_id,
        ),
        exists().where(
            WorkspaceMember.workspace_id == Journey.workspace_id,
            WorkspaceMember.user_id == Notification.user_id,
        ),
    )


def notify(
    people: Iterable[User | None],
    journey: Journey,
    kind: str,
    text: str,
    touchpoint_key: str | None = None,
    *,
    actor: User | None = None,
) -> None:
    """Add a notification for each person, once each, leaving out whoever caused it.

    The caller commits, so a notification is kept exactly when its change is.
    """
    seen: set[int] = set() if actor is None else {actor.id}
    for person in people:
        if person is None or person.id in seen:
            continue
        seen.add(person.id)
        db.session.add(
            Notification(
                user_id=person.id,
                journey_id=journey.id,
                kind=kind,
                text=text,
                touchpoint_key=touchpoint_key,
            )
        )


def unread(user: User) -> list[Notification]:
    """Return the user's unread notifications, newest first, about journeys they still hold."""
    return list(
        db.session.scalars(
            select(Notification)
            .join(Journey, Journey.id == Notification.journey_id)
            .where(
                _still_held(),
                Notification.user_id == user.id,
                Notification.read_at.is_(None),
                Journey.deleted_at.is_(None),
            )
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(SHOWN)
        )
    )


@bp.post("/read")
@login_required
def read() -> Response:
    """Mark all my notifications as read and go back to the journeys."""
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    flash("Marked your notifications as read.", "info")
    return redirect(url_for("journeys.index"))


def target(notification: Notification) -> str:
    """Return the page a notification is about: the map, a touchpoint's review, or comments."""
    journey_id = notification.journey_id
    if notification.kind == "added":
        return url_for("map.show", journey_id=journey_id)
    if notification.kind in {"mention", "reply"} and not notification.touchpoint_key:
        return url_for("comments.index", journey_id=journey_id)
    anchor = f"#tp-{notification.touchpoint_key}" if notification.touchpoint_key else ""
    return url_for("mentions.index", journey_id=journey_id) + anchor


def _mine(notification_id: int) -> Notification:
    """Return one of my notifications, or 404: nobody opens another person's."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)
    return notification


@bp.get("/<int:notification_id>")
@login_required
def open_one(notification_id: int) -> Response:
    """Open a notification: mark it read and go to what it is about."""
    notification = _mine(notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return redirect(target(notification))


@bp.post("/<int:notification_id>/read")
@login_required
def read_one(notification_id: int) -> Response:
    """Mark one notification as read and go back to the journeys."""
    notification = _mine(notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return redirect(url_for("journeys.index"))


def digests(hours: int = 24) -> dict[User, list[Notification]]:
    """Return each person's unread notifications of the last ``hours``, oldest first.

    Only those newer than the person's last digest (``User.digest_sent_at``)
    count, so running the command twice a day sends nothing new the second time.
    """
    since = utcnow() - timedelta(hours=hours)
    found: dict[User, list[Notification]] = {}
    rows = db.session.scalars(
        select(Notification)
        .join(User, User.id == Notification.user_id)
        .join(Journey, Journey.id == Notification.journey_id)
        .where(
            _still_held(),
            Notification.read_at.is_(None),
            Notification.created_at >= since,
            or_(User.digest_sent_at.is_(None), Notification.created_at > User.digest_sent_at),
            Journey.deleted_at.is_(None),
        )
        .order_by(Notification.user_id, Notification.created_at, Notification.id)
    )
    for note in rows:
        found.setdefault(db.session.get(User, note.user_id), []).append(note)
    return found


@click.command("send-digests")
@click.option("--hours", default=24, show_default=True, help="How far back to look.")
@with_appcontext
def send_digests(hours: int) -> None:
    """Email each person a digest of their unread notifications (run once a day).

    Sends nothing unless the app is configured for SMTP (MAIL_SERVER). Each
    person's digest time is recorded as it is sent: a second run sends only
    what came after it.
    """
    if not mailing.enabled():
        click.echo("SMTP is not configured (set MAIL_SERVER): no digest sent.")
        return
    sent = 0
    for person, notes in digests(hours).items():
        lines = [f"- {KINDS.get(n.kind, n.kind)}: {n.text}" for n in notes]
        body = (
            f"Hello {person.name},\n\nWhat changed for you on Claimpath in the last "
            f"{hours} hours:\n\n" + "\n".join(lines) + "\n\nOpen Claimpath to see them.\n"
        )
        count = len(notes)
        subject = f"Claimpath: {count} unread notification{'s' if count != 1 else ''}"
        moment = utcnow()
        if mailing.send([person.email], subject, body):
            person.digest_sent_at = moment
            db.session.commit()
            sent += 1
    click.echo(f"Sent {sent} digest{'s' if sent != 1 else ''}.")


@bp.record_once
def _add_command(state) -> None:  # noqa: ANN001 (Flask's BlueprintSetupState)
    # The command comes with the blueprint, so the app factory needs no edit for it.
    state.app.cli.add_command(send_digests)
