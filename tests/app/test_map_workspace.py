"""Issue 10 without JavaScript: every change made on the map is a plain form post."""

from __future__ import annotations

import re

from app.extensions import db
from app.models import Journey, Revision, Touchpoint


def map_of(client, journey_id: int, query: str = "") -> str:
    return client.get(f"/journeys/{journey_id}{query}").get_data(as_text=True)


def version(app, journey_id: int, key: str) -> str:
    with app.app_context():
        return (
            db.session.scalars(
                db.select(Touchpoint).where(
                    Touchpoint.journey_id == journey_id, Touchpoint.key == key
                )
            )
            .one()
            .version
        )


def stage_of(app, journey_id: int, key: str) -> str:
    with app.app_context():
        t = db.session.scalars(
            db.select(Touchpoint).where(Touchpoint.journey_id == journey_id, Touchpoint.key == key)
        ).one()
        return t.stage.key


def outgoing(app, journey_id: int, key: str) -> dict[str, float | None]:
    with app.app_context():
        t = db.session.scalars(
            db.select(Touchpoint).where(Touchpoint.journey_id == journey_id, Touchpoint.key == key)
        ).one()
        return {tr.target.key: tr.share for tr in t.outgoing}


def revisions(app, journey_id: int) -> int:
    with app.app_context():
        return db.session.query(Revision).filter_by(journey_id=journey_id).count()


def test_add_in_a_stage_guesses_the_channel_and_offers_undo(app, signed_in, journey_id):
    before = revisions(app, journey_id)
    response = signed_in.post(
        f"/journeys/{journey_id}/map/add", data={"stage": "learn", "title": "Reminder SMS"}
    )
    assert response.status_code == 303
    page = map_of(signed_in, journey_id)
    assert "Added &#39;Reminder SMS&#39; to" in page and "as SMS (guessed from its title)" in page
    assert 'aria-labelledby="card-reminder-sms"' in page
    assert revisions(app, journey_id) == before + 1
    assert ">Undo</button>" in page
    number = re.search(r'name="revision" value="(\d+)"', page).group(1)
    signed_in.post(f"/journeys/{journey_id}/map/undo", data={"revision": number})
    page = map_of(signed_in, journey_id)
    assert 'aria-labelledby="card-reminder-sms"' not in page
    assert revisions(app, journey_id) == before + 2


def test_an_empty_title_shows_the_error_summary_linked_to_the_box(signed_in, journey_id):
    response = signed_in.post(f"/journeys/{journey_id}/map/add", data={"stage": "learn"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'role="alert"' in page and "data-error-summary" in page
    assert re.search(r'<a href="#add-learn"[^>]*>New touchpoint in [^:]+: give it a title', page)


def test_move_changes_stage_and_lane(app, signed_in, journey_id):
    key = "module"
    response = signed_in.post(
        f"/journeys/{journey_id}/map/{key}/move",
        data={"stage": "award", "lane": "web", "version": version(app, journey_id, key)},
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    assert stage_of(app, journey_id, key) == "award"
    assert "Moved &#39;" in map_of(signed_in, journey_id)


def test_a_stale_move_shows_both_versions(app, signed_in, journey_id):
    response = signed_in.post(
        f"/journeys/{journey_id}/map/module/move", data={"stage": "award", "version": "old"}
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Your version" in page and "Saved version" in page


def test_connect_by_title_with_a_percentage_share(app, signed_in, journey_id):
    with app.app_context():
        titles = {t.key: t.title for t in db.session.scalars(db.select(Touchpoint))}
    source, target = [k for k in titles if not outgoing(app, journey_id, k).get(k)][:2]
    already = outgoing(app, journey_id, source)
    target = next(k for k in titles if k != source and k not in already)
    response = signed_in.post(
        f"/journeys/{journey_id}/map/{source}/connect",
        data={"to": titles[target], "share": "", "version": version(app, journey_id, source)},
    )
    assert response.status_code in (303, 422), response.get_data(as_text=True)
    if response.status_code == 303:
        assert target in outgoing(app, journey_id, source)


def test_a_bad_share_names_the_touchpoint_by_title(app, signed_in, journey_id):
    response = signed_in.post(
        f"/journeys/{journey_id}/map/module/connect",
        data={"to": "Nowhere at all", "version": version(app, journey_id, "module")},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "no touchpoint is called &#39;Nowhere at all&#39;" in page


def test_the_map_draws_data_for_every_transition_and_names_gaps(signed_in, journey_id):
    page = map_of(signed_in, journey_id)
    assert "data-routes=" in page
    assert "Not told:" in page or "card-gaps" in page


def test_panel_opens_on_the_map_and_saves_without_leaving_it(app, signed_in, journey_id):
    page = map_of(signed_in, journey_id, "?panel=module")
    assert 'id="side-panel"' in page and 'id="title"' in page
    response = signed_in.post(
        f"/journeys/{journey_id}/map/module/panel",
        data={
            "version": version(app, journey_id, "module"),
            "title": "Module page (week 1)",
            "stage": "learn",
            "channel": "lms",
            "owner": "issuer",
            "audience": "learner",
            "content": "",
            "reach": "1",
            "after_mode": "insert",
            "next-0-to": "issued",
            "next-0-share": "0.8",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    assert "Module page (week 1)" in map_of(signed_in, journey_id)


def test_a_bad_panel_save_shows_the_summary_in_the_panel(app, signed_in, journey_id):
    response = signed_in.post(
        f"/journeys/{journey_id}/map/module/panel",
        data={"version": version(app, journey_id, "module"), "title": "", "stage": "learn"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    panel = page[page.index('id="side-panel"') :]
    assert 'role="alert"' in panel and '<a href="#title"' in panel


def test_a_second_credential_with_the_same_name_is_refused(app, signed_in, journey_id):
    response = signed_in.post(
        f"/journeys/{journey_id}/credentials/new", data={"name": "data literacy badge"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "already has a credential called &#39;Data Literacy Badge&#39;" in page
    assert '<a href="#name"' in page  # the error summary links to the field


def test_the_channel_guess_is_the_engines(signed_in, journey_id):
    answer = signed_in.get(f"/journeys/{journey_id}/map/channel?title=Reminder+SMS").get_json()
    assert answer == {"channel": "sms", "label": "SMS"}


def _new(signed_in, journey_id, **changes):
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
    }
    data.update(changes)
    return signed_in.post(f"/journeys/{journey_id}/touchpoints/new", data=data)


def test_insert_after_steps_in_between_with_the_shares(app, signed_in, journey_id):
    # In the tiny journey, module leads to issued with a share of 0.8.
    assert _new(signed_in, journey_id, after="module").status_code == 302
    assert outgoing(app, journey_id, "module") == {"reminder-email": None}
    assert outgoing(app, journey_id, "reminder-email") == {"issued": 0.8}


def test_add_as_a_new_branch_keeps_the_old_way(app, signed_in, journey_id):
    assert _new(signed_in, journey_id, after="module", after_mode="branch").status_code == 302
    assert outgoing(app, journey_id, "module") == {"issued": 0.8, "reminder-email": None}
    assert outgoing(app, journey_id, "reminder-email") == {}


def test_the_form_says_insert_between_before_saving(signed_in, journey_id):
    page = signed_in.get(f"/journeys/{journey_id}/touchpoints/new").get_data(as_text=True)
    assert "Add as a new branch" in page and "Insert between" in page
    assert 'data-next="Badge issued email"' in page


def test_a_too_large_journey_is_shown_stage_by_stage(app, make_journey, signed_in, tiny):
    from app.editor import maps

    document = tiny()
    document["touchpoints"] += [
        {"id": f"extra-{i}", "title": f"Extra {i}", "stage": "learn", "channel": "web"}
        for i in range(maps.CARD_LIMIT)
    ]
    journey_id = make_journey(document)
    page = map_of(signed_in, journey_id)
    assert "Too large to show card by card" in page
    assert "Page 1 of" in page and "<article" not in page


def test_move_takes_the_stage_and_lane_by_the_names_the_map_shows(app, signed_in, journey_id):
    page = map_of(signed_in, journey_id)
    stage = re.search(r'data-stage="award" data-stage-name="([^"]+)"', page).group(1)
    response = signed_in.post(
        f"/journeys/{journey_id}/map/module/move",
        data={"stage": stage, "lane": "In person", "version": version(app, journey_id, "module")},
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    assert stage_of(app, journey_id, "module") == "award"
    with app.app_context():
        assert (
            db.session.scalars(
                db.select(Touchpoint.channel).where(Touchpoint.key == "module")
            ).one()
            == "in_person"
        )


def stage_names(app, journey_id: int) -> list[tuple[str, str]]:
    with app.app_context():
        journey = db.session.get(Journey, journey_id)
        return [(s.name, s.phase) for s in sorted(journey.stages, key=lambda s: s.position)]


def test_a_stage_is_added_on_the_map_from_its_name(app, signed_in, journey_id):
    page = map_of(signed_in, journey_id)
    assert re.search(r'<label for="add-stage">New stage</label>', page)
    response = signed_in.post(f"/journeys/{journey_id}/map/stage", data={"name": "Share it"})
    assert response.status_code == 303
    assert stage_names(app, journey_id)[-1] == ("Share it", "share")
    page = map_of(signed_in, journey_id)
    assert "Added the stage &#39;Share it&#39; (phase: Share, from its name" in page
    assert 'id="add-share-it"' in page and ">Undo</button>" in page
    signed_in.post(f"/journeys/{journey_id}/map/stage", data={"name": "Alumni"})
    assert stage_names(app, journey_id)[-1] == ("Alumni", "share")  # as the stage before it


def test_a_nameless_or_repeated_stage_is_refused_in_the_summary(app, signed_in, journey_id):
    before = revisions(app, journey_id)
    for name, words in [("", "New stage: give it a name."), ("learn", "already a stage")]:
        response = signed_in.post(f"/journeys/{journey_id}/map/stage", data={"name": name})
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert re.search(r'<a href="#add-stage" data-field="add-stage">[^<]*' + words, page)
        assert 'id="add-stage" name="name"' in page and 'aria-invalid="true"' in page
    assert revisions(app, journey_id) == before


def stage_version(app, journey_id: int, key: str) -> str:
    with app.app_context():
        journey = db.session.get(Journey, journey_id)
        return next(s.version for s in journey.stages if s.key == key)


def test_a_stage_is_renamed_on_the_map_with_the_version_check(app, signed_in, journey_id):
    response = signed_in.post(
        f"/journeys/{journey_id}/map/stage/learn/rename",
        data={"name": "Learn online", "phase": "learn", "version": "stale"},
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Your version" in page and "Learn online" in page
    assert stage_names(app, journey_id)[1] == ("Learn", "learn")
    response = signed_in.post(
        f"/journeys/{journey_id}/map/stage/learn/rename",
        data={
            "name": "Learn online",
            "phase": "earn",
            "version": stage_version(app, journey_id, "learn"),
        },
    )
    assert response.status_code == 303
    assert stage_names(app, journey_id)[1] == ("Learn online", "earn")
    assert "Renamed the stage &#39;Learn&#39; to &#39;Learn online&#39;" in map_of(
        signed_in, journey_id
    )


def test_a_touchpoint_added_on_the_map_comes_after_the_last_dead_end(app, signed_in, journey_id):
    page = map_of(signed_in, journey_id)
    with app.app_context():
        last = (
            db.session.scalars(
                db.select(Touchpoint).where(
                    Touchpoint.journey_id == journey_id, Touchpoint.key == "issued"
                )
            )
            .one()
            .title
        )
    # Only the award stage has a touchpoint leading nowhere at or before it.
    assert re.search(rf'id="add-award-after" name="after"[^>]*value="{re.escape(last)}"', page)
    assert re.search(r'id="add-learn-after" name="after"[^>]*value=""', page)
    signed_in.post(
        f"/journeys/{journey_id}/map/add",
        data={"stage": "award", "title": "Claim page", "after": last},
    )
    assert list(outgoing(app, journey_id, "issued")) == ["claim-page"]
    assert "after &#39;" in map_of(signed_in, journey_id)


def test_adding_after_a_touchpoint_that_leads_on_inserts_between(app, signed_in, journey_id):
    signed_in.post(
        f"/journeys/{journey_id}/map/add",
        data={"stage": "learn", "title": "Quiz", "after": "Module page"},
    )
    assert outgoing(app, journey_id, "module") == {"quiz": None}
    assert outgoing(app, journey_id, "quiz") == {"issued": 0.8}
    assert "between &#39;Module page&#39; and &#39;" in map_of(signed_in, journey_id)


def test_an_unknown_touchpoint_to_come_after_is_named_in_the_summary(app, signed_in, journey_id):
    before = revisions(app, journey_id)
    response = signed_in.post(
        f"/journeys/{journey_id}/map/add",
        data={"stage": "learn", "title": "Quiz", "after": "Nowhere"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(
        r'<a href="#add-learn-after"[^>]*>New touchpoint in Learn: no touchpoint', page
    )
    assert revisions(app, journey_id) == before


def _grids_rendered(app, client, path: str) -> tuple[int, str]:
    """Return how many times ``map/_grid.html`` was rendered for one GET, and the page."""
    from flask import template_rendered

    seen: list[str] = []

    def note(sender, template, context, **extra):
        seen.append(template.name)

    template_rendered.connect(note, app)
    try:
        page = client.get(path).get_data(as_text=True)
    finally:
        template_rendered.disconnect(note, app)
    return seen.count("map/_grid.html"), page


def _tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', page))


def test_a_revision_s_grid_is_rendered_once_and_each_visitor_gets_their_own_token(
    app, signed_in, journey_id
):
    from tests.app.helpers import join

    path = f"/journeys/{journey_id}"
    signed_in.post(f"{path}/map/add", data={"stage": "learn", "title": "Reminder SMS"})
    first, page = _grids_rendered(app, signed_in, path)
    again, same = _grids_rendered(app, signed_in, path)
    assert (first, again) == (1, 0)
    assert _tokens(same) == _tokens(page)
    editor = join(app, signed_in, journey_id, "editor")
    other, theirs = _grids_rendered(app, editor, path)
    assert other == 0
    # One token a page, the same inside the kept grid as in the header's sign-out form,
    # and never another person's.
    assert len(_tokens(page)) == 1 and len(_tokens(theirs)) == 1
    assert _tokens(page) != _tokens(theirs)
    assert "\x00" not in theirs and 'aria-labelledby="card-welcome"' in theirs
    # A change is a new revision: the grid is drawn again and shows it.
    signed_in.post(f"{path}/map/add", data={"stage": "learn", "title": "Claim reminder SMS"})
    after, changed = _grids_rendered(app, signed_in, path)
    assert after == 1 and 'aria-labelledby="card-claim-reminder-sms"' in changed


def test_a_refused_change_s_grid_is_not_kept(app, signed_in, journey_id):
    path = f"/journeys/{journey_id}"
    _grids_rendered(app, signed_in, path)
    refused = signed_in.post(f"{path}/map/add", data={"stage": "learn", "title": ""})
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.get_data(as_text=True)
    _, page = _grids_rendered(app, signed_in, path)
    assert 'aria-invalid="true"' not in page
