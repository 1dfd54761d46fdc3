"""Canvas cartridges: unpublished modules and items are no touchpoints, and the notes count them.

The fixtures are copies of the real Canvas export in tests/fixtures, with
``workflow_state`` in course_settings/module_meta.xml changed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from journeys.cartridge import read_cartridge_dir

REAL = (
    Path(__file__).parents[1]
    / "fixtures"
    / "interop"
    / "commoncartridge"
    / "canvas-cc13-course1-all-item-types"
)
META = "course_settings/module_meta.xml"
MODULE = "i02ce3f13d96fb86be0bfcbecfc2e42ed"  # First Module, unpublished in the real export
QUIZ = "i115b5cd9f1266b1f2919150dd0638e2c"  # First Module Quiz 1
DISCUSSION = "ie7d80229fb8dd74df99bb16503a58af7"  # First Module Discussion 1


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "course"
    shutil.copytree(REAL, folder)
    return folder


def _state(folder: Path, identifier: str, state: str) -> None:
    """Set the workflow_state of the module or item ``identifier`` in module_meta.xml."""
    path = folder / META
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(
        rf'(identifier="{identifier}">\s*(?:<[^w][^>]*>[^<]*</[^>]+>\s*)*)'
        r"<workflow_state>\w+</workflow_state>",
        rf"\1<workflow_state>{state}</workflow_state>",
        text,
    )
    assert count == 1, identifier
    path.write_text(changed, encoding="utf-8")


def _titles(draft) -> list[str]:
    return [t.title for t in draft.journey.touchpoints]


def test_unpublished_items_are_left_out_and_counted(tmp_path):
    folder = _copy(tmp_path)
    _state(folder, MODULE, "active")
    everything = _titles(read_cartridge_dir(folder))
    assert "First Module Quiz 1" in everything and "First Module Discussion 1" in everything
    _state(folder, QUIZ, "unpublished")
    _state(folder, DISCUSSION, "unpublished")
    draft = read_cartridge_dir(folder)
    titles = _titles(draft)
    assert titles == [
        t for t in everything if t not in ("First Module Quiz 1", "First Module Discussion 1")
    ]
    assert draft.journey.touchpoints[0].entry
    assert f"{META}: left out 2 unpublished items, which learners do not see" in draft.notes


def test_an_unpublished_module_is_left_out_with_its_items(tmp_path):
    folder = _copy(tmp_path)
    manifest = folder / "imsmanifest.xml"
    text = manifest.read_text(encoding="utf-8")
    second = (
        '<item identifier="published_module"><title>Second Module</title>'
        '<item identifier="second_page" identifierref="i0c940bd995254e5f0bf694dc5aaea005">'
        "<title>Second Module Page</title></item></item>"
    )
    text = text.replace(
        "      </item>\n    </organization>", f"{second}\n      </item>\n    </organization>"
    )
    manifest.write_text(text, encoding="utf-8")
    draft = read_cartridge_dir(folder)  # First Module stays unpublished, as in the real export
    assert [s.name for s in draft.journey.stages] == ["Second Module"]
    assert _titles(draft) == ["Second Module Page"]
    assert any(
        n.startswith(f"{META}: left out 1 unpublished module (with ") and "items)" in n
        for n in draft.notes
    ), draft.notes


def test_a_course_with_nothing_published_keeps_everything_and_says_so():
    draft = read_cartridge_dir(REAL)  # its only module is unpublished
    assert "First Module Quiz 1" in _titles(draft)
    assert any("everything in the course is unpublished" in n for n in draft.notes)


def test_without_module_meta_nothing_is_left_out(tmp_path):
    folder = _copy(tmp_path)
    (folder / META).unlink()
    draft = read_cartridge_dir(folder)
    assert "First Module Quiz 1" in _titles(draft)
    assert not any("unpublished" in n for n in draft.notes)
