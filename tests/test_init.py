"""`mltrl-docs init`, and `mltrl-docs new` on the site it writes: from an empty folder to a
checked dossier, with no silent mistakes (issue 13)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_cli as run
from conftest import run_mkdocs
from mltrl_docs import dossier as dossier_module

PROJECT = Path("dossiers/example-project")




@pytest.fixture
def site(tmp_path: Path) -> Path:
    result = run("init", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    return tmp_path / "site"


def test_init_writes_a_site_that_checks_clean_and_builds_strict(site: Path) -> None:
    names = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert [n for n in names if not n.startswith(PROJECT.as_posix())] == \
        ["docs/index.md", "glossary/org.yml", "mkdocs.yml", "mltrl-docs.yml"]
    cards = sorted(p.name for p in (site / PROJECT).glob("L*.md"))
    assert [c[:3] for c in cards] == ["L0-", "L1-"] and (site / PROJECT / "ethics.md").is_file()
    checked = run("check", cwd=site)
    assert checked.exit_code == 0, checked.output
    assert checked.output == ("checked 1 projects, 2 cards (0 invalid), 1 glossary terms: "
                              "0 errors, 0 warnings, 0 notes\n")
    mkdocs = (site / "mkdocs.yml").read_text(encoding="utf-8")
    assert "font: false" in mkdocs and "- search" in mkdocs and "- mltrl:" in mkdocs
    built = run_mkdocs(site / "mkdocs.yml", strict=True, cwd=site)  # `mkdocs build --strict` in the site
    assert built.returncode == 0, built.stderr
    assert "WARNING" not in built.stderr and "unrecognized relative link" not in built.stderr
    assert (site / "site" / "dossier" / "R01.1" / "index.html").is_file()
    assert 'href="dossier/"' in (site / "site" / "index.html").read_text(encoding="utf-8")


def test_init_never_overwrites_without_force(site: Path) -> None:
    (site / "mkdocs.yml").write_text("site_name: mine\n", encoding="utf-8")
    refused = run("init", str(site))
    assert refused.exit_code == 2
    assert "exist already" in refused.output and str(site / "mkdocs.yml") in refused.output
    assert (site / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: mine\n"
    assert run("init", str(site), "--force").exit_code == 0
    assert "mltrl:" in (site / "mkdocs.yml").read_text(encoding="utf-8")


def test_check_finds_the_settings_in_a_parent_folder(site: Path) -> None:
    inside = run("check", cwd=site / PROJECT)
    assert inside.exit_code == 0 and inside.output.startswith("checked 1 projects, 2 cards")


# --- new -----------------------------------------------------------------------------------


def test_new_advances_past_an_approved_card_and_invents_nothing(site: Path) -> None:
    made = run("new", str(site / PROJECT), "--date", "2099-01-01", cwd=site)
    assert made.exit_code == 0, made.output
    text = (site / PROJECT / "L2-2099-01-01.md").read_text(encoding="utf-8")
    assert 'reason: "TODO: why the project moves"' in text and "gated review passed" not in text
    assert "status: draft" in text and "reviewers: []" in text and "forced" not in text
    checked = run("check", "--fail-on", "error", str(site / PROJECT / "L2-2099-01-01.md"), cwd=site)
    assert checked.exit_code == 0, checked.output  # warnings only: a draft may be committed
    assert "transition.reason is a placeholder: 'TODO: why the project moves'" in checked.output
    assert run("check", str(site / PROJECT / "L2-2099-01-01.md"), cwd=site).exit_code == 1  # default: warnings fail


def test_new_refuses_to_advance_past_a_draft_unless_forced_and_records_it(site: Path) -> None:
    assert run("new", str(site / PROJECT), "--date", "2099-01-01", cwd=site).exit_code == 0
    refused = run("new", str(site / PROJECT), "--date", "2099-02-01", cwd=site)
    assert refused.exit_code == 2
    assert "cannot advance yet" in refused.output
    assert "L2-2099-01-01.md is not approved (status: draft)" in refused.output
    assert not (site / PROJECT / "L3-2099-02-01.md").exists()
    forced = run("new", str(site / PROJECT), "--date", "2099-02-01", "--force", cwd=site)
    assert forced.exit_code == 0, forced.output
    text = (site / PROJECT / "L3-2099-02-01.md").read_text(encoding="utf-8")
    assert "# forced by mltrl-docs new --force: L2-2099-01-01.md is not approved (status: draft)\n" in text
    assert re.search(r"\nstatus: draft\n(.*\n)*(# forced by mltrl-docs new --force: .*\n)+transition:\n", text)
    # a switchback needs no approval
    back = run("new", str(site / PROJECT), "--date", "2099-03-01", "--level", "2", "--switchback", "review",
               "--reason", "The review found a leak.", cwd=site)
    assert back.exit_code == 0, back.output


def test_new_refuses_a_card_whose_exit_gates_fail(site: Path) -> None:
    level1 = next((site / PROJECT).glob("L1-*.md"))
    level1.write_text(level1.read_text(encoding="utf-8").replace("## Stage debrief\n", "## Notes\n"), encoding="utf-8")
    refused = run("new", str(site / PROJECT), "--date", "2099-01-01", cwd=site)
    assert refused.exit_code == 2 and "to leave level 1: Answer the Stage debrief" in refused.output


def test_new_names_what_it_ignores(site: Path) -> None:
    made = run("new", str(site / PROJECT), "--date", "2099-01-01", "--project", "X9", "--title", "Other", cwd=site)
    assert made.exit_code == 0
    assert "warning: --project, --title ignored: " in made.output and "holds project R01.1 already" in made.output


@pytest.mark.parametrize(("project_id", "message"), [
    ("R 1", "must start with a letter or digit"), ("..", "must start with a letter or digit"),
    ("levels", "is the name of a page of the dossier site"), ("x" * 65, "the limit is 64"),
])
def test_new_refuses_an_invalid_project_id(site: Path, project_id: str, message: str) -> None:
    refused = run("new", str(site / "dossiers" / "fresh"), "--project", project_id, "--title", "T", "--owner", "A")
    assert refused.exit_code == 2 and message in refused.output
    assert not (site / "dossiers" / "fresh").exists()


def test_new_refuses_a_project_id_another_folder_uses(site: Path) -> None:
    refused = run("new", str(site / "dossiers" / "fresh"), "--project", "R01.1", "--title", "T", "--owner", "A",
                  cwd=site)
    assert refused.exit_code == 2
    assert "project id 'R01.1' is already used by dossiers/example-project/" in refused.output


def test_new_reads_only_its_own_project_folder(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = site / "dossiers" / "other"
    other.mkdir()
    (other / "L0.md").write_text("---\nmltrl: 1\nproject: 'Q2'\nlevel: 0\n---\n", encoding="utf-8")
    loaded: list[Path] = []
    real = dossier_module.load_markdown

    def spy(path: Path, *args, **kwargs):
        loaded.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(dossier_module, "load_markdown", spy)
    assert run("new", str(site / PROJECT), "--date", "2099-01-01", cwd=site).exit_code == 0
    assert loaded and all(path.parent == site / PROJECT for path in loaded)
    taken = run("new", str(site / "dossiers" / "fresh"), "--project", "Q2", "--title", "T", "--owner", "A", cwd=site)
    assert taken.exit_code == 2 and "already used by dossiers/other/" in taken.output
    assert all(path.parent != other for path in loaded)
