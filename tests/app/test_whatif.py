"""What-if: suggested fixes, the preview that saves nothing, and Apply as a normal revision."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import Membership, Revision, User

FIX = "say:issued:data-lit:represents"


def _revisions(app, journey_id: int) -> list[Revision]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Revision).where(Revision.journey_id == journey_id).order_by(Revision.number)
            )
        )


def _score(client, journey_id: int) -> int:
    page = client.get(f"/journeys/{journey_id}/report").get_data(as_text=True)
    return int(re.search(r"Score <strong>(\d+)</strong>", page).group(1))


class TestThePreview:
    def test_shows_today_beside_the_fixes_and_saves_nothing(self, app, signed_in, journey_id):
        before = signed_in.get(f"/journeys/{journey_id}/export.json").data
        response = signed_in.get(f"/journeys/{journey_id}/whatif?fix={FIX}")
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Today and with 1 fix" in page
        today, tried = re.search(r"Score (\d+) → (\d+)", page).groups()
        assert int(tried) > int(today)
        assert "1 finding resolved" in page
        assert re.search(r"100%</span> <strong>\(changed\)</strong>", page)
        assert signed_in.get(f"/journeys/{journey_id}/export.json").data == before
        assert len(_revisions(app, journey_id)) == 1

    def test_is_reached_from_the_report_by_ticking_fixes(self, signed_in, journey_id):
        page = signed_in.get(f"/journeys/{journey_id}/report").get_data(as_text=True)
        assert f'<form id="whatif" method="get" action="/journeys/{journey_id}/whatif"' in page
        assert f'name="fix" value="{FIX}" form="whatif"' in page

    def test_leaves_out_fixes_that_no_longer_apply(self, signed_in, journey_id):
        page = signed_in.get(f"/journeys/{journey_id}/whatif?fix=say:gone:data-lit:why&fix={FIX}")
        text = page.get_data(as_text=True)
        assert "1 ticked fix no longer applies" in text
        assert "Today and with 1 fix" in text


class TestApply:
    def test_saves_a_new_revision_and_returns_to_the_report(self, app, signed_in, journey_id):
        before = _score(signed_in, journey_id)
        response = signed_in.post(
            f"/journeys/{journey_id}/whatif",
            data={"fix": [FIX, "add:employer:issued"], "revision": 1},
        )
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/journeys/{journey_id}/report")
        page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
        assert "Applied 2 what-if fixes as revision 2." in page
        assert _score(signed_in, journey_id) > before
        latest = _revisions(app, journey_id)[-1]
        assert latest.number == 2
        assert latest.summary.startswith("Applied 2 what-if fixes; ")
        assert "added touchpoint 'Employer event'" in latest.summary
        assert "changed touchpoint 'Badge issued email' (messages)" in latest.summary
        saved = {t["id"]: t for t in latest.document["touchpoints"]}
        assert saved["issued"]["messages"] == {"data-lit": ["represents", "claim"]}
        assert saved["employer-event"]["messages"] == {"data-lit": ["talk", "value"]}

    def test_refuses_a_stale_preview_and_shows_it_again(self, app, signed_in, journey_id):
        signed_in.post(f"/journeys/{journey_id}/whatif", data={"fix": FIX, "revision": 1})
        response = signed_in.post(
            f"/journeys/{journey_id}/whatif",
            data={"fix": "say:issued:data-lit:why", "revision": 1},
        )
        assert response.status_code == 409
        page = response.get_data(as_text=True)
        assert "Not saved: the journey changed since this preview" in page
        assert 'name="revision" value="2"' in page
        assert len(_revisions(app, journey_id)) == 2

    def test_needs_a_fix(self, app, signed_in, journey_id):
        response = signed_in.post(f"/journeys/{journey_id}/whatif", data={"revision": 1})
        assert response.status_code == 400
        assert len(_revisions(app, journey_id)) == 1

    def test_needs_the_revision_it_was_previewed_on(self, signed_in, journey_id):
        response = signed_in.post(f"/journeys/{journey_id}/whatif", data={"fix": FIX})
        assert response.status_code == 400

    def test_a_viewer_previews_but_cannot_apply(self, app, client, auth, journey_id):
        auth.signout()
        auth.signup("vic@example.com")
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == "vic@example.com"))
            db.session.add(Membership(user=user, journey_id=journey_id, role="viewer"))
            db.session.commit()
        page = client.get(f"/journeys/{journey_id}/whatif?fix={FIX}").get_data(as_text=True)
        assert "Today and with 1 fix" in page and ">Apply</button>" not in page
        response = client.post(f"/journeys/{journey_id}/whatif", data={"fix": FIX, "revision": 1})
        assert response.status_code == 403
        with app.app_context():
            count = db.session.scalar(select(func.count()).select_from(Revision))
        assert count == 1


def test_a_save_that_clashes_keeps_nothing_and_shows_the_preview_again(
    monkeypatch, app, signed_in, journey_id
):
    from app import saving
    from app.saving import Clash

    def clash(*args, **kwargs):
        db.session.rollback()  # as save() does when a version moved under it
        raise Clash("version moved")

    monkeypatch.setattr(saving, "save", clash)
    response = signed_in.post(f"/journeys/{journey_id}/whatif", data={"fix": FIX, "revision": 1})
    assert response.status_code == 409
    assert "someone else saved this journey at the same moment" in response.get_data(as_text=True)
    assert len(_revisions(app, journey_id)) == 1
