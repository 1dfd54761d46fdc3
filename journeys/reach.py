"""The reach model (spec section 5): who gets to each issue point, and who is informed by then.

Learners start at the entries in proportion to ``entry_share``, follow
transitions with their shares, and at each touchpoint passed take in all it
says with probability ``reach``, independently. For a checkpoint t and a
message m of credential C:

* ``arrival`` is the probability of reaching t;
* ``expected_share`` is the probability that a learner who reaches t has taken
  in m by then, t included.

Being "not yet informed about m" is itself a Markov state, so both numbers
follow from expected visit counts. On an acyclic journey one pass in
topological order gives them exactly. On a journey with reminder loops the
same holds per strongly connected component: each component is solved as a
small linear system (numpy), and a checkpoint inside a loop is solved again
with itself made absorbing, so that its numbers are first-arrival
probabilities. Only a component larger than :data:`MAX_LOOP` touchpoints
gives up: its checkpoints, and those downstream of it, get ``None``.

>>> from journeys.fileformat import from_data
>>> from journeys.findings import Checkpoint
>>> j = from_data({"format": "claimpath-journey/1", "title": "T",
...     "credentials": [{"id": "b", "name": "Badge"}],
...     "stages": [{"id": "s", "name": "S", "phase": "learn"}],
...     "touchpoints": [
...         {"id": "a", "title": "Intro", "stage": "s", "reach": 0.45,
...          "messages": {"b": ["represents"]}},
...         {"id": "z", "title": "Issue", "stage": "s", "issues": ["b"]}],
...     "transitions": [{"from": "a", "to": "z", "share": 0.8}]})
>>> expected_shares(j, [Checkpoint("b", "represents", "issue", "z", "all", "critical")])
[(0.8, 0.45)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from journeys.findings import Checkpoint
from journeys.model import Journey

__all__ = ["MAX_LOOP", "expected_shares"]

#: Largest loop (strongly connected component) solved exactly; larger ones give None.
MAX_LOOP = 400
_DIGITS = 10
_ZERO = 1e-12


def expected_shares(
    journey: Journey, checkpoints: Sequence[Checkpoint]
) -> list[tuple[float | None, float | None]]:
    """Return ``(arrival, expected_share)`` for each ``by: issue`` checkpoint, in order."""
    if not checkpoints:
        return []
    model = _Chain(journey, checkpoints)
    return [model.numbers(c) for c in checkpoints]


class _Chain:
    """The journey as a Markov chain over touchpoints, with one column per message tracked."""

    def __init__(self, journey: Journey, checkpoints: Sequence[Checkpoint]) -> None:
        ids = [t.id for t in journey.touchpoints]
        pos = {tid: i for i, tid in enumerate(ids)}
        n = len(ids)
        out: list[list[tuple[int, float | None]]] = [[] for _ in range(n)]
        for tr in journey.transitions:
            out[pos[tr.from_]].append((pos[tr.to], tr.share))
        self.inflow: list[list[tuple[int, float]]] = [[] for _ in range(n)]
        for v, edges in enumerate(out):
            given = sum(s for _, s in edges if s is not None)
            open_ = [w for w, s in edges if s is None]
            rest = max(0.0, 1.0 - given) / len(open_) if open_ else 0.0
            for w, s in edges:
                self.inflow[w].append((v, rest if s is None else s))
        weights = {e: journey.touchpoint_by_id[e].entry_share for e in journey.entries}
        total = sum(1.0 if weight is None else weight for weight in weights.values())
        self.start = [0.0] * n
        if total > 0:
            for e, weight in weights.items():
                self.start[pos[e]] = (1.0 if weight is None else weight) / total
        # Column 0 is plain arrival; then one column per (credential, message).
        self.columns = {("", ""): 0}
        for c in checkpoints:
            self.columns.setdefault((c.credential, c.message), len(self.columns))
        width = len(self.columns)
        plain = self.plain = [1.0] * width  # the row of a touchpoint that tells nothing tracked
        self.keep: list[list[float]] = []
        for t in journey.touchpoints:
            row = plain
            for cid, kinds in t.messages.items():
                for kind in kinds:
                    k = self.columns.get((cid, kind))
                    if k is not None:
                        row = row.copy() if row is plain else row
                        row[k] = 1.0 - t.reach
            self.keep.append(row)
        self.pos = pos
        self.n = n
        self.width = width
        targets = {pos[c.touchpoint] for c in checkpoints}
        self.nodes = self._ancestors(targets)
        self.visits: dict[int, list[float]] = {}  # expected arrivals not yet informed
        self.leaving: dict[int, list[float]] = {}  # the same, after taking in what v says
        self.loop_of: dict[int, list[int]] = {}
        self._solve()

    def _ancestors(self, targets: set[int]) -> list[int]:
        """Return the touchpoints from which some checkpoint can be reached."""
        seen = set(targets)
        stack = list(targets)
        while stack:
            for u, _ in self.inflow[stack.pop()]:
                if u not in seen:
                    seen.add(u)
                    stack.append(u)
        return sorted(seen)

    def _components(self) -> list[list[int]]:
        """Return the strongly connected components of the relevant part, upstream first."""
        nodes = set(self.nodes)
        indegree = {v: 0 for v in nodes}
        succ: dict[int, list[int]] = {v: [] for v in nodes}
        for w in nodes:
            for u, _ in self.inflow[w]:
                if u in nodes:
                    succ[u].append(w)
                    indegree[w] += 1
        order = [v for v in self.nodes if indegree[v] == 0]
        for v in order:  # Kahn's algorithm; grows while iterating
            for w in succ[v]:
                indegree[w] -= 1
                if indegree[w] == 0:
                    order.append(w)
        if len(order) == len(nodes):
            return [[v] for v in order]
        import networkx as nx  # only journeys with loops need components

        graph = nx.DiGraph()
        graph.add_nodes_from(self.nodes)
        graph.add_edges_from((u, w) for u in nodes for w in succ[u])
        # Order the components ourselves: nx.condensation builds a whole new graph.
        components = [sorted(c) for c in nx.strongly_connected_components(graph)]
        home = {v: ci for ci, c in enumerate(components) for v in c}
        after: list[set[int]] = [set() for _ in components]
        waiting = [0] * len(components)
        for u in nodes:
            for w in succ[u]:
                cu, cw = home[u], home[w]
                if cu != cw and cw not in after[cu]:
                    after[cu].add(cw)
                    waiting[cw] += 1
        ready = [ci for ci in range(len(components)) if not waiting[ci]]
        for ci in ready:  # Kahn's algorithm over the components; grows while iterating
            for cw in after[ci]:
                waiting[cw] -= 1
                if not waiting[cw]:
                    ready.append(cw)
        return [components[ci] for ci in ready]

    def _incoming(self, v: int, inside: set[int]) -> list[float]:
        """Return the expected arrivals at ``v`` from outside ``inside``, per column."""
        acc = [self.start[v]] * self.width
        for u, p in self.inflow[v]:
            if u not in inside:
                acc = [a + p * b for a, b in zip(acc, self.leaving[u], strict=True)]
        return acc

    def _solve(self) -> None:
        nothing: set[int] = set()
        for component in self._components():
            if len(component) == 1:
                solved = {component[0]: self._incoming(component[0], nothing)}
            else:
                for v in component:
                    self.loop_of[v] = component
                solved = self._solve_loop(component, set(component), absorbing=None)
            for v, visits in solved.items():
                self.visits[v] = visits
                keep = self.keep[v]
                if keep is self.plain:  # y * 1.0 is y: v tells nothing tracked, share the list
                    self.leaving[v] = visits
                else:
                    self.leaving[v] = [y * k for y, k in zip(visits, keep, strict=True)]

    def _solve_loop(
        self, component: list[int], inside: set[int], absorbing: int | None
    ) -> dict[int, list[float]]:
        """Return expected arrivals per column inside one loop, solved as a linear system.

        Learners caught in a closed part of the loop (no way out, nothing left
        to take in) would circle forever; they are left out of the system and
        get no arrivals, since nothing they do reaches anywhere else.
        """
        import numpy as np  # only journeys with loops need it

        size = len(component)
        if size > MAX_LOOP:
            return {v: [float("nan")] * self.width for v in component}
        index = {v: i for i, v in enumerate(component)}
        flow = np.zeros((size, size))  # flow[w, u]: share of u's leavers going to w
        for w in component:
            for u, p in self.inflow[w]:
                if u in inside and u != absorbing:
                    flow[index[w], index[u]] += p
        incoming = np.array([self._incoming(v, inside) for v in component])
        keep = np.array([self.keep[v] for v in component])
        result = np.zeros((size, self.width))
        steps = flow[None, :, :] * keep.T[:, None, :]  # one matrix per column
        if len(_leaving(flow)) == size:
            # Everyone can leave, whatever they take in: solve all columns at once.
            systems = np.eye(size)[None, :, :] - steps
            result[:, :] = np.linalg.solve(systems, incoming.T[:, :, None])[:, :, 0].T
        else:
            for k in range(self.width):
                live = _leaving(steps[k])
                system = np.eye(len(live)) - steps[k][np.ix_(live, live)]
                result[live, k] = np.linalg.solve(system, incoming[live, k])
        return {v: result[index[v]].tolist() for v in component}

    def numbers(self, checkpoint: Checkpoint) -> tuple[float | None, float | None]:
        """Return ``(arrival, expected_share)`` at one checkpoint."""
        t = self.pos[checkpoint.touchpoint]
        visits = self.visits[t]
        component = self.loop_of.get(t)
        if component is not None:  # first arrivals: stop the walk at t
            visits = self._solve_loop(component, set(component), absorbing=t)[t]
        k = self.columns[checkpoint.credential, checkpoint.message]
        arrival = visits[0]
        if arrival != arrival:  # NaN: part of a loop too large to solve
            return None, None
        if arrival < _ZERO:
            return 0.0, None
        uninformed = visits[k] * self.keep[t][k]
        share = min(1.0, max(0.0, 1.0 - uninformed / arrival))
        return round(arrival, _DIGITS), round(share, _DIGITS)


def _leaving(step: Any) -> list[int]:
    """Return the states of a substochastic matrix from which learners eventually leave.

    ``step[w, u]`` is the chance of going from u to w; a state leaks where its
    column sums to less than 1. The states that can reach a leak are exactly
    those whose expected visit counts are finite.
    """
    size = step.shape[0]
    leaks = step.sum(axis=0) < 1 - _ZERO
    live = set(map(int, leaks.nonzero()[0]))
    stack = list(live)
    while stack:
        w = stack.pop()
        for u in map(int, (step[w] > 0).nonzero()[0]):
            if u not in live:
                live.add(u)
                stack.append(u)
    return sorted(live) if len(live) < size else list(range(size))
