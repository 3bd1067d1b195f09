"""System readiness: a system is only as ready as its least ready coupled part.

card-format.md: "A system's readiness is the lowest level among itself and
everything it is coupled with, transitively." The level that counts is each
member's *earned* level (what its evidence supports, from the gates), with the
lowest declared level kept beside it; without earned levels, the declared ones. Coupling is read as written, as a
directed edge from a project's current card to each id in its ``coupled`` list:
a project's system is the project plus every project *reachable* from it. A
project that merely names it is not part of its system (it is the other way
round). Ids that name no project are ignored here (``rules.coupled`` reports
them), and so is a project coupled with itself.

Every walk is iterative, so a chain of thousands of projects needs no deep
recursion.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mltrl_docs.model import Dossier

Edge = tuple[str, str]
Graph = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class SystemReadiness:
    """Where a project's system stands: the lowest current level over its members."""

    project: str
    level: int | None
    """The lowest (earned) level among the members; None when no member has a valid card."""
    limiting: tuple[str, ...]
    """The members at that level. The project itself is named only when it alone
    holds the system down (or has no coupled project at all)."""
    declared: int | None
    """The lowest declared level among the members: what the cards say, shown beside ``level``."""
    members: tuple[str, ...]
    """The project first, then every project reachable through ``coupled``, sorted."""
    cycles: tuple[tuple[str, ...], ...]
    """Coupling cycles among the members, each once, rotated to start at its smallest id."""
    edges: tuple[Edge, ...]
    """The coupling edges among the members, as (from, to)."""

    @property
    def coupled(self) -> bool:
        """True when the project is coupled with at least one other project."""
        return len(self.members) > 1


def coupling_graph(dossier: Dossier) -> dict[str, tuple[str, ...]]:
    """Each project's coupled ids (of its current card) that name other known projects."""
    graph: dict[str, tuple[str, ...]] = {}
    for project_id, project in dossier.projects.items():
        current = project.current
        named = current.coupled if current is not None else ()
        graph[project_id] = tuple(dict.fromkeys(
            other for other in named if other != project_id and other in dossier.projects
        ))
    return graph


def current_levels(dossier: Dossier) -> dict[str, int | None]:
    """The level each project stands at now (None without a valid card)."""
    return {
        project_id: project.current.level.number if project.current is not None else None
        for project_id, project in dossier.projects.items()
    }


def reachable(graph: Graph, start: str) -> list[str]:
    """``start`` and everything reachable from it, breadth first (no recursion)."""
    seen = {start}
    order = [start]
    queue = deque([start])
    while queue:
        for other in graph.get(queue.popleft(), ()):
            if other not in seen:
                seen.add(other)
                order.append(other)
                queue.append(other)
    return order


def canonical_cycle(cycle: Iterable[str]) -> tuple[str, ...]:
    """The rotation that starts at the smallest id, so one cycle has one spelling."""
    nodes = tuple(cycle)
    start = nodes.index(min(nodes))
    return nodes[start:] + nodes[:start]


def find_cycles(graph: Graph) -> list[tuple[str, ...]]:
    """Coupling cycles, each once: one per back edge of an iterative depth-first walk.

    Every strongly connected group of projects shows at least one of its cycles;
    that is enough to tell the author the coupling goes round in circles (listing
    every elementary cycle could be exponential)."""
    found: dict[tuple[str, ...], None] = {}
    done: set[str] = set()
    for root in sorted(graph):
        if root in done:
            continue
        path = [root]
        on_path = {root: 0}
        stack = [iter(graph.get(root, ()))]
        while stack:
            other = next(stack[-1], None)
            if other is None:
                stack.pop()
                done.add(path[-1])
                del on_path[path.pop()]
            elif other in on_path:
                found.setdefault(canonical_cycle(path[on_path[other]:]), None)
            elif other not in done:
                on_path[other] = len(path)
                path.append(other)
                stack.append(iter(graph.get(other, ())))
    return sorted(found)


def system_readiness(dossier: Dossier, standing: Mapping[str, int | None] | None = None) -> dict[str, SystemReadiness]:
    """Every project's system readiness, keyed by project id; ``standing`` is the level each
    project counts at (the gates pass earned levels), by default its declared level."""
    graph = coupling_graph(dossier)
    declared = current_levels(dossier)
    levels = standing if standing is not None else declared
    cycles = find_cycles(graph)
    edges = {source: tuple((source, target) for target in targets) for source, targets in graph.items()}
    return {
        project_id: _readiness(project_id, graph, levels, declared, cycles, edges)
        for project_id in dossier.projects
    }


def _lowest(members: Iterable[str], levels: Mapping[str, int | None]) -> int | None:
    known = [level for member in members if (level := levels.get(member)) is not None]
    return min(known) if known else None


def _readiness(project_id: str, graph: Graph, levels: Mapping[str, int | None], declared: Mapping[str, int | None],
               cycles: list[tuple[str, ...]], edges: Mapping[str, tuple[Edge, ...]]) -> SystemReadiness:
    found = reachable(graph, project_id)
    members = (project_id, *sorted(found[1:]))
    inside = set(found)
    lowest = _lowest(members, levels)
    return SystemReadiness(
        project=project_id,
        level=lowest,
        limiting=_limiting(project_id, members, levels, lowest),
        declared=_lowest(members, declared),
        members=members,
        cycles=tuple(cycle for cycle in cycles if cycle[0] in inside),
        edges=tuple(edge for member in members for edge in edges.get(member, ())),
    )


def _limiting(project_id: str, members: tuple[str, ...], levels: Mapping[str, int | None],
              lowest: int | None) -> tuple[str, ...]:
    """The other members at the lowest level; the project itself when it alone is lowest."""
    if lowest is None:
        return ()
    others = tuple(m for m in members[1:] if levels.get(m) == lowest)
    if others:
        return others
    return (project_id,) if levels.get(project_id) == lowest else ()
