"""Check every learner path against the communication requirements (spec sections 2–4).

>>> from journeys.fileformat import from_data
>>> journey = from_data({
...     "format": "claimpath-journey/1", "title": "Tiny",
...     "credentials": [{"id": "b", "name": "Badge"}],
...     "stages": [{"id": "s", "name": "Award", "phase": "issue"}],
...     "touchpoints": [{"id": "mail", "title": "Issue email", "stage": "s",
...                      "issues": ["b"], "messages": {"b": ["earned"]}}]})
>>> [(f.rule, f.message) for f in analyse(journey).findings][:3]
[('surprise-issue', None), ('missing-message', 'represents'), ('missing-message', 'claim')]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from journeys import advice, paths
from journeys.findings import RULES, Analysis, Checkpoint, Finding
from journeys.mentions import mentions
from journeys.model import MESSAGE_KINDS, SEVERITIES, Credential, Journey, Touchpoint
from journeys.reach import expected_shares

__all__ = ["analyse"]

_KINDS = len(MESSAGE_KINDS)
_ALL_KINDS = (1 << _KINDS) - 1


def _bit(ci: int, message: str) -> int:
    return 1 << (ci * _KINDS + MESSAGE_KINDS.index(message))


@dataclass
class _Index:
    """The journey as integer-indexed lists and bit sets, built once per analysis."""

    journey: Journey

    def __post_init__(self) -> None:
        j = self.journey
        self.ids = [t.id for t in j.touchpoints]
        pos = {tid: i for i, tid in enumerate(self.ids)}
        self.pos = pos
        n = len(self.ids)
        self.succ: list[list[int]] = [[] for _ in range(n)]
        self.pred: list[list[int]] = [[] for _ in range(n)]
        for tr in j.transitions:
            self.succ[pos[tr.from_]].append(pos[tr.to])
            self.pred[pos[tr.to]].append(pos[tr.from_])
        self.entries = [pos[e] for e in j.entries]
        cpos = {c.id: ci for ci, c in enumerate(j.credentials)}
        self.cpos = cpos
        mentioned = mentions(j)
        self.deliver = [0] * n
        self.issues = [0] * n  # one bit per credential
        self.issue_mask = [0] * n  # every message bit of each credential issued
        self.mention = [0] * n  # one bit per credential
        for i, t in enumerate(j.touchpoints):
            for cid, kinds in t.messages.items():
                for kind in kinds:
                    self.deliver[i] |= _bit(cpos[cid], kind)
            for cid in t.issues:
                self.issues[i] |= 1 << cpos[cid]
                self.issue_mask[i] |= _ALL_KINDS << (cpos[cid] * _KINDS)
            for cid in mentioned.get(t.id, ()):
                self.mention[i] |= 1 << cpos[cid]

    @cached_property
    def reached(self) -> list[int]:
        """Return the reachable touchpoints, breadth-first from the entries.

        The order of :func:`journeys.graph.reachable`, walked over the indexes
        already built rather than a second graph keyed by id.
        """
        seen = [False] * len(self.ids)
        order: list[int] = []
        for e in self.entries:
            if not seen[e]:
                seen[e] = True
                order.append(e)
        for v in order:  # grows while iterating: a breadth-first queue
            for w in self.succ[v]:
                if not seen[w]:
                    seen[w] = True
                    order.append(w)
        return order

    def path(self, walk: list[int]) -> tuple[str, ...]:
        """Return the touchpoint ids of a walk of indexes."""
        return tuple(map(self.ids.__getitem__, walk))


def analyse(journey: Journey) -> Analysis:
    """Return the findings and checkpoints of ``journey``, witnesses and reach model included.

    Every rule of spec section 4 runs over every learner path at once, loops
    included: paths are never enumerated, so the time grows with the size of
    the journey, not with its number of paths. Findings come worst first
    (severity, then rule, then file order); a finding with a path carries the
    shortest one as its ``witness``.

    Parameters
    ----------
    journey : Journey
        The journey, as :func:`journeys.load` or :func:`journeys.loads` gives it.
        It is not changed.

    Returns
    -------
    Analysis
        ``findings``, ``checkpoints`` (one per credential, required message and
        place it is checked, with the reach model's ``arrival`` and
        ``expected_share`` at issue points) and the ``reachable`` touchpoint ids.

    Raises
    ------
    KeyError
        For a journey built by hand whose touchpoints or transitions name an id
        it does not define; the loaders never return one.

    See Also
    --------
    journeys.to_report : the analysis as the JSON report.
    journeys.render_bytes : the analysis as a gap diagram.

    Examples
    --------
    >>> from journeys.fileformat import loads
    >>> journey = loads('''{"format": "claimpath-journey/1", "title": "Tiny",
    ...     "credentials": [{"id": "b", "name": "Badge"}],
    ...     "stages": [{"id": "s", "name": "Award", "phase": "issue"}],
    ...     "touchpoints": [{"id": "mail", "title": "Issue email", "stage": "s",
    ...                      "issues": ["b"], "messages": {"b": ["earned"]}}]}''')
    >>> analysis = analyse(journey)
    >>> [(f.rule, f.message) for f in analysis.findings][:3]
    [('surprise-issue', None), ('missing-message', 'represents'), ('missing-message', 'claim')]
    >>> analysis.findings[0].summary
    "Some learners receive the Badge at 'Issue email' with no earlier mention of it"
    >>> checkpoint = analysis.checkpoints[0]
    >>> checkpoint.message, checkpoint.coverage, checkpoint.arrival, checkpoint.expected_share
    ('earned', 'all', 1.0, 1.0)
    """
    ix = _Index(journey)
    reached = frozenset(ix.ids[i] for i in ix.reached)
    findings: list[Finding] = []
    checkpoints = _checkpoints(journey, ix, findings)
    _issue_rules(journey, ix, findings)
    _mention_rules(journey, ix, findings, reached)
    findings.sort(key=lambda f: _order(f, ix))  # stable: requirement order breaks ties
    return Analysis(
        journey=journey,
        findings=tuple(findings),
        checkpoints=tuple(checkpoints),
        reachable=reached,
    )


def _order(f: Finding, ix: _Index) -> tuple[int, ...]:
    """Return the key that lists findings by severity, rule, then file order."""
    return (
        SEVERITIES.index(f.severity),
        RULES.index(f.rule),
        -1 if f.credential is None else ix.cpos[f.credential],
        -1 if f.touchpoint is None else ix.pos[f.touchpoint],
        -1 if f.message is None else MESSAGE_KINDS.index(f.message),
    )


def _checkpoints(journey: Journey, ix: _Index, findings: list[Finding]) -> list[Checkpoint]:
    """Return every requirement's checkpoints, adding a finding for each one not covered."""
    universe = (1 << (_KINDS * len(journey.credentials))) - 1
    lacking = paths.avoiding(ix.succ, ix.entries, ix.deliver, universe, promote=ix.issue_mask)
    got, passed, both = paths.forward(ix.succ, ix.reached, ix.deliver, ix.issue_mask)
    exits = [i for i, out in enumerate(ix.succ) if not out]  # graph.exits, as indexes
    reached = ix.reached
    out: list[Checkpoint] = []
    pending_reach: list[int] = []
    for ci, credential in enumerate(journey.credentials):
        issuers = [i for i in reached if ix.issues[i] >> ci & 1]
        enders = [i for i in exits if passed[i] >> (ci * _KINDS) & 1]
        for req in journey.requirements_for(credential):
            bit = _bit(ci, req.message)
            for i in sorted(issuers if req.by == "issue" else enders):
                if req.by == "issue":
                    missing, delivered, phase = lacking.seen(i), got[i], None
                else:
                    missing, delivered, phase = lacking.seen(i, 1), both[i], 1
                if not missing & bit:
                    coverage = "all"
                else:
                    coverage = "partial" if delivered & bit else "none"
                out.append(
                    Checkpoint(
                        credential.id, req.message, req.by, ix.ids[i], coverage, req.severity
                    )
                )
                if req.by == "issue":
                    pending_reach.append(len(out) - 1)
                if coverage == "all":
                    continue
                walk = paths.witness(lacking, ix.pred, i, bit, phase)
                touchpoint = journey.touchpoints[i]
                findings.append(
                    Finding(
                        rule="missing-message",
                        severity=req.severity,
                        credential=credential.id,
                        touchpoint=touchpoint.id,
                        message=req.message,
                        witness=ix.path(walk),
                        summary=advice.summary(
                            "missing-message",
                            credential=credential,
                            touchpoint=touchpoint,
                            message=req.message,
                            coverage=coverage,
                            by=req.by,
                        ),
                        advice=advice.advice("missing-message", message=req.message),
                        coverage=coverage,
                    )
                )
    shares = expected_shares(journey, [out[k] for k in pending_reach])
    for k, (arrival, share) in zip(pending_reach, shares, strict=True):
        c = out[k]
        out[k] = Checkpoint(
            c.credential, c.message, c.by, c.touchpoint, c.coverage, c.severity, arrival, share
        )
    return out


def _issue_rules(journey: Journey, ix: _Index, findings: list[Finding]) -> None:
    """Add ``never-issued`` and ``surprise-issue`` findings."""
    unmentioned = paths.avoiding(
        ix.succ, ix.entries, ix.mention, (1 << len(journey.credentials)) - 1
    )
    entries = set(ix.entries)
    for ci, credential in enumerate(journey.credentials):
        bit = 1 << ci
        issuers = [i for i in ix.reached if ix.issues[i] & bit]
        if not issuers:
            findings.append(_finding("never-issued", "critical", credential))
        for i in sorted(issuers):
            if i in entries:
                walk = [i]
            else:
                before = [
                    (lv, u) for u in ix.pred[i] if (lv := unmentioned.level(u, 0, bit)) is not None
                ]
                if not before:
                    continue
                walk = [*paths.witness(unmentioned, ix.pred, min(before)[1], bit, 0), i]
            touchpoint = journey.touchpoints[i]
            findings.append(
                _finding("surprise-issue", "critical", credential, touchpoint, ix.path(walk))
            )


def _mention_rules(
    journey: Journey,
    ix: _Index,
    findings: list[Finding],
    reached: frozenset[str],
) -> None:
    """Add the rules about where credentials are mentioned, employers, faculty, reachability."""
    phase_of = {s.id: s.phase for s in journey.stages}
    for t in journey.touchpoints:
        if t.id not in reached:
            findings.append(_finding("unreachable-touchpoint", "warning", None, t))
    for ci, credential in enumerate(journey.credentials):
        bit = 1 << ci
        holders = [i for i in range(len(ix.ids)) if ix.mention[i] & bit]
        for i in holders:
            t = journey.touchpoints[i]
            if set(t.messages.get(credential.id, ())) <= {"earned"}:
                findings.append(_finding("mention-without-explanation", "warning", credential, t))
        touchpoints = [journey.touchpoints[i] for i in holders]
        if not any(phase_of[t.stage] in ("discover", "learn") for t in touchpoints):
            findings.append(_finding("no-early-mention", "warning", credential))
        if not any(t.owner == "faculty" for t in touchpoints):
            findings.append(_finding("no-faculty-voice", "info", credential))
    if not any("employer" in (t.owner, t.audience) for t in journey.touchpoints):
        findings.append(_finding("no-employer-touchpoint", "warning", None))
    for credential in journey.credentials:
        if advice.undescribed(credential):
            findings.append(_finding("undescribed-credential", "info", credential))


def _finding(
    rule: str,
    severity: str,
    credential: Credential | None,
    touchpoint: Touchpoint | None = None,
    witness: tuple[str, ...] | None = None,
) -> Finding:
    """Return a finding of a rule other than ``missing-message``, with its texts."""
    return Finding(
        rule=rule,
        severity=severity,
        credential=credential.id if credential else None,
        touchpoint=touchpoint.id if touchpoint else None,
        message=None,
        witness=witness,
        summary=advice.summary(rule, credential=credential, touchpoint=touchpoint),
        advice=advice.advice(rule),
    )
