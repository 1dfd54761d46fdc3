"""`claimpath check --observed`, `calibrate`, `export` and Mermaid `import` (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "journeys" / "examples" / "promoted-data-literacy.json"
MERMAID = ROOT / "tests" / "fixtures" / "interop" / "mermaid"


@pytest.fixture
def outcomes(tmp_path):
    path = tmp_path / "outcomes.csv"
    path.write_text(
        "credential,cohort,issued,claimed,shared\n"
        "Data Literacy Badge,2026-03,100,40,10\n"
        "Unknown Badge,,10,5,1\n"
    )
    return path


def test_check_observed_json_adds_observed_and_flags_and_keeps_the_report(run, outcomes):
    status, plain, _ = run("check", EXAMPLE, "--format", "json", "--fail-on", "never")
    status2, out, err = run(
        "check", EXAMPLE, "--format", "json", "--fail-on", "never", "--observed", outcomes
    )
    assert status == status2 == 0
    report, before = json.loads(out), json.loads(plain)
    assert {k: report[k] for k in before} == before
    assert report["observed"] == [
        {
            "credential": "data-lit",
            "cohort": "2026-03",
            "issued": 100,
            "claimed": 40,
            "shared": 10,
            "claim_rate": 0.4,
            "share_rate": 0.25,
            "expected_claim_share": 0.92,
            "expected_share_share": 0.9875,
        }
    ]
    assert [(f["message"], f["points"]) for f in report["observed_flags"]] == [
        ("claim", -52),
        ("share", -74),
    ]
    assert report["unmatched"] == ["Unknown Badge"]
    assert "no credential of the journey is called 'Unknown Badge'" in err


def test_check_observed_text_says_what_a_gap_may_mean(run, outcomes):
    _, out, _ = run("check", EXAMPLE, "--observed", outcomes)
    assert "Data Literacy Badge (2026-03): 100 issued; claimed 40% (model 92%)" in out
    assert "claim gap -52 points: Fewer learners claimed" in out
    assert "not matched: 'Unknown Badge'" in out


def test_a_bad_outcomes_file_exits_2_with_a_located_message(run, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("credential,issued,claimed\nData Literacy Badge,10,20\n")
    status, out, err = run("check", EXAMPLE, "--observed", bad)
    assert status == 2 and out == ""
    assert "line 2, column claimed: 20 claimed is more than 10 issued" in err
    assert "Traceback" not in err


def test_calibrate_prints_the_fitted_factor_and_the_fit(run, outcomes):
    status, out, _ = run("calibrate", EXAMPLE, "--observed", outcomes)
    assert status == 0
    assert out.startswith("Reach factor: ")
    assert "typical gap 52 points before, 0 points after" in out


def test_calibrate_with_nothing_to_fit_exits_2(run, tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("credential,issued,claimed\nOther,10,5\n")
    status, _, err = run("calibrate", EXAMPLE, "--observed", path)
    assert status == 2 and "nothing to fit" in err


def test_export_and_import_mermaid_round_trip(run, tmp_path):
    diagram = tmp_path / "j.mmd"
    status, out, _ = run("export", EXAMPLE, "-o", diagram)
    assert status == 0 and out == f"wrote {diagram}\n"
    assert diagram.read_text().startswith("journey\n  title Northbridge University")
    back = tmp_path / "j.json"
    status, out, err = run("import", diagram, "-o", back)
    assert status == 0 and "(8 stages, 12 touchpoints)" in out
    assert "one called 'Credential' was added" in err
    assert json.loads(back.read_text())["format"] == "claimpath-journey/1"


def test_import_refuses_a_stray_line_with_its_number(run, tmp_path):
    status, _, err = run(
        "import", MERMAID / "cypress-title-styling-stray-line.mmd", "-o", tmp_path / "x.json"
    )
    assert status == 2
    assert "line 21: 'size: 2rem' is not a task" in err
    assert not (tmp_path / "x.json").exists()


def test_export_wants_an_mmd_file(run, tmp_path):
    status, _, err = run("export", EXAMPLE, "-o", tmp_path / "x.svg")
    assert status == 2 and ".mmd" in err
