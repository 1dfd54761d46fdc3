"""The journey as a networkx graph, and the path facts every rule starts from.

>>> from journeys.model import Journey, Credential, Stage, Touchpoint, Transition
>>> j = Journey("J", (Credential("b", "Badge"),), (Stage("s", "S", "learn"),),
...     tuple(Touchpoint(t, t.title(), "s") for t in ("a", "b", "c")),
...     (Transition("a", "b", 0.5),))
>>> g = to_digraph(j)
>>> sorted(g.edges(data="share"))
[('a', 'b', 0.5)]
>>> reachable(j), exits(j)
(['a', 'c', 'b'], ['b', 'c'])
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from journeys.model import Journey

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["exits", "is_cyclic", "reachable", "to_digraph"]


def to_digraph(journey: Journey) -> nx.DiGraph:
    """Return the journey as a DiGraph: a node per touchpoint, an edge per transition.

    Nodes carry their ``touchpoint``, edges their ``share`` (None where the
    file gives none). Nodes are added in
    file order, so iteration follows the file.
    """
    import networkx as nx  # here, not at the top: it is most of `claimpath check`'s start-up

    graph = nx.DiGraph(title=journey.title)
    graph.add_nodes_from((t.id, {"touchpoint": t}) for t in journey.touchpoints)
    graph.add_edges_from((tr.from_, tr.to, {"share": tr.share}) for tr in journey.transitions)
    return graph


def reachable(journey: Journey) -> list[str]:
    """Return the touchpoints some path reaches, breadth-first from the entries in file order."""
    succ: dict[str, list[str]] = {t.id: [] for t in journey.touchpoints}
    for tr in journey.transitions:
        succ[tr.from_].append(tr.to)
    seen = dict.fromkeys(journey.entries)
    queue = deque(seen)
    while queue:
        for w in succ[queue.popleft()]:
            if w not in seen:
                seen[w] = None
                queue.append(w)
    return list(seen)


def exits(journey: Journey) -> list[str]:
    """Return the touchpoints with no outgoing transition, in file order."""
    sources = {tr.from_ for tr in journey.transitions}
    return [t.id for t in journey.touchpoints if t.id not in sources]


def is_cyclic(journey: Journey) -> bool:
    """Return whether some walk can come back to a touchpoint it has passed (a reminder loop)."""
    import networkx as nx

    return not nx.is_directed_acyclic_graph(to_digraph(journey))
