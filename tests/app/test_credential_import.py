"""Import credential with a preview, and the Learner guide, through the Flask client (issue 13)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

INTEROP = Path(__file__).parents[1] / "fixtures" / "interop"
BADGE = INTEROP / "ob3" / "spec-skill-assertion-case.json"


def _preview(client, journey_id, path=BADGE, text=None, skills=None):
    data = {}
    if text is not None:
        data["badge_text"] = text
    else:
        data["badge_file"] = (io.BytesIO(path.read_bytes()), path.name)
    if skills is not None:
        data["skills_file"] = (io.BytesIO(skills.read_bytes()), skills.name)
    return client.post(
        f"/journeys/{journey_id}/credentials/import", data=data, content_type="multipart/form-data"
    )


def _hidden(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">', page))


def _document(client, journey_id):
    response = client.get(f"/journeys/{journey_id}/export/json")
    return json.loads(response.get_data(as_text=True)) if response.status_code == 200 else None


def test_the_credentials_screen_offers_import_credential(signed_in, journey_id):
    page = signed_in.get(f"/journeys/{journey_id}/credentials/").get_data(as_text=True)
    assert ">Import credential</a>" in page
    assert ">Learner guide</a>" in page


def test_preview_shows_what_was_read_and_saves_nothing_yet(signed_in, journey_id):
    response = _preview(signed_in, journey_id, skills=INTEROP / "rsd" / "osmt-skills-import.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Preview: Robot Programming" in page
    assert "Read as Open Badges 3.0 (VC 2.0)." in page
    assert "Competency" in page and "Data and Data Store Access" in page
    listing = signed_in.get(f"/journeys/{journey_id}/credentials/").get_data(as_text=True)
    assert "Robot Programming" not in listing
    saved = signed_in.post(f"/journeys/{journey_id}/credentials/import", data=_hidden(page))
    assert saved.status_code == 302
    listing = signed_in.get(f"/journeys/{journey_id}/credentials/").get_data(as_text=True)
    assert "Imported the credential &#39;Robot Programming&#39;." in listing
    assert "Robot Programming" in listing
    assert "https://example.com/achievements/robotics/robot-programming" in listing
    assert (
        "Robot Programming, Data and Data Store Access, Large-Scale Web Application Build"
        in listing
    )


def test_pasted_text_with_the_same_name_replaces_keeping_the_id(signed_in, journey_id):
    doc = json.loads(BADGE.read_text())
    doc["credentialSubject"]["achievement"]["name"] = "Data Literacy Badge"
    page = _preview(signed_in, journey_id, text=json.dumps(doc)).get_data(as_text=True)
    assert "Saving replaces the credential 'Data Literacy Badge' (same name)" in page
    assert (
        signed_in.post(f"/journeys/{journey_id}/credentials/import", data=_hidden(page)).status_code
        == 302
    )
    listing = signed_in.get(f"/journeys/{journey_id}/credentials/").get_data(as_text=True)
    assert listing.count("<article>") == 1
    assert "id <code>data-lit</code>" in listing
    assert "Competency" in listing


def test_a_refused_file_is_located_and_nothing_is_saved(signed_in, journey_id):
    response = _preview(signed_in, journey_id, INTEROP / "ob3" / "validator-simple-err-type.json")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'role="alert"' in page
    assert "validator-simple-err-type.json: credentialSubject.achievement: missing" in page
    response = _preview(signed_in, journey_id, text='{"type": "BadgeClass", "name": }')
    assert "pasted text: line 1, column 32: not valid JSON" in response.get_data(as_text=True)
    response = signed_in.post(f"/journeys/{journey_id}/credentials/import", data={})
    assert "Choose a badge file or paste the credential." in response.get_data(as_text=True)
    response = signed_in.post(
        f"/journeys/{journey_id}/credentials/import", data={"step": "save", "badge": "@@not base64"}
    )
    assert response.status_code == 400 and "read the file again" in response.get_data(as_text=True)


def test_the_learner_guide_page_links_into_linkedin(signed_in, journey_id):
    response = signed_in.get(
        f"/journeys/{journey_id}/credentials/data-lit/guide?issued=2027-03&cert_id=A1&organization_id=42"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    link = re.search(
        r'href="(https://www.linkedin.com/profile/add\?[^"]+)" rel="noopener">'
        "Add to LinkedIn profile",
        page,
    )
    params = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
    assert params["name"] == ["Data Literacy Badge"]
    assert params["organizationId"] == ["42"] and "organizationName" not in params
    assert (params["issueYear"], params["issueMonth"], params["certId"]) == (
        ["2027"],
        ["3"],
        ["A1"],
    )
    for title in (
        "Add it to LinkedIn",
        "E-portfolio entry",
        "CV line",
        "Job application paragraph",
        "Interview talking points",
    ):
        assert f">{title}</h3>" in page
    bad = signed_in.get(f"/journeys/{journey_id}/credentials/data-lit/guide?issued=2027-13")
    assert "Issued: &#39;2027-13&#39; is not a month" in bad.get_data(as_text=True)
    download = signed_in.get(f"/journeys/{journey_id}/credentials/data-lit/guide?download=html")
    assert (
        download.mimetype == "text/html" and "attachment" in download.headers["Content-Disposition"]
    )
    assert signed_in.get(f"/journeys/{journey_id}/credentials/nope/guide").status_code == 404


def test_one_step_puts_the_link_into_a_touchpoint(signed_in, journey_id):
    response = signed_in.post(
        f"/journeys/{journey_id}/credentials/data-lit/guide/place?issued=2027-03",
        data={"touchpoint": "issued", "part": "linkedin_url"},
    )
    assert response.status_code == 302
    assert "issued=2027-03" in response.headers["Location"]
    page = signed_in.get(f"/journeys/{journey_id}/touchpoints/issued/edit").get_data(as_text=True)
    assert "profile/add?startTask=CERTIFICATION_NAME&amp;name=Data%20Literacy%20Badge" in page
    assert "issueYear=2027&amp;issueMonth=3" in page
    bad = signed_in.post(
        f"/journeys/{journey_id}/credentials/data-lit/guide/place",
        data={"touchpoint": "nope", "part": "cv"},
    )
    assert bad.status_code == 400
