"""The journeys screen: the list, new journeys, settings, duplicate, trash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.extensions import db
from app.models import Journey

EXAMPLES_DIR = Path(__file__).parents[2] / "journeys" / "examples"
EXAMPLES = sorted(p.stem for p in EXAMPLES_DIR.glob("*.json"))


def _new(client, **data):
    fields = {"start": "blank", "title": "", "credential": "", "stage": "", "phase": "discover"}
    fields["touchpoint"] = ""
    fields.update(data)
    return client.post("/journeys/new", data=fields)


class TestTheList:
    def test_shows_score_critical_gaps_and_last_change(self, signed_in, journey_id):
        page = signed_in.get("/").get_data(as_text=True)
        assert "Tiny journey" in page
        assert "critical" in page
        assert "ada: Imported tiny.json" in page
        assert "ada@example.com" not in page.split("<main", 1)[-1]

    def test_shows_only_my_journeys(self, signed_in, journey_id, auth):
        auth.signout()
        auth.signup("eve@example.com")
        page = signed_in.get("/").get_data(as_text=True)
        assert "Tiny journey" not in page
        assert "No journeys yet" in page


class TestNewJourney:
    def test_offers_every_example_as_a_template(self, signed_in):
        page = signed_in.get("/journeys/new").get_data(as_text=True)
        for name in EXAMPLES:
            assert f'value="{name}"' in page

    def test_from_a_template_copies_it(self, signed_in, app):
        response = _new(signed_in, start=EXAMPLES[0], title="Our pilot")
        assert response.status_code == 302
        page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
        assert "Our pilot" in page
        assert "Add touchpoint" in page
        history = signed_in.get(response.headers["Location"] + "/history/").get_data(as_text=True)
        assert "Created from the template" in history

    def test_from_a_template_keeps_its_title_when_none_given(self, signed_in, app):
        _new(signed_in, start=EXAMPLES[0])
        example = json.loads((EXAMPLES_DIR / f"{EXAMPLES[0]}.json").read_text())
        with app.app_context():
            assert db.session.scalar(db.select(Journey.title)) == example["title"]

    def test_blank_starts_with_the_first_credential_stage_and_touchpoint(self, signed_in):
        response = _new(
            signed_in,
            title="Cloud skills",
            credential="Cloud Badge",
            stage="Enrol",
            touchpoint="Welcome email",
        )
        page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
        assert "Cloud skills" in page
        assert "Welcome email" in page
        assert "Enrol" in page

    def test_blank_asks_for_what_is_missing_beside_each_field(self, signed_in, app):
        response = _new(signed_in)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        for message in (
            "Give the journey a title.",
            "Name the credential the journey awards.",
            "Name the first stage.",
            "Name the first touchpoint.",
        ):
            assert message in page
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count(Journey.id))) == 0

    def test_an_unknown_template_is_refused(self, signed_in):
        response = _new(signed_in, start="no-such-example", title="X")
        assert "Not a valid choice" in response.get_data(as_text=True)


class TestSettings:
    def test_renames_the_journey(self, signed_in, journey_id):
        form = signed_in.get(f"/journeys/{journey_id}/settings").get_data(as_text=True)
        version = _value(form, "version")
        response = signed_in.post(
            f"/journeys/{journey_id}/settings",
            data={"version": version, "title": "Renamed", "description": "New words"},
        )
        assert response.status_code == 302
        assert "Renamed" in signed_in.get("/").get_data(as_text=True)

    def test_an_empty_title_is_refused_beside_the_field(self, signed_in, journey_id):
        form = signed_in.get(f"/journeys/{journey_id}/settings").get_data(as_text=True)
        response = signed_in.post(
            f"/journeys/{journey_id}/settings",
            data={"version": _value(form, "version"), "title": "  ", "description": ""},
        )
        assert "This field is required." in response.get_data(as_text=True)

    def test_a_stale_save_shows_both_versions_and_keeps_the_saved_one(self, signed_in, journey_id):
        form = signed_in.get(f"/journeys/{journey_id}/settings").get_data(as_text=True)
        stale = _value(form, "version")
        signed_in.post(
            f"/journeys/{journey_id}/settings",
            data={"version": stale, "title": "Theirs", "description": ""},
        )
        response = signed_in.post(
            f"/journeys/{journey_id}/settings",
            data={"version": stale, "title": "Mine", "description": ""},
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 409
        assert "Not saved: changed by someone else" in page
        assert "Mine" in page and "Theirs" in page
        assert "Theirs" in signed_in.get("/").get_data(as_text=True)
        # Saving again from the conflict page is a deliberate overwrite.
        again = signed_in.post(
            f"/journeys/{journey_id}/settings",
            data={"version": _value(page, "version"), "title": "Mine", "description": ""},
        )
        assert again.status_code == 302
        assert "Mine" in signed_in.get("/").get_data(as_text=True)


class TestDuplicateAndTrash:
    def test_duplicate_makes_an_independent_copy(self, signed_in, journey_id):
        response = signed_in.post(f"/journeys/{journey_id}/duplicate")
        page = signed_in.get("/").get_data(as_text=True)
        assert "Copy of Tiny journey" in page
        copy_id = response.headers["Location"].rsplit("/", 1)[1]
        assert int(copy_id) != journey_id

    def test_delete_moves_to_the_trash_and_restore_brings_it_back(self, signed_in, journey_id):
        signed_in.post(f"/journeys/{journey_id}/delete")
        assert ">Tiny journey</a>" not in signed_in.get("/").get_data(as_text=True)
        assert ">Tiny journey</th>" in signed_in.get("/trash").get_data(as_text=True)
        assert signed_in.get(f"/journeys/{journey_id}").status_code == 404
        signed_in.post(f"/journeys/{journey_id}/restore")
        assert ">Tiny journey</a>" in signed_in.get("/").get_data(as_text=True)
        assert signed_in.get(f"/journeys/{journey_id}").status_code == 200

    def test_restoring_a_journey_not_in_the_trash_is_a_404(self, signed_in, journey_id):
        assert signed_in.post(f"/journeys/{journey_id}/restore").status_code == 404

    @pytest.mark.parametrize("action", ["duplicate", "delete", "restore", "settings"])
    def test_someone_else_gets_a_404(self, signed_in, journey_id, auth, action):
        auth.signout()
        auth.signup("eve@example.com")
        assert signed_in.post(f"/journeys/{journey_id}/{action}").status_code == 404


def _value(page: str, name: str) -> str:
    """Return the value of the named input in a page."""
    import re

    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page
    )
    assert match, f"no input {name}"
    return match.group(1)
