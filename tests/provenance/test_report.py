"""provenance(): per card and cited file, who created and changed it; per decision, who recorded
it; what a shallow clone, a commit limit or a failing git could not tell; never an exception."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import types
from pathlib import Path

import pytest

from mltrl_docs.findings import Severity
from mltrl_docs.provenance import git as provenance_git
from mltrl_docs.provenance import provenance
from mltrl_docs.provenance import report as provenance_report

from .support import Repo, dossier, needs_git, only_card, reviewers

pytestmark = needs_git

MONDAY = "2024-03-04T09:00:00+01:00"
TUESDAY = "2024-03-05T10:00:00+00:00"
WEDNESDAY = "2024-03-06T11:00:00+00:00"
THURSDAY = "2024-03-07T12:00:00+00:00"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    # Never a repository above tmp_path (the suite may run inside one).
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    return Repo(tmp_path / "repo")


def test_a_card_created_by_one_author_and_changed_by_another(repo: Repo) -> None:
    repo.card("dossiers/p/L2.md", title="Drift monitor")
    first = repo.commit("Add the level-2 card", who="Ada Okafor", when=MONDAY)
    repo.card("dossiers/p/L2.md", title="Drift monitor, v2")
    second = repo.commit("Retitle", who="Ben Osei", when=TUESDAY)
    loaded = dossier(repo.root / "dossiers")
    report = provenance(loaded)
    history = report.file(only_card(loaded).path)
    assert history is not None
    assert [c.sha for c in history.commits] == [second, first]
    assert history.created is not None and history.created.author == "Ada Okafor"
    assert history.created.email == "ada.okafor@example.org" and history.created.subject == "Add the level-2 card"
    assert history.created.authored == dt.datetime(2024, 3, 4, 9, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert history.changed is not None and history.changed.author == "Ben Osei" and history.changed.short == second[:7]
    assert history.complete and not (history.local_changes or history.untracked or history.shallow or history.truncated)
    assert report.findings == () and report.unavailable is None
    (repository,) = report.repositories
    assert repository.root == repo.root.resolve() and repository.head == second and not repository.shallow


def test_a_decision_recorded_by_someone_else_is_flagged_and_the_reviewers_own_is_not(repo: Repo) -> None:
    card = "dossiers/p/L2.md"
    repo.card(card, status="in-review", reviewers=reviewers(("Lin Chen", "pending"), ("Sam Roe", "pending")))
    repo.commit("Ask for review", who="Ada Okafor", when=MONDAY)
    repo.card(card, status="in-review", reviewers=reviewers(("Lin Chen", "approved"), ("Sam Roe", "pending")))
    lin = repo.commit("Approve", who="Lin Chen", mail="LIN.CHEN@example.org", when=TUESDAY)
    repo.card(card, status="approved", reviewers=reviewers(("Lin Chen", "approved"), ("Sam Roe", "approved")))
    ada = repo.commit("Record Sam's approval from the meeting", who="Ada Okafor", when=WEDNESDAY)
    loaded = dossier(repo.root / "dossiers")
    report = provenance(loaded)
    first, second = report.decisions(only_card(loaded))
    assert first is not None and first.commit is not None and first.commit.sha == lin
    assert first.by_reviewer is True and not first.recorded_by_other and first.reviewer == "Lin Chen"
    assert second is not None and second.commit is not None and second.commit.sha == ada
    assert second.by_reviewer is False and second.recorded_by_other
    assert (first.line, second.line) == (only_card(loaded).where("reviewers", 0, "decision").line,
                                         only_card(loaded).where("reviewers", 1, "decision").line)
    approval = report.approval(only_card(loaded))
    assert approval is not None and approval.commit is not None and approval.commit.sha == ada


def test_a_reviewer_is_known_by_the_local_part_of_the_email(repo: Repo) -> None:
    repo.card("dossiers/p/L2.md", reviewers=reviewers(("Lin Chen", "approved")))
    repo.commit("Approve", who="lchen", mail="lin.chen@example.org")
    loaded = dossier(repo.root / "dossiers")
    (found,) = provenance(loaded).decisions(only_card(loaded))
    assert found is not None and found.by_reviewer is True


def test_a_rename_is_followed(repo: Repo) -> None:
    repo.card("dossiers/p/old name.md", reviewers=reviewers(("Ada Okafor", "approved"), ("Lin Chen", "pending")))
    created = repo.commit("Add", who="Ada Okafor", when=MONDAY)
    repo.git("mv", "dossiers/p/old name.md", "dossiers/p/L2 é.md")
    moved = repo.commit("Rename", who="Ben Osei", when=TUESDAY)
    repo.card("dossiers/p/L2 é.md", reviewers=reviewers(("Ada Okafor", "approved"), ("Lin Chen", "approved")))
    approved = repo.commit("Approve", who="Lin Chen", when=WEDNESDAY)
    loaded = dossier(repo.root / "dossiers")
    card = only_card(loaded)
    report = provenance(loaded)
    history = report.file(card.path)
    assert history is not None and [c.sha for c in history.commits] == [approved, moved, created]
    assert history.created is not None and history.created.sha == created
    assert history.names == ("dossiers/p/old name.md",)
    ada, lin = report.decisions(card)
    # Ada's line was written before the rename, and is traced through it.
    assert ada is not None and ada.commit is not None and ada.commit.sha == created and ada.by_reviewer
    assert lin is not None and lin.commit is not None and lin.commit.sha == approved and lin.by_reviewer


def test_a_shallow_clone_says_what_it_could_not_see(repo: Repo, tmp_path: Path) -> None:
    repo.card("dossiers/p/L2.md", reviewers=reviewers(("Lin Chen", "pending")))
    repo.commit("Add", who="Ada Okafor", when=MONDAY)
    repo.card("dossiers/p/L2.md", title="Second title", reviewers=reviewers(("Lin Chen", "pending")))
    repo.commit("Retitle", who="Ben Osei", when=TUESDAY)
    repo.card("dossiers/p/L2.md", title="Second title", reviewers=reviewers(("Lin Chen", "approved")))
    approved = repo.commit("Approve", who="Lin Chen", when=WEDNESDAY)
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "2", f"file://{repo.root}", str(clone), cwd=tmp_path)
    loaded = dossier(clone / "dossiers")
    card = only_card(loaded)
    report = provenance(loaded)
    history = report.file(card.path)
    assert history is not None and history.shallow and not history.complete and history.created is None
    assert [c.sha for c in history.commits] == [approved]  # the boundary commit shows no change of its own
    assert history.horizon is not None and history.horizon.date() == dt.date(2024, 3, 5)
    (found,) = report.decisions(card)
    assert found is not None and found.commit is not None and found.commit.sha == approved and found.by_reviewer
    (repository,) = report.repositories
    assert repository.shallow
    (finding,) = report.findings
    assert finding.severity is Severity.INFO and finding.rule == "provenance"
    assert "history before 2024-03-05 is not in this clone" in finding.message
    assert "git fetch --unshallow" in (finding.hint or "")
    # A line as old as the boundary: the boundary commit is where history stops, not who wrote it.
    shallowest = tmp_path / "shallowest"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.root}", str(shallowest), cwd=tmp_path)
    loaded = dossier(shallowest / "dossiers")
    report = provenance(loaded)
    history = report.file(only_card(loaded).path)
    assert history is not None and history.commits == () and history.shallow
    (found,) = report.decisions(only_card(loaded))
    assert found is not None and found.boundary and found.by_reviewer is None and not found.recorded_by_other


def test_a_folder_outside_git_has_no_provenance_and_no_finding(tmp_path: Path, write_card,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    write_card("plain/p/L2.md")
    loaded = dossier(tmp_path / "plain")
    report = provenance(loaded, tmp_path / "cache")
    assert report.file(only_card(loaded).path) is None and report.decisions(only_card(loaded)) == (None,)
    assert report.findings == () and report.repositories == () and report.unavailable is None
    assert report.approval(only_card(loaded)) is None
    assert report.changed_after(only_card(loaded).path, dt.date(2024, 1, 1)) == ()


def test_without_git_there_is_no_provenance_and_no_error(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.card("dossiers/p/L2.md")
    repo.commit("Add")
    loaded = dossier(repo.root / "dossiers")
    monkeypatch.setenv("PATH", str(repo.root / "no-bin-here"))
    report = provenance(loaded)
    assert report.unavailable is not None and "not installed" in report.unavailable
    assert report.findings == () and report.histories == {}


def test_turned_off_it_asks_nothing(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.card("dossiers/p/L2.md")
    repo.commit("Add")
    loaded = dossier(repo.root / "dossiers")
    calls = count_git(monkeypatch)
    assert provenance(loaded, enabled=False).unavailable == "off" and calls == []


def test_a_repository_with_no_commit_yet(repo: Repo) -> None:
    repo.card("dossiers/p/L2.md")
    repo.card("dossiers/q/L2.md", project="C2")
    repo.git("add", "dossiers/q/L2.md")
    loaded = dossier(repo.root / "dossiers")
    report = provenance(loaded)
    by_project = {card.project_id: card for card in loaded.cards}
    untracked, staged = report.file(by_project["C1"].path), report.file(by_project["C2"].path)
    assert untracked is not None and untracked.untracked and untracked.commits == ()
    assert staged is not None and not staged.untracked and staged.local_changes and staged.created is None
    (found,) = report.decisions(by_project["C2"])
    assert found is not None and found.uncommitted and found.commit is None and found.by_reviewer is None
    assert report.findings == ()
    assert [r.head for r in report.repositories] == [None]


def test_uncommitted_changes_are_reported_as_such(repo: Repo) -> None:
    repo.card("dossiers/p/L2.md", reviewers=reviewers(("Lin Chen", "pending"), ("Sam Roe", "approved")))
    committed = repo.commit("Add", who="Sam Roe")
    repo.card("dossiers/p/L2.md", reviewers=reviewers(("Lin Chen", "approved"), ("Sam Roe", "approved")))
    repo.card("dossiers/q/L2.md", project="C2")
    loaded = dossier(repo.root / "dossiers")
    report = provenance(loaded)
    by_project = {card.project_id: card for card in loaded.cards}
    history = report.file(by_project["C1"].path)
    assert history is not None and history.local_changes and not history.untracked
    assert [c.sha for c in history.commits] == [committed]
    lin, sam = report.decisions(by_project["C1"])
    assert lin is not None and lin.uncommitted and lin.commit is None and lin.by_reviewer is None
    assert sam is not None and sam.commit is not None and sam.commit.sha == committed and sam.by_reviewer
    approval = report.approval(by_project["C1"])
    assert approval is lin  # an approval not committed yet is the latest of all
    new = report.file(by_project["C2"].path)
    assert new is not None and new.untracked and new.commits == ()
    assert all(found is not None and found.uncommitted for found in report.decisions(by_project["C2"]))


def test_evidence_changed_after_the_approval(repo: Repo) -> None:
    evidence = repo.write("dossiers/p/evidence/bench mark.csv", "a,b\n1,2\n")
    requirement = {"id": "1", "kind": "research", "text": "It shall work.", "verification": "test",
                   "status": "verified", "evidence": ["evidence/bench mark.csv"]}
    repo.card("dossiers/p/L2.md", status="in-review", requirements=[requirement],
              reviewers=reviewers(("Lin Chen", "pending")))
    repo.commit("Card and evidence", when=MONDAY)
    repo.card("dossiers/p/L2.md", requirements=[requirement], reviewers=reviewers(("Lin Chen", "approved")))
    approved = repo.commit("Approve", who="Lin Chen", when=TUESDAY)
    evidence.write_text("a,b\n1,3\n", encoding="utf-8")
    changed = repo.commit("New run", who="Ben Osei", when=WEDNESDAY)
    loaded = dossier(repo.root / "dossiers")
    card = only_card(loaded)
    report = provenance(loaded)
    approval = report.approval(card)
    assert approval is not None and approval.commit is not None and approval.commit.sha == approved
    cited = card.requirements[0].evidence[0].resolved
    assert cited is not None
    assert [c.sha for c in report.changed_after(cited, approval.commit)] == [changed]
    assert [c.sha for c in report.changed_after(cited, dt.date(2024, 3, 5))] == [changed]
    assert report.changed_after(cited, dt.datetime(2024, 3, 6, 12)) == ()
    assert report.changed_after(card.path, approval.commit) == ()
    history = report.file(cited)
    assert history is not None and history.created is not None and len(history.commits) == 2


@pytest.mark.parametrize("by_name", [True, False])
def test_a_decision_recorded_long_ago_is_traced_back_through_only_the_patches_it_needs(
        repo: Repo, monkeypatch: pytest.MonkeyPatch, by_name: bool) -> None:
    """The approval is six changes old: the patches are read in rounds of 1, 1, 2 and 4 changes
    (newest first), the answer is git blame's, and a card whose newest change recorded its
    decision costs no second round; the same whether a round names its files or (as with many
    files) reads every card's patch in its commits."""
    if not by_name:
        monkeypatch.setattr(provenance_report, "MAX_PATCH_PATHS", 0)
    card, other = "dossiers/p/L2.md", "dossiers/q/L2.md"
    repo.card(card, title="Start", reviewers=reviewers(("Lin Chen", "pending")))
    repo.card(other, project="C2", title="Start", reviewers=reviewers(("Sam Roe", "pending")))
    repo.commit("Start", when=MONDAY)
    repo.card(card, title="Start", reviewers=reviewers(("Lin Chen", "approved")))
    approved = repo.commit("Approve", who="Lin Chen", when=TUESDAY)
    for step in range(6):
        repo.card(card, title=f"Edit {step}", reviewers=reviewers(("Lin Chen", "approved")))
        repo.commit(f"Edit {step}", who="Ben Osei", when=WEDNESDAY)
    repo.card(other, project="C2", title="Start", reviewers=reviewers(("Sam Roe", "approved")))
    sam = repo.commit("Record Sam's approval", who="Ada Okafor", when=THURSDAY)
    loaded = dossier(repo.root / "dossiers")
    calls = count_git(monkeypatch)
    report = provenance(loaded)
    # The history, then patches in rounds of 1, 1, 2 and 4 changes.
    assert calls.count("log") == 1 and calls.count("diff-tree") == 4 and "blame" not in calls
    first, second = sorted(loaded.cards, key=lambda c: c.project_id)
    (lin,) = report.decisions(first)
    (recorded,) = report.decisions(second)
    assert lin is not None and lin.commit is not None and lin.commit.sha == approved and lin.by_reviewer
    assert recorded is not None and recorded.commit is not None and recorded.commit.sha == sam
    assert recorded.recorded_by_other
    line = first.where("reviewers", 0, "decision").line
    blamed = repo.git("blame", "--porcelain", "-L", f"{line},{line}", "--", card)
    assert blamed.split()[0] == approved


def test_a_commit_that_touched_every_card_costs_linear_work_to_match(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A commit that edited every card (a bulk migration) gives each card its own change of
    the commit by lookup, not by a scan of all the commit's changes per card (which made a
    clone's first build quadratic in the cards): four times the cards, about four times the
    Python lines run matching the patches to the cards (sixteen times when quadratic)."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.setattr(provenance_report, "MAX_PATCH_PATHS", 0)
    work = [_lines_matching_a_bulk_commit(Repo(tmp_path / str(count)), count) for count in (6, 24)]
    assert work[1] <= 5 * work[0], work


def _lines_matching_a_bulk_commit(repo: Repo, count: int) -> int:
    cards = [f"dossiers/p{number}/L2.md" for number in range(count)]
    for number, card in enumerate(cards):
        repo.card(card, project=f"C{number}", title="Start", reviewers=reviewers(("Lin Chen", "pending")))
    repo.commit("Start all", who="Ben Osei", when=MONDAY)
    for number, card in enumerate(cards):
        repo.card(card, project=f"C{number}", title="Start", reviewers=reviewers(("Lin Chen", "approved")))
    approved = repo.commit("Approve all", who="Lin Chen", when=TUESDAY)
    for number, card in enumerate(cards):
        repo.card(card, project=f"C{number}", title="Migrated", reviewers=reviewers(("Lin Chen", "approved")))
    repo.commit("Migrate all", who="Ben Osei", when=WEDNESDAY)
    loaded = dossier(repo.root / "dossiers")
    lines = 0

    def trace(frame: types.FrameType, event: str, arg: object) -> object:
        nonlocal lines
        if not frame.f_code.co_qualname.startswith("_Reader._read_patches"):
            return None
        lines += event == "line"
        return trace

    sys.settrace(trace)
    try:
        report = provenance(loaded)
    finally:
        sys.settrace(None)
    for card in loaded.cards:
        (found,) = report.decisions(card)
        assert found is not None and found.commit is not None and found.commit.sha == approved
    return lines


def test_a_repository_configured_to_print_otherwise_is_read_the_same(repo: Repo) -> None:
    """Settings a team may have that change what git prints (context lines, hunks merged across
    a gap, another diff algorithm, prefixes, colour, quoting, a default log format, renames off)
    do not change what the history says: the patches are read with plumbing and pinned options."""
    card = "dossiers/p/L2.md"
    lines = [f"Line {number}." for number in range(30)]
    repo.card(card, title="Start", reviewers=reviewers(("Lin Chen", "pending")), body="\n".join(lines))
    repo.commit("Start", when=MONDAY)
    repo.card(card, title="Start", reviewers=reviewers(("Lin Chen", "approved")), body="\n".join(lines))
    approved = repo.commit("Approve", who="Lin Chen", when=TUESDAY)
    lines[3], lines[25] = "Line three, edited.", "Line twenty-five, edited."
    repo.card(card, title="Edited", reviewers=reviewers(("Lin Chen", "approved")), body="\n".join(lines))
    edited = repo.commit("Edit", who="Ben Osei", when=WEDNESDAY)
    loaded = dossier(repo.root / "dossiers")
    plain = provenance(loaded)
    for key, value in [("diff.context", "8"), ("diff.interHunkContext", "40"), ("diff.algorithm", "patience"),
                       ("diff.indentHeuristic", "false"), ("diff.noprefix", "true"), ("diff.mnemonicPrefix", "true"),
                       ("diff.renames", "false"), ("diff.suppressBlankEmpty", "true"), ("color.ui", "always"),
                       ("core.quotePath", "true"), ("format.pretty", "oneline"), ("log.decorate", "full"),
                       ("log.showSignature", "true"), ("log.mailmap", "false"), ("diff.relative", "true")]:
        repo.git("config", key, value)
    configured = provenance(loaded)
    (found,) = configured.decisions(only_card(loaded))
    assert found is not None and found.commit is not None and found.commit.sha == approved
    history = configured.file(only_card(loaded).path)
    assert history is not None and history.changed is not None and history.changed.sha == edited
    assert configured.decisions(only_card(loaded)) == plain.decisions(only_card(loaded))
    assert configured.file(only_card(loaded).path) == plain.file(only_card(loaded).path)
    assert not configured.findings


def test_a_patch_git_does_not_give_leaves_the_card_to_git_blame(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the round of patches fails, the answer still comes (from git blame), and what
    failed is said."""
    card = "dossiers/p/L2.md"
    repo.card(card, reviewers=reviewers(("Lin Chen", "pending")))
    repo.commit("Start", when=MONDAY)
    repo.card(card, reviewers=reviewers(("Lin Chen", "approved")))
    approved = repo.commit("Approve", who="Lin Chen", when=TUESDAY)
    real = subprocess.run

    def run(args: list[str], **kwargs: object) -> object:
        if "diff-tree" in args:
            return subprocess.CompletedProcess(args, 128, b"", b"fatal: bad object\n")
        return real(args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(provenance_git.subprocess, "run", run)
    loaded = dossier(repo.root / "dossiers")
    report = provenance(loaded)
    (found,) = report.decisions(only_card(loaded))
    assert found is not None and found.commit is not None and found.commit.sha == approved
    (finding,) = report.findings
    assert "git diff-tree failed (fatal: bad object)" in finding.message


def test_a_merge_that_changed_a_card_is_left_to_git_blame(repo: Repo) -> None:
    card = "dossiers/p/L2.md"
    repo.card(card, title="Base", reviewers=reviewers(("Lin Chen", "pending")))
    repo.commit("Base", when=MONDAY)
    repo.git("checkout", "-q", "-b", "side")
    repo.card(card, title="Side", reviewers=reviewers(("Lin Chen", "approved")))
    side = repo.commit("Side approves", who="Lin Chen", when=TUESDAY)
    repo.git("checkout", "-q", "main")
    repo.card(card, title="Main", reviewers=reviewers(("Lin Chen", "pending")))
    repo.commit("Main retitles", who="Ben Osei", when=WEDNESDAY)
    subprocess.run(["git", "-C", str(repo.root), "merge", "-q", "side"], capture_output=True, check=False)
    repo.card(card, title="Merged", reviewers=reviewers(("Lin Chen", "approved")))
    repo.git("add", "-A")
    repo.git("commit", "-q", "--no-edit", who="Ben Osei", when=THURSDAY)
    loaded = dossier(repo.root / "dossiers")
    (found,) = provenance(loaded).decisions(only_card(loaded))
    assert found is not None and found.commit is not None and found.commit.sha == side and found.by_reviewer


def test_the_commit_limit_cuts_the_history_and_says_so(repo: Repo) -> None:
    repo.card("dossiers/p/L2.md", title="One")
    repo.commit("One", when=MONDAY)
    repo.card("dossiers/p/L2.md", title="Two")
    repo.commit("Two", when=TUESDAY)
    repo.card("dossiers/p/L2.md", title="Three")
    repo.commit("Three", when=WEDNESDAY)
    loaded = dossier(repo.root / "dossiers")
    report = provenance(loaded, max_commits=2)
    history = report.file(only_card(loaded).path)
    assert history is not None and history.truncated and not history.shallow and len(history.commits) == 2
    assert history.created is None and history.horizon is not None
    (finding,) = report.findings
    assert "only the newest 2 commits were read" in finding.message and "max_commits" in (finding.hint or "")
    (found,) = report.decisions(only_card(loaded))
    assert found is not None and found.boundary and found.commit is None


def test_git_that_fails_is_one_info_finding_per_repository(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.card("dossiers/p/L2.md")
    repo.card("dossiers/q/L2.md", project="C2")
    repo.commit("Add")
    loaded = dossier(repo.root / "dossiers")
    real = subprocess.run

    def run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        if "log" in args:
            return subprocess.CompletedProcess(args, 128, b"", f"fatal: bad object in {repo.root}/.git\n".encode())
        return real(args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(provenance_git.subprocess, "run", run)
    report = provenance(loaded)
    (finding,) = report.findings
    assert finding.severity is Severity.INFO and finding.path == repo.root.resolve()
    assert finding.message.startswith("provenance of repository 'repo': git could not answer: git log failed")
    assert str(repo.root) not in finding.message  # no build-machine folders in a published message
    assert all(report.file(card.path) is None for card in loaded.cards)


@pytest.mark.parametrize("failure", [subprocess.TimeoutExpired(["git"], 1.0), PermissionError("git"), OSError("disk")])
def test_git_that_hangs_or_cannot_start_never_raises(repo: Repo, monkeypatch: pytest.MonkeyPatch,
                                                     failure: Exception) -> None:
    repo.card("dossiers/p/L2.md")
    repo.commit("Add")
    loaded = dossier(repo.root / "dossiers")

    def run(*args: object, **kwargs: object) -> None:
        raise failure

    monkeypatch.setattr(provenance_git.subprocess, "run", run)
    report = provenance(loaded)
    assert report.histories == {} and report.unavailable is None


def test_a_folder_named_like_pathspec_magic_is_read_literally(repo: Repo) -> None:
    repo.card("dossiers/:(exclude)p [x]*/L2.md")
    created = repo.commit("Add")
    repo.card("dossiers/other/L2.md", project="C2")
    repo.commit("Add another")
    loaded = dossier(repo.root / "dossiers")
    report = provenance(loaded)
    card = next(card for card in loaded.cards if card.project_id == "C1")
    history = report.file(card.path)
    assert history is not None and [c.sha for c in history.commits] == [created]
    (found,) = report.decisions(card)
    assert found is not None and found.commit is not None and found.commit.sha == created


def test_the_environment_keeps_git_local_and_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_DIR", "/elsewhere/.git")
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", "'diff.noprefix'='true'")
    env = provenance_git.environment()
    assert "GIT_DIR" not in env and "GIT_CONFIG_PARAMETERS" not in env
    assert env["GIT_TERMINAL_PROMPT"] == "0" and env["GIT_OPTIONAL_LOCKS"] == "0" and env["LC_ALL"] == "C"
    assert env["GIT_ALLOW_PROTOCOL"] == "" and env["GIT_NO_LAZY_FETCH"] == "1"


def count_git(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the git subcommand of every run from now on."""
    calls: list[str] = []
    real = subprocess.run

    def run(args: list[str], **kwargs: object) -> object:
        calls.append(next(arg for arg in args[3:] if not arg.startswith("-") and "=" not in arg))
        return real(args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(provenance_git.subprocess, "run", run)
    return calls


def log_pathspecs(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The pathspecs (what follows ``--``) of every ``git log`` run from now on."""
    specs: list[list[str]] = []
    real = subprocess.run

    def run(args: list[str], **kwargs: object) -> object:
        if "log" in args:
            specs.append(args[args.index("--") + 1:])
        return real(args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(provenance_git.subprocess, "run", run)
    return specs


def dossier_repository(root: Path) -> Repo:
    """A repository of cards with a README and a site config beside them: commits that touch only
    those, a card renamed, a card deleted, decisions recorded by others."""
    repo = Repo(root)
    repo.write("README.md", "# Dossiers\n")
    repo.write("mkdocs.yml", "site_name: Dossiers\n")
    repo.card("dossiers/p/L2.md", reviewers=reviewers(("Lin Chen", "approved")))
    repo.card("dossiers/q/L2.md", project="C2")
    repo.card("dossiers/q/L3-old.md", project="C2", level=3)
    for run in range(20):  # the sources hold far more files than the rest
        repo.write(f"dossiers/p/evidence/run-{run}.csv", f"a\n{run}\n")
    repo.commit("Add", who="Ada Okafor", when=MONDAY)
    repo.write("README.md", "# Dossiers\n\nRead me.\n")
    repo.commit("Only the README", who="Sam Roe", when=TUESDAY)
    repo.git("mv", "dossiers/q/L2.md", "dossiers/q/L2-renamed.md")
    repo.git("rm", "-q", "dossiers/q/L3-old.md")
    repo.card("dossiers/p/L2.md", reviewers=reviewers(("Lin Chen", "approved"), ("Sam Roe", "approved")))
    repo.commit("Rename, delete, review", who="Lin Chen", when=WEDNESDAY)
    repo.write("mkdocs.yml", "site_name: Dossiers of C1\n")
    repo.commit("Only the config", who="Sam Roe", when=THURSDAY)
    return repo


def test_a_dossier_repository_is_read_without_a_pathspec_and_says_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The log of a repository that holds little besides the cards is asked without a pathspec
    (git then diffs each commit once, not twice); what it says is what the pathspec'd log says."""
    from .test_cache import summary
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    repo = dossier_repository(tmp_path / "repo")
    loaded = dossier(repo.root / "dossiers")
    specs = log_pathspecs(monkeypatch)
    whole = provenance(loaded)
    assert specs == [[]]
    monkeypatch.setattr(provenance_report, "WHOLE_SHARE", 100)  # now the two other files outweigh the sources
    specs.clear()
    narrowed = provenance(loaded)
    assert specs == [[":(literal)dossiers"]]
    assert summary(whole) == summary(narrowed)
    card = repo.root / "dossiers" / "p" / "L2.md"
    history = whole.file(card)
    assert history is not None and [c.subject for c in history.commits] == ["Rename, delete, review", "Add"]
    renamed = whole.file(repo.root / "dossiers" / "q" / "L2-renamed.md")
    assert renamed is not None and [c.subject for c in renamed.commits] == ["Rename, delete, review", "Add"]
    assert not any(str(path).endswith(("README.md", "mkdocs.yml")) for path in whole.histories)


def test_a_repository_of_code_with_a_few_cards_keeps_the_pathspec(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Cards beside code: the log names the sources, so git never diffs the code's commits."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    repo = Repo(tmp_path / "repo")
    for index in range(10):
        repo.write(f"src/module_{index}.py", f"VALUE = {index}\n")
    repo.card("docs/dossiers/p/L2.md", reviewers=reviewers(("Lin Chen", "approved")))
    repo.commit("Code and a card", when=MONDAY)
    repo.write("src/module_0.py", "VALUE = 10\n")
    repo.commit("Only code", when=TUESDAY)
    loaded = dossier(repo.root / "docs" / "dossiers")
    specs = log_pathspecs(monkeypatch)
    report = provenance(loaded)
    assert specs == [[":(literal)docs/dossiers"]]
    history = report.file(repo.root / "docs" / "dossiers" / "p" / "L2.md")
    assert history is not None and [c.subject for c in history.commits] == ["Code and a card"]
