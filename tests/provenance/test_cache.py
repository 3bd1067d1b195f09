"""The provenance cache: a second build asks git only where HEAD is; a new commit, a changed
card or a damaged cache file make it ask again, never fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mltrl_docs.provenance import provenance
from mltrl_docs.provenance.cache import CACHE_FILE, FORMAT, Cache

from .support import Repo, dossier, needs_git, only_card, reviewers
from .test_report import THURSDAY, TUESDAY, WEDNESDAY, count_git

pytestmark = needs_git


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    repo = Repo(tmp_path / "repo")
    repo.write("dossiers/p/evidence/run.csv", "a\n1\n")
    repo.card("dossiers/p/L2.md", reviewers=reviewers(("Lin Chen", "approved")))
    repo.card("dossiers/q/L2.md", project="C2", reviewers=reviewers(("Sam Roe", "approved")))
    repo.commit("Add", who="Lin Chen")
    return repo


def summary(report: object) -> object:
    """What a report says, comparable across builds."""
    from mltrl_docs.provenance import ProvenanceReport
    assert isinstance(report, ProvenanceReport)
    return (sorted((str(path), history) for path, history in report.histories.items()),
            sorted((str(path), found) for path, found in report.records.items()), report.repositories,
            report.findings)


def test_a_second_build_asks_git_only_where_head_is(repo: Repo, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = dossier(repo.root / "dossiers")
    calls = count_git(monkeypatch)
    cold = provenance(loaded, tmp_path / "cache")
    # One log: the decisions were written when the cards were added, so no patch is read (and no blame).
    assert sorted(calls) == ["log", "ls-files", "ls-files", "rev-parse", "status"]
    calls.clear()
    warm = provenance(loaded, tmp_path / "cache")
    assert calls == ["rev-parse", "status"]
    assert summary(warm) == summary(cold)
    assert not list((tmp_path / "cache").glob("*.tmp"))


def test_a_new_commit_is_read_on_top_of_the_cache(repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    provenance(dossier(repo.root / "dossiers"), tmp_path / "cache")
    repo.card("dossiers/p/L2.md", reviewers=reviewers(("Lin Chen", "rejected")))
    newer = repo.commit("Reject", who="Ben Osei", when=TUESDAY)
    loaded = dossier(repo.root / "dossiers")
    calls = count_git(monkeypatch)
    report = provenance(loaded, tmp_path / "cache")
    # Only the commit since the cached HEAD, and the one patch its changed decision line needs.
    assert sorted(calls) == ["diff-tree", "log", "ls-files", "ls-files", "merge-base", "rev-parse", "status"]
    assert summary(report) == summary(provenance(loaded))  # as a build without a cache reads it
    card = next(card for card in loaded.cards if card.project_id == "C1")
    history = report.file(card.path)
    assert history is not None and history.changed is not None and history.changed.sha == newer
    (found,) = report.decisions(card)
    assert found is not None and found.commit is not None and found.commit.sha == newer and found.recorded_by_other


def test_commits_since_the_cache_are_joined_to_it_as_a_whole_read_would_tell(
        repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cards edited, renamed, deleted and added, evidence changed, decisions recorded one and
    two changes before the new commits, traced from them into the cached ones: the report is
    the report of a build without a cache, and the next build asks only where HEAD is."""
    repo.card("dossiers/r/L2.md", project="C3", reviewers=reviewers(("Ben Osei", "approved")))
    two = reviewers(("Lin Chen", "approved"), ("Ada Okafor", "pending"))
    repo.card("dossiers/p/L2.md", title="Approved", reviewers=two)
    repo.commit("More cards", who="Ada Okafor", when=TUESDAY)
    provenance(dossier(repo.root / "dossiers"), tmp_path / "cache")
    repo.card("dossiers/p/L2.md", title="Edited later", reviewers=two)
    repo.commit("Retitle", who="Ben Osei", when=WEDNESDAY)
    repo.git("mv", "dossiers/q/L2.md", "dossiers/q/L2-renamed.md")
    repo.git("rm", "-q", "dossiers/r/L2.md")
    repo.card("dossiers/s/L2.md", project="C4", reviewers=reviewers(("Sam Roe", "approved")))
    repo.write("dossiers/p/evidence/run.csv", "a\n2\n")
    repo.commit("Rename, remove, add, rerun", who="Lin Chen", when=THURSDAY)
    loaded = dossier(repo.root / "dossiers")
    calls = count_git(monkeypatch)
    joined = provenance(loaded, tmp_path / "cache")
    assert "merge-base" in calls and "blame" not in calls
    assert summary(joined) == summary(provenance(loaded))
    renamed = only_card_of(loaded, "C2")
    history = joined.file(renamed)
    assert history is not None and history.names == ("dossiers/q/L2.md",) and history.complete
    p = next(card for card in loaded.cards if card.project_id == "C1")
    lin, ada = joined.decisions(p)  # traced through the new commit's patch, then the cached changes' (by their blobs)
    assert lin is not None and lin.commit is not None and lin.commit.subject == "Add"
    assert ada is not None and ada.commit is not None and ada.commit.subject == "More cards"
    calls.clear()
    assert summary(provenance(loaded, tmp_path / "cache")) == summary(joined)
    assert calls == ["rev-parse", "status"]


def test_a_shallow_clone_joins_new_commits_to_its_cache_and_keeps_its_horizon(repo: Repo, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """In a shallow clone the cached boundary (where history stops) stays where it was; the
    commits made in the clone since are read on top of it."""
    repo.card("dossiers/p/L2.md", title="Second", reviewers=reviewers(("Lin Chen", "approved")))
    repo.commit("Retitle", who="Ben Osei", when=TUESDAY)
    clone_root = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone_root), cwd=tmp_path)
    clone = Repo(clone_root)  # (git init in a repository only reinitialises it)
    provenance(dossier(clone_root / "dossiers"), tmp_path / "cache")
    clone.card("dossiers/p/L2.md", title="Third", reviewers=reviewers(("Lin Chen", "approved")))
    clone.commit("Retitle again", who="Sam Roe", when=WEDNESDAY)
    loaded = dossier(clone_root / "dossiers")
    calls = count_git(monkeypatch)
    joined = provenance(loaded, tmp_path / "cache")
    assert "merge-base" in calls
    assert summary(joined) == summary(provenance(loaded))
    history = joined.file(only_card_of(loaded, "C1"))
    assert history is not None and history.shallow and [c.subject for c in history.commits] == ["Retitle again"]
    (repository,) = joined.repositories
    assert repository.shallow and repository.horizon is not None


def test_a_history_rewritten_since_the_cache_is_read_again_whole(repo: Repo, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    repo.card("dossiers/p/L2.md", title="Soon gone", reviewers=reviewers(("Lin Chen", "rejected")))
    repo.commit("To be reset", who="Ben Osei", when=TUESDAY)
    provenance(dossier(repo.root / "dossiers"), tmp_path / "cache")
    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.card("dossiers/p/L2.md", title="Instead", reviewers=reviewers(("Lin Chen", "approved")))
    repo.commit("Instead", who="Lin Chen", when=WEDNESDAY)
    loaded = dossier(repo.root / "dossiers")
    calls = count_git(monkeypatch)
    report = provenance(loaded, tmp_path / "cache")
    # Not an ancestor: the whole log again, then one patch.
    assert calls.count("merge-base") == 1 and calls.count("log") == 1 and calls.count("diff-tree") == 1
    assert summary(report) == summary(provenance(loaded))
    assert all(commit.subject != "To be reset" for history in report.histories.values() for commit in history.commits)


def test_a_locally_changed_card_is_blamed_once_per_content(repo: Repo, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    repo.card("dossiers/p/L2.md", title="Edited here", reviewers=reviewers(("Lin Chen", "approved")))
    loaded = dossier(repo.root / "dossiers")
    calls = count_git(monkeypatch)
    first = provenance(loaded, tmp_path / "cache")
    assert calls.count("blame") == 1
    calls.clear()
    assert summary(provenance(loaded, tmp_path / "cache")) == summary(first)
    assert calls == ["rev-parse", "status"]
    repo.card("dossiers/p/L2.md", title="Edited again", reviewers=reviewers(("Lin Chen", "approved")))
    calls.clear()
    provenance(dossier(repo.root / "dossiers"), tmp_path / "cache")
    assert calls == ["rev-parse", "status", "blame"]


@pytest.mark.parametrize("content", [
    b"{not json", b"\xff\xfe", b"[]", b'{"format": "someone else\'s", "repositories": {}}',
    b'{"format": "' + FORMAT.encode() + b'", "repositories": []}',
])
def test_a_corrupt_or_foreign_cache_is_ignored_and_rewritten(repo: Repo, tmp_path: Path, content: bytes) -> None:
    loaded = dossier(repo.root / "dossiers")
    expected = summary(provenance(loaded))
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / CACHE_FILE).write_bytes(content)
    assert summary(provenance(loaded, tmp_path / "cache")) == expected
    data = json.loads((tmp_path / "cache" / CACHE_FILE).read_text(encoding="utf-8"))
    assert data["format"] == FORMAT and list(data["repositories"]) == [str(repo.root.resolve())]


def test_a_damaged_entry_under_the_right_key_is_read_again(repo: Repo, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = dossier(repo.root / "dossiers")
    expected = summary(provenance(loaded, tmp_path / "cache"))
    file = tmp_path / "cache" / CACHE_FILE
    data = json.loads(file.read_text(encoding="utf-8"))
    (entry,) = data["repositories"].values()
    entry["commits"] = {sha: ["only a name"] for sha in entry["commits"]}
    file.write_text(json.dumps(data), encoding="utf-8")
    calls = count_git(monkeypatch)
    assert summary(provenance(loaded, tmp_path / "cache")) == expected
    assert "log" in calls


def test_a_cache_that_cannot_be_written_is_no_error(repo: Repo, tmp_path: Path) -> None:
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder", encoding="utf-8")
    loaded = dossier(repo.root / "dossiers")
    report = provenance(loaded, blocked / "cache")
    assert report.file(only_card_of(loaded, "C1")) is not None and report.findings == ()


def only_card_of(loaded: object, project: str) -> Path:
    from mltrl_docs.model import Dossier
    assert isinstance(loaded, Dossier)
    return only_card(Dossier({project: loaded.projects[project]})).path


def test_no_cache_dir_means_no_cache(tmp_path: Path) -> None:
    cache = Cache.load(None)
    cache.put("/r", {"key": {}})
    cache.save()
    assert cache.file is None
