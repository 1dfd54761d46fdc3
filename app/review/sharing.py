"""The Sharing screen: people's roles, invitations by email, and read-only share links.

Owners invite people by email with a role: everyone gets an invitation link
(see :mod:`app.invitations`), emailed when SMTP is configured, whether or not
they have an account, so the screen never tells who has one. Owners change and remove roles, revoke
invitations, and make and revoke share links; a journey always keeps an
owner. A share link's token comes from :mod:`secrets` and only its SHA-256
digest is stored; the digest found is compared again in constant time, and
misses are rate-limited.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.wrappers import Response
from wtforms import BooleanField, DateField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from app import invitations, mailing
from app.access import ROLE_WORDS, ROLES, journey_or_404, remember_share
from app.extensions import db, limiter
from app.models import Invitation, Journey, Membership, ShareLink, User, utcnow
from app.notifications import notify
from app.ui import options

__all__ = ["bp", "digest", "new_link"]

bp = Blueprint("sharing", __name__)

ROLE_CHOICES = options((r, r.capitalize()) for r in ROLES)
#: The session key holding a link just made, shown once on the next page.
_NEW_LINK = "new_share_link"
#: The session key holding an invitation link just made, shown once on the next page.
_NEW_INVITATION = "new_invitation"
#: Guessing tokens is slowed down: only misses (404) count against an address.
TOKEN_LIMIT = "20 per minute"  # noqa: S105 (a rate limit, not a secret)
LAST_OWNER = "A journey always keeps an owner: make someone else owner first."


class PersonForm(FlaskForm):
    """Anyone's email, and the role they get on the journey."""

    email = EmailField(
        "Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    role = SelectField("Role", choices=ROLE_CHOICES, default="reviewer")
    submit = SubmitField("Invite")


class RoleForm(FlaskForm):
    """A member's new role."""

    role = SelectField("Role", choices=ROLE_CHOICES)


class LinkForm(FlaskForm):
    """A new share link: an optional label and an optional last day."""

    label = StringField(
        "Label",
        validators=[Length(max=100)],
        description="Optional, to tell links apart, e.g. Workshop 12 March.",
    )
    expires = DateField(
        "Expires on",
        validators=[Optional()],
        description="Optional. The link works until the end of this day (UTC).",
    )
    allow_comments = BooleanField(
        "Let people with this link comment, under a name they give (marked as guests)"
    )
    submit = SubmitField("Create share link")

    def validate_expires(self, field: DateField) -> None:
        """Refuse a last day that has passed, or the calendar's last (no next day to end on)."""
        if field.data is not None and field.data < utcnow().date():
            raise ValidationError("Choose today or a later day.")
        if field.data is not None and field.data >= date.max:
            raise ValidationError("Choose an earlier day: 9999-12-30 is the last a link can have.")


def digest(token: str) -> str:
    """Return the SHA-256 digest a share link's token is stored as."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_link(
    journey: Journey,
    user: User | None,
    label: str = "",
    last_day: date | None = None,
    *,
    allow_comments: bool = False,
) -> tuple[ShareLink, str]:
    """Add a share link to the journey and return it with its token, which is not stored."""
    token = secrets.token_urlsafe(32)
    expires = datetime.combine(last_day + timedelta(days=1), time()) if last_day else None
    link = ShareLink(
        journey_id=journey.id,
        token_digest=digest(token),
        label=label,
        created_by_id=user.id if user else None,
        expires_at=expires,
        allow_comments=allow_comments,
    )
    db.session.add(link)
    return link, token


@bp.app_template_filter("last_day")
def last_day(moment: datetime) -> str:
    """Return the last day a link works, from the moment it stops working.

    >>> last_day(datetime(2026, 3, 13))
    '2026-03-12'
    """
    return (moment - timedelta(microseconds=1)).date().isoformat()


def missed(response: Response) -> bool:
    """Return whether a token lookup found nothing: those count against the rate limit."""
    return response.status_code == 404


@bp.route("/s/<token>")
@limiter.limit(TOKEN_LIMIT, deduct_when=missed)
def open_link(token: str) -> Response:
    """Open a share link: this browser may read the journey while the link works."""
    wanted = digest(token)
    link = db.session.scalar(select(ShareLink).where(ShareLink.token_digest == wanted))
    if link is not None and not hmac.compare_digest(link.token_digest, wanted):
        link = None
    if link is None or link.state() != "active" or link.journey.deleted_at is not None:
        abort(404)
    link.last_used_at = utcnow()
    db.session.commit()
    remember_share(link)
    return redirect(url_for("map.show", journey_id=link.journey_id))


def _memberships(journey: Journey) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .join(User)
            .where(Membership.journey_id == journey.id)
            .order_by(Membership.role != "owner", User.email)
        )
    )


def _owners(journey: Journey) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.journey_id == journey.id, Membership.role == "owner")
    )


def _page(journey: Journey, **context: Any) -> str:
    context.setdefault("person_form", PersonForm(prefix="person"))
    context.setdefault("link_form", LinkForm(prefix="link"))
    links = db.session.scalars(
        select(ShareLink)
        .where(ShareLink.journey_id == journey.id)
        .order_by(ShareLink.created_at.desc(), ShareLink.id.desc())
    ).all()
    return render_template(
        "sharing/index.html",
        journey=journey,
        memberships=_memberships(journey),
        links=links,
        invitations=db.session.scalars(
            select(Invitation)
            .where(Invitation.journey_id == journey.id)
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        ).all(),
        new_invitation=session.pop(_NEW_INVITATION, None),
        mail_enabled=mailing.enabled(),
        now=utcnow(),
        hints=ROLE_WORDS,
        roles=ROLES,
        new_link=session.pop(_NEW_LINK, None),
        row_errors=context.pop("row_errors", {}),
        **context,
    )


@bp.route("/journeys/<int:journey_id>/sharing")
@login_required
def index(journey_id: int) -> str:
    """Show who holds which role, and the share links."""
    return _page(journey_or_404(journey_id, "own"))


def _member(journey: Journey, user_id: int) -> Membership:
    membership = db.session.get(Membership, (user_id, journey.id))
    if membership is None:
        abort(404)
    return membership


def _told_about_role(journey: Journey, user: User, role: str) -> None:
    actor = current_user._get_current_object()
    if role == "reviewer":
        kind = "review_requested"
        text = f"{actor.name} asked you to review the credential mentions in '{journey.title}'."
    else:
        kind, text = "added", f"{actor.name} gave you the {role} role on '{journey.title}'."
    notify([user], journey, kind, text, actor=actor)


@bp.post("/journeys/<int:journey_id>/sharing/people")
@login_required
def add_person(journey_id: int) -> Response | str:
    """Invite someone by email: their link leads to sign-up, or to sign-in with an account.

    Whether the email has an account changes nothing here, neither the words
    nor the work (issue 9): an owner cannot learn from this form who has an
    account. Only someone who already holds a role on the journey, and so is
    listed on this page, is refused.
    """
    journey = journey_or_404(journey_id, "own")
    form = PersonForm(prefix="person")
    if not form.validate():
        return _page(journey, person_form=form)
    email = form.email.data.strip().lower()
    role = form.role.data
    held = db.session.scalar(
        select(Membership.role)
        .join(User)
        .where(Membership.journey_id == journey.id, User.email == email)
    )
    if held is not None:
        form.email.errors.append(
            f"{email} already holds the {held} role: change it in the list above."
        )
        return _page(journey, person_form=form)
    actor = current_user._get_current_object()
    invitation, token = invitations.new_invitation(journey, email, role, actor)
    db.session.commit()
    url = url_for("invites.show", token=token, _external=True)
    sent = mailing.send(
        [email],
        f"{actor.name} invites you to '{journey.title}' on Claimpath",
        f"{actor.name} invites you to work on the journey '{journey.title}' as {role}.\n\n"
        f"Open this link to join: it asks you to create an account, or to sign in if you "
        f"have one (it works once, until {invitation.expires_at:%Y-%m-%d %H:%M} UTC):\n\n{url}\n",
    )
    session[_NEW_INVITATION] = {"id": invitation.id, "url": url, "email": email, "sent": sent}
    return redirect(url_for("sharing.index", journey_id=journey.id))


@bp.post("/journeys/<int:journey_id>/sharing/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(journey_id: int, invitation_id: int) -> Response:
    """Revoke an invitation: its link opens nothing from now on."""
    journey = journey_or_404(journey_id, "own")
    invitation = invitations.revoke(invitation_id, journey_id=journey.id)
    if invitation is None:
        abort(404)
    flash(f"Revoked the invitation of {invitation.email}.", "success")
    return redirect(url_for("sharing.index", journey_id=journey.id))


@bp.post("/journeys/<int:journey_id>/sharing/people/<int:user_id>")
@login_required
def change_role(journey_id: int, user_id: int) -> Response | str:
    """Change a member's role, never leaving the journey without an owner."""
    journey = journey_or_404(journey_id, "own")
    membership = _member(journey, user_id)
    form = RoleForm()
    if not form.validate():
        return _page(journey, row_errors={user_id: "Choose one of the roles."})
    role = form.role.data
    if membership.role == role:
        return redirect(url_for("sharing.index", journey_id=journey.id))
    if membership.role == "owner" and _owners(journey) == 1:
        return _page(journey, row_errors={user_id: LAST_OWNER})
    membership.role = role
    _told_about_role(journey, membership.user, role)
    db.session.commit()
    flash(f"{membership.user.name} is now {role} on this journey.", "success")
    if user_id == current_user.id:
        return redirect(url_for("map.show", journey_id=journey.id))
    return redirect(url_for("sharing.index", journey_id=journey.id))


@bp.post("/journeys/<int:journey_id>/sharing/people/<int:user_id>/remove")
@login_required
def remove_person(journey_id: int, user_id: int) -> Response | str:
    """Take away a member's role, never the last owner's."""
    journey = journey_or_404(journey_id, "own")
    membership = _member(journey, user_id)
    if membership.role == "owner" and _owners(journey) == 1:
        return _page(journey, row_errors={user_id: LAST_OWNER})
    name = membership.user.name
    db.session.delete(membership)
    db.session.commit()
    flash(f"{name} no longer holds a role on this journey.", "success")
    if user_id == current_user.id:
        return redirect(url_for("journeys.index"))
    return redirect(url_for("sharing.index", journey_id=journey.id))


@bp.post("/journeys/<int:journey_id>/sharing/links")
@login_required
def create_link(journey_id: int) -> Response | str:
    """Make a read-only share link and show it once."""
    journey = journey_or_404(journey_id, "own")
    form = LinkForm(prefix="link")
    if not form.validate():
        return _page(journey, link_form=form)
    link, token = new_link(
        journey,
        current_user._get_current_object(),
        (form.label.data or "").strip(),
        form.expires.data,
        allow_comments=bool(form.allow_comments.data),
    )
    db.session.commit()
    session[_NEW_LINK] = {
        "id": link.id,
        "url": url_for("sharing.open_link", token=token, _external=True),
    }
    return redirect(url_for("sharing.index", journey_id=journey.id))


@bp.post("/journeys/<int:journey_id>/sharing/links/<int:link_id>/revoke")
@login_required
def revoke_link(journey_id: int, link_id: int) -> Response:
    """Revoke a share link: whoever opens it from now on is told it does not exist."""
    journey = journey_or_404(journey_id, "own")
    link = db.session.get(ShareLink, link_id)
    if link is None or link.journey_id != journey.id:
        abort(404)
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        db.session.commit()
    flash(f"Revoked the share link{' ' + repr(link.label) if link.label else ''}.", "success")
    return redirect(url_for("sharing.index", journey_id=journey.id))
