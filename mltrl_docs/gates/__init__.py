"""The gate policy (spec/gates.md): does a card show what its level's gated review expects?

MLTRL ends every level with a gated review. The dossier cannot hold that review, but
it can show, card by card, whether the evidence a reviewer expects is there. Each rule
is one record in ``catalogue.RULES`` (name, scope, default, levels, options, check);
the checks live by scope in ``content`` (a card at a level), ``exits`` (the card a
project leaves), ``reviews`` (a card's review), ``history`` (a project's history and
system) and ``suspect`` (evidence changed after the standing approval); ``engine`` turns
their shortfalls into findings, earned levels and gaps; ``reference`` derives the settings
schema and the documentation table from the list.

This package is the pure core: no MkDocs, no rendering.
"""

from mltrl_docs.gates.catalogue import BY_NAME, DEFAULT_SECTIONS, RULES
from mltrl_docs.gates.content import SEMVER
from mltrl_docs.gates.engine import (
    GapItem,
    GateMemo,
    GateReport,
    ProjectGates,
    advanced_from,
    earned_level,
    evaluate,
    gap_to_next,
)
from mltrl_docs.gates.rule import Context, LevelRange, Option, Rule, Scope, Shortfall
from mltrl_docs.gates.settings import GateSettings

__all__ = [
    "BY_NAME", "DEFAULT_SECTIONS", "RULES", "SEMVER", "Context", "GapItem", "GateMemo", "GateReport", "GateSettings",
    "LevelRange", "Option", "ProjectGates", "Rule", "Scope", "Shortfall", "advanced_from", "earned_level",
    "evaluate", "gap_to_next",
]
