"""A save builds the journey document once; a journey read from its tables is the same journey."""

from __future__ import annotations

from sqlalchemy import select

from app import convert
from app.extensions import db
from app.models import Journey, Revision

from .helpers import form_data


def _revisions(app, journey_id: int) -> list[Revision]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Revision).where(Revision.journey_id == journey_id).order_by(Revision.number)
            )
        )


def test_a_save_builds_the_document_once_and_the_revision_holds_it(
    app, signed_in, journey_id, monkeypatch
):
    built = []
    document = convert.document
    monkeypatch.setattr(convert, "document", lambda j: built.append(1) or document(j))
    url = f"/journeys/{journey_id}/touchpoints/module/edit"
    data = form_data(signed_in.get(url).get_data(as_text=True), title="Module, renamed")
    assert signed_in.post(url, data=data).status_code == 302
    assert len(built) == 1
    latest = _revisions(app, journey_id)[-1]
    assert latest.summary == "renamed touchpoint 'Module page' to 'Module, renamed'"
    with app.app_context():
        assert latest.document == convert.document(db.session.get(Journey, journey_id))


def test_the_journey_from_its_tables_equals_the_journey_from_its_rows(app, journey_id):
    with app.app_context():
        journey = db.session.get(Journey, journey_id)
        from_tables = convert.to_engine(journey)
        journey.title = journey.title  # something pending: the rows in hand are converted
        db.session.add(Revision(journey=journey, number=99, summary="x", document={}))
        from_rows = convert.to_engine(journey)
        db.session.rollback()
    assert from_tables == from_rows
    assert [t.id for t in from_tables.touchpoints] == ["welcome", "module", "issued"]


def test_a_change_the_session_holds_is_in_the_journey_before_it_is_saved(app, journey_id):
    with app.app_context():
        journey = db.session.get(Journey, journey_id)
        journey.touchpoints[0].title = "Not saved yet"
        assert convert.to_engine(journey).touchpoints[0].title == "Not saved yet"
        db.session.rollback()


def test_saving_a_touchpoint_as_it_is_keeps_its_messages_and_says_no_change(
    app, signed_in, make_journey, tiny
):
    document = tiny()
    document["touchpoints"][0]["messages"] = {"data-lit": ["use", "earned"]}
    journey_id = make_journey(document)
    url = f"/journeys/{journey_id}/touchpoints/welcome/edit"
    saved = signed_in.post(url, data=form_data(signed_in.get(url).get_data(as_text=True)))
    assert saved.status_code == 302
    latest = _revisions(app, journey_id)[-1]
    assert latest.summary == "No change"
    assert latest.document["touchpoints"][0]["messages"] == {"data-lit": ["use", "earned"]}
