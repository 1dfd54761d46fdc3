"""The Comments screen: every thread of a journey, on the journey, its stages, touchpoints
and the findings of its gap report; and the forms that add, answer and resolve comments.

Members who may comment (owners, editors, reviewers) comment under their
name; a share-link guest comments only through a link that allows it, under
a name given once per browser session, marked as a guest. Resolving is for
members who may comment.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app import comments
from app.access import can, guest_may_comment, journey_or_404, shared_or_signed_in
from app.analysis import Gaps, gaps_for
from app.extensions import db
from app.models import Comment, Journey
from app.reviews import Node

__all__ = ["bp", "places"]

bp = Blueprint("comments", __name__, url_prefix="/journeys/<int:journey_id>/comments")

#: The session key holding the name a guest gave.
_GUEST_NAME = "guest_name"


def places(gaps: Gaps) -> list[tuple[str, str, str]]:
    """Return every place of a journey a thread can be on: (place, key, what it is called)."""
    source = gaps.analysis.journey
    result = [("journey", "", f"the journey '{source.title}'")]
    result += [("stage", s.id, f"stage '{s.name}'") for s in source.stages]
    result += [("touchpoint", t.id, f"touchpoint '{t.title}'") for t in source.touchpoints]
    for number, f in enumerate(gaps.analysis.findings, start=1):
        result.append(("finding", comments.finding_key(f), f"finding {number}: {f.summary}"))
    return result


@bp.app_template_global("comment_context")
def comment_context(journey: Journey) -> dict[str, Any]:
    """Return what a page needs to show threads and comment boxes to this visitor."""
    member = can(journey, "comment")
    guest = not member and guest_may_comment(journey.id)
    # Only where two people share a name: the handles that tell them apart, for members.
    shared = [h for p, h in comments.handles(journey) if h != p.name] if member else []
    return {
        "threads": comments.threads(journey.id),
        "member": member,
        "shared_handles": shared,
        "guest": guest,
        "guest_name": session.get(_GUEST_NAME) if guest else None,
        "may_resolve": member,
    }


@bp.app_template_global("finding_key")
def finding_key(finding: Any) -> str:
    """Return a finding's thread key, for templates."""
    return comments.finding_key(finding)


@bp.app_template_filter("comment_count")
def comment_count(nodes: list[Node]) -> int:
    """Return how many comments a thread holds, replies included."""
    return comments.count(nodes)


@bp.app_template_filter("author")
def author(comment: Comment) -> str:
    """Return who wrote a comment as the pages name them: a display name, or a guest's name."""
    if comment.user is not None:
        return comment.user.name
    if comment.guest_name:
        return f"{comment.guest_name} (guest)"
    return "Someone"


def _page(journey: Journey, **context: Any) -> str:
    return render_template(
        "comments/index.html",
        journey=journey,
        places=places(gaps_for(journey)),
        form=FlaskForm(),
        errors=context.pop("errors", {}),
        drafts=context.pop("drafts", {}),
        **context,
    )


@bp.route("/")
@shared_or_signed_in
def index(journey_id: int) -> str:
    """Show every thread of the journey, with a comment box at each place one may comment."""
    return _page(journey_or_404(journey_id))


def _back(journey: Journey, anchor: str) -> Response:
    target = request.form.get("next", "")
    prefix = f"/journeys/{journey.id}"
    if not (target == prefix or target.startswith(prefix + "/")) or "//" in target:
        target = url_for("comments.index", journey_id=journey.id)
    return redirect(f"{target.split('#', 1)[0]}#{anchor}")


@bp.post("/")
@shared_or_signed_in
def add(journey_id: int) -> Response | str:
    """Add a comment at a place, or a reply; a guest gives a name the first time."""
    journey = journey_or_404(journey_id)
    member = can(journey, "comment")
    guest = not member and guest_may_comment(journey.id)
    if not member and not guest:
        if current_user.is_authenticated:
            abort(403)
        return current_app.login_manager.unauthorized()
    if not FlaskForm().validate():
        abort(400)
    place, key = request.form.get("place", ""), request.form.get("key", "")
    where = {(p, k): name for p, k, name in places(gaps_for(journey))}.get((place, key))
    if where is None:
        abort(404)
    parent = None
    if request.form.get("parent"):
        try:
            parent = comments.find(journey, request.form.get("parent", type=int) or 0, place, key)
        except LookupError:
            abort(404)
    field = f"reply-{parent.id}" if parent else f"comment-{place}-{key}"
    body = (request.form.get("body") or "").strip()
    name = session.get(_GUEST_NAME) or (request.form.get("guest_name") or "").strip()
    problems = {}
    if not body:
        problems[field] = "Write your comment first."
    elif len(body) > comments.MAX_COMMENT:
        problems[field] = f"Keep it under {comments.MAX_COMMENT} characters."
    if guest and not name:
        problems[f"{field}-name"] = "Give your name: the others see it beside your comment."
    elif guest and len(name) > comments.MAX_GUEST_NAME:
        problems[f"{field}-name"] = f"Keep your name under {comments.MAX_GUEST_NAME} characters."
    if problems:
        return _page(journey, errors=problems, drafts={field: body})
    if guest:
        session[_GUEST_NAME] = name
    entry = comments.add(
        journey,
        place,
        key,
        body,
        where,
        user=current_user._get_current_object() if member else None,
        guest_name=name if guest else None,
        parent=parent,
    )
    db.session.commit()
    return _back(journey, f"c{entry.id}")


@bp.post("/<int:comment_id>/resolve")
@shared_or_signed_in
def resolve(journey_id: int, comment_id: int) -> Response:
    """Resolve a comment, or reopen a resolved one."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    journey = journey_or_404(journey_id, "comment")
    try:
        comment = comments.find(journey, comment_id)
    except LookupError:
        abort(404)
    comments.resolve(comment, current_user._get_current_object())
    db.session.commit()
    return _back(journey, f"c{comment.id}")
