"""Opening an invitation link: sign up (or sign in) and join the journey or workspace.

``/invite/<token>`` answers 404 for a link that is unknown, used, revoked or
expired, or whose journey is in the trash; misses count against a rate
limit. Signed out, the invitation is kept in the session and the visitor
goes on to sign up, which accepts it. Signed in, they accept it with a button.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app import invitations
from app.extensions import db, limiter
from app.models import Invitation
from app.review.sharing import TOKEN_LIMIT, missed

__all__ = ["bp"]

bp = Blueprint("invites", __name__, url_prefix="/invite")


def _found(token: str) -> Invitation:
    invitation = invitations.find(token)
    if invitation is None:
        abort(404)
    return invitation


@bp.get("/<token>")
@limiter.limit(TOKEN_LIMIT, deduct_when=missed)
def show(token: str) -> Response | str:
    """Say what the invitation offers; signed out, go on to sign up with it."""
    invitation = _found(token)
    if not current_user.is_authenticated:
        invitations.remember_pending(invitation, token)
        return redirect(url_for("auth.signup"))
    return render_template("invites/show.html", invitation=invitation, form=FlaskForm())


@bp.post("/<token>")
@limiter.limit(TOKEN_LIMIT, deduct_when=missed)
def accept(token: str) -> Response:
    """Accept the invitation as the person signed in, and open the journey."""
    invitation = _found(token)
    if not current_user.is_authenticated:
        invitations.remember_pending(invitation, token)
        return redirect(url_for("auth.signup"))
    if not FlaskForm().validate():
        abort(400)
    role = invitations.accept(invitation, current_user._get_current_object())
    db.session.commit()
    text, target = invitations.welcome(invitation, role)
    flash(text, "success")
    return redirect(target)
