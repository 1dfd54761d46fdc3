"""What every importer of third-party files shares: the refusal, size bounds, tolerant JSON.

Files from badge platforms, skills libraries and learning management systems
are untrusted: each reader bounds their size before parsing and refuses a bad
file with :class:`Refused`, whose problems name where in the file they are.

>>> read_json(b'{"name": "Robotics",}', "badge.json")[0]
{'name': 'Robotics'}
>>> read_json(b'{"a": ...}', "x.json")
Traceback (most recent call last):
...
journeys.importing.Refused: x.json: line 1, column 7: not valid JSON: Expecting value
"""

from __future__ import annotations

import json
import re
import unicodedata
import zlib
from typing import Any

from journeys.errors import JourneyError, Problem
from journeys.model import Credential, Journey, new_id

__all__ = [
    "MAX_FILE_BYTES",
    "Refused",
    "add_credential",
    "credential_id",
    "read_json",
    "read_text",
]

#: The largest file any importer reads (a baked PNG badge included).
MAX_FILE_BYTES = 8 * 1024 * 1024


class Refused(JourneyError, ValueError):
    """A file an importer will not read; ``problems`` says where and why, ``source`` names it."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        lines = [str(p) for p in self.problems]
        head = f"{source}: " if source else ""
        super().__init__(head + ("\n  ".join(lines) if len(lines) != 1 else lines[0]))


def check_size(data: bytes, source: str, limit: int = MAX_FILE_BYTES) -> None:
    """Raise :class:`Refused` when ``data`` is empty or larger than ``limit`` bytes."""
    if len(data) > limit:
        raise Refused(
            source, [Problem("", f"{len(data):,} bytes, more than the {limit:,} allowed")]
        )
    if not data.strip():
        raise Refused(source, [Problem("", "the file is empty")])


def read_text(data: bytes, source: str) -> str:
    """Return ``data`` decoded as UTF-8 (a byte-order mark allowed), or raise a located refusal."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise Refused(
            source,
            [
                Problem(
                    f"line {line}", f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}"
                )
            ],
        ) from None


def read_json(data: bytes | str, source: str) -> tuple[Any, list[str]]:
    """Return the JSON value in ``data`` and notes on what had to be tolerated.

    Strict JSON first. Where that fails, the two slips the Open Badges
    specification's own examples make are forgiven: raw line breaks inside a
    string and a trailing comma. Anything else is refused at the strict
    parser's line and column.
    """
    text = read_text(data, source) if isinstance(data, bytes) else data
    try:
        return json.loads(text, parse_constant=_no_constant), []
    except json.JSONDecodeError as exc:
        first = exc
    except (ValueError, RecursionError) as exc:
        raise Refused(source, [Problem("", f"not valid JSON: {_short(exc)}")]) from None
    notes = []
    uncommaed = _drop_trailing_commas(text)
    try:
        value = json.loads(uncommaed, strict=False, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise Refused(
            source,
            [Problem(f"line {first.lineno}, column {first.colno}", f"not valid JSON: {first.msg}")],
        ) from None
    if uncommaed != text:
        notes.append("read leniently: the file has a trailing comma, which strict JSON forbids")
    try:
        json.loads(uncommaed, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        notes.append(
            "read leniently: a string in the file breaks across lines, which strict JSON forbids"
        )
    return value, notes


def _short(exc: BaseException) -> str:
    return "nested too deeply" if isinstance(exc, RecursionError) else str(exc)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _drop_trailing_commas(text: str) -> str:
    """Return ``text`` without commas that stand right before ``}`` or ``]`` outside strings."""
    out: list[str] = []
    in_string = escaped = False
    pending = -1  # index in out of a comma that may be trailing
    for ch in text:
        if in_string:
            out.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch in "}]" and pending >= 0:
            out[pending] = ""
        if not ch.isspace():
            pending = -1
        if ch == ",":
            pending = len(out)
        elif ch == '"':
            in_string = True
        out.append(ch)
    return "".join(out)


def inflate(data: bytes, source: str, where: str, limit: int) -> bytes:
    """Return zlib-compressed ``data`` inflated, refusing more than ``limit`` bytes out."""
    engine = zlib.decompressobj()
    try:
        out = engine.decompress(data, limit + 1)
    except zlib.error as exc:
        raise Refused(source, [Problem(where, f"cannot decompress: {exc}")]) from None
    if len(out) > limit:
        raise Refused(source, [Problem(where, f"expands to more than {limit:,} bytes")])
    return out


_GREEK = dict(
    zip(
        "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώϊϋΐΰς",
        "a b g d e z i th i k l m n x o p r s t y f ch ps o a e i i o y o i y i y s".split(),
        strict=True,
    )
)
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
        (
            "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i i ie g"
        ).split(),
        strict=True,
    )
)


def _transliterate(text: str) -> str:
    """Return ``text`` with Greek and Cyrillic letters spelt in Latin letters."""
    out = []
    for ch in text:
        low = ch.lower()
        latin = _GREEK.get(low) or _CYRILLIC.get(low)
        out.append("" if latin == "-" else latin if latin else ch)
    return "".join(out)


def credential_id(name: str, taken: set[str]) -> str:
    """Return a readable credential id for ``name``, never the bare ``item`` fallback.

    Latin text (accents dropped) and Greek or Cyrillic (transliterated) give a
    slug; a name with no letters of those scripts, such as Chinese or Arabic,
    gives ``credential-`` and a short stable form of the name.

    >>> credential_id("Data Literacy Badge", set())
    'data-literacy-badge'
    >>> credential_id("Цифровая грамотность", set())
    'tsifrovaya-gramotnost'
    >>> credential_id("数据素养", set())
    'credential-4efebb'
    """
    plain = _transliterate(unicodedata.normalize("NFC", name))
    slug = new_id(plain, set())
    if slug == "item" and re.sub(r"[^a-z0-9]", "", plain.lower()) != "item":
        digest = zlib.crc32(name.strip().encode("utf-8")) & 0xFFFFFF
        slug = f"credential-{digest:06x}"
    return new_id(slug, taken)


def add_credential(journey: Journey, credential: Credential) -> tuple[Journey, str]:
    """Return ``journey`` with ``credential`` added, and the id it replaced ("" if none).

    A credential with the same ``url`` (where both have one) or the same name,
    ignoring case, is replaced in place and keeps its id and aliases, so that
    every touchpoint that refers to it still does.
    """
    import dataclasses

    def same(c: Credential) -> bool:
        if credential.url and c.url:
            return c.url == credential.url
        return c.name.casefold() == credential.name.casefold()

    for i, old in enumerate(journey.credentials):
        if same(old):
            new = dataclasses.replace(
                credential,
                id=old.id,
                aliases=old.aliases or credential.aliases,
                requires_claim=old.requires_claim,
            )
            credentials = (*journey.credentials[:i], new, *journey.credentials[i + 1 :])
            return dataclasses.replace(journey, credentials=credentials), old.id
    taken = {c.id for c in journey.credentials}
    if credential.id in taken:
        credential = dataclasses.replace(credential, id=credential_id(credential.name, taken))
    return dataclasses.replace(journey, credentials=(*journey.credentials, credential)), ""
