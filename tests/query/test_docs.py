"""The language's documentation is what the code does: every query example of the README's section
"Views: questions over the portfolio" and of docs/query.md parses and answers on the example site,
the outputs they show are what ``mltrl-docs query`` prints, and the field tables of docs/query.md
are the catalogue's."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from mltrl_docs.dossier import build_site
from mltrl_docs.query import Tables, ValueType, answer, parse
from mltrl_docs.query.__main__ import PAGE
from mltrl_docs.query.check import Operator
from mltrl_docs.query.fields import CATALOGUE
from mltrl_docs.query.reference import DOC_END, DOC_START, fields_markdown, replace_block
from mltrl_docs.settings import load_settings

README = (REPO / "README.md").read_text(encoding="utf-8")
QUERY_DOC = (REPO / "docs" / "query.md").read_text(encoding="utf-8")
HEADING = "## Views: questions over the portfolio"


def _section() -> str:
    start = README.index(HEADING)
    return README[start:README.index("\n## ", start + 1)]


def _blocks(text: str) -> list[tuple[str, str]]:
    """Each fenced block of a Markdown text: its language (empty for none) and its content."""
    blocks, language, lines = [], None, []
    for line in text.splitlines(keepends=True):
        if line.startswith("```"):
            if language is None:
                language, lines = line[3:].strip(), []
            else:
                blocks.append((language, "".join(lines)))
                language = None
        elif language is not None:
            lines.append(line)
    return blocks


def _examples(text: str) -> list[str]:
    """Each query of the ```query blocks (queries are separated by blank lines), and the QUERY of each
    `mltrl-docs query` command of the ```sh blocks."""
    found = []
    for language, block in _blocks(text):
        if language == "query":
            found += [" ".join(query.split()) for query in block.split("\n\n") if query.strip()]
        elif language == "sh":
            for line in block.splitlines():
                words = shlex.split(line, comments=True)
                if words[:2] == ["mltrl-docs", "query"]:
                    found.append(words[2])
    return found


def _shown_mistakes(text: str) -> list[tuple[list[str], str]]:
    """Each ``$ mltrl-docs query ...`` line of a plain block, with the lines shown after it."""
    shown = []
    for language, block in _blocks(text):
        if language == "" and block.startswith("$ mltrl-docs query"):
            command, _, output = block.partition("\n")
            shown.append((shlex.split(command[2:]), output))
    return shown


EXAMPLES = sorted({*_examples(_section()), *_examples(QUERY_DOC)})


@pytest.fixture(scope="module")
def tables() -> Tables:
    settings, _ = load_settings(REPO / "site_example" / "mltrl-docs.yml")
    assert settings is not None
    return Tables(build_site(settings))


def test_the_docs_give_examples() -> None:
    assert len(_examples(_section())) >= 6 and len(_examples(QUERY_DOC)) >= 15
    assert "projects group by phase" in EXAMPLES


@pytest.mark.parametrize("text", EXAMPLES)
def test_every_example_parses_and_answers_on_the_example_site(tables: Tables, text: str) -> None:
    query, findings = parse(text, Path("<query>"))
    assert findings == [] and query is not None
    result = answer(query, tables)
    assert len(result.rows) <= result.matched
    assert all(len(row.values) == len(result.columns) for row in result.rows)


def test_the_readme_shows_what_the_command_prints() -> None:
    start = README.index("`mltrl-docs query 'QUERY' [PATH]` prints the answer")
    (language, command), (plain, shown) = _blocks(README[start:])[:2]
    assert (language, plain) == ("sh", "")
    words = shlex.split(command)
    assert words[:2] == ["mltrl-docs", "query"]
    result = run_cli(*words[1:], cwd=REPO)
    assert result.exit_code == 0, result.output
    assert result.stdout == shown


@pytest.mark.parametrize(("command", "shown"), [*_shown_mistakes(_section()), *_shown_mistakes(QUERY_DOC)])
def test_the_mistakes_shown_are_what_the_command_prints(command: list[str], shown: str) -> None:
    assert command[:2] == ["mltrl-docs", "query"]
    result = run_cli(*command[1:], cwd=REPO)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == shown


def test_both_documents_show_a_mistake() -> None:
    assert len(_shown_mistakes(_section())) == len(_shown_mistakes(QUERY_DOC)) == 1


def test_the_readme_section_follows_exports_and_links_the_docs() -> None:
    assert README.index("## Exports: CSV tables and README badges") < README.index(HEADING) < README.index(
        "## Printing and the review packet")
    assert "(docs/query.md)" in _section() and "(docs/views.md)" in _section()


def test_the_field_tables_are_the_catalogue_s() -> None:
    """Run ``python -m mltrl_docs.query --write`` after changing a field."""
    assert PAGE == REPO / "docs" / "query.md"
    assert QUERY_DOC.count(DOC_START) == 1 and QUERY_DOC.count(DOC_END) == 1
    start, end = QUERY_DOC.index(DOC_START), QUERY_DOC.index(DOC_END) + len(DOC_END)
    assert QUERY_DOC[start:end] == fields_markdown()
    assert replace_block(f"a\n{DOC_START}\nold\n{DOC_END}\nb\n", fields_markdown()) == f"a\n{fields_markdown()}\nb\n"
    for entity, spec in CATALOGUE.items():
        assert f"\n### {entity.value}\n" in fields_markdown()
        for field in spec.fields.values():
            assert f"| `{field.name}` | {field.type.value} |" in fields_markdown()


def test_the_page_documents_every_operator_type_rule_and_limit() -> None:
    for op in Operator:
        assert f"`{op.value}" in QUERY_DOC, op
    for kind in ValueType:
        assert f"`{kind.value}`" in QUERY_DOC, kind
    for rule in ("query-syntax", "query-field", "query-type", "query-value"):
        assert f"`{rule}`" in QUERY_DOC
    assert "2,000 characters" in QUERY_DOC and "deeper than 32" in QUERY_DOC


def test_the_reference_command_prints_and_writes_the_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    from mltrl_docs.query import __main__ as command

    assert command.main([]) == 0 and capsys.readouterr().out == fields_markdown() + "\n"
    page = tmp_path / "query.md"
    page.write_text(f"# Query\n\n{DOC_START}\nold\n{DOC_END}\n\nafter\n", encoding="utf-8")
    monkeypatch.setattr(command, "PAGE", page)
    assert command.main(["--write"]) == 0
    assert page.read_text(encoding="utf-8") == f"# Query\n\n{fields_markdown()}\n\nafter\n"
