"""What every dossier site is made of, whichever tool writes it: the plugin's assets, each
generated page's front matter, and since when the 'What changed' page lists changes.

The MkDocs plugin (``mltrl_docs.plugin``) hands these to MkDocs in memory; ``mltrl-docs render``
(``render.folder``) writes them as files for a host that runs no plugin. One definition for both,
so that the two sites cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from html import escape
from pathlib import Path

from mltrl_docs.bundle.model import NO_IMPORTS, Imports
from mltrl_docs.bundle.write import BundleMemo, bundle_of, dumps, origin
from mltrl_docs.changes import since_setting
from mltrl_docs.dossier import CheckedDossier
from mltrl_docs.findings import Finding
from mltrl_docs.frontmatter import yaml_scalar
from mltrl_docs.render.changes import SinceShown, setting_shown
from mltrl_docs.render.pages import SitePage
from mltrl_docs.render.readiness import Comparison, site_comparison
from mltrl_docs.resources import resource_dir
from mltrl_docs.settings import Settings

CSS_URI = "mltrl/mltrl.css"
PRINT_CSS_URI = "mltrl/mltrl-print.css"
"""The print layout (all of it under ``@media print``), after mltrl.css so that it wins on paper."""
JS_URI = "mltrl/mltrl.js"
STYLESHEETS = (CSS_URI, PRINT_CSS_URI)
"""In the order a page loads them."""
ASSETS = (*STYLESHEETS, JS_URI)
"""The files every dossier site serves beside its pages, at these URIs."""
DEFAULT_PREFIX = "dossier"
_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*+")


def folder_prefix(value: str) -> str | None:
    """The generated pages' folder (the plugin's option ``prefix``, ``render --prefix``) without
    its outer slashes: one or more plain path segments (``dossier``, ``org/dossier``); None for
    ``''``, ``/`` or ``.``, which would put the portfolio over the site's home page, and for
    ``..``, outside the site, or any other name but letters, digits, '.', '_' and '-'."""
    text = value.strip("/")
    segments = text.split("/")
    if not text or not all(_SEGMENT.fullmatch(s) and s not in (".", "..") for s in segments):
        return None
    return text


PREFIX_RULE = ("write one or more names of letters, digits, '.', '_' or '-' separated by '/' (e.g. 'dossier'), "
               "not '', '/', '.' or '..'")
"""What ``folder_prefix`` accepts, for the message that refuses a value."""


def asset_text(uri: str) -> str:
    """The shipped content of the asset at ``uri`` (one of ``ASSETS``)."""
    return (resource_dir("templates") / uri).read_text(encoding="utf-8")


def front_matter(page: SitePage, extra: tuple[str, ...] = ()) -> str:
    """The page's YAML front matter: its title and tags, escaped, since MkDocs themes print page
    titles unescaped (nav, ``<title>``, search): a card title like "<img onerror=...>" must reach
    them as text, and so must a tag (Material's tags plugin prints each name as it is).
    ``extra``: further lines, each a ``key: value`` written as YAML already."""
    lines = ["---", f"title: {yaml_scalar(shown_title(page))}"]
    if page.tags:
        lines.append("tags: [" + ", ".join(yaml_scalar(escape(tag)) for tag in page.tags) + "]")
    lines += [*extra, "---", ""]
    return "\n".join(lines)


def shown_title(page: SitePage) -> str:
    """The page's title as the host's theme gets it: escaped, since themes print it unescaped
    (``front_matter`` writes it; the plugin gives it to the nav before MkDocs reads a page)."""
    return str(escape(page.title))


def readiness_json(settings: Settings, dossier: CheckedDossier, imports: Imports = NO_IMPORTS,
                   memo: BundleMemo | None = None) -> bytes:
    """The site's ``readiness.json``: the bundle of the whole site, its local projects and those
    its bundles (``imports``) brought, as ``mltrl-docs bundle`` writes one repository's.
    ``memo``: what the last one read and wrote (``mkdocs serve``), reused where it still holds."""
    folder = settings.file.parent if settings.file is not None else Path.cwd()  # no mltrl-docs.yml: where it runs
    return dumps(bundle_of(dossier, origin(folder), max_bytes=settings.limits.file_bytes,
                           imports=imports, repositories=settings.repositories,
                           glossaries=[*settings.glossary, *(g for b in imports.bundles for g in b.glossaries)],
                           memo=memo), memo)


def site_readiness(settings: Settings, dossier: CheckedDossier, include: Collection[str],
                   imports: Imports = NO_IMPORTS, memo: BundleMemo | None = None,
                   ) -> tuple[bytes | None, Comparison | None]:
    """The site's ``readiness.json``, made once when the site publishes it (page kind ``exports``)
    or compares itself with a previous bundle (``compare``), and that comparison (None without
    ``compare``): what every writer of the site (the plugin, ``render.folder``) needs of it;
    ``memo``: as ``readiness_json`` takes it."""
    if "exports" not in include and settings.compare is None:
        return None, None
    readiness = readiness_json(settings, dossier, imports, memo)
    return readiness, site_comparison(settings, readiness)


def changes_since(settings: Settings, dossier: CheckedDossier, include: Collection[str],
                  ) -> tuple[SinceShown | None, Finding | None]:
    """Since when the 'What changed' page lists changes (``changes.since``, resolved once per
    build; a git ref is looked up locally), and the finding when the setting could not be used as
    written (an error at its line when it names no day: the page then lists the default days and
    says why). (None, None) when the site leaves that page out."""
    if "changes" not in include:
        return None, None
    setting = since_setting(settings, dossier)
    return setting_shown(setting, dossier), setting.finding
