"""Adding, renaming, reordering and deleting stages."""

from __future__ import annotations

import re


def stage_order(client, journey_id: int) -> list[str]:
    page = client.get(f"/journeys/{journey_id}").get_data(as_text=True)
    return re.findall(r'<span class="stage-name">([^<]*)</span>', page)


def version_of(client, journey_id: int, key: str) -> str:
    page = client.get(f"/journeys/{journey_id}/stages/{key}/edit").get_data(as_text=True)
    return re.search(r'name="version" type="hidden" value="([^"]*)"', page).group(1)


def test_adding_a_stage_makes_it_the_last_column(signed_in, journey_id):
    response = signed_in.post(
        f"/journeys/{journey_id}/stages/new", data={"name": "Share", "phase": "share"}
    )
    assert response.status_code == 302
    assert stage_order(signed_in, journey_id) == ["Enrol", "Learn", "Award", "Share"]


def test_a_stage_needs_a_name_and_a_known_phase(signed_in, journey_id):
    response = signed_in.post(
        f"/journeys/{journey_id}/stages/new", data={"name": "", "phase": "party"}
    )
    page = response.get_data(as_text=True)
    assert "This field is required." in page
    assert "Not a valid choice." in page


def test_renaming_keeps_the_stage_in_place(signed_in, journey_id):
    signed_in.post(
        f"/journeys/{journey_id}/stages/learn/edit",
        data={
            "version": version_of(signed_in, journey_id, "learn"),
            "name": "Study",
            "phase": "learn",
        },
    )
    assert stage_order(signed_in, journey_id) == ["Enrol", "Study", "Award"]


def test_a_stale_rename_is_refused(signed_in, journey_id):
    stale = version_of(signed_in, journey_id, "learn")
    signed_in.post(
        f"/journeys/{journey_id}/stages/learn/edit",
        data={"version": stale, "name": "Theirs", "phase": "learn"},
    )
    response = signed_in.post(
        f"/journeys/{journey_id}/stages/learn/edit",
        data={"version": stale, "name": "Mine", "phase": "learn"},
    )
    assert response.status_code == 409
    assert stage_order(signed_in, journey_id) == ["Enrol", "Theirs", "Award"]


def test_moving_swaps_with_the_neighbour(signed_in, journey_id):
    signed_in.post(f"/journeys/{journey_id}/stages/award/move", data={"direction": "earlier"})
    assert stage_order(signed_in, journey_id) == ["Enrol", "Award", "Learn"]
    signed_in.post(f"/journeys/{journey_id}/stages/enrol/move", data={"direction": "later"})
    assert stage_order(signed_in, journey_id) == ["Award", "Enrol", "Learn"]


def test_moving_past_the_edge_changes_nothing(signed_in, journey_id):
    signed_in.post(f"/journeys/{journey_id}/stages/enrol/move", data={"direction": "earlier"})
    assert stage_order(signed_in, journey_id) == ["Enrol", "Learn", "Award"]


def test_deleting_a_stage_with_touchpoints_asks_where_they_go(signed_in, journey_id):
    page = signed_in.get(f"/journeys/{journey_id}/stages/learn/delete").get_data(as_text=True)
    assert "It holds 1 touchpoint: Module page. Where should they go?" in page
    response = signed_in.post(
        f"/journeys/{journey_id}/stages/learn/delete", data={"destination": "award"}
    )
    assert response.status_code == 302
    assert stage_order(signed_in, journey_id) == ["Enrol", "Award"]
    assert 'id="card-module"' in signed_in.get(f"/journeys/{journey_id}").get_data(as_text=True)


def test_deleting_needs_a_destination_that_exists(signed_in, journey_id):
    response = signed_in.post(
        f"/journeys/{journey_id}/stages/learn/delete", data={"destination": "learn"}
    )
    assert "Not a valid choice." in response.get_data(as_text=True)
    assert stage_order(signed_in, journey_id) == ["Enrol", "Learn", "Award"]


def test_an_empty_stage_goes_without_questions(signed_in, journey_id):
    signed_in.post(f"/journeys/{journey_id}/stages/new", data={"name": "Later", "phase": "use"})
    response = signed_in.post(f"/journeys/{journey_id}/stages/later/delete")
    assert response.status_code == 302
    assert stage_order(signed_in, journey_id) == ["Enrol", "Learn", "Award"]
