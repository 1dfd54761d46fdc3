"""Import credential (with a preview before saving) and Learner guide, on the Credentials screen.

Routes join the credentials blueprint: ``/journeys/<id>/credentials/import``,
``/journeys/<id>/credentials/<key>/skills`` (add skills from a file to a credential
already in the journey) and ``/journeys/<id>/credentials/<key>/guide``. The engine
reads the badge file (:mod:`journeys.openbadges`, :mod:`journeys.skills`) and writes the guide
(:mod:`journeys.guide`); this module only moves bytes and rows.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from app import convert
from app.access import journey_or_404, shared_or_signed_in
from app.editor.credentials import bp
from app.models import Credential, Journey, Touchpoint
from app.saving import save_or_explain
from journeys.guide import guide, parse_month, to_html
from journeys.importing import MAX_FILE_BYTES, Refused
from journeys.openbadges import Imported, read_credential
from journeys.skills import merge_skills, read_skills

__all__: list[str] = []


def _upload(field: str, pasted: str = "") -> tuple[bytes, str] | None:
    """Return the bytes and name of an uploaded file (or pasted text), bounded in size."""
    file = request.files.get(field)
    if file is not None and file.filename:
        data = file.stream.read(MAX_FILE_BYTES + 1)
        return data, file.filename
    text = request.form.get(pasted, "") if pasted else ""
    if text.strip():
        return text.encode("utf-8")[: MAX_FILE_BYTES + 1], "pasted text"
    return None


def _read(
    badge: bytes, badge_name: str, skills: bytes | None, skills_name: str, journey: Journey
) -> Imported:
    """Return the credential in the badge file, with the skills file's skills added."""
    imported = read_credential(badge, badge_name, {c.key for c in journey.credentials})
    if skills is None:
        return imported
    found = read_skills(skills, skills_name)
    credential = dataclasses.replace(
        imported.credential,
        skills=tuple(dict.fromkeys((*imported.credential.skills, *found.skills))),
    )
    notes = (*imported.notes, *(f"{skills_name}: {n}" for n in found.notes))
    return dataclasses.replace(imported, credential=credential, notes=notes)


def _same(journey: Journey, imported: Imported) -> Credential | None:
    """Return the journey's credential with the same url, else the same name, if any."""
    c = imported.credential
    for row in journey.credentials:
        if c.url and row.url:
            if row.url == c.url:
                return row
        elif row.name.casefold() == c.name.casefold():
            return row
    return None


def _encode(data: bytes | None) -> str:
    return base64.b64encode(data).decode("ascii") if data else ""


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_credential(journey_id: int) -> ResponseReturnValue:
    """Read a badge file or pasted text, show what it says, and save it only when confirmed."""
    journey = journey_or_404(journey_id, "edit")
    if request.method == "GET":
        return render_template("credentials/import.html", journey=journey, problems=[])
    try:
        if request.form.get("step") == "save":
            badge = base64.b64decode(request.form.get("badge", ""), validate=True)
            raw_skills = request.form.get("skills", "")
            skills = base64.b64decode(raw_skills, validate=True) if raw_skills else None
            badge_name = request.form.get("badge_name", "badge")[:200]
            skills_name = request.form.get("skills_name", "skills")[:200]
        else:
            upload = _upload("badge_file", "badge_text")
            if upload is None:
                return _again(journey, ["Choose a badge file or paste the credential."])
            badge, badge_name = upload
            skill_upload = _upload("skills_file")
            skills, skills_name = skill_upload if skill_upload else (None, "")
        imported = _read(badge, badge_name, skills, skills_name, journey)
    except Refused as exc:
        source = f"{exc.source}: " if exc.source else ""
        return _again(journey, [source + str(p) for p in exc.problems])
    except (binascii.Error, ValueError):
        return _again(journey, ["The preview was damaged on its way back: read the file again."])
    existing = _same(journey, imported)
    if request.form.get("step") != "save":
        return render_template(
            "credentials/import.html",
            journey=journey,
            problems=[],
            imported=imported,
            existing=existing,
            badge=_encode(badge),
            skills=_encode(skills),
            badge_name=badge_name,
            skills_name=skills_name,
        )
    c = imported.credential
    row = existing or convert.add(journey, Credential, c.name)
    row.name, row.description, row.criteria = c.name, c.description, c.criteria
    row.skills, row.issuer = list(c.skills), c.issuer
    row.achievement_type, row.url = c.achievement_type, c.url
    if existing is None:
        row.aliases, row.requires_claim = [], True
    refused = save_or_explain(
        journey,
        again=lambda journey, refused: _again(journey, [p.text for p in refused.problems]),
    )
    if refused is not None:
        return refused
    verb = "Replaced" if existing else "Imported"
    flash(f"{verb} the credential '{c.name}'.", "success")
    return redirect(url_for("credentials.index", journey_id=journey.id))


@bp.route("/<key>/skills", methods=["POST"])
@login_required
def add_skills(journey_id: int, key: str) -> ResponseReturnValue:
    """Append the skills in an RSD (OSMT JSON or CSV) or CASE file to one credential, and save."""
    journey = journey_or_404(journey_id, "edit")
    row = _find(journey, key)
    upload = _upload("skills_file")
    if upload is None:
        return _skills_again(journey, key, ["Skills file: choose an RSD or CASE file."])
    try:
        found = read_skills(*upload)
    except Refused as exc:
        source = f"{exc.source}: " if exc.source else ""
        return _skills_again(journey, key, [source + str(p) for p in exc.problems])
    merged, added = merge_skills(row.skills or [], found.skills)
    name = row.name
    if added:
        row.skills = list(merged)
        refused = save_or_explain(
            journey,
            again=lambda journey, refused: _skills_again(
                journey, key, [p.text for p in refused.problems]
            ),
        )
        if refused is not None:
            return refused
    skipped = len(found.skills) - added
    flash(
        f"Added {added} skill{'' if added == 1 else 's'} to '{name}'"
        + (f"; {skipped} already there." if skipped else "."),
        "success",
    )
    return redirect(url_for("credentials.edit", journey_id=journey.id, key=key))


def _skills_again(journey: Journey, key: str, problems: list[str]) -> tuple[str, int]:
    """Show the credential's edit screen again with why the skills were not added."""
    from app.editor.credentials import CredentialForm, _data

    row = _find(journey, key)
    form = CredentialForm(formdata=None, data=_data(row))
    page = render_template(
        "credentials/edit.html",
        journey=journey,
        form=form,
        credential=row,
        skill_problems=problems,
    )
    return page, 400


def _again(journey: Journey, problems: list[str]) -> tuple[str, int]:
    return render_template("credentials/import.html", journey=journey, problems=problems), 400


def _find(journey: Journey, key: str) -> Credential:
    row = next((c for c in journey.credentials if c.key == key), None)
    if row is None:
        abort(404)
    return row


def _guide_for(journey: Journey, row: Credential) -> tuple[object, list[str], dict[str, str]]:
    """Return the guide for a credential row, the problems with the query's fields, and them."""
    values = {
        k: request.values.get(k, "").strip()
        for k in ("issued", "cert_url", "cert_id", "organization_id")
    }
    problems = []
    issued = None
    if values["issued"]:
        try:
            issued = parse_month(values["issued"])
        except ValueError as exc:
            problems.append(f"Issued: {exc}")
    organization = None
    if values["organization_id"]:
        if values["organization_id"].isdigit() and len(values["organization_id"]) < 16:
            organization = int(values["organization_id"])
        else:
            problems.append("LinkedIn organization ID: use the number from the organization's page")
    cert_url = values["cert_url"]
    if cert_url and not cert_url.startswith(("https://", "http://")):
        problems.append("Badge link: use a web address starting with https://")
        cert_url = ""
    engine_credential = convert.to_engine(journey).credential_by_id[row.key]
    result = guide(
        engine_credential,
        issued=issued,
        cert_url=cert_url[:2000],
        cert_id=values["cert_id"][:200],
        organization_id=organization,
    )
    return result, problems, values


@bp.route("/<key>/guide", methods=["GET"])
@shared_or_signed_in
def learner_guide(journey_id: int, key: str) -> ResponseReturnValue:
    """Show the learner guide for one credential: LinkedIn link, steps and copy-paste texts."""
    journey = journey_or_404(journey_id)
    row = _find(journey, key)
    result, problems, values = _guide_for(journey, row)
    if request.args.get("download") == "html":
        from app.ui import download

        return download(to_html(result), "text/html", f"{row.key}-learner-guide.html")
    return render_template(
        "credentials/guide.html",
        journey=journey,
        credential=row,
        guide=result,
        problems=problems,
        values=values,
    )


@bp.route("/<key>/guide/place", methods=["POST"])
@login_required
def place_guide(journey_id: int, key: str) -> ResponseReturnValue:
    """Add the guide's LinkedIn link or one of its texts to a touchpoint's content, in one step."""
    journey = journey_or_404(journey_id, "edit")
    row = _find(journey, key)
    result, problems, values = _guide_for(journey, row)
    touchpoint = next(
        (t for t in journey.touchpoints if t.key == request.form.get("touchpoint")), None
    )
    what = request.form.get("part", "linkedin_url")
    texts = {"linkedin_url": result.linkedin_url} | {s.id: s.text for s in result.sections}
    if touchpoint is None or what not in texts or problems:
        problems = problems or ["Choose a touchpoint and what to put in it."]
        return (
            render_template(
                "credentials/guide.html",
                journey=journey,
                credential=row,
                guide=result,
                problems=problems,
                values=values,
            ),
            400,
        )
    _append(touchpoint, texts[what])
    title = touchpoint.title
    refused = save_or_explain(
        journey,
        again=lambda journey, refused: (
            render_template(
                "credentials/guide.html",
                journey=journey,
                credential=_find(journey, key),
                guide=result,
                problems=[p.text for p in refused.problems],
                values=values,
            ),
            400,
        ),
    )
    if refused is not None:
        return refused
    flash(f"Added the learner guide's text to '{title}'.", "success")
    return redirect(
        url_for(
            "credentials.learner_guide",
            journey_id=journey.id,
            key=key,
            **{k: v for k, v in values.items() if v},
        )
    )


def _append(touchpoint: Touchpoint, text: str) -> None:
    content = (touchpoint.content or "").rstrip()
    touchpoint.content = f"{content}\n\n{text}" if content else text
