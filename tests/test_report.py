"""Output formats."""

from __future__ import annotations

import json
from pathlib import Path

from mltrl_docs.findings import Finding, Position, Severity
from mltrl_docs.report import Tally, as_json, github_line, location, text_line
from mltrl_docs.repositories import Repository


def finding(**kw) -> Finding:
    base = {"severity": Severity.ERROR, "rule": "schema", "message": "bad", "path": Path.cwd() / "a.md",
            "position": Position(3, 7), "field": "status", "hint": "fix it"}
    base.update(kw)
    return Finding(**base)


def test_text_line() -> None:
    assert text_line(finding()) == "a.md:3:7: error: bad (status) [schema]\n    hint: fix it"
    assert text_line(finding(position=None, field=None, hint=None)) == "a.md: error: bad [schema]"


def test_location_outside_the_working_directory_is_absolute() -> None:
    assert location(finding(path=Path("/elsewhere/x.md"), position=Position(1, 2))) == "/elsewhere/x.md:1:2"


def test_github_line_escapes_data_and_properties() -> None:
    line = github_line(finding(path=Path.cwd() / "a,b:c.md", message="50% off\nnext", severity=Severity.INFO))
    assert line == ("::notice file=a%2Cb%3Ac.md,line=3,col=7,title=mltrl-docs schema::"
                    "50%25 off%0Anext (status)%0Ahint: fix it")


def test_text_output_escapes_line_breaks_so_no_value_can_start_a_ci_command() -> None:
    forged = "::error file=x.md::forged"
    line = text_line(finding(path=Path.cwd() / f"a\n{forged}.md", message=f"bad\r\n{forged}",
                             field=f"f\u2028{forged}", hint=f"h\x85{forged}"))
    lines = line.split("\n")
    assert len(lines) == 2 and lines[1].startswith("    hint: h\\x85::error")
    assert not any(part.lstrip().startswith(("::", "##")) for part in line.splitlines())
    assert "a\\n::error file=x.md::forged.md:3:7: error: bad\\r\\n::error" in lines[0]


def test_a_path_that_would_start_a_command_gets_a_prefix() -> None:
    line = text_line(finding(path=Path.cwd() / "::warning::x.md"))
    assert line.startswith("./::warning::x.md:3:7: error:")


def test_long_messages_are_cut_in_the_middle() -> None:
    long = finding(message="'" + "x" * 100_000 + "' is not a valid status", hint="y" * 5000)
    assert len(long.message) == 600 and long.message.endswith("' is not a valid status")
    assert len(long.hint) == 600


def _repository(root: Path) -> Path:
    (root / ".git").mkdir(parents=True)
    return root


def test_a_file_in_the_same_work_tree_is_named_relative_to_a_sub_folder(tmp_path: Path, monkeypatch) -> None:
    top = _repository(tmp_path / "portal")
    (top / "docs").mkdir()
    monkeypatch.chdir(top / "docs")
    located = finding(path=top / "dossiers" / "p" / "L1.md")
    assert location(located) == "../dossiers/p/L1.md:3:7"
    assert "file=dossiers/p/L1.md,line=3" in github_line(located)  # from the top, as CI maps it


def test_a_checkout_beside_the_repository_is_annotated_from_its_own_top(tmp_path: Path, monkeypatch) -> None:
    portal, team = _repository(tmp_path / "portal"), _repository(tmp_path / "team")
    monkeypatch.chdir(portal)
    located = finding(path=team / "dossiers" / "p" / "L1.md")
    assert location(located) == f"{team.as_posix()}/dossiers/p/L1.md:3:7"
    assert "file=dossiers/p/L1.md,line=3" in github_line(located)


def test_a_source_that_names_its_repository_is_annotated_inside_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(_repository(tmp_path / "portal"))
    source = tmp_path / "portal" / "vendor" / "cards"
    repositories = {source: Repository("https://git.example.org/team/cards", folder="dossiers")}
    located = finding(path=source / "p" / "L1.md")
    line = github_line(located, repositories)
    assert line.startswith("::error file=dossiers/p/L1.md,line=3,col=7,")
    assert "::bad (status)%0Ain https://git.example.org/team/cards: dossiers/p/L1.md%0Ahint: fix it" in line
    entry = json.loads(as_json(Tally(), [located], repositories))["findings"][0]
    assert entry["file"] == "vendor/cards/p/L1.md"
    assert (entry["repository_file"], entry["repository"]) == ("dossiers/p/L1.md", "https://git.example.org/team/cards")
