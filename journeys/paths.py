"""Which walks exist: bit-parallel dataflow over a journey's touchpoints.

Every question the gap rules ask is "is there a walk from an entry to here
that …". Walks may loop, so paths are never enumerated. Instead each
touchpoint carries integers used as bit sets, one bit per (credential,
message kind) or per credential, and one pass in each direction answers the
question for every bit at once:

* :func:`avoiding` is a level-by-level breadth-first search over walks that
  avoid touchpoints blocking a bit. Levels make it exact on cycles and give a
  shortest witness for any bit at any touchpoint (:func:`witness`). Its
  optional second phase follows walks after they pass a touchpoint that
  *promotes* a bit (issues the credential), for the ``by: end`` rules.
* :func:`forward` is a worklist fixed point for "some walk passes a touchpoint
  with the bit", again with an optional "after issuance" variant.

Both touch each transition a small number of times per bit-set change, so
the whole analysis is linear in the journey's size in practice.

>>> succ = [[1], [2], [1]]                     # 0 → 1 → 2 → 1: a reminder loop
>>> walks = avoiding(succ, [0], block=[0, 0, 0b1], universe=0b1)
>>> walks.seen(1), walks.seen(2)
(1, 0)
>>> witness(walks, [[], [0, 2], [1]], 1, 0b1)
[0, 1]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["Walks", "avoiding", "forward", "witness"]


@dataclass
class Walks:
    """Result of :func:`avoiding`: at which level each bit first reached each touchpoint.

    ``levels[k]`` maps each touchpoint some bit first reached at level ``k`` to
    those bits, ``[phase 0, phase 1]``; phase 1 holds the walks that have passed
    a promoting touchpoint. (These are the search's frontiers, kept: one dict a
    level rather than one a touchpoint, which the collector would walk again and
    again.) ``first[v]`` is the first level that reached ``v`` and ``later[v]``
    the others, in order. ``steps[bit]`` remembers, per state ``2 * touchpoint +
    phase``, the state one step before it on a shortest walk (-1 at an entry),
    so witnesses that share a route are traced once.
    """

    seen0: list[int]
    seen1: list[int]
    levels: list[dict[int, list[int]]]
    first: list[int]
    later: dict[int, list[int]]
    promote: Sequence[int]
    steps: dict[int, dict[int, int]] = field(default_factory=dict)

    def seen(self, v: int, phase: int | None = None) -> int:
        """Return the bits for which some avoiding walk reaches ``v`` (in ``phase``, or either)."""
        if phase == 0:
            return self.seen0[v]
        if phase == 1:
            return self.seen1[v]
        return self.seen0[v] | self.seen1[v]

    def level(self, v: int, phase: int, bit: int) -> int | None:
        """Return the length of the shortest walk reaching ``v`` in ``phase`` with ``bit``."""
        if not (self.seen1 if phase else self.seen0)[v] & bit:
            return None
        for level in (self.first[v], *self.later.get(v, ())):
            if self.levels[level][v][phase] & bit:
                return level
        raise AssertionError("the walk history is inconsistent")  # pragma: no cover


def avoiding(
    succ: Sequence[Sequence[int]],
    entries: Sequence[int],
    block: Sequence[int],
    universe: int,
    promote: Sequence[int] | None = None,
) -> Walks:
    """Return, per touchpoint and bit, whether a walk from an entry avoids every blocker of the bit.

    A walk carries bit ``b`` while no touchpoint on it (itself included) has
    ``b`` in ``block``. With ``promote``, a walk carrying ``b`` moves to phase 1
    at the first touchpoint whose ``promote`` has ``b`` and stays there.
    """
    n = len(succ)
    no_promote = promote is None
    promote = promote if promote is not None else [0] * n
    seen0, seen1 = [0] * n, [0] * n
    keep = [~b for b in block]  # once a touchpoint, not once a transition
    levels: list[dict[int, list[int]]] = []
    first = [-1] * n
    later: dict[int, list[int]] = {}
    frontier: dict[int, list[int]] = {}
    for e in entries:
        bits = universe & ~block[e]
        frontier[e] = [bits & ~promote[e], bits & promote[e]]
    while frontier:
        level = len(levels)
        levels.append(frontier)
        for v, (b0, b1) in frontier.items():
            seen0[v] |= b0
            seen1[v] |= b1
            if first[v] < 0:
                first[v] = level
            else:
                later.setdefault(v, []).append(level)
        arriving: dict[int, list[int]] = {}
        for v, (b0, b1) in frontier.items():
            for w in succ[v]:
                a0 = b0 & keep[w]
                a1 = b1 & keep[w]
                if not no_promote and a0 & promote[w]:
                    a1 |= a0 & promote[w]
                    a0 &= ~promote[w]
                a0 &= ~seen0[w]
                a1 &= ~seen1[w]
                if a0 or a1:
                    slot = arriving.get(w)
                    if slot is None:
                        arriving[w] = [a0, a1]
                    else:
                        slot[0] |= a0
                        slot[1] |= a1
        frontier = arriving
    return Walks(seen0, seen1, levels, first, later, promote)


def witness(
    walks: Walks, pred: Sequence[Sequence[int]], v: int, bit: int, phase: int | None = None
) -> list[int]:
    """Return a shortest walk, entry first, that reaches ``v`` carrying ``bit``.

    With ``phase`` None, the shorter of the two phases is used. ``v`` must
    have the bit (see :meth:`Walks.seen`).
    """
    if phase is None:
        found = [(lv, p) for p in (0, 1) if (lv := walks.level(v, p, bit)) is not None]
        level, phase = min(found)
    else:
        at = walks.level(v, phase, bit)
        if at is None:
            raise ValueError(f"touchpoint {v} does not carry bit {bit:#x} in phase {phase}")
        level = at
    path = [v]
    steps = walks.steps.setdefault(bit, {})
    state = 2 * v + phase
    while True:
        before = steps.get(state)
        if before is None:
            before = _step_back(walks, pred, state >> 1, state & 1, bit, level) if level else -1
            steps[state] = before
        if before < 0:
            break
        path.append(before >> 1)
        state = before
        level -= 1
    path.reverse()
    return path


def _step_back(
    walks: Walks, pred: Sequence[Sequence[int]], v: int, phase: int, bit: int, level: int
) -> int:
    """Return the state ``2 * touchpoint + phase`` one step before ``v`` on a shortest walk."""
    # A walk in phase 1 may have entered it at v itself, if v promotes the bit.
    phases = (0, 1) if phase == 1 and walks.promote[v] & bit else (phase,)
    before = walks.levels[level - 1]
    for u in pred[v]:
        bits = before.get(u)
        if bits is not None:
            for p in phases:
                if bits[p] & bit:
                    return 2 * u + p
    raise AssertionError("the walk history is inconsistent")  # pragma: no cover


def forward(
    succ: Sequence[Sequence[int]],
    order: Sequence[int],
    seed: Sequence[int],
    after: Sequence[int] | None = None,
) -> tuple[list[int], list[int], list[int]]:
    """Return, per touchpoint, the bits some walk from an entry has passed.

    ``order`` lists the reachable touchpoints (any order; entries first keeps
    it fast). The three lists give, per touchpoint, the bits of ``seed`` some
    walk has passed; the bits of ``after`` some walk has passed; and the bits
    for which one walk has passed both a touchpoint with it in ``seed`` and one
    with it in ``after``, in either order. Without ``after`` the last two
    stay zero.

    >>> got, _, _ = forward([[1], [2], []], [0, 1, 2], seed=[0b1, 0, 0])
    >>> got
    [1, 1, 1]
    """
    n = len(succ)
    got, passed, both = [0] * n, [0] * n, [0] * n
    for v in order:
        got[v] = seed[v]
        if after is not None:
            passed[v] = after[v]
            both[v] = after[v] & seed[v]
    queue: deque[int] = deque(order)
    queued = [False] * n
    for v in order:
        queued[v] = True
    while queue:
        v = queue.popleft()
        queued[v] = False
        gv, pv, bv = got[v], passed[v], both[v]
        for w in succ[v]:
            g = got[w] | gv
            if after is None:
                if g == got[w]:
                    continue
                got[w] = g
            else:
                p = passed[w] | pv
                b = both[w] | bv | (p & seed[w]) | (g & after[w])
                if g == got[w] and p == passed[w] and b == both[w]:
                    continue
                got[w], passed[w], both[w] = g, p, b
            if not queued[w]:
                queued[w] = True
                queue.append(w)
    return got, passed, both
