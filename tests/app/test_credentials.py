"""Editing the credentials a journey awards."""

from __future__ import annotations

import re


def version_of(client, journey_id: int, key: str) -> str:
    page = client.get(f"/journeys/{journey_id}/credentials/{key}/edit").get_data(as_text=True)
    return re.search(r'name="version" type="hidden" value="([^"]*)"', page).group(1)


def fields(**changes) -> dict:
    data = {
        "name": "Data Literacy Badge",
        "aliases": "data badge\nDL badge",
        "description": "Reading charts",
        "criteria": "Pass three quizzes",
        "skills": "Interpret charts\nClean data",
        "issuer": "Uni X",
        "requires_claim": "y",
    }
    data.update(changes)
    return data


def test_editing_saves_every_field(signed_in, journey_id):
    response = signed_in.post(
        f"/journeys/{journey_id}/credentials/data-lit/edit",
        data=fields(version=version_of(signed_in, journey_id, "data-lit")),
    )
    assert response.status_code == 302
    page = signed_in.get(f"/journeys/{journey_id}/credentials/").get_data(as_text=True)
    assert "data badge, DL badge" in page
    assert "Interpret charts, Clean data" in page
    assert "issued by Uni X" in page


def test_unticking_requires_claim_says_no_claim_step(signed_in, journey_id):
    data = fields(version=version_of(signed_in, journey_id, "data-lit"))
    del data["requires_claim"]
    signed_in.post(f"/journeys/{journey_id}/credentials/data-lit/edit", data=data)
    page = signed_in.get(f"/journeys/{journey_id}/credentials/").get_data(as_text=True)
    assert "no claim step" in page


def test_a_credential_needs_a_name(signed_in, journey_id):
    response = signed_in.post(
        f"/journeys/{journey_id}/credentials/data-lit/edit",
        data=fields(name=" ", version=version_of(signed_in, journey_id, "data-lit")),
    )
    assert "This field is required." in response.get_data(as_text=True)


def test_a_stale_save_is_refused_with_both_versions(signed_in, journey_id):
    stale = version_of(signed_in, journey_id, "data-lit")
    signed_in.post(
        f"/journeys/{journey_id}/credentials/data-lit/edit",
        data=fields(version=stale, name="Theirs"),
    )
    response = signed_in.post(
        f"/journeys/{journey_id}/credentials/data-lit/edit", data=fields(version=stale, name="Mine")
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Mine" in page and "Theirs" in page


def test_adding_a_credential_offers_its_messages_on_every_touchpoint(signed_in, journey_id):
    signed_in.post(f"/journeys/{journey_id}/credentials/new", data=fields(name="Cloud Badge"))
    page = signed_in.get(f"/journeys/{journey_id}/touchpoints/welcome/edit").get_data(as_text=True)
    assert 'name="messages-cloud-badge"' in page


def test_deleting_says_which_touchpoints_lose_it_and_removes_it(signed_in, journey_id):
    signed_in.post(f"/journeys/{journey_id}/credentials/new", data=fields(name="Cloud Badge"))
    page = signed_in.get(f"/journeys/{journey_id}/credentials/cloud-badge/delete")
    assert "No touchpoint declares messages about it" in page.get_data(as_text=True)
    response = signed_in.post(f"/journeys/{journey_id}/credentials/cloud-badge/delete")
    assert response.status_code == 302
    assert signed_in.get(f"/journeys/{journey_id}/credentials/cloud-badge/edit").status_code == 404


def test_the_only_credential_cannot_go(signed_in, journey_id):
    page = signed_in.get(f"/journeys/{journey_id}/credentials/data-lit/delete").get_data(
        as_text=True
    )
    assert "Welcome email, Badge issued email" in page
    response = signed_in.post(f"/journeys/{journey_id}/credentials/data-lit/delete")
    text = response.get_data(as_text=True)
    assert "Not deleted" in text
    assert "at least one credential is required" in text
