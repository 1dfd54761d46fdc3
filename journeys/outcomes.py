"""What learners actually did: badge-platform outcome files, matched and set beside the model.

:func:`read_outcomes` reads one file (its format told from its headers or keys)
into :class:`Outcome` rows, one per credential and cohort; :func:`match` ties
them to the journey's credentials by name, alias or ``url`` and lists what it
could not tie; :func:`compare` sets each row's claim and share rates beside the
reach model's expected informed shares and flags gaps of more than
:data:`GAP_POINTS` points. The formats and the definitions are in
``docs/outcomes.md``.

>>> raw = b"credential,cohort,issued,claimed,shared\\nBadge,2026-03,40,30,6\\n"
>>> rows = read_outcomes(raw, "o.csv")
>>> rows.format, rows.outcomes[0].claim_rate, rows.outcomes[0].share_rate
('claimpath', 0.75, 0.2)
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from journeys.errors import Problem
from journeys.findings import Checkpoint
from journeys.importing import Refused, check_size, read_text
from journeys.model import Journey, Touchpoint, Transition
from journeys.reach import expected_shares

__all__ = [
    "FORMATS",
    "GAP_POINTS",
    "MAX_OUTCOME_BYTES",
    "MAX_OUTCOME_ROWS",
    "Comparison",
    "Flag",
    "Matched",
    "Outcome",
    "Outcomes",
    "compare",
    "expected",
    "match",
    "read_outcomes",
]

#: The largest outcome file read, and the most data rows in it.
MAX_OUTCOME_BYTES = 5 * 1024 * 1024
MAX_OUTCOME_ROWS = 200_000
#: A gap between observed and expected, in percentage points, above which it is flagged.
GAP_POINTS = 15

#: Format key -> how the pages name it.
FORMATS: dict[str, str] = {
    "claimpath": "Claimpath outcomes CSV",
    "credly": "Credly analytics export",
    "canvas-progress": "Canvas Credentials learner progress export",
    "canvas-groups": "Canvas Credentials recipient group export",
    "canvas-assertions": "Canvas Credentials (Badgr) assertions",
    "accredible": "Accredible engagement counts",
    "obf-recipients": "Open Badge Factory recipient records",
    "obf-events": "Open Badge Factory events",
    "obf-history": "Open Badge Factory badge history (Moodle)",
}

_CREDLY_STATES = ("accepted", "pending", "rejected", "revoked")
_CANVAS_ACCEPTANCE = ("unaccepted", "accepted", "rejected")


@dataclass(frozen=True)
class Outcome:
    """Counts for one credential (as the file names it) and cohort; None where a file is silent."""

    credential: str
    cohort: str
    issued: int
    claimed: int | None
    shared: int | None
    #: The earliest issue date in the rows, for the chart over time; None when unknown.
    date: date | None = None
    #: 1-based line (CSV) or item (JSON) number of the first row counted.
    line: int = 0

    @property
    def claim_rate(self) -> float | None:
        """Return claimed / issued, or None when either is unknown or nothing was issued."""
        if self.claimed is None or not self.issued:
            return None
        return self.claimed / self.issued

    @property
    def share_rate(self) -> float | None:
        """Return shared / claimed (Credly's definition), or None when unknown."""
        if self.shared is None or not self.claimed:
            return None
        return self.shared / self.claimed


@dataclass(frozen=True)
class Outcomes:
    """One file's rows: its format and one :class:`Outcome` per credential and cohort."""

    format: str
    outcomes: tuple[Outcome, ...]


@dataclass(frozen=True)
class Matched:
    """Outcomes tied to credential ids, and the names in the file no credential answers to."""

    #: (credential id, outcome) in file order.
    rows: tuple[tuple[str, Outcome], ...]
    unmatched: tuple[str, ...]


@dataclass(frozen=True)
class Flag:
    """A gap of more than :data:`GAP_POINTS` points between what learners did and the model."""

    credential: str
    cohort: str
    #: ``claim`` or ``share``.
    message: str
    observed: float
    expected: float
    #: ``optimistic`` (the model expects more than learners did) or ``pessimistic``.
    direction: str
    meaning: str

    @property
    def points(self) -> int:
        """Return the gap in whole percentage points, positive where learners did better."""
        return round((self.observed - self.expected) * 100)


@dataclass(frozen=True)
class Comparison:
    """One row of observed beside predicted."""

    credential: str
    cohort: str
    date: date | None
    issued: int
    claimed: int | None
    shared: int | None
    claim_rate: float | None
    share_rate: float | None
    expected_claim_share: float | None
    expected_share_share: float | None
    flags: tuple[Flag, ...] = ()

    def data(self) -> dict[str, Any]:
        """Return the row as the report's ``observed`` item."""
        return {
            "credential": self.credential,
            "cohort": self.cohort,
            "issued": self.issued,
            "claimed": self.claimed,
            "shared": self.shared,
            "claim_rate": _rounded(self.claim_rate),
            "share_rate": _rounded(self.share_rate),
            "expected_claim_share": _rounded(self.expected_claim_share),
            "expected_share_share": _rounded(self.expected_share_share),
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# --- reading -------------------------------------------------------------------------------


class _Rows:
    """Counting rows per (credential, cohort) while collecting located problems."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.groups: dict[tuple[str, str], dict[str, Any]] = {}

    def fail(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def add(
        self,
        line: int,
        credential: str,
        cohort: str,
        issued: int,
        claimed: int | None,
        shared: int | None,
        when: date | None,
    ) -> None:
        key = (credential, cohort)
        group = self.groups.get(key)
        if group is None:
            self.groups[key] = {
                "issued": issued,
                "claimed": claimed,
                "shared": shared,
                "date": when,
                "line": line,
            }
            return
        group["issued"] += issued
        for name, value in (("claimed", claimed), ("shared", shared)):
            group[name] = None if value is None or group[name] is None else group[name] + value
        if when is not None and (group["date"] is None or when < group["date"]):
            group["date"] = when

    def result(self, fmt: str) -> Outcomes:
        if self.problems:
            raise Refused(self.source, self.problems[:50])
        if not self.groups:
            raise Refused(self.source, [Problem("", "no outcome rows in the file")])
        return Outcomes(
            fmt,
            tuple(
                Outcome(name, cohort, g["issued"], g["claimed"], g["shared"], g["date"], g["line"])
                for (name, cohort), g in self.groups.items()
            ),
        )


def read_outcomes(data: bytes, source: str = "") -> Outcomes:
    """Return the outcomes in one file, its format told from its headers or keys.

    Raises :class:`journeys.importing.Refused` with one located problem per
    thing wrong (line and column for a CSV, item and key for JSON); nothing is
    returned from a file with any problem.
    """
    check_size(data, source, MAX_OUTCOME_BYTES)
    text = read_text(data, source)
    if text.lstrip()[:1] in ("{", "["):
        return _read_json(text, source)
    return _read_csv(text, source)


def _norm(header: str) -> str:
    return re.sub(r"\s+", " ", header.strip().lower())


def _read_csv(text: str, source: str) -> Outcomes:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise Refused(source, [Problem("line 1", f"not a CSV header: {exc}")]) from None
    names = [_norm(h) for h in header]
    kind = _csv_kind(set(names))
    if kind is None:
        raise Refused(
            source,
            [
                Problem(
                    "line 1",
                    "cannot tell the format from the headers ("
                    + ", ".join(h for h in header[:8])
                    + "); expected the Claimpath outcomes CSV (credential, cohort, issued, "
                    "claimed, shared), a Credly analytics export, a Canvas Credentials export, "
                    "Accredible engagement counts or an Open Badge Factory badge history",
                )
            ],
        )
    rows = _Rows(source)
    records: list[tuple[int, dict[str, str]]] = []
    try:
        for number, cells in enumerate(reader, start=2):
            if number - 1 > MAX_OUTCOME_ROWS:
                raise Refused(
                    source, [Problem("", f"more than {MAX_OUTCOME_ROWS:,} rows; split the file")]
                )
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(names):
                rows.fail(f"line {number}", f"{len(cells)} cells, the header has {len(names)}")
                continue
            records.append((number, dict(zip(names, [c.strip() for c in cells], strict=False))))
    except csv.Error as exc:
        raise Refused(
            source, [Problem(f"line {reader.line_num}", f"not valid CSV: {exc}")]
        ) from None
    _CSV_READERS[kind](records, rows)
    return rows.result(kind)


def _csv_kind(headers: set[str]) -> str | None:
    if {"credential", "issued", "claimed"} <= headers:
        return "claimpath"
    if {"badge name", "status", "earner badge id"} <= headers:
        return "credly"
    if {"alignment name", "status", "last badge earned", "learner id"} <= headers:
        return "canvas-progress"
    if {"group name", "learners", "alignment name", "alignment type"} <= headers:
        return "canvas-groups"
    if "acceptance" in headers and ({"badge name", "badgeclass"} & headers):
        return "canvas-assertions"
    if {"group", "credentials issued", "credentials opened by owner"} <= headers:
        return "accredible"
    if {"badge name", "recipients", "issued on"} <= headers:
        return "obf-history"
    return None


def _count(
    cell: str, where: str, column: str, rows: _Rows, *, optional: bool = False
) -> int | None:
    if cell == "" and optional:
        return None
    if not re.fullmatch(r"\d{1,9}", cell):
        rows.fail(f"{where}, column {column}", f"{cell!r} is not a whole number of learners")
        return None
    return int(cell)


_DATE_FORMATS = ("%Y-%m-%d", "%b %d %Y", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")


def _date(cell: str, where: str, rows: _Rows) -> date | None:
    cell = cell.strip()
    if not cell or cell == "-":
        return None
    head = cell[:19].replace("Z", "")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(head if "T" in fmt or "%H" in fmt else cell, fmt).date()
        except ValueError:
            continue
    rows.fail(where, f"{cell!r} is not a date (write it as YYYY-MM-DD)")
    return None


def _claimpath(records: list[tuple[int, dict[str, str]]], rows: _Rows) -> None:
    for number, r in records:
        where = f"line {number}"
        name = r.get("credential", "")
        if not name:
            rows.fail(f"{where}, column credential", "empty: name the credential")
            continue
        issued = _count(r.get("issued", ""), where, "issued", rows)
        claimed = _count(r.get("claimed", ""), where, "claimed", rows)
        shared = _count(r.get("shared", ""), where, "shared", rows, optional=True)
        when = _date(r.get("date", ""), f"{where}, column date", rows)
        if issued is None or claimed is None:
            continue
        if claimed > issued:
            rows.fail(f"{where}, column claimed", f"{claimed} claimed is more than {issued} issued")
            continue
        if shared is not None and shared > claimed:
            rows.fail(f"{where}, column shared", f"{shared} shared is more than {claimed} claimed")
            continue
        rows.add(number, name, r.get("cohort", ""), issued, claimed, shared, when)


def _first_tag(cell: str) -> str:
    return cell.split(",")[0].strip()


def _credly(records: list[tuple[int, dict[str, str]]], rows: _Rows) -> None:
    for number, r in records:
        where = f"line {number}"
        status = r.get("status", "").lower()
        if status not in _CREDLY_STATES:
            rows.fail(
                f"{where}, column Status",
                f"{r.get('status', '')!r} is not a Credly badge status ("
                + ", ".join(_CREDLY_STATES)
                + ")",
            )
            continue
        name = r.get("badge name", "")
        if not name:
            rows.fail(f"{where}, column Badge Name", "empty")
            continue
        when = _date(r.get("issue date", ""), f"{where}, column Issue Date", rows)
        if status == "revoked":  # taken back: no longer a badge a learner could accept
            continue
        rows.add(
            number,
            name,
            _first_tag(r.get("group tag", "")),
            1,
            int(status == "accepted"),
            None,
            when,
        )


def _canvas_progress(records: list[tuple[int, dict[str, str]]], rows: _Rows) -> None:
    for number, r in records:
        if r.get("alignment type", "").lower() not in ("badge", ""):
            continue
        name = r.get("alignment name", "")
        if not name:
            rows.fail(f"line {number}, column Alignment Name", "empty")
            continue
        earned = r.get("last badge earned", "") != ""
        # A learner still in progress has not been awarded the badge yet: not issued.
        if earned:
            rows.add(number, name, r.get("group name", ""), 1, None, None, None)
        elif (name, r.get("group name", "")) not in rows.groups:
            rows.add(number, name, r.get("group name", ""), 0, None, None, None)


def _canvas_groups(records: list[tuple[int, dict[str, str]]], rows: _Rows) -> None:
    for number, r in records:
        if r.get("alignment type", "").lower() != "badge":
            continue
        where = f"line {number}"
        learners = _count(r.get("learners", ""), where, "Learners", rows)
        when = _date(r.get("creation date", ""), f"{where}, column Creation date", rows)
        if learners is not None:
            rows.add(
                number,
                r.get("alignment name", ""),
                r.get("group name", ""),
                learners,
                None,
                None,
                when,
            )


def _canvas_assertions(records: list[tuple[int, dict[str, str]]], rows: _Rows) -> None:
    for number, r in records:
        _assertion(
            number, r.get("badge name") or r.get("badgeclass", ""), r, rows, f"line {number}"
        )


def _assertion(number: int, name: str, r: dict[str, Any], rows: _Rows, where: str) -> None:
    acceptance = str(r.get("acceptance", "")).lower()
    if acceptance not in _CANVAS_ACCEPTANCE:
        rows.fail(
            f"{where}, acceptance",
            f"{r.get('acceptance')!r} is not Unaccepted, Accepted or Rejected",
        )
        return
    if str(r.get("revoked", "")).lower() in ("true", "1"):
        return
    when = _date(str(r.get("issuedon") or r.get("issuedOn") or ""), f"{where}, issuedOn", rows)
    rows.add(number, name, "", 1, int(acceptance == "accepted"), None, when)


def _accredible(records: list[tuple[int, dict[str, str]]], rows: _Rows) -> None:
    for number, r in records:
        where = f"line {number}"
        issued = _count(r.get("credentials issued", ""), where, "Credentials Issued", rows)
        opened = _count(
            r.get("credentials opened by owner", ""), where, "Credentials Opened by Owner", rows
        )
        shared = _count(
            r.get("unique credential shared by anyone", ""),
            where,
            "Unique Credential Shared by Anyone",
            rows,
            optional=True,
        )
        if issued is None or opened is None:
            continue
        if opened > issued:
            rows.fail(f"{where}, column Credentials Opened by Owner", "more than were issued")
            continue
        # The group names the credential, often with the cohort after it: split in match().
        rows.add(number, r.get("group", ""), "", issued, opened, shared, None)


def _obf_history(records: list[tuple[int, dict[str, str]]], rows: _Rows) -> None:
    for number, r in records:
        recipients = [p for p in r.get("recipients", "").split(",") if p.strip()]
        when = _date(r.get("issued on", ""), f"line {number}, column Issued On", rows)
        rows.add(number, r.get("badge name", ""), "", len(recipients), None, None, when)


_CSV_READERS = {
    "claimpath": _claimpath,
    "credly": _credly,
    "canvas-progress": _canvas_progress,
    "canvas-groups": _canvas_groups,
    "canvas-assertions": _canvas_assertions,
    "accredible": _accredible,
    "obf-history": _obf_history,
}


def _read_json(text: str, source: str) -> Outcomes:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Refused(
            source,
            [Problem(f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}")],
        ) from None
    items = data.get("result") if isinstance(data, dict) else data
    rows = _Rows(source)
    if isinstance(data, dict) and "badge" in data and "result" not in data:
        raise Refused(
            source,
            [
                Problem(
                    "",
                    "an Open Badge Factory event without its recipients: export the event's "
                    "recipient records for claim counts, or the event list for issued counts",
                )
            ],
        )
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        raise Refused(source, [Problem("result", "expected a list of recipient or event records")])
    if len(items) > MAX_OUTCOME_ROWS:
        raise Refused(source, [Problem("", f"more than {MAX_OUTCOME_ROWS:,} records")])
    first = items[0]
    if "received" in first and "event_id" in first:
        kind = "obf-recipients"
        for n, item in enumerate(items, start=1):
            where = f"result[{n - 1}]"
            if not isinstance(item.get("received"), bool):
                rows.fail(f"{where}.received", "expected true or false")
                continue
            if item.get("revoked") is True:
                continue
            when = _unix(item.get("issued_on"), f"{where}.issued_on", rows)
            kept = item.get("in_passport") is True
            rows.add(
                n, str(item.get("event_id", "")), "", 1, int(item["received"]), int(kept), when
            )
    elif "recipient_count" in first and "name" in first:
        kind = "obf-events"
        for n, item in enumerate(items, start=1):
            where = f"result[{n - 1}]"
            count = item.get("recipient_count")
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                rows.fail(f"{where}.recipient_count", "expected a whole number")
                continue
            when = _unix(item.get("issued_on"), f"{where}.issued_on", rows)
            rows.add(n, str(item.get("name", "")), str(item.get("id", "")), count, None, None, when)
    elif "acceptance" in first:
        kind = "canvas-assertions"
        for n, item in enumerate(items, start=1):
            name = str(item.get("badgeclassOpenBadgeId") or item.get("badgeclass") or "")
            _assertion(n, name, item, rows, f"result[{n - 1}]")
    else:
        raise Refused(
            source,
            [
                Problem(
                    "result[0]",
                    "cannot tell the format: expected Open Badge Factory recipient records "
                    "(received), events (recipient_count) or Canvas Credentials assertions "
                    "(acceptance)",
                )
            ],
        )
    return rows.result(kind)


def _unix(value: Any, where: str, rows: _Rows) -> date | None:
    if value is None:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool):
        rows.fail(where, "expected Unix seconds")
        return None
    return datetime.fromtimestamp(value, UTC).date()


# --- matching ------------------------------------------------------------------------------


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().casefold())


def match(journey: Journey, outcomes: Iterable[Outcome]) -> Matched:
    """Return the outcomes tied to credential ids by name, alias or ``url``, and unmatched names.

    A name matches a credential's name or alias (case and spacing ignored) or
    its ``url``; a name that starts with a credential's name or alias followed
    by more words (Accredible's ``Aged Care Infection Control 2026-03``) is that
    credential with the rest as the cohort, where the row has no cohort. An OBF
    event id matches a credential whose ``url`` contains it.
    """
    names: dict[str, str] = {}
    for c in journey.credentials:
        for label in (c.name, *c.aliases):
            names.setdefault(_key(label), c.id)
        if c.url:
            names.setdefault(_key(c.url), c.id)
    prefixes = sorted(
        ((k, v) for k, v in names.items() if "://" not in k), key=lambda p: -len(p[0])
    )
    rows: list[tuple[str, Outcome]] = []
    unmatched: list[str] = []
    for o in outcomes:
        key = _key(o.credential)
        found = names.get(key)
        if found is None:
            for label, cid in prefixes:
                if key.startswith(label + " ") and not o.cohort:
                    found = cid
                    o = dataclasses.replace(o, cohort=o.credential.strip()[len(label) :].strip())
                    break
        if found is None and key:
            found = next((c.id for c in journey.credentials if c.url and key in _key(c.url)), None)
        if found is None:
            if o.credential not in unmatched:
                unmatched.append(o.credential)
            continue
        rows.append((found, o))
    return Matched(tuple(rows), tuple(unmatched))


# --- the model's side ----------------------------------------------------------------------


def expected(journey: Journey, credential: str) -> tuple[float | None, float | None]:
    """Return the model's ``(claim at issue, share by the end)`` informed shares for a credential.

    *Claim at issue*: the reach model's ``expected_share`` of ``claim`` at each
    touchpoint issuing the credential, averaged with their ``arrival`` as
    weights. *Share by the end*: the probability that a learner who passes a
    touchpoint issuing it and reaches an exit has taken in ``share`` somewhere
    on the way, before or after the issue. It is the same reach model run on
    the journey with a flag "issued yet" (every touchpoint twice: before and
    after an issue) and one last touchpoint after every exit, reached only
    after an issue; its ``expected_share`` there is the number. None where no
    learner reaches the point.

    >>> from journeys.fileformat import from_data
    >>> j = from_data({"format": "claimpath-journey/1", "title": "T",
    ...     "credentials": [{"id": "b", "name": "Badge"}],
    ...     "stages": [{"id": "s", "name": "S", "phase": "learn"}],
    ...     "touchpoints": [
    ...         {"id": "z", "title": "Issue", "stage": "s", "issues": ["b"],
    ...          "messages": {"b": ["claim"]}, "reach": 0.6},
    ...         {"id": "n", "title": "Nudge", "stage": "s", "reach": 0.5,
    ...          "messages": {"b": ["share"]}}],
    ...     "transitions": [{"from": "z", "to": "n"}]})
    >>> expected(j, "b")
    (0.6, 0.5)
    """
    issuing = [t.id for t in journey.touchpoints if credential in t.issues]
    if not issuing:
        return None, None
    numbers = expected_shares(
        journey, [Checkpoint(credential, "claim", "issue", t, "all", "critical") for t in issuing]
    )
    weight = sum(a for a, s in numbers if a and s is not None)
    claim = sum(a * s for a, s in numbers if a and s is not None) / weight if weight > 0 else None
    return claim, _share_by_end(journey, credential)


_END = "\x00end"


def _share_by_end(journey: Journey, credential: str) -> float | None:
    """Return the share of learners passing an issue of ``credential`` told ``share`` by an exit."""

    def copy(tid: str, after: bool) -> str:
        return ("\x01" if after else "\x00") + tid

    by_id = journey.touchpoint_by_id
    touchpoints: list[Touchpoint] = []
    entries = set(journey.entries)
    for t in journey.touchpoints:
        issues = credential in t.issues
        if not issues:  # the before-copy of an issuing touchpoint is never reached
            touchpoints.append(dataclasses.replace(t, id=copy(t.id, False), entry=t.id in entries))
        touchpoints.append(
            dataclasses.replace(t, id=copy(t.id, True), entry=issues and t.id in entries)
        )
    outgoing = {tr.from_ for tr in journey.transitions}
    transitions: list[Transition] = []
    for tr in journey.transitions:
        to_issues = credential in by_id[tr.to].issues
        if credential not in by_id[tr.from_].issues:
            transitions.append(
                dataclasses.replace(tr, from_=copy(tr.from_, False), to=copy(tr.to, to_issues))
            )
        transitions.append(
            dataclasses.replace(tr, from_=copy(tr.from_, True), to=copy(tr.to, True))
        )
    stage = journey.stages[0].id
    touchpoints.append(Touchpoint(id=_END, title="end", stage=stage))
    for t in journey.touchpoints:
        if t.id not in outgoing:
            transitions.append(Transition(copy(t.id, True), _END, 1.0))
    doubled = dataclasses.replace(
        journey, touchpoints=tuple(touchpoints), transitions=tuple(transitions)
    )
    if not doubled.entries:
        return None
    [(arrival, share)] = expected_shares(
        doubled, [Checkpoint(credential, "share", "issue", _END, "all", "critical")]
    )
    return share if arrival else None


def compare(journey: Journey, rows: Sequence[tuple[str, Outcome]]) -> list[Comparison]:
    """Return observed beside predicted for each matched outcome, with its flags.

    A flag is raised where the observed claim rate (or share rate) differs from
    the model's expected informed share for ``claim`` at issue (or ``share`` by
    the end) by more than :data:`GAP_POINTS` percentage points.

    >>> from journeys.fileformat import from_data
    >>> j = from_data({"format": "claimpath-journey/1", "title": "T",
    ...     "credentials": [{"id": "b", "name": "Badge"}],
    ...     "stages": [{"id": "s", "name": "S", "phase": "issue"}],
    ...     "touchpoints": [{"id": "z", "title": "Issue", "stage": "s", "issues": ["b"],
    ...                      "messages": {"b": ["claim"]}, "reach": 0.9}]})
    >>> [row] = compare(j, [("b", Outcome("Badge", "", 100, 60, None))])
    >>> row.claim_rate, row.expected_claim_share, row.flags[0].direction, row.flags[0].points
    (0.6, 0.9, 'optimistic', -30)
    """
    cache: dict[str, tuple[float | None, float | None]] = {}
    result = []
    for cid, o in rows:
        if cid not in cache:
            cache[cid] = expected(journey, cid)
        claim, share = cache[cid]
        flags = tuple(
            f
            for f in (
                _flag(cid, o.cohort, "claim", o.claim_rate, claim),
                _flag(cid, o.cohort, "share", o.share_rate, share),
            )
            if f is not None
        )
        result.append(
            Comparison(
                cid,
                o.cohort,
                o.date,
                o.issued,
                o.claimed,
                o.shared,
                o.claim_rate,
                o.share_rate,
                claim,
                share,
                flags,
            )
        )
    return result


_MEANINGS = {
    ("claim", "optimistic"): (
        "Fewer learners claimed than the map predicts know how to: a reach figure on the way "
        "to the issue is too high, or a touchpoint does not say how to claim as the map declares."
    ),
    ("claim", "pessimistic"): (
        "More learners claimed than the map predicts know how to: they learn it somewhere the "
        "map does not show (a colleague, the platform's own email), or a reach figure is too low."
    ),
    ("share", "optimistic"): (
        "Fewer learners shared than the map predicts know how to: a reach figure after the "
        "issue is too high, or a touchpoint does not say how to share as the map declares."
    ),
    ("share", "pessimistic"): (
        "More learners shared than the map predicts know how to: they learn it somewhere the "
        "map does not show, or a reach figure is too low."
    ),
}


def _flag(
    credential: str, cohort: str, message: str, observed: float | None, model: float | None
) -> Flag | None:
    if observed is None or model is None:
        return None
    gap = (observed - model) * 100
    if abs(gap) <= GAP_POINTS:
        return None
    direction = "optimistic" if gap < 0 else "pessimistic"
    return Flag(
        credential, cohort, message, observed, model, direction, _MEANINGS[message, direction]
    )


def observed_data(rows: Sequence[Comparison], unmatched: Sequence[str]) -> dict[str, Any]:
    """Return the keys ``check --observed`` adds to the report: observed, flags, unmatched."""
    return {
        "observed": [r.data() for r in rows],
        "observed_flags": [
            {
                "credential": f.credential,
                "cohort": f.cohort,
                "message": f.message,
                "observed": round(f.observed, 4),
                "expected": round(f.expected, 4),
                "points": f.points,
                "direction": f.direction,
                "meaning": f.meaning,
            }
            for r in rows
            for f in r.flags
        ],
        "unmatched": list(unmatched),
    }


def percent(value: float | None) -> str:
    """Return a share as whole percent, or an en dash when unknown.

    >>> percent(0.256), percent(None)
    ('26%', '–')
    """
    return "–" if value is None else f"{value * 100:.0f}%"


def format_observed(journey: Journey, rows: Sequence[Comparison], unmatched: Sequence[str]) -> str:
    """Return the text ``check --observed`` prints after the report."""
    lines = ["", "What learners did, beside what the map predicts:"]
    for r in rows:
        name = journey.credential_by_id[r.credential].name
        cohort = f" ({r.cohort})" if r.cohort else ""
        lines.append(
            f"  {name}{cohort}: {r.issued} issued; claimed {percent(r.claim_rate)} "
            f"(model {percent(r.expected_claim_share)}), shared {percent(r.share_rate)} "
            f"(model {percent(r.expected_share_share)})"
        )
        for f in r.flags:
            lines.append(f"    ! {f.message} gap {f.points:+d} points: {f.meaning}")
    if not rows:
        lines.append("  no row matches a credential of the journey")
    for name in unmatched:
        lines.append(f"  not matched: {name!r} (no credential has this name, alias or url)")
    return "\n".join(lines) + "\n"
