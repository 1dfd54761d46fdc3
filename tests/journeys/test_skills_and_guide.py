"""Skills from RSD and CASE files, and learner guides with the LinkedIn Add to profile link."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from journeys.guide import guide, linkedin_url, parse_month, to_data, to_html, to_markdown
from journeys.importing import Refused
from journeys.model import Credential
from journeys.skills import read_skills

RSD = Path(__file__).parents[1] / "fixtures" / "interop" / "rsd"

SKILLS = {
    "osmt-rsd-v3-skill.json": (
        ("Access and Security Levels Standardization",),
        "Rich Skill Descriptor JSON (OSMT v3)",
    ),
    "osmt-rsd-v2-skill.json": (
        ("Access and Security Levels Standardization",),
        "Rich Skill Descriptor JSON (OSMT v2)",
    ),
    "osmt-skills-import.csv": (
        ("Data and Data Store Access", "Large-Scale Web Application Build"),
        "OSMT skills CSV (import template)",
    ),
    "opensalt-case-cfpackage-minimal.json": (("Item 1",), "CASE CFPackage 'Adopted Test'"),
}


def test_every_rsd_fixture_is_covered():
    assert {p.name for p in RSD.iterdir()} == set(SKILLS)


@pytest.mark.parametrize("name", sorted(SKILLS))
def test_skills_are_read_in_order(name):
    found = read_skills((RSD / name).read_bytes(), name)
    assert (found.skills, found.source) == SKILLS[name]


def test_the_osmt_export_csv_uses_rsd_name():
    data = "Canonical URL,RSD Name,Authors\nhttps://x/1,Read charts,WGU\nhttps://x/2,Πλοήγηση,WGU\n"
    found = read_skills(data.encode(), "export.csv")
    assert found.skills == ("Read charts", "Πλοήγηση")
    assert found.source == "OSMT skills CSV (export)"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"Name,Other\nx,y\n",
            "s: line 1: not an OSMT skills CSV: no 'RSD Name' or 'Skill Name' column",
        ),
        (b'{"type": "Thing"}', "s: skillName: missing: type 'Thing' is not a RichSkillDescriptor"),
        (b'{"CFItems": [{"uri": "x"}]}', "s: CFItems[0].fullStatement: missing"),
        (b'[{"skillName": "A"}, 3]', "s: [1]: expected a Rich Skill Descriptor object"),
        (b'{"skillName": ', "s: line 1, column 15: not valid JSON: Expecting value"),
    ],
)
def test_bad_skills_files_are_refused_with_located_messages(data, message):
    with pytest.raises(Refused) as caught:
        read_skills(data, "s")
    assert str(caught.value).startswith(message)


BADGE = Credential(
    "data-lit",
    "Data Literacy Badge",
    description="Recognises that you can read, question and present data.",
    criteria="# Requirements\n- Pass the quiz\n- Present a *chart* to the class",
    skills=("Interpret charts", "Question a data source"),
    issuer="Northbridge University",
    achievement_type="MicroCredential",
    url="https://badges.example.edu/achievements/data-lit",
)


def _params(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def test_the_linkedin_link_has_every_parameter_in_order_and_encoded():
    url = linkedin_url(
        BADGE,
        issued=(2027, 3),
        cert_url="https://badges.example.edu/a/17?lang=en",
        cert_id="NB-17",
    )
    assert url.startswith("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&")
    assert _params(url) == [
        ("startTask", "CERTIFICATION_NAME"),
        ("name", "Data Literacy Badge"),
        ("organizationName", "Northbridge University"),
        ("issueYear", "2027"),
        ("issueMonth", "3"),
        ("certUrl", "https://badges.example.edu/a/17?lang=en"),
        ("certId", "NB-17"),
    ]
    assert "certUrl=https%3A%2F%2Fbadges.example.edu%2Fa%2F17%3Flang%3Den" in url
    assert "name=Data%20Literacy%20Badge" in url


def test_an_organization_id_replaces_the_name_and_months_are_one_based():
    url = linkedin_url(BADGE, issued=parse_month("2026-12"), organization_id=4831032)
    params = dict(_params(url))
    assert params["organizationId"] == "4831032"
    assert "organizationName" not in params
    assert (params["issueYear"], params["issueMonth"]) == ("2026", "12")
    assert dict(_params(linkedin_url(BADGE, issued=parse_month("2027-01"))))["issueMonth"] == "1"


def test_empty_fields_are_left_out_of_the_link():
    bare = Credential("x", "Bare")
    assert _params(linkedin_url(bare)) == [("startTask", "CERTIFICATION_NAME"), ("name", "Bare")]


def test_the_creator_is_not_part_of_the_organization_name():
    c = Credential("r", "Robot", issuer="1EdTech University (achievement created by Example Group)")
    assert dict(_params(linkedin_url(c)))["organizationName"] == "1EdTech University"


@pytest.mark.parametrize("bad", ["2027-13", "2027", "03-2027", "1800-01"])
def test_bad_months_are_refused(bad):
    with pytest.raises(ValueError, match="is not a month"):
        parse_month(bad)


def test_the_guide_is_built_from_the_credentials_own_words():
    g = guide(BADGE, issued=(2027, 3), cert_id="NB-17")
    sections = {s.id: s.text for s in g.sections}
    assert list(sections) == ["linkedin", "portfolio", "cv", "application", "interview"]
    assert g.linkedin_url in sections["linkedin"]
    assert "- Credential ID: NB-17" in sections["linkedin"]
    assert "- Issue date: March 2027" in sections["linkedin"]
    assert sections["cv"] == (
        "Data Literacy Badge, Northbridge University (March 2027): Interpret charts and "
        "Question a data source."
    )
    assert "Skills: Interpret charts; Question a data source" in sections["portfolio"]
    assert "Type: Micro Credential" in sections["portfolio"]
    assert "Requirements. Pass the quiz; present a chart to the class." in sections["application"]
    assert "- Give one example of a time you used Interpret charts" in sections["interview"]
    assert "- Give one example of a time you used Question a data source" in sections["interview"]


def test_guide_formats():
    g = guide(BADGE, issued=(2027, 3))
    data = to_data(g)
    assert data["linkedin_url"] == g.linkedin_url
    assert [s["id"] for s in data["sections"]] == [
        "linkedin",
        "portfolio",
        "cv",
        "application",
        "interview",
    ]
    json.dumps(data)
    md = to_markdown(g)
    assert md.startswith("# Share your Data Literacy Badge\n")
    assert "## Interview talking points" in md
    page = to_html(g)
    assert (
        '<a href="https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&amp;name='
        in page
    )
    assert "<script" not in page


def test_a_credential_with_nothing_written_still_gets_a_usable_guide():
    g = guide(Credential("x", "Bare <b>Badge</b>"))
    assert {s.id: s.text for s in g.sections}[
        "cv"
    ] == "Bare <b>Badge</b>, the issuing organisation."
    assert "&lt;b&gt;" in to_html(g)
