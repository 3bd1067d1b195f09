"""mltrl-docs: compile MLTRL level cards into dossiers.

The public API is what ``__all__`` lists: build a Dossier from sources, read
its model, report its findings. The core never imports MkDocs; the plugin is
an adapter over it. Finding *messages* are for people and may change; rule
names (``Finding.rule``) are stable.
"""

from __future__ import annotations

__version__ = "0.1.0"

from mltrl_docs.dossier import build_dossier
from mltrl_docs.findings import Finding, Position, Severity
from mltrl_docs.levels import LEVELS, Level, Phase
from mltrl_docs.model import (
    Attachment,
    Card,
    Dossier,
    GlossaryTerm,
    InvalidCard,
    Project,
    Requirement,
    Review,
    TechDebtItem,
    Transition,
)
from mltrl_docs.settings import Settings, load_settings

__all__ = [
    "LEVELS",
    "Attachment",
    "Card",
    "Dossier",
    "Finding",
    "GlossaryTerm",
    "InvalidCard",
    "Level",
    "Phase",
    "Position",
    "Project",
    "Requirement",
    "Review",
    "Settings",
    "Severity",
    "TechDebtItem",
    "Transition",
    "__version__",
    "build_dossier",
    "load_settings",
]
