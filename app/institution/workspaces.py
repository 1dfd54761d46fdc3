"""The workspace screens: my workspaces, a new one, its journeys, its people and its Overview.

Every page needs an account and a role in the workspace: someone outside it
gets a 404, as if it did not exist, and share links never open these pages.
Admins add people (always by invitation, so the page says the same words
whether or not the address has an account), change and remove their roles,
and move journeys they own in and out. Everyone in the workspace reads its
journeys and the Overview.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from app import invitations, mailing, workspaces
from app.access import (
    WORKSPACE_ROLE_WORDS,
    WORKSPACE_ROLES,
    forget_roles,
    journey_or_404,
    role_on,
    workspace_or_404,
    workspace_role,
)
from app.extensions import db
from app.models import Invitation, Journey, Workspace, WorkspaceMember, utcnow
from app.ui import options

__all__ = ["bp"]

bp = Blueprint("workspaces", __name__, url_prefix="/workspaces")

ROLE_CHOICES = options((r, r.capitalize()) for r in WORKSPACE_ROLES)
#: The session key holding an invitation link just made, shown once on the next page.
_NEW_INVITATION = "new_workspace_invitation"
LAST_ADMIN = "A workspace always keeps an admin: make someone else admin first."


class WorkspaceForm(FlaskForm):
    """A new workspace's name."""

    name = StringField(
        "Name",
        validators=[DataRequired(message="Give the workspace a name."), Length(max=200)],
        description="e.g. Faculty of Science, or Careers and Employability.",
    )
    submit = SubmitField("Create workspace")


class PersonForm(FlaskForm):
    """Anyone's email, and their role in the workspace."""

    email = EmailField(
        "Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    role = SelectField("Role", choices=ROLE_CHOICES, default="designer")
    submit = SubmitField("Invite")


class RoleForm(FlaskForm):
    """A member's new workspace role."""

    role = SelectField("Role", choices=ROLE_CHOICES)


class JourneyForm(FlaskForm):
    """A journey to move into (or out of) the workspace."""

    journey = SelectField("Journey", coerce=int, validate_choice=False)
    submit = SubmitField("Add journey")


@bp.app_template_global("workspace_role")
def _role(workspace: Workspace) -> str | None:
    return workspace_role(workspace.id)


@bp.app_template_global("workspace_of")
def _workspace_of(journey: Journey) -> Workspace | None:
    """Return the workspace a journey is in, for its Sharing screen."""
    if journey.workspace_id is None:
        return None
    return db.session.get(Workspace, journey.workspace_id)


@bp.app_template_global("journey_role")
def _journey_role(journey: Journey) -> str | None:
    return role_on(journey.id)


@bp.get("")
@login_required
def index() -> str:
    """List my workspaces, with my role and their journey counts."""
    return render_template(
        "workspaces/index.html", rows=workspaces.mine(current_user._get_current_object())
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Response | str:
    """Create a workspace, with me as its admin."""
    form = WorkspaceForm()
    if form.validate_on_submit():
        workspace = workspaces.create(form.name.data.strip(), current_user._get_current_object())
        db.session.commit()
        flash(f"Created the workspace '{workspace.name}'. You are its admin.", "success")
        return redirect(url_for("workspaces.show", workspace_id=workspace.id))
    return render_template("workspaces/new.html", form=form)


def _journeys_page(workspace: Workspace, **context: Any) -> str:
    form = context.pop("form", None) or JourneyForm(prefix="add")
    addable = []
    if workspace_role(workspace.id) == "admin":
        addable = workspaces.addable(workspace, current_user._get_current_object())
    form.journey.choices = [(j.id, j.title) for j in addable]
    return render_template(
        "workspaces/show.html",
        workspace=workspace,
        journeys=workspaces.journeys(workspace),
        form=form,
        addable=addable,
        **context,
    )


@bp.get("/<int:workspace_id>")
@login_required
def show(workspace_id: int) -> str:
    """Show the workspace's journeys; an admin can add the journeys they own."""
    return _journeys_page(workspace_or_404(workspace_id))


@bp.post("/<int:workspace_id>/journeys")
@login_required
def add_journey(workspace_id: int) -> Response | str:
    """Move a journey I own into the workspace: its people then hold roles on it."""
    workspace = workspace_or_404(workspace_id, "manage")
    form = JourneyForm(prefix="add")
    addable = {j.id: j for j in workspaces.addable(workspace, current_user._get_current_object())}
    if not form.validate() or form.journey.data not in addable:
        form.journey.errors = ["Choose one of the journeys you own."]
        return _journeys_page(workspace, form=form), 400
    journey = journey_or_404(form.journey.data, "own")
    journey.workspace_id = workspace.id
    db.session.commit()
    forget_roles()
    flash(f"'{journey.title}' is now in {workspace.name}.", "success")
    return redirect(url_for("workspaces.show", workspace_id=workspace.id))


@bp.post("/<int:workspace_id>/journeys/remove")
@login_required
def remove_journey(workspace_id: int) -> Response:
    """Take a journey out of the workspace; its own people keep their roles."""
    workspace = workspace_or_404(workspace_id, "manage")
    form = JourneyForm(prefix="remove")
    form.journey.choices = [(j.id, j.title) for j in workspaces.journeys(workspace)]
    if not form.validate() or form.journey.data not in dict(form.journey.choices):
        abort(404)
    journey = journey_or_404(form.journey.data, "own")
    journey.workspace_id = None
    db.session.commit()
    flash(f"'{journey.title}' is no longer in {workspace.name}.", "success")
    return redirect(url_for("workspaces.show", workspace_id=workspace.id))


def _people_page(workspace: Workspace, **context: Any) -> str:
    manage = workspace_role(workspace.id) == "admin"
    pending = []
    if manage:
        pending = db.session.scalars(
            select(Invitation)
            .where(Invitation.workspace_id == workspace.id)
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        ).all()
    return render_template(
        "workspaces/people.html",
        workspace=workspace,
        members=workspaces.members(workspace),
        manage=manage,
        person_form=context.pop("person_form", None) or PersonForm(prefix="person"),
        invitations=pending,
        new_invitation=session.pop(_NEW_INVITATION, None) if manage else None,
        mail_enabled=mailing.enabled(),
        now=utcnow(),
        roles=WORKSPACE_ROLES,
        hints=WORKSPACE_ROLE_WORDS,
        row_errors=context.pop("row_errors", {}),
        **context,
    )


@bp.get("/<int:workspace_id>/people")
@login_required
def people(workspace_id: int) -> str:
    """Show the workspace's people and their roles; admins also see addresses and invitations."""
    return _people_page(workspace_or_404(workspace_id))


@bp.post("/<int:workspace_id>/people")
@login_required
def invite(workspace_id: int) -> Response | str:
    """Invite anyone by email with a role: an invitation link, account or not, same words."""
    workspace = workspace_or_404(workspace_id, "manage")
    form = PersonForm(prefix="person")
    if not form.validate():
        return _people_page(workspace, person_form=form), 400
    email = form.email.data.strip().lower()
    role = form.role.data
    actor = current_user._get_current_object()
    invitation, token = invitations.new_workspace_invitation(workspace, email, role, actor)
    db.session.commit()
    url = url_for("invites.show", token=token, _external=True)
    sent = mailing.send(
        [email],
        f"{actor.name} invites you to the workspace '{workspace.name}' on Claimpath",
        f"{actor.name} invites you to the workspace '{workspace.name}' as {role}.\n\n"
        f"Open this link to join, with your account or a new one (it works once, until "
        f"{invitation.expires_at:%Y-%m-%d %H:%M} UTC):\n\n{url}\n",
    )
    session[_NEW_INVITATION] = {"id": invitation.id, "url": url, "email": email, "sent": sent}
    return redirect(url_for("workspaces.people", workspace_id=workspace.id))


def _member(workspace: Workspace, user_id: int) -> WorkspaceMember:
    member = db.session.get(WorkspaceMember, (workspace.id, user_id))
    if member is None:
        abort(404)
    return member


@bp.post("/<int:workspace_id>/people/<int:user_id>")
@login_required
def change_role(workspace_id: int, user_id: int) -> Response | str:
    """Change a member's workspace role, never leaving the workspace without an admin."""
    workspace = workspace_or_404(workspace_id, "manage")
    member = _member(workspace, user_id)
    form = RoleForm()
    if not form.validate():
        return _people_page(workspace, row_errors={user_id: "Choose one of the roles."}), 400
    role = form.role.data
    if member.role == "admin" and role != "admin" and workspaces.admins(workspace) == 1:
        return _people_page(workspace, row_errors={user_id: LAST_ADMIN}), 400
    member.role = role
    db.session.commit()
    flash(f"{member.user.name} is now {role} in {workspace.name}.", "success")
    return redirect(url_for("workspaces.people", workspace_id=workspace.id))


@bp.post("/<int:workspace_id>/people/<int:user_id>/remove")
@login_required
def remove_person(workspace_id: int, user_id: int) -> Response | str:
    """Take someone out of the workspace, never its last admin."""
    workspace = workspace_or_404(workspace_id, "manage")
    member = _member(workspace, user_id)
    if member.role == "admin" and workspaces.admins(workspace) == 1:
        return _people_page(workspace, row_errors={user_id: LAST_ADMIN}), 400
    name = member.user.name
    db.session.delete(member)
    db.session.commit()
    flash(f"{name} is no longer in {workspace.name}.", "success")
    if user_id == current_user.id:
        return redirect(url_for("workspaces.index"))
    return redirect(url_for("workspaces.people", workspace_id=workspace.id))


@bp.post("/<int:workspace_id>/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(workspace_id: int, invitation_id: int) -> Response:
    """Revoke an invitation to the workspace: its link opens nothing from now on."""
    workspace = workspace_or_404(workspace_id, "manage")
    invitation = invitations.revoke(invitation_id, workspace_id=workspace.id)
    if invitation is None:
        abort(404)
    flash(f"Revoked the invitation of {invitation.email}.", "success")
    return redirect(url_for("workspaces.people", workspace_id=workspace.id))


@bp.get("/<int:workspace_id>/overview")
@login_required
def overview(workspace_id: int) -> str:
    """Show every credential across the workspace's journeys, and how each journey fares."""
    workspace = workspace_or_404(workspace_id)
    return render_template(
        "workspaces/overview.html",
        workspace=workspace,
        overview=workspaces.overview(workspace),
        coverage_words=workspaces.COVERAGE_WORDS,
    )
