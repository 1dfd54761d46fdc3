"""Past PICK_LIMIT touchpoints, "Comes after" and next touchpoints are typed, not listed.

A list of every touchpoint in each box made the touchpoint form of a
20,000-touchpoint journey 5.4 MB; typed boxes keep the page the same size
whatever the journey's, and a text that names no touchpoint, or several, is
refused beside its box with nothing saved.
"""

from __future__ import annotations

import re

import pytest

from app.editor import touchpoints
from app.extensions import db
from app.models import Revision, Touchpoint
from tests.app.test_touchpoints import form


@pytest.fixture(autouse=True)
def typed(monkeypatch) -> None:
    """Treat the tiny journey (3 touchpoints) as past the limit."""
    monkeypatch.setattr(touchpoints, "PICK_LIMIT", 2)


def _revisions(app, journey_id: int) -> int:
    with app.app_context():
        return db.session.query(Revision).filter_by(journey_id=journey_id).count()


def _next_of(app, journey_id: int, key: str) -> set[str]:
    with app.app_context():
        t = db.session.scalars(
            db.select(Touchpoint).where(Touchpoint.journey_id == journey_id, Touchpoint.key == key)
        ).one()
        return {tr.target.key for tr in t.outgoing}


def _box(page: str, box_id: str) -> str:
    """Return the ``<input>`` tag with id ``box_id``."""
    return re.search(rf'<input[^>]*\bid="{box_id}"[^>]*>', page).group(0)


def _edit(signed_in, journey_id: int, key: str) -> str:
    return signed_in.get(f"/journeys/{journey_id}/touchpoints/{key}/edit").get_data(as_text=True)


def _save_welcome(signed_in, journey_id: int, **next_boxes: str):
    """Post the welcome email's form as it stands, with these next-touchpoint boxes typed."""
    page = _edit(signed_in, journey_id, "welcome")
    version = page.split('name="version" type="hidden" value="')[1].split('"')[0]
    data = form(title="Welcome email", stage="enrol", entry="y", version=version, **next_boxes)
    return signed_in.post(f"/journeys/{journey_id}/touchpoints/welcome/edit", data=data)


def test_the_form_lists_no_touchpoints_and_shows_each_next_one_by_title(signed_in, journey_id):
    page = _edit(signed_in, journey_id, "welcome")
    assert '<select id="next-0-to"' not in page and '<option value="module"' not in page
    assert 'type="text"' in _box(page, "next-0-to") and 'value="Module page"' in _box(
        page, "next-0-to"
    )
    assert "This journey has 3 touchpoints, too many to list here" in page
    new = signed_in.get(f"/journeys/{journey_id}/touchpoints/new").get_data(as_text=True)
    assert 'type="text"' in _box(new, "after")


def test_a_typed_title_or_id_is_saved_as_that_touchpoint(app, signed_in, journey_id):
    response = _save_welcome(
        signed_in, journey_id, **{"next-0-to": "Module page", "next-1-to": "issued"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert _next_of(app, journey_id, "welcome") == {"module", "issued"}


def test_a_title_naming_no_touchpoint_is_refused_beside_its_box(app, signed_in, journey_id):
    before = _revisions(app, journey_id)
    response = _save_welcome(
        signed_in, journey_id, **{"next-0-to": "Module page", "next-1-to": "Modul page"}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "No touchpoint in this journey is called &#39;Modul page&#39;" in text
    assert 'href="#next-1-to"' in text  # the error summary links to the box
    box = _box(text, "next-1-to")
    assert 'value="Modul page"' in box  # what was typed is kept, and tied to its message
    assert 'aria-invalid="true"' in box and 'aria-describedby="next-1-to-error typed-help"' in box
    assert _revisions(app, journey_id) == before


def test_a_title_several_touchpoints_share_asks_for_the_id(app, signed_in, journey_id):
    signed_in.post(
        f"/journeys/{journey_id}/touchpoints/new", data=form(title="Module page", stage="award")
    )
    before = _revisions(app, journey_id)
    response = signed_in.post(
        f"/journeys/{journey_id}/touchpoints/new",
        data=form(title="Reminder email", after="Module page"),
    )
    text = response.get_data(as_text=True)
    assert "2 touchpoints are called &#39;Module page&#39;: type the id of the one you mean" in text
    assert _revisions(app, journey_id) == before
    # Shared titles show as ids, so that saving the form unchanged keeps the right one.
    assert 'value="module"' in _box(_edit(signed_in, journey_id, "welcome"), "next-0-to")
    response = signed_in.post(
        f"/journeys/{journey_id}/touchpoints/new", data=form(title="Reminder email", after="module")
    )
    assert response.status_code == 302
    assert "reminder-email" in _next_of(app, journey_id, "module")
