"""Fuzzing the readers: random bytes and mutated real files never raise past the located refusal."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeys.cartridge import read_cartridge
from journeys.importing import Refused
from journeys.openbadges import read_credential
from journeys.skills import read_skills

INTEROP = Path(__file__).parents[1] / "fixtures" / "interop"
BADGES = sorted(p for d in ("ob3", "ob2") for p in (INTEROP / d).iterdir())
SKILLS = sorted((INTEROP / "rsd").iterdir())
CARTRIDGES = sorted((INTEROP / "commoncartridge").rglob("*.imscc"))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mutated(draw, paths):
    """Return a real file with a few bytes replaced, inserted or cut."""
    data = bytearray(draw(st.sampled_from(paths)).read_bytes())
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(("replace", "insert", "cut")))
        byte = draw(st.integers(0, 255))
        if action == "replace" and data:
            data[at] = byte
        elif action == "insert":
            data.insert(at, byte)
        else:
            del data[at : at + draw(st.integers(1, 200))]
    return bytes(data)


def _refused_or_read(read, data):
    try:
        read(data)
    except Refused as exc:
        assert exc.problems and all(str(p) for p in exc.problems)


@FUZZ
@given(st.binary(max_size=2000) | mutated(BADGES))
def test_credential_reader(data):
    _refused_or_read(lambda d: read_credential(d, "f"), data)


@FUZZ
@given(
    st.sampled_from(
        (
            b"eyJhbGciOiJub25lIn0.",
            b"<svg xmlns:o='https://purl.imsglobal.org/ob/v3p0'>",
            b"\x89PNG\r\n\x1a\n",
        )
    ).flatmap(lambda head: st.binary(max_size=400).map(lambda tail: head + tail))
)
def test_credential_reader_on_carrier_prefixes(data):
    _refused_or_read(lambda d: read_credential(d, "f"), data)


@FUZZ
@given(st.binary(max_size=2000) | mutated(SKILLS))
def test_skills_reader(data):
    _refused_or_read(lambda d: read_skills(d, "f"), data)


@FUZZ
@given(st.binary(max_size=2000) | mutated(CARTRIDGES))
def test_cartridge_reader_on_bytes(data):
    _refused_or_read(lambda d: read_cartridge(d, "f.imscc"), data)


MANIFEST = (
    INTEROP / "commoncartridge" / "canvas-cc13-course1-all-item-types" / "imsmanifest.xml"
).read_bytes()


@FUZZ
@given(
    mutated(
        [INTEROP / "commoncartridge" / "canvas-cc13-course1-all-item-types" / "imsmanifest.xml"]
    )
)
def test_cartridge_reader_on_mutated_manifests(manifest):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("imsmanifest.xml", manifest)
    _refused_or_read(lambda d: read_cartridge(d, "f.imscc"), buffer.getvalue())
