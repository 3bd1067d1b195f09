"""The site's own pages outside the plugin: ``mltrl-docs render OUT --docs DIR`` writes them beside the
rendered dossier, each view shown as the plugin shows it, so that OUT builds as the whole site under
MkDocs without the plugin and under Zensical (both ``--strict``); ``mltrl-docs check --docs DIR``
reports every view's findings, located, in every format, without building or answering anything.

The hosts run as a user runs them (``test_render_folder.host``); Zensical comes with the test extra.
"""

from __future__ import annotations

import json
import os
import posixpath
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from jsonschema import Draft202012Validator

from conftest import REPO, card_text, run_cli
from htmltext import Page
from mltrl_docs.findings import Severity
from mltrl_docs.render import views
from mltrl_docs.render.folder import fragment, overlap, own_nav
from mltrl_docs.render.own_pages import own_files
from mltrl_docs.resources import load_schema
from test_readme import README, _commands, _hosting_blocks, _run, _run_host, _sh_block_after
from test_render_folder import _Links, host, merge

EXAMPLE_PAGES = ("index", "gates", "review-board", "glossary", "hosting")
"""The example's own pages (site_example/docs), by name."""


# --- the example, rendered with its own pages and built by each host ---------------------------------------


def merged(out: Path) -> Path:
    """The example's own mkdocs.yml for a host without the plugin, as the README says (``merge``):
    the rendered folder's docs already hold its pages. Returns the config (beside OUT/docs)."""
    return merge(REPO / "mkdocs.yml", out, Path("merged-site"), copy_docs=False, name="merged.yml")


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The example rendered with ``--docs site_example/docs`` for each host, each built strictly by its
    host from the fragment alone; and, for MkDocs, from the example's mkdocs.yml merged with it."""
    sites = {}
    for name in ("mkdocs", "zensical"):
        out = tmp_path_factory.mktemp(f"whole-{name}")
        result = run_cli("render", str(out), "site_example", "--host", name, "--docs", "site_example/docs", cwd=REPO)
        assert result.exit_code == 0, result.output
        assert "5 files of site_example/docs (9 views shown)" in result.output
        built = host(name, "build", "-f", "mkdocs.yml", "--strict", cwd=out)
        assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-3000:]
        sites[name] = out / "site"
        if name == "mkdocs":
            built = host(name, "build", "-f", str(merged(out)), "--strict", cwd=out)
            assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-3000:]
            sites["merged"] = out / "merged-site"
    yield sites


def view_blocks(page: Path) -> list[str]:
    """Each view's HTML in a built page: the ``<div class="mltrl mltrl-view ...">`` elements, whole."""
    html = page.read_text(encoding="utf-8")
    found, start = [], html.find('<div class="mltrl mltrl-view')
    while start >= 0:
        depth, at = 0, start
        while True:
            opened, closed = html.find("<div", at), html.find("</div>", at)
            if opened >= 0 and opened < closed:
                depth, at = depth + 1, opened + 4
                continue
            depth, at = depth - 1, closed + 6
            if depth == 0:
                break
        found.append(html[start:at])
        start = html.find('<div class="mltrl mltrl-view', at)
    return found


def article(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    return html[html.index("<article"):html.index("</article>")]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["mkdocs", "zensical", "merged"])
def test_the_review_board_shows_the_plugins_views_under_each_host(whole: dict[str, Path], name: str,
                                                                  example_site: Path) -> None:
    board = whole[name] / "review-board" / "index.html"
    shown = view_blocks(board)
    assert len(shown) == 9 and not any("mltrl-view-error" in block for block in shown)
    assert shown == view_blocks(example_site / "review-board" / "index.html")  # Zensical's links rewritten alike
    assert sum("<svg" in block for block in shown) == 2 and sum("<table" in block for block in shown) >= 5
    for page in EXAMPLE_PAGES:
        assert (whole[name] / ("" if page == "index" else page) / "index.html").is_file(), page


@pytest.mark.slow
def test_merged_into_the_sites_own_mkdocs_yml_the_review_board_is_the_plugins(whole: dict[str, Path],
                                                                            example_site: Path) -> None:
    """With the site's own theme settings and extensions, the whole page reads as the plugin's."""
    for page in EXAMPLE_PAGES:
        path = Path("" if page == "index" else page) / "index.html"
        assert article(whole["merged"] / path) == article(example_site / path), page


@pytest.mark.slow
@pytest.mark.parametrize("name", ["mkdocs", "zensical"])
def test_every_link_of_the_review_boards_views_leads_to_its_row(whole: dict[str, Path], name: str) -> None:
    site = whole[name]
    board = site / "review-board" / "index.html"
    parser = _Links()
    for block in view_blocks(board):
        parser.feed(block)
    links = parser.links
    assert len(links) >= 10 and all(href.startswith("../dossier/") for href in links)
    for href in links:
        path, _, anchor = href.partition("#")
        target = site / posixpath.normpath(posixpath.join("review-board", unquote(urlsplit(path).path)))
        target = target / "index.html" if target.is_dir() else target
        assert target.is_file(), href
        assert not anchor or f'id="{anchor}"' in target.read_text(encoding="utf-8"), href


@pytest.mark.slow
def test_the_fragment_lists_the_sites_own_pages_before_the_dossier(whole: dict[str, Path]) -> None:
    part = yaml.safe_load((whole["mkdocs"].parent / "mkdocs.yml").read_text(encoding="utf-8"))
    assert part["nav"][:5] == ["index.md", "gates.md", "glossary.md", "hosting.md", "review-board.md"]
    assert list(part["nav"][5]) == ["Dossier"] and len(part["nav"]) == 6
    nav = Page(whole["mkdocs"] / "gates" / "index.html")
    assert "../review-board/" in nav.links and "../dossier/" in nav.links


# --- the folder: what is written, in what order, and what is refused ---------------------------------------

BOARD = """---
title: Board
---

# Board

```mltrl-view pie title="By team"
projects
```

<!-- mltrl-view count: projects where levle > 2 -->

<!-- mltrl-view count: projects -->
"""


@pytest.fixture
def site(write: Callable[..., Path], tmp_path: Path) -> Path:
    """A site of two projects whose docs/ holds a board with two bad views and one good one, a page
    without views (CRLF line ends), an image and a page one folder down."""
    write("mltrl-docs.yml", "sources: [cards]\nbuild_date: 2025-06-01\n")
    write("mkdocs.yml", "site_name: t\ndocs_dir: docs\nplugins: [mltrl]\n")
    write("cards/a/L2.md", card_text(project="A1", title="Drift", team="Vision"))
    write("cards/b/L1.md", card_text(project="B2", title="Ranker", level=1, team="Search"))
    write("docs/index.md", b"# Home\r\n\r\nSee the [portfolio](dossier/index.md).\r\n")
    write("docs/board.md", BOARD)
    write("docs/img/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    write("docs/reports/views.md", "# Views\n\n````markdown\n```mltrl-view bar\nprojects group by phase\n```\n"
                                   "````\n\n<!-- mltrl-view bar: projects group by team -->\n")
    return tmp_path


def test_render_docs_writes_every_file_and_shows_each_view_or_its_error(site: Path) -> None:
    result = run_cli("render", "out", "--docs", "docs", cwd=site)
    assert result.exit_code == 1  # the board's two bad views are errors (--fail-on error)
    assert "docs/board.md:7:15: error: a pie chart needs 'group by FIELD' [view-form]" in result.output
    assert "docs/board.md:11:39: error: projects have no field 'levle' [query-field]" in result.output
    assert "4 files of docs (4 views shown)" in result.output
    docs = site / "out" / "docs"
    for unchanged in ("index.md", "img/logo.png"):
        assert (docs / unchanged).read_bytes() == (site / "docs" / unchanged).read_bytes(), unchanged
    board = (docs / "board.md").read_text(encoding="utf-8")
    assert board.startswith("---\ntitle: Board\n---\n\n# Board\n")  # the front matter as it was
    assert board.count('mltrl-view-error"') == 2 and "<p class=\"mltrl-view-count\">2 projects</p>" in board
    assert "mltrl-view count" not in board and "```" not in board
    reports = (docs / "reports" / "views.md").read_text(encoding="utf-8")
    assert "```mltrl-view bar\nprojects group by phase\n```" in reports  # a view's source, shown as code
    assert reports.count("<svg") == 1 and 'href="../../dossier/' not in reports  # a bar chart links nowhere
    assert (docs / "dossier" / "index.md").is_file()
    assert run_cli("render", "out", "--docs", "docs", "--fail-on", "never", cwd=site).exit_code == 0


def test_a_views_rows_link_as_the_host_reads_links(site: Path) -> None:
    (site / "docs" / "reports" / "list.md").write_text("# List\n\n```mltrl-view list\nprojects show id, title\n```\n"
                                                       "\n<!-- mltrl-view: cards where project = A1 -->\n",
                                                       encoding="utf-8")
    for name, expected in (("mkdocs", '<a href="../../dossier/A1/">A1</a>'),
                           ("zensical", '<a href="../dossier/A1/index.md">A1</a>')):
        assert run_cli("render", name, "--docs", "docs", "--host", name, "--fail-on", "never",
                       cwd=site).exit_code == 0
        assert expected in (site / name / "docs" / "reports" / "list.md").read_text(encoding="utf-8"), name
    cards = (site / "mkdocs" / "docs" / "reports" / "list.md").read_text(encoding="utf-8")
    assert 'href="../../dossier/A1/L2-2024-03-01/">A1</a>' in cards  # the card's row, to the card's page
    run_cli("render", "left-out", "--docs", "docs", "--pages", "levels", "--fail-on", "never", cwd=site)
    listed = (site / "left-out" / "docs" / "reports" / "list.md").read_text(encoding="utf-8")
    assert '<a href="../../dossier/A1/">A1</a>' in listed  # the dossiers are always there; the cards are not:
    assert "L2-2024-03-01" not in listed and "<td>A1</td>" in listed


def test_render_docs_builds_strictly_under_mkdocs_without_the_plugin(site: Path) -> None:
    (site / "docs" / "board.md").write_text("# Board\n\n<!-- mltrl-view bar: projects group by team -->\n\n"
                                            "```mltrl-view list\nprojects show id, title\n```\n", encoding="utf-8")
    result = run_cli("render", "out", "--docs", "docs", cwd=site)
    assert result.exit_code == 0, result.output
    built = host("mkdocs", "build", "-f", "out/mkdocs.yml", "--strict", cwd=site)
    assert built.returncode == 0, built.stderr[-3000:]
    page = Page(site / "out" / "site" / "board" / "index.html")
    assert "Vision 1" in page.text and "A1 — Title Drift" in page.text
    assert "../dossier/A1/" in page.links and (site / "out" / "site" / "dossier" / "A1" / "index.html").is_file()
    assert (site / "out" / "site" / "img" / "logo.png").is_file()


def test_render_docs_replaces_its_docs_folder(site: Path) -> None:
    (site / "out" / "docs").mkdir(parents=True)
    (site / "out" / "docs" / "gone.md").write_text("# Deleted since\n", encoding="utf-8")
    (site / "out" / "keep.txt").write_text("mine\n", encoding="utf-8")
    run_cli("render", "out", "--docs", "docs", "--fail-on", "never", cwd=site)
    assert not (site / "out" / "docs" / "gone.md").exists() and (site / "out" / "docs" / "board.md").is_file()
    assert (site / "out" / "keep.txt").is_file()


@pytest.mark.parametrize(("out", "docs"), [("docs/out", "docs"), (".", "docs"), ("docs", "docs"),
                                           ("out", "out/docs")])
def test_render_refuses_a_docs_folder_that_holds_out_or_is_inside_it(site: Path, out: str, docs: str) -> None:
    (site / "out" / "docs").mkdir(parents=True)
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    result = run_cli("render", out, "--docs", docs, cwd=site)
    assert result.exit_code == 2 and "--docs" in result.output and "write it elsewhere" in result.output
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before  # nothing built, nothing written


def test_overlap_sees_through_symlinks(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "out").mkdir()
    os.symlink(tmp_path / "docs", tmp_path / "out" / "docs")
    assert overlap(tmp_path / "out", tmp_path / "docs") is not None
    os.symlink(tmp_path / "out", tmp_path / "docs" / "link")
    assert overlap(tmp_path / "docs" / "link", tmp_path / "docs") is not None
    assert overlap(tmp_path / "elsewhere", tmp_path / "docs") is None


def test_no_symlink_is_followed_out_of_the_docs_folder(site: Path) -> None:
    (site / "secret.md").write_text("# Outside\n\n<!-- mltrl-view count: projects -->\n", encoding="utf-8")
    os.symlink(site / "secret.md", site / "docs" / "secret.md")
    os.symlink(site, site / "docs" / "up")
    os.symlink(site / "docs", site / "docs" / "reports" / "loop")
    os.symlink(site / "docs" / "nowhere.md", site / "docs" / "broken.md")
    os.symlink(site / "docs" / "board.md", site / "docs" / "reports" / "same.md")  # inside: followed
    (site / "docs" / ".env").write_text("TOKEN=1\n", encoding="utf-8")
    result = run_cli("render", "out", "--docs", "docs", "--fail-on", "never", cwd=site)
    assert result.exit_code == 0, result.output
    for name, why in (("secret.md", "leads outside the folder"), ("up", "leads outside the folder"),
                      ("reports/loop", "is a symlink to a folder it is in"), ("broken.md", "leads nowhere")):
        assert f"docs/{name}: warning: left out: {Path(name).name} " in result.output and why in result.output, name
    written = sorted(p.relative_to(site / "out" / "docs").as_posix() for p in (site / "out" / "docs").rglob("*")
                     if p.is_file() and "dossier" not in p.parts and "mltrl" not in p.parts)
    assert written == ["board.md", "img/logo.png", "index.md", "reports/same.md", "reports/views.md"]
    assert not any(p.is_symlink() for p in (site / "out").rglob("*"))
    checked = run_cli("check", "--docs", "docs", "--fail-on", "never", cwd=site)
    assert "docs/secret.md: note: left out: secret.md is a symlink that leads outside the folder" in checked.output
    assert "docs/reports/same.md:7:15: error: a pie chart" in checked.output  # the same page, through the link


def test_a_file_where_the_dossier_is_written_is_left_out(site: Path) -> None:
    """Where a dossier page is, or a folder of its pages; a file of the site's own beside them is kept."""
    (site / "docs" / "dossier").mkdir()
    (site / "docs" / "dossier" / "index.md").write_text("# Mine\n", encoding="utf-8")
    (site / "docs" / "dossier" / "A1").write_text("a file where the project's folder goes\n", encoding="utf-8")
    (site / "docs" / "dossier" / "notes.md").write_text("# Notes\n", encoding="utf-8")
    result = run_cli("render", "out", "--docs", "docs", "--fail-on", "never", cwd=site)
    assert result.exit_code == 0, result.output
    for uri in ("dossier/index.md", "dossier/A1"):
        assert f"docs/{uri}: warning: left out: the dossier's files are written at {uri}" in result.output
    docs = site / "out" / "docs" / "dossier"
    assert "# Mine" not in (docs / "index.md").read_text(encoding="utf-8") and (docs / "A1" / "index.md").is_file()
    assert (docs / "notes.md").read_text(encoding="utf-8") == "# Notes\n"


def test_the_own_nav_is_the_one_mkdocs_makes_without_a_nav(tmp_path: Path) -> None:
    """Folders as sections titled as MkDocs titles them, a folder's index (or README) first, then its
    pages by name, then its folders: compared with MkDocs' own navigation of the same folder."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import Section, get_navigation

    pages = ["zeta.md", "alpha.md", "index.md", "b-dir/README.md", "b-dir/x.md", "b-dir/inner/y.md",
             "A_Dir/k.markdown", "z/index.md", "z/a.md", "Readme.md", "img.png", "z/data.csv"]
    for page in pages:
        (tmp_path / "docs" / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / page).write_text("# t\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)

    def entries(items: list) -> list[object]:
        return [{item.title: entries(item.children)} if isinstance(item, Section) else item.file.src_uri
                for item in items]

    theirs = entries(get_navigation(get_files(config), config).items)
    files, skipped = own_files(tmp_path / "docs", Severity.WARNING)
    assert skipped == []
    ours = yaml.safe_load(fragment("dossier", ("dossier/index.md",), "Dossier",
                                   [f.uri for f in files if f.page]))["nav"]
    assert ours == [*theirs, {"Dossier": ["dossier/index.md"]}]
    assert [f.uri for f in files][:2] == ["index.md", "Readme.md"] and len(files) == len(pages)
    assert own_nav([]) == ()


# --- check --docs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["text", "json", "github"])
def test_check_docs_locates_every_views_finding_in_each_format(site: Path, output_format: str) -> None:
    result = run_cli("check", "--docs", "docs", "--format", output_format, cwd=site)
    assert result.exit_code == 1
    if output_format == "json":
        output = json.loads(result.output)
        Draft202012Validator(load_schema("check-output")).validate(output)
        located = {(f["file"], f["line"], f["column"], f["rule"]) for f in output["findings"]
                   if f["file"].startswith("docs/")}
        assert located == {("docs/board.md", 7, 15, "view-form"), ("docs/board.md", 11, 39, "query-field")}
        assert output["summary"]["errors"] == 2
    elif output_format == "github":
        assert "::error file=docs/board.md,line=7,col=15,title=mltrl-docs view-form::a pie chart needs" in result.output
        assert "::error file=docs/board.md,line=11,col=39,title=mltrl-docs query-field::projects have no field" \
            in result.output
    else:
        assert "docs/board.md:7:15: error: a pie chart needs 'group by FIELD' [view-form]" in result.output
        assert "docs/board.md:11:39: error: projects have no field 'levle' [query-field]\n    hint: did you mean " \
               "'level'?" in result.output
    assert "reports/views.md" not in result.output  # its views are good, and the one shown as code is none
    assert run_cli("check", "--docs", "docs", "--format", output_format, "--fail-on", "never",
                   cwd=site).exit_code == 0


def test_check_docs_answers_no_query(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only parsed and checked: no view's answer is worked out (the dossier's tables are never built)."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("check --docs answered a view")

    monkeypatch.setattr(views, "Tables", refuse)
    monkeypatch.setattr(views, "answer", refuse)
    result = run_cli("check", "--docs", "docs", cwd=site)
    assert result.exit_code == 1 and "2 errors" in result.output


def test_check_without_docs_sees_no_view_and_docs_must_be_a_folder(site: Path) -> None:
    assert run_cli("check", "--fail-on", "error", cwd=site).exit_code == 0  # the cards' warnings are not this test's
    assert run_cli("check", "--docs", "docs/board.md", cwd=site).exit_code == 2
    (site / "docs" / "board.md").write_text("# Board\n\n<!-- mltrl-view bar: projects group by phase -->\n",
                                            encoding="utf-8")
    assert run_cli("check", "--docs", "docs", "--fail-on", "error", cwd=site).exit_code == 0


def test_a_page_that_is_no_text_is_reported_not_read(site: Path) -> None:
    (site / "docs" / "bad.md").write_bytes(b"# Bad \xff\n\n<!-- mltrl-view count: projects -->\n")
    checked = run_cli("check", "--docs", "docs", "--fail-on", "never", cwd=site)
    assert "docs/bad.md:1:7: error: cannot read the page's views: file is not valid UTF-8 (byte 0xFF) [docs-dir]" \
        in checked.output
    run_cli("render", "out", "--docs", "docs", "--fail-on", "never", cwd=site)
    assert (site / "out" / "docs" / "bad.md").read_bytes() == (site / "docs" / "bad.md").read_bytes()


# --- the README's commands -----------------------------------------------------------------------------


def test_check_docs_prints_what_the_readme_shows(tmp_path: Path) -> None:
    """The README's example, in a site `mltrl-docs init` writes with the page it describes."""
    marker = "Here `docs/board.md` has a count whose query misspells"
    [command] = _commands(_sh_block_after(marker))
    command_end = README.index("\n```\n", README.index("```sh\n", README.index(marker))) + 5
    start = README.index("```\n", command_end) + 4
    shown = README[start:README.index("```\n", start)]
    assert command == ["mltrl-docs", "check", "--docs", "docs"]
    site = tmp_path / "site"
    assert _run(["mltrl-docs", "init", str(site)], tmp_path).returncode == 0
    (site / "docs" / "board.md").write_text("---\ntitle: Board\n---\n\n# Board\n\n"
                                            "<!-- mltrl-view count: projects where levle > 2 -->\n\n"
                                            "```mltrl-view pie\nprojects\n```\n", encoding="utf-8")
    result = _run(command, site)
    assert result.returncode == 1, result.stderr
    assert result.stdout == shown


@pytest.mark.slow
def test_the_hosting_render_commands_show_a_sites_views(tmp_path: Path) -> None:
    """The README's render blocks (each with --docs docs), in a site `mltrl-docs init` writes with a
    page of views: Zensical and MkDocs without the plugin each build it strictly, views shown."""
    renders = [block for block in _hosting_blocks() if block[0][:2] == ["mltrl-docs", "render"]]
    assert len(renders) == 2 and all("--docs" in block[0] for block in renders)
    assert "`--docs docs` (your `docs_dir`)" in README
    site = tmp_path / "site"
    assert _run(["mltrl-docs", "init", str(site)], tmp_path).returncode == 0
    (site / "docs" / "board.md").write_text("# Board\n\n<!-- mltrl-view count: projects -->\n\n"
                                            "```mltrl-view list\nprojects show id, title, level\n```\n",
                                            encoding="utf-8")
    for block in renders:
        for command in block:
            result = _run_host(command, site)
            assert result.returncode == 0, (command, result.stdout[-2000:], result.stderr[-2000:])
        built = site / "build" / "dossier" / "site"
        board = Page(built / "board" / "index.html")
        assert "1 project" in board.text and "R01.1 — Title Example project · Level 1" in board.text, block
        target = [href for href in board.links if "dossier/R01.1" in href]
        assert target and (built / "board" / target[0]).resolve().joinpath("index.html").is_file(), block
        assert (built / "index.html").is_file()
        shutil.rmtree(site / "build")
