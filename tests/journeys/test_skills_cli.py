"""`claimpath skills`: add an RSD or CASE file's skills to a credential already in a journey."""

from __future__ import annotations

import json
from pathlib import Path

from journeys.cli import main
from journeys.fileformat import load
from tests.conftest import TINY

RSD = Path(__file__).parents[1] / "fixtures" / "interop" / "rsd"


def _run(capsys, *args):
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def _journey(tmp_path, skills=("Reading charts",)) -> Path:
    document = json.loads(json.dumps(TINY))
    document["credentials"][0]["skills"] = list(skills)
    path = tmp_path / "journey.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_skills_are_appended_in_order_without_duplicates(tmp_path, capsys):
    journey = _journey(tmp_path, ["data and data store access"])
    skills = RSD / "osmt-skills-import.csv"
    status, out, err = _run(capsys, "skills", skills, "--credential", "data-lit", "--into", journey)
    assert status == 0, err
    assert "read as OSMT skills CSV" in err
    added = load(journey).credential_by_id["data-lit"].skills
    assert added == ("data and data store access", "Large-Scale Web Application Build")
    assert "added 1 skill to credential 'data-lit' (1 already there)" in out
    status, out, _ = _run(capsys, "skills", skills, "--credential", "data-lit", "--into", journey)
    assert status == 0
    assert "added 0 skills" in out
    assert load(journey).credential_by_id["data-lit"].skills == added


def test_case_package_skills_are_added(tmp_path, capsys):
    journey = _journey(tmp_path)
    case = RSD / "opensalt-case-cfpackage-minimal.json"
    status, _, err = _run(capsys, "skills", case, "--credential", "data-lit", "--into", journey)
    assert status == 0, err
    skills = load(journey).credential_by_id["data-lit"].skills
    assert skills[0] == "Reading charts" and len(skills) > 1


def test_a_bad_skills_file_is_located_exit_2_and_the_journey_unchanged(tmp_path, capsys):
    journey = _journey(tmp_path)
    before = journey.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text('{"skills": [\n  {"name": }\n]}', encoding="utf-8")
    status, out, err = _run(capsys, "skills", bad, "--credential", "data-lit", "--into", journey)
    assert status == 2 and out == ""
    assert str(bad) in err and "line 2" in err
    assert "Traceback" not in err
    assert journey.read_bytes() == before


def test_an_unknown_credential_is_exit_2_naming_the_known_ones(tmp_path, capsys):
    journey = _journey(tmp_path)
    skills = RSD / "osmt-rsd-v3-skill.json"
    status, _, err = _run(capsys, "skills", skills, "--credential", "nope", "--into", journey)
    assert status == 2
    assert "--credential nope: no such credential" in err and "data-lit" in err
