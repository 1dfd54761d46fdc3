"""Every page of a journey opens for the designer who holds it, and is a 404 for anyone else."""

from __future__ import annotations

import pytest

PAGES = [
    "",
    "?lanes=owner",
    "/settings",
    "/touchpoints/new",
    "/touchpoints/welcome/edit",
    "/touchpoints/welcome/delete",
    "/stages/new",
    "/stages/enrol/edit",
    "/stages/enrol/delete",
    "/credentials/",
    "/credentials/new",
    "/credentials/data-lit/edit",
    "/credentials/data-lit/delete",
    "/import",
    "/export.json",
    "/history/",
    "/history/1",
]


@pytest.mark.parametrize("page", PAGES)
def test_every_journey_page_opens_for_its_owner(signed_in, journey_id, page):
    response = signed_in.get(f"/journeys/{journey_id}{page}")
    assert response.status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_every_journey_page_is_a_404_for_someone_else(signed_in, journey_id, auth, page):
    auth.signout()
    auth.signup("eve@example.com")
    response = signed_in.get(f"/journeys/{journey_id}{page}")
    assert response.status_code == 404
    assert "There is nothing here" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "page",
    [
        "/touchpoints/nope/edit",
        "/touchpoints/nope/delete",
        "/stages/nope/edit",
        "/stages/nope/delete",
        "/credentials/nope/edit",
        "/credentials/nope/delete",
        "/history/99",
    ],
)
def test_a_record_that_does_not_exist_is_a_404(signed_in, journey_id, page):
    assert signed_in.get(f"/journeys/{journey_id}{page}").status_code == 404


def test_a_journey_that_does_not_exist_is_a_404(signed_in):
    assert signed_in.get("/journeys/999").status_code == 404


@pytest.mark.parametrize("page", ["/", "/trash", "/journeys/new", "/import", "/journeys/1"])
def test_pages_ask_a_stranger_to_sign_in(client, page):
    response = client.get(page)
    assert response.status_code == 302
    assert "/auth/signin" in response.headers["Location"]


@pytest.mark.parametrize("page", ["/", "/trash", "/journeys/new", "/import"])
def test_the_general_pages_open_when_signed_in(signed_in, page):
    assert signed_in.get(page).status_code == 200
