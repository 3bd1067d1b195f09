"""The ten MLTRL levels and four phases (Lavin et al., Nat. Commun. 13, 6039, 2022).

Names follow the paper's Fig. 1; phases follow its colour bands (research red,
prototyping orange, productization yellow, deployment green). The one-line
summaries are ours, written for readers who are not ML specialists.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Phase(StrEnum):
    RESEARCH = "research"
    PROTOTYPING = "prototyping"
    PRODUCTIZATION = "productization"
    DEPLOYMENT = "deployment"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True, slots=True)
class Level:
    """One readiness level: its number, name, phase and what it means."""

    number: int
    name: str
    short: str
    phase: Phase
    summary: str

    @property
    def label(self) -> str:
        return f"Level {self.number}: {self.name}"

    def __str__(self) -> str:
        return self.label


LEVELS: tuple[Level, ...] = (
    Level(0, "First principles", "First principles", Phase.RESEARCH,
          "A new idea is stated mathematically; literature, hypotheses and a research plan."),
    Level(1, "Goal-oriented research", "Goal-oriented research", Phase.RESEARCH,
          "Targeted low-level experiments on particular properties, on sample data."),
    Level(2, "Proof of principle development", "PoP", Phase.RESEARCH,
          "Active R&D in testbeds, driven by a research requirements document with V&V."),
    Level(3, "System development", "System development", Phase.PROTOTYPING,
          "Research code becomes prototype-calibre software: interfaces, tests, docs."),
    Level(4, "Proof of concept development", "PoC", Phase.PROTOTYPING,
          "The technology is demonstrated in a real scenario with representative data."),
    Level(5, "Machine learning capability", "ML capability", Phase.PROTOTYPING,
          "A packaged capability handed from R&D to product; product requirements appear."),
    Level(6, "Application development", "Application development", Phase.PRODUCTIZATION,
          "Product-calibre code hardened for one or more specific use cases."),
    Level(7, "Integrations", "Integrations", Phase.PRODUCTIZATION,
          "Integrated with ML infrastructure, the product platform, data pipes and security."),
    Level(8, "Flight-ready", "Flight-ready", Phase.PRODUCTIZATION,
          "Shown to work in final form under expected conditions; deployment tests pass."),
    Level(9, "Deployment", "Deployment", Phase.DEPLOYMENT,
          "In production: monitored for degradation and drift while the next version improves."),
)


def level(number: int) -> Level:
    """The level with this number (0..9)."""
    return LEVELS[number]
