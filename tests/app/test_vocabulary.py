"""The engine's vocabulary reaches every screen from one place, in the engine's words."""

from __future__ import annotations

import re
from pathlib import Path

from journeys.model import CHANNELS, MESSAGE_MEANINGS

ROOT = Path(__file__).resolve().parents[2]


def test_the_touchpoint_page_explains_each_message_in_the_specs_words(signed_in, journey_id):
    page = signed_in.get(f"/journeys/{journey_id}/touchpoints/module/edit").get_data(as_text=True)
    for meaning in MESSAGE_MEANINGS.values():
        assert f"The learner is told {meaning}." in page
    offered = re.findall(
        r'<option value="([^"]*)">', page.split('id="channels"')[1].split("</datalist>")[0]
    )
    assert offered == list(CHANNELS)


def test_info_is_info_on_the_map_and_the_report(signed_in, journey_id):
    summary = signed_in.get(f"/journeys/{journey_id}").get_data(as_text=True)
    assert " note" not in summary.lower().replace("notes", "")
    report = signed_in.get(f"/journeys/{journey_id}/report").get_data(as_text=True)
    assert "ℹ Info" in report or "info" in report


def test_the_meanings_are_written_down_once():
    sources = [
        p
        for folder in ("app", "templates", "bench", "journeys")
        for p in (ROOT / folder).rglob("*")
        if p.suffix in {".py", ".html"}
    ]
    meaning = "how and where to share it: LinkedIn, e-portfolio"
    assert [p.name for p in sources if meaning in p.read_text()] == ["model.py"]


def test_the_suggested_channels_are_written_down_once():
    """A screen or template that spells out its own channel list drifts from the engine's."""
    quoted = re.compile("['\"](" + "|".join(CHANNELS) + ")['\"]")
    sources = [
        p for folder in ("app", "templates") for p in (ROOT / folder).rglob("*") if p.is_file()
    ]
    listed = [
        f"{p.relative_to(ROOT)}:{number}"
        for p in sources
        if p.suffix in {".py", ".html"}
        for number, line in enumerate(p.read_text().splitlines(), start=1)
        if len(set(quoted.findall(line))) >= 3
    ]
    assert listed == []
