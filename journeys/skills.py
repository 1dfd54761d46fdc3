"""Read skill names from a skills library: Rich Skill Descriptors (OSMT) and CASE packages.

Accepted: an OSMT Rich Skill Descriptor as JSON (API v2 or v3 shape), a list
of them, OSMT's CSV (its export, with ``RSD Name``, or its import template,
with ``Skill Name``), and a CASE ``CFPackage`` (each ``CFItems[].fullStatement``).
The names come out in file order, each once, for a credential's ``skills``.

>>> read_skills(b"RSD Name,Skill Statement\\nRead charts,Reads charts.\\n", "s.csv").skills
('Read charts',)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from journeys.errors import Problem
from journeys.importing import Refused, check_size, read_json, read_text

__all__ = ["SkillsRead", "merge_skills", "read_skills"]

_MAX_BYTES = 4 * 1024 * 1024
_MAX_SKILLS = 2000
_MAX_SKILL = 500
_CSV_NAMES = ("RSD Name", "Skill Name")


@dataclass(frozen=True)
class SkillsRead:
    """Skill names read from a file, what kind of file it was, and what to know."""

    skills: tuple[str, ...]
    source: str
    notes: tuple[str, ...] = ()


def merge_skills(have: Sequence[str], new: Sequence[str]) -> tuple[tuple[str, ...], int]:
    """Return ``have`` with the skills of ``new`` not in it appended, and how many were added.

    Skills compare without regard to case; the first spelling is kept.

    >>> merge_skills(["Read charts"], ["read charts", "Draw maps", "DRAW MAPS"])
    (('Read charts', 'Draw maps'), 1)
    """
    seen = {s.casefold() for s in have}
    merged = list(have)
    for skill in new:
        if skill.casefold() not in seen:
            seen.add(skill.casefold())
            merged.append(skill)
    return tuple(merged), len(merged) - len(have)


def read_skills(data: bytes, name: str = "") -> SkillsRead:
    """Return the skill names in ``data``, an RSD JSON, OSMT CSV or CASE CFPackage file.

    Raises
    ------
    Refused
        When the file is none of these, or holds no skill; every problem is located.
    """
    check_size(data, name, _MAX_BYTES)
    text = read_text(data, name)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        value, notes = read_json(text, name)
        return _from_json(value, name, notes)
    return _from_csv(text, name)


def _from_json(value: Any, name: str, notes: list[str]) -> SkillsRead:
    if isinstance(value, dict) and "CFItems" in value:
        return _from_case(value, name, notes)
    items: list[tuple[str, Any]]
    if isinstance(value, list):
        items = [(f"[{i}]", v) for i, v in enumerate(value)]
    elif isinstance(value, dict) and isinstance(value.get("skills"), list):  # a collection
        items = [(f"skills[{i}]", v) for i, v in enumerate(value["skills"])]
    else:
        items = [("", value)]
    skills, problems = [], []
    for where, item in items:
        if not isinstance(item, dict):
            problems.append(Problem(where, "expected a Rich Skill Descriptor object"))
            continue
        skill = item.get("skillName")
        if not isinstance(skill, str) or not skill.strip():
            what = "missing" if skill is None else "expected text"
            if where == "" and "type" in item and item.get("type") != "RichSkillDescriptor":
                what += f": type {item.get('type')!r} is not a RichSkillDescriptor"
            problems.append(Problem(f"{where}.skillName" if where else "skillName", what))
            continue
        skills.append(skill)
    if problems:
        raise Refused(name, problems)
    shape = "v3" if any(isinstance(v, dict) and "authors" in v for _, v in items) else "v2"
    return _result(skills, f"Rich Skill Descriptor JSON (OSMT {shape})", notes, name)


def _from_case(package: dict[str, Any], name: str, notes: list[str]) -> SkillsRead:
    items = package.get("CFItems")
    if not isinstance(items, list):
        raise Refused(name, [Problem("CFItems", "expected a list of CFItem objects")])
    skills, problems = [], []
    for i, item in enumerate(items):
        statement = item.get("fullStatement") if isinstance(item, dict) else None
        if not isinstance(statement, str) or not statement.strip():
            problems.append(Problem(f"CFItems[{i}].fullStatement", "missing"))
            continue
        skills.append(statement)
    if problems:
        raise Refused(name, problems)
    document = package.get("CFDocument")
    title = document.get("title") if isinstance(document, dict) else None
    source = "CASE CFPackage" + (f" '{title}'" if isinstance(title, str) else "")
    return _result(skills, source, notes, name)


def _from_csv(text: str, name: str) -> SkillsRead:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, [])
        column = next((header.index(h) for h in _CSV_NAMES if h in header), None)
        if column is None:
            raise Refused(
                name,
                [
                    Problem(
                        "line 1",
                        "not an OSMT skills CSV: no 'RSD Name' or 'Skill Name' column "
                        f"(found: {', '.join(h for h in header[:8] if h) or 'nothing'})",
                    )
                ],
            )
        skills, notes = [], []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            cell = row[column].strip() if column < len(row) else ""
            if cell:
                skills.append(cell)
            else:
                notes.append(f"line {reader.line_num}: no skill name, row left out")
    except csv.Error as exc:
        raise Refused(name, [Problem(f"line {reader.line_num}", f"not valid CSV: {exc}")]) from None
    kind = "export" if header[column] == "RSD Name" else "import template"
    return _result(skills, f"OSMT skills CSV ({kind})", notes, name)


def _result(skills: list[str], source: str, notes: list[str], name: str) -> SkillsRead:
    cleaned = [" ".join(s.split()) for s in skills]
    if not cleaned:
        raise Refused(name, [Problem("", "no skill in the file")])
    notes = list(notes)
    if any(len(s) > _MAX_SKILL for s in cleaned):
        notes.append(f"skills longer than {_MAX_SKILL} characters are cut short")
        cleaned = [s[:_MAX_SKILL] for s in cleaned]
    unique = tuple(dict.fromkeys(cleaned))
    if len(unique) > _MAX_SKILLS:
        raise Refused(name, [Problem("", f"{len(unique)} skills, at most {_MAX_SKILLS}")])
    return SkillsRead(unique, source, tuple(notes))
