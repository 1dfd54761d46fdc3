"""Which messages a touchpoint's words seem to carry: the phrase table and its suggestions.

:func:`suggest_messages` reads copy for phrases such as "add it to your
LinkedIn profile" and proposes the message kind it seems to carry
(``share``), with the phrase as evidence, so a person can tick it. A
suggestion is never coverage: only declared messages are delivered
(spec section 2; names in the text are :mod:`journeys.mentions`).

The phrase table
----------------
Grounded in the article the product grew from and the spec's message table.
It prefers a missed suggestion to a silly one, since people read every
suggestion. Decisions worth knowing:

- ``e-portfolio`` is ``share`` (the article's "E-portfolio templates" are in
  its how-and-where-to-share list); a plain ``portfolio`` is ``use``.
- ``claim``, ``claimed``, ``claiming`` are ``claim``; ``claims`` and
  "claim that" are not (research claims, arguments).
- ``share``, ``sharing``, ``shareable`` are ``share``; ``shared`` and
  ``shares`` are not ("shared drive", "shared responsibility"). "market share"
  is accepted as a rare false positive.
- ``resume`` counts as the document only as "résumé" or after a word such as
  "your" ("your resume"), never the verb ("resume the course").
- ``career`` is ``value``, but not in "career services", "careers centre" and
  the like, which are owners, not value.
- Bare ``skills`` and ``level`` are too common to mean ``represents``; the
  table wants "Skills:", "skills you demonstrated", "intermediate level",
  "AQF level 5", "criteria", "what it means" and the like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from journeys.mentions import FIELDS
from journeys.model import MESSAGE_KINDS, Touchpoint

__all__ = ["Suggestion", "Unsaid", "declared_but_unsaid", "suggest_messages", "suggestions_for"]


@dataclass(frozen=True)
class Suggestion:
    """A message kind the words seem to carry, with the phrase that suggests it."""

    message: str
    phrase: str
    field: str
    start: int
    end: int


# Phrase notation: a space matches any run of whitespace, an apostrophe either
# a straight or a curly one; {cred} is a word for a credential and {the} a
# determiner before it. Each kind's phrases are wrapped as whole words.
_CRED = r"(?:digital |open )?(?:micro-?)?(?:badge|credential|certificate|certification)s?"
_THE = r"(?:a|an|the|this|that|your|its|these|those)"

#: Message kind -> the phrases that suggest it, as regular expressions.
_PHRASES: dict[str, tuple[str, ...]] = {
    "earned": (
        r"(on|upon) (successful )?completion,? you('ll| will) (receive|earn|get)",
        r"you('ve| have) (now |just |successfully )?"
        r"(earned|been awarded|achieved|received|unlocked)",
        r"you('ll| will) (also )?(earn|be awarded|(receive|get) {the} {cred})",
        r"you (earned|received|were awarded|got) (it|{the} {cred})",
        r"you (can|could) (also )?earn",
        r"(earn|earning) {the} {cred}",
        r"(has|have) been (awarded|issued)",
        r"awarded",
        r"congratulations",
        r"congrats",
    ),
    "represents": (
        r"what (it|this|{the} {cred}) (means|represents|shows|says about you)",
        r"represents?",
        r"demonstrates?",
        r"certif(y|ies) that",
        r"shows that you",
        r"what you (know and )?can do",
        r"(assessment |earning |award )?criteria",
        r"learning outcomes?",
        r"competenc(y|ies)",
        r"skills?:",
        r"skill descriptors?",
        r"skills? (you('ve| have)? )?(demonstrated|shown|developed|gained|mastered)",
        r"evidence (of|that)",
        r"(beginner|foundation(al)?|intermediate|advanced|expert|professional|entry)(-| )level",
        r"(aqf|nqf|eqf|nfq|scqf|rqf|proficiency) level( \d+)?",
        r"level \d+",
        r"recogni[sz]es (your|that you|the skills?)",
    ),
    "why": (
        r"because you",
        r"why you",
        r"the reason (you|why)",
        r"(received|earned|got|were awarded|are receiving) (it|this|{the} {cred}) (for|by|because)",
        r"awarded (to you )?(for|because)",
        r"in recognition of",
        r"for (successfully )?(completing|passing|finishing|achieving|demonstrating|attending)",
        r"as a result of your",
        r"(on|upon) (successful )?completion",
    ),
    "claim": (
        r"claim(ing|ed)?(?! that)",
        r"unclaimed",
        r"accept (it|{the} {cred}|the invitation)",
        r"(click|tap|follow) (on )?the (link|button)",
        r"(create|set up|activate) (an|your|a free) account",
        r"((digital|credential|badge) )?wallet",
        r"backpack",
        r"redeem",
        r"(download|retrieve|collect) {the} {cred}",
    ),
    "use": (
        r"how to use (it|them|{the} {cred})",
        r"use (it|them|{the} {cred}) (to|as|in|on|when|for)",
        r"cvs?",
        r"curriculum vitae",
        r"(résumé|resumé|résume)s?",
        r"(your|a|the|my|their) resumes?",
        r"job applications?",
        r"(apply|applying) for (a |the )?(jobs?|roles?|positions?|promotions?)",
        r"cover letters?",
        r"(?<!e-)portfolios?",
    ),
    "share": (
        r"linkedin",
        r"linked in",
        r"e-?portfolios?",
        r"share|sharing|shareable",
        r"post (it|them|{the} {cred})",
        r"add (it|them|{the} {cred}) to your "
        r"(linkedin )?(profile|website|email signature|linkedin)",
        r"(online|public|social media) profile",
        r"social media",
        r"email signature",
        r"licen[cs]es (and|&) certifications",
        r"show (it |them )?off",
    ),
    "talk": (
        r"interview(s|ing|ers?)?",
        r"talk(ing)? about",
        r"speak(ing)? about",
        r"describe (your (skills|learning|experience|achievements?)|what you|it|them|{the} {cred})",
        r"skills? language",
        r"language (to|for) (describe|describing|talk|talking)",
        r"elevator pitch(es)?",
        r"talking points?",
        r"in your own words",
        r"star (method|technique)",
    ),
    "value": (
        r"employers? (recogni[sz]e|value|look for|are looking for|want|seek|trust|ask for)",
        r"(valued|recogni[sz]ed|trusted|endorsed) by",
        r"(widely|industry|nationally|internationally|globally)(-| )recogni[sz]ed",
        r"industry|industries",
        r"careers?(?! (services?|cent(re|er)s?|office|advis[eo]rs?|team|hub|portal))",
        r"job prospects",
        r"employability",
        r"stand out",
        r"(skills-based |skills based )?hiring",
        r"why (it|this|they|{the} {cred}) matters?",
        r"valuable",
        r"(real-world|professional|market) value",
        r"competitive (edge|advantage)",
    ),
}


def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Return one whole-word, case-insensitive pattern for a kind's phrases."""
    body = "|".join(phrases).replace("{cred}", _CRED).replace("{the}", _THE)
    body = body.replace(" ", r"\s+").replace("'", "['\u2019]")
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


_PATTERNS: dict[str, re.Pattern[str]] = {
    kind: _phrase_pattern(_PHRASES[kind]) for kind in MESSAGE_KINDS
}


def suggest_messages(text: str, field: str = "content") -> list[Suggestion]:
    """Return the message kinds ``text`` seems to carry, each with its first phrase, by position.

    >>> for s in suggest_messages("Congratulations! Add it to your LinkedIn profile."):
    ...     print(s.message, repr(s.phrase), s.start)
    earned 'Congratulations' 0
    share 'Add it to your LinkedIn profile' 17
    """
    found = []
    for order, (kind, pattern) in enumerate(_PATTERNS.items()):
        m = pattern.search(text)
        if m:
            found.append((m.start(), order, Suggestion(kind, m.group(), field, m.start(), m.end())))
    found.sort(key=lambda item: item[:2])
    return [item[2] for item in found]


def suggestions_for(touchpoint: Touchpoint) -> list[Suggestion]:
    """Return one suggestion per message kind the touchpoint's words seem to carry.

    The title is read before the content, and each kind keeps its first
    phrase. Declared messages are not left out: the caller decides.

    >>> touchpoint = Touchpoint("t", "Claim your badge", "s", content="Claim it, then share it.")
    >>> [(s.message, s.field, s.phrase) for s in suggestions_for(touchpoint)]
    [('claim', 'title', 'Claim'), ('share', 'content', 'share')]
    """
    seen: set[str] = set()
    result: list[Suggestion] = []
    for field in FIELDS:
        for suggestion in suggest_messages(getattr(touchpoint, field), field):
            if suggestion.message not in seen:
                seen.add(suggestion.message)
                result.append(suggestion)
    return result


@dataclass(frozen=True)
class Unsaid:
    """A declared message the touchpoint's words do not seem to carry: a note for the reviewer."""

    credential: str
    message: str
    touchpoint: str

    @property
    def note(self) -> str:
        """Return the review note, e.g. ``Declares claim, but the words say no such thing``."""
        return (
            f"Declares '{self.message}', but its words do not seem to say it "
            f"(no phrase such as {_EXAMPLE[self.message]}): check the copy carries it."
        )


#: One phrase per kind that a reviewer would look for, as an example in the note.
_EXAMPLE: dict[str, str] = {
    "earned": "“you have earned”",
    "represents": "“skills you demonstrated” or “criteria”",
    "why": "“for completing” or “because you”",
    "claim": "“claim”, “accept it” or “follow the link”",
    "use": "“CV” or “job applications”",
    "share": "“LinkedIn” or “share”",
    "talk": "“interview” or “talk about”",
    "value": "“employers look for” or “career”",
}


def declared_but_unsaid(touchpoint: Touchpoint) -> list[Unsaid]:
    """Return the declared messages whose copy shows no phrase of their kind, in message order.

    The phrase table read the other way round: a review note, never a
    finding, never in the score (only declared messages count as delivered).

    >>> t = Touchpoint("t", "Badge issued", "s", content="You have earned it.",
    ...                messages={"b": ("earned", "claim")})
    >>> [(u.credential, u.message) for u in declared_but_unsaid(t)]
    [('b', 'claim')]
    """
    said = {s.message for s in suggestions_for(touchpoint)}
    return [
        Unsaid(cid, kind, touchpoint.id)
        for cid, kinds in touchpoint.messages.items()
        for kind in MESSAGE_KINDS
        if kind in kinds and kind not in said
    ]
