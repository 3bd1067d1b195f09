"""Project ids name folders and URLs of the published site, so they must be safe as both.

The card format allows letters, digits, '.', '_' and '-' (the schema checks that).
Some such ids would still break a site: '.' and '..' are path steps (a project
'..' would overwrite the site's home page), an id starting with '.' is a hidden
file that hosts refuse to serve, an org page's name ('levels', 'glossary')
would overwrite that page, Windows reserves device names such as 'CON', and two
ids that differ only in case land in one folder on case-insensitive disks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from mltrl_docs.findings import Finding, Position, cut, error
from mltrl_docs.schema import field_name
from mltrl_docs.yamldata import DataPath

MAX_ID_LENGTH = 64
"""Longer ids are a mistake (or an attack): every page of the project repeats it."""

SITE_NAMES = frozenset({"index", "levels", "history", "changes", "readiness-changes", "requirements", "findings",
                        "metrics", "glossary", "teams", "owners", "portfolio.csv", "readiness.json"})
"""Names the dossier's own pages and files take directly under the site prefix (``dossier/levels/``,
``dossier/readiness.json``); a project with such an id would overwrite them. tests/test_ids.py proves
the built example's names and this set agree."""

WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)),
                             *(f"lpt{n}" for n in range(1, 10))})
"""File names Windows keeps for devices, whatever their suffix: no folder or page of the site takes one."""
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
"""Linear: a single character class repeated, matched with fullmatch."""
_NOT_ID = re.compile(r"[^A-Za-z0-9._-]+")


def id_problem(value: str) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) for an id that is unsafe as a folder and URL, else None."""
    shown = cut(value, 41)
    if len(value) > MAX_ID_LENGTH:
        return (f"project id '{shown}' is {len(value):,} characters; the limit is {MAX_ID_LENGTH}",
                "use a short id such as R02.1 (research) or P13.2 (product)")
    if not _ID.fullmatch(value):
        return (f"project id '{shown}' must start with a letter or digit and use only letters, digits, "
                "'.', '_' and '-'", "ids name folders and URLs of the site: use an id such as R02.1")
    if value.endswith("."):
        return (f"project id '{shown}' ends with '.'",
                "Windows drops a trailing dot from folder names: remove it")
    stem = value.split(".", 1)[0].lower()
    if value.lower() in SITE_NAMES:
        return (f"project id '{value}' is the name of a page of the dossier site",
                f"rename the project: {', '.join(sorted(SITE_NAMES))} are taken by the site's own pages")
    if stem in WINDOWS_DEVICES:
        return (f"project id '{value}' is a device name on Windows ('{stem.upper()}')",
                "rename the project: Windows cannot create a folder with this name")
    return None


def folder_id(name: str) -> str:
    """A safe stand-in id for a project folder whose cards name no usable id (only invalid
    cards): the folder name where that is a valid id, else a sanitised form of it."""
    if id_problem(name) is None:
        return name
    cleaned = _NOT_ID.sub("-", name).strip(".-_")[:MAX_ID_LENGTH - 7].rstrip(".") or "project"
    return cleaned if id_problem(cleaned) is None else f"folder-{cleaned}"


def card_findings(data: object, where: Callable[[DataPath], Position | None], path: Path) -> list[Finding]:
    """Errors for a schema-valid card's unsafe ``project`` and ``coupled`` ids (the card is then
    invalid: a page under such an id would overwrite another, or leave the site)."""
    if not isinstance(data, dict):
        return []
    findings: list[Finding] = []
    fields: list[tuple[DataPath, object]] = [(("project",), data.get("project"))]
    fields += [(("coupled", i), value) for i, value in enumerate(data.get("coupled") or ())]
    for field_path, value in fields:
        problem = id_problem(value) if isinstance(value, str) else None
        if problem is not None:
            findings.append(error("project-id", problem[0], path, where(field_path),
                                  field=field_name(field_path), hint=problem[1]))
    return findings
