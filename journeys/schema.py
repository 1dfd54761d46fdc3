"""The JSON Schema (2020-12) of the journey file, built from the model's own constants.

Editors and other tools can check a journey file against :func:`schema`
(``claimpath schema > journey.schema.json``). It says what the file's shape
is; the loader (:mod:`journeys.validation`) still checks what a schema cannot,
such as references between ids and shares adding up past 1, and says every
problem in the spec's words.
"""

from __future__ import annotations

import json
from typing import Any

from journeys.model import (
    CHECKPOINT_KINDS,
    FORMAT,
    ID_PATTERN,
    MESSAGE_KINDS,
    OWNERS,
    PHASES,
    SEVERITIES,
)

__all__ = ["schema", "schema_text"]

_ID: dict[str, Any] = {"type": "string", "pattern": f"^{ID_PATTERN}$"}
_TEXT: dict[str, Any] = {"type": "string"}
_SHARE: dict[str, Any] = {"type": "number", "minimum": 0, "maximum": 1}


def _words(values: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def _object(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


def schema() -> dict[str, Any]:
    """Return the JSON Schema of a ``claimpath-journey/1`` file.

    Returns
    -------
    dict
        A JSON Schema, draft 2020-12, whose enums are the model's vocabularies.

    Examples
    --------
    >>> s = schema()
    >>> s["properties"]["format"]["const"]
    'claimpath-journey/1'
    >>> s["$defs"]["stage"]["properties"]["phase"]["enum"][:3]
    ['discover', 'learn', 'earn']
    """
    credential = _object(
        ["id", "name"],
        {
            "id": _ID,
            "name": _TEXT,
            "aliases": {"type": "array", "items": _TEXT},
            "description": _TEXT,
            "criteria": _TEXT,
            "skills": {"type": "array", "items": _TEXT},
            "issuer": _TEXT,
            "requires_claim": {"type": "boolean"},
            "achievement_type": _TEXT,
            "url": _TEXT,
        },
    )
    stage = _object(["id", "name", "phase"], {"id": _ID, "name": _TEXT, "phase": _words(PHASES)})
    touchpoint = _object(
        ["id", "title", "stage"],
        {
            "id": _ID,
            "title": _TEXT,
            "stage": _ID,
            "channel": _TEXT,
            "owner": _words(OWNERS),
            "audience": _words(OWNERS),
            "content": _TEXT,
            "messages": {
                "type": "object",
                "propertyNames": _ID,
                "additionalProperties": {
                    "type": "array",
                    "items": _words(MESSAGE_KINDS),
                    "uniqueItems": True,
                },
            },
            "issues": {"type": "array", "items": _ID},
            "reach": _SHARE,
            "entry": {"type": "boolean"},
            "entry_share": {"type": "number", "minimum": 0},
        },
    )
    transition = _object(["from", "to"], {"from": _ID, "to": _ID, "share": _SHARE})
    requirement = _object(
        ["message", "by"],
        {
            "message": _words(MESSAGE_KINDS),
            "by": _words(CHECKPOINT_KINDS),
            "severity": _words(SEVERITIES),
        },
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://claimpath.example/schema/claimpath-journey-1.json",
        "title": "Claimpath journey file",
        "type": "object",
        "required": ["format", "title", "credentials", "stages", "touchpoints"],
        "properties": {
            "format": {"const": FORMAT},
            "title": _TEXT,
            "description": _TEXT,
            "credentials": {
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/$defs/credential"},
            },
            "stages": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/stage"}},
            "touchpoints": {
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/$defs/touchpoint"},
            },
            "transitions": {"type": "array", "items": {"$ref": "#/$defs/transition"}},
            "requirements": {
                "type": ["array", "null"],
                "items": {"$ref": "#/$defs/requirement"},
            },
        },
        "$defs": {
            "credential": credential,
            "stage": stage,
            "touchpoint": touchpoint,
            "transition": transition,
            "requirement": requirement,
        },
    }


def schema_text() -> str:
    """Return :func:`schema` as indented JSON text, ending in a newline."""
    return json.dumps(schema(), indent=2) + "\n"
