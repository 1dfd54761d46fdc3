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
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app import invitations, mailing
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


def _new_password(label: str) -> PasswordField:
    """Return a field for a new password, checked by :mod:`app.passwords`, with its rules."""
    return PasswordField(
        label,
        validators=[DataRequired(), good_password],
        description=f"{MIN_PASSWORD} to {MAX_PASSWORD} characters, not a common password.",
    )


def _repeated(label: str) -> PasswordField:
    """Return a field that must repeat the form's ``password``."""
    return PasswordField(
        label, validators=[DataRequired(), EqualTo("password", message="The passwords differ.")]
    )


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
    password = _new_password("Password")
    confirm = _repeated("Repeat password")
    submit = SubmitField("Create account")


#: What sign-up answers, whether or not the email had an account (issue 9): nobody can
#: learn from it who has an account here. See docs/security.md.
SIGNED_UP = (
    "Next, sign in with this email and the password you chose. If the email was new to "
    "Claimpath, its account is ready now; if it had one already, that account is unchanged "
    "and opens only with its own password."
)
#: Added to :data:`SIGNED_UP` when the app sends email, in both cases alike.
SIGNED_UP_MAILED = " We have also sent a message to the address."


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


def _create_account(email: str, display_name: str, password_hash: str) -> bool:
    """Add the account unless the email has one (even one made a moment ago); return whether.

    The insert is tried either way and the unique email refuses a taken one, so
    both answers do the same database work: no lookup first that a taken email
    would skip the insert after, which timing would tell.
    """
    db.session.add(User(email=email, display_name=display_name, password_hash=password_hash))
    try:
        db.session.commit()
    except IntegrityError:  # the email has an account, perhaps made a moment ago
        db.session.rollback()
        return False
    return True


def _mail_signup(email: str, created: bool) -> bool:
    """Tell the address what a sign-up with it did, when the app sends email; return whether."""
    signin = url_for("auth.signin", _external=True)
    if created:
        subject = "Your Claimpath account"
        body = (
            "A Claimpath account was created for this email address. Sign in at\n\n"
            f"{signin}\n\nIf it was not you, tell whoever runs this Claimpath site.\n"
        )
    else:
        subject = "Someone tried to sign up to Claimpath with your email"
        body = (
            "Someone tried to create a Claimpath account with this email address, which "
            "has one already. Nothing was changed and your password still works.\n\n"
            f"If it was you, sign in at\n\n{signin}\n\nIf it was not, you need do nothing.\n"
        )
    return mailing.send([email], subject, body)


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(_limit("SIGNUP_LIMIT"), methods=["POST"])
def signup() -> Response | str:
    """Show the sign-up form; create the account, then ask to sign in with it.

    The answer is the same, word for word and in the work it does, whether
    or not the email had an account (issue 9): the password is hashed and
    the address emailed (when the app sends email) either way, and both go on
    to the sign-in page, then to the invitation this browser opened, if any.
    """
    if current_user.is_authenticated:
        return redirect(url_for("journeys.index"))
    invitation = invitations.pending()
    form = SignUpForm()
    if invitation is not None and not form.is_submitted():
        form.email.data = invitation.email
    if form.validate_on_submit():
        email = _normal(form.email.data)
        password_hash = generate_password_hash(form.password.data)
        created = _create_account(email, (form.display_name.data or "").strip(), password_hash)
        mailed = _mail_signup(email, created)
        flash(SIGNED_UP + (SIGNED_UP_MAILED if mailed else ""), "info")
        token = invitations.pending_token() if invitation is not None else None
        if token is not None:
            return redirect(url_for("auth.signin", next=url_for("invites.show", token=token)))
        return redirect(url_for("auth.signin"))
    return render_template("auth/signup.html", form=form, invitation=invitation)


class PasswordForm(FlaskForm):
    """The current password, and a new one typed twice, with the sign-up rules."""

    current = PasswordField("Current password", validators=[DataRequired()])
    password = _new_password("New password")
    confirm = _repeated("Repeat new password")
    submit = SubmitField("Change password")


def _user_key() -> str:
    return f"password-account:{getattr(current_user, 'id', '')}"


def _wrong_password(response: Response) -> bool:
    """Return whether the password change failed on the current password."""
    return bool(g.get("wrong_password"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
@limiter.limit(
    _limit("SIGNIN_ACCOUNT_LIMIT"),
    key_func=_user_key,
    methods=["POST"],
    deduct_when=_wrong_password,
)
def account() -> Response | str:
    """Show the account and change its password; every other session then ends.

    A wrong current password counts against the same per-account limit as
    failed sign-ins, so a session left open cannot be used to guess it.
    """
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not user.check_password(form.current.data):
            form.current.errors.append("This is not your current password.")
            g.wrong_password = True
        elif form.password.data == form.current.data:
            form.password.errors.append("Choose a password other than the current one.")
        else:
            user.set_password(form.password.data)  # a new stamp: every session ends
            db.session.commit()
            session.clear()
            login_user(user)  # ...but this one, which carries the new stamp
            flash(
                "Your password is changed. Every other session of this account is signed out.",
                "success",
            )
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)


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
