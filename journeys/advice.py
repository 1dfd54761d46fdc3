"""What each finding says: its one-line summary and the advice a consultant would give.

The advice follows the practice the seed article describes: explain what a
credential represents and why the learner got it when it is issued, make
claiming obvious, give step-by-step LinkedIn and e-portfolio guides and
interview tips, and bring employers and faculty into the conversation.
"""

from __future__ import annotations

from journeys.findings import Finding
from journeys.model import Credential, Journey, Touchpoint

__all__ = ["ADVICE", "TOLD", "advice", "learner_gap", "summary", "undescribed"]

#: What the learner is told, per message kind, as a phrase about credential {name}.
TOLD: dict[str, str] = {
    "earned": "that they have earned the {name}",
    "represents": "what the {name} represents",
    "why": "why they received the {name}",
    "claim": "how to claim the {name}",
    "use": "how to use the {name}",
    "share": "how to share the {name}",
    "talk": "how to talk about the {name}",
    "value": "why the {name} matters",
}

#: Advice per message kind for ``missing-message``.
ADVICE: dict[str, str] = {
    "earned": (
        "Tell learners early and plainly that they will earn this credential, and congratulate "
        "them by name when it is awarded; a badge that arrives unannounced is easy to ignore."
    ),
    "represents": (
        "Explain what the credential represents in the learner's words: the skills, the "
        "criteria and the level, ideally with rich skill descriptors they can reuse."
    ),
    "why": (
        "Say why the learner received it: which activity or assessment earned it, even when it "
        "is awarded automatically for learning they were already doing."
    ),
    "claim": (
        "Show how to claim or accept it, step by step, with the link and what happens next; "
        "a confusing or hidden claim process is where most badges are lost."
    ),
    "use": (
        "Show how to use it as evidence of skills: on a CV, in job applications and in a "
        "portfolio, with a job-application guide or template."
    ),
    "share": (
        "Give a step-by-step guide to adding it to LinkedIn and an e-portfolio template, so "
        "learners see where sharing pays off."
    ),
    "talk": (
        "Give interview tips and skill language so learners can talk about what the credential "
        "shows; careers services are a natural owner for this."
    ),
    "value": (
        "Say why it matters: which employers recognise it and what it does for job prospects; "
        "co-designing with local industry makes that claim credible."
    ),
}


def _told(kind: str, credential: Credential) -> str:
    return TOLD[kind].format(name=credential.name)


def undescribed(credential: Credential) -> list[str]:
    """Return what the credential lacks of ``description``, ``criteria`` and ``skills``.

    Empty text and an empty list count as none (spec section 4,
    ``undescribed-credential``).

    >>> from journeys.model import Credential
    >>> undescribed(Credential("b", "Badge", description="Reads charts"))
    ['criteria', 'skills']
    """
    missing = []
    if not credential.description.strip():
        missing.append("description")
    if not credential.criteria.strip():
        missing.append("criteria")
    if not any(s.strip() for s in credential.skills):
        missing.append("skills")
    return missing


def summary(
    rule: str,
    *,
    credential: Credential | None = None,
    touchpoint: Touchpoint | None = None,
    message: str | None = None,
    coverage: str | None = None,
    by: str | None = None,
) -> str:
    """Return the one-line summary of a finding."""
    name = credential.name if credential else ""
    title = f"'{touchpoint.title}'" if touchpoint else ""
    if rule == "missing-message":
        assert credential and message and touchpoint  # noqa: S101 (the rule's invariant, for mypy)
        told = _told(message, credential)
        if by == "end":
            if coverage == "none":
                return f"No learner finishing at {title} has been told {told}"
            return f"Some learners finish at {title} without being told {told}"
        if coverage == "none":
            return f"No learner reaching {title} has been told {told} by then"
        return f"Some learners reach {title} without being told {told}"
    if rule == "surprise-issue":
        return f"Some learners receive the {name} at {title} with no earlier mention of it"
    if rule == "never-issued":
        return f"No touchpoint a learner can reach issues the {name}"
    if rule == "mention-without-explanation":
        return f"{title} mentions the {name} but explains nothing about it"
    if rule == "no-early-mention":
        return f"The {name} is not mentioned in any discover or learn stage"
    if rule == "no-employer-touchpoint":
        return "No touchpoint is owned by or addressed to employers"
    if rule == "no-faculty-voice":
        return f"No faculty-owned touchpoint mentions the {name}"
    if rule == "unreachable-touchpoint":
        return f"No learner path reaches {title}"
    if rule == "undescribed-credential":
        assert credential is not None  # noqa: S101 (the rule's invariant, for mypy)
        missing = undescribed(credential)
        listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " or " + missing[-1]
        return f"The {name} has no {listed} to tell learners what it represents"
    raise ValueError(f"unknown rule {rule!r}")


def advice(rule: str, *, message: str | None = None) -> str:
    """Return what a consultant would advise for a finding of ``rule``."""
    if rule == "missing-message":
        assert message is not None  # noqa: S101 (the rule's invariant, for mypy)
        return ADVICE[message]
    return _RULE_ADVICE[rule]


_RULE_ADVICE: dict[str, str] = {
    "surprise-issue": (
        "Introduce the credential before it arrives: name it in the course introduction or "
        "welcome message, so that the issue email confirms something learners expect."
    ),
    "never-issued": (
        "Add the touchpoint that awards the credential (the issue email or claim page), or "
        "connect it so that learners can reach it."
    ),
    "mention-without-explanation": (
        "Where the credential is mentioned, say at least what it represents or how to use it; "
        "every touchpoint that names it is a chance to explain it."
    ),
    "no-early-mention": (
        "Mention the credential from the start, in the course introduction or learning "
        "materials, so learners know what they are working towards."
    ),
    "no-employer-touchpoint": (
        "Bring employers in: an employer event, a co-designed brief or an endorsement tells "
        "learners the credential is recognised, and tells employers what it means."
    ),
    "no-faculty-voice": (
        "Let faculty speak about the credential in their own course touchpoints; involved "
        "educators become its advocates instead of seeing it as an extra task."
    ),
    "undescribed-credential": (
        "Write down what the credential represents, how it is earned and the skills it "
        "stands for; if your badge platform or skills library already has them, import the "
        "credential definition (claimpath credential BADGE_FILE --into JOURNEY.json, or "
        "Import credential on the Credentials screen) so every touchpoint can quote it."
    ),
    "unreachable-touchpoint": (
        "Connect this touchpoint to the journey or remove it: no learner will ever see what "
        "it says."
    ),
}


def learner_gap(journey: Journey, finding: Finding) -> str | None:
    """Return what the finding leaves the learner without, in the learner's words, or None.

    Only a missing message and a surprise issue have such a phrase; the web
    report shows it beside the path that leads there.

    >>> from journeys.model import Stage
    >>> journey = Journey(
    ...     "J", (Credential("b", "Data Badge"),), (Stage("s", "S", "learn"),),
    ...     (Touchpoint("t", "T", "s"),),
    ... )
    >>> gap = Finding("missing-message", "critical", "b", None, "claim", None, "", "")
    >>> learner_gap(journey, gap)
    'not told how to claim the Data Badge'
    """
    if finding.credential is None or finding.credential not in journey.credential_by_id:
        return None
    name = journey.credential_by_id[finding.credential].name
    if finding.rule == "missing-message" and finding.message:
        return f"not told {TOLD[finding.message].format(name=name)}"
    if finding.rule == "surprise-issue":
        return f"receives the {name} here, never having heard of it"
    return None
