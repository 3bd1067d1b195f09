"""``mltrl-docs render``: the example as plain Markdown builds without the plugin, under MkDocs 1.6
(``--strict``) and Zensical (``--strict``), into the same generated pages, tables and SVGs as the
plugin's site; the example with the plugin builds under ProperDocs as under MkDocs 1.6; hostile
cards stay escaped in the rendered Markdown and in both hosts' sites.

The hosts run as a user runs them (``mkdocs``/``zensical``/``properdocs build``), each in its own
process: Zensical and ProperDocs come with the test extra (pyproject.toml). Each build of the
example takes 1 to 4 s here.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from bundle.support import bundle, portal, team_site
from conftest import REPO, run_cli, run_mkdocs
from test_hostile import PAYLOADS, _Markup, make_site

pytestmark = pytest.mark.slow
MARKS = ("<!--mltrl-content-->", "<!--/mltrl-content-->")


def host(name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``NAME ARGS`` as a user runs it: the console script installed beside this interpreter."""
    script = Path(sys.executable).parent / name
    command = [str(script)] if script.is_file() else [sys.executable, "-m", name]
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=cwd, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"})


def merge(site_config: Path, rendered: Path, site_dir: Path, *, copy_docs: bool = True,
          name: str = "site.yml") -> Path:
    """What the README asks a site to do: its mkdocs.yml without the mltrl plugin, with the fragment
    ``rendered/mkdocs.yml`` merged in (the Dossier section, the fragment's last nav entry, appended
    to its nav; the stylesheets and script to its own), its docs beside the rendered pages in
    ``rendered/docs`` (``copy_docs``; ``render --docs`` has written them there already). Returns the
    config, written as ``rendered/name``."""
    config = yaml.safe_load(site_config.read_text(encoding="utf-8"))
    fragment = yaml.safe_load((rendered / "mkdocs.yml").read_text(encoding="utf-8"))
    if copy_docs:
        shutil.copytree(site_config.parent / config.get("docs_dir", "docs"), rendered / "docs", dirs_exist_ok=True)
    config["plugins"] = [p for p in config.get("plugins", []) if not (isinstance(p, dict) and "mltrl" in p)
                         and p != "mltrl"]
    config["docs_dir"] = "docs"
    config["site_dir"] = str(site_dir)
    config["nav"] = [*config.get("nav", []), fragment["nav"][-1]]
    for key in ("extra_css", "extra_javascript"):
        config[key] = [*config.get(key, []), *fragment[key]]
    for key in ("use_directory_urls", "not_in_nav", "edit_uri"):
        config[key] = fragment[key]
    path = rendered / name
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def content(page: Path) -> str | None:
    """A built page's generated content (between the plugin's marks), or None for a hand-written
    page. Zensical drops Material's ``data-search-exclude`` attribute (it reads it for its search).
    The plugin hands MkDocs its pages narrow (render.narrow: a character beyond Latin-1 as its
    reference), which reads the same: the references are read as their characters."""
    html = page.read_text(encoding="utf-8")
    start, end = html.find(MARKS[0]), html.find(MARKS[1])
    if start < 0:
        return None
    return _WIDE_REFERENCE.sub(lambda ref: chr(int(ref.group(1))) if int(ref.group(1)) > 0xFF else ref.group(),
                               html[start:end].strip().replace(" data-search-exclude", ""))


_WIDE_REFERENCE = re.compile(r"&#([0-9]{3,7});")


def generated(site: Path) -> dict[str, str]:
    return {path.relative_to(site).as_posix(): found for path in sorted(site.rglob("*.html"))
            if (found := content(path)) is not None}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [value for name, value in attrs if name in ("href", "src") and value]


def broken_links(site: Path) -> list[str]:
    """Every relative link inside generated content that leads to no file of the built site."""
    broken = []
    for uri, html in generated(site).items():
        parser = _Links()
        parser.feed(html)
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = site / posixpath.normpath(posixpath.join(posixpath.dirname(uri), unquote(parts.path)))
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{uri}: {link}")
    return broken


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The example rendered for each host and built by it: host -> the built site."""
    sites = {}
    for name in ("mkdocs", "zensical"):
        out = tmp_path_factory.mktemp(f"rendered-{name}")
        result = run_cli("render", str(out), "site_example", "--host", name, cwd=REPO)
        assert result.exit_code == 0, result.output
        config = merge(REPO / "mkdocs.yml", out, out / "site")
        built = host(name, "build", "-f", str(config), "--strict", cwd=out)
        assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-3000:]
        sites[name] = out / "site"
    yield sites


def test_the_rendered_example_builds_under_mkdocs_with_the_plugins_pages(rendered: dict[str, Path],
                                                                      example_site: Path) -> None:
    plugin = generated(example_site)
    assert len(plugin) >= 40
    assert generated(rendered["mkdocs"]) == plugin


def test_the_rendered_example_builds_under_zensical_with_the_plugins_pages(rendered: dict[str, Path],
                                                                        example_site: Path) -> None:
    """Zensical reads links in raw HTML as paths from the page's file and rewrites them: the pages
    rendered for it (``--host zensical``) link exactly where the plugin's do."""
    assert generated(rendered["zensical"]) == generated(example_site)


@pytest.mark.parametrize("name", ["mkdocs", "zensical"])
def test_every_link_of_a_rendered_page_leads_to_a_file_of_the_site(rendered: dict[str, Path], name: str) -> None:
    site = rendered[name]
    assert broken_links(site) == []
    pages = generated(site)
    assert any("<table" in html for html in pages.values()) and any("<svg" in html for html in pages.values())


def test_zensicals_search_leaves_out_the_pages_the_plugins_search_leaves_out(rendered: dict[str, Path],
                                                                         example_site: Path) -> None:
    """Material's search (the plugin's site) and Zensical's read a page's ``search: {exclude: true}``."""
    def indexed(index: Path) -> set[str]:
        data = json.loads(index.read_text(encoding="utf-8"))
        return {item["location"].split("#")[0] for item in data.get("docs") or data["items"]
                if item["location"].startswith("dossier/")}

    ours = indexed(rendered["zensical"] / "search.json")
    assert ours == indexed(example_site / "search" / "search_index.json")
    assert "dossier/R02.1/L4-2026-02-16/" in ours and "dossier/" not in ours and "dossier/R02.1/packet/" not in ours


@pytest.mark.parametrize("name", ["mkdocs", "zensical"])
def test_the_rendered_site_publishes_the_plugins_evidence_files_and_assets(rendered: dict[str, Path], name: str,
                                                                        example_site: Path) -> None:
    wanted = [p.relative_to(example_site) for p in (example_site / "dossier").rglob("*")
              if p.is_file() and p.suffix != ".html"]
    wanted += [p.relative_to(example_site) for p in (example_site / "mltrl").iterdir()]
    assert len(wanted) > 30
    for path in wanted:
        assert (rendered[name] / path).read_bytes() == (example_site / path).read_bytes(), path


def test_the_rendered_sites_navigation_is_the_plugins(rendered: dict[str, Path], example_site: Path) -> None:
    """The same Dossier section (portfolio, organisation pages, projects by phase) on every page; the
    plugin's page also lists its own outline there, which a rendered page has none of."""
    def nav(site: Path) -> list[tuple[str, str]]:
        parser = _Nav()
        parser.feed((site / "dossier" / "R02.1" / "index.html").read_text(encoding="utf-8"))
        return [(href, " ".join(text.split())) for href, text in parser.entries if not href.startswith("#")]

    entries = nav(example_site)
    assert ("../", "Portfolio") in entries and ("../P04.3/", "P04.3: Satellite-imagery cloud mask") in entries
    assert nav(rendered["mkdocs"]) == entries


class _Nav(HTMLParser):
    """The links of Material's primary navigation, with their text."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[tuple[str, str]] = []
        self._depth = 0
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "nav" and "md-nav--primary" in (found.get("class") or ""):
            self._depth = 1
        elif tag == "nav" and self._depth:
            self._depth += 1
        elif tag == "a" and self._depth:
            self._href = found.get("href") or ""
            self.entries.append((self._href, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._depth:
            self._depth -= 1
        elif tag == "a":
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self.entries[-1] = (self._href, self.entries[-1][1] + data)


def test_properdocs_builds_the_example_with_the_plugin_as_mkdocs_does(tmp_path: Path, example_site: Path) -> None:
    """ProperDocs runs the plugin unchanged: every file is the same but the generator's name."""
    built = host("properdocs", "build", "-f", "mkdocs.yml", "-d", str(tmp_path / "site"), "--strict", cwd=REPO)
    assert built.returncode == 0, built.stderr[-3000:]
    ours = sorted(p.relative_to(tmp_path / "site") for p in (tmp_path / "site").rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(example_site) for p in example_site.rglob("*") if p.is_file())
    assert ours == theirs
    for path in theirs:
        a, b = (example_site / path).read_bytes(), (tmp_path / "site" / path).read_bytes()
        if path.suffix == ".html":
            a, b = (_generator(x.decode()) for x in (a, b))
        assert a == b, path


def _generator(html: str) -> str:
    start = html.find('<meta name="generator"')
    return html if start < 0 else html[:start] + html[html.index(">", start) + 1:]


def test_zensical_with_the_plugin_in_mkdocs_yml_builds_no_dossier(tmp_path: Path) -> None:
    """What a site sees when it switches to Zensical without render (the README's warning): the
    plugin does not run, the build passes without --strict, and there is no dossier at all."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))  # the example, plugin and all
    config.update(docs_dir="docs", site_dir=str(tmp_path / "site"), strict=False)
    shutil.copytree(REPO / "site_example" / "docs", tmp_path / "docs")
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    built = host("zensical", "build", "-f", "mkdocs.yml", cwd=tmp_path)
    assert built.returncode == 0, built.stderr[-2000:]
    assert (tmp_path / "site" / "index.html").is_file()
    assert not (tmp_path / "site" / "dossier").exists()
    strict = host("zensical", "build", "-f", "mkdocs.yml", "--strict", cwd=tmp_path)
    assert strict.returncode != 0  # the hand-written pages' links to dossier pages lead nowhere


def test_a_portal_with_a_bundle_renders_as_the_plugin_builds_it(tmp_path: Path) -> None:
    """A local project and one imported from a bundle: the same pages, the bundle's evidence file,
    and the same readiness.json (the site's own bundle)."""
    home = tmp_path / "portal"
    bundle(team_site(tmp_path / "b", "T2.1"), home / "bundles" / "team-b.json")
    team_site(home, "L1.1")
    config = portal(home, "sources: [dossiers]\nbundles: [bundles/*.json]\n")
    plugin = run_mkdocs(config, home / "site", strict=True)
    assert plugin.returncode == 0, plugin.stderr[-3000:]
    out = tmp_path / "out"
    result = run_cli("render", str(out), "--no-permalinks", cwd=home)  # the portal's mkdocs.yml has none
    assert result.exit_code == 0, result.output
    built = host("mkdocs", "build", "-f", str(merge(config, out, out / "site")), "--strict", cwd=out)
    assert built.returncode == 0, built.stderr[-3000:]
    pages = generated(home / "site")
    assert "dossier/T2.1/index.html" in pages and "dossier/L1.1/index.html" in pages
    assert generated(out / "site") == pages
    for path in ("dossier/T2.1/files/evidence/psi.csv", "dossier/readiness.json"):
        assert (out / "site" / path).read_bytes() == (home / "site" / path).read_bytes(), path
    assert broken_links(out / "site") == []


# --- hostile cards ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-render")
    make_site(root, "material")
    return root


@pytest.mark.parametrize("name", ["mkdocs", "zensical"])
def test_hostile_cards_stay_escaped_in_the_rendered_markdown_and_the_built_site(hostile: Path, name: str) -> None:
    out = hostile / f"out-{name}"
    result = run_cli("render", str(out), "--host", name, "--fail-on", "never", cwd=hostile)
    assert result.exit_code == 0, result.output
    pages = sorted((out / "docs" / "dossier").rglob("*.md"))
    assert len(pages) >= 8
    for page in pages:
        text = page.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = yaml.safe_load(front)
        assert "<" not in meta["title"] and all("<" not in tag for tag in meta.get("tags", [])), page
        parser = _Markup()
        parser.feed(body)
        assert parser.bad == [], page
        assert "1337" not in body and "\x07" not in body
        assert body.startswith('\n<div class="mltrl-rendered">\n') and body.endswith("</div>\n")
    # the odd file name of the evidence file is published, and linked percent-encoded
    assert list((out / "docs" / "dossier").rglob(f"files/evidence/{PAYLOADS[2][:12]}.csv"))
    config = merge(hostile / "mkdocs.yml", out, out / "site")
    built = host(name, "build", "-f", str(config), cwd=out)
    assert built.returncode == 0, built.stderr[-3000:]
    site = out / "site"
    assert len(generated(site)) >= 8
    for path in site.rglob("*.html"):
        parser = _Markup()
        parser.feed(path.read_text(encoding="utf-8"))
        assert parser.bad == [], path
    assert broken_links(site) == []


# --- the command ----------------------------------------------------------------------------------------


def test_a_page_kind_left_out_is_text_where_it_was_a_link(tmp_path: Path) -> None:
    result = run_cli("render", str(tmp_path), "site_example", "--pages", "levels,glossary", cwd=REPO)
    assert result.exit_code == 0, result.output
    docs = tmp_path / "docs" / "dossier"
    assert not list(docs.rglob("L*-*.md")) and not (docs / "findings.md").exists()
    dossier = (docs / "P07.1" / "index.md").read_text(encoding="utf-8")
    assert 'href="L6-2025-09-15/"' not in dossier and "&middot; current card <span" in dossier  # text now
    assert 'href="../glossary/#owner"' in dossier  # the glossary is not
    fragment = yaml.safe_load((tmp_path / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "dossier/findings.md" not in str(fragment["nav"]) and "dossier/levels.md" in str(fragment["nav"])


def test_render_replaces_its_own_folder_and_keeps_the_rest(tmp_path: Path) -> None:
    (tmp_path / "docs" / "dossier").mkdir(parents=True)
    (tmp_path / "docs" / "dossier" / "stale.md").write_text("old", encoding="utf-8")
    (tmp_path / "docs" / "index.md").write_text("# Mine\n", encoding="utf-8")
    assert run_cli("render", str(tmp_path), "site_example", cwd=REPO).exit_code == 0
    assert not (tmp_path / "docs" / "dossier" / "stale.md").exists()
    assert (tmp_path / "docs" / "index.md").read_text(encoding="utf-8") == "# Mine\n"


@pytest.mark.parametrize(("args", "says"), [(["--prefix", ".."], "--prefix"), (["--pages", "cards,nope"], "nope")])
def test_render_refuses_a_bad_option(tmp_path: Path, args: list[str], says: str) -> None:
    result = run_cli("render", str(tmp_path), "site_example", *args, cwd=REPO)
    assert result.exit_code == 2 and says in result.output
    assert not (tmp_path / "docs").exists()


def test_render_fails_on_errors_after_writing_the_folder(tmp_path: Path, write_card) -> None:
    write_card("src/p/L2.md", level="two")
    (tmp_path / "mltrl-docs.yml").write_text("sources: [src]\n", encoding="utf-8")
    result = run_cli("render", "out", cwd=tmp_path)
    assert result.exit_code == 1
    assert "L2.md" in result.output
    assert (tmp_path / "out" / "docs" / "dossier" / "index.md").is_file()
    assert run_cli("render", "out", "--fail-on", "never", cwd=tmp_path).exit_code == 0


def test_render_takes_the_language_and_templates_a_site_gives_the_plugin(tmp_path: Path) -> None:
    custom = tmp_path / "templates"
    custom.mkdir()
    (custom / "levels.html").write_text("<p class=\"ours\">{{ t('page.levels.title') }}</p>\n", encoding="utf-8")
    result = run_cli("render", str(tmp_path / "out"), "site_example", "--language", "de", "--templates", str(custom),
                     cwd=REPO)
    assert result.exit_code == 0, result.output
    docs = tmp_path / "out" / "docs" / "dossier"
    levels = (docs / "levels.md").read_text(encoding="utf-8")
    assert yaml.safe_load(levels.split("---\n")[1])["title"] == "Stufen"
    assert '<p class="ours">Stufen</p>' in levels  # the site's own template
    assert "Stand" in (docs / "R02.1" / "index.md").read_text(encoding="utf-8")  # the as-of line, in German
