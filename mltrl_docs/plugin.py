"""The MkDocs plugin ``mltrl``: a thin adapter from MkDocs events to the core.

Event order (MkDocs 1.6): ``on_config`` reads mltrl-docs.yml; ``on_files`` builds
the Dossier and adds one in-memory page per portfolio, project, card and
attachment; ``on_nav`` adds a "Dossier" section listing projects (never every
card: every page carries the nav, so a nav of thousands of cards makes the site
quadratic); ``on_page_content`` replaces each generated page's HTML with the
core's rendering, which never passes through Python-Markdown (card text is
rendered with raw HTML off), and gives the page the table of contents and heading
permalinks a hand-written page gets from the toc extension (``render.outline``), and
(in ``mkdocs build``) holds it on disk until ``on_page_context`` (``held``);
``on_page_markdown`` replaces the views a hand-written page asks for (``render.views``: a
query's answer as a table, list, count or chart) by their HTML; ``on_serve`` watches cards
outside ``docs_dir``.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from jinja2 import Environment
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import get_relative_url

from mltrl_docs.bundle.model import NO_IMPORTS, Imports, readiness_uri
from mltrl_docs.bundle.site import build_portal
from mltrl_docs.bundle.write import BundleMemo
from mltrl_docs.changes import forget_diffs
from mltrl_docs.csp import CONTENT_MARKS
from mltrl_docs.filecache import FileCache
from mltrl_docs.findings import FAIL_ON, Finding, Severity, failing
from mltrl_docs.gates import GateMemo
from mltrl_docs.gcpause import settle, unsettle
from mltrl_docs.heap import give_back
from mltrl_docs.held import Held
from mltrl_docs.messages import Messages, english, load_messages
from mltrl_docs.references import real_path
from mltrl_docs.render.compiled import TemplateCode
from mltrl_docs.render.exports import export_files
from mltrl_docs.render.html import Renderer, UrlFor
from mltrl_docs.render.kept import Kept
from mltrl_docs.render.markdown import forget_parses
from mltrl_docs.render.narrow import narrow
from mltrl_docs.render.navigation import NavSection, navigation
from mltrl_docs.render.outline import Heading, Permalink, outline
from mltrl_docs.render.pages import OPTIONAL_PAGES, SitePage, evidence_files, site_pages, unshown
from mltrl_docs.render.reuse import Rendered
from mltrl_docs.render.search import flattened, search_view, unmarked
from mltrl_docs.render.site import (
    ASSETS,
    CSS_URI,
    JS_URI,
    PREFIX_RULE,
    PRINT_CSS_URI,
    asset_text,
    changes_since,
    folder_prefix,
    front_matter,
    shown_title,
    site_readiness,
)
from mltrl_docs.render.views import MARK, Views, find_views, splice
from mltrl_docs.report import WORDS, counted, text_line
from mltrl_docs.repositories import own_repository
from mltrl_docs.revision import AsOf, as_of
from mltrl_docs.settings import SETTINGS_FILE, Settings, load_settings

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)
CACHE_DIR = Path(".cache") / "mltrl-docs"
"""Where git's answers and the compiled templates are cached, relative to mkdocs.yml's folder."""
TEMPLATE_CODE = "templates"
"""The compiled templates' folder in ``CACHE_DIR`` (``render.compiled``): the plugin's and the theme's."""


class Prefix(c.Type[str]):
    """The generated pages' folder: one or more plain path segments (``render.site.folder_prefix``)."""

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        text = folder_prefix(super().run_validation(value))
        if text is None:
            raise base.ValidationError(f"prefix {value!r} is not a folder inside the site: {PREFIX_RULE}")
        return text


class MltrlConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Switch the plugin off without removing its settings."""
    settings = c.Type(str, default=SETTINGS_FILE)
    """The mltrl-docs.yml (sources, glossaries) to build from, relative to mkdocs.yml;
    `mltrl-docs check` reads the same file, so check and build agree."""
    prefix = Prefix(default="dossier")
    """Folder of the generated pages in the site (the portfolio is at <prefix>/)."""
    pages = c.ListOfItems(c.Choice(OPTIONAL_PAGES), default=list(OPTIONAL_PAGES))
    """Page kinds to generate besides the portfolio and the project dossiers (which are
    always built); links to a kind left out render as plain text."""
    fail_on = c.Choice(tuple(FAIL_ON), default="error")
    """Which findings fail ``mkdocs build`` (and ``gh-deploy``), with or without ``--strict``:
    ``error`` (invalid cards and settings, gate rules set to error), ``warning`` (those and
    warnings), or ``never``. The site is written first, so it can be looked at; ``mkdocs serve``
    reports them and keeps serving. ``--strict`` still fails on warnings, as MkDocs does."""
    custom_templates = c.Optional(c.Dir(exists=True))
    """A folder of templates that replace the plugin's own by file name (e.g. ``card.html``,
    ``_macros.html``), relative to mkdocs.yml; the rest stay the shipped ones."""


class _Generated(File):
    """A generated page or file that knows whether it changed since the last build, so that
    ``mkdocs serve --dirty`` (and ``build --dirty``) writes only the ones that did."""

    unchanged = False
    """A page's rendering is the last build's (``render.reuse``); a file's content is."""

    _modified: bool | None = None

    def is_modified(self) -> bool:
        """Asked by MkDocs as it reads the page and again as it writes it: answered once."""
        if self._modified is None:
            self._modified = not self.unchanged or not os.path.isfile(self.abs_dest_path)
        return self._modified


HELD = "<!-- mltrl: held by the plugin until MkDocs builds this page (mltrl_docs.held) -->"
"""A held page's content outside the events that read it: on_page_context and on_post_page."""


@dataclass(frozen=True, slots=True)
class _Shown:
    """What a generated page's rendering gives MkDocs: its HTML, outline and search view."""

    html: str
    toc: tuple[Heading, ...]
    anchors: frozenset[str]
    search: str | None
    """What the host's search indexes of it; None: nothing."""


class MltrlPlugin(BasePlugin[MltrlConfig]):
    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.imports: Imports = NO_IMPORTS
        """The bundles of the last build (``bundles:``), unpacked in ``_unpacked``."""
        self._unpacked: tempfile.TemporaryDirectory[str] | None = None
        self._shown_path: Callable[[Path], str] | None = None
        """The renderer's own ``display`` filter, which ``Imports.shown`` wraps."""
        self.pages: dict[str, SitePage] = {}
        self.published: dict[Path, str] = {}
        """Source file (card, attachment) -> URI of the page that shows it."""
        self.renderer: Renderer | None = None
        self._layout: tuple[str, tuple[Path, ...], Path] | None = None
        """What the renderer was made for (prefix, custom templates, config folder)."""
        self.messages: Messages = english()
        """The site's labels: settings.language, else the theme's language, with settings.labels."""
        self.files: FileCache | None = None
        """Under `mkdocs serve`: each card's, page's and glossary's reading, reused across rebuilds
        while the file's bytes are the same (a single build has nothing to reuse: None)."""
        self.judged: GateMemo | None = None
        """Under `mkdocs serve`: the gates' judgement of each project in the last build, reused for
        the projects whose cards (and their evidence) are the same (``gates.engine.OwnGates``)."""
        self.kept: Kept | None = None
        """Under `mkdocs serve`: what the pages' contexts were made of in the last build (each card's
        change, in words, and the glossary terms it uses), reused for the cards that are the same."""
        self.bundled: BundleMemo | None = None
        """Under `mkdocs serve`: what the site's last readiness.json read and wrote, reused for the
        files and cards that are the same (``bundle.write.BundleMemo``)."""
        self.nav_entries: tuple[NavSection | str, ...] = ()
        """The "Dossier" section's entries (``render.navigation``): page URIs and sections."""
        self.rendered: Rendered[_Shown] = Rendered()
        """Each generated page's last rendering, kept across `mkdocs serve` rebuilds."""
        self.contents: dict[str, str | bytes] | None = None
        """Under `mkdocs serve`: the content of each generated file (exports, assets) of the last build."""
        self._contents_now: dict[str, str | bytes] = {}
        self.reused: dict[str, _Shown] = {}
        """This build's pages whose rendering is the last build's (their inputs are the same)."""
        self.search_views: dict[str, str] = {}
        """Page URI -> the HTML the host's search indexes of it, where that is not the whole page."""
        self._published_content: dict[str, str] = {}
        """Page URI -> its content, while the host's search reads the search view instead."""
        self.held: Held | None = Held()
        """A `mkdocs build`'s generated pages between their render and their build (``held``);
        None under `mkdocs serve`, whose rebuilds reuse the last rendering (``rendered``) and
        would write every page out again each time."""
        self.failing: list[Finding] = []
        """The findings that fail the build (option ``fail_on``), even without --strict."""
        self.serving = False
        """Running under ``mkdocs serve``: failing findings are reported, the site still served."""
        self.builds = 0
        """Builds this instance began (``mkdocs serve`` keeps it across rebuilds)."""
        self._said: dict[tuple[Finding, str], str] = {}
        """The last build's findings as logged, by finding and working folder (their paths' base)."""
        self._flatten_search = False
        """The host's search is Material's: search views lose the tags its parser reads nothing of."""
        self._unrepeated = 0
        """This build's findings not logged again: the last build logged them in the same words."""
        self.theme_code = TemplateCode()
        """The theme's compiled templates, kept across ``mkdocs serve`` rebuilds and, in the
        cache beside mkdocs.yml, for the next build (``on_env``)."""
        self.views: Views | None = None
        """This build's views in hand-written pages (``render.views``): each query answered once."""
        self.view_pages: set[str] = set()
        """Hand-written pages (source URIs) that showed views in the last build."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that MkDocs keeps this instance across `mkdocs serve` rebuilds; notes
        whether it serves (where ``fail_on`` reports instead of failing)."""
        self.serving = command == "serve"
        self.builds = 0
        self.files = FileCache() if self.serving else None
        self.judged = GateMemo() if self.serving else None
        self.kept = Kept() if self.serving else None
        self.bundled = BundleMemo(self.files.data) if self.files is not None else None
        self.contents = {} if self.serving else None
        self.rendered = Rendered()
        self.held = None if self.serving else Held()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        if self.serving and self.builds == 1:  # the first rebuild: what is alive now is kept for good
            settle()
        self.builds += 1
        if self.held is not None:  # pages wait in the folder the site is written to
            self.held.clear()
            self.held = Held(Path(config.site_dir))
        path = Path(config.config_file_path).parent / self.config.settings
        if not path.is_file():
            raise PluginError(f"mltrl: settings file {path} does not exist (plugin option 'settings')")
        settings, findings = load_settings(path)
        if settings is None:
            raise PluginError("mltrl: cannot use " + str(path) + ":\n" + "\n".join(map(text_line, findings)))
        self.settings = settings
        custom = self.config.custom_templates
        layout = (self.config.prefix.strip("/"), (Path(custom),) if custom else (),
                  Path(config.config_file_path).parent)
        if self.renderer is None or self._layout != layout:  # else keep its compiled templates (mkdocs serve)
            self.renderer = Renderer(layout[0], layout[1], root=layout[2],
                                     compiled=layout[2] / CACHE_DIR / TEMPLATE_CODE)
            self._shown_path = self.renderer.env.filters["display"]
            self._layout = layout
        self.messages, notes = load_messages(settings.language or _theme_language(config), settings.labels,
                                             path=Path(config.config_file_path))
        if settings.language is None:  # else load_settings reported them, at the setting's line
            for finding in notes:
                _log(finding)
        self.renderer.use_messages(self.messages)
        self._flatten_search = _material_search(config)
        self.renderer.theme_lists_tags(_theme_lists_tags(config))
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        if PRINT_CSS_URI not in config.extra_css:
            config.extra_css.append(PRINT_CSS_URI)
        if JS_URI not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append(JS_URI)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self.config.enabled or self.settings is None:
            return files
        _drop_sources(files, self.settings.sources, config.docs_dir)
        # Pages show who created and changed each card and who recorded each decision (git, asked
        # locally, cached beside mkdocs.yml), as `mltrl-docs check` reads it. What git could not tell
        # (a shallow clone, the commit limit) is the provenance report's own note, logged as info.
        # Bundles (``bundles:``) are unpacked into a folder of this build's own, whose files the pages publish.
        dossier, self.imports = build_portal(self.settings, self._bundle_folder(), provenance=True,
                                             cache_dir=Path(config.config_file_path).parent / CACHE_DIR,
                                             files=self.files, memo=self.judged)
        if self.files is not None:
            if self.files.hits:
                log.info(f"mltrl: {self.files.hits} of {self.files.hits + self.files.misses} files unchanged since "
                         "the last build, not read again")
            self.files.sweep()
        if self.judged is not None:
            self.judged.sweep()
        found = list(dossier.findings)
        if self.renderer is not None:
            self.renderer.use_glossary(dossier.glossary, self.settings.link_terms)
            self.renderer.allow_images(self.settings.image_hosts)
            stamp = as_of(dossier.today, self.settings.sources)
            self.renderer.stamp(AsOf(stamp.date, (*stamp.sources, *self.imports.revisions())))
            if self._shown_path is not None:  # a bundle's file: named by the bundle, not where it is unpacked
                self.renderer.show_paths(partial(self.imports.shown, display=self._shown_path))
        said, self._said = self._said, {}
        where = os.getcwd()  # findings name their files from it
        # A `mkdocs serve` rebuild says what is new; what the last build said in the same words
        # is counted, not said again (with --strict, MkDocs counts the warnings: all said again).
        again: Counter[Severity] = Counter()
        repeat = not self.serving or config.strict or not said
        for finding in dossier.findings:
            located = self.imports.located(finding)
            line = said.get((located, where)) or _line(located)
            if not repeat and (located, where) in said:
                again[located.severity] += 1
            else:
                _LOGGED[located.severity](line)
            if self.serving:  # what the next rebuild compares with; a build has no next
                self._said[(located, where)] = line
        self._unrepeated = sum(again.values())
        if not repeat:
            _said_again(again, len(said.keys() - self._said.keys()))
        for finding in dossier.provenance.findings:  # what git could not tell: a note, never a failure
            log.info(_line(finding))
        # changes.since: a value that names no day is an error, as strict as any card's error.
        since, problem = changes_since(self.settings, dossier, self.config.pages)
        if problem is not None:
            _log(problem)
            found.append(problem)
        # compare: the site's own readiness.json (made once, also published under exports) against a previous bundle.
        readiness, compared = site_readiness(self.settings, dossier, self.config.pages, self.imports, self.bundled)
        for finding in compared.findings if compared is not None else ():
            _log(finding)
            found.append(finding)
        self.failing = failing(found, self.config.fail_on)
        self.views = Views(dossier, self.renderer) if self.renderer is not None else None
        shown_views, self.view_pages = self.view_pages, set()
        for file in files:  # their views show this build's dossier: written again under --dirty too
            if file.src_uri in shown_views:
                file.is_modified = _modified  # type: ignore[method-assign]
        listed = site_pages(dossier, self.config.prefix.strip("/"), self.config.pages, self.messages, since,
                            site_url=config.site_url, readiness=compared, kept=self.kept)
        if self.kept is not None:
            self.kept.sweep()
        self.pages = {page.uri: page for page in listed}
        self.nav_entries = navigation(listed, dossier, self.messages)
        self.published = {page.source: page.uri for page in self.pages.values() if page.source is not None}
        self.reused = {}
        self._contents_now = {}
        if self.held is not None:
            self.held.clear()
        if self.serving:
            # What every page shows besides its own context: when it is as in the last build, a page
            # whose context is the same is not rendered again (render.reuse).
            self.rendered.begin((self.messages, dossier.glossary, self.settings.link_terms, self.settings.image_hosts,
                                 self.renderer.env.globals.get("as_of") if self.renderer else None,
                                 self.renderer.env.globals.get("theme_tags") if self.renderer else None,
                                 sorted(self.published.items()), sorted(self.pages), _permalink(config),
                                 self.config.prefix, self.config.custom_templates, self.settings.repositories))
            self.rendered.keep(set(self.pages))
            shipped = not self.config.custom_templates
            self.reused = {uri: shown for uri, page in self.pages.items()
                           if (shown := self.rendered.get(uri, page, unshown(page, shipped))) is not None}
        if self.reused:
            log.info(f"mltrl: {len(self.reused)} of {len(self.pages)} pages unchanged since the last build, not "
                     "rendered again")
        if "evidence" in self.config.pages:
            evidence = evidence_files(dossier.dossier, self.config.prefix.strip("/"))
            for path, uri in evidence.items():
                files.append(File.generated(config, uri, abs_src_path=str(path)))
            self.published.update(evidence)
        if "exports" in self.config.pages and self.renderer is not None:  # CSV tables and badges, beside their pages
            for uri, content in export_files((page.context for page in listed), self.renderer.env).items():
                files.append(self._file(config, uri, content))
            assert readiness is not None  # site_readiness makes it for exports
            files.append(self._file(config, readiness_uri(self.config.prefix.strip("/")), readiness))
        folders: dict[Path, str] = {}  # most cards share their folder with others
        for page in self.pages.values():
            generated = _Generated.generated(config, page.uri, content=front_matter(page),
                                             inclusion=InclusionLevel.NOT_IN_NAV)
            if isinstance(generated, _Generated):  # File.generated makes its own class; typed as File
                generated.unchanged = page.uri in self.reused
            if page.source is not None:  # a bundle's card is edited in its own repository (on_page_content), or nowhere
                generated.edit_uri = (_edit_uri(page.source, config.docs_dir, folders)
                                      if self.imports.owner(page.source) is None else None)
            files.append(generated)
        for uri in ASSETS:
            files.append(self._file(config, uri, asset_text(uri)))
        if self.contents is not None:
            self.contents = self._contents_now
        return files

    def _file(self, config: MkDocsConfig, uri: str, content: str | bytes) -> File:
        """A generated file (not a page): under `mkdocs serve`, unchanged when its content is the
        last build's, so that ``--dirty`` does not write it again. In `mkdocs build` it is written
        into the site at once, as MkDocs lets a plugin do, not kept to the end of the build (the
        site's readiness.json is about 4.5 MB per 1,000 cards)."""
        if self.held is not None:
            path = os.path.normpath(os.path.join(config.site_dir, uri))  # where MkDocs writes it (abs_dest_path)
            written = _Generated.generated(config, uri, abs_src_path=path)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as out:  # bytes as given; text as MkDocs writes it
                out.write(content.encode("utf-8") if isinstance(content, str) else content)
            return written
        file = _Generated.generated(config, uri, content=content)
        if self.contents is not None and isinstance(file, _Generated):
            file.unchanged = self.contents.get(uri) == content
            self._contents_now[uri] = content
        return file

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        if not self.pages:
            return nav
        for uri, shown in self.pages.items():  # known now: `--dirty` reads only the pages it builds again
            if (file := files.get_file_from_path(uri)) is not None and file.page is not None:
                file.page.title = shown_title(shown)
        nav.items.append(_section(NavSection(self.messages.text("nav.dossier"), self.nav_entries), files))
        return nav

    def _show_page(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        generated = self.pages.get(page.file.src_uri)
        if generated is None or self.renderer is None:
            return html
        url_for = _url_for(files, page)
        shown = self.reused.pop(generated.uri, None)
        if shown is None:
            # The page's headings become its table of contents, with permalinks as the site's
            # toc extension gives hand-written pages.
            shaped = outline(self.renderer.render(generated, url_for, self.published, marked=True),
                             _permalink(config))
            view = search_view(shaped.html, generated.search)
            if view is not None:
                view = flattened(narrow(view)) if self._flatten_search else narrow(view)
            shown = _Shown(narrow(unmarked(shaped.html)), shaped.toc, shaped.anchors, view)
            if self.serving:  # kept for the next rebuild
                self.rendered.put(generated.uri, generated, shown)
        page.toc = TableOfContents([_anchor_link(heading) for heading in shown.toc])
        if _sections(shown.toc) < 2:  # one section or none: no sidebar for the outline (Material)
            page.meta["hide"] = [*(page.meta.get("hide") or []), "toc"]
        page.present_anchor_ids = set(shown.anchors)
        if shown.search is None:
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        else:
            self.search_views[page.file.src_uri] = shown.search
        if generated.source is not None and self.settings is not None:
            # A card from a source checked out from another repository is edited there.
            own = own_repository(generated.source, {**self.settings.repositories, **self.imports.repositories})
            if own is not None:
                page.edit_url = own[1].edit_url(own[0], generated.source)
        start, end = CONTENT_MARKS
        return f"<!--{start}-->{shown.html}<!--{end}-->"

    @event_priority(-100)  # after every other plugin's on_page_content: the page as they all left it is held
    def _hold_page(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        """A generated page waits for its build on disk (``held``), not as the HTML MkDocs would
        keep to the end of the build; its search view waits with it, and its context goes (the
        contexts of the pages not yet rendered are all that is left of them by the last page)."""
        uri = page.file.src_uri
        if self.held is None or uri not in self.pages:
            return html
        self.held.hold(uri, html, self.search_views.pop(uri, None))
        del self.pages[uri]  # rendered and held: its context (changes, matrices, ...) is not read again
        return HELD

    on_page_content = CombinedEvent(_show_page, _hold_page)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        """A hand-written page's views (``render.views``) become their HTML; a view that cannot be
        shown becomes an error box, and its finding, located in the page's file, is logged and
        counts for ``fail_on`` like the dossier's."""
        if self.views is None or MARK not in markdown or page.file.src_uri in self.pages:
            return markdown
        path = Path(page.file.abs_src_path) if page.file.abs_src_path else Path(config.docs_dir) / page.file.src_uri
        blocks = find_views(markdown, path, _first_line(page, markdown))
        if not blocks:
            return markdown
        self.view_pages.add(page.file.src_uri)
        url_for = _url_for(files, page)
        shown: list[str] = []
        for block in blocks:
            html, findings = self.views.show(block, url_for)
            shown.append(html)
            for finding in findings:
                _log(finding)
            self.failing += failing(findings, self.config.fail_on)
        return splice(markdown, blocks, shown)

    @event_priority(200)  # before any other plugin's on_page_context: each reads the page whole
    def _unhold_page(self, context: dict[str, object], *, page: Page, config: MkDocsConfig,
                     nav: Navigation) -> None:
        shown = self.held.shown(page.file.src_uri) if self.held is not None else None
        if shown is not None:
            page.content, search = shown
            if search is not None:
                self.search_views[page.file.src_uri] = search

    @event_priority(100)  # before the host's search plugin (priority 0) reads page.content
    def _show_search_view(self, context: dict[str, object], *, page: Page, config: MkDocsConfig,
                          nav: Navigation) -> None:
        """Search indexes each text once: a card page gives it the card's own text, not the
        history, changes and findings around it (``render.search``)."""
        view = self.search_views.pop(page.file.src_uri, None)
        if view is not None and page.content is not None:
            self._published_content[page.file.src_uri] = page.content
            page.content = view

    @event_priority(-100)  # after every other plugin's on_page_context
    def _restore_content(self, context: dict[str, object], *, page: Page, config: MkDocsConfig,
                         nav: Navigation) -> None:
        published = self._published_content.pop(page.file.src_uri, None)
        if published is not None:
            page.content = published

    on_page_context = CombinedEvent(_unhold_page, _show_search_view, _restore_content)

    @event_priority(-100)  # after every other plugin's on_post_page: the page is written
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        """A built page is held again: MkDocs keeps page.content to the end of the build."""
        if self.held is not None and page.file.src_uri in self.held:
            page.content = HELD
        return output

    @event_priority(-100)  # after every other plugin's on_post_build: the build's work is done
    def _give_back_heap(self, *, config: MkDocsConfig) -> None:
        """Under `mkdocs serve`, what the build freed goes back to the system (``heap``): the
        server's memory stays what its pages and caches need, rebuild after rebuild."""
        if self.serving:
            give_back()

    def _fail(self, *, config: MkDocsConfig) -> None:
        """The site is written (so it can be looked at), then the findings ``fail_on`` names fail
        the build; ``mkdocs serve`` says so and keeps serving."""
        if not self.failing:
            return
        tally = " and ".join(counted(n, WORDS[s]) for s in FAIL_ON[self.config.fail_on]
                             if (n := sum(f.severity is s for f in self.failing)))
        listed = "listed above" if not self._unrepeated else "listed above or, unchanged, in an earlier build's log"
        what = (f"mltrl: the build fails on {tally} in the dossier "
                f"({listed}; plugin option fail_on: {self.config.fail_on})")
        if self.serving:
            log.error(what + "; serving the site anyway, as `mkdocs serve` does")
            return
        raise PluginError(what + "; fix them, lower a gate rule's severity under 'gates:' in "
                          f"{self.config.settings}, or set fail_on: never to publish anyway")

    @event_priority(-100)  # after every other plugin's on_post_build: every page is built
    def _drop_held(self, *, config: MkDocsConfig) -> None:
        """The held pages' spill file goes as soon as the site is written, not when MkDocs exits."""
        if self.held is not None:
            self.held.clear()

    on_post_build = CombinedEvent(_fail, _give_back_heap, _drop_held)

    def _bundle_folder(self) -> Path | None:
        """A new empty folder for this build's bundles (the last build's is removed); None without bundles."""
        if self._unpacked is not None:
            self._unpacked.cleanup()
            self._unpacked = None
        if self.settings is None or not self.settings.bundles:
            return None
        self._unpacked = tempfile.TemporaryDirectory(prefix="mltrl-docs-")
        return Path(self._unpacked.name)

    def on_shutdown(self) -> None:
        """The unpacked bundles go when MkDocs is done (``mkdocs serve`` keeps the last build's),
        and what ``settle`` kept out of collections is given back to the collector."""
        if self.builds > 1 and self.serving:
            unsettle()
        if self.held is not None:  # its spill file goes
            self.held.clear()
        if self._unpacked is not None:
            self._unpacked.cleanup()
            self._unpacked = None

    def _compile_once(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        """The theme's templates are compiled once, not on every ``mkdocs serve`` rebuild (MkDocs
        makes a new Jinja environment for each: about 7% of a ``--dirty`` rebuild at 1,000 cards),
        and kept beside mkdocs.yml for the next build (``render.compiled``)."""
        if env.bytecode_cache is None:
            self.theme_code.folder = Path(config.config_file_path).parent / CACHE_DIR / TEMPLATE_CODE
            env.bytecode_cache = self.theme_code
        return env

    @event_priority(-100)  # after every other plugin's on_env
    def _let_go(self, env: Environment, *, config: MkDocsConfig, files: Files) -> None:
        """In `mkdocs build` every page's content is rendered by now (MkDocs renders them all
        before on_env) and every generated page is held: the dossier, the pages' contexts and the
        views are not read again, nor are the section diffs and the card texts' parses kept for
        the next pages and rebuilds. Let go, they make room for the theme's rendering and the
        search index. `mkdocs serve` keeps them for its next rebuild."""
        if self.held is None:
            return
        self.pages, self.published, self.views, self.nav_entries = {}, {}, None, ()
        forget_diffs()
        forget_parses()
        give_back()  # the pages' search texts and the search index fit in what the dossier held

    on_env = CombinedEvent(_compile_once, _let_go)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: object) -> None:
        if self.settings is None:
            return
        compare = self.settings.compare.bundle if self.settings.compare is not None else None
        for path in (*self.settings.sources, *self.settings.glossary, *self.settings.bundles, self.settings.file,
                     compare):
            if path is not None and path.exists():
                server.watch(str(path), recursive=True)


def _url_for(files: Files, page: Page) -> UrlFor:
    """Links from ``page`` to the site's pages by URI, relative (as ``use_directory_urls`` has them);
    None for a page the site leaves out (option `pages`): the link becomes text. Once per page and
    target: a page links the glossary or its dossier many times."""
    urls: dict[str, str | None] = {}
    by_uri = files.src_uris  # the site's URIs are POSIX already: no PurePath per lookup (get_file_from_path)

    def url_for(uri: str) -> str | None:
        if uri not in urls:
            target = by_uri.get(uri)
            urls[uri] = get_relative_url(target.url, page.url) if target is not None else None
        return urls[uri]

    return url_for


def _first_line(page: Page, markdown: str) -> int:
    """The line of the page's file that its Markdown starts on: MkDocs hands plugins the Markdown
    without the page's front matter (1 when another plugin changed it already)."""
    try:
        source = page.file.content_string
    except (OSError, ValueError):
        return 1
    return source[:len(source) - len(markdown)].count("\n") + 1 if source.endswith(markdown) else 1


def _modified() -> bool:
    """A hand-written page with views changes whenever the dossier does (``--dirty`` builds)."""
    return True


def _section(entry: NavSection, files: Files) -> Section:
    """``entry`` as MkDocs' Section, its pages and sections as its children. Themes print
    section titles unescaped: a label a site set (``labels:``) must reach them as text."""
    children: list[StructureItem] = []
    for child in entry.children:
        if isinstance(child, NavSection):
            children.append(_section(child, files))
        elif (file := files.get_file_from_path(child)) is not None and file.page is not None:
            children.append(file.page)
    section = Section(escape(entry.title), children)
    for item in children:
        item.parent = section
    return section


def _material_search(config: MkDocsConfig) -> bool:
    """The site's search is Material for MkDocs' (``render.search.flattened`` gives its parser the
    same sections for less work; MkDocs' own search joins text differently)."""
    return any(type(plugin).__module__.startswith("material.plugins.search") for plugin in config.plugins.values())


def _theme_language(config: MkDocsConfig) -> str | None:
    """The theme's language: ``theme.language`` (Material for MkDocs), else ``theme.locale``
    (MkDocs' own theme; a Locale, whose str() is the tag); None when it names none."""
    for name in ("language", "locale"):
        value = config.theme.get(name)
        if value:
            return str(value)
    return None


def _drop_sources(files: Files, sources: tuple[Path, ...], docs_dir: str) -> None:
    """A dossier source inside docs_dir would also be published by MkDocs itself: cards as
    Python-Markdown pages (raw HTML on, so a team's markup would run on the portal) and every
    other file copied as it is (HTML evidence included). The plugin alone publishes sources."""
    docs = real_path(Path(docs_dir))
    roots = [real for real in map(real_path, sources)
             if real is not None and docs is not None and (real == docs or docs in real.parents)]
    if not roots:
        return
    dropped = 0
    for file in list(files):
        path = real_path(Path(file.abs_src_path)) if file.abs_src_path else None
        if path is not None and any(path == root or root in path.parents for root in roots):
            files.remove(file)
            dropped += 1
    if dropped:
        log.info(f"mltrl: {dropped} file(s) of dossier sources inside docs_dir are published by the "
                 "plugin only (cards as escaped pages, evidence by the evidence rules)")


def _edit_uri(source: Path, docs_dir: str, folders: dict[Path, str]) -> str:
    """The card's path relative to docs_dir: MkDocs joins it to `repo_url` + `edit_uri`, and
    the URL join resolves '../', so the theme's edit button opens the card's own file
    wherever it lives in the repository. Percent-encoded: themes print ``page.edit_url``
    unescaped into an ``href``, so a quote in a file or folder name must not reach them.
    ``folders``: each folder's part, worked out once per build."""
    folder = folders.get(source.parent)
    if folder is None:
        folder = folders[source.parent] = quote(Path(os.path.relpath(source.parent, docs_dir)).as_posix(), safe="/")
    return quote(source.name, safe="") if folder == "." else f"{folder}/{quote(source.name, safe='')}"


def _permalink(config: MkDocsConfig) -> Permalink | None:
    """The permalink hand-written pages get from the toc extension's options (none when
    ``permalink`` is off), written the way the extension writes it."""
    options = config.mdx_configs.get("toc") or config.mdx_configs.get("markdown.extensions.toc") or {}
    value = options.get("permalink", False)
    on = _switch(value)
    if on is False:
        return None
    text = "&para;" if on is True else _AMP.sub("&amp;", str(value)).replace("<", "&lt;").replace(">", "&gt;")
    return Permalink(text, str(options.get("permalink_title", "Permanent link")),
                     str(options.get("permalink_class", "headerlink")),
                     _switch(options.get("permalink_leading", False)) is True)


def _switch(value: object) -> bool | None:
    """A toc option as Python-Markdown reads it: a boolean, a word for one ('true', 'off'...),
    or None for any other text (for ``permalink``: the link's text)."""
    if not isinstance(value, str):
        return bool(value)
    return {"true": True, "yes": True, "y": True, "on": True, "1": True, "false": False, "no": False,
            "n": False, "off": False, "0": False, "none": False}.get(value.lower())


_AMP = re.compile(r"&(?!(?:#[0-9]+|#x[0-9a-f]+|[0-9a-z]+);)", re.IGNORECASE)
"""An '&' that does not start an entity (Python-Markdown's rule for the permalink's text)."""


def _theme_lists_tags(config: MkDocsConfig) -> bool:
    """Whether Material's tags plugin is on: it lists a page's tags (page.meta["tags"]) above the
    page, so card and dossier pages leave out their own tag chips."""
    for name, plugin in config.plugins.items():
        if name.split(" #")[0] in ("tags", "material/tags"):
            options = getattr(plugin, "config", None)
            if getattr(options, "enabled", True) and getattr(options, "tags", True):
                return True
    return False


def _sections(toc: tuple[Heading, ...]) -> int:
    """How many sections a table of contents lists under the page title (the title's children;
    the headings themselves on a page without one). The portfolio's one section, its board,
    lists ten levels: still one section."""
    return sum(len(heading.children) if heading.level == 1 else 1 for heading in toc)


def _anchor_link(heading: Heading) -> AnchorLink:
    link = AnchorLink(heading.title, heading.id, heading.level)
    link.children = [_anchor_link(child) for child in heading.children]
    return link


_LOGGED = {Severity.ERROR: log.error, Severity.WARNING: log.warning, Severity.INFO: log.info}
"""Each severity's logger call: MkDocs' logger, so `--strict` counts errors and warnings."""


def _log(finding: Finding) -> None:
    _LOGGED[finding.severity](_line(finding))


def _said_again(again: Counter[Severity], gone: int) -> None:
    """One line for what a `mkdocs serve` rebuild did not log again, and what it no longer finds."""
    if not again and not gone:
        return
    parts = [f"{counted(sum(again.values()), 'finding')} as in the last build, not said again ("
             + ", ".join(counted(again[s], WORDS[s]) for s in Severity if again[s]) + ")"] if again else []
    if gone:
        parts.append(f"{counted(gone, 'finding')} of the last build gone")
    log.info("mltrl: " + "; ".join(parts) + ". `mltrl-docs check` or `mkdocs build` lists them all")


def _line(finding: Finding) -> str:
    """The finding as one log line (its hint after it, not below)."""
    return text_line(finding).replace("\n    ", " ")

