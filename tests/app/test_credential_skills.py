"""Add skills from a file to a credential already in the journey, through the Flask client."""

from __future__ import annotations

import io
import json
from pathlib import Path

RSD = Path(__file__).parents[1] / "fixtures" / "interop" / "rsd"


def _post(client, journey_id, data: bytes | None, name: str = "skills.csv", key="data-lit"):
    form = {} if data is None else {"skills_file": (io.BytesIO(data), name)}
    return client.post(
        f"/journeys/{journey_id}/credentials/{key}/skills",
        data=form,
        content_type="multipart/form-data",
    )


def _skills(client, journey_id) -> list[str]:
    return _document(client, journey_id)["credentials"][0].get("skills", [])


def _document(client, journey_id) -> dict:
    return json.loads(client.get(f"/journeys/{journey_id}/export.json").get_data(as_text=True))


def test_the_edit_screen_offers_add_skills_from_a_file(signed_in, journey_id):
    page = signed_in.get(f"/journeys/{journey_id}/credentials/data-lit/edit").get_data(as_text=True)
    assert "Add skills from a file" in page
    assert f'action="/journeys/{journey_id}/credentials/data-lit/skills"' in page


def test_skills_are_appended_in_order_and_duplicates_skipped(signed_in, journey_id):
    first = _post(signed_in, journey_id, (RSD / "osmt-skills-import.csv").read_bytes())
    assert first.status_code == 302
    skills = _skills(signed_in, journey_id)
    assert skills[:2] == ["Data and Data Store Access", "Large-Scale Web Application Build"]
    again = b"Skill Name\ndata and data store access\nReading charts\nREADING CHARTS\n"
    response = _post(signed_in, journey_id, again)
    assert response.status_code == 302
    assert _skills(signed_in, journey_id) == [*skills, "Reading charts"]
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "Added 1 skill to &#39;Data Literacy Badge&#39;; 2 already there." in page
    assert "Reading charts" in page


def test_json_rsd_skills_are_added(signed_in, journey_id):
    response = _post(signed_in, journey_id, (RSD / "osmt-rsd-v3-skill.json").read_bytes(), "s.json")
    assert response.status_code == 302
    assert len(_skills(signed_in, journey_id)) == 1


def test_a_bad_file_is_located_and_nothing_is_saved(signed_in, journey_id):
    before = _document(signed_in, journey_id)
    response = _post(signed_in, journey_id, b"Name,Other\nx,y\n", "bad.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Skills not added: there is a problem" in page
    assert "bad.csv" in page and "RSD Name" in page
    assert _post(signed_in, journey_id, b'{"skills": [', "bad.json").status_code == 400
    empty = _post(signed_in, journey_id, None)
    assert empty.status_code == 400 and "choose an RSD or CASE file" in empty.get_data(True)
    assert _document(signed_in, journey_id) == before


def test_an_unknown_credential_is_404(signed_in, journey_id):
    assert _post(signed_in, journey_id, b"Skill Name\nx\n", key="nope").status_code == 404


def test_a_stranger_gets_404_and_nothing_is_saved(signed_in, journey_id, auth):
    before = _skills(signed_in, journey_id)
    auth.signout()
    auth.signup("eve@example.com")
    assert _post(signed_in, journey_id, b"Skill Name\nx\n").status_code == 404
    auth.signout()
    auth.signin()
    assert _skills(signed_in, journey_id) == before
