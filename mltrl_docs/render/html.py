"""The Jinja environment for dossier pages: autoescaped, strict, overridable.

Templates live in ``templates/mltrl/``; a site can shadow any of them from its
own folder. Every value from a card is escaped by Jinja; the only markup that
enters unescaped is card Markdown rendered by ``render.markdown`` (raw HTML off).
"""

from __future__ import annotations

import datetime as dt
from collections import ChainMap
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context, Macro
from markupsafe import Markup, escape

from mltrl_docs.frontmatter import isolated
from mltrl_docs.glossary import Entry, Glossary, LinkMode
from mltrl_docs.levels import LEVELS, Phase
from mltrl_docs.messages import Messages, english, value_key
from mltrl_docs.paths import relative
from mltrl_docs.references import resolve_path
from mltrl_docs.render import pages
from mltrl_docs.render.autolink import ScopeMatchers, TermLinker
from mltrl_docs.render.compiled import TemplateCode
from mltrl_docs.render.direct import DirectCalls
from mltrl_docs.render.markdown import Relink, to_html
from mltrl_docs.render.pages import SitePage
from mltrl_docs.render.search import SEARCH_MARKS, unmarked
from mltrl_docs.render.transitions import transition_text
from mltrl_docs.resources import resource_dir
from mltrl_docs.revision import AsOf

_TEXT_SLOT = Markup("<mltrl-term-text></mltrl-term-text>")
"""Where the term's text goes in ``_term.html``: a tag, which escaped card text can never hold."""
MAX_SHARED = 100_000
"""Outputs ``shared`` keeps at most (then it starts again)."""

UrlFor = Callable[[str], str | None]
"""Turns a page URI (``dossier/R02.1/index.md``) into a link from the page being rendered;
None when the site does not have that page."""


@dataclass(frozen=True, slots=True)
class _OnPage:
    """The page being rendered, as every template sees it, its own or a macro's from a module it
    imports: the links it makes (``url``, ``file_url``) and the terms it links (``terms``)."""

    url: UrlFor
    published: Mapping[Path, str]
    """Source files (cards, attachments) -> the URIs of the pages that publish them."""
    linker: TermLinker | None


_ON_PAGE: ContextVar[_OnPage] = ContextVar("mltrl_on_page")
"""Set by ``Renderer.render`` for the time a page renders. Macro modules (``_macros.html``,
``_changes.html``, ...) are imported without the page's context, so Jinja evaluates each once
and keeps it, where an import "with context" evaluated it again on every page (on a card page,
a seventh of its rendering); what they need of the page they ask here."""


@contextmanager
def on_page(url_for: UrlFor, published: Mapping[Path, str], linker: TermLinker | None = None) -> Iterator[None]:
    """Render a page inside this: ``url``, ``file_url`` and the ``terms`` and ``markdown`` filters
    then link from it (``Renderer.render`` does; a test rendering a template of its own may)."""
    token = _ON_PAGE.set(_OnPage(url_for, published, linker))
    try:
        yield
    finally:
        _ON_PAGE.reset(token)


def _url(uri: str) -> str | None:
    """``{{ url(card_uri(c)) }}``: a link from the page being rendered to a page of the site
    (None: the site leaves that page out)."""
    return _ON_PAGE.get().url(uri)


def _linked(uri: str, text: object) -> Markup:
    """``{{ linked(card_uri(c), c.title) }}``: ``text`` linked to a generated page, or the text alone
    when the site leaves that page out; what ``{% call page_link(uri) %}`` writes, without a call
    block (Jinja makes a macro for each: the org pages link every card and project)."""
    href = _url(uri)
    shown = escape(isolate_bidi(text))
    return Markup(f'<a href="{escape(href)}">{shown}</a>') if href else shown


def _file_url(path: Path | None) -> str | None:
    """``{{ file_url(ref.resolved) }}``: a link from the page being rendered to the page or file
    that publishes ``path`` (a card, an attachment, an evidence file); None when none does."""
    page = _ON_PAGE.get()
    return published_url(path, page.published, page.url)


def published_url(path: Path | None, published: Mapping[Path, str], url_for: UrlFor) -> str | None:
    """The link to the page or file publishing ``path``, from the page ``url_for`` links from; None
    when nothing publishes it or the site leaves its page out. The one place a file becomes a link:
    ``file_url`` in templates, ``relinker`` in card bodies."""
    uri = published.get(path) if path is not None else None
    return url_for(uri) if uri is not None else None


class _Environment(Environment):
    """Jinja's environment, whose templates share its globals as they are, a dict, rather than
    through a ChainMap over them: Jinja copies a template's globals into the context of every page
    and macro module, and checks them at every import, which a ChainMap answers in Python, key by
    key. The globals change only through ``Renderer``, which then drops the loaded templates."""

    code_generator_class = DirectCalls  # templates call the plain global functions directly

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return ChainMap(d, self.globals) if d else self.globals


class Renderer:
    def __init__(self, prefix: str, override_dirs: Sequence[Path] = (), *, root: Path | None = None,
                 compiled: Path | None = None) -> None:
        """``root``: the folder that file paths on pages are shown from, the site's config
        folder (the plugin passes mkdocs.yml's), so a page reads the same wherever the build
        ran and never names the build machine's folders; None: the working directory now.
        ``compiled``: a folder to keep the compiled templates in for the next build (the
        plugin's cache); None: they are kept for this renderer's life only. Either way, when the
        globals change (a new build's messages, date or image hosts), the loaded templates, and
        with them the macro modules evaluated with the old globals, are dropped
        (``_globals_changed``) and loaded again from the compiled code, not compiled again."""
        self.prefix = prefix
        self.glossary_uri = f"{prefix}/glossary/index.md"
        loader = FileSystemLoader([*map(str, override_dirs), str(resource_dir("templates") / "mltrl")])
        self.env = _Environment(loader=loader, autoescape=True, undefined=StrictUndefined,
                                trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                                finalize=isolate_bidi, bytecode_cache=TemplateCode(compiled))
        self.env.filters["markdown"] = _markdown_filter
        self.env.filters["terms"] = _terms_filter
        self.root = root or Path.cwd()
        self._shown_paths: dict[Path, str] = {}
        self._shared: dict[tuple[Macro, tuple[object, ...]], Markup] = {}
        self.env.filters["display"] = self._display
        self.env.globals.update(
            url=_url,
            linked=_linked,
            file_url=_file_url,
            shared=self._shared_output,
            levels=LEVELS,
            phases=list(Phase),
            project_uri=partial(pages.project_uri, prefix),
            project_id_uri=partial(pages.project_id_uri, prefix),
            card_uri=partial(pages.card_uri, prefix),
            attachment_uri=partial(pages.attachment_uri, prefix),
            transition_text=transition_text,
            packet_uri=partial(pages.packet_uri, prefix),
            requirement_anchor=pages.requirement_anchor,
            portfolio_uri=f"{prefix}/index.md",
            findings_uri=f"{prefix}/findings.md",
            levels_uri=f"{prefix}/levels.md",
            glossary_uri=self.glossary_uri,
            glossary_teams_uri=f"{prefix}/glossary/teams.md",
            theme_tags=False,  # True: the theme lists a page's tags itself (Material's tags plugin)
            search_from=Markup(SEARCH_MARKS[0]),
            search_to=Markup(SEARCH_MARKS[1]),
        )
        self.use_glossary(None)
        self.allow_images(())
        self.stamp(None)
        self.use_messages(english())

    def allow_images(self, hosts: Sequence[str]) -> None:
        """Hosts whose images card and attachment bodies may show (settings.image_hosts)."""
        self.env.globals["image_hosts"] = tuple(hosts)
        self._globals_changed()

    def theme_lists_tags(self, lists: bool) -> None:
        """Whether the theme lists a page's tags itself (Material's tags plugin): then card pages do not."""
        self.env.globals["theme_tags"] = lists
        self._globals_changed()

    def show_paths(self, display: Callable[[Path], str]) -> None:
        """How pages name a file (the ``display`` filter): a bundle's files by the bundle, not where it is unpacked."""
        self.env.filters["display"] = display
        self._globals_changed()

    def _globals_changed(self) -> None:
        """Drop the loaded templates: the macro modules Jinja keeps were evaluated with the old globals
        and filters (they are loaded again from their compiled code, ``TemplateCode``, not compiled again)."""
        if self.env.cache is not None:
            self.env.cache.clear()
        self._shared.clear()

    def _shared_output(self, macro: Macro, *args: object) -> Markup:
        """``{{ shared(day_time, c.day) }}``: the output of a macro that depends on its (hashable)
        arguments and the globals alone, never on the page (it makes no link), made once per build
        and given to every page that shows it: a site prints the same few hundred days on thousands
        of pages, and a macro call costs more than a lookup. A new build (``stamp``) or new
        globals start it again."""
        key = (macro, args)
        found = self._shared.get(key)
        if found is None:
            if len(self._shared) >= MAX_SHARED:
                self._shared.clear()
            found = self._shared[key] = Markup(macro(*args))
        return found

    def stamp(self, as_of: AsOf | None) -> None:
        """What every page says it is true as of: the build date and the sources' commits
        (``revision.as_of``, asked once per build); None: pages say nothing of it. A new
        stamp is a new build: the file paths shown in the last one are worked out again."""
        self.env.globals["as_of"] = as_of
        self._shown_paths.clear()
        self._globals_changed()

    def _display(self, path: Path) -> str:
        """``{{ f.path | display }}``: a file's path as pages show it, from ``root`` (once per path
        and build: a finding's file is named on its card page, its dossier, its packet and the
        findings page, and resolving symlinks reads the disk)."""
        shown = self._shown_paths.get(path)
        if shown is None:
            shown = self._shown_paths[path] = relative(path, self.root)
        return shown

    def use_messages(self, messages: Messages) -> None:
        """The site's labels (``messages.load_messages``), for templates: ``t(key, **values)`` and
        ``tn(key, count, **values)`` give a message as markup (its text escaped, each value escaped
        unless it is Markup already, a date in the language's format), ``x | date`` a date in the
        language's format, ``lang`` the language code. English until this is called."""
        self.messages = messages
        self.env.globals.update(
            t=(said := _Said(messages)),
            tn=partial(_plural, messages),
            value_label=said.label,
            lang=messages.language,
            transition_text=partial(transition_text, messages=messages),
        )
        self.env.filters["date"] = partial(_date, messages)
        self._globals_changed()

    def use_glossary(self, glossary: Glossary | None, mode: LinkMode = "first") -> None:
        """Terms to link on pages that ask for it (SitePage.link_terms), and how often."""
        self.link_mode = mode
        self._matchers = ScopeMatchers(glossary) if glossary is not None else None
        self._term_parts: dict[tuple[str, Entry], tuple[str, str]] = {}

    def render(self, page: SitePage, url_for: UrlFor, published: Mapping[Path, str], *, marked: bool = False) -> str:
        """The page's HTML (the content area only; the host's theme draws the rest).
        ``published`` maps source files (cards, attachments) to the URIs of their pages.
        ``marked``: keep the marks around what search indexes (``render.search``), for the
        plugin to cut the page's search view from once its headings have their ids."""
        with on_page(url_for, published, self._linker(page, url_for)):
            # url and published also as the page's variables: a site's template written for an earlier
            # version (custom_templates) may use them; the shipped ones ask the globals.
            html = self.env.get_template("_page.html").render(page=page, url=url_for, published=published,
                                                              **page.context.variables())
        return html if marked else unmarked(html)

    def _linker(self, page: SitePage, url_for: UrlFor) -> TermLinker | None:
        """The page's term linker, which the ``markdown`` and ``terms`` filters link its prose with
        as the page is rendered; None where the page links no terms."""
        if not page.link_terms or self._matchers is None or self.link_mode == "off":
            return None
        glossary_url = url_for(self.glossary_uri)
        if glossary_url is None:
            return None
        return TermLinker(self._matchers.of(page.project), partial(self._term_link, glossary_url), self.link_mode)

    def _term_link(self, glossary_url: str, entry: Entry, text: str) -> str:
        """The link around a term, from ``_term.html``; rendered once per entry and glossary URL
        (pages at one depth share it), then filled with each page's own text."""
        parts = self._term_parts.get((glossary_url, entry))
        if parts is None:
            html = self.env.get_template("_term.html").render(href=f"{glossary_url}#{entry.anchor}", entry=entry,
                                                              text=_TEXT_SLOT)
            before, _, after = html.partition(_TEXT_SLOT)
            parts = self._term_parts[(glossary_url, entry)] = (before, after)
        return parts[0] + text + parts[1]


def isolate_bidi(value: object) -> object:
    """Every value printed by a template, as Jinja's ``finalize``: a text holding bidirectional
    controls is wrapped in an isolate (U+2068 ... U+2069), so an override a team wrote (the
    check warns about it) reorders only that value, never the page's own words after it."""
    if isinstance(value, str) and not value.isascii() and not isinstance(value, Markup):
        return isolated(value)
    return value


def _message(messages: Messages, key: str, **values: object) -> Markup:
    """``{{ t("timeline.step.advance") }}``, ``{{ t("page.card.title", project=p.id, ...) }}``."""
    return Markup(messages.compose(key, values, text=escape, value=partial(_escaped, messages)))


def _plural(messages: Messages, key: str, count: int, **values: object) -> Markup:
    """``{{ tn("common.days", p.days) }}``: the form ``count`` takes; ``{count}`` is the count."""
    return Markup(messages.compose(key, values, count=count, text=escape, value=partial(_escaped, messages)))



class _Said:
    """``{{ t(key, **values) }}`` and ``{{ value_label(member) }}``: a message said without values is
    the same markup every time, and a page says its labels and statuses thousands of times (a
    1,000-card site: some 170,000 times, 70% of them without values), so each is composed once
    for the build's messages."""

    __slots__ = ("_bare", "_labels", "messages")

    def __init__(self, messages: Messages) -> None:
        self.messages = messages
        self._bare: dict[str, Markup] = {}
        self._labels: dict[tuple[type, StrEnum], Markup] = {}

    def __call__(self, key: str, **values: object) -> Markup:
        if values:
            return _message(self.messages, key, **values)
        said = self._bare.get(key)
        if said is None:
            said = self._bare[key] = _message(self.messages, key)
        return said

    def label(self, member: StrEnum | None) -> Markup:
        """An enum value a card holds (status, decision, requirement kind/status, verification,
        ethics status, debt change, ...) in the site's language, from the message
        ``messages.value_key(member)`` (``value.decision.changes_requested``); "" for None. Kept
        by enum and member: members of two enums with the same value are equal as strings."""
        if member is None:
            return Markup("")
        said = self._labels.get((type(member), member))
        if said is None:
            said = self._labels[(type(member), member)] = self(value_key(member))
        return said


def _escaped(messages: Messages, value: object) -> str:
    """A value put into a message: Markup as it is (a link a template built), a date in the
    language's format, any other text isolated (like every printed value) and escaped."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, dt.date):
        return escape(messages.date(value))
    return escape(isolate_bidi(str(value)))


def _date(messages: Messages, day: dt.date | None) -> str:
    """``{{ card.date | date }}``: the date in the language's format (2021-06-14, 14.06.2021); "" for None."""
    return "" if day is None else messages.date(day)


@pass_context
def _markdown_filter(context: Context, text: str | None, source: Path | None = None) -> Markup:
    """``{{ card.body.markdown | markdown(card.path) }}``: links resolved from the card's folder,
    glossary terms linked by the page's linker (a card's text is prose)."""
    page = _ON_PAGE.get()
    relink = relinker(source, page.published, page.url) if source is not None else None
    return Markup(to_html(text or "", relink, context["image_hosts"], page.linker))


@pass_context
def _terms_filter(context: Context, value: object) -> object:
    """``{{ r.text | terms }}``: a text of the authors' prose with glossary terms linked by the
    page's linker, printed as any value is (isolated, escaped). Markup is taken as escaped text;
    if it holds a tag, it is left as it is. Without a linker: the value itself."""
    linker = _ON_PAGE.get().linker
    if linker is None:
        return value
    if isinstance(value, Markup):
        return value if "<" in value else Markup(linker.link(str(value)))
    finalize = context.environment.finalize
    return Markup(linker.link(str(escape(finalize(value) if finalize else value))))


def relinker(source: Path, published: Mapping[Path, str], url_for: UrlFor) -> Relink:
    """Map a link written in ``source`` to the page publishing its target, or None."""

    def relink(href: str) -> str | None:
        path_part, _, fragment = href.partition("#")
        url = published_url(resolve_path(path_part, source) if path_part else None, published, url_for)
        if url is None:
            return None
        return url + (f"#{fragment}" if fragment else "")

    return relink
