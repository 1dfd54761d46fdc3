"""The credential, import and guide verbs: located messages and exit 2 on bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from journeys.cli import main
from journeys.fileformat import load

INTEROP = Path(__file__).parents[1] / "fixtures" / "interop"
SANDBOX = (
    INTEROP
    / "commoncartridge"
    / "canvas-cc11-sandbox-course"
    / "sample-public-sandbox-course-export.imscc"
)


def _run(capsys, *args):
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def test_credential_prints_the_journey_files_credential_object(capsys):
    status, out, err = _run(
        capsys, "credential", INTEROP / "ob3" / "spec-skill-assertion-case.json"
    )
    assert status == 0
    data = json.loads(out)
    assert data["name"] == "Robot Programming"
    assert data["achievement_type"] == "Competency"
    assert data["url"] == "https://example.com/achievements/robotics/robot-programming"
    assert "read as Open Badges 3.0 (VC 2.0)" in err


def test_a_jws_says_it_was_not_verified(capsys):
    status, _, err = _run(capsys, "credential", INTEROP / "ob3" / "validator-velocity.jwt")
    assert status == 0 and "signature was not verified" in err


def test_a_refused_file_exits_2_with_a_located_message(capsys):
    path = INTEROP / "ob3" / "validator-simple-err-type.json"
    status, out, err = _run(capsys, "credential", path)
    assert (status, out) == (2, "")
    assert f"{path}: type: " in err and "credentialSubject.achievement: missing" in err
    assert "Traceback" not in err
    status, _, err = _run(
        capsys, "credential", INTEROP / "ob3" / "spec-bare-achievement-fragment.INVALID.json"
    )
    assert status == 2 and "line 6, column 5: not valid JSON" in err


def test_into_adds_then_replaces_by_url_keeping_the_id(capsys, tmp_path):
    journey = tmp_path / "j.json"
    assert _run(capsys, "import", SANDBOX, "-o", journey)[0] == 0
    before = load(journey)
    badge = INTEROP / "ob3" / "spec-basic-openbadgecredential.json"
    status, out, _ = _run(capsys, "credential", badge, "--into", journey)
    assert (status, out.strip()) == (0, f"{journey}: added credential 'teamwork'")
    status, out, _ = _run(
        capsys,
        "credential",
        INTEROP / "ob3" / "validator-simple.json",
        "--into",
        journey,
        "--skills",
        INTEROP / "rsd" / "osmt-skills-import.csv",
    )
    assert (status, out.strip()) == (
        0,
        f"{journey}: replaced credential 'teamwork' (same url or name)",
    )
    after = load(journey)
    assert len(after.credentials) == len(before.credentials) + 1
    assert after.credentials[-1].skills == (
        "Data and Data Store Access",
        "Large-Scale Web Application Build",
    )


def test_import_a_course_with_a_badge(capsys, tmp_path):
    out_path = tmp_path / "course.json"
    status, out, err = _run(
        capsys,
        "import",
        SANDBOX,
        "-o",
        out_path,
        "--credential",
        INTEROP / "ob2" / "badgr-assertion-embedded-badgeclass.json",
    )
    assert status == 0
    assert out.strip() == f"wrote {out_path} (2 stages, 10 touchpoints)"
    journey = load(out_path)
    assert journey.credentials[0].name == "Embedded badgeclass"
    assert [s.name for s in journey.stages] == [
        "Student Orientation to Canvas",
        "Quizzes, Practice Quizzes, Surveys",
    ]
    assert _run(capsys, "check", out_path, "--fail-on", "never")[0] == 0


def test_import_refuses_unknown_extensions_and_bad_archives(capsys, tmp_path):
    status, _, err = _run(capsys, "import", tmp_path / "x.docx", "-o", tmp_path / "o.json")
    assert status == 2 and "cannot tell what it is; use one of" in err and ".imscc" in err
    bad = tmp_path / "bad.imscc"
    bad.write_bytes(b"not a zip")
    status, _, err = _run(capsys, "import", bad, "-o", tmp_path / "o.json")
    assert status == 2 and f"{bad}: not a cartridge: not a zip archive" in err
    assert not (tmp_path / "o.json").exists()


def test_guide_json_md_html_and_bad_input(capsys, tmp_path):
    journey = tmp_path / "j.json"
    shutil.copy(
        Path(__file__).parents[2] / "journeys" / "examples" / "promoted-data-literacy.json", journey
    )
    status, out, _ = _run(
        capsys,
        "guide",
        journey,
        "--credential",
        "data-lit",
        "--issued",
        "2027-03",
        "--cert-url",
        "https://b.example/1",
        "--cert-id",
        "A1",
        "--organization-id",
        "42",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert status == 0
    assert (
        "organizationId=42&issueYear=2027&issueMonth=3&certUrl=https%3A%2F%2Fb.example%2F1&certId=A1"
        in data["linkedin_url"]
    )
    assert {s["id"] for s in data["sections"]} == {
        "linkedin",
        "portfolio",
        "cv",
        "application",
        "interview",
    }
    assert _run(capsys, "guide", journey, "--credential", "data-lit")[1].startswith("# Share your")
    assert (
        "<!doctype html>"
        in _run(capsys, "guide", journey, "--credential", "data-lit", "--format", "html")[1]
    )
    for args, message in (
        (("--credential", "nope"), "--credential nope: no such credential (known: data-lit)"),
        (("--credential", "data-lit", "--issued", "2027-00"), "--issued: '2027-00' is not a month"),
        (
            ("--credential", "data-lit", "--cert-url", "javascript:x"),
            "--cert-url: 'javascript:x' is not a web address",
        ),
    ):
        status, out, err = _run(capsys, "guide", journey, *args)
        assert (status, out) == (2, "") and message in err
