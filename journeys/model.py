"""The journey model: credentials, stages, touchpoints, transitions, requirements.

Objects are immutable; build a changed copy with :func:`dataclasses.replace`.
Field names follow the journey file (``journey-format.md``) except where
Python forbids it: a transition's ``from`` is ``from_``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

__all__ = [
    "AUDIENCES",
    "CHANNELS",
    "CHECKPOINT_KINDS",
    "DEFAULT_REQUIREMENTS",
    "FORMAT",
    "ID_PATTERN",
    "MESSAGE_KINDS",
    "MESSAGE_MEANINGS",
    "OWNERS",
    "PHASES",
    "SEVERITIES",
    "SEVERITY_WORDS",
    "Credential",
    "Journey",
    "Requirement",
    "Stage",
    "Touchpoint",
    "Transition",
    "new_id",
]

FORMAT = "claimpath-journey/1"

#: What an id looks like: lowercase letters, digits, ``_`` and ``-``, at most 64 characters.
ID_PATTERN = r"[a-z0-9][a-z0-9_-]{0,63}"

#: What a touchpoint can tell a learner about a credential, in checklist order.
MESSAGE_KINDS: tuple[str, ...] = (
    "earned",
    "represents",
    "why",
    "claim",
    "use",
    "share",
    "talk",
    "value",
)

#: Message kind -> what the learner is told (the spec's table, word for word).
MESSAGE_MEANINGS: dict[str, str] = {
    "earned": "that they have earned, or will earn, this credential",
    "represents": "what it represents: skills, criteria, level",
    "why": "why they received it",
    "claim": "how to claim or accept it",
    "use": "how to use it: CV, job applications, portfolios",
    "share": "how and where to share it: LinkedIn, e-portfolio",
    "talk": "how to talk about it: skill language, interview tips",
    "value": "why it matters: employer recognition, career value",
}

#: The channels offered when writing a touchpoint (the spec's suggestions); any other
#: word is allowed too.
CHANNELS: tuple[str, ...] = ("email", "lms", "web", "in_person", "video", "social", "print", "chat")

#: Stage phases, in the order a learner meets them.
PHASES: tuple[str, ...] = ("discover", "learn", "earn", "issue", "claim", "share", "use")

#: Who owns a touchpoint, and who it speaks to.
OWNERS: tuple[str, ...] = ("learner", "faculty", "employer", "issuer", "career_services", "other")
AUDIENCES = OWNERS

#: Severities, worst first.
SEVERITIES: tuple[str, ...] = ("critical", "warning", "info")

#: Severity -> the one word every report, map and export uses for it.
SEVERITY_WORDS: dict[str, str] = {"critical": "Critical", "warning": "Warning", "info": "Info"}

#: Where a requirement is checked: at the issuing touchpoint or at the journey's exits.
CHECKPOINT_KINDS: tuple[str, ...] = ("issue", "end")


@dataclass(frozen=True)
class Credential:
    """A badge or microcredential the journey awards."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    criteria: str = ""
    skills: tuple[str, ...] = ()
    issuer: str = ""
    requires_claim: bool = True
    #: Open Badges' ``achievementType`` or similar, e.g. ``Certificate``; "" when unknown.
    achievement_type: str = ""
    #: The credential definition's own id or address; "" when unknown.
    url: str = ""


@dataclass(frozen=True)
class Stage:
    """A column of the journey map; stages are kept in journey order."""

    id: str
    name: str
    phase: str


@dataclass(frozen=True)
class Touchpoint:
    """One moment where the learner meets the program: an email, a page, a session."""

    id: str
    title: str
    stage: str
    channel: str = "other"
    owner: str = "issuer"
    audience: str = "learner"
    content: str = ""
    #: credential id -> message kinds this touchpoint explicitly delivers.
    messages: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: credential ids this touchpoint awards.
    issues: tuple[str, ...] = ()
    reach: float = 1.0
    entry: bool = False
    entry_share: float | None = None

    def delivers(self, credential: str, message: str) -> bool:
        """Return whether this touchpoint declares ``message`` for ``credential``."""
        return message in self.messages.get(credential, ())


@dataclass(frozen=True)
class Transition:
    """A learner can go from one touchpoint to the next, optionally with a share."""

    from_: str
    to: str
    share: float | None = None


@dataclass(frozen=True)
class Requirement:
    """Message ``message`` must have reached every learner by ``by`` (``issue`` or ``end``)."""

    message: str
    by: str
    severity: str


DEFAULT_REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement("earned", "issue", "critical"),
    Requirement("represents", "issue", "critical"),
    Requirement("why", "issue", "warning"),
    Requirement("claim", "issue", "critical"),
    Requirement("use", "end", "warning"),
    Requirement("share", "end", "warning"),
    Requirement("talk", "end", "info"),
)


@dataclass(frozen=True)
class Journey:
    """A learner journey: what learners pass through and what each touchpoint tells them."""

    title: str
    credentials: tuple[Credential, ...]
    stages: tuple[Stage, ...]
    touchpoints: tuple[Touchpoint, ...]
    transitions: tuple[Transition, ...] = ()
    description: str = ""
    #: The file's own requirements, or None for :data:`DEFAULT_REQUIREMENTS`.
    requirements: tuple[Requirement, ...] | None = None

    @cached_property
    def credential_by_id(self) -> dict[str, Credential]:
        """Return credentials keyed by id."""
        return {c.id: c for c in self.credentials}

    @cached_property
    def stage_by_id(self) -> dict[str, Stage]:
        """Return stages keyed by id."""
        return {s.id: s for s in self.stages}

    @cached_property
    def touchpoint_by_id(self) -> dict[str, Touchpoint]:
        """Return touchpoints keyed by id."""
        return {t.id: t for t in self.touchpoints}

    @property
    def effective_requirements(self) -> tuple[Requirement, ...]:
        """Return the file's requirements, or the defaults where it gives none."""
        return DEFAULT_REQUIREMENTS if self.requirements is None else self.requirements

    def requirements_for(self, credential: Credential) -> tuple[Requirement, ...]:
        """Return the requirements that apply to ``credential`` (no ``claim`` if it needs none)."""
        return tuple(
            r
            for r in self.effective_requirements
            if credential.requires_claim or r.message != "claim"
        )

    @cached_property
    def entries(self) -> tuple[str, ...]:
        """Return the ids where learners start, in file order (spec section 2).

        Touchpoints marked ``entry``; where none is, those with no incoming
        transition. Empty only for a journey the loader would reject.
        """
        marked = tuple(t.id for t in self.touchpoints if t.entry)
        if marked:
            return marked
        targets = {tr.to for tr in self.transitions}
        return tuple(t.id for t in self.touchpoints if t.id not in targets)


def new_id(text: str, taken: set[str]) -> str:
    """Return a file id made from ``text`` that is not in ``taken``.

    >>> new_id("Welcome email!", {"welcome-email"})
    'welcome-email-2'
    >>> new_id("Ünïcode — only", set())
    'unicode-only'
    >>> new_id("!!!", set())
    'item'
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:56].strip("-") or "item"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key
