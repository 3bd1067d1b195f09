"""What a path given to ``mltrl-docs check`` means.

* a folder with ``mltrl-docs.yml`` (or the file itself): that site;
* a card or a project folder: the site or source around it, checked whole (so
  ``coupled`` and project ids can be verified) but reported for that path only,
  which is what a pre-commit hook passing changed files wants;
* a glossary ``.yml`` file: that glossary alone;
* any other folder: a dossier source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mltrl_docs.findings import Finding, error
from mltrl_docs.frontmatter import looks_like_card
from mltrl_docs.references import resolved
from mltrl_docs.settings import SETTINGS_FILE, Settings, load_settings


@dataclass(frozen=True, slots=True)
class Target:
    """Settings to build a dossier from, and the part of it the user asked about."""

    settings: Settings
    focus: Path | None = None
    """Report only findings in this file or below this folder (None: all)."""

    def wants(self, finding: Finding) -> bool:
        if self.focus is None:
            return True
        return (finding.path == self.focus or self.focus in finding.path.parents
                or finding.path in self.focus.parents)  # a source's own findings (limits) concern it


def resolve(path: Path) -> tuple[Target | None, list[Finding]]:
    """The target for one existing path; None plus findings when its settings are broken."""
    path = resolved(path)
    if path.is_file() and path.name == SETTINGS_FILE:
        return _site(path, None)
    if path.is_dir() and (path / SETTINGS_FILE).is_file():
        return _site(path / SETTINGS_FILE, None)
    if path.is_file() and path.suffix.lower() in (".yml", ".yaml"):
        return Target(Settings(sources=(), glossary=(path,))), []
    project_folder = path.parent if path.is_file() else path if _holds_cards(path) else None
    if project_folder is None:
        return Target(Settings(sources=(path,))), []
    settings_file = _find_upwards(project_folder)
    if settings_file is not None:
        target, findings = _site(settings_file, path)
        if target is None or any(s in path.parents for s in target.settings.sources):
            return target, findings
    if path.is_file() and not _is_card(path):
        return None, [error(
            "target", "not a level card, a glossary or a site, and not inside a dossier source", path,
            hint=f"give a card, a project folder, a dossier source, or a folder with {SETTINGS_FILE} "
                 "whose sources hold this file")]
    return Target(Settings(sources=(project_folder.parent,)), focus=path), []


def _site(settings_file: Path, focus: Path | None) -> tuple[Target | None, list[Finding]]:
    settings, findings = load_settings(settings_file)
    if settings is None:
        return None, findings
    return Target(settings, focus), findings


def _holds_cards(folder: Path) -> bool:
    return any(_is_card(entry) for entry in folder.glob("*.md"))


def _is_card(path: Path) -> bool:
    """Frontmatter with a ``level:`` key near the top (what makes a Markdown file a card)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4000).decode("utf-8", errors="replace")
    except OSError:
        return False
    return head.lstrip("\ufeff").startswith("---") and looks_like_card(head)


def _find_upwards(folder: Path) -> Path | None:
    for parent in (folder, *folder.parents):
        candidate = parent / SETTINGS_FILE
        if candidate.is_file():
            return candidate
    return None
