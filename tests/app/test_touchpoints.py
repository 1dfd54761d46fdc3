"""Adding, editing, connecting and deleting touchpoints on the map."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Revision


def version_of(client, journey_id: int, key: str) -> str:
    page = client.get(f"/journeys/{journey_id}/touchpoints/{key}/edit").get_data(as_text=True)
    return re.search(r'name="version" type="hidden" value="([^"]*)"', page).group(1)


def form(**changes) -> dict:
    """Return a touchpoint form as the browser posts it; lists are repeated fields."""
    data = {
        "title": "Reminder email",
        "stage": "learn",
        "channel": "email",
        "owner": "faculty",
        "audience": "learner",
        "content": "",
        "reach": "1",
        "entry_share": "",
        "after": "",
        "next-0-to": "",
        "next-0-share": "",
        "next-1-to": "",
        "next-1-share": "",
    }
    data.update(changes)
    return data


def map_of(client, journey_id: int) -> str:
    return client.get(f"/journeys/{journey_id}").get_data(as_text=True)


class TestAdding:
    def test_puts_a_card_with_its_chips_on_the_map(self, signed_in, journey_id):
        response = signed_in.post(
            f"/journeys/{journey_id}/touchpoints/new",
            data=form(**{"messages-data-lit": ["represents", "why"], "after": "module"}),
        )
        assert response.status_code == 302
        page = map_of(signed_in, journey_id)
        card = page[page.index("Reminder email") :]
        assert "Data Literacy Badge:" in card
        assert '<span class="chip">represents</span><span class="chip">why</span>' in card

    def test_after_connects_the_earlier_touchpoint_to_it(self, signed_in, journey_id):
        signed_in.post(f"/journeys/{journey_id}/touchpoints/new", data=form(**{"after": "module"}))
        page = map_of(signed_in, journey_id)
        assert re.search(r"Next: [^<]*Reminder email", page)

    def test_preselects_the_stage_it_was_added_from(self, signed_in, journey_id):
        page = signed_in.get(f"/journeys/{journey_id}/touchpoints/new?stage=award")
        assert '<option selected value="award">' in page.get_data(as_text=True)

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"title": ""}, "This field is required."),
            ({"title": "x" * 201}, "Field cannot be longer than 200 characters."),
            ({"stage": "nowhere"}, "Not a valid choice."),
            ({"owner": "robot"}, "Not a valid choice."),
            ({"reach": "1.5"}, "Reach is from 0 to 1"),
            ({"reach": "lots"}, "Not a valid float value."),
            ({"next-0-to": "issued", "next-0-share": "2"}, "A share is from 0 to 1"),
            ({"messages-data-lit": ["bragging"]}, "is not a valid choice"),
            (
                {"next-0-to": "issued", "next-1-to": "issued"},
                "Each next touchpoint can be listed once.",
            ),
        ],
    )
    def test_bad_input_is_refused_beside_the_field(
        self, signed_in, journey_id, app, changes, message
    ):
        response = signed_in.post(f"/journeys/{journey_id}/touchpoints/new", data=form(**changes))
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count(Revision.id))) == 1

    def test_check_text_reads_the_copy_without_saving(self, signed_in, journey_id, app):
        response = signed_in.post(
            f"/journeys/{journey_id}/touchpoints/new",
            data=form(content="Add your data badge to your LinkedIn profile.", check="Check text"),
        )
        page = response.get_data(as_text=True)
        assert "Mentions Data Literacy Badge." in page
        assert "<mark>data badge</mark>" in page
        assert "how and where to share it" in page and "tick <code>share</code>?" in page
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count(Revision.id))) == 1


class TestEditing:
    def test_saves_and_records_a_revision(self, signed_in, journey_id):
        version = version_of(signed_in, journey_id, "module")
        response = signed_in.post(
            f"/journeys/{journey_id}/touchpoints/module/edit",
            data=form(
                title="Module page",
                stage="learn",
                version=version,
                content="Read on.",
                **{"next-0-to": "issued", "next-0-share": "0.8"},
            ),
        )
        assert response.status_code == 302
        history = signed_in.get(f"/journeys/{journey_id}/history/").get_data(as_text=True)
        assert "changed touchpoint &#39;Module page&#39; (channel, owner, content)" in history

    def test_moves_a_touchpoint_to_another_stage(self, signed_in, journey_id):
        version = version_of(signed_in, journey_id, "module")
        signed_in.post(
            f"/journeys/{journey_id}/touchpoints/module/edit",
            data=form(title="Module page", stage="award", version=version),
        )
        history = signed_in.get(f"/journeys/{journey_id}/history/").get_data(as_text=True)
        assert "(stage" in history

    def test_shows_what_the_text_mentions_and_suggests(self, signed_in, journey_id):
        page = signed_in.get(f"/journeys/{journey_id}/touchpoints/welcome/edit")
        text = page.get_data(as_text=True)
        assert "Mentions Data Literacy Badge." in text
        assert "<mark>Data Literacy Badge</mark>" in text

    def test_refuses_shares_adding_up_past_one_with_the_engines_message(
        self, signed_in, journey_id, app
    ):
        version = version_of(signed_in, journey_id, "welcome")
        response = signed_in.post(
            f"/journeys/{journey_id}/touchpoints/welcome/edit",
            data=form(
                title="Welcome email",
                stage="enrol",
                version=version,
                entry="y",
                **{
                    "next-0-to": "module",
                    "next-0-share": "0.7",
                    "next-1-to": "issued",
                    "next-1-share": "0.6",
                },
            ),
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "shares out of &#39;welcome&#39; add up to 1.3; they may not exceed 1" in page
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count(Revision.id))) == 1

    def test_refuses_a_change_that_leaves_no_entry(self, signed_in, journey_id):
        # Connecting the last touchpoint back to the first leaves every one with a way in.
        version = version_of(signed_in, journey_id, "welcome")
        signed_in.post(
            f"/journeys/{journey_id}/touchpoints/welcome/edit",
            data=form(
                title="Welcome email", stage="enrol", version=version, **{"next-0-to": "module"}
            ),
        )
        version = version_of(signed_in, journey_id, "issued")
        response = signed_in.post(
            f"/journeys/{journey_id}/touchpoints/issued/edit",
            data=form(
                title="Badge issued email",
                stage="award",
                version=version,
                **{"next-0-to": "welcome"},
            ),
        )
        assert "no entry" in response.get_data(as_text=True)

    def test_a_stale_save_is_refused_with_both_versions(self, signed_in, journey_id):
        stale = version_of(signed_in, journey_id, "module")
        signed_in.post(
            f"/journeys/{journey_id}/touchpoints/module/edit",
            data=form(title="Their title", stage="learn", version=stale),
        )
        response = signed_in.post(
            f"/journeys/{journey_id}/touchpoints/module/edit",
            data=form(title="My title", stage="learn", version=stale),
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 409
        assert "Not saved: changed by someone else" in page
        # The person is named, never shown by email address (issue 15).
        assert "was changed by ada " in page or "was changed by ada\n" in page
        assert "was changed by ada@example.com" not in page
        assert "My title" in page and "Their title" in page
        assert "Their title" in map_of(signed_in, journey_id)
        assert "My title" not in map_of(signed_in, journey_id)

    def test_saving_over_a_deleted_touchpoint_is_refused(self, signed_in, journey_id):
        stale = version_of(signed_in, journey_id, "module")
        signed_in.post(f"/journeys/{journey_id}/touchpoints/module/delete")
        response = signed_in.post(
            f"/journeys/{journey_id}/touchpoints/module/edit",
            data=form(title="My title", stage="learn", version=stale),
        )
        assert response.status_code == 409
        assert "Not saved: deleted by someone else" in response.get_data(as_text=True)

    def test_a_restore_in_between_makes_an_open_form_stale(self, signed_in, journey_id):
        stale = version_of(signed_in, journey_id, "module")
        signed_in.post(
            f"/journeys/{journey_id}/touchpoints/module/edit",
            data=form(title="Second", stage="learn", version=stale),
        )
        signed_in.post(f"/journeys/{journey_id}/history/1/restore")
        response = signed_in.post(
            f"/journeys/{journey_id}/touchpoints/module/edit",
            data=form(
                title="Third", stage="learn", version=version_of(signed_in, journey_id, "module")
            ),
        )
        assert response.status_code == 302


class TestDeleting:
    def test_says_which_transitions_go_first(self, signed_in, journey_id):
        page = signed_in.get(f"/journeys/{journey_id}/touchpoints/module/delete")
        text = page.get_data(as_text=True)
        assert "2 transitions will be removed too" in text
        assert "from 'Welcome email' to here" in text
        assert "from here to 'Badge issued email'" in text

    def test_removes_the_touchpoint_and_its_transitions(self, signed_in, journey_id):
        response = signed_in.post(f"/journeys/{journey_id}/touchpoints/module/delete")
        assert response.status_code == 302
        page = map_of(signed_in, journey_id)
        assert 'id="card-module"' not in page
        assert "Next:" not in page

    def test_the_last_touchpoint_cannot_go(self, signed_in, make_journey, tiny):
        journey_id = make_journey(tiny(touchpoints=[tiny()["touchpoints"][0]], transitions=[]))
        response = signed_in.post(f"/journeys/{journey_id}/touchpoints/welcome/delete")
        text = response.get_data(as_text=True)
        assert "Not deleted" in text
        assert "at least one touchpoint is required" in text
