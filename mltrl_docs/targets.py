"""What a path given to ``mltrl-docs check`` means.

* a folder with ``mltrl-docs.yml`` (or the file itself): that site;
* a card or a project folder: the site or source around it, checked whole (so
  ``coupled`` and project ids can be verified) but reported for that path only,
  which is what a pre-commit hook passing changed files wants;
* a glossary ``.yml`` file: that glossary alone;
* any other folder: a dossier source;
* any other file (``mkdocs.yml``, ``docs/index.md``, a README outside every source, a
  picture): skipped with a note (``skipped``), never misread, so a pre-commit hook may
  pass every changed Markdown and YAML file.

A site's settings are found in the path's folder or its parents, up to the root of the
git repository it is in (or the filesystem's root): ``find_settings``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mltrl_docs.findings import Finding, Severity
from mltrl_docs.frontmatter import looks_like_card
from mltrl_docs.references import resolved
from mltrl_docs.settings import SETTINGS_FILE, Settings, load_settings
from mltrl_docs.sources import GLOSSARY_NAMES

_TERMS_KEY = re.compile(r"^terms\s*+:", re.MULTILINE)
"""A glossary file's top-level key (what tells one from any other YAML file)."""


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


def skipped(path: Path) -> Finding:
    """The note on a file that is not a card, a glossary or a site's settings (``check`` skips it)."""
    return Finding(Severity.INFO, "target", "not a level card, a glossary or a site's settings, nor a page of a "
                   "dossier source; skipped", path,
                   hint=f"nothing to do: check reads cards, glossaries, {SETTINGS_FILE} and the pages of project "
                        "folders")


def resolve(path: Path, sites: dict[Path, tuple[Settings | None, list[Finding]]] | None = None,
            ) -> tuple[Target | None, list[Finding]]:
    """The target for one existing path; None plus findings when its settings are broken, or
    when the file is none of the kinds above (the findings then hold the ``skipped`` note).
    ``sites`` caches the settings files read (by path), so that the targets of one site share
    one Settings object (``check`` builds each site once)."""
    cache = sites if sites is not None else {}
    path = resolved(path)
    if path.is_file() and path.name == SETTINGS_FILE:
        return _site(path, None, cache)
    if path.is_dir() and (path / SETTINGS_FILE).is_file():
        return _site(path / SETTINGS_FILE, None, cache)
    if path.is_file() and path.suffix.lower() in (".yml", ".yaml"):
        return _yaml_file(path, cache)
    if path.is_file() and path.suffix.lower() != ".md":
        return None, [skipped(path)]
    project_folder = path.parent if path.is_file() else path if _holds_cards(path) else None
    if project_folder is None:
        return Target(Settings(sources=(path,))), []
    settings_file = find_settings(project_folder)
    if settings_file is not None:
        target, findings = _site(settings_file, path, cache)
        if target is None or any(s in path.parents for s in target.settings.sources):
            return target, findings
    if path.is_file() and not _is_card(path):
        return None, [skipped(path)]
    return Target(Settings(sources=(project_folder.parent,)), focus=path), []


def _yaml_file(path: Path, cache: dict[Path, tuple[Settings | None, list[Finding]]],
               ) -> tuple[Target | None, list[Finding]]:
    """A glossary: one the site's settings list (checked with its site, reported alone), a
    ``glossary.yml`` in a project folder, or a file with top-level ``terms:``; any other YAML
    file (``mkdocs.yml``, a workflow) is skipped."""
    settings_file = find_settings(path.parent)
    if settings_file is not None:
        settings, findings = _settings(settings_file, cache)
        if settings is None:
            return None, findings
        if path in settings.glossary or (path.name in GLOSSARY_NAMES
                                         and any(s in path.parents for s in settings.sources)):
            return Target(settings, path), findings
    if path.name in GLOSSARY_NAMES or _TERMS_KEY.search(_head(path)):
        return Target(Settings(sources=(), glossary=(path,))), []
    return None, [skipped(path)]


def _settings(settings_file: Path, cache: dict[Path, tuple[Settings | None, list[Finding]]],
              ) -> tuple[Settings | None, list[Finding]]:
    if settings_file not in cache:
        cache[settings_file] = load_settings(settings_file)
    return cache[settings_file]


def _site(settings_file: Path, focus: Path | None, cache: dict[Path, tuple[Settings | None, list[Finding]]],
          ) -> tuple[Target | None, list[Finding]]:
    settings, findings = _settings(settings_file, cache)
    if settings is None:
        return None, findings
    return Target(settings, focus), findings


def _head(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return handle.read(4000).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _holds_cards(folder: Path) -> bool:
    return any(_is_card(entry) for entry in folder.glob("*.md"))


def _is_card(path: Path) -> bool:
    """Frontmatter with a ``level:`` key near the top (what makes a Markdown file a card)."""
    head = _head(path)
    return head.lstrip("\ufeff").startswith("---") and looks_like_card(head)


def find_settings(folder: Path) -> Path | None:
    """The ``mltrl-docs.yml`` in ``folder`` or the nearest parent, looking no higher than the
    root of the git repository ``folder`` is in (a folder holding ``.git``), else up to the
    filesystem's root."""
    folder = resolved(folder)
    for parent in (folder, *folder.parents):
        candidate = parent / SETTINGS_FILE
        if candidate.is_file():
            return candidate
        if (parent / ".git").exists():
            return None
    return None
