"""What-if: fixes suggested by the findings, tried on a copy of the journey before saving.

A fix is named by a key that says what it changes, so a form can carry it:

- ``say:TOUCHPOINT:CREDENTIAL:MESSAGE+MESSAGE`` adds messages to a touchpoint;
- ``add:KIND:AFTER`` adds a touchpoint (``employer`` event or ``faculty``
  introduction) right after ``AFTER``, in its stage: learners go on from the new
  touchpoint wherever they went from ``AFTER``, so no path loses a touchpoint.

Fixes only change the journey; the engine decides what they fix.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from journeys import model as engine
from journeys.advice import TOLD
from journeys.findings import Analysis, Finding
from journeys.graph import exits
from journeys.model import new_id

__all__ = [
    "MAX_TRIED",
    "MAX_WORK",
    "Change",
    "Fix",
    "Ranked",
    "apply",
    "by_finding",
    "compare",
    "offered",
    "ranked",
    "suggestions",
    "target_of",
    "with_drafts",
]

_INTRODUCE = ("earned", "represents")
_EARLY = ("discover", "learn")
_NEW = {
    "employer": (
        "Employer event",
        {"owner": "employer", "audience": "learner", "channel": "in_person"},
        ("value", "talk"),
    ),
    "faculty": (
        "Faculty introduce the credential",
        {"owner": "faculty", "audience": "learner", "channel": "in_person"},
        _INTRODUCE,
    ),
}


@dataclass(frozen=True)
class Fix:
    """One suggested change: its form key, what it does in words, and the findings it targets."""

    key: str
    label: str
    findings: tuple[int, ...]


def _say(journey: engine.Journey, tp: str, credential: str, messages: tuple[str, ...]) -> Fix:
    touchpoint = journey.touchpoint_by_id[tp]
    name = journey.credential_by_id[credential].name
    told = " and ".join(TOLD[m].format(name=name) for m in messages)
    label = f"Tell learners at '{touchpoint.title}' {told}"
    return Fix(f"say:{tp}:{credential}:{'+'.join(messages)}", label, ())


def _add(journey: engine.Journey, kind: str, after: str) -> Fix:
    title = _NEW[kind][0]
    where = journey.touchpoint_by_id[after]
    stage = journey.stage_by_id[where.stage].name
    label = f"Add a touchpoint '{title}' in stage '{stage}', right after '{where.title}'"
    return Fix(f"add:{kind}:{after}", label, ())


def _for(finding: Finding, analysis: Analysis) -> list[Fix]:
    """Return the fixes worth trying for one finding, most direct first."""
    journey = analysis.journey
    reached = analysis.reachable
    c, tp, witness = finding.credential, finding.touchpoint, finding.witness or ()
    if finding.rule == "missing-message" and c and tp and finding.message:
        out = [_say(journey, tp, c, (finding.message,))]
        if len(witness) >= 2:
            out.append(_say(journey, witness[-2], c, (finding.message,)))
        return out
    if finding.rule == "surprise-issue" and c and len(witness) >= 2:
        return [_say(journey, t, c, _INTRODUCE) for t in dict.fromkeys((witness[-2], witness[0]))]
    if finding.rule == "mention-without-explanation" and c and tp:
        return [_say(journey, tp, c, ("represents",))]
    if finding.rule == "no-early-mention" and c:
        phase = {s.id: s.phase for s in journey.stages}
        early = [t for t in journey.touchpoints if t.id in reached and phase[t.stage] in _EARLY]
        return [_say(journey, early[0].id, c, _INTRODUCE)] if early else []
    if finding.rule == "no-faculty-voice" and c:
        faculty = [t for t in journey.touchpoints if t.id in reached and t.owner == "faculty"]
        if faculty:
            return [_say(journey, faculty[0].id, c, _INTRODUCE)]
        return [_add(journey, "faculty", journey.entries[0])] if journey.entries else []
    if finding.rule == "no-employer-touchpoint":
        ends = [t for t in exits(journey) if t in reached]
        return [_add(journey, "employer", ends[0])] if ends else []
    return []


def suggestions(analysis: Analysis) -> list[Fix]:
    """Return the fixes suggested by the findings, each once, with the findings it targets."""
    found: dict[str, Fix] = {}
    for number, finding in enumerate(analysis.findings, start=1):
        for fix in _for(finding, analysis):
            known = found.get(fix.key, fix)
            found[fix.key] = dataclasses.replace(known, findings=(*known.findings, number))
    return list(found.values())


def by_finding(fixes: list[Fix]) -> dict[int, list[Fix]]:
    """Return the fixes listed under each finding number they target."""
    out: dict[int, list[Fix]] = {}
    for fix in fixes:
        for number in fix.findings:
            out.setdefault(number, []).append(fix)
    return out


def apply(journey: engine.Journey, keys: list[str]) -> engine.Journey:
    """Return a copy of ``journey`` with the fixes named by ``keys`` made, in order.

    Raises ``ValueError`` for a key that names no possible change.
    """
    for key in keys:
        kind, _, rest = key.partition(":")
        if kind == "say":
            tp, credential, messages = _parts(key, rest, 3)
            journey = _told(journey, tp, credential, tuple(messages.split("+")))
        elif kind == "add":
            new, after = _parts(key, rest, 2)
            journey = _spliced(journey, new, after)
        else:
            raise ValueError(f"unknown fix {key!r}")
    return journey


def _parts(key: str, rest: str, count: int) -> list[str]:
    parts = rest.split(":")
    if len(parts) != count or not all(parts):
        raise ValueError(f"unknown fix {key!r}")
    return parts


def _told(
    journey: engine.Journey, tp: str, credential: str, messages: tuple[str, ...]
) -> engine.Journey:
    """Return the journey with ``messages`` for ``credential`` added at touchpoint ``tp``."""
    touchpoint = journey.touchpoint_by_id.get(tp)
    if (
        touchpoint is None
        or credential not in journey.credential_by_id
        or not set(messages) <= set(engine.MESSAGE_KINDS)
    ):
        raise ValueError(f"no such touchpoint, credential or message: {tp}, {credential}")
    said = set(touchpoint.messages.get(credential, ())) | set(messages)
    kinds = tuple(m for m in engine.MESSAGE_KINDS if m in said)
    changed = dataclasses.replace(touchpoint, messages={**touchpoint.messages, credential: kinds})
    return dataclasses.replace(
        journey,
        touchpoints=tuple(changed if t.id == tp else t for t in journey.touchpoints),
    )


def _spliced(journey: engine.Journey, kind: str, after: str) -> engine.Journey:
    """Return the journey with a new touchpoint of ``kind`` between ``after`` and its next ones."""
    where = journey.touchpoint_by_id.get(after)
    if where is None or kind not in _NEW:
        raise ValueError(f"cannot add a {kind} touchpoint after {after!r}")
    title, fields, messages = _NEW[kind]
    key = new_id(title, {t.id for t in journey.touchpoints})
    kinds = tuple(m for m in engine.MESSAGE_KINDS if m in messages)
    said = {c.id: kinds for c in journey.credentials}
    added = engine.Touchpoint(
        id=key,
        title=title,
        stage=where.stage,
        channel=fields["channel"],
        owner=fields["owner"],
        audience=fields["audience"],
        messages=said,
    )
    touchpoints: list[engine.Touchpoint] = []
    for t in journey.touchpoints:
        touchpoints.append(t)
        if t.id == after:
            touchpoints.append(added)
    transitions = [
        dataclasses.replace(tr, from_=key) if tr.from_ == after else tr
        for tr in journey.transitions
    ]
    transitions.append(engine.Transition(after, key))
    return dataclasses.replace(
        journey, touchpoints=tuple(touchpoints), transitions=tuple(transitions)
    )


@dataclass(frozen=True)
class Change:
    """How the fixes change the findings and the shares: what goes, what comes, what moves."""

    resolved: tuple[Finding, ...]
    new: tuple[Finding, ...]
    #: (credential, message, touchpoint, share today, share with the fixes), issue points only.
    shares: tuple[tuple[str, str, str, float | None, float | None], ...]


def _identity(f: Finding) -> tuple[str | None, ...]:
    return (f.rule, f.credential, f.touchpoint, f.message)


def compare(today: Analysis, tried: Analysis) -> Change:
    """Return what changes from today's analysis to the one with fixes."""
    before = {_identity(f) for f in today.findings}
    after = {_identity(f) for f in tried.findings}
    shares_after = {
        (c.credential, c.message, c.touchpoint): c.expected_share
        for c in tried.checkpoints
        if c.by == "issue"
    }
    return Change(
        resolved=tuple(f for f in today.findings if _identity(f) not in after),
        new=tuple(f for f in tried.findings if _identity(f) not in before),
        shares=tuple(
            (
                c.credential,
                c.message,
                c.touchpoint,
                c.expected_share,
                shares_after.get((c.credential, c.message, c.touchpoint)),
            )
            for c in today.checkpoints
            if c.by == "issue"
        ),  # fmt: skip
    )


#: How many suggested fixes :func:`ranked` tries at most, so a huge journey stays quick.
MAX_TRIED = 60
#: Touchpoints :func:`ranked` may analyse in all (tries x touchpoints): a 300-touchpoint
#: journey tries 20 fixes, a 2,000-touchpoint one 3, past 6,000 none (``check`` stays fast).
MAX_WORK = 6_000


@dataclass(frozen=True)
class Ranked:
    """A fix with the score it gives when applied alone, and what it would change."""

    fix: Fix
    #: The score with this fix alone, and its gain over today's.
    score: int
    gain: int
    #: (touchpoint, credential, messages) for a ``say:`` fix, where a draft can go; else None.
    target: tuple[str, str, tuple[str, ...]] | None


def target_of(key: str) -> tuple[str, str, tuple[str, ...]] | None:
    """Return (touchpoint, credential, messages) of a ``say:`` fix key, else None.

    >>> target_of("say:mail:b:why+claim"), target_of("add:employer:x")
    (('mail', 'b', ('why', 'claim')), None)
    """
    kind, _, rest = key.partition(":")
    parts = rest.split(":")
    if kind != "say" or len(parts) != 3 or not all(parts):
        return None
    return parts[0], parts[1], tuple(parts[2].split("+"))


def ranked(analysis: Analysis, limit: int = 3) -> list[Ranked]:
    """Return the ``limit`` suggested fixes that raise the score most, each tried on a copy.

    Ties keep the report's order (the fix for the earlier, worse finding
    first); a fix that raises nothing is left out. At most :data:`MAX_WORK`
    touchpoints are analysed in all, so a very large journey gets few or none.
    """
    from journeys.analysis import analyse
    from journeys.score import score

    today = score(analysis).value
    tried: list[Ranked] = []
    tries = min(MAX_TRIED, MAX_WORK // max(1, len(analysis.journey.touchpoints)))
    for fix in offered(analysis)[:tries] if tries else ():
        value = score(analyse(apply(analysis.journey, [fix.key]))).value
        if value > today:
            tried.append(Ranked(fix, value, value - today, target_of(fix.key)))
    tried.sort(key=lambda r: -r.gain)
    return tried[:limit]


def _uninformed(analysis: Analysis) -> list[Fix]:
    """Return fixes for messages declared but taken in by few: say them just before the issue.

    A checkpoint can be covered on every path and still reach few learners
    (an email almost nobody opens); telling the message at a touchpoint right
    before it, which learners pass anyway, informs more of them.
    """
    journey = analysis.journey
    before: dict[str, list[str]] = {}
    for tr in journey.transitions:
        before.setdefault(tr.to, []).append(tr.from_)
    out = []
    for c in analysis.checkpoints:
        if c.by != "issue" or c.expected_share is None or c.expected_share >= 0.95:
            continue
        for tp in before.get(c.touchpoint, ()):
            if c.message not in journey.touchpoint_by_id[tp].messages.get(c.credential, ()):
                out.append(_say(journey, tp, c.credential, (c.message,)))
    return out


def offered(analysis: Analysis) -> list[Fix]:
    """Return every fix the what-if offers: the findings' suggestions, then the informing ones.

    The informing ones say a message just before an issue point where few
    learners take it in, so that *Fix these first* can rank them too.
    """
    found = {f.key: f for f in suggestions(analysis)}
    for fix in _uninformed(analysis):
        found.setdefault(fix.key, fix)
    return list(found.values())


def with_drafts(journey: engine.Journey, keys: list[str]) -> engine.Journey:
    """Return ``journey`` with each ``say:`` fix's drafted copy added to its touchpoint's content.

    The draft goes after the existing copy, marked with ``DRAFT_MARK`` for the
    designer to edit; ``add:`` fixes get no draft (their touchpoint is new).
    """
    from journeys.drafts import draft

    for key in keys:
        target = target_of(key)
        if target is None:
            continue
        tp, cid, kinds = target
        touchpoint = journey.touchpoint_by_id.get(tp)
        credential = journey.credential_by_id.get(cid)
        if touchpoint is None or credential is None:
            raise ValueError(f"no such touchpoint or credential: {tp}, {cid}")
        text = draft(credential, kinds, touchpoint.channel).marked()
        content = f"{touchpoint.content.rstrip()}\n\n{text}" if touchpoint.content.strip() else text
        changed = dataclasses.replace(touchpoint, content=content)
        journey = dataclasses.replace(
            journey, touchpoints=tuple(changed if t.id == tp else t for t in journey.touchpoints)
        )
    return journey
