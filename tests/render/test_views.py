"""Views in hand-written pages (render.views, render.charts): finding the blocks in a page's
Markdown, each form rendered from a real dossier's answers and read back as HTML, links, escaping,
empty answers, and the located findings of views that cannot be shown."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from pathlib import Path

import markdown as python_markdown
import pytest

from conftest import REPO
from htmltext import Page
from mltrl_docs.dossier import CheckedDossier, build_dossier
from mltrl_docs.findings import Finding, Position, Severity
from mltrl_docs.messages import messages_for, shipped_table
from mltrl_docs.query.answer import Answer, Column, Entity, Group, Row, Subject, ValueType
from mltrl_docs.query.fields import CATALOGUE
from mltrl_docs.render import views
from mltrl_docs.render.charts import BAR_LABEL, BAR_ROOM, BAR_WIDTH, PIE_LABEL, bar_chart, pie_chart
from mltrl_docs.render.html import Renderer
from mltrl_docs.render.views import NOUNS, Form, Links, ViewBlock, Views, find_views, shown_view, splice
from mltrl_docs.settings import load_settings

HOSTILE = "<script>alert(\"x\")</script>"
PAGE = Path("/site/docs/board.md")


def _requirement(number: str, status: str, likelihood: int, impact: int) -> dict[str, object]:
    return {"id": number, "kind": "product", "text": f"The system shall do {number}.", "verification": "test",
            "status": status, "risk": {"likelihood": likelihood, "impact": impact}}


@pytest.fixture
def checked(write_card: Callable[..., Path], tmp_path: Path) -> CheckedDossier:
    """Three projects in three phases; P1's title and team are hostile markup."""
    write_card("src/p1/L1.md", project="P1", title=HOSTILE, level=1, date="2024-01-10", team=HOSTILE)
    write_card("src/p2/L4.md", project="P2", title="Cloud mask", level=4, date="2024-02-01", team="Vision",
               requirements=[_requirement("1", "verified", 3, 4), _requirement("2", "in-progress", 4, 4)])
    write_card("src/p3/L6.md", project="P3", title="Ranking", level=6, date="2024-03-01", team="Vision",
               requirements=[_requirement("1", "not-started", 1, 2)])
    return build_dossier([tmp_path / "src"], today=dt.date(2025, 1, 1))


def _url(uri: str) -> str:
    """A link as the plugin makes one from a page one folder down (``use_directory_urls``)."""
    return "../" + uri.removesuffix("index.md").removesuffix(".md") + ("/" if not uri.endswith("index.md") else "")


def _show(checked: CheckedDossier, text: str, url_for: Callable[[str], str | None] = _url,
          renderer: Renderer | None = None) -> list[tuple[str, list[Finding]]]:
    shown = Views(checked, renderer or Renderer("dossier", root=PAGE.parent.parent))
    return [shown.show(block, url_for) for block in find_views(text, PAGE)]


def _page(tmp_path: Path, html: str) -> Page:
    path = tmp_path / "view.html"
    path.write_text(html, encoding="utf-8")
    return Page(path)


def _links(page: Page) -> list[tuple[str, str]]:
    """(href, text) of every link, read again from the page's tags and text."""
    html = page.path.read_text(encoding="utf-8")
    return [(href, re.sub(r"<[^>]*>", "", text)) for href, text in re.findall(r'<a href="([^"]*)">(.*?)</a>', html)]


# --- finding the blocks -----------------------------------------------------------------------


def test_a_fenced_view_and_a_comment_view_are_found_with_their_places() -> None:
    text = ("# Board\n\n```mltrl-view bar title=\"Projects by \\\"phase\\\"\"\nprojects\n  group by phase\n```\n\n"
            "<!-- mltrl-view pie: projects group by team -->\n\n```mltrl-view\nprojects\n```\n")
    bar, pie, table = find_views(text, PAGE, first_line=4)  # three lines of front matter above
    assert (bar.form, bar.title, bar.query) == (Form.BAR, 'Projects by "phase"', "projects\n  group by phase")
    assert (bar.start, bar.end, bar.at, bar.form_at) == (2, 6, Position(7, 1), Position(6, 15))
    assert (pie.form, pie.title, pie.query) == (Form.PIE, None, "projects group by team")
    assert (pie.start, pie.end, pie.at, pie.form_at) == (7, 8, Position(11, 22), Position(11, 17))
    assert (table.form, table.query, table.problems) == (Form.TABLE, "projects", ())
    assert all(not block.problems for block in (bar, pie))


def test_a_comment_view_may_go_on_over_lines_and_keeps_text_after_it() -> None:
    [view] = find_views("<!-- mltrl-view count:\n  requirements\n  where risk >= 12 --> after\nmore\n", PAGE)
    assert (view.form, view.query, view.at, view.after) == (Form.COUNT, "\n  requirements\n  where risk >= 12",
                                                            Position(1, 23), "after")
    assert (view.start, view.end) == (0, 3)


def test_other_fenced_blocks_are_skipped_so_a_page_can_show_a_views_source() -> None:
    text = ("````markdown\n```mltrl-view bar\nprojects group by phase\n```\n````\n"
            "~~~\n<!-- mltrl-view: projects -->\n~~~\n"
            "```python\n```mltrl-view\n```\n"
            "    <!-- mltrl-view: projects -->\n"  # indented code
            "Text <!-- mltrl-view: projects --> inline\n"
            "<!-- mltrl-viewer: projects -->\n```mltrl-viewer\nprojects\n```\n"
            "```mltrl-view list\nterms\n```\n")
    [view] = find_views(text, PAGE)
    assert (view.form, view.query, view.start) == (Form.LIST, "terms", 17)


@pytest.mark.parametrize(("text", "rule", "position", "says"), [
    ("```mltrl-view bars\nprojects\n```", "view-form", Position(1, 15),
     "unknown view form 'bars'; did you mean 'bar'?"),
    ("<!-- mltrl-view pi: projects -->", "view-form", Position(1, 17), "did you mean 'pie'?"),
    ("```mltrl-view bar titel=\"x\"\nprojects\n```", "view-syntax", Position(1, 19),
     "unknown view option 'titel'; did you mean 'title'?"),
    ("```mltrl-view title=Board\nprojects\n```", "view-syntax", Position(1, 21), "needs a quoted text"),
    ("```mltrl-view title=\"Board\nprojects\n```", "view-syntax", Position(1, 21), "needs a quoted text"),
    ("```mltrl-view bar pie\nprojects\n```", "view-syntax", Position(1, 19), "unexpected 'pie'"),
    ("<!-- mltrl-view bar projects group by phase -->", "view-syntax", Position(1, 17), "has no ':'"),
    ("text\n  ```mltrl-view\nprojects\n", "view-syntax", Position(2, 3), "never closed"),
    ("<!-- mltrl-view: projects\n\nmore text\n", "view-syntax", Position(1, 1), "never closed"),
])
def test_a_block_that_is_wrong_is_a_located_finding(text: str, rule: str, position: Position, says: str) -> None:
    [view] = find_views(text, PAGE)
    [problem] = view.problems
    assert (problem.rule, problem.position, problem.path, problem.severity) == (rule, position, PAGE, Severity.ERROR)
    assert says in problem.message and problem.hint


def test_an_unclosed_view_fence_runs_to_the_end_and_only_its_line_is_replaced() -> None:
    text = "# A\n```mltrl-view bar\nprojects group by phase\n<!-- mltrl-view: projects -->\n"
    [view] = find_views(text, PAGE)
    assert (view.start, view.end) == (1, 2)
    assert splice(text, [view], ["<div>box</div>"]).split("\n") == [
        "# A", "", "<div>box</div>", "", "projects group by phase", "<!-- mltrl-view: projects -->", ""]


def test_finding_views_is_linear() -> None:
    """Unclosed fences and comments, long headers and escapes: each line is read a bounded number of times."""
    pages = ["<!-- mltrl-view: x\n" * 20_000, "```mltrl-view\n" * 20_000, "```x\n" * 20_000,
             "````\n" + "```\n" * 20_000, "```mltrl-view title=\"" + "\\" * 64_000 + "\n```\n",
             "<!-- mltrl-view " + "a " * 30_000 + "\n", "<!-- mltrl-view title='" + ":" * 60_000 + "\n"]
    for text in pages:
        started = time.process_time()  # CPU time: a loaded machine stretches the wall clock, not the work
        find_views(text, PAGE)
        assert time.process_time() - started < 1.5, text[:30]


def test_splice_sets_each_view_off_as_its_own_block() -> None:
    text = "# A\nbefore\n<!-- mltrl-view: projects -->\nafter\n"
    blocks = find_views(text, PAGE)
    assert splice(text, blocks, ["<div>x</div>"]) == "# A\nbefore\n\n<div>x</div>\n\nafter\n"


# --- the forms ----------------------------------------------------------------------------


def test_a_table_has_a_column_per_field_and_links_each_row_to_its_page(checked: CheckedDossier,
                                                                       tmp_path: Path) -> None:
    [(html, findings)] = _show(checked, "```mltrl-view table title=\"Levels\"\n"
                                        "projects sort by level desc show id, title, level, approved\n```")
    assert findings == []
    page = _page(tmp_path, html)
    assert "mltrl-sortable" in page.classes and "mltrl-view-table" in page.classes
    assert page.text.startswith("Levels ID Title Level Approved P3 Ranking 6 yes P2 Cloud mask 4 yes P1 " + HOSTILE)
    assert _links(page) == [("../dossier/P3/", "P3"), ("../dossier/P2/", "P2"), ("../dossier/P1/", "P1")]


def test_a_grouped_table_has_a_heading_row_per_group(checked: CheckedDossier, tmp_path: Path) -> None:
    [(html, _)] = _show(checked, "<!-- mltrl-view: projects group by team show id, level -->")
    page = _page(tmp_path, html)
    assert "mltrl-sortable" not in page.classes and page.classes.count("mltrl-group") == 2
    assert "Team: Vision (2) P2 4 P3 6 Team: " + HOSTILE + " (1) P1 1" in page.text


def test_a_list_links_the_first_value_and_names_the_other_fields(checked: CheckedDossier, tmp_path: Path) -> None:
    [(html, _)] = _show(checked, "<!-- mltrl-view list: requirements sort by risk desc show project, id, status, risk"
                                 " limit 2 -->")
    page = _page(tmp_path, html)
    assert page.text == ("P2 — ID 2 · Status in-progress · Risk 16 P2 — ID 1 · Status verified · Risk 12 "
                         "2 of 3 shown")
    # A requirement's row links to its own row on its card's page.
    assert _links(page) == [("../dossier/P2/L4-2024-02-01/#requirement-2", "P2"),
                            ("../dossier/P2/L4-2024-02-01/#requirement-1", "P2")]


def test_a_count_says_how_many_matched_and_with_group_by_how_many_each(checked: CheckedDossier,
                                                                       tmp_path: Path) -> None:
    (plain, _), (grouped, _), (none, _) = _show(checked, "<!-- mltrl-view count: requirements where risk >= 12 -->\n"
                                                         "<!-- mltrl-view count: projects group by phase -->\n"
                                                         "<!-- mltrl-view count: reviews where decision = pending -->")
    assert _page(tmp_path, plain).text == "2 requirements"
    assert _page(tmp_path, grouped).text == ("3 projects Phase Count productization 1 prototyping 1 research 1")
    assert _page(tmp_path, none).text == "0 reviews"


@pytest.mark.parametrize("form", ["table", "list", "bar", "pie"])
def test_an_empty_answer_says_so(checked: CheckedDossier, tmp_path: Path, form: str) -> None:
    [(html, findings)] = _show(checked, f"```mltrl-view {form}\nrequirements where risk > 20 group by status\n```")
    assert findings == [] and _page(tmp_path, html).text == "No requirements match."


def test_a_bar_chart_labels_every_group_with_its_name_and_count(checked: CheckedDossier, tmp_path: Path) -> None:
    [(html, findings)] = _show(checked, "```mltrl-view bar title='Teams \"now\"'\nprojects group by team\n```")
    assert findings == []
    page = _page(tmp_path, html)
    svg = dict(next(attrs for tag, attrs in page.tags if tag == "svg"))
    assert svg["role"] == "img" and svg["aria-label"] == f"Bar chart by Team: Vision: 2; {HOSTILE}: 1"
    assert page.text == f'Teams "now" Teams "now" Vision: 2 Vision 2 {HOSTILE}: 1 {HOSTILE} 1'
    bars = [attrs for tag, attrs in page.tags if tag == "rect"]
    assert [float(bar["width"] or 0) for bar in bars] == [BAR_WIDTH - BAR_ROOM, (BAR_WIDTH - BAR_ROOM) / 2]
    assert "<script" not in html and " style=" not in html


def test_a_pie_chart_has_a_slice_and_a_legend_line_per_group(checked: CheckedDossier, tmp_path: Path) -> None:
    [(html, _)] = _show(checked, "<!-- mltrl-view pie: projects group by team -->")
    page = _page(tmp_path, html)
    svg = dict(next(attrs for tag, attrs in page.tags if tag == "svg"))
    assert svg["aria-label"] == f"Pie chart by Team: Vision: 2; {HOSTILE}: 1"
    assert f"Vision: 2 (67%) {HOSTILE}: 1 (33%)" in page.text  # the legend, as text
    slices = [attrs["class"] for tag, attrs in page.tags if tag == "path"]
    keys = [attrs["class"] for tag, attrs in page.tags if tag == "rect"]
    assert slices == keys == ["mltrl-view-c1", "mltrl-view-c2"]  # a slice's colour is its legend line's
    assert "<script" not in html and " style=" not in html


def test_views_speak_the_sites_language(checked: CheckedDossier, tmp_path: Path) -> None:
    renderer = Renderer("dossier", root=PAGE.parent.parent)
    renderer.use_messages(messages_for("de"))
    (html, _), (empty, _) = _show(checked, "<!-- mltrl-view: projects where id = P2 show id, date, approved -->\n"
                                           "<!-- mltrl-view list: terms where term = nothing -->", renderer=renderer)
    assert "P2 01.02.2024 ja" in _page(tmp_path, html).text
    assert _page(tmp_path, empty).text == "Keine Glossarbegriffe passen."


# --- links -----------------------------------------------------------------------------------


def test_rows_link_to_the_page_of_what_they_are_about(checked: CheckedDossier) -> None:
    card = checked.projects["P2"].current
    assert card is not None
    links = Links(_url, "dossier", "dossier/glossary/index.md", checked)
    entry = checked.glossary.entries[0]
    assert links.href(Subject(Entity.PROJECTS, project="P2")) == "../dossier/P2/"
    assert links.href(Subject(Entity.CARDS, project="P2", card=card)) == "../dossier/P2/L4-2024-02-01/"
    assert links.href(Subject(Entity.REVIEWS, project="P2", card=card)) == "../dossier/P2/L4-2024-02-01/"
    assert links.href(Subject(Entity.REQUIREMENTS, project="P2", card=card, requirement="1")) == (
        "../dossier/P2/L4-2024-02-01/#requirement-1")
    assert links.href(Subject(Entity.TERMS, term=entry.term.term)) == f"../dossier/glossary/#{entry.anchor}"
    assert links.href(Subject(Entity.FINDINGS, project="P2", card=card, path=card.path)) == (
        "../dossier/P2/L4-2024-02-01/")
    assert links.href(Subject(Entity.FINDINGS, path=Path("/site/glossary/org.yml"))) is None  # no card: no page


def test_a_page_the_site_leaves_out_is_named_not_linked(checked: CheckedDossier, tmp_path: Path) -> None:
    [(html, _)] = _show(checked, "<!-- mltrl-view list: terms limit 2 -->", url_for=lambda uri: None)
    page = _page(tmp_path, html)
    assert page.links == [] and len(page.text.split(" — ")) == 3


# --- views that cannot be shown ----------------------------------------------------------------


def test_a_bad_query_is_an_error_box_and_a_finding_at_its_place(checked: CheckedDossier, tmp_path: Path) -> None:
    text = "# Board\n\n```mltrl-view\nprojects\n  where riks > 3 and title = \"<b>x</b>\"\n```\n"
    [(html, findings)] = _show(checked, text)
    [finding] = findings
    assert (finding.path, finding.position, finding.severity) == (PAGE, Position(5, 9), Severity.ERROR)
    assert "riks" in finding.message
    page = _page(tmp_path, html)
    assert "mltrl-view-error" in page.classes
    assert page.text.startswith("This view cannot be shown docs/board.md:5:9 projects have no field 'riks'")
    assert "<b>x</b>" in page.text and "<b>" not in html  # the query is shown, as text


@pytest.mark.parametrize("form", ["bar", "pie"])
def test_a_chart_without_group_by_is_an_error_at_its_form(checked: CheckedDossier, tmp_path: Path, form: str) -> None:
    [(html, findings)] = _show(checked, f"\n```mltrl-view {form}\nprojects where level > 2\n```")
    [finding] = findings
    assert (finding.rule, finding.position) == ("view-form", Position(2, 15))
    assert finding.message == f"a {form} chart needs 'group by FIELD'"
    assert "needs &#39;group by FIELD&#39;" in html and "<svg" not in html


def test_a_block_problem_is_shown_without_asking_the_query(checked: CheckedDossier, tmp_path: Path) -> None:
    [(html, findings)] = _show(checked, "<!-- mltrl-view bars: projects where nonsense -->")
    assert [f.rule for f in findings] == ["view-form"]
    assert "docs/board.md:1:17 unknown view form 'bars'; did you mean 'bar'?" in _page(tmp_path, html).text


def test_an_empty_query_is_a_finding(checked: CheckedDossier) -> None:
    [(_, findings)] = _show(checked, "```mltrl-view\n\n```")
    assert [(f.rule, f.message) for f in findings] == [("view-syntax", "the view has no query")]


# --- once per build, one block each --------------------------------------------------------------


def test_each_query_is_answered_once_and_the_tables_built_once(checked: CheckedDossier,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    built: list[object] = []
    answer, tables = views.answer, views.Tables
    monkeypatch.setattr(views, "answer", lambda query, t: asked.append(query.text) or answer(query, t))
    monkeypatch.setattr(views, "Tables", lambda *a, **k: built.append(a) or tables(*a, **k))
    text = "<!-- mltrl-view bar: projects group by phase -->\n```mltrl-view pie\nprojects group by phase\n```\n" \
           "<!-- mltrl-view count: requirements -->\n"
    shown = Views(checked, Renderer("dossier"))
    for _ in range(2):  # two pages with the same views
        for block in find_views(text, PAGE):
            shown.show(block, _url)
    assert asked == ["projects group by phase", "requirements"] and len(built) == 1


def test_a_view_is_one_raw_html_block_that_python_markdown_passes_through(checked: CheckedDossier) -> None:
    text = ("# Board\n\nSome *text*.\n<!-- mltrl-view pie: projects group by team -->\n"
            "```mltrl-view table\nrequirements show project, text\n```\nMore *text*.\n")
    blocks = find_views(text, PAGE)
    shown = [html for html, _ in (Views(checked, Renderer("dossier")).show(b, _url) for b in blocks)]
    assert all("\n\n" not in html and html.startswith("<div") for html in shown)
    page = python_markdown.markdown(splice(text, blocks, shown), extensions=["tables", "attr_list", "toc"])
    for html in shown:
        assert html in page
    assert "<em>text</em>.</p>" in page and page.count("<em>text</em>") == 2


# --- values, geometry, messages --------------------------------------------------------------


def test_values_are_shown_as_the_site_says_them(tmp_path: Path) -> None:
    columns = (Column("title", ValueType.TEXT), Column("date", ValueType.DATE), Column("waiting", ValueType.DAYS),
               Column("approved", ValueType.BOOLEAN), Column("owners", ValueType.LIST),
               Column("risk", ValueType.NUMBER), Column("team", ValueType.TEXT))
    row = Row(("x", dt.date(2024, 5, 6), 1, False, ("Ana", "Lin"), 2.5, None), Subject(Entity.PROJECTS, project="X"))
    found = Answer(Entity.PROJECTS, columns, (row,), 1)
    block = ViewBlock(PAGE, 0, 1, "projects", Position(1, 1))
    view = shown_view(found, block, Links(lambda uri: None, "dossier", "g.md", None), messages_for("en"))  # type: ignore[arg-type]
    assert view.rows[0].cells == ("x", "2024-05-06", "1 day", "no", "Ana, Lin", "2.5", "")
    assert view.headers == ("Title", "Date", "Waiting", "Approved", "Owners", "Risk", "Team")
    grouped = Answer(Entity.PROJECTS, columns, (row,), 1, columns[6], (Group(None, (row,)),), 1)
    assert shown_view(grouped, block, view_links := Links(lambda uri: None, "d", "g", None),  # type: ignore[arg-type]
                      messages_for("de")).groups[0].label == "keiner" and view_links.prefix == "d"


def test_bar_lengths_follow_the_counts_and_long_names_are_cut() -> None:
    chart = bar_chart([("a" * 80, 10), ("b", 5), ("c", 1)])
    assert [bar.width for bar in chart.bars] == [BAR_WIDTH - BAR_ROOM, (BAR_WIDTH - BAR_ROOM) / 2, 36.4]
    first = chart.bars[0]
    assert len(first.label) == BAR_LABEL and first.label.endswith("…") and first.name == "a" * 80
    assert all(b.bar_y + chart.bar_height <= chart.height for b in chart.bars)
    assert [b.label_y for b in chart.bars] == sorted(b.label_y for b in chart.bars)


def test_pie_slices_turn_once_clockwise_from_twelve() -> None:
    chart = pie_chart([("a", 2), ("b", 1), ("c", 1)])
    assert [s.percent for s in chart.slices] == [50, 25, 25] and chart.total == 4
    top = f"{chart.cx:g} {chart.cy - chart.radius:g}"
    assert chart.slices[0].path.split(" L")[1].startswith(top)  # starts at twelve o'clock
    assert chart.slices[-1].path.endswith(f"{top} Z")  # and the last ends there
    assert " 0 1 " in chart.slices[0].path  # half a turn: the short arc
    whole = pie_chart([("only", 3)])
    assert whole.slices[0].path == "" and whole.slices[0].percent == 100  # drawn as a circle
    many = pie_chart([(str(n) + "x" * 40, 1) for n in range(10)])
    assert [s.colour for s in many.slices] == [1, 2, 3, 4, 5, 6, 7, 8, 1, 2]
    assert all(len(s.label) <= PIE_LABEL for s in many.slices) and many.height >= 10 * 24


def test_every_view_message_is_in_every_table() -> None:
    """Also a label for every field of the query language, which views show as their headers."""
    keys = {key for pair in NOUNS.values() for key in pair}
    keys |= {f"view.field.{name}" for spec in CATALOGUE.values() for name in spec.fields}
    assert set(NOUNS) == set(Entity)
    for language in ("en", "de"):
        assert keys <= set(shipped_table(language)), language


def test_the_views_in_docs_views_md_show_on_the_example_without_a_finding() -> None:
    """The page that documents views shows working ones: its first example, a board, on the example's dossier;
    so does the README's example."""
    docs = (REPO / "docs" / "views.md").read_text(encoding="utf-8")
    board = docs.split("````markdown\n", 1)[1].split("\n````", 1)[0]
    settings, _ = load_settings(REPO / "site_example" / "mltrl-docs.yml")
    assert settings is not None
    example = build_dossier(settings.sources, settings.glossary)
    blocks = find_views(board, PAGE)
    assert [block.form for block in blocks] == [Form.BAR, Form.PIE, Form.COUNT, Form.TABLE, Form.LIST]
    shown = Views(example, Renderer("dossier"))
    for block in blocks:
        html, findings = shown.show(block, _url)
        assert findings == [] and "mltrl-view-error" not in html, block.query
    readme = (REPO / "README.md").read_text(encoding="utf-8").split("## Views: questions over the portfolio", 1)[1]
    shown_in_readme = find_views(readme.split("````markdown\n", 1)[1].split("\n````", 1)[0], PAGE)
    assert [block.form for block in shown_in_readme] == [Form.BAR, Form.COUNT]
    for block in shown_in_readme:
        html, findings = shown.show(block, _url)
        assert findings == [] and "mltrl-view-error" not in html, block.query
