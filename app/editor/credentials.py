"""The credentials a journey awards: add, edit and delete them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from app import convert
from app.access import journey_or_404, shared_or_signed_in
from app.conflicts import conflict_page, conflict_rows
from app.extensions import db
from app.models import Credential, Journey
from app.saving import save_or_explain

__all__ = ["bp"]

bp = Blueprint("credentials", __name__, url_prefix="/journeys/<int:journey_id>/credentials")


def lines(text: str | None) -> list[str]:
    """Return the non-blank lines of a text box, trimmed.

    >>> lines(" data badge \\n\\n DL badge ")
    ['data badge', 'DL badge']
    """
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class CredentialForm(FlaskForm):
    """What a credential is called, what it stands for and whether it must be claimed."""

    version = HiddenField()
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    aliases = TextAreaField(
        "Other names",
        description="One per line: the names learners may meet in the text, e.g. data badge.",
    )
    description = TextAreaField("Description", description="What it represents.")
    criteria = TextAreaField("Criteria", description="How it is earned.")
    skills = TextAreaField("Skills", description="One per line.")
    issuer = StringField("Issuer", validators=[Length(max=200)])
    requires_claim = BooleanField(
        "Learners must claim it",
        default=True,
        description="Untick if it is issued without a claim step.",
    )
    submit = SubmitField("Save")


def _fill(form: CredentialForm, credential: Credential) -> None:
    credential.name = form.name.data.strip()
    credential.aliases = lines(form.aliases.data)
    credential.description = form.description.data or ""
    credential.criteria = form.criteria.data or ""
    credential.skills = lines(form.skills.data)
    credential.issuer = (form.issuer.data or "").strip()
    credential.requires_claim = form.requires_claim.data


def _data(credential: Credential) -> dict[str, object]:
    """Return the credential as the form's data: what its edit page starts from."""
    return {
        "version": credential.version,
        "name": credential.name,
        "aliases": "\n".join(credential.aliases or ()),
        "description": credential.description,
        "criteria": credential.criteria,
        "skills": "\n".join(credential.skills or ()),
        "issuer": credential.issuer,
        "requires_claim": credential.requires_claim,
    }


def _form(credential: Credential | None) -> CredentialForm:
    if credential is None or request.method == "POST":
        return CredentialForm()
    return CredentialForm(data=_data(credential))


def _find(journey: Journey, key: str) -> Credential:
    credential = next((c for c in journey.credentials if c.key == key), None)
    if credential is None:
        abort(404)
    return credential


@bp.route("/")
@shared_or_signed_in
def index(journey_id: int) -> str:
    """List the journey's credentials."""
    journey = journey_or_404(journey_id)
    return render_template("credentials/index.html", journey=journey)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new(journey_id: int) -> ResponseReturnValue:
    """Add a credential the journey awards."""
    journey = journey_or_404(journey_id, "edit")
    form = _form(None)
    if form.validate_on_submit() and not _same_name(journey, form):
        credential = convert.add(journey, Credential, form.name.data)
        _fill(form, credential)
        refused = save_or_explain(
            journey,
            form=form,
            here=("credential", credential.key),
            again=lambda journey, _: _page(journey, form, None),
        )
        if refused is not None:
            return refused
        flash(f"Added the credential '{form.name.data.strip()}'.", "success")
        return redirect(url_for("credentials.index", journey_id=journey.id))
    return _page(journey, form, None)


def _same_name(journey: Journey, form: CredentialForm) -> bool:
    """Put a message on the name and return True when another credential already has it."""
    name = form.name.data.strip()
    taken = next(
        (c for c in journey.credentials if c.name.strip().casefold() == name.casefold()), None
    )
    if taken is not None:
        form.name.errors = [
            f"This journey already has a credential called '{taken.name}': "
            "give this one another name, or edit that one."
        ]
    return taken is not None


def _page(journey: Journey, form: CredentialForm, credential: Credential | None) -> str:
    return render_template(
        "credentials/edit.html", journey=journey, form=form, credential=credential
    )


@bp.route("/<key>/edit", methods=["GET", "POST"])
@login_required
def edit(journey_id: int, key: str) -> ResponseReturnValue:
    """Edit a credential's name, other names, description, criteria, skills and claim step."""
    journey = journey_or_404(journey_id, "edit")
    credential = _find(journey, key)
    form = _form(credential)
    if form.validate_on_submit():
        if form.version.data != credential.version:
            return _conflict(journey, form, credential)
        _fill(form, credential)
        refused = save_or_explain(
            journey,
            form=form,
            here=("credential", key),
            again=lambda journey, _: _page(journey, form, _find(journey, key)),
            on_clash=lambda journey: _conflict(journey, form, _find(journey, key)),
        )
        if refused is not None:
            return refused
        flash(f"Saved the credential '{credential.name}'.", "success")
        return redirect(url_for("credentials.index", journey_id=journey.id))
    return _page(journey, form, credential)


def _conflict(journey: Journey, form: CredentialForm, credential: Credential) -> tuple[str, int]:
    db.session.rollback()
    return conflict_page(
        "credentials/edit.html",
        form,
        journey,
        record=credential,
        what=f"the credential '{credential.name}'",
        rows=conflict_rows(form, _data(credential)),
        credential=credential,
    )


@bp.route("/<key>/delete", methods=["GET", "POST"])
@login_required
def delete(journey_id: int, key: str) -> ResponseReturnValue:
    """Say which touchpoints speak of a credential, then delete it and those mentions."""
    journey = journey_or_404(journey_id, "edit")
    credential = _find(journey, key)
    if request.method == "POST":
        name = credential.name
        for t in _speaking(journey, key):
            t.messages = {cid: kinds for cid, kinds in t.messages.items() if cid != key}
            t.issues = [cid for cid in t.issues if cid != key]
        convert.remove(journey, credential)
        refused = save_or_explain(
            journey,
            again=lambda journey, refused: _delete_page(
                journey, _find(journey, key), [p.text for p in refused.problems]
            ),
        )
        if refused is not None:
            return refused
        flash(f"Deleted the credential '{name}'.", "success")
        return redirect(url_for("credentials.index", journey_id=journey.id))
    return _delete_page(journey, credential, [])


def _speaking(journey: Journey, key: str) -> list:
    """Return the touchpoints that declare a message about, or award, the credential ``key``."""
    return [t for t in journey.touchpoints if key in (t.messages or {}) or key in (t.issues or ())]


def _delete_page(journey: Journey, credential: Credential, problems: list[str]) -> str:
    return render_template(
        "credentials/delete.html",
        journey=journey,
        credential=credential,
        speaking=_speaking(journey, credential.key),
        problems=problems,
    )


# Import credential and Learner guide join this blueprint (issue 13).
from app.editor import credential_tools  # noqa: E402, F401
