"""Where touchpoints name a credential, and which messages their words seem to carry.

Two readings of a touchpoint's words live here, and only the first counts:

* **Mentions** (spec section 2). A touchpoint mentions credential C when it
  declares a message for C, issues C, or C's name or one of its aliases occurs
  in its title or content. :func:`mentions` is what the analysis uses.
* **Suggestions**. :func:`suggest_messages` reads copy for phrases such as
  "add it to your LinkedIn profile" and proposes the message kind it seems to
  carry (``share``), with the phrase as evidence, so a person can tick it. A
  suggestion is never coverage: only declared messages are delivered.

How names are matched
---------------------
- Case-insensitive, whole words: no letter, digit or underscore may touch the
  match on either side. This uses ``(?<!\\w)``/``(?!\\w)`` rather than ``\\b``
  so names that begin or end with punctuation ("C++ Badge", "Data-Lit") work.
  "badge" does not match "badges" but does match "badge's"; "Lit" does not
  match inside "literacy".
- Any run of whitespace in a name matches any run of whitespace in the text,
  so a name still counts where an email wraps a line inside it or uses a
  non-breaking space.
- Names and aliases are trimmed, blank ones ignored, and the longest is tried
  first so a mention reports the fullest name written.

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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from journeys.model import MESSAGE_KINDS, Credential, Journey, Touchpoint

__all__ = [
    "Mention",
    "Suggestion",
    "credential_pattern",
    "find_mentions",
    "highlight",
    "mentions",
    "suggest_messages",
    "suggestions_for",
    "text_mentions",
]

#: The fields of a touchpoint that are read, in reading order.
_FIELDS: tuple[str, ...] = ("title", "content")


@dataclass(frozen=True)
class Mention:
    """A credential's name or alias written in a touchpoint's title or content."""

    credential: str
    field: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Suggestion:
    """A message kind the words seem to carry, with the phrase that suggests it."""

    message: str
    phrase: str
    field: str
    start: int
    end: int


# --- credential names ------------------------------------------------------


def _alternatives(credential: Credential) -> tuple[str, ...]:
    """Return the credential's name and aliases, single-spaced, deduplicated, longest first."""
    seen: dict[str, str] = {}
    for raw in (credential.name, *credential.aliases):
        words = raw.split()
        if words:
            seen.setdefault(" ".join(words).lower(), " ".join(words))
    return tuple(sorted(seen.values(), key=len, reverse=True))


@lru_cache(maxsize=1024)
def _compile(alternatives: tuple[str, ...]) -> re.Pattern[str]:
    """Return the whole-word, case-insensitive pattern for ``alternatives``."""
    body = "|".join(r"\s+".join(map(re.escape, alt.split())) for alt in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def credential_pattern(credential: Credential) -> re.Pattern[str] | None:
    """Return the pattern matching the credential's name or any alias, or None if all are blank.

    Whole words, case-insensitive, any whitespace between words, longest
    alternative first. Compiled once per distinct set of names.

    >>> badge = Credential("data-lit", "Data Literacy Badge", aliases=("data badge", " "))
    >>> pattern = credential_pattern(badge)
    >>> [m.group() for m in pattern.finditer("The DATA badge, not data badges.")]
    ['DATA badge']
    >>> credential_pattern(Credential("x", "C++ Badge")).search("our C++ badge!").group()
    'C++ badge'
    >>> credential_pattern(Credential("x", "  ")) is None
    True
    """
    alternatives = _alternatives(credential)
    return _compile(alternatives) if alternatives else None


def find_mentions(journey: Journey, touchpoint: Touchpoint) -> list[Mention]:
    """Return every place the touchpoint's title or content names a journey credential.

    Sorted by field (title first), then position; where two credentials are
    named at the same place, in the journey's credential order.

    >>> journey = Journey(
    ...     "J",
    ...     (Credential("lit", "Data Literacy Badge", aliases=("badge",)),),
    ...     (),
    ...     (),
    ... )
    >>> touchpoint = Touchpoint("t", "Your badge", "s", content="The data literacy badge, earned.")
    >>> [(m.field, m.start, m.text) for m in find_mentions(journey, touchpoint)]
    [('title', 5, 'badge'), ('content', 4, 'data literacy badge')]
    """
    found: list[tuple[int, int, int, Mention]] = []
    for order, credential in enumerate(journey.credentials):
        pattern = credential_pattern(credential)
        if pattern is None:
            continue
        for rank, field in enumerate(_FIELDS):
            for m in pattern.finditer(getattr(touchpoint, field)):
                mention = Mention(credential.id, field, m.start(), m.end(), m.group())
                found.append((rank, m.start(), order, mention))
    found.sort(key=lambda item: item[:3])
    return [item[3] for item in found]


# Fast path for text_mentions. An IGNORECASE pattern cannot skip ahead, so
# searching every touchpoint with every pattern is slow (most of a second for
# 20,000 touchpoints). Instead each touchpoint's title and content are joined
# and lowercased once, and str.find looks for the first word of each name:
# every match of a name starts where one of its first words does, so trying
# the real pattern only there finds exactly what pattern.search would.

#: The only characters the regex engine, ignoring case, equates with an ASCII
#: letter although ``str.lower`` does not turn them into it.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def _lowered(text: str) -> str | None:
    """Return ``text`` lowercased with the same offsets, or None where that is impossible."""
    if text.isascii():
        return text.lower()
    low = text.translate(_FOLD).lower()
    return low if len(low) == len(text) else None


def _first_words(alternatives: tuple[str, ...]) -> set[str] | None:
    """Return each alternative's first word, lowercased, or None if one is not ASCII."""
    words = {alt.split()[0].lower() for alt in alternatives}
    return words if all(w.isascii() for w in words) else None


def text_mentions(journey: Journey) -> dict[str, frozenset[str]]:
    """Return, per touchpoint id, the credentials named in its title or content.

    Only the words count here; see :func:`mentions` for what the spec calls a
    mention. Every touchpoint has an entry, empty where it names nothing.

    >>> journey = Journey(
    ...     "J",
    ...     (Credential("lit", "Data Literacy Badge"), Credential("viz", "Viz Badge")),
    ...     (),
    ...     (Touchpoint("a", "Welcome", "s", content="Earn the data literacy badge"),
    ...      Touchpoint("b", "Viz badges", "s")),
    ... )
    >>> text_mentions(journey)
    {'a': frozenset({'lit'}), 'b': frozenset()}
    """
    every: list[tuple[str, re.Pattern[str]]] = []
    slow: list[tuple[str, re.Pattern[str]]] = []
    by_word: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for credential in journey.credentials:
        alternatives = _alternatives(credential)
        if not alternatives:
            continue
        check = (credential.id, _compile(alternatives))
        every.append(check)
        words = _first_words(alternatives)
        if words is None:
            slow.append(check)
        for word in words or ():
            by_word.setdefault(word, []).append(check)
    result: dict[str, frozenset[str]] = {}
    for touchpoint in journey.touchpoints:
        title, content = touchpoint.title, touchpoint.content
        # A newline between them: not a word character, and no name word contains it.
        text = f"{title}\n{content}"
        low = _lowered(text)
        named: set[str] = set()
        for cid, pattern in every if low is None else slow:
            if pattern.search(title) or pattern.search(content):
                named.add(cid)
        if low is not None:
            cut, size = len(title), len(text)
            for word, checks in by_word.items():
                at = low.find(word)
                while at >= 0:
                    # endpos keeps a title match from running into the content.
                    end = cut if at < cut else size
                    pending = False
                    for cid, pattern in checks:
                        if cid not in named:
                            if pattern.match(text, at, end):
                                named.add(cid)
                            else:
                                pending = True
                    if not pending:
                        break
                    at = low.find(word, at + 1)
        result[touchpoint.id] = frozenset(named)
    return result


def mentions(journey: Journey) -> dict[str, frozenset[str]]:
    """Return, per touchpoint id, the credentials it mentions in the sense of spec section 2.

    A touchpoint mentions C when it declares at least one message for C (a key
    with an empty list declares nothing), issues C, or names C in its title or
    content. Ids that are not credentials of the journey are left out. Every
    touchpoint has an entry, empty where it mentions nothing.

    >>> journey = Journey(
    ...     "J",
    ...     (Credential("lit", "Data Literacy Badge"), Credential("viz", "Viz Badge")),
    ...     (),
    ...     (Touchpoint("a", "Welcome", "s", messages={"lit": ("earned",), "viz": ()}),
    ...      Touchpoint("b", "Issued", "s", issues=("viz",)),
    ...      Touchpoint("c", "Your Viz Badge", "s")),
    ... )
    >>> mentions(journey)
    {'a': frozenset({'lit'}), 'b': frozenset({'viz'}), 'c': frozenset({'viz'})}
    """
    known = set(journey.credential_by_id)
    named = text_mentions(journey)
    result: dict[str, frozenset[str]] = {}
    for touchpoint in journey.touchpoints:
        declared = {cid for cid, kinds in touchpoint.messages.items() if kinds}
        ids = (declared | set(touchpoint.issues)) & known
        result[touchpoint.id] = named[touchpoint.id] | ids
    return result


# --- suggested messages ----------------------------------------------------

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
    for field in _FIELDS:
        for suggestion in suggest_messages(getattr(touchpoint, field), field):
            if suggestion.message not in seen:
                seen.add(suggestion.message)
                result.append(suggestion)
    return result


# --- highlighting ----------------------------------------------------------


def highlight(
    text: str, spans: Iterable[tuple[int, int] | Mention | Suggestion]
) -> list[tuple[str, bool]]:
    """Return ``text`` cut into ``(segment, is_mention)`` pieces around the given spans.

    ``spans`` holds ``(start, end)`` pairs or objects with ``start`` and
    ``end``, such as :class:`Mention` and :class:`Suggestion`. Overlapping or
    touching spans merge; empty ones are ignored. The pieces join back to
    ``text`` and none is empty. A span outside the text raises ValueError: it
    was meant for another text.

    >>> highlight("Earn the Viz Badge today", [(9, 18)])
    [('Earn the ', False), ('Viz Badge', True), (' today', False)]
    >>> highlight("abcdef", [(0, 2), (1, 3), (5, 6)])
    [('abc', True), ('de', False), ('f', True)]
    """
    ranges = []
    for span in spans:
        start, end = (span.start, span.end) if hasattr(span, "end") else span
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"span ({start}, {end}) is outside a text of length {len(text)}")
        if start < end:
            ranges.append((start, end))
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in merged:
        if at < start:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces
