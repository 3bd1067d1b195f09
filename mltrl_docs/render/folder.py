"""The dossier site as a folder of plain Markdown files, for a host that runs no MkDocs plugin.

Zensical reads ``mkdocs.yml`` but ignores MkDocs plugins, and MkDocs 1.x has had no release
since 2024. ``mltrl-docs render`` writes what the plugin gives MkDocs in memory as files: each
generated page as a Markdown file at the plugin's URI, holding its front matter (the escaped
title and tags) and the page's HTML as one raw HTML block, with the SVGs inline as on the
plugin's pages; the plugin's stylesheets and script; the evidence files the site publishes;
and ``mkdocs.yml``, a fragment that a site merges into its own configuration (or builds alone).

Hosts differ in what they do with the links of a raw HTML block (``Host``). MkDocs (and
ProperDocs) pass it through untouched: they rewrite no link in it and check none, so each link
is written as the relative URL it takes in the directory-URL layout the fragment sets
(``use_directory_urls: true``: ``dossier/R02.1/L4-2021-06-14.md`` is served at
``dossier/R02.1/L4-2021-06-14/``), as MkDocs computes it for the plugin. Zensical (0.0.73) reads
every link of a page, raw HTML too, as a path relative to the page's Markdown file, as it reads
a Markdown link, and rewrites it to the target's URL: there each link is the target file's path
from the page's file (``../index.md``). Either way a link to a page the site leaves out is text,
as in the plugin. The one block is a ``<div>`` starting at a line's start, so Python-Markdown
(MkDocs' and Zensical's) takes all of it as raw HTML: nothing in it is read as Markdown, and
card text stays as escaped as the renderer wrote it.

With ``own`` (``render --docs DIR``), the site's own folder of pages is written beside the dossier,
so that ``out`` is the whole site: each page with views (``render.views``) with every view as the
plugin renders it, its links written for the host as above; every other file as it is
(``render.own_pages`` lists the folder without leaving it). The fragment's nav then lists these
pages first, as MkDocs does when ``mkdocs.yml`` has no nav, and the dossier after them.
"""

from __future__ import annotations

import posixpath
import shutil
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from html import escape
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import yaml

from mltrl_docs.bundle.model import NO_IMPORTS, Imports, readiness_uri
from mltrl_docs.csp import CONTENT_MARKS
from mltrl_docs.dossier import CheckedDossier
from mltrl_docs.findings import Finding, Severity
from mltrl_docs.messages import Messages
from mltrl_docs.render.exports import export_files
from mltrl_docs.render.html import Renderer, UrlFor
from mltrl_docs.render.navigation import NavSection, navigation
from mltrl_docs.render.outline import Permalink, outline
from mltrl_docs.render.own_pages import MARKDOWN, RULE, OwnFile, own_files, page_views
from mltrl_docs.render.pages import SitePage, evidence_files, site_pages
from mltrl_docs.render.search import Search
from mltrl_docs.render.site import (
    ASSETS,
    JS_URI,
    STYLESHEETS,
    asset_text,
    changes_since,
    front_matter,
    site_readiness,
)
from mltrl_docs.render.views import Views, splice
from mltrl_docs.revision import AsOf, as_of
from mltrl_docs.settings import Settings

DOCS = "docs"
"""The folder under OUT that holds the pages and files (the fragment's ``docs_dir``)."""
CONFIG = "mkdocs.yml"
"""The fragment's file name under OUT."""
WRAPPER = "mltrl-rendered"
"""The class of the ``<div>`` that holds a rendered page's HTML (one raw HTML block)."""


class Host(StrEnum):
    """Which host builds the folder: how the links inside a page's HTML are written."""

    MKDOCS = "mkdocs"
    """MkDocs or ProperDocs without the plugin: relative URLs (raw HTML is passed through as it is)."""
    ZENSICAL = "zensical"
    """Zensical: paths relative to the page's Markdown file, which Zensical rewrites to URLs."""


@dataclass(frozen=True, slots=True)
class RenderedFolder:
    """What ``render_folder`` wrote."""

    pages: tuple[str, ...]
    """Page URIs, as the plugin's (``dossier/index.md``...)."""
    files: tuple[str, ...]
    """Evidence files and assets, by URI."""
    findings: tuple[Finding, ...]
    """Findings of the build besides the dossier's own (``changes.since`` when it names no day; the
    site's own pages' views and files left out)."""
    own: tuple[str, ...] = ()
    """The site's own files written (``own``), by their path in its folder."""
    views: int = 0
    """Views shown in the site's own pages (or an error box in their place)."""


def page_url(uri: str) -> str:
    """The URL a host serves the file at ``uri`` at, with directory URLs (MkDocs' ``File.url``):
    ``x/index.md`` at ``x/``, ``x/y.md`` at ``x/y/``, any other file at its path; percent-encoded."""
    if not uri.endswith(".md"):
        return quote(uri)
    parent, _, name = uri.rpartition("/")
    stem = name[:-3]
    if stem in ("index", "README"):
        return quote((parent or ".") + "/")
    return quote(posixpath.join(parent, stem) + "/")


def relative_url(url: str, other: str) -> str:
    """``url`` relative to the page at ``other``, both site URLs (MkDocs' ``get_relative_url``,
    so that a rendered page links as the plugin's does)."""
    dirname, _, basename = other.rpartition("/")
    if "." in basename:
        other = dirname
    other_parts, url_parts = _parts(other), _parts(url)
    common = 0
    for a, b in zip(other_parts, url_parts, strict=False):
        if a != b:
            break
        common += 1
    relative = "/".join([".."] * (len(other_parts) - common) + url_parts[common:]) or "."
    return relative + "/" if url.endswith("/") else relative


def _parts(path: str) -> list[str]:
    normal = posixpath.normpath("/" + path.lstrip("/"))[1:]
    return normal.split("/") if normal else []


def render_folder(out: Path, settings: Settings, dossier: CheckedDossier, messages: Messages, *,
                  prefix: str, include: Collection[str], host: Host = Host.MKDOCS, templates: Sequence[Path] = (),
                  root: Path | None = None, permalink: Permalink | None = None, site_url: str | None = None,
                  imports: Imports = NO_IMPORTS, own: Path | None = None) -> RenderedFolder:
    """Write the site of ``dossier`` into ``out``: ``out/docs/`` the pages, assets and evidence
    files, ``out/mkdocs.yml`` the configuration they need. ``out/docs/<prefix>/`` (with ``own``, all
    of ``out/docs/``) and the assets are replaced; anything else in ``out`` stays. ``templates``:
    folders of templates that replace the shipped ones by name; ``root``: the folder paths on
    pages are shown from (the site's); ``permalink``: the link each heading ends with
    (Python-Markdown's ``toc`` option; None: none); ``host``: which host's reading of links the
    pages are written for; ``site_url``: where the site is published (mkdocs.yml's), for the README
    badge snippets; ``imports``: the bundles ``dossier`` was built with
    (``bundle.site.build_portal``), whose files pages name as the bundles do; ``own``: the site's
    own folder of pages (its ``docs_dir``), written into ``out/docs/`` with their views shown (a
    ValueError when it holds ``out`` or is inside it: ``overlap``)."""
    if own is not None and (clash := overlap(out, own)) is not None:
        raise ValueError(clash)
    since, problem = changes_since(settings, dossier, include)
    # compare: the site's own readiness.json (made once, also written under exports) against a previous bundle.
    readiness, compared = site_readiness(settings, dossier, include, imports)
    listed = site_pages(dossier, prefix, include, messages, since, site_url=site_url, readiness=compared)
    evidence = evidence_files(dossier.dossier, prefix) if "evidence" in include else {}
    published = {page.source: page.uri for page in listed if page.source is not None}
    published.update(evidence)

    renderer = Renderer(prefix, templates, root=root)
    renderer.use_messages(messages)
    renderer.use_glossary(dossier.glossary, settings.link_terms)
    renderer.allow_images(settings.image_hosts)
    stamp = as_of(dossier.today, settings.sources)
    renderer.stamp(AsOf(stamp.date, (*stamp.sources, *imports.revisions())))
    renderer.show_paths(partial(imports.shown, display=renderer.env.filters["display"]))
    exports: dict[str, str | bytes] = {}
    if "exports" in include:
        exports.update(export_files((page.context for page in listed), renderer.env))
        assert readiness is not None  # site_readiness makes it for exports
        exports[readiness_uri(prefix)] = readiness
    known = {uri: uri for uri in (*evidence.values(), *exports)} | {page.uri: file_uri(page.uri) for page in listed}

    docs = out / DOCS
    generated = docs if own is not None else docs / prefix  # with the site's own pages, docs/ is all of ours
    if generated.exists():
        shutil.rmtree(generated)
    for page in listed:
        _write(docs / known[page.uri], page_markdown(renderer, page, known, published, host, permalink))
    for path, uri in evidence.items():
        target = docs / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    for uri, content in exports.items():
        _write(docs / uri, content)
    for uri in ASSETS:
        _write(docs / uri, asset_text(uri))
    found = [*((problem,) if problem is not None else ()), *(compared.findings if compared is not None else ())]
    written: list[str] = []
    views = 0
    if own is not None:
        files, skipped = own_files(own, Severity.WARNING)
        found += skipped
        shown = Views(dossier, renderer)
        taken = {*known.values(), *ASSETS}
        folders = {str(parent) for uri in taken for parent in PurePosixPath(uri).parents}
        for file in files:
            if _clashes(file.uri, taken, folders):
                found.append(Finding(Severity.WARNING, RULE, f"left out: the dossier's files are written at "
                                     f"{file.uri}", file.path, hint="move the file, or choose another --prefix"))
                continue
            count, problems = _write_own(docs / file.uri, file, shown, url_maker(file.uri, known, host))
            if count is not None:
                written.append(file.uri)
                views += count
            found += problems
    entries = navigation(listed, dossier, messages)
    _write(out / CONFIG, fragment(prefix, _moved(entries, known), messages.text("nav.dossier"),
                                  None if own is None else [uri for uri in written if uri.endswith(MARKDOWN)]))
    return RenderedFolder(tuple(known[page.uri] for page in listed), (*evidence.values(), *exports, *ASSETS),
                          tuple(found), tuple(written), views)


def overlap(out: Path, own: Path) -> str | None:
    """Why ``render`` cannot write ``out`` from the pages in ``own``: one holds the other (the
    pages written would be read again, or written over the ones they are made from)."""
    mine = own.resolve()
    for folder in (out.resolve(), (out / DOCS).resolve()):
        if folder == mine or mine in folder.parents:
            return f"the pages' folder {own} holds the output folder {out}: write it elsewhere"
        if folder in mine.parents:
            return f"the pages' folder {own} is inside the output folder {out}: write it elsewhere"
    return None


def _clashes(uri: str, taken: set[str], folders: set[str]) -> bool:
    """Whether the site's own file at ``uri`` is where the dossier writes a file (``taken``) or
    needs a folder (``folders``), or inside what is a file of the dossier's."""
    return uri in taken or uri in folders or any(str(parent) in taken for parent in PurePosixPath(uri).parents)


def _write_own(target: Path, file: OwnFile, views: Views, url_for: UrlFor) -> tuple[int | None, list[Finding]]:
    """Write one file of the site's own folder to ``target``: a page's views shown (the number of
    them and their findings returned), anything else as it is; None: it cannot be read."""
    try:
        data = file.path.read_bytes()
    except OSError as exc:
        return None, [Finding(Severity.ERROR, RULE, f"cannot read the file: {exc.strerror or exc}", file.path)]
    page = page_views(file, data) if file.page else None
    if page is None or isinstance(page, Finding):
        _write(target, data)
        return 0, [page] if page is not None else []
    shown: list[str] = []
    findings: list[Finding] = []
    for block in page.blocks:
        html, found = views.show(block, url_for)
        shown.append(html)
        findings += found
    _write(target, page.head + splice(page.body, page.blocks, shown))
    return len(shown), findings


def file_uri(uri: str) -> str:
    """Where the folder holds the page the plugin serves at ``uri``: there, unless its name (an
    attachment's, which a team chose) holds a character a theme could print as markup. A theme
    prints a page's file path unescaped into its edit button (MkDocs' ``edit_url``; Zensical's
    even with ``edit_uri: ''``), so such a character is written percent-encoded in the file name
    (and '%' too, so that no two names meet); the page's links follow it."""
    return uri.translate(_UNSAFE)


_UNSAFE = {ord(c): f"%{ord(c):02X}" for c in "%\"'<>&`"}


def url_maker(own: str, known: Mapping[str, str], host: Host) -> UrlFor:
    """Links from the file at ``own`` in the folder to the site's pages by their plugin URIs, as
    ``host`` reads them: relative URLs for MkDocs, file paths for Zensical (``known``: the URIs the
    site has, each to its file in the folder, ``file_uri``; None for any other: the link is text)."""
    here = page_url(own) if host is Host.MKDOCS else posixpath.dirname(own) or "."
    urls: dict[str, str | None] = {}

    def url_for(uri: str) -> str | None:
        if uri not in urls:
            target = known.get(uri)
            urls[uri] = (None if target is None else relative_url(page_url(target), here) if host is Host.MKDOCS
                         else quote(posixpath.relpath(target, here)))
        return urls[uri]

    return url_for


def page_markdown(renderer: Renderer, page: SitePage, known: Mapping[str, str], published: Mapping[Path, str],
                  host: Host = Host.MKDOCS, permalink: Permalink | None = None) -> str:
    """One page's Markdown file: front matter, then its HTML as one raw HTML block whose links
    are written for ``host`` (``url_maker``); the headings carry ids and permalinks as the
    plugin's do (``render.outline``)."""
    url_for = url_maker(known.get(page.uri, file_uri(page.uri)), known, host)
    html = outline(renderer.render(page, url_for, published), permalink).html
    # The host draws no outline of a raw HTML block: the theme's table of contents would stay empty.
    extra = ["hide: [toc]"]
    if page.search is Search.NONE:  # as in the plugin: search leaves out pages that repeat the cards
        extra.append("search: {exclude: true}")
    start, end = CONTENT_MARKS
    return (front_matter(page, tuple(extra)) + f'\n<div class="{WRAPPER}">\n<!--{start}-->{html.strip()}'
            f"<!--{end}-->\n</div>\n")


def fragment(prefix: str, entries: tuple[NavSection | str, ...], section: str,
             own: Sequence[str] | None = None) -> str:
    """``mkdocs.yml`` for the rendered folder: what a site merges into its own configuration
    (the keys below ``theme``), and enough to build the dossier alone; with ``own`` (the site's
    own pages in the folder, ``render --docs``), the whole site, those pages first in the nav."""
    config = {
        "site_name": section,
        "docs_dir": DOCS,
        "theme": {"name": "material", "font": False},
        "use_directory_urls": True,
        "not_in_nav": f"/{prefix}/",
        "edit_uri": "",
        "extra_css": list(STYLESHEETS),
        "extra_javascript": [JS_URI],
        "nav": [*map(_nav_entry, own_nav(own or ())), _nav_entry(NavSection(section, entries))],
    }
    head = ("# Written by `mltrl-docs render`: the dossier as plain Markdown pages under docs/.\n"
            "# Built alone, it is a Material site that loads no web fonts (nothing from outside its files).\n"
            "# To add it to your site, copy docs/ into your docs_dir and merge the keys below theme into\n"
            "# your mkdocs.yml: append the nav section to your nav and the files to your extra_css and\n"
            "# extra_javascript. The links inside the pages need use_directory_urls: true. edit_uri: '' turns\n"
            "# the theme's edit button off: a rendered page is no file of your repository, and themes print its\n"
            "# file name (a team's attachment name) unescaped into the button's link.\n")
    if own is not None:
        head += ("# docs/ also holds the site's own pages (render --docs), each view shown as the plugin shows it:\n"
                 "# the nav lists them first, as MkDocs does without a nav. Built alone, this is the whole site; with\n"
                 "# your mkdocs.yml, point its docs_dir at docs/ and append only the Dossier section to your nav.\n")
    return head + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1000)


def own_nav(pages: Iterable[str]) -> tuple[NavSection | str, ...]:
    """The site's own pages (in ``own_pages.own_files``' order) as MkDocs' navigation lists them when
    ``mkdocs.yml`` has none (``mkdocs.utils.nest_paths``): a section per folder, titled from its name."""
    top = _Folder("")
    for uri in pages:
        branch = top
        for part in PurePosixPath(uri).parent.parts:
            title = _folder_title(part)
            node = next((e for e in branch.entries if isinstance(e, _Folder) and e.title == title), None)
            if node is None:
                node = _Folder(title)
                branch.entries.append(node)
            branch = node
        branch.entries.append(uri)
    return top.section().children


@dataclass(slots=True)
class _Folder:
    """A section of ``own_nav`` while it is put together."""

    title: str
    entries: list[_Folder | str] = field(default_factory=list)

    def section(self) -> NavSection:
        return NavSection(self.title, tuple(e.section() if isinstance(e, _Folder) else e for e in self.entries))


def _folder_title(name: str) -> str:
    """A section's title from its folder's name, as MkDocs writes it (``dirname_to_title``)."""
    title = name.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def _moved(entries: tuple[NavSection | str, ...], known: Mapping[str, str]) -> tuple[NavSection | str, ...]:
    """The navigation's entries with each page at its file in the folder (``file_uri``)."""
    return tuple(NavSection(e.title, _moved(e.children, known)) if isinstance(e, NavSection) else known.get(e, e)
                 for e in entries)


def _nav_entry(entry: NavSection | str) -> object:
    """A nav entry as mkdocs.yml writes it: a page's path (its title is the page's own, from its
    front matter), or ``{title: [entries]}``, the title escaped as the plugin escapes it."""
    if isinstance(entry, str):
        return entry
    return {escape(entry.title): [_nav_entry(child) for child in entry.children]}


def _write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
