"""The ``provenance:`` setting, and build_site asking git only when told to."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO
from mltrl_docs.dossier import build_site
from mltrl_docs.provenance import MAX_COMMITS, NO_PROVENANCE, ProvenanceSettings
from mltrl_docs.settings import load_settings

from .support import Repo, needs_git, reviewers
from .test_report import count_git


@pytest.mark.parametrize(("text", "expected"), [
    ("", ProvenanceSettings(True, MAX_COMMITS)),
    ("provenance: false\n", ProvenanceSettings(False, MAX_COMMITS)),
    ("provenance: true\n", ProvenanceSettings(True, MAX_COMMITS)),
    ("provenance: {max_commits: 500}\n", ProvenanceSettings(True, 500)),
    ("provenance: {enabled: false}\n", ProvenanceSettings(False, MAX_COMMITS)),
])
def test_the_setting_is_read(write, text: str, expected: ProvenanceSettings) -> None:
    settings, findings = load_settings(write("site/mltrl-docs.yml", "sources: [d]\n" + text))
    assert findings == [] and settings is not None and settings.provenance == expected


@pytest.mark.parametrize("text", ["provenance: 3\n", "provenance: {max_commits: 0}\n", "provenance: {depth: 3}\n"])
def test_a_wrong_setting_is_a_located_error(write, text: str) -> None:
    settings, findings = load_settings(write("site/mltrl-docs.yml", "sources: [d]\n" + text))
    assert settings is None and [f.line for f in findings] == [2]


def test_the_example_documents_the_defaults(write) -> None:
    text = (REPO / "site_example" / "mltrl-docs.yml").read_text(encoding="utf-8")
    block = text[text.index("# provenance:"):text.index("# limits:")].split("\n# Upper bounds")[0]
    uncommented = "\n".join(line.removeprefix("# ") for line in block.splitlines())
    settings, findings = load_settings(write("site/mltrl-docs.yml", "sources: [d]\n" + uncommented + "\n"))
    assert findings == [] and settings is not None and settings.provenance == ProvenanceSettings()


@needs_git
def test_build_site_asks_git_only_when_told_to_and_the_setting_is_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    repo = Repo(tmp_path / "site")
    repo.card("d/p/L2.md", reviewers=reviewers(("Lin Chen", "approved")))
    repo.write("mltrl-docs.yml", "sources: [d]\n")
    repo.commit("Add", who="Lin Chen")
    settings, _ = load_settings(repo.root / "mltrl-docs.yml")
    assert settings is not None
    calls = count_git(monkeypatch)
    assert build_site(settings).provenance is NO_PROVENANCE and calls == []
    checked = build_site(settings, provenance=True, cache_dir=tmp_path / "cache")
    (card,) = checked.cards
    (found,) = checked.provenance.decisions(card)
    assert found is not None and found.by_reviewer and (tmp_path / "cache" / "provenance.json").is_file()
    assert checked.provenance.findings == () and not any(f.rule == "provenance" for f in checked.findings)
    off, _ = load_settings(repo.write("mltrl-docs.yml", "sources: [d]\nprovenance: false\n"))
    assert off is not None
    calls.clear()
    assert build_site(off, provenance=True).provenance is NO_PROVENANCE and calls == []
