"""Every change is a revision: who, when, what; any revision can be viewed and restored."""

from __future__ import annotations

import re

import pytest


def rename(client, journey_id: int, title: str) -> None:
    page = client.get(f"/journeys/{journey_id}/settings").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="([^"]*)"', page).group(1)
    client.post(
        f"/journeys/{journey_id}/settings",
        data={"version": version, "title": title, "description": ""},
    )


def test_lists_who_changed_what_newest_first(signed_in, journey_id):
    rename(signed_in, journey_id, "Second title")
    page = signed_in.get(f"/journeys/{journey_id}/history/").get_data(as_text=True)
    assert page.index("Revision 2") < page.index("Revision 1")
    assert "renamed the journey to &#39;Second title&#39;" in page
    assert "Imported tiny.json" in page
    assert page.count("<td>ada</td>") == 2  # each revision names who made it
    assert page.count("ada@example.com") == 1  # only the nav, to the person themselves


def test_shows_the_map_as_it_was(signed_in, journey_id):
    rename(signed_in, journey_id, "Second title")
    page = signed_in.get(f"/journeys/{journey_id}/history/1").get_data(as_text=True)
    assert '<h2 class="revision-title">Tiny journey</h2>' in page
    assert 'id="card-welcome"' in page
    assert "Restore revision 1" in page
    assert "/touchpoints/welcome/edit" not in page  # an old revision is read-only


def test_restoring_is_a_new_revision_and_loses_nothing(signed_in, journey_id):
    rename(signed_in, journey_id, "Second title")
    response = signed_in.post(f"/journeys/{journey_id}/history/1/restore")
    assert response.status_code == 302
    page = signed_in.get(f"/journeys/{journey_id}/history/").get_data(as_text=True)
    assert "Restored revision 1; renamed the journey to &#39;Tiny journey&#39;" in page
    assert "Revision 3" in page and "Revision 2" in page
    assert ">Tiny journey</a>" in signed_in.get("/").get_data(as_text=True)


def test_restoring_brings_back_a_deleted_touchpoint_and_its_transitions(signed_in, journey_id):
    signed_in.post(f"/journeys/{journey_id}/touchpoints/module/delete")
    signed_in.post(f"/journeys/{journey_id}/history/1/restore")
    page = signed_in.get(f"/journeys/{journey_id}").get_data(as_text=True)
    assert 'id="card-module"' in page
    assert "Next: Badge issued email (80%)" in page


@pytest.mark.parametrize("url", ["/history/", "/history/1"])
def test_someone_else_gets_a_404(signed_in, journey_id, auth, url):
    auth.signout()
    auth.signup("eve@example.com")
    assert signed_in.get(f"/journeys/{journey_id}{url}").status_code == 404
    assert signed_in.post(f"/journeys/{journey_id}/history/1/restore").status_code == 404


def test_restoring_a_revision_that_does_not_exist_is_a_404(signed_in, journey_id):
    assert signed_in.post(f"/journeys/{journey_id}/history/7/restore").status_code == 404
