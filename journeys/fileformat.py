"""Load and write journey files (``claimpath-journey/1``, JSON or YAML).

Loading checks the whole file and reports every problem at once, each with
its location (``touchpoints[3].stage: unknown stage 'enroll' (known: …)``);
nothing is half-loaded. Writing gives JSON that loads back to an equal
journey, keys always in the same order.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from journeys.errors import JourneyInvalid, Problem
from journeys.model import FORMAT, Journey, Touchpoint
from journeys.validation import from_data

__all__ = ["dumps", "from_data", "load", "loads", "parse", "to_data"]


def load(path: str | os.PathLike[str]) -> Journey:
    """Return the journey in the file at ``path``: YAML for ``.yaml``/``.yml``, a CSV of
    touchpoints for ``.csv`` (``docs/csv-import.md``, titled after the file), else JSON."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise JourneyInvalid(
            [Problem(str(path), f"cannot read the file ({exc.strerror})")]
        ) from None
    if path.suffix.lower() == ".csv":
        from journeys.csvformat import read_csv

        return read_csv(raw, None, path.stem)
    fmt = "yaml" if path.suffix.lower() in (".yaml", ".yml") else "json"
    return loads(raw, fmt)


def loads(text: str | bytes, fmt: str = "json") -> Journey:
    """Return the journey in ``text``, a JSON or YAML document (``fmt``)."""
    return from_data(parse(text, fmt))


def parse(text: str | bytes, fmt: str = "json") -> Any:
    """Return the plain data in a JSON or YAML document, or raise a located problem.

    >>> parse('{"a": [1, 2]}')
    {'a': [1, 2]}
    >>> parse('{"a": }')
    Traceback (most recent call last):
    ...
    journeys.errors.JourneyInvalid: 1 problem in the journey
      line 1, column 7: not valid JSON: Expecting value
    """
    if isinstance(text, bytes):
        raw = text
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise JourneyInvalid(
                [
                    Problem(
                        f"line {line}",
                        f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}",
                    )
                ]
            ) from None
    if not text.strip():
        raise JourneyInvalid([Problem("", "the file is empty")])
    if fmt == "yaml":
        return _parse_yaml(text)
    if fmt != "json":
        raise JourneyInvalid([Problem("", f"unknown file format {fmt!r} (known: json, yaml)")])
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise JourneyInvalid(
            [Problem(f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}")]
        ) from None
    except ValueError as exc:  # NaN, Infinity, or an integer with too many digits
        raise JourneyInvalid([Problem(_where_constant(text), f"not valid JSON: {exc}")]) from None
    except RecursionError:
        raise JourneyInvalid([Problem("", "not valid JSON: nested too deeply")]) from None


def _where_constant(text: str) -> str:
    """Return the line and column of the first NaN or Infinity outside a string, if any."""
    found = re.search(r'(?<![\w"])(?:NaN|-?Infinity)(?![\w"])', text)
    if not found:
        return ""
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return f"line {line}, column {column}"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number in a journey file")


def _parse_yaml(text: str) -> Any:
    import yaml  # only YAML files need it

    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "syntax error"
        raise JourneyInvalid([Problem(where, f"not valid YAML: {what}")]) from None
    except yaml.YAMLError as exc:
        raise JourneyInvalid([Problem("", f"not valid YAML: {exc}")]) from None
    except RecursionError:
        raise JourneyInvalid([Problem("", "not valid YAML: nested too deeply")]) from None


def to_data(journey: Journey) -> dict[str, Any]:
    """Return the journey as plain data in the file's key order."""
    return {
        "format": FORMAT,
        "title": journey.title,
        "description": journey.description,
        "credentials": [
            {
                "id": c.id,
                "name": c.name,
                "aliases": list(c.aliases),
                "description": c.description,
                "criteria": c.criteria,
                "skills": list(c.skills),
                "issuer": c.issuer,
                "requires_claim": c.requires_claim,
                **({"achievement_type": c.achievement_type} if c.achievement_type else {}),
                **({"url": c.url} if c.url else {}),
            }
            for c in journey.credentials
        ],
        "stages": [{"id": s.id, "name": s.name, "phase": s.phase} for s in journey.stages],
        "touchpoints": [_touchpoint_data(t) for t in journey.touchpoints],
        "transitions": [
            {"from": tr.from_, "to": tr.to, **({} if tr.share is None else {"share": tr.share})}
            for tr in journey.transitions
        ],
        "requirements": None
        if journey.requirements is None
        else [
            {"message": r.message, "by": r.by, "severity": r.severity} for r in journey.requirements
        ],
    }


def _touchpoint_data(t: Touchpoint) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": t.id,
        "title": t.title,
        "stage": t.stage,
        "channel": t.channel,
        "owner": t.owner,
        "audience": t.audience,
        "content": t.content,
        "messages": {cid: list(kinds) for cid, kinds in t.messages.items()},
        "issues": list(t.issues),
        "reach": t.reach,
        "entry": t.entry,
    }
    if t.entry_share is not None:
        data["entry_share"] = t.entry_share
    return data


def dumps(journey: Journey) -> str:
    """Return the journey as a JSON document that :func:`loads` reads back unchanged."""
    return json.dumps(to_data(journey), indent=2, ensure_ascii=False) + "\n"
