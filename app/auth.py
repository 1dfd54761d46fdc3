"""Accounts: sign up, sign in and sign out with email and password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from app.extensions import db, login_manager
from app.models import User

__all__ = ["bp"]

bp = Blueprint("auth", __name__, url_prefix="/auth")

MIN_PASSWORD = 8


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def _normal(email: str | None) -> str:
    return (email or "").strip().lower()


class SignInForm(FlaskForm):
    """Email and password of an existing account."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired()])
    submit = SubmitField("Sign in")


class SignUpForm(FlaskForm):
    """A new account's email and password, typed twice."""

    email = EmailField(
        "Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    password = PasswordField(
        "Password",
        validators=[
            DataRequired(),
            Length(min=MIN_PASSWORD, max=200, message="Use at least 8 characters."),
        ],
        description="At least 8 characters.",
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
    if not target.startswith("/") or target.startswith("//") or parts.netloc or parts.scheme:
        return url_for("journeys.index")
    return target


@bp.route("/signin", methods=["GET", "POST"])
def signin() -> Response | str:
    """Show the sign-in form; sign in and go on to the journeys."""
    if current_user.is_authenticated:
        return redirect(url_for("journeys.index"))
    form = SignInForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.email == _normal(form.email.data)))
        if user is not None and user.check_password(form.password.data):
            login_user(user)
            return redirect(_next_page())
        form.password.errors.append("Email or password is wrong.")
    return render_template("auth/signin.html", form=form)


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> Response | str:
    """Show the sign-up form; create the account and sign in."""
    if current_user.is_authenticated:
        return redirect(url_for("journeys.index"))
    form = SignUpForm()
    if form.validate_on_submit():
        user = User(email=_normal(form.email.data))
        user.set_password(form.password.data)
        db.session.add(user)
        db.session.commit()
        login_user(user)
        flash("Welcome to Claimpath. Start a journey from a template or a blank page.", "success")
        return redirect(url_for("journeys.index"))
    return render_template("auth/signup.html", form=form)


@bp.post("/signout")
@login_required
def signout() -> Response:
    """Sign out and return to the sign-in page."""
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.signin"))
