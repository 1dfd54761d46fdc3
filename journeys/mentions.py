"""Where touchpoints name a credential (spec section 2), and the highlighting of those names.

A touchpoint mentions credential C when it declares a message for C, issues
C, or C's name or one of its aliases occurs in its title or content.
:func:`mentions` is what the analysis uses. The other reading of the same
words, which message kinds they seem to carry, is :mod:`journeys.suggestions`.

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
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from journeys.model import Credential, Journey, Touchpoint

__all__ = [
    "FIELDS",
    "Mention",
    "credential_pattern",
    "find_mentions",
    "highlight",
    "mentions",
    "text_mentions",
]

#: The fields of a touchpoint that are read, in reading order.
FIELDS: tuple[str, ...] = ("title", "content")


@dataclass(frozen=True)
class Mention:
    """A credential's name or alias written in a touchpoint's title or content."""

    credential: str
    field: str
    start: int
    end: int
    text: str


class Span(Protocol):
    """Anything with a ``start`` and an ``end`` in a text: a mention, a suggestion."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


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
        for rank, field in enumerate(FIELDS):
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
        if not (touchpoint.messages or touchpoint.issues):  # most touchpoints: only words
            result[touchpoint.id] = named[touchpoint.id]
            continue
        declared = {cid for cid, kinds in touchpoint.messages.items() if kinds}
        ids = (declared | set(touchpoint.issues)) & known
        result[touchpoint.id] = named[touchpoint.id] | ids
    return result


# --- highlighting ----------------------------------------------------------


def highlight(text: str, spans: Iterable[tuple[int, int] | Span]) -> list[tuple[str, bool]]:
    """Return ``text`` cut into ``(segment, is_mention)`` pieces around the given spans.

    ``spans`` holds ``(start, end)`` pairs or objects with ``start`` and
    ``end``, such as :class:`Mention` and :class:`journeys.suggestions.Suggestion`. Overlapping or
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
        start, end = span if isinstance(span, tuple) else (span.start, span.end)
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
