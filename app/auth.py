"""Accounts: sign up, sign in and sign out with email and password."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from functools import cache
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from app import invitations
from app.extensions import db, limiter, login_manager
from app.models import User
from app.passwords import MAX_PASSWORD, MIN_PASSWORD
from app.passwords import check as good_password

__all__ = ["bp"]

bp = Blueprint("auth", __name__, url_prefix="/auth")


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """Return the account a session names, if its stamp is still the account's (issue 9).

    Signing out or changing the password changes the stamp, so a session
    cookie from before, even a copied one, names nobody any more.
    """
    number, _, stamp = user_id.partition(":")
    if not number.isdigit() or int(number) > 2**31 - 1:
        return None
    user = db.session.get(User, int(number))
    if user is None or not hmac.compare_digest(user.session_stamp or "", stamp):
        return None
    return user


@cache
def _dummy_hash() -> str:
    # Checked against when the email has no account, so both answers take as long.
    return generate_password_hash(secrets.token_hex(16))


def _limit(name: str) -> Callable[[], str]:
    """Return the configured rate limit ``name`` (app/config.py), read per request."""
    return lambda: current_app.config[name]


def _account_key() -> str:
    return "signin-account:" + _normal(request.form.get("email"))[:254]


def _failed(response: Response) -> bool:
    """Return whether a sign-in failed: the form came back instead of a redirect."""
    return response.status_code == 200


def _normal(email: str | None) -> str:
    return (email or "").strip().lower()


class SignInForm(FlaskForm):
    """Email and password of an existing account."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired()])
    submit = SubmitField("Sign in")


class SignUpForm(FlaskForm):
    """A new account's display name, email and password, typed twice."""

    display_name = StringField(
        "Display name",
        validators=[Length(max=80)],
        description="How other people see you, e.g. Dr Ada Byron. Left empty, the part "
        "of your email before the @.",
    )
    email = EmailField(
        "Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired(), good_password],
        description=f"{MIN_PASSWORD} to {MAX_PASSWORD} characters, not a common password.",
    )
    confirm = PasswordField(
        "Repeat password",
        validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
    )
    submit = SubmitField("Create account")

    def validate_email(self, field: EmailField) -> None:
        """Refuse an email that already has an account."""
        if db.session.scalar(select(User.id).where(User.email == _normal(field.data))):
            raise ValidationError("An account with this email exists already: sign in instead.")


def _next_page() -> str:
    """Return where to go after signing in: a page of this site, never another host."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    # Browsers read "/\\host" as "//host": a backslash or control character never passes.
    odd = "\\" in target or any(ord(c) < 32 for c in target)
    if odd or not target.startswith("/") or target.startswith("//") or parts.netloc or parts.scheme:
        return url_for("journeys.index")
    return target


@bp.route("/signin", methods=["GET", "POST"])
@limiter.limit(_limit("SIGNIN_LIMIT"), methods=["POST"])
@limiter.limit(
    _limit("SIGNIN_ACCOUNT_LIMIT"), key_func=_account_key, methods=["POST"], deduct_when=_failed
)
def signin() -> Response | str:
    """Show the sign-in form; sign in and go on to the journeys."""
    if current_user.is_authenticated:
        return redirect(url_for("journeys.index"))
    form = SignInForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.email == _normal(form.email.data)))
        if user is None:
            check_password_hash(_dummy_hash(), form.password.data)
        elif user.check_password(form.password.data):
            target = _next_page()
            session.clear()  # a new session: none chosen before signing in survives it
            login_user(user)
            return redirect(target)
        form.password.errors.append("Email or password is wrong.")
    return render_template("auth/signin.html", form=form)


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(_limit("SIGNUP_LIMIT"), methods=["POST"])
def signup() -> Response | str:
    """Show the sign-up form; create the account and sign in."""
    if current_user.is_authenticated:
        return redirect(url_for("journeys.index"))
    invitation = invitations.pending()
    form = SignUpForm()
    if invitation is not None and not form.is_submitted():
        form.email.data = invitation.email
    if form.validate_on_submit():
        user = User(
            email=_normal(form.email.data), display_name=(form.display_name.data or "").strip()
        )
        user.set_password(form.password.data)
        db.session.add(user)
        db.session.flush()
        invitation = invitations.accept_pending(user)
        db.session.commit()
        session.clear()
        login_user(user)
        if invitation is not None:
            text, target = invitations.welcome(invitation, invitation.role)
            flash(f"Welcome. {text}", "success")
            return redirect(target)
        flash("Welcome to Claimpath. Start a journey from a template or a blank page.", "success")
        return redirect(url_for("journeys.index"))
    return render_template("auth/signup.html", form=form, invitation=invitation)


@bp.post("/signout")
@login_required
def signout() -> Response:
    """Sign out everywhere and return to the sign-in page."""
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.signin"))
