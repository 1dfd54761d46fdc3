"""The one save ladder: a refusal shows the page again, a clash shows both versions."""

from __future__ import annotations

import re

from app import saving
from app.extensions import db
from app.saving import Clash

from .helpers import form_data


def _clash(*args, **kwargs):
    db.session.rollback()  # as save() does when a version moved under it
    raise Clash("version moved")


def test_a_conflict_names_each_field_by_its_label_and_selects_by_their_words(
    monkeypatch, signed_in, journey_id
):
    url = f"/journeys/{journey_id}/touchpoints/module/edit"
    data = form_data(signed_in.get(url).get_data(as_text=True), title="My title")
    monkeypatch.setattr(saving, "save", _clash)
    page = signed_in.post(url, data=data).get_data(as_text=True)
    rows = re.findall(r'<th scope="row">([^<]*)', page)
    assert [r.strip() for r in rows][:4] == ["Title", "Stage", "Channel", "Owner"]
    assert "Awards" in [r.strip() for r in rows]
    # The stage is shown by its name, as the Stage select shows it, not by its id.
    assert '<td class="prewrap">Learn</td>' in page
    assert '<td class="prewrap">Issuer</td>' in page


def test_a_stage_move_that_clashes_says_so_on_the_map(monkeypatch, signed_in, journey_id):
    monkeypatch.setattr(saving, "save", _clash)
    response = signed_in.post(
        f"/journeys/{journey_id}/stages/learn/move",
        data={"direction": "earlier"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Not moved: someone else saved this journey at the same moment." in page
    stages = re.findall(r'<span class="stage-name">([^<]*)</span>', page)
    assert stages == ["Enrol", "Learn", "Award"]


def test_a_refused_credential_edit_shows_the_saved_journey_again(signed_in, journey_id):
    url = f"/journeys/{journey_id}/credentials/data-lit/edit"
    data = form_data(
        signed_in.get(url).get_data(as_text=True), name="Data Literacy", issuer="x" * 201
    )
    response = signed_in.post(url, data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Field cannot be longer than 200 characters." in page
