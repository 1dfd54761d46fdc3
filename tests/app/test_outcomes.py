"""The Outcomes screen: upload, comparison with flags, chart and fit (issue 14)."""

from __future__ import annotations

import io
from pathlib import Path

from app.extensions import db
from app.models import OutcomeImport
from tests.app.helpers import join

ANALYTICS = Path(__file__).resolve().parents[1] / "fixtures" / "interop" / "analytics"


def _post(client, journey_id, raw: bytes, name: str):
    return client.post(
        f"/journeys/{journey_id}/outcomes/",
        data={"file": (io.BytesIO(raw), name)},
        content_type="multipart/form-data",
    )


CSV = (
    b"credential,cohort,issued,claimed,shared,date\n"
    b"Data Literacy Badge,2026-03,100,40,10,2026-03-02\n"
    b"data badge,2026-09,50,48,12,2026-09-01\n"
    b"Robotics badge,,10,5,1,\n"
)


def test_upload_compare_chart_and_fit(app, signed_in, journey_id):
    response = _post(signed_in, journey_id, CSV, "outcomes.csv")
    assert response.status_code == 302
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "Imported 2 rows from outcomes.csv (Claimpath outcomes CSV)." in page
    assert "Not matched to a credential: Robotics badge." in page
    # The model: everyone reaching the issue is told how to claim (reach 1), nobody how to share.
    assert "<td>40%" in page and "<td>100%</td>" in page and "<td>96%" in page
    assert "Claim: -60 points." in page and "a reach figure" in page
    assert "Share: +25 points." in page and "somewhere the map does not show" in page
    assert '<svg class="outcome-chart"' in page and "Model: claim 100%" in page
    assert "claim 40%" in page and "share 25%" in page
    assert "Fit reach to what learners did" in page and "Reach factor" in page
    with app.app_context():
        [stored] = db.session.query(OutcomeImport).all()
        assert stored.format == "claimpath" and stored.unmatched == ["Robotics badge"]
        assert [r["cohort"] for r in stored.rows] == ["2026-03", "2026-09"]


def test_several_imports_are_kept_with_their_dates(app, signed_in, journey_id):
    credly = (ANALYTICS / "credly-analytics-export.CONSTRUCTED.csv").read_bytes()
    credly = credly.replace(b"Aged Care Infection Control", b"Data Literacy Badge")
    assert _post(signed_in, journey_id, CSV, "spring.csv").status_code == 302
    assert _post(signed_in, journey_id, credly, "credly.csv").status_code == 302
    page = signed_in.get(f"/journeys/{journey_id}/outcomes/").get_data(as_text=True)
    assert "spring.csv (Claimpath outcomes CSV), 2 rows" in page
    assert "credly.csv (Credly analytics export), 1 row" in page
    assert "cohort-2026-03" in page and "UTC" in page


def test_a_bad_file_lists_its_problems_and_stores_nothing(app, signed_in, journey_id):
    bad = b"credential,issued,claimed\nData Literacy Badge,10,20\nData Literacy Badge,x,1\n"
    response = _post(signed_in, journey_id, bad, "bad.csv")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Nothing was imported: 2 problems in the file." in page
    assert "line 2, column claimed: 20 claimed is more than 10 issued" in page
    assert "line 3, column issued: &#39;x&#39; is not a whole number of learners" in page
    with app.app_context():
        assert db.session.query(OutcomeImport).count() == 0


def test_viewers_read_but_cannot_upload(app, signed_in, journey_id):
    assert _post(signed_in, journey_id, CSV, "o.csv").status_code == 302
    viewer = join(app, signed_in, journey_id, "viewer")
    page = viewer.get(f"/journeys/{journey_id}/outcomes/").get_data(as_text=True)
    assert "Observed beside predicted" in page and "Upload outcomes" not in page
    assert _post(viewer, journey_id, CSV, "o.csv").status_code == 403


def test_the_journey_nav_links_outcomes(signed_in, journey_id):
    page = signed_in.get(f"/journeys/{journey_id}").get_data(as_text=True)
    assert f'href="/journeys/{journey_id}/outcomes/"' in page


def test_the_per_channel_fit_is_offered_with_its_cost_and_shown_on_request(signed_in, journey_id):
    # Observed claim 40% and 96% against a model of 100% (reach 1 everywhere).
    assert _post(signed_in, journey_id, CSV, "outcomes.csv").status_code == 302
    page = signed_in.get(f"/journeys/{journey_id}/outcomes/").get_data(as_text=True)
    assert "Fit one factor per channel too" in page and "seconds on the example journeys" in page
    assert "channel-fit" not in page
    page = signed_in.get(f"/journeys/{journey_id}/outcomes/?per_channel=1").get_data(as_text=True)
    assert "One factor per channel, on top of the reach factor" in page
    # The tiny journey's channels: email (welcome, issued) and lms (module).
    assert '<th scope="row">email</th>' in page and '<th scope="row">lms</th>' in page
    assert "Fit one factor per channel too" not in page
