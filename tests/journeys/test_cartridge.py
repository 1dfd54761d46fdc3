"""Drafting a journey from IMS Common Cartridge exports: every sample, and hostile archives."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from journeys.analysis import analyse
from journeys.cartridge import LIMITS, read_cartridge, read_cartridge_dir
from journeys.fileformat import dumps, loads
from journeys.importing import Refused
from journeys.model import Credential

CC = Path(__file__).parents[1] / "fixtures" / "interop" / "commoncartridge"


def _draft(sample: str, credential: Credential | None = None):
    folder = CC / sample
    zips = list(folder.glob("*.imscc"))
    if zips:
        return read_cartridge(zips[0].read_bytes(), zips[0].name, credential)
    return read_cartridge_dir(folder, credential)


# sample -> (version, title, [(stage name, touchpoint count)], first titles, channels)
EXPECTED = {
    "canvas-cc13-ally-accessibility-workshop": (
        "1.3",
        "Ally: Accessibility Workshop",
        [
            ("Part 1: Overview: Accessibility and ALLY", 5),
            ('Part 2: "Before" courses', 1),
            ('Part 3:  "After" courses', 3),
            ("More on Accessibility", 1),
        ],
    ),
    "canvas-cc11-sandbox-course": (
        "1.1",
        "Sample Public Sandbox Course",
        [("Student Orientation to Canvas", 5), ("Quizzes, Practice Quizzes, Surveys", 5)],
    ),
    "libretexts-cc11-thin-weblinks": (
        "1.1",
        "ENGL 3330: Approaches to Literature",
        [(None, None)] * 12,
    ),
    "brightspace-thincc13-nested-weblink": (
        "1.3 (Thin)",
        "Communications Lab, Section 001",
        [("Unit 1", 1)],
    ),
    "canvas-cc13-course1-all-item-types": (
        "1.3",
        "COURSE-for-modules-testing",
        [("First Module", None)],
    ),
    "cc2olx-cc13-multi-type-fixture": ("1.3", None, [("Sequence", None), ("Sequence2", None)]),
}


def test_every_sample_is_covered():
    assert {p.name for p in CC.iterdir() if p.is_dir()} == set(EXPECTED)


@pytest.mark.parametrize("sample", sorted(EXPECTED))
def test_sample_drafts_a_valid_journey_with_modules_as_stages(sample):
    draft = _draft(sample)
    version, title, stages = EXPECTED[sample]
    j = draft.journey
    assert draft.version == version
    if title:
        assert j.title == title
    assert len(j.stages) == len(stages)
    for stage, (name, count) in zip(j.stages, stages, strict=True):
        if name:
            assert stage.name == name.strip()
        if count:
            assert sum(t.stage == stage.id for t in j.touchpoints) == count
    # course order: one chain of transitions, the first item is the entry
    assert [t.id for t in j.touchpoints if t.entry] == [j.touchpoints[0].id]
    assert [(tr.from_, tr.to) for tr in j.transitions] == [
        (a.id, b.id) for a, b in zip(j.touchpoints, j.touchpoints[1:], strict=False)
    ]
    assert loads(dumps(j)) == j
    analyse(j)


def test_libretexts_web_links_are_on_the_web_with_their_urls():
    j = _draft("libretexts-cc11-thin-weblinks").journey
    assert len(j.touchpoints) == 54
    assert {t.channel for t in j.touchpoints} == {"web"}
    assert (
        j.touchpoints[0].title
        == "1.1: Literary Snapshot- Alice’s Adventures in Wonderland"[: len(j.touchpoints[0].title)]
    )
    assert j.touchpoints[0].content.startswith("Link: https://")
    assert j.touchpoints[0].content.endswith("?contentOnly")


def test_nested_items_are_flattened_and_titles_unescaped():
    j = _draft("brightspace-thincc13-nested-weblink").journey
    (t,) = j.touchpoints
    assert (t.title, t.channel) == ("i <3 ffmpeg", "web")


def test_html_text_becomes_readable_content():
    j = _draft("canvas-cc13-ally-accessibility-workshop").journey
    by_title = {t.title: t for t in j.touchpoints}
    topic = by_title["Accessibility in your life"]
    assert topic.channel == "lms"
    assert topic.content.startswith("Please share the role of accessibility in your life;")
    assert "<p>" not in topic.content and "&lt;" not in topic.content
    assert "Accessibility means options." in topic.content
    badge = by_title["Badge: ALLY Badge"]
    assert "canvabadges" in badge.content


def test_unresolved_items_are_kept_and_reported_with_their_element():
    notes = _draft("canvas-cc13-ally-accessibility-workshop").notes
    assert any(
        n.startswith(
            'imsmanifest.xml <item identifier="i13442c5afafed6d3772988be7b51ac01">: '
            "refers to no resource"
        )
        for n in notes
    )


def test_channels_follow_resource_types():
    j = _draft("canvas-cc13-course1-all-item-types").journey
    channels = {t.title: t.channel for t in j.touchpoints}
    assert channels["First Module Assignment 1"] == "lms"
    assert channels["First Module Quiz 1"] == "lms"
    assert channels["First Module Discussion 1"] == "lms"
    assert channels["First Module Wiki Page 1"] == "lms"
    assert channels["First Module External URL 1"] == "web"
    assert "First Module Text Header 1" not in channels


def test_instructor_text_is_not_learner_content():
    j = _draft("cc2olx-cc13-multi-type-fixture").journey
    tv = next(t for t in j.touchpoints if t.title.startswith("Assignment 2"))
    essay = next(t for t in j.touchpoints if t.title.startswith("Assignment 1"))
    assert tv.content == ""
    assert essay.content


def test_the_credential_given_is_mentioned_where_the_course_names_it():
    badge = Credential("ally-badge", "ALLY Badge", description="d", criteria="c", skills=("s",))
    j = _draft("canvas-cc13-ally-accessibility-workshop", badge).journey
    assert j.credentials == (badge,)
    from journeys.mentions import mentions

    found = mentions(j)
    named = [t.title for t in j.touchpoints if "ally-badge" in found[t.id]]
    assert "Badge: ALLY Badge" in named


def test_without_a_badge_file_the_placeholder_says_so():
    draft = _draft("brightspace-thincc13-nested-weblink")
    assert draft.journey.credentials[0].name == "Communications Lab, Section 001 credential"
    assert any("no badge file given" in n for n in draft.notes)


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


MANIFEST = (CC / "canvas-cc13-course1-all-item-types" / "imsmanifest.xml").read_bytes()


def test_a_zip_bomb_is_refused_before_unpacking():
    bomb = _zip({"imsmanifest.xml": MANIFEST, "big.html": b"\0" * (30 * 1024 * 1024)})
    with pytest.raises(Refused) as caught:
        read_cartridge(bomb, "bomb.imscc")
    assert "entry 'big.html': unpacks to" in str(caught.value)
    assert "zip bomb" in str(caught.value)


def test_too_many_files_are_refused(monkeypatch):
    monkeypatch.setitem(LIMITS, "files", 3)
    data = _zip({"imsmanifest.xml": MANIFEST, **{f"f{i}.html": b"x" for i in range(4)}})
    with pytest.raises(Refused, match="5 files, more than 3 allowed"):
        read_cartridge(data, "many.imscc")


@pytest.mark.parametrize("evil", ["../evil.html", "/etc/passwd", "a/../../evil", "C:/x.html"])
def test_a_path_escaping_entry_is_refused(evil):
    data = _zip({"imsmanifest.xml": MANIFEST, evil: b"<p>x</p>"})
    with pytest.raises(Refused) as caught:
        read_cartridge(data, "escape.imscc")
    assert str(caught.value) == f"escape.imscc: entry {evil!r}: the path escapes the archive"


def test_an_href_that_escapes_is_not_followed():
    manifest = MANIFEST.replace(b'href="wiki_content/', b'href="../../wiki_content/', 1)
    draft = read_cartridge(_zip({"imsmanifest.xml": manifest}), "c.imscc")
    assert any("escapes the archive, not followed" in n for n in draft.notes)


def test_xml_entity_expansion_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE manifest [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b'<manifest xmlns="http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1">&c;</manifest>'
    )
    with pytest.raises(Refused) as caught:
        read_cartridge(_zip({"imsmanifest.xml": bomb}), "entities.imscc")
    assert str(caught.value).startswith(
        "entities.imscc: imsmanifest.xml: refused: the XML declares"
    )


def test_an_external_entity_is_refused():
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE manifest [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<manifest xmlns="http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1">&x;</manifest>'
    )
    with pytest.raises(Refused, match="imsmanifest.xml: refused"):
        read_cartridge(_zip({"imsmanifest.xml": xxe}), "xxe.imscc")


def test_broken_xml_is_located_by_file_line_and_column():
    with pytest.raises(Refused) as caught:
        read_cartridge(
            _zip({"imsmanifest.xml": b"<manifest>\n  <organizations>\n</manifest>"}), "b.imscc"
        )
    assert str(caught.value).startswith(
        "b.imscc: imsmanifest.xml: line 3, column 3: not well-formed XML"
    )


def test_an_encoding_python_does_not_know_is_refused_with_the_file():
    manifest = b'<?xml version="1.0" encoding="ATF-8"?>\n<manifest/>'
    with pytest.raises(Refused) as caught:
        read_cartridge(_zip({"imsmanifest.xml": manifest}), "b.imscc")
    assert str(caught.value) == (
        "b.imscc: imsmanifest.xml: not readable XML: unknown encoding: ATF-8"
    )


def test_not_a_zip_and_no_manifest_are_refused():
    with pytest.raises(Refused, match="not a zip archive"):
        read_cartridge(b"hello", "x.imscc")
    with pytest.raises(Refused, match="imsmanifest.xml: missing"):
        read_cartridge(_zip({"other.xml": b"<a/>"}), "x.imscc")
