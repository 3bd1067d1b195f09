"""Issue 13, item 3: silent mistakes become findings, and one check reports every problem it can.

* frontmatter that looks like a level card but has no ``level:`` is an invalid card, never a page;
* a project id used by two folders belongs to the one whose first card is earlier: the newcomer
  is reported (also when only its card is checked), the existing project stays whole;
* schema errors on a card come with its reference and ``coupled`` errors, in one run.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli
from mltrl_docs.dossier import build_dossier
from mltrl_docs.load import load_markdown
from mltrl_docs.model import Attachment, InvalidCard


def _check(*args: str, cwd: Path) -> tuple[int, list[dict]]:
    result = run_cli("check", "--format", "json", *args, cwd=cwd)
    return result.exit_code, json.loads(result.output)["findings"]


# --- card-like frontmatter without level: ------------------------------------------------

def test_a_misspelt_level_makes_an_invalid_card_with_a_did_you_mean(write) -> None:
    path = write("d/p/L4.md", "---\nmltrl: 1\nproject: C1\ntitle: Drift monitor\nlevle: 4\ndate: 2024-03-01\n"
                              "status: approved\nowners: [Ada Okafor]\n---\nBody.\n")
    loaded, findings = load_markdown(path, "p")
    assert isinstance(loaded, InvalidCard) and loaded.title == "Drift monitor"
    [card] = [f for f in findings if f.rule == "card"]
    assert (card.line, card.column, card.field) == (1, 1, "level")
    assert "has no 'level:'" in card.message and "did you mean 'level' for 'levle' (line 5)" in card.hint
    assert not any(f.message == "missing required field 'level'" for f in findings)  # said once, better
    assert any(f.field == "levle" and "did you mean 'level'" in (f.hint or "") for f in findings)


def test_card_fields_without_level_and_without_a_typo_still_make_an_invalid_card(write) -> None:
    path = write("d/p/L4.md", "---\nproject: C1\ntitle: Drift monitor\nstatus: approved\n---\nBody.\n")
    loaded, findings = load_markdown(path, "p")
    assert isinstance(loaded, InvalidCard)
    [card] = [f for f in findings if f.rule == "card"]
    assert "add 'level: N'" in card.hint


def test_a_page_with_ordinary_frontmatter_stays_a_page(write) -> None:
    for text in ("---\ntitle: Ethics checklist\ntags: [ethics]\nchecklist: mltrl-ethics/1\n---\nx\n",
                 "---\ntitle: Notes\nproject: C1\n---\nx\n", "---\ntitle: Label guide\nlabel: x\n---\nx\n"):
        path = write("d/p/page.md", text)
        loaded, findings = load_markdown(path, "p")
        assert isinstance(loaded, Attachment), text
        assert findings == []


def test_the_project_level_no_longer_drops_silently(write, write_card, tmp_path: Path) -> None:
    write_card("d/p/L3.md", level=3, date="2024-01-01")
    write("d/p/L4.md", "---\nmltrl: 1\nproject: C1\ntitle: Drift monitor\nlevle: 4\ndate: 2024-03-01\n"
                       "status: approved\nowners: [Ada Okafor]\ntransition: {from: 3, kind: advance}\n---\nBody.\n")
    code, findings = _check("d/p/L4.md", cwd=tmp_path)  # only the new file: reported all the same
    assert code == 1 and [f["rule"] for f in findings if f["severity"] == "error"] == ["card", "schema"]
    dossier = build_dossier([tmp_path / "d"])
    assert [c.path.name for c in dossier.invalid_cards] == ["L4.md"] and dossier.projects["C1"].attachments == ()


# --- duplicate project ids ------------------------------------------------------------------

def test_the_earlier_project_keeps_its_id_whatever_the_folder_names(write_card, tmp_path: Path) -> None:
    write_card("d/zeta/L2.md", project="C1", date="2023-01-01")  # existing, sorts last
    write_card("d/zeta/L3.md", project="C1", level=3, date="2023-06-01", transition={"from": 2, "kind": "advance"})
    new = write_card("d/alpha/L2.md", project="C1", date="2024-05-01")  # newcomer, sorts first
    dossier = build_dossier([tmp_path / "d"])
    project = dossier.projects["C1"]
    assert project.folder.name == "zeta" and [c.path.name for c in project.cards] == ["L2.md", "L3.md"]
    [invalid] = project.invalid_cards
    assert invalid.path == new
    [finding] = [f for f in dossier.findings if f.rule == "project-id"]
    assert finding.path == new and (finding.line, finding.field) == (3, "project")
    assert "already used by zeta/ (its first card is dated 2023-01-01), so alpha/ cannot use it" in finding.message
    assert not any(f.path.parent.name == "zeta" and f.severity.value == "error" for f in dossier.findings)


def test_the_duplicate_is_reported_when_only_the_new_card_is_checked(write, write_card, tmp_path: Path) -> None:
    write("site/mltrl-docs.yml", "sources: [dossiers, more]\n")
    write_card("site/more/zeta/L2.md", project="C1", date="2023-01-01")
    write_card("site/dossiers/alpha/L2.md", project="C1", date="2024-05-01")
    code, findings = _check("dossiers/alpha/L2.md", cwd=tmp_path / "site")
    assert code == 1
    [finding] = [f for f in findings if f["rule"] == "project-id"]
    assert finding["file"] == "dossiers/alpha/L2.md" and "../more/zeta/" in finding["message"]
    assert "alpha/" in finding["message"]
    code, findings = _check("more/zeta/L2.md", cwd=tmp_path / "site")  # the existing card: nothing new
    assert not [f for f in findings if f["rule"] == "project-id"]


def test_same_first_date_the_sources_order_decides(write_card, tmp_path: Path) -> None:
    write_card("d/a/L2.md", project="C1")
    b = write_card("d/b/L2.md", project="C1")
    dossier = build_dossier([tmp_path / "d"])
    assert dossier.projects["C1"].folder.name == "a"
    assert [f.path for f in dossier.findings if f.rule == "project-id"] == [b]


# --- one round ------------------------------------------------------------------------------

BROKEN = """---
mltrl: 1
project: C1
title: Drift monitor
level: 2
date: 2024-03-01
status: approvedd
owners: [Ada Okafor]
coupled: [C2x, C2]
links: {docs: ../docs/gone.md}
requirements:
  - id: "1"
    kind: research
    text: The monitor flags drift within a day.
    verification: test
    status: verified
    evidence: [evidence/missing.csv]
  - id: "2"
    kind: researh
    text: Broken requirement.
    verification: test
    status: verified
    evidence: [evidence/also-missing.csv]
---
Body.
"""


def test_schema_reference_and_coupled_errors_come_in_one_run(write, write_card, tmp_path: Path) -> None:
    write_card("d/other/L1.md", project="C2", level=1)
    write("d/p/L2.md", BROKEN)
    code, findings = _check("d/p/L2.md", cwd=tmp_path)
    assert code == 1
    got = sorted((f["line"], f["column"], f["rule"], f["field"]) for f in findings)
    assert got == [
        (7, 9, "schema", "status"),
        (9, 11, "coupled", "coupled[0]"),
        (10, 9, "path", "links.docs"),
        (17, 16, "path", "requirements[0].evidence[0]"),
        (19, 11, "schema", "requirements[1].kind"),
        (23, 16, "path", "requirements[1].evidence[0]"),  # a sibling's error does not touch it
    ]
    coupled = next(f for f in findings if f["rule"] == "coupled")
    assert coupled["message"] == "coupled project 'C2x' does not exist" and coupled["hint"] == "did you mean 'C2'?"


def test_what_an_error_touches_is_not_judged_again(write, tmp_path: Path) -> None:
    write("d/p/L2.md", BROKEN.replace("coupled: [C2x, C2]", "coupled: C2x")
          .replace("evidence: [evidence/missing.csv]", "evidence: evidence/missing.csv"))
    _, findings = _check("d/p/L2.md", cwd=tmp_path)
    rules = sorted((f["rule"], f["field"]) for f in findings)
    assert ("schema", "coupled") in rules and ("schema", "requirements[0].evidence") in rules
    assert not any(rule in ("coupled", "project-id") for rule, _ in rules)
    assert ("path", "requirements[0].evidence[0]") not in rules and ("path", "links.docs") in rules


def test_a_yaml_syntax_error_still_says_only_that(write, tmp_path: Path) -> None:
    write("d/p/L2.md", BROKEN.replace("status: approvedd", "status: [approved"))
    _, findings = _check("d/p/L2.md", cwd=tmp_path)
    assert [f["rule"] for f in findings] == ["yaml"]


def test_a_card_invalid_for_its_project_id_still_has_its_references_checked(write_card, tmp_path: Path) -> None:
    write_card("d/a/L2.md", project="C1", date="2023-01-01")
    write_card("d/b/L2.md", project="C1", date="2024-01-01", links={"docs": "gone.md"}, coupled=["Nope"])
    dossier = build_dossier([tmp_path / "d"])
    rules = sorted(f.rule for f in dossier.findings if f.path.parent.name == "b" and f.severity.value == "error")
    assert rules == ["coupled", "path", "project-id"]
