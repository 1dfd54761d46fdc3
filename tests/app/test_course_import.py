"""Import a course export (.imscc) in the browser, with an optional badge file (issue 13)."""

from __future__ import annotations

import io
from pathlib import Path

INTEROP = Path(__file__).parents[1] / "fixtures" / "interop"
SANDBOX = (
    INTEROP
    / "commoncartridge"
    / "canvas-cc11-sandbox-course"
    / "sample-public-sandbox-course-export.imscc"
)
BADGE = INTEROP / "ob2" / "badgr-assertion-embedded-badgeclass.json"


def _post(client, course: tuple[bytes, str] | None, badge: tuple[bytes, str] | None = None):
    data = {}
    if course:
        data["course_file"] = (io.BytesIO(course[0]), course[1])
    if badge:
        data["badge_file"] = (io.BytesIO(badge[0]), badge[1])
    return client.post("/import/course", data=data, content_type="multipart/form-data")


def test_the_import_page_offers_a_course(signed_in):
    page = signed_in.get("/import").get_data(as_text=True)
    assert 'accept=".imscc"' in page and ">Import course</button>" in page


def test_a_course_with_a_badge_becomes_a_journey(signed_in):
    response = _post(
        signed_in, (SANDBOX.read_bytes(), SANDBOX.name), (BADGE.read_bytes(), BADGE.name)
    )
    assert response.status_code == 302
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    drafted = (
        "Drafted &#39;Sample Public Sandbox Course&#39; from "
        "sample-public-sandbox-course-export.imscc: 2 stages, 10 touchpoints "
        "(Common Cartridge 1.1)."
    )
    assert drafted in page
    journey = response.headers["Location"].rstrip("/").rsplit("/", 1)[1]
    credentials = signed_in.get(f"/journeys/{journey}/credentials/").get_data(as_text=True)
    assert "Embedded badgeclass" in credentials
    stages = signed_in.get(f"/journeys/{journey}/export.json").get_json()
    assert [s["name"] for s in stages["stages"]] == [
        "Student Orientation to Canvas",
        "Quizzes, Practice Quizzes, Surveys",
    ]
    assert stages["touchpoints"][0]["entry"] is True


def test_bad_courses_are_refused_with_the_file_and_element(signed_in):
    response = _post(signed_in, (b"not a zip", "course.imscc"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'role="alert"' in page
    assert "course.imscc: not a cartridge: not a zip archive" in page
    assert "Choose a course export" in _post(signed_in, None).get_data(as_text=True)
    assert "choose an IMS Common Cartridge" in _post(signed_in, (b"x", "c.zip")).get_data(
        as_text=True
    )
    bad_badge = _post(
        signed_in, (SANDBOX.read_bytes(), SANDBOX.name), (b'{"type": "Thing"}', "b.json")
    )
    assert bad_badge.status_code == 400
    assert "b.json: type: &#34;Thing&#34; is not an Open Badge" in bad_badge.get_data(as_text=True)
