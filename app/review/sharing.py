"""The Sharing screen: people's roles by email, and read-only share links.

Owners add people by email with a role, change and remove roles, and make
and revoke share links; a journey always keeps an owner. A share link's
token comes from :mod:`secrets` and only its SHA-256 digest is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.wrappers import Response
from wtforms import DateField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.access import journey_or_404, remember_share
from app.extensions import db
from app.models import ROLES, Journey, Membership, ShareLink, User, utcnow
from app.notifications import notify
from app.ui import options

__all__ = ["ROLE_HINTS", "bp", "digest", "new_link"]

bp = Blueprint("sharing", __name__)

#: What each role may do, in the words of the Sharing screen.
ROLE_HINTS: dict[str, str] = {
    "owner": "everything, including sharing and deleting the journey",
    "editor": "edit stages, touchpoints, transitions and credentials; import; restore revisions",
    "reviewer": "read everything, comment, approve or request changes on touchpoints",
    "viewer": "read, run the gap report, export diagrams and reports",
}
ROLE_CHOICES = options((r, r.capitalize()) for r in ROLES)
#: The session key holding a link just made, shown once on the next page.
_NEW_LINK = "new_share_link"
LAST_OWNER = "A journey always keeps an owner: make someone else owner first."


class PersonForm(FlaskForm):
    """Someone with an account, and the role they get on the journey."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    role = SelectField("Role", choices=ROLE_CHOICES, default="reviewer")
    submit = SubmitField("Add person")


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
    submit = SubmitField("Create share link")

    def validate_expires(self, field: DateField) -> None:
        """Refuse a last day that has passed."""
        if field.data is not None and field.data < utcnow().date():
            raise ValidationError("Choose today or a later day.")


def digest(token: str) -> str:
    """Return the SHA-256 digest a share link's token is stored as."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_link(
    journey: Journey, user: User | None, label: str = "", last_day: date | None = None
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


@bp.route("/s/<token>")
def open_link(token: str) -> Response:
    """Open a share link: this browser may read the journey while the link works."""
    link = db.session.scalar(select(ShareLink).where(ShareLink.token_digest == digest(token)))
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
        now=utcnow(),
        hints=ROLE_HINTS,
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
        text = f"{actor.email} asked you to review the credential mentions in '{journey.title}'."
    else:
        kind, text = "added", f"{actor.email} gave you the {role} role on '{journey.title}'."
    notify([user], journey, kind, text, actor=actor)


@bp.post("/journeys/<int:journey_id>/sharing/people")
@login_required
def add_person(journey_id: int) -> Response | str:
    """Give someone with an account a role on the journey."""
    journey = journey_or_404(journey_id, "own")
    form = PersonForm(prefix="person")
    if form.validate():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(User.email == email))
        held = db.session.get(Membership, (user.id, journey.id)) if user else None
        if user is None:
            form.email.errors.append(
                "No account uses this email. Ask them to sign up first, then add them here."
            )
        elif held is not None:
            form.email.errors.append(
                f"{email} already holds the {held.role} role: change it in the list above."
            )
        else:
            db.session.add(Membership(user=user, journey=journey, role=form.role.data))
            _told_about_role(journey, user, form.role.data)
            db.session.commit()
            flash(f"{email} is now {form.role.data} on this journey.", "success")
            return redirect(url_for("sharing.index", journey_id=journey.id))
    return _page(journey, person_form=form)


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
    flash(f"{membership.user.email} is now {role} on this journey.", "success")
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
    email = membership.user.email
    db.session.delete(membership)
    db.session.commit()
    flash(f"{email} no longer holds a role on this journey.", "success")
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
