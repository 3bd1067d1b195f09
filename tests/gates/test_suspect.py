"""suspect-evidence (mltrl_docs/gates/suspect.py): the evidence of a project's standing approval
changed after it, by a criterion's sha256 (no git needed) or by git's history (an evidence file
committed after the commit that recorded the approving decision)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from mltrl_docs.dossier import CheckedDossier, build_site
from mltrl_docs.findings import Severity
from mltrl_docs.gates import GateSettings
from mltrl_docs.gates.suspect import file_sha256
from mltrl_docs.settings import Settings
from provenance.support import Repo, needs_git

from .support import (
    METRICS,
    POLICY,
    WriteCard,
    assert_located,
    criterion,
    gates,
    history,
    line_of,
    of,
    one_card,
    req,
    reviewer,
    single,
    with_evidence,
)

PASSING = criterion("test.runs.0.f1")
"""F1 of at least 0.7, read from METRICS' first run (0.71): met, so only the hash is at stake."""


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_a_criterion_whose_file_no_longer_has_its_sha256_is_suspect(write_card: WriteCard, tmp_path: Path) -> None:
    recorded = sha('{"test": {"f1": 0.9}}')
    path = with_evidence(one_card(write_card, 2, requirements=[req("1", acceptance=[{**PASSING, "sha256": recorded}])]),
                         METRICS)
    finding = single(gates(tmp_path), "suspect-evidence")
    assert_located(finding, "suspect-evidence", path, line_of(path, "sha256:"), "requirements[0].acceptance[0].sha256",
                   None)
    assert finding.message == (
        "acceptance evidence 'evidence/metrics.json' of requirement 1 changed after the approval of this level-2 card: "
        f"its SHA-256 is now {sha(METRICS)[:12]}..., not the {recorded[:12]}... recorded at approval")
    assert finding.hint == ("review the changed evidence again; when the review accepts it, write sha256: "
                            + sha(METRICS))
    assert gates(tmp_path).projects["C1"].earned == 2  # a project rule: it never lowers the earned level


def test_a_matching_sha256_is_no_finding(write_card: WriteCard, tmp_path: Path) -> None:
    with_evidence(one_card(write_card, 2, requirements=[req("1", acceptance=[{**PASSING, "sha256": sha(METRICS)}])]),
                  METRICS)
    assert of(gates(tmp_path), "suspect-evidence") == []
    assert file_sha256(tmp_path / "dossiers" / "p" / "evidence" / "metrics.json",
                       (tmp_path / "dossiers" / "p").resolve()) == sha(METRICS)


def test_only_the_standing_approval_is_checked(write_card: WriteCard, tmp_path: Path) -> None:
    """An approval that does not hold (the owner approved it) is no standing approval; the card
    before it is. A later approved card supersedes an earlier one."""
    wrong = {**PASSING, "sha256": "0" * 64}
    paths = history(write_card, [2, 3], {0: {"requirements": [req("1", acceptance=[wrong])]},
                                         1: {"reviewers": [reviewer("Ada Okafor")]}})
    with_evidence(paths[0], METRICS)
    assert single(gates(tmp_path), "suspect-evidence").path == paths[0]
    history(write_card, [2, 3], {0: {"requirements": [req("1", acceptance=[wrong])]}})  # L3 reviewed by Lin Chen
    assert of(gates(tmp_path), "suspect-evidence") == []  # L3 now stands, and its evidence is not pinned


def test_a_file_outside_the_project_or_missing_is_not_hashed(write_card: WriteCard, write, tmp_path: Path) -> None:
    write("outside.json", METRICS)
    folder = (tmp_path / "dossiers" / "p").resolve()
    folder.mkdir(parents=True)
    assert file_sha256(tmp_path / "outside.json", folder) is None
    assert file_sha256(folder / "missing.json", folder) is None
    assert file_sha256(folder, folder.parent) is None  # not a regular file


@pytest.mark.parametrize("severity", ["info", "error"])
def test_the_severity_is_the_sites(severity: str, write_card: WriteCard, tmp_path: Path) -> None:
    with_evidence(one_card(write_card, 2, requirements=[req("1", acceptance=[{**PASSING, "sha256": "1" * 64}])]),
                  METRICS)
    found = of(gates(tmp_path, GateSettings.from_data({"stale": "off", "suspect-evidence": severity})),
               "suspect-evidence")
    assert [f.severity for f in found] == [Severity(severity)]


# --- by git ------------------------------------------------------------------------------------

APPROVED = "2024-03-05T10:00:00+00:00"
LATER = "2024-03-09T10:00:00+00:00"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    return Repo(tmp_path / "repo")


def _build(repo: Repo, provenance: bool = True) -> CheckedDossier:
    settings = Settings(sources=((repo.root / "dossiers").resolve(),), build_date=dt.date(2024, 6, 1),
                        gates=POLICY)
    return build_site(settings, provenance=provenance)


def _approved_card(repo: Repo, **acceptance: object) -> Path:
    """A level-2 card asking for review (Monday), then Lin Chen's approval (Tuesday, APPROVED)."""
    requirements = [req("1", evidence=["evidence/notes.csv"], acceptance=[{**PASSING, **acceptance}])]
    repo.write("dossiers/p/evidence/metrics.json", METRICS)
    repo.write("dossiers/p/evidence/notes.csv", "run,f1\n1,0.71\n")
    repo.card("dossiers/p/L2.md", mltrl=1.2, requirements=requirements, status="in-review",
              reviewers=[{"name": "Lin Chen", "decision": "pending", "date": "2024-03-05"}])
    repo.commit("Ask for review", when="2024-03-04T10:00:00+00:00")
    path = repo.card("dossiers/p/L2.md", mltrl=1.2, requirements=requirements,
                     reviewers=[{"name": "Lin Chen", "decision": "approved", "date": "2024-03-05"}])
    repo.commit("Approve", who="Lin Chen", when=APPROVED)
    return path


@needs_git
def test_evidence_committed_after_the_approving_decision_is_suspect(repo: Repo) -> None:
    path = _approved_card(repo)
    assert of(_build(repo).gates, "suspect-evidence") == []
    repo.write("dossiers/p/evidence/notes.csv", "run,f1\n1,0.71\n2,0.69\n")
    later = repo.commit("Another run", who="Ben Osei", when=LATER)
    checked = _build(repo)
    finding = single(checked.gates, "suspect-evidence")
    assert (finding.path, finding.line, finding.field, finding.severity) == (
        path.resolve(), line_of(path, "decision: approved"), "reviewers[0].decision", Severity.WARNING)
    approval = checked.provenance.approval(checked.cards[0])
    assert approval is not None and approval.commit is not None
    assert finding.message == (
        "evidence of requirement 1 'evidence/notes.csv' changed after the approval of this level-2 card: in commit "
        f"{later[:7]} on 2024-03-09 by Ben Osei; Lin Chen's approval was recorded in commit "
        f"{approval.commit.short} on 2024-03-05")
    assert (finding.hint or "").startswith(
        "review the changed evidence again, then record the reviewer's decision anew")
    assert of(_build(repo, provenance=False).gates, "suspect-evidence") == []  # without git: the hash check only


@needs_git
def test_a_change_not_committed_yet_is_suspect_and_a_matching_hash_settles_git(repo: Repo) -> None:
    _approved_card(repo, sha256=sha('{"test": {"f1": 0.64, "runs": [{"f1": 0.72}]}}'))
    repo.write("dossiers/p/evidence/metrics.json", '{"test": {"f1": 0.64, "runs": [{"f1": 0.72}]}}')
    repo.commit("New metrics, as approved", when=LATER)
    assert of(_build(repo).gates, "suspect-evidence") == []  # committed later, but the hash says it was approved
    repo.write("dossiers/p/evidence/notes.csv", "run,f1\n")
    (finding,) = of(_build(repo).gates, "suspect-evidence")
    assert "'evidence/notes.csv' changed after the approval of this level-2 card: with changes not committed yet" \
        in finding.message
