"""Nothing lost: every Markdown file under a source is in the site (as a card, an invalid
card or an attachment page) or named by a finding (the file itself, or the hidden or
skipped folder that holds it). Checked by walking each source with os.walk, hidden
folders included, on the example site and on a generated source full of mistakes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import REPO, card_text
from mltrl_docs.dossier import build_dossier, build_site
from mltrl_docs.findings import Severity
from mltrl_docs.model import Dossier
from mltrl_docs.settings import load_settings


def lost(dossier: Dossier, sources: tuple[Path, ...] | list[Path]) -> list[str]:
    """Markdown files under ``sources`` that are neither shown by the site nor named by a finding."""
    shown = {card.path for card in dossier.cards} | {card.path for card in dossier.invalid_cards}
    shown |= {page.path for project in dossier.projects.values() for page in project.attachments}
    named = {finding.path for finding in dossier.findings}
    not_read = {finding.path for finding in dossier.findings if finding.rule == "hidden"}
    missing: list[str] = []
    for source in sources:
        for folder, _, files in os.walk(source):  # every folder, hidden ones too; links not followed
            for name in files:
                path = Path(folder) / name
                if not name.lower().endswith(".md") or path in shown or path in named:
                    continue
                if not any(parent in not_read for parent in path.parents):
                    missing.append(path.relative_to(source).as_posix())
    return missing


def test_nothing_is_lost_from_the_example_site() -> None:
    settings, findings = load_settings(REPO / "site_example" / "mltrl-docs.yml")
    assert settings is not None and findings == []
    dossier = build_site(settings)
    assert lost(dossier, settings.sources) == []
    assert len(dossier.cards) > 20  # the walk really looked at the example's cards


@pytest.fixture
def messy(write, write_card, tmp_path: Path) -> Path:
    """A source with every kind of mistake a team makes, next to good projects."""
    write_card("src/good/L1.md", level=1, project="G1")
    write_card("src/good/L2.MD", level=2, date="2024-06-01", project="G1", transition={"from": 1, "kind": "advance"})
    write("src/good/ethics.md", "# Ethics checklist\n")
    write("src/good/sub/notes.md", "# Notes\n")
    write("src/good/empty.md", "")
    write("src/good/escape.md", "# Colours\n\n\x1b[31mred\x1b[0m\n")
    write("src/good/diagram.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300))
    write("src/good/huge.md", "# Huge\n" + "x" * 1_100_000)
    write("src/good/.hidden.md", "# Hidden\n")
    write("src/good/.notes/idea.md", "# Idea\n")
    write("src/good/node_modules/pkg/README.md", "# Package\n")
    write("src/good/__pycache__/stray.md", "# Stray\n")
    write("src/good/page.markdown", "# Not read\n")
    os.symlink("ethics.md", tmp_path / "src/good/ethics-link.md")
    os.symlink("self.md", tmp_path / "src/good/self.md")
    os.symlink("gone.md", tmp_path / "src/good/broken.md")
    write("outside/secret.md", "# Secret\n")
    os.symlink(tmp_path / "outside/secret.md", tmp_path / "src/good/leak.md")
    os.mkfifo(tmp_path / "src/good/pipe.md")
    os.mkfifo(tmp_path / "src/top-pipe.md")
    os.symlink(tmp_path / "src/good", tmp_path / "src/alias")
    write_card("src/invalid/L2.md", status="finished", project="I1")
    write("src/invalid/attachment.md", "# Still a page\n")
    write("src/broken/L1.md", "---\nlevel: 1\ntitle: [unclosed\n---\n")
    write("src/broken/page.md", "---\ntitle: [x\n---\n# Page\n")
    write("src/broken/unclosed.md", "---\ntitle: x\n\n# Page\n")
    write("src/broken/bell.md", card_text(project="B1", title="Bell").replace("title: Bell", 'title: "Bell\\a"'))
    write_card("src/x-clash/L1.md", project="G1")
    write("src/x-clash/page.md", "# Clash page\n")
    write_card("src/mixed/L1.md", project="M1")
    write_card("src/mixed/L2.md", project="M2", level=3, date="2024-09-01")
    write("src/docs/guide.md", "# Guide\n")
    write("src/docs/faq.md", "# FAQ\n")
    (tmp_path / "src/empty").mkdir()
    write("src/README.md", "# About these dossiers\n")
    write_card("src/L9.md", level=9)
    write("src/.drafts/p/L1.md", card_text())
    return tmp_path / "src"


def test_nothing_is_lost_from_a_source_full_of_mistakes(messy: Path) -> None:
    dossier = build_dossier([messy])
    assert lost(dossier, [messy]) == []
    by_path = {}
    for finding in dossier.findings:
        by_path.setdefault(finding.path.relative_to(messy.parent).as_posix(), []).append(finding)
    rules = {path: sorted({f.rule for f in found}) for path, found in by_path.items()}
    assert rules["src/README.md"] == ["layout"] and rules["src/L9.md"] == ["layout"]
    assert rules["src/.drafts"] == ["hidden"] and rules["src/good/node_modules"] == ["hidden"]
    assert rules["src/good/.hidden.md"] == ["hidden"] and rules["src/good/.notes"] == ["hidden"]
    assert rules["src/good/self.md"] == ["symlink"] and rules["src/good/broken.md"] == ["symlink"]
    assert rules["src/good/leak.md"] == ["symlink"] and rules["src/alias"] == ["symlink"]
    assert rules["src/good/pipe.md"] == ["io"] == rules["src/top-pipe.md"]
    assert rules["src/good/page.markdown"] == ["layout"]
    assert rules["src/good/diagram.md"] == ["encoding"] and rules["src/good/huge.md"] == ["limit"]
    assert rules["src/good/escape.md"] == ["control-character"]
    [folder] = by_path["src/docs"]
    assert folder.severity is Severity.WARNING and "no level card" in folder.message
    assert rules["src/docs/guide.md"] == ["layout"] and rules["src/docs/faq.md"] == ["layout"]
    assert rules["src/x-clash/page.md"] == ["project-id"]
    assert "src/empty" not in rules  # nothing in it, nothing to say
    pages = {page.path.name for page in dossier.projects["G1"].attachments}
    assert {"ethics.md", "ethics-link.md", "notes.md", "empty.md", "escape.md"} <= pages
    assert {card.path.name for card in dossier.invalid_cards} >= {"L2.md", "L1.md", "bell.md"}


def test_a_folder_of_pages_linked_from_cards_is_a_note_not_a_warning(write, write_card, tmp_path: Path) -> None:
    write_card("src/p/L2.md", links={"docs": "../docs/guide.md"})
    write("src/docs/guide.md", "# Guide\n")
    dossier = build_dossier([tmp_path / "src"])
    folder = next(f for f in dossier.findings if f.path == tmp_path / "src/docs")
    assert folder.severity is Severity.INFO and folder.message.endswith("(cards link to them)")
    assert lost(dossier, [tmp_path / "src"]) == []
