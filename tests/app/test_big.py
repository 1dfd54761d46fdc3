"""Issue 9: the screens that analyse a whole journey answer a too-large one at once, clearly."""

from __future__ import annotations

import pytest

from app.bigjourneys import GUARDED

URLS = [
    "report",
    "report/diagram",
    "whatif",
    "mentions/",
    "export/",
    "export/findings.csv",
    "export/diagram.svg",
    "export/workshop.html",
]


@pytest.mark.parametrize("url", URLS)
def test_past_the_limit_the_page_says_too_large_and_what_still_works(
    app, signed_in, journey_id, url
):
    app.config["BIG_JOURNEY_TOUCHPOINTS"] = 2  # the tiny journey has 3
    response = signed_in.get(f"/journeys/{journey_id}/{url}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Too large to draw here" in page and "has 3 touchpoints" in page
    assert f"/journeys/{journey_id}/export.json" in page


def test_within_the_limit_the_screens_are_as_before(app, signed_in, journey_id):
    response = signed_in.get(f"/journeys/{journey_id}/report")
    assert "Too large" not in response.get_data(as_text=True)


def test_the_guard_gives_nothing_away_to_others(app, client, auth, journey_id):
    app.config["BIG_JOURNEY_TOUCHPOINTS"] = 2
    auth.signout()
    assert client.get(f"/journeys/{journey_id}/report").status_code == 302
    auth.signup("eve@example.com")
    assert client.get(f"/journeys/{journey_id}/report").status_code == 404


def test_every_guarded_endpoint_exists(app):
    assert GUARDED <= {rule.endpoint for rule in app.url_map.iter_rules()}
