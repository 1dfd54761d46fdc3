"""Check parsed journey data against the file format and build the journey.

Every problem is collected, each with its location in the file
(``touchpoints[3].stage: unknown stage 'enroll' (known: …)``), before anything
is built: a journey either loads whole or not at all.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from journeys.errors import JourneyInvalid, Problem
from journeys.model import (
    AUDIENCES,
    CHECKPOINT_KINDS,
    FORMAT,
    ID_PATTERN,
    MESSAGE_KINDS,
    OWNERS,
    PHASES,
    SEVERITIES,
    Credential,
    Journey,
    Requirement,
    Stage,
    Touchpoint,
    Transition,
)

__all__ = ["from_data"]

_ID = re.compile(ID_PATTERN)
_SHARE_TOLERANCE = 1e-9
_MAX_TITLE = 200
_MAX_CHANNEL = 40
_MAX_CONTENT = 20_000
_MAX_ACHIEVEMENT_TYPE = 100
_MAX_URL = 2_000


def from_data(data: Any) -> Journey:
    """Return the journey described by parsed file data, or raise with every problem found."""
    return _Reader().journey(data)


def _kind(value: Any) -> str:
    """Return what a value is called in the file, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _key(location: str, key: str) -> str:
    """Return the location of ``key`` inside the object at ``location``."""
    part = f".{key}" if _ID.fullmatch(key) else f"[{json.dumps(key)}]"
    return f"{location}{part}" if location else part.lstrip(".")


def _known(values: Iterable[str], most: int = 12) -> str:
    """Return the known values for a message, the first ``most`` of a long list.

    >>> _known(["a", "b"]), _known([]), _known(map(str, range(20)), most=3)
    ('a, b', 'none', '0, 1, 2 and 17 more')
    """
    values = list(values)
    if not values:
        return "none"
    more = f" and {len(values) - most} more" if len(values) > most else ""
    return ", ".join(values[:most]) + more


class _Reader:
    """Walk parsed data once, collecting every problem before building the journey."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, location: str, message: str) -> None:
        self.problems.append(Problem(location, message))

    # -- typed field readers: each returns a usable value or the default -------

    def obj(self, value: Any, location: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.fail(location, f"expected an object, got {_kind(value)}")
        return None

    def items(self, data: dict[str, Any], key: str, location: str) -> list[Any]:
        value = data.get(key)
        if value is None:
            return []
        if isinstance(value, list):
            return value
        self.fail(_key(location, key), f"expected a list, got {_kind(value)}")
        return []

    def text(
        self,
        data: dict[str, Any],
        key: str,
        location: str,
        *,
        default: str | None = "",
        limit: int | None = None,
        name: bool = False,
    ) -> str:
        value = data.get(key)
        if isinstance(value, str):  # the common case, without building a location
            trimmed = value.strip() if name else value
            if (trimmed or not name) and (limit is None or len(trimmed) <= limit):
                return trimmed
        where = _key(location, key)
        if value is None:
            if default is None:
                self.fail(where, "required")
            return default or ""
        if not isinstance(value, str):
            self.fail(where, f"expected a string, got {_kind(value)}")
            return default or ""
        if name:
            value = value.strip()
            if not value:
                self.fail(where, "must not be blank")
        if limit is not None and len(value) > limit:
            self.fail(where, f"{len(value)} characters, at most {limit} allowed")
        return value

    def strings(self, data: dict[str, Any], key: str, location: str) -> tuple[str, ...]:
        out = []
        for i, value in enumerate(self.items(data, key, location)):
            if isinstance(value, str):
                out.append(value)
            else:
                self.fail(f"{_key(location, key)}[{i}]", f"expected a string, got {_kind(value)}")
        return tuple(out)

    def choice(
        self,
        data: dict[str, Any],
        key: str,
        location: str,
        allowed: tuple[str, ...],
        default: str | None,
    ) -> str:
        value = data.get(key)
        if value is None and default is not None:
            return default
        if value in allowed:
            return value
        where = _key(location, key)
        if value is None:
            self.fail(where, f"required (one of: {_known(allowed)})")
        else:
            self.fail(where, f"{_show(value)} is not one of: {_known(allowed)}")
        return default or allowed[0]

    def flag(self, data: dict[str, Any], key: str, location: str, default: bool) -> bool:
        value = data.get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        self.fail(_key(location, key), f"expected true or false, got {_kind(value)}")
        return default

    def number(
        self,
        data: dict[str, Any],
        key: str,
        location: str,
        *,
        low: float = 0.0,
        high: float | None = 1.0,
    ) -> float | None:
        value = data.get(key)
        if value is None:
            return None
        if type(value) in (int, float) and low <= value and (high is None or value <= high):
            if value < 1e308:  # NaN fails the comparisons; huge integers stop here
                return float(value)
        where = _key(location, key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(where, f"expected a number, got {_kind(value)}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(where, f"expected a finite number, got {value}")
            return None
        if value < low or (high is not None and value > high) or value >= 1e308:
            shown = (
                f"{value:g}" if isinstance(value, float) or abs(value) < 1e15 else "a huge number"
            )
            span = f"from {low:g} to {high:g}" if high is not None else f"{low:g} or more"
            self.fail(where, f"{shown} is out of range: must be {span}")
            return None
        return float(value)

    def ident(self, data: dict[str, Any], location: str, seen: dict[str, str]) -> str:
        value = data.get("id")
        if isinstance(value, str) and value not in seen and _ID.fullmatch(value):
            seen[value] = location
            return value
        where = _key(location, "id")
        if value is None:
            self.fail(where, "required")
            return ""
        if not isinstance(value, str):
            self.fail(where, f"expected a string, got {_kind(value)}")
            return ""
        if not _ID.fullmatch(value):
            self.fail(
                where,
                f"{_show(value)} is not a valid id: use 1 to 64 lowercase letters, digits, "
                "'-' or '_', starting with a letter or digit",
            )
            return ""
        if value in seen:
            self.fail(where, f"duplicate id {value!r} (also at {seen[value]})")
            return ""
        seen[value] = location
        return value

    def listed(
        self, data: dict[str, Any], key: str, location: str, read: Callable[[Any, str], Any]
    ) -> list[Any]:
        """Read every element of a list field with ``read``, dropping the broken ones."""
        out = []
        base = _key(location, key)
        for i, item in enumerate(self.items(data, key, location)):
            where = f"{base}[{i}]"
            if isinstance(item, dict):
                result = read(item, where)
                if result is not None:
                    out.append(result)
            else:
                self.obj(item, where)
        return out

    # -- the journey ------------------------------------------------------------

    def journey(self, data: Any) -> Journey:
        top = self.obj(data, "")
        if top is None:
            raise JourneyInvalid(self.problems)
        fmt = top.get("format")
        if fmt is None:
            self.fail("format", f"required: {FORMAT!r}")
        elif fmt != FORMAT:
            self.fail("format", f"{_show(fmt)} is not supported: expected {FORMAT!r}")
        title = self.text(top, "title", "", default=None, limit=_MAX_TITLE, name=True)
        description = self.text(top, "description", "")

        self.credential_ids: dict[str, str] = {}
        self.stage_ids: dict[str, str] = {}
        self.touchpoint_ids: dict[str, str] = {}
        for key, what in (
            ("credentials", "credential"),
            ("stages", "stage"),
            ("touchpoints", "touchpoint"),
        ):
            if top.get(key) is None:
                self.fail(key, f"required: at least one {what}")
            elif top[key] == []:
                self.fail(key, f"at least one {what} is required")
        credentials = self.listed(top, "credentials", "", self.credential)
        stages = self.listed(top, "stages", "", self.stage)
        # Touchpoint ids first, so that transitions can refer to any of them.
        raw_touchpoints = top.get("touchpoints")
        for i, item in enumerate(raw_touchpoints if isinstance(raw_touchpoints, list) else []):
            if isinstance(item, dict):
                self.ident(item, f"touchpoints[{i}]", self.touchpoint_ids)
        touchpoints = self.listed(top, "touchpoints", "", self.touchpoint)
        self.pairs: dict[tuple[str, str], str] = {}
        transitions = self.listed(top, "transitions", "", self.transition)
        self.check_shares(transitions)
        requirements = None
        if top.get("requirements") is not None:
            requirements = tuple(self.listed(top, "requirements", "", self.requirement))

        journey = Journey(
            title=title,
            credentials=tuple(credentials),
            stages=tuple(stages),
            touchpoints=tuple(touchpoints),
            transitions=tuple(transitions),
            description=description,
            requirements=requirements,
        )
        if self.touchpoint_ids and not self.has_entry(raw_touchpoints, transitions):
            self.fail(
                "touchpoints",
                "no entry: every touchpoint has an incoming transition, so mark where "
                'learners start with "entry": true',
            )
        if self.problems:
            raise JourneyInvalid(self.problems)
        return journey

    def has_entry(self, raw_touchpoints: Any, transitions: list[Transition]) -> bool:
        """Return whether learners can start somewhere (spec section 2).

        Judged on every touchpoint with a usable id, including those dropped
        for other problems, so that one mistake does not also read as "no entry".
        """
        if any(isinstance(t, dict) and t.get("entry") is True for t in raw_touchpoints):
            return True
        targets = {tr.to for tr in transitions}
        return any(tid not in targets for tid in self.touchpoint_ids)

    def credential(self, data: dict[str, Any], where: str) -> Credential | None:
        cid = self.ident(data, where, self.credential_ids)
        credential = Credential(
            id=cid,
            name=self.text(data, "name", where, default=None, limit=_MAX_TITLE, name=True),
            aliases=self.strings(data, "aliases", where),
            description=self.text(data, "description", where),
            criteria=self.text(data, "criteria", where),
            skills=self.strings(data, "skills", where),
            issuer=self.text(data, "issuer", where),
            requires_claim=self.flag(data, "requires_claim", where, True),
            achievement_type=self.text(
                data, "achievement_type", where, limit=_MAX_ACHIEVEMENT_TYPE
            ).strip(),
            url=self.text(data, "url", where, limit=_MAX_URL).strip(),
        )
        return credential if cid else None

    def stage(self, data: dict[str, Any], where: str) -> Stage | None:
        sid = self.ident(data, where, self.stage_ids)
        name = self.text(data, "name", where, default=None, limit=_MAX_TITLE, name=True)
        phase = self.choice(data, "phase", where, PHASES, None)
        return Stage(sid, name, phase) if sid else None

    def reference(self, value: Any, where: str, known: dict[str, str], what: str) -> str | None:
        if value is None:
            self.fail(where, "required")
        elif not isinstance(value, str):
            self.fail(where, f"expected a {what} id, got {_kind(value)}")
        elif value not in known:
            self.fail(where, f"unknown {what} {value!r} (known: {_known(known)})")
        else:
            return value
        return None

    def touchpoint(self, data: dict[str, Any], where: str) -> Touchpoint | None:
        tid = data.get("id")  # checked with the other ids before
        stage = data.get("stage")
        if not (isinstance(stage, str) and stage in self.stage_ids):  # locations only if needed
            stage = self.reference(stage, f"{where}.stage", self.stage_ids, "stage")
        messages: dict[str, tuple[str, ...]] = {}
        raw = data.get("messages")
        if raw is not None and self.obj(raw, f"{where}.messages") is not None:
            for cid, kinds in raw.items():
                at = _key(f"{where}.messages", str(cid))
                if self.reference(cid, at, self.credential_ids, "credential") is None:
                    continue
                if not isinstance(kinds, list):
                    self.fail(at, f"expected a list of message kinds, got {_kind(kinds)}")
                    continue
                messages[cid] = self.kinds(kinds, at)
        issues = []
        for i, cid in enumerate(self.items(data, "issues", where)):
            ref = self.reference(cid, f"{where}.issues[{i}]", self.credential_ids, "credential")
            if ref is not None and ref not in issues:
                issues.append(ref)
        reach = self.number(data, "reach", where)
        touchpoint = Touchpoint(
            id=tid if isinstance(tid, str) else "",
            title=self.text(data, "title", where, default=None, limit=_MAX_TITLE, name=True),
            stage=stage or "",
            channel=self.text(data, "channel", where, default="other", limit=_MAX_CHANNEL),
            owner=self.choice(data, "owner", where, OWNERS, "issuer"),
            audience=self.choice(data, "audience", where, AUDIENCES, "learner"),
            content=self.text(data, "content", where, limit=_MAX_CONTENT),
            messages=messages,
            issues=tuple(issues),
            reach=1.0 if reach is None else reach,
            entry=self.flag(data, "entry", where, False),
            entry_share=self.number(data, "entry_share", where, high=None),
        )
        return touchpoint if touchpoint.id in self.touchpoint_ids and stage else None

    def kinds(self, kinds: list[Any], where: str) -> tuple[str, ...]:
        out: list[str] = []
        for i, kind in enumerate(kinds):
            if kind not in MESSAGE_KINDS:
                self.fail(
                    f"{where}[{i}]",
                    f"{_show(kind)} is not a message kind (known: {_known(MESSAGE_KINDS)})",
                )
            elif kind not in out:
                out.append(kind)
        return tuple(out)

    def transition(self, data: dict[str, Any], where: str) -> Transition | None:
        source, target = data.get("from"), data.get("to")
        known = self.touchpoint_ids
        if not (isinstance(source, str) and source in known):  # locations only if needed
            source = self.reference(source, f"{where}.from", known, "touchpoint")
        if not (isinstance(target, str) and target in known):
            target = self.reference(target, f"{where}.to", known, "touchpoint")
        share = self.number(data, "share", where)
        if source is None or target is None:
            return None
        if source == target:
            self.fail(where, f"a transition from {source!r} to itself is not allowed")
            return None
        if (source, target) in self.pairs:
            self.fail(where, f"duplicate of {self.pairs[source, target]} ({source} → {target})")
            return None
        self.pairs[source, target] = where
        return Transition(source, target, share)

    def check_shares(self, transitions: list[Transition]) -> None:
        """Report each touchpoint whose outgoing shares add up to more than 1.

        The problem sits at the share that tips the sum over, so that an editor
        can point at the touchpoint the learners leave.
        """
        totals: dict[str, float] = {}
        over: dict[str, str] = {}
        for tr in transitions:
            if tr.share is not None:
                totals[tr.from_] = totals.get(tr.from_, 0.0) + tr.share
                if totals[tr.from_] > 1 + _SHARE_TOLERANCE and tr.from_ not in over:
                    over[tr.from_] = f"{self.pairs[tr.from_, tr.to]}.share"
        for source, where in over.items():
            self.fail(
                where,
                f"shares out of {source!r} add up to {totals[source]:g}; they may not exceed 1",
            )

    def requirement(self, data: dict[str, Any], where: str) -> Requirement:
        return Requirement(
            message=self.choice(data, "message", where, MESSAGE_KINDS, None),
            by=self.choice(data, "by", where, CHECKPOINT_KINDS, None),
            severity=self.choice(data, "severity", where, SEVERITIES, None),
        )


def _show(value: Any) -> str:
    """Return a short rendering of a user's value for a message; containers by kind only."""
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, bool | int | float) or value is None:
        text = json.dumps(value)
    else:
        return _kind(value)
    return text if len(text) <= 60 else text[:57] + "..."
