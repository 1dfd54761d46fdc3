"""The ``claimpath`` command line: exit codes, report formats, several files, validate, render."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

INVALID_TITLE = "  title: must not be blank"


@pytest.fixture
def gappy(tiny_document) -> dict[str, Any]:
    """Return the tiny document with a module before the issue email; nothing is explained."""
    tiny_document["touchpoints"].insert(1, {"id": "module", "title": "Module 1", "stage": "learn"})
    tiny_document["transitions"] = [
        {"from": "welcome", "to": "module"},
        {"from": "module", "to": "issued"},
    ]
    return tiny_document


@pytest.fixture
def only_warning(covered) -> dict[str, Any]:
    """Return ``covered`` with no employer touchpoint: one warning, nothing worse."""
    covered["touchpoints"][2]["owner"] = "career_services"
    return covered


@pytest.fixture
def only_info(covered) -> dict[str, Any]:
    """Return ``covered`` with no faculty voice: one info finding, nothing worse."""
    covered["touchpoints"][0]["owner"] = "issuer"
    return covered


# -- check: exit status -------------------------------------------------------------


def test_a_fully_covered_journey_passes(run, write_journey, covered):
    status, out, err = run("check", write_journey(covered))
    assert status == 0
    assert "Score 100/100" in out
    assert err == ""


def test_a_critical_gap_fails_the_check_by_default(run, write_journey, gappy):
    status, out, _ = run("check", write_journey(gappy))
    assert status == 1
    assert "CRITICAL (" in out


def test_fail_on_never_reports_but_passes(run, write_journey, gappy):
    status, out, _ = run("check", "--fail-on", "never", write_journey(gappy))
    assert status == 0
    assert "CRITICAL (" in out


@pytest.mark.parametrize(
    ("journey", "fail_on", "status"),
    [
        ("only_warning", "critical", 0),
        ("only_warning", "warning", 1),
        ("only_warning", "info", 1),
        ("only_info", "critical", 0),
        ("only_info", "warning", 0),
        ("only_info", "info", 1),
        ("gappy", "warning", 1),
        ("gappy", "info", 1),
        ("covered", "info", 0),
    ],
)
def test_the_check_fails_when_a_finding_is_at_or_above_fail_on(
    request, run, write_journey, journey, fail_on, status
):
    path = write_journey(request.getfixturevalue(journey))
    assert run("check", "--fail-on", fail_on, path)[0] == status


def test_an_invalid_journey_exits_2_and_lists_every_problem_on_stderr(
    run, write_journey, tiny_document
):
    tiny_document["title"] = " "
    tiny_document["touchpoints"][1]["stage"] = "enroll"
    path = write_journey(tiny_document)
    status, out, err = run("check", path)
    assert status == 2
    assert out == ""
    assert err.splitlines() == [
        f"{path}: invalid journey (2 problems)",
        INVALID_TITLE,
        "  touchpoints[1].stage: unknown stage 'enroll' (known: enrol, learn, award)",
    ]


def test_a_missing_file_exits_2_naming_the_file(run, tmp_path):
    path = tmp_path / "nowhere.json"
    status, _, err = run("check", path)
    assert status == 2
    assert str(path) in err
    assert "cannot read the file" in err


def test_malformed_json_exits_2_with_the_line_and_column(run, write_journey):
    status, _, err = run("check", write_journey('{\n  "title": ,\n}'))
    assert status == 2
    assert "  line 2, column 12: not valid JSON" in err


def test_a_yaml_journey_is_checked_like_json(run, write_journey, covered, tmp_path):
    import yaml

    path = tmp_path / "journey.yaml"
    path.write_text(yaml.safe_dump(covered), encoding="utf-8")
    assert run("check", path)[0] == 0


def test_an_unknown_option_is_a_usage_error(run, write_journey, covered):
    with pytest.raises(SystemExit) as caught:
        run("check", "--fail-on", "sometimes", write_journey(covered))
    assert caught.value.code == 2


# -- check: JSON report ---------------------------------------------------------------


def test_the_json_report_has_the_spec_shape(run, write_journey, gappy):
    status, out, _ = run("check", "--format", "json", write_journey(gappy))
    assert status == 1
    report = json.loads(out)
    # The spec's keys first, unchanged; issue 11 adds the headline and the top fixes after them.
    assert list(report) == [
        "format",
        "journey",
        "score",
        "findings",
        "checkpoints",
        "headline",
        "fixes",
    ]
    assert report["headline"].endswith("when it arrives.")
    assert report["fixes"] and all(f["gain"] > 0 for f in report["fixes"])
    assert any(f["draft"] and f["draft"]["text"] for f in report["fixes"])
    assert report["format"] == "claimpath-report/1"
    assert report["journey"] == {
        "title": "Data Literacy",
        "touchpoints": 3,
        "transitions": 2,
        "credentials": 1,
    }
    assert 0 <= report["score"] < 100
    for finding in report["findings"]:
        assert set(finding) >= {
            "rule",
            "severity",
            "credential",
            "touchpoint",
            "message",
            "witness",
            "summary",
            "advice",
        }
        assert ("coverage" in finding) == (finding["rule"] == "missing-message")
    claim = next(f for f in report["findings"] if f.get("message") == "claim")
    assert claim["witness"] == ["welcome", "module", "issued"]
    assert {c["by"] for c in report["checkpoints"]} == {"issue", "end"}
    for checkpoint in report["checkpoints"]:
        assert list(checkpoint) == [
            "credential",
            "message",
            "by",
            "touchpoint",
            "coverage",
            "arrival",
            "expected_share",
        ]


def test_the_json_report_of_a_covered_journey_has_no_findings(run, write_journey, covered):
    status, out, _ = run("check", "--format", "json", write_journey(covered))
    report = json.loads(out)
    assert (status, report["score"], report["findings"]) == (0, 100, [])
    assert len(report["checkpoints"]) == 7


# -- check: text report -----------------------------------------------------------------


def test_the_text_report_lists_critical_then_warning_then_info(run, write_journey, gappy):
    out = run("check", write_journey(gappy))[1]
    assert out.index("CRITICAL (") < out.index("WARNING (") < out.index("INFO (")


def test_the_text_report_shows_the_path_and_the_advice(run, write_journey, gappy):
    out = run("check", write_journey(gappy))[1]
    assert "     path: welcome → module → issued" in out
    assert "     advice: Show how to claim or accept it" in out


def test_the_text_report_has_no_colour_when_not_a_terminal(run, write_journey, gappy):
    out = run("check", write_journey(gappy))[1]
    assert "\x1b" not in out


def test_the_text_report_is_coloured_at_a_terminal_unless_no_color(
    run, write_journey, gappy, monkeypatch
):
    path = write_journey(gappy)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert "\x1b[" in run("check", path)[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in run("check", path)[1]


# -- check: several files -----------------------------------------------------------------


def test_several_files_are_checked_in_one_run(run, write_journey, covered, gappy):
    good = write_journey(covered, "good.json")
    bad = write_journey(gappy, "bad.json")
    status, out, _ = run("check", good, bad)
    assert status == 1
    assert out.startswith(f"== {good}\n")
    assert f"\n\n== {bad}\n" in out
    assert out.count("Score ") == 2


def test_several_files_give_one_json_report_per_line(run, write_journey, covered, gappy):
    good = write_journey(covered, "good.json")
    bad = write_journey(gappy, "bad.json")
    status, out, _ = run("check", "--format", "json", good, bad)
    reports = [json.loads(line) for line in out.splitlines()]
    assert [r["journey"]["title"] for r in reports] == ["Fully covered", "Data Literacy"]
    assert status == 1


def test_an_invalid_file_among_several_exits_2_and_the_others_are_still_checked(
    run, write_journey, covered, tiny_document
):
    tiny_document["title"] = ""
    good = write_journey(covered, "good.json")
    broken = write_journey(tiny_document, "broken.json")
    status, out, err = run("check", broken, good)
    assert status == 2
    assert f"== {good}" in out and "Score 100/100" in out
    assert err.startswith(f"{broken}: invalid journey (1 problem)\n")


# -- validate -------------------------------------------------------------------------------


def test_validate_passes_a_valid_file(run, write_journey, gappy):
    path = write_journey(gappy)
    status, out, err = run("validate", path)
    assert status == 0
    assert out.startswith(f"{path}: valid (")
    assert out.endswith(" 3 stages, 3 touchpoints, 2 transitions)\n")
    assert err == ""


def test_validate_counts_one_of_a_kind_in_the_singular(run, write_journey, tiny_document):
    tiny_document["stages"] = [tiny_document["stages"][2]]
    tiny_document["touchpoints"] = [tiny_document["touchpoints"][1]]
    tiny_document["transitions"] = []
    path = write_journey(tiny_document)
    assert run("validate", path)[1] == (
        f"{path}: valid (1 credential, 1 stage, 1 touchpoint, 0 transitions)\n"
    )


def test_validate_fails_an_invalid_file_with_its_problems(
    run, write_journey, covered, tiny_document
):
    tiny_document["title"] = ""
    good = write_journey(covered, "good.json")
    broken = write_journey(tiny_document, "broken.json")
    status, out, err = run("validate", good, broken)
    assert status == 2
    assert f"{good}: valid" in out
    assert err.splitlines() == [f"{broken}: invalid journey (1 problem)", INVALID_TITLE]


# -- render ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("suffix", "start"), [(".svg", b"<"), (".dot", b"digraph")])
def test_render_writes_the_diagram(run, write_journey, gappy, tmp_path, suffix, start):
    output = tmp_path / f"gaps{suffix}"
    status, out, _ = run("render", write_journey(gappy), "-o", output)
    assert status == 0
    assert out == f"wrote {output}\n"
    assert output.read_bytes().lstrip().startswith(start)
    if suffix == ".svg":
        assert b"<svg" in output.read_bytes()


def test_render_can_highlight_a_finding(run, write_journey, gappy, tmp_path):
    output = tmp_path / "gaps.dot"
    assert run("render", write_journey(gappy), "-o", output, "--finding", "1")[0] == 0
    assert output.exists()


def test_render_refuses_an_unknown_extension_naming_the_allowed_ones(
    run, write_journey, gappy, tmp_path
):
    output = tmp_path / "gaps.txt"
    status, _, err = run("render", write_journey(gappy), "-o", output)
    assert status == 2
    assert all(ext in err for ext in (".svg", ".png", ".pdf", ".dot"))
    assert not output.exists()


@pytest.mark.parametrize("number", ["0", "99", "-1"])
def test_render_refuses_a_finding_number_out_of_range(run, write_journey, gappy, tmp_path, number):
    output = tmp_path / "gaps.svg"
    status, _, err = run("render", write_journey(gappy), "-o", output, "--finding", number)
    assert status == 2
    assert f"--finding {number}: the journey has" in err
    assert not output.exists()


def test_render_refuses_an_invalid_journey(run, write_journey, tiny_document, tmp_path):
    tiny_document["title"] = ""
    output = tmp_path / "gaps.svg"
    status, _, err = run("render", write_journey(tiny_document), "-o", output)
    assert status == 2
    assert INVALID_TITLE in err.splitlines()
    assert not output.exists()


# -- the installed command ---------------------------------------------------------------------


def test_the_installed_claimpath_command_runs(write_journey, gappy):
    command = Path(sys.executable).with_name("claimpath")
    assert command.exists(), "the claimpath console script is not installed in this environment"
    done = subprocess.run(
        [str(command), "check", "--format", "json", str(write_journey(gappy))],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["format"] == "claimpath-report/1"
    assert done.stderr == ""
