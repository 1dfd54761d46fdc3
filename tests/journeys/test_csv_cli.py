"""claimpath check and validate read a touchpoint CSV, and say every problem in one pass."""

from __future__ import annotations

import json

from journeys.cli import main
from journeys.fileformat import load

GOOD = """stage,phase,title,messages,issues,entry,next
Enrol,discover,Welcome email,Data Badge: earned,,yes,Module
Learn,learn,Module,,Data Badge,,
"""

BAD = """stage,phase,title,messages,reach,next
Learn,learn,Welcome,Badge: earned,2,Nowhere
Learn,,Module,Badge: gossip,abc,
Share,,Post it,,,
"""


def test_load_reads_a_csv_titled_after_the_file(tmp_path):
    path = tmp_path / "touchpoints.csv"
    path.write_text(GOOD, encoding="utf-8")
    journey = load(path)
    assert journey.title == "touchpoints"
    assert [t.title for t in journey.touchpoints] == ["Welcome email", "Module"]
    assert [(tr.from_, tr.to) for tr in journey.transitions] == [("welcome-email", "module")]


def test_check_analyses_a_csv(tmp_path, capsys):
    path = tmp_path / "touchpoints.csv"
    path.write_text(GOOD, encoding="utf-8")
    status = main(["check", "--format", "json", str(path)])
    report = json.loads(capsys.readouterr().out)
    assert status in (0, 1)
    assert report  # the same report a JSON journey gets


def test_every_problem_of_a_bad_csv_is_said_at_once(tmp_path, capsys):
    path = tmp_path / "touchpoints.csv"
    path.write_text(BAD, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    # The reader's own problems and the loader's, each located by row and column, in row order.
    expected = [
        "row 2, column next: no row has the title or id 'Nowhere'",
        "row 2, column reach: 2 is out of range",
        "row 3, column reach: 'abc' is not a number",
        "row 3, column messages: 'gossip' is not a message kind",
        "row 4, column phase: the new stage 'Share' needs a phase",
    ]
    lines = [line.strip() for line in err.splitlines()[1:]]
    assert len(lines) == len(expected)
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start)
    assert "invalid journey (5 problems)" in err
    assert main(["check", str(path)]) == 2
