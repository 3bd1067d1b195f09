"""`mltrl-docs check` and `mltrl-docs schema`: exit codes, formats, what a PATH means."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BODY
from conftest import run_cli as run

GATED = {"body": BODY + "\n## Data considerations\n\nSample data from one region.\n",
         "requirements": [{"id": "1", "kind": "research", "text": "PSI above 0.2 raises an alert.",
                           "verification": "test", "status": "in-progress"}],
         "ethics": {"pre_development": "in-progress"}}
"""What a level-2 card needs to pass its gates (a research requirement, the level's sections, the
pre-development ethics checklist under way)."""


@pytest.fixture
def site(write, write_card, tmp_path: Path) -> Path:
    # build_date pinned: stale (on by default, a note after a year unchanged) never notes these cards
    write("site/mltrl-docs.yml", "sources: [dossiers]\nglossary: [glossary/org.yml]\nbuild_date: 2025-06-01\n")
    write("site/glossary/org.yml", "mltrl: 1\nterms:\n  - term: Portal\n    definition: The internal site.\n")
    write_card("site/dossiers/a/L2.md", project="A", date="2025-01-01", **GATED)
    write_card("site/dossiers/b/L2.md", project="B", date="2025-01-01", **GATED)
    return tmp_path / "site"




def test_clean_site_exits_0_with_a_summary(site: Path) -> None:
    result = run("check", str(site))
    assert result.exit_code == 0, result.output
    assert result.output == "checked 2 projects, 2 cards (0 invalid), 1 glossary terms: 0 errors, 0 warnings, 0 notes\n"


def test_default_path_is_the_settings_file_here(site: Path) -> None:
    assert run("check", cwd=site).exit_code == 0


def test_no_path_and_no_settings_is_a_usage_error(tmp_path: Path) -> None:
    result = run("check", cwd=tmp_path)
    assert result.exit_code == 2 and "mltrl-docs.yml" in result.output


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    assert run("check", str(tmp_path / "nope")).exit_code == 2


def test_broken_settings_file_is_a_usage_error(write, tmp_path: Path) -> None:
    write("s/mltrl-docs.yml", "source: [dossiers]\n")
    result = run("check", str(tmp_path / "s"))
    assert result.exit_code == 2
    assert "unknown field 'source'" in result.output and "did you mean 'sources'?" in result.output


def test_findings_exit_1_with_located_lines(site: Path, write) -> None:
    write("site/dossiers/b/L3.md", "---\nmltrl: 1\nproject: B\ntitle: t\nlevel: 3\ndate: 2025-02-01\n"
          "status: approvedd\nowners: [x]\ntransition: {from: 2, kind: advance}\n---\n")
    result = run("check", ".", cwd=site)
    assert result.exit_code == 1
    first, hint = result.output.splitlines()[:2]
    assert first == "dossiers/b/L3.md:7:9: error: 'approvedd' is not a valid status (status) [schema]"
    assert hint == "    hint: use one of: draft, in-review, approved, rejected (did you mean 'approved'?)"


def test_warnings_also_exit_1(site: Path, write) -> None:
    write("site/dossiers/a/empty.md", "")
    assert run("check", str(site)).exit_code == 1


def test_json_format(site: Path, write) -> None:
    write("site/dossiers/a/L3.md", "---\nlevel: 3\n---\n")
    result = run("check", "--format", "json", str(site), cwd=site)
    payload = json.loads(result.output)
    assert payload["summary"]["invalid_cards"] == 1 and payload["summary"]["errors"] >= 1
    first = payload["findings"][0]
    assert first["file"] == "dossiers/a/L3.md" and first["line"] == 1 and first["severity"] == "error"
    assert set(first) >= {"rule", "message", "field", "hint", "project", "column"}


def test_github_format(site: Path, write) -> None:
    write("site/dossiers/a/L3.md", "---\nlevel: 3\n---\n")
    result = run("check", "--format", "github", ".", cwd=site)
    line = result.output.splitlines()[0]
    assert line.startswith("::error file=dossiers/a/L3.md,line=1,col=1,title=mltrl-docs schema::")
    assert "%0Ahint: " in line


def test_a_card_path_checks_its_site_but_reports_only_that_card(site: Path, write) -> None:
    write("site/dossiers/a/L3.md", "---\nlevel: 3\n---\n")
    write("site/dossiers/b/bad.md", "---\nlevel: 3\n---\n")
    result = run("check", "dossiers/a/L3.md", cwd=site)
    assert result.exit_code == 1
    assert "dossiers/b/" not in result.output and "dossiers/a/L3.md" in result.output


def test_a_project_folder_path(site: Path, write) -> None:
    write("site/dossiers/a/L3.md", "---\nlevel: 3\n---\n")
    result = run("check", "dossiers/b", cwd=site)
    assert result.exit_code == 0, result.output


def test_a_glossary_path(write, tmp_path: Path) -> None:
    write("g.yml", "mltrl: 1\nterms:\n  - term: X\n")
    result = run("check", "g.yml", cwd=tmp_path)
    assert result.exit_code == 1 and "g.yml:3:5: error: missing required field 'definition'" in result.output


def test_schema_command_writes_the_schemas(tmp_path: Path) -> None:
    result = run("schema", "--out", str(tmp_path / "schemas"))
    assert result.exit_code == 0
    written = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert written == ["bundle.schema.json", "glossary.schema.json", "level-card.schema.json", "settings.schema.json"]
    assert json.loads((tmp_path / "schemas/level-card.schema.json").read_text())["title"].startswith("MLTRL")


def test_schema_command_reports_an_unwritable_folder(write, tmp_path: Path) -> None:
    write("afile", "x")
    result = run("schema", "--out", str(tmp_path / "afile" / "sub"))
    assert result.exit_code == 2 and "cannot write schemas" in result.output


def test_console_script_and_module_entry_point(site: Path) -> None:
    for command in (["mltrl-docs"], [sys.executable, "-m", "mltrl_docs"]):
        result = subprocess.run([*command, "check", str(site)], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("checked 2 projects")


def test_glossary_looks_up_a_term_by_plural_alias_or_team_word(site: Path, write) -> None:
    result = run("glossary", "switchbacks", cwd=site)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Switchback\n('switchbacks' leads here)\n")
    assert "Defined in: the built-in MLTRL glossary" in result.output
    assert run("glossary", "revisit", cwd=site).output.startswith("Switchback\n")
    portal = run("glossary", "--site", str(site), "portal")
    assert portal.exit_code == 0 and "The internal site." in portal.output
    assert f"Defined in: {site / 'glossary' / 'org.yml'}:3" in portal.output or "org.yml:3" in portal.output


def test_glossary_unknown_term_exits_1_with_suggestions(site: Path) -> None:
    result = run("glossary", "swichback", cwd=site)
    assert result.exit_code == 1
    assert "no glossary term 'swichback'; did you mean Switchback" in result.output


def test_glossary_project_scope(site: Path, write) -> None:
    write("site/dossiers/a/glossary.yml", "mltrl: 1\nterms:\n  - term: Portal\n    definition: A's own portal.\n")
    assert "A's own portal." in run("glossary", "portal", "--project", "A", cwd=site).output
    assert "The internal site." in run("glossary", "portal", "--project", "B", cwd=site).output
    listed = run("glossary", "--project", "A", cwd=site).output
    assert "Portal [A]: A's own portal." in listed and "Portal: The internal site." in listed


def test_glossary_exports_json_and_csv(site: Path) -> None:
    """Every field of a glossary file (format 1.1's term source too), then the term's project
    and where it is defined."""
    data = json.loads(run("glossary", "--format", "json", cwd=site).output)
    assert data["mltrl"] == 1.1
    names = [t["term"] for t in data["terms"]]
    assert "Portal" in names and "Switchback" in names and len(names) > 60
    switchback = next(t for t in data["terms"] if t["term"] == "Switchback")
    assert switchback["teams"]["Research"] == "revisit"
    assert (switchback["source"], switchback["defined_in"]) == ("MLTRL (Lavin et al., 2022)", "built-in")
    portal = next(t for t in data["terms"] if t["term"] == "Portal")
    assert portal["source"] is None and portal["defined_in"].endswith("org.yml:3")
    rows = run("glossary", "--format", "csv", cwd=site).output.splitlines()
    assert rows[0] == "term,definition,aliases,teams,see_also,level,source,project,defined_in"
    assert len(rows) == len(names) + 1
    assert any(row.startswith("Portal,The internal site.,,,,,,,") for row in rows)


def test_glossary_shows_and_exports_a_terms_source(write, tmp_path: Path) -> None:
    write("s/mltrl-docs.yml", "sources: [d]\nglossary: [g.yml]\nbuiltin_glossary: false\n")
    write("s/d/.keep", "")
    write("s/g.yml", "mltrl: 1.1\nterms:\n  - term: Judged query\n    definition: A query raters scored.\n"
                     "    source: Search relevance team\n")
    site = str(tmp_path / "s")
    described = run("glossary", "--site", site, "judged query").output
    assert "\nSource: Search relevance team\nDefined in: " in described
    [term] = json.loads(run("glossary", "--site", site, "--format", "json").output)["terms"]
    assert term["source"] == "Search relevance team"
    rows = run("glossary", "--site", site, "--format", "csv", "judged query").output.splitlines()
    assert rows[1].startswith("Judged query,A query raters scored.,,,,,Search relevance team,,")


def test_glossary_csv_defuses_formulas(write, tmp_path: Path) -> None:
    write("s/mltrl-docs.yml", "sources: [d]\nglossary: [g.yml]\nbuiltin_glossary: false\n")
    write("s/d/.keep", "")
    write("s/g.yml", "mltrl: 1\nterms:\n  - term: '=HYPERLINK(\"x\")'\n    definition: '@SUM(1)'\n")
    rows = run("glossary", "--site", str(tmp_path / "s"), "--format", "csv").output.splitlines()
    assert rows[1].startswith("\"'=HYPERLINK(\"\"x\"\")\",'@SUM(1)")


def test_glossary_without_a_site_lists_the_builtin_terms(tmp_path: Path) -> None:
    result = run("glossary", cwd=tmp_path)
    assert result.exit_code == 0 and "Gated review: " in result.output


def test_a_plain_file_outside_any_source_is_skipped_with_a_note_not_a_walk(write, tmp_path: Path) -> None:
    notes = write("notes/todo.md", "# Things to do\n")
    result = run("check", str(notes))
    assert result.exit_code == 0, result.output
    assert "todo.md: note: not a level card, a glossary or a site's settings" in result.output
    assert result.output.endswith("checked 0 projects, 0 cards (0 invalid), 0 glossary terms: "
                                  "0 errors, 0 warnings, 1 note\n")


def test_a_lone_card_outside_any_site_checks_its_own_folder(write_card, tmp_path: Path) -> None:
    card = write_card("loose/p/L2.md", **GATED)
    result = run("check", str(card))
    assert result.exit_code == 0, result.output
    assert "checked 1 projects, 1 cards" in result.output


def test_new_with_the_ethics_checklist_passes_check(site: Path) -> None:
    folder = site / "dossiers" / "c"
    made = run("new", str(folder), "--project", "C", "--title", "Jet tagger", "--owner", "Ada", "--date",
               "2025-01-02", "--ethics-checklist")
    assert made.exit_code == 0, made.output
    assert (folder / "ethics.md").is_file()
    checked = run("check", str(folder), "--format", "json")
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.output)["findings"] == []
    again = run("new", str(folder), "--date", "2025-02-03", "--ethics-checklist", "--force")
    assert again.exit_code == 2
    assert again.output == f"error: {folder / 'ethics.md'} exists already; link it from the card's " \
        "ethics.checklist instead, or leave out --ethics-checklist\n"


def test_new_help_lists_the_ethics_checklist_option() -> None:
    assert "--ethics-checklist" in run("new", "--help").output
