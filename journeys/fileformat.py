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
    """Return the journey in the file at ``path``, checked whole against the file format.

    The extension picks the reader: YAML for ``.yaml`` and ``.yml``, a CSV of
    touchpoints for ``.csv`` (``docs/csv-import.md``, titled after the file),
    JSON for anything else.

    Parameters
    ----------
    path : str or os.PathLike
        The journey file.

    Returns
    -------
    Journey
        The journey; nothing is half-loaded.

    Raises
    ------
    JourneyInvalid
        When the file cannot be read or breaks the format. Its ``problems``
        list every problem at once, each with its location in the file.

    See Also
    --------
    loads : the same from text already in hand.
    dumps : the way back to a file.

    Examples
    --------
    >>> from pathlib import Path
    >>> import journeys
    >>> examples = Path(journeys.__file__).parent / "examples"
    >>> journey = load(examples / "staff-pd-badge.json")
    >>> journey.title, len(journey.touchpoints), [c.id for c in journey.credentials]
    ('Riverbend University: Microcredential Designer staff badge', 12, ['mc-designer'])
    >>> load(examples / "no-such-journey.json").title
    Traceback (most recent call last):
    ...
    journeys.errors.JourneyInvalid: 1 problem in the journey
      .../no-such-journey.json: cannot read the file (No such file or directory)
    """
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
    """Return the journey in ``text``, a JSON or YAML document, checked whole.

    Parameters
    ----------
    text : str or bytes
        The document; bytes must be UTF-8 (a byte-order mark is allowed).
    fmt : {"json", "yaml"}
        How ``text`` is written.

    Returns
    -------
    Journey
        The journey, equal to what :func:`load` gives for the same document.

    Raises
    ------
    JourneyInvalid
        When ``text`` is not UTF-8, not valid JSON or YAML, or breaks the file
        format (``journey-format.md``). Its ``problems`` list every problem at
        once, each with its location, such as ``touchpoints[3].stage``.

    See Also
    --------
    load : the same from a file, CSV included.
    dumps : the way back.

    Examples
    --------
    >>> journey = loads('''{"format": "claimpath-journey/1", "title": "Tiny",
    ...     "credentials": [{"id": "b", "name": "Badge"}],
    ...     "stages": [{"id": "s", "name": "Award", "phase": "issue"}],
    ...     "touchpoints": [{"id": "mail", "title": "Issue email", "stage": "s",
    ...                      "issues": ["b"]}]}''')
    >>> journey.title, [t.id for t in journey.touchpoints], journey.entries
    ('Tiny', ['mail'], ('mail',))
    >>> loads("title: Tiny", "yaml")
    Traceback (most recent call last):
    ...
    journeys.errors.JourneyInvalid: 4 problems in the journey
      format: required: 'claimpath-journey/1'
      credentials: required: at least one credential
      stages: required: at least one stage
      touchpoints: required: at least one touchpoint
    """
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
    """Return the journey as a JSON document that :func:`loads` reads back unchanged.

    Keys come in the file format's order, every field written out (defaults
    included), indented by two spaces, non-ASCII text kept as it is.

    Parameters
    ----------
    journey : Journey
        Any journey, loaded or built by hand.

    Returns
    -------
    str
        A ``claimpath-journey/1`` JSON document ending in a newline.

    See Also
    --------
    loads, load : the way back.

    Examples
    --------
    >>> from journeys.model import Credential, Journey, Stage, Touchpoint
    >>> journey = Journey("Tiny", (Credential("b", "Badge"),), (Stage("s", "Award", "issue"),),
    ...                   (Touchpoint("mail", "Issue email", "s", issues=("b",)),))
    >>> text = dumps(journey)
    >>> text.splitlines()[:3]
    ['{', '  "format": "claimpath-journey/1",', '  "title": "Tiny",']
    >>> loads(text) == journey
    True
    """
    return json.dumps(to_data(journey), indent=2, ensure_ascii=False) + "\n"
