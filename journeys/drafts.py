"""Drafted copy that closes a gap: learner-facing words from the credential's own fields.

For a message kind and a touchpoint's channel, :func:`draft` writes plain
English from templates (never a remote service), built from the credential's
name, description, criteria, skills, issuer and, where known, its
achievement type and address. The shape follows the channel: an email gets a
subject line and paragraphs, an LMS or web page a short block, an in-person
session or workshop talking points, anything else a short paragraph.

What each kind says follows the article the product grew from: ``represents``
explains the skills and level in the learner's words, ``why`` the criteria,
``claim`` the claim steps, ``share`` LinkedIn and e-portfolio steps, ``talk``
interview language from the skills (rich skill descriptors give learners the
words for interviews).

>>> from journeys.model import Credential
>>> badge = Credential("b", "Data Badge", description="Reads charts.", skills=("Read charts",))
>>> print(draft(badge, ("represents",), "lms").text)
Data Badge
The Data Badge shows what you can do: Reads charts.
Skills it recognises: Read charts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from journeys.model import MESSAGE_KINDS, Credential

__all__ = ["DRAFT_MARK", "Draft", "draft", "shape_of"]

#: Put before drafted text added to a touchpoint, so the designer knows to edit it.
DRAFT_MARK = "[Draft — edit before sending]"

_SHAPES = {
    "email": "email",
    "lms": "block",
    "web": "block",
    "social": "block",
    "chat": "block",
    "in_person": "points",
    "workshop": "points",
    "video": "points",
    "print": "block",
}


@dataclass(frozen=True)
class Draft:
    """Drafted copy for one touchpoint: an optional subject line and the text to paste."""

    subject: str | None
    text: str

    def marked(self) -> str:
        """Return the draft as it is added to a touchpoint's content, with the draft mark."""
        subject = f"Subject: {self.subject}\n" if self.subject else ""
        return f"{DRAFT_MARK}\n{subject}{self.text}"


def shape_of(channel: str) -> str:
    """Return how copy for ``channel`` is shaped: ``email``, ``block``, ``points`` or ``paragraph``.

    >>> shape_of("email"), shape_of("lms"), shape_of("in_person"), shape_of("radio")
    ('email', 'block', 'points', 'paragraph')
    """
    return _SHAPES.get(channel.strip().lower(), "paragraph")


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    if text and text[-1] not in ".!?":
        text += "."
    return text


def _skills(c: Credential) -> str:
    return "; ".join(s.strip() for s in c.skills if s.strip())


def _lines(c: Credential, message: str) -> list[str]:
    """Return the sentences that tell ``message`` about credential ``c``."""
    name = c.name
    by = f" from {c.issuer}" if c.issuer else ""
    kind = c.achievement_type.strip().lower() if c.achievement_type else "credential"
    skills = _skills(c)
    link = f" at {c.url}" if c.url else ""
    if message == "earned":
        return [f"You have earned the {name}{by}, a {kind} that recognises what you have learned."]
    if message == "represents":
        out = [
            f"The {name} shows what you can do: {_sentence(c.description)}"
            if c.description
            else f"The {name} shows what you can do."
        ]
        if skills:
            out.append(f"Skills it recognises: {_sentence(skills)}")
        if c.achievement_type:
            out.append(f"Type of credential: {_sentence(c.achievement_type)}")
        return out
    if message == "why":
        if c.criteria:
            return [
                f"You received the {name} because you met its criteria: {_sentence(c.criteria)}"
            ]
        return [f"You received the {name} for the learning you completed."]
    if message == "claim":
        return [
            f"To claim your {name}: 1. Open the link or button in this message{link}. "
            "2. Sign in or create your free account. "
            "3. Select Accept to keep the badge. It stays yours, and you decide who sees it."
        ]
    if message == "use":
        return [
            f"Use the {name} as evidence of your skills: list it under Certifications on your CV, "
            "mention it in job applications and add it to your portfolio"
            + (f", next to the skills it shows ({skills})." if skills else ".")
        ]
    if message == "share":
        return [
            f"Share the {name} on LinkedIn: open your profile, choose Add section, then "
            f"Licenses & certifications, enter {name} with {c.issuer or 'the issuer'} as the "
            "issuing organisation and paste the badge link. Add it to your e-portfolio too: "
            "copy the badge link into a new entry and say what you did to earn it."
        ]
    if message == "talk":
        if skills:
            talk = "; ".join(f'"I can {s[0].lower()}{s[1:]}"' for s in c.skills if s.strip())
            return [
                f"In an interview, talk about the {name} in terms of skills: {talk}. "
                "Give one example of a time you used each skill."
            ]
        return [
            f"In an interview, say what you did to earn the {name} and one thing you can now do "
            "that you could not before."
        ]
    if message == "value":
        return [
            f"Why the {name} matters: employers look for evidence of skills"
            + (f" such as these ({skills})" if skills else "")
            + f", and the {name} helps you stand out when you apply for a job or a course"
            + (f"; {c.issuer} stands behind it." if c.issuer else ".")
        ]
    raise ValueError(f"unknown message kind {message!r}")


def draft(credential: Credential, messages: Sequence[str], channel: str) -> Draft:
    """Return drafted copy telling ``messages`` about ``credential``, shaped for ``channel``.

    Raises ``ValueError`` for a message that is not a message kind.
    """
    kinds = [m for m in MESSAGE_KINDS if m in set(messages)]
    unknown = set(messages) - set(MESSAGE_KINDS)
    if unknown or not kinds:
        raise ValueError(f"unknown message kind {sorted(unknown) or messages!r}")
    sentences = [line for m in kinds for line in _lines(credential, m)]
    shape = shape_of(channel)
    name = credential.name
    if shape == "email":
        subject = (
            f"How to claim your {name}" if kinds == ["claim"] else f"Your {name}: what it means"
        )
        return Draft(subject, "\n\n".join(["Hello,", *sentences, credential.issuer or name]))
    if shape == "points":
        return Draft(None, "\n".join(f"- {s}" for s in sentences))
    if shape == "block":
        return Draft(None, "\n".join([name, *sentences]))
    return Draft(None, " ".join(sentences))
