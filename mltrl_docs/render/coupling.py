"""Geometry of the coupled-components graph on a dossier page (drawn by coupling.svg).

Members sit on a circle (the project itself at the top), edges are straight arrows
between node borders. A handful of coupled projects is the common case; the circle
keeps any number readable without a layout library.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mltrl_docs.levels import LEVELS, Level
from mltrl_docs.model import Dossier
from mltrl_docs.readiness import SystemReadiness

NODE_W, NODE_H = 150, 46


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    title: str
    level: Level | None
    x: float
    y: float
    limiting: bool
    own: bool


@dataclass(frozen=True, slots=True)
class Arrow:
    x1: float
    y1: float
    x2: float
    y2: float
    cyclic: bool


@dataclass(frozen=True, slots=True)
class CouplingGraph:
    width: float
    height: float
    nodes: tuple[Node, ...]
    arrows: tuple[Arrow, ...]


def coupling_graph(readiness: SystemReadiness, dossier: Dossier) -> CouplingGraph | None:
    """None for a project coupled with nothing (there is no graph to draw)."""
    if not readiness.coupled:
        return None
    count = len(readiness.members)
    radius = 0 if count == 1 else max(110.0, count * (NODE_W + 20) / (2 * math.pi))
    cx, cy = radius + NODE_W / 2 + 10, radius + NODE_H / 2 + 10
    nodes: dict[str, Node] = {}
    for index, member in enumerate(readiness.members):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        project = dossier.projects.get(member)
        current = project.current if project else None
        nodes[member] = Node(member, project.title if project else member,
                             LEVELS[current.level.number] if current else None,
                             round(cx + radius * math.cos(angle), 1), round(cy + radius * math.sin(angle), 1),
                             member in readiness.limiting and readiness.level is not None, member == readiness.project)
    in_cycle = {(c[i], c[(i + 1) % len(c)]) for c in readiness.cycles for i in range(len(c))}
    arrows = tuple(_arrow(nodes[a], nodes[b], (a, b) in in_cycle) for a, b in readiness.edges
                   if a in nodes and b in nodes)
    return CouplingGraph(round(2 * cx, 1), round(2 * cy, 1), tuple(nodes.values()), arrows)


def _arrow(a: Node, b: Node, cyclic: bool) -> Arrow:
    """From border to border of the two boxes, so arrowheads stay visible."""
    dx, dy = b.x - a.x, b.y - a.y
    length = math.hypot(dx, dy) or 1.0
    scale = min((NODE_W / 2) / abs(dx) if dx else math.inf, (NODE_H / 2) / abs(dy) if dy else math.inf)
    inset = min(scale * length, length / 2 - 1) + 4
    ux, uy = dx / length, dy / length
    return Arrow(round(a.x + ux * inset, 1), round(a.y + uy * inset, 1),
                 round(b.x - ux * inset, 1), round(b.y - uy * inset, 1), cyclic)
