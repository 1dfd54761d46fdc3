"""Read a CSV of touchpoints into journey file data (the columns: docs/csv-import.md).

This only translates the spreadsheet's mini-syntax into the journey file's
shape; whether the result is a valid journey is the engine loader's call,
and its problems are translated back to rows and columns.
"""

from __future__ import annotations

import copy
import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from journeys import fileformat
from journeys import model as engine
from journeys.errors import JourneyInvalid, Problem
from journeys.model import new_id

__all__ = ["COLUMNS", "REQUIRED", "read_csv"]

#: Every column the importer reads, in the order the docs list them.
COLUMNS: tuple[str, ...] = (
    "stage",
    "title",
    "channel",
    "owner",
    "audience",
    "content",
    "messages",
    "next",
    "id",
    "phase",
    "issues",
    "entry",
    "reach",
)
REQUIRED: tuple[str, ...] = ("stage", "title")
_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"", "no", "n", "false", "0"}
_SHARE = re.compile(r"^(?P<name>.*?)\s*\(\s*(?P<value>[0-9.]+)\s*(?P<percent>%?)\s*\)$")
_LOCATION = re.compile(r"touchpoints\[(\d+)\](?:\.(\w+))?")


@dataclass
class _Build:
    """The journey data being built, and where each part came from in the CSV."""

    data: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    #: touchpoint index -> CSV row number
    rows: list[int] = field(default_factory=list)
    #: transition index -> CSV row number
    transition_rows: list[int] = field(default_factory=list)
    #: credential or stage id -> (row, column) that created it
    created: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)

    def fail(self, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(f"row {row}, column {column}", message))


def read_csv(raw: bytes, base: dict[str, Any] | None, title: str) -> engine.Journey:
    """Return the journey a CSV of touchpoints describes, or raise with every problem located.

    ``base`` is the journey file data the touchpoints go into (its credentials
    and stages are kept, its touchpoints and transitions replaced), or None
    for a new journey called ``title``. Credentials and stages the CSV names
    that ``base`` lacks are added.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise JourneyInvalid(
            [Problem("", f"the file is not UTF-8 text (byte {exc.start}); save it as CSV UTF-8")]
        ) from None
    data = copy.deepcopy(base) if base is not None else _empty(title)
    data["touchpoints"], data["transitions"] = [], []
    build = _Build(data)
    records = _records(text, build)
    if not records:
        raise JourneyInvalid(build.problems)
    _touchpoints(records, build)
    try:
        journey = fileformat.from_data(build.data)
    except JourneyInvalid as exc:
        # Say the loader's problems with the reader's, in one pass: a cell the reader
        # already refused is not reported a second time in the loader's words.
        said = {p.location for p in build.problems}
        located = [p for p in (_locate(p, build) for p in exc.problems) if p.location not in said]
        raise JourneyInvalid(sorted(build.problems + located, key=_row)) from None
    if build.problems:
        raise JourneyInvalid(sorted(build.problems, key=_row))
    return journey


def _row(problem: Problem) -> int:
    """Return the CSV row a problem is about, 0 for the file as a whole, to sort by."""
    match = re.match(r"row (\d+)", problem.location)
    return int(match.group(1)) if match else 0


def _empty(title: str) -> dict[str, Any]:
    return {
        "format": engine.FORMAT,
        "title": title,
        "description": "",
        "credentials": [],
        "stages": [],
        "touchpoints": [],
        "transitions": [],
        "requirements": None,
    }


def _records(text: str, build: _Build) -> list[tuple[int, dict[str, str]]]:
    """Return (row number, cells by column) for every non-blank row after the header."""
    if not text.strip():
        build.problems.append(Problem("", "the file is empty"))
        return []
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip().lower() for h in next(reader)]
        rows = list(reader)
    except csv.Error as exc:
        build.problems.append(Problem(f"row {reader.line_num}", f"not valid CSV: {exc}"))
        return []
    unknown = [h for h in header if h and h not in COLUMNS]
    for h in unknown:
        build.fail(1, h, f"unknown column (known: {', '.join(COLUMNS)})")
    for h in REQUIRED:
        if h not in header:
            build.fail(1, h, "this column is required")
    if build.problems:
        return []
    records = []
    for number, cells in enumerate(rows, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            build.problems.append(
                Problem(f"row {number}", f"{len(cells)} cells but only {len(header)} columns")
            )
            continue
        records.append((number, {h: c.strip() for h, c in zip(header, cells, strict=False) if h}))
    if not records and not build.problems:
        build.problems.append(Problem("", "no touchpoints: the file has a header but no rows"))
    return records


def _lookup(items: list[dict[str, Any]], label: str) -> dict[str, str]:
    """Return ids of ``items`` by lowercased id, name and aliases."""
    found: dict[str, str] = {}
    for item in items:
        for name in [item["id"], item.get(label, ""), *item.get("aliases", [])]:
            found.setdefault(str(name).strip().lower(), item["id"])
    return found


def _touchpoints(records: list[tuple[int, dict[str, str]]], build: _Build) -> None:
    data = build.data
    stages = _lookup(data["stages"], "name")
    credentials = _lookup(data["credentials"], "name")
    ids: dict[str, int] = {}
    titles: dict[str, list[str]] = {}
    for number, cells in records:
        tid = cells.get("id") or new_id(cells.get("title", ""), set(ids))
        if tid in ids:
            build.fail(number, "id", f"duplicate id {tid!r} (also in row {ids[tid]})")
        ids[tid] = number
        titles.setdefault(cells.get("title", "").lower(), []).append(tid)
        cells["id"] = tid

    for number, cells in records:
        touchpoint: dict[str, Any] = {
            "id": cells["id"],
            "title": cells.get("title", ""),
            "stage": _stage(number, cells, stages, build),
        }
        for column in ("channel", "content"):
            if cells.get(column):
                touchpoint[column] = cells[column]
        for column in ("owner", "audience"):
            if cells.get(column):
                touchpoint[column] = cells[column].lower().replace(" ", "_")
        messages = _messages(number, cells.get("messages", ""), credentials, build)
        if messages:
            touchpoint["messages"] = messages
        issues = [
            _credential(number, "issues", name, credentials, build)
            for name in _split(cells.get("issues", ""), ";")
        ]
        if issues:
            touchpoint["issues"] = issues
        entry = cells.get("entry", "").lower()
        if entry in _TRUE:
            touchpoint["entry"] = True
        elif entry not in _FALSE:
            build.fail(number, "entry", f"{cells['entry']!r}: write yes or no")
        if cells.get("reach"):
            touchpoint["reach"] = _number(number, "reach", cells["reach"], build)
        build.rows.append(number)
        data["touchpoints"].append(touchpoint)

    for number, cells in records:
        for part in _split(cells.get("next", ""), ";"):
            target, share = part, None
            match = _SHARE.match(part)
            if match:
                target = match.group("name")
                share = _number(
                    number, "next", match.group("value") + match.group("percent"), build
                )
            to = _touchpoint(number, target, ids, titles, build)
            if to is not None:
                transition: dict[str, Any] = {"from": cells["id"], "to": to}
                if share is not None:
                    transition["share"] = share
                data["transitions"].append(transition)
                build.transition_rows.append(number)


def _split(cell: str, separator: str) -> list[str]:
    return [part.strip() for part in cell.split(separator) if part.strip()]


def _number(number: int, column: str, text: str, build: _Build) -> Any:
    """Return ``0.8`` for ``0.8`` or ``80%``; the engine checks the range."""
    try:
        value = float(text.rstrip("%").strip())
    except ValueError:
        build.fail(number, column, f"{text!r} is not a number (write 0.8 or 80%)")
        return None
    return value / 100 if text.endswith("%") else value


def _stage(number: int, cells: dict[str, str], stages: dict[str, str], build: _Build) -> str:
    name = cells.get("stage", "")
    if not name:
        build.fail(number, "stage", "required")
        return ""
    if name.lower() in stages:
        return stages[name.lower()]
    phase = cells.get("phase", "").lower()
    if not phase:
        build.fail(
            number,
            "phase",
            f"the new stage {name!r} needs a phase (one of: {', '.join(engine.PHASES)})",
        )
    sid = new_id(name, {s["id"] for s in build.data["stages"]})
    build.data["stages"].append({"id": sid, "name": name, "phase": phase})
    build.created["stage", sid] = (number, "phase")
    stages[name.lower()] = sid
    stages[sid] = sid
    return sid


def _credential(
    number: int, column: str, name: str, credentials: dict[str, str], build: _Build
) -> str:
    if name.lower() in credentials:
        return credentials[name.lower()]
    cid = new_id(name, {c["id"] for c in build.data["credentials"]})
    build.data["credentials"].append({"id": cid, "name": name})
    build.created["credential", cid] = (number, column)
    credentials[name.lower()] = cid
    credentials[cid] = cid
    return cid


def _messages(
    number: int, cell: str, credentials: dict[str, str], build: _Build
) -> dict[str, list[str]]:
    messages: dict[str, list[str]] = {}
    for part in _split(cell, ";"):
        name, colon, kinds = part.partition(":")
        if not colon or not name.strip():
            build.fail(
                number,
                "messages",
                f"{part!r}: write the credential, a colon and its message kinds, "
                "e.g. Data Literacy Badge: earned, represents",
            )
            continue
        cid = _credential(number, "messages", name.strip(), credentials, build)
        messages.setdefault(cid, []).extend(k.strip().lower() for k in _split(kinds, ","))
    return messages


def _touchpoint(
    number: int, name: str, ids: dict[str, int], titles: dict[str, list[str]], build: _Build
) -> str | None:
    if name in ids:
        return name
    matches = titles.get(name.lower(), [])
    if len(matches) == 1:
        return matches[0]
    if matches:
        build.fail(number, "next", f"{name!r} is the title of several rows: refer to one by its id")
    else:
        build.fail(number, "next", f"no row has the title or id {name!r}")
    return None


def _locate(problem: Problem, build: _Build) -> Problem:
    """Return an engine problem located by CSV row and column instead of file path."""
    match = _LOCATION.match(problem.location)
    if match:
        index, column = int(match.group(1)), match.group(2) or "title"
        column = {"entry_share": "entry"}.get(column, column)
        return Problem(f"row {build.rows[index]}, column {column}", problem.message)
    match = re.match(r"transitions\[(\d+)\]", problem.location)
    if match:
        return Problem(
            f"row {build.transition_rows[int(match.group(1))]}, column next", problem.message
        )
    for kind in ("credentials", "stages"):
        match = re.match(kind + r"\[(\d+)\]", problem.location)
        if match:
            item = build.data[kind][int(match.group(1))]
            where = build.created.get((kind[:-1], item["id"]))
            if where:
                return Problem(f"row {where[0]}, column {where[1]}", problem.message)
    return problem
