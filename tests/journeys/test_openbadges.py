"""Every Open Badges fixture imports with the expected fields, or is refused, located."""

from __future__ import annotations

import base64
import json
import struct
import zlib
from pathlib import Path

import pytest

from journeys.importing import Refused, credential_id
from journeys.model import new_id
from journeys.openbadges import read_credential

INTEROP = Path(__file__).parents[1] / "fixtures" / "interop"
OB3, OB2 = INTEROP / "ob3", INTEROP / "ob2"


def _read(path: Path):
    return read_credential(path.read_bytes(), path.name)


# file -> (name, issuer, achievement_type, url, skills, criteria starts, source starts)
EXPECTED = {
    "spec-basic-openbadgecredential.json": (
        "Teamwork",
        "Example Corp",
        "",
        "https://example.com/achievements/21st-century-skills/teamwork",
        (),
        "Team members are nominated",
        "Open Badges 3.0 (VC 2.0)",
    ),
    "spec-achievement-alignment-case.json": (
        "Text analysis",
        "Example University",
        "",
        "https://1edtech.edu/achievements/1",
        (
            "Cite strong and thorough textual evidence to support analysis of what the text says "
            "explicitly as well as inferences drawn from the text, including determining where the "
            "text leaves matters uncertain",
        ),
        "Cite strong",
        "Open Badges 3.0 (VC 2.0)",
    ),
    "spec-achievement-alignment-ctdl.json": (
        "Text analysis",
        "Example University",
        "",
        "https://1edtech.edu/achievements/1",
        ("Requirements Analysis",),
        "Cite strong",
        "Open Badges 3.0",
    ),
    "spec-skill-assertion-case.json": (
        "Robot Programming",
        "1EdTech University (achievement created by Example Industry Group)",
        "Competency",
        "https://example.com/achievements/robotics/robot-programming",
        ("Robot Programming",),
        "Learners must present source code",
        "Open Badges 3.0",
    ),
    "spec-skill-assertion-ctdl.json": (
        "Linear equations and inequalities",
        "1EdTech University (achievement created by Example Industry Group)",
        "Competency",
        "https://example.com/achievements/math/linear-1",
        ("Solve and graph linear equations and inequalities",),
        "Learners must demonstrate",
        "Open Badges 3.0",
    ),
    "validator-complete.json": (
        "1EdTech University Degree",
        "1EdTech University",
        "Degree",
        "https://1edtech.edu/achievements/degree",
        ("1EdTech University Degree",),
        "# Degree Requirements\nStudents must complete",
        "Open Badges 3.0 (VC 2.0)",
    ),
    "validator-simple.json": (
        "Teamwork",
        "Example Corp",
        "",
        "https://example.com/achievements/21st-century-skills/teamwork",
        (),
        "Team members",
        "Open Badges 3.0 (VC 2.0)",
    ),
    "validator-simple-v1.json": (
        "Teamwork",
        "Example Corp",
        "",
        "https://example.com/achievements/21st-century-skills/teamwork",
        (),
        "Team members",
        "Open Badges 3.0 (VC 1.1)",
    ),
    "validator-velocity.jwt": (
        "Velocity Network Board Member 2022",
        "",
        "",
        "mailto:conformance@imsglobal.org",
        (),
        "The Velocity Network Board of 2022",
        "Open Badges 3.0 (VC 1.1), from a compact JWS",
    ),
    "validator-simple-jwt.svg": (
        "Teamwork",
        "Example Corp",
        "",
        "https://example.com/achievements/21st-century-skills/teamwork",
        (),
        "Team members",
        "Open Badges 3.0 (VC 2.0), from a compact JWS in a baked SVG",
    ),
    "validator-simple-jwt-svg-verify-attribute.jws": (
        "Teamwork",
        "Example Corp",
        "",
        "https://example.com/achievements/21st-century-skills/teamwork",
        (),
        "Team members",
        "Open Badges 3.0 (VC 2.0), from a compact JWS",
    ),
    "dcc-two-alignments.json": (
        "Text analysis",
        "Example University",
        "",
        "https://1edtech.edu/achievements/1",
        ("Requirements Analysis",),
        "Cite strong",
        "Open Badges 3.0 (VC 2.0)",
    ),
    "dcc-achievementtype-award.json": (
        "OBv3 achievementType example",
        "Example Corp",
        "Award",
        "https://example.com/achievements/21st-century-skills/teamwork",
        (),
        "Team members",
        "Open Badges 3.0",
    ),
    "dcc-issuer-as-string.json": (
        "Teamwork",
        "",
        "",
        "https://example.com/achievements/21st-century-skills/teamwork",
        (),
        "Team members",
        "Open Badges 3.0",
    ),
    "mit-learn-course-certificate.json": (
        "Foundations of Universal AI",
        "MIT Learn",
        "Course",
        "https://something.org/theCourse",
        (),
        "- If you wanted to add some kind of criteria",
        "Open Badges 3.0 (VC 2.0)",
    ),
    "spec-badgeclass-two-alignments.NONSTRICT.json": (
        "Awesome Robotics Badge",
        "",
        "",
        "https://example.org/robotics-badge.json",
        ("CCSS.ELA-Literacy.RST.11-12.3", "Problem-Solving"),
        "",
        "Open Badges 2.0 BadgeClass",
    ),
    "spec-assertion-embedded-badgeclass-issuer.NONSTRICT.json": (
        "Awesome Robotics Badge",
        "An Example Badge Issuer",
        "",
        "https://example.org/robotics-badge.json",
        (),
        "",
        "Open Badges 2.0 Assertion",
    ),
    "validator-robotics-badgeclass.json": (
        "Awesome Robotics Badge",
        "",
        "",
        "https://example.org/robotics-badge.json",
        (),
        "",
        "Open Badges 2.0 BadgeClass",
    ),
    "validator-badgeclass-inline-context.json": (
        "Example Badge",
        "",
        "",
        "http://example.org/badgeclass1",
        (),
        "",
        "Open Badges 2.0 BadgeClass",
    ),
    "badgr-assertion-embedded-badgeclass.json": (
        "Embedded badgeclass",
        "Basic Issuer",
        "",
        "urn:uuid:8b4efa06-41bc-4f53-a80d-e3d5e063c936",
        (),
        "do it",
        "Open Badges 2.0 Assertion",
    ),
}

# file -> every located problem, in order
REFUSED = {
    "spec-bare-achievement-fragment.INVALID.json": [
        "line 6, column 5: not valid JSON: Expecting ',' delimiter"
    ],
    "validator-simple-err-type.json": [
        'type: ["VerifiableCredential", "OtherCredential"] is a Verifiable Credential but not an '
        "Open Badge (no OpenBadgeCredential or AchievementCredential type)",
        "credentialSubject.achievement: missing",
    ],
    "validator-simple-err-issuer.json": [
        "issuer: missing (an Open Badges credential requires it)",
        "credentialSubject.achievement: missing",
    ],
    "validator-simple.jwt": ["vc.credentialSubject.achievement: missing"],
    "dcc-minimal-not-openbadge.json": [
        'type: ["VerifiableCredential"] is a Verifiable Credential but not an Open Badge '
        "(no OpenBadgeCredential or AchievementCredential type)",
        "credentialSubject.achievement: missing",
    ],
    "context-3.0.3.json": ["type: missing: this is not an Open Badge"],
    "context-v2.json": ["type: missing: this is not an Open Badge"],
    "spec-issuer-profile.json": [
        'type: "Issuer" is an issuer profile, not a badge: import the badge\'s own file '
        "(a BadgeClass or an Open Badges credential)"
    ],
    "spec-assertion-hosted.json": [
        "badge: only a URL (https://example.org/robotics-badge.json); nothing is fetched, so the "
        "badge's name, description and criteria are missing: import the BadgeClass file itself"
    ],
    "validator-basic-assertion.json": [
        "badge: only a URL (https://example.org/robotics-badge.json); nothing is fetched, so the "
        "badge's name, description and criteria are missing: import the BadgeClass file itself"
    ],
    "validator-signed-assertion.jwt": [
        "badge: only a URL (https://example.org/robotics-badge.json); nothing is fetched, so the "
        "badge's name, description and criteria are missing: import the BadgeClass file itself"
    ],
}


def test_every_fixture_is_either_expected_or_refused():
    files = {p.name for p in [*OB3.iterdir(), *OB2.iterdir()]}
    assert files == set(EXPECTED) | set(REFUSED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_imports_with_the_expected_fields(name):
    path = OB3 / name if (OB3 / name).exists() else OB2 / name
    imported = _read(path)
    c = imported.credential
    title, issuer, kind, url, skills, criteria, source = EXPECTED[name]
    assert (c.name, c.issuer, c.achievement_type, c.url, c.skills) == (
        title,
        issuer,
        kind,
        url,
        skills,
    )
    assert c.criteria.startswith(criteria)
    assert imported.source.startswith(source)
    assert c.description or name.startswith("validator-badgeclass-inline")
    assert c.id == new_id(c.name, set()) and c.id != "item"


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_with_located_messages(name):
    path = OB3 / name if (OB3 / name).exists() else OB2 / name
    with pytest.raises(Refused) as caught:
        _read(path)
    assert [str(p) for p in caught.value.problems] == REFUSED[name]
    assert str(caught.value).startswith(name + ": ")


def test_a_jws_says_it_was_not_verified():
    notes = _read(OB3 / "validator-velocity.jwt").notes
    assert any("signature was not verified" in n for n in notes)
    assert not any("not verified" in n for n in _read(OB3 / "validator-simple.json").notes)


def test_an_issuer_with_only_an_id_gives_no_issuer_name_and_says_so():
    imported = _read(OB3 / "dcc-issuer-as-string.json")
    assert imported.credential.issuer == ""
    assert imported.notes == (
        "issuer: only an id (did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q), which is "
        "not a name; the credential has no issuer name",
    )
    velocity = _read(OB3 / "validator-velocity.jwt")
    assert any(n.startswith("vc.issuer: no name, only an id (did:web:") for n in velocity.notes)


def test_urls_only_parts_are_named_as_missing():
    notes = _read(OB2 / "validator-robotics-badgeclass.json").notes
    assert notes == (
        "criteria: only a URL (https://example.org/badgecriteria.json); nothing is fetched, so "
        "the credential has no criteria text",
        "issuer: only a URL (https://example.org/organization.json); nothing is fetched, so the "
        "credential has no issuer name",
    )


def test_nonstrict_spec_examples_are_read_leniently_and_say_so():
    two = _read(OB2 / "spec-badgeclass-two-alignments.NONSTRICT.json").notes
    assert (
        "read leniently: a string in the file breaks across lines, which strict JSON forbids" in two
    )
    comma = _read(OB2 / "spec-assertion-embedded-badgeclass-issuer.NONSTRICT.json").notes
    assert "read leniently: the file has a trailing comma, which strict JSON forbids" in comma
    assert not any("breaks across lines" in n for n in comma)


def test_markdown_criteria_stay_readable():
    criteria = _read(OB3 / "mit-learn-course-certificate.json").credential.criteria
    assert criteria.splitlines()[1].startswith("- This can also be markdown")


def _png(text: bytes, keyword: bytes = b"openbadgecredential", compressed: bool = False) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    body = keyword + b"\0" + (b"\1\0" if compressed else b"\0\0") + b"\0\0"
    body += zlib.compress(text) if compressed else text
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"iTXt", body) + chunk(b"IEND", b"")


def test_a_baked_png_with_json_or_a_jws():
    credential = (OB3 / "validator-simple.json").read_bytes()
    imported = read_credential(_png(credential), "badge.png")
    assert imported.credential.name == "Teamwork"
    assert imported.source == "Open Badges 3.0 (VC 2.0), from a baked PNG"
    jws = (OB3 / "validator-simple-jwt-svg-verify-attribute.jws").read_bytes()
    assert read_credential(_png(jws, compressed=True), "b.png").source.endswith(
        "from a compact JWS in a baked PNG"
    )


def test_a_png_without_a_credential_is_refused():
    with pytest.raises(Refused, match="no baked credential"):
        read_credential(_png(b"{}", keyword=b"Comment"), "plain.png")


def test_an_svg_with_an_entity_bomb_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">&b;</svg>'
    )
    with pytest.raises(Refused, match="refused"):
        read_credential(bomb, "bomb.svg")


def test_an_svg_in_an_encoding_python_does_not_know_is_refused():
    svg = b'<?xml version="1.0" encoding="ATF-8"?><svg xmlns="http://www.w3.org/2000/svg"/>'
    with pytest.raises(Refused, match="not valid SVG: unknown encoding: ATF-8"):
        read_credential(svg, "badge.svg")


def test_a_jws_with_a_bad_payload_is_located():
    header = base64.urlsafe_b64encode(b'{"alg":"RS256"}').rstrip(b"=")
    with pytest.raises(Refused) as caught:
        read_credential(header + b".bm90IGpzb24." + b"sig", "x.jwt")
    assert str(caught.value.problems[0]).startswith("JWS payload: not base64url JSON")


def test_an_oversized_file_is_refused_before_parsing():
    with pytest.raises(Refused, match="bytes, more than"):
        read_credential(b" " * (9 * 1024 * 1024), "huge.json")


def test_non_latin_names_survive_and_get_readable_ids():
    doc = json.loads((OB3 / "spec-basic-openbadgecredential.json").read_text())
    for name, expected in (
        ("Цифровая грамотность", "tsifrovaya-gramotnost"),
        ("Ψηφιακός γραμματισμός", "psifiakos-grammatismos"),
    ):
        doc["credentialSubject"]["achievement"]["name"] = name
        doc["credentialSubject"]["achievement"]["description"] = name + " — описание"
        c = read_credential(json.dumps(doc, ensure_ascii=False).encode(), "x.json").credential
        assert (c.name, c.id) == (name, expected)
        assert c.description == name + " — описание"
    doc["credentialSubject"]["achievement"]["name"] = "数据素养"
    c = read_credential(json.dumps(doc, ensure_ascii=False).encode(), "x.json").credential
    assert c.name == "数据素养"
    assert c.id.startswith("credential-") and len(c.id) == len("credential-") + 6
    assert credential_id("数据素养", {c.id}) == c.id + "-2"
    assert credential_id("数据素养", set()) == c.id  # stable


def test_new_id_still_falls_back_to_item_for_its_own_callers():
    assert new_id("数据素养", set()) == "item"
