"""Where the shipped ``schema/`` and ``templates/`` folders are.

In a built wheel they sit inside the package (``mltrl_docs/schema``); in a
source checkout or an editable install they are top-level folders of the
repository, one level above the package.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent

SCHEMA_NAMES = ("level-card", "glossary", "settings", "bundle")
"""The schemas of the files mltrl-docs reads: those people write (``mltrl-docs schema`` writes them for
editors), and bundles (``mltrl_docs.bundle``), which a repository's CI writes and a portal imports."""
OUTPUT_SCHEMA_NAMES = ("check-output", "next-output", "diff-output", "readiness-diff-output", "glossary-output",
                       "query-output")
"""The schemas of what mltrl-docs prints for tools: ``check``, ``check --next``, ``diff``, ``diff OLD NEW``,
``glossary`` and ``query`` with ``--format json``."""


def resource_dir(name: str) -> Path:
    """The shipped folder ``name`` (``schema`` or ``templates``)."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"mltrl-docs is installed without its {name}/ folder")


def schema_path(name: str) -> Path:
    return resource_dir("schema") / f"{name}.schema.json"


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A shipped JSON Schema (``level-card`` or ``glossary``), parsed once."""
    return json.loads(schema_path(name).read_text(encoding="utf-8"))
