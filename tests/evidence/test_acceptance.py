"""Judging criteria against their files (mltrl_docs/evidence/acceptance.py): every comparison,
test criteria, each file read once and only up to a bound, and every way a file or selector can
fail becoming the criterion's problem (located, naming the file and the selector), never a crash."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES
from mltrl_docs.dossier import build_dossier, load_dossier
from mltrl_docs.evidence import (
    AcceptanceResult,
    EvidenceReport,
    Registry,
    TestCounts,
    evaluate_evidence,
    registry,
)
from mltrl_docs.evidence.jsondoc import JsonReader
from mltrl_docs.findings import Position
from mltrl_docs.model import Comparison

from .support import FakeEntry, PropertiesReader, entry_points

EVIDENCE = FIXTURES / "evidence"
F1 = {"metric": "cirrus F1", "op": ">=", "value": 0.7, "source": "evidence/metrics.json", "select": "test.cirrus.f1"}


def requirement(*criteria: dict[str, Any], status: str = "verified", rid: str = "1") -> dict[str, Any]:
    return {"id": rid, "kind": "research", "text": "The mask shall find thin cirrus.", "verification": "test",
            "status": status, "acceptance": list(criteria)}


@pytest.fixture
def card(tmp_path: Path, write_card: Callable[..., Path]) -> Callable[..., Path]:
    """card(*requirements, name=...) -> a format 1.2 card in src/p/, with the evidence fixtures
    copied to src/p/evidence/."""
    shutil.copytree(EVIDENCE, tmp_path / "src" / "p" / "evidence", dirs_exist_ok=True)

    def _card(*requirements: dict[str, Any], name: str = "L2.md", **fields: Any) -> Path:
        return write_card(f"src/p/{name}", mltrl=1.2, requirements=list(requirements), **fields)

    return _card


def judged(tmp_path: Path, **options: Any) -> EvidenceReport:
    dossier, findings = load_dossier([tmp_path / "src"])
    assert not [f for f in findings if f.severity.value == "error"], findings
    return evaluate_evidence(dossier, **options)


def only(report: EvidenceReport) -> AcceptanceResult:
    [found] = report.requirements.values()
    [result] = found.results
    return result


@pytest.mark.parametrize("op,value,passed", [
    (">=", 0.73, True), (">=", 0.74, False), (">", 0.72, True), (">", 0.73, False),
    ("<=", 0.73, True), ("<=", 0.72, False), ("<", 0.74, True), ("<", 0.73, False),
    ("==", 0.73, True), ("==", 0.7, False), (">=", 1, False), ("<", 1, True),
])
def test_each_comparison_of_the_measured_value_with_the_threshold(tmp_path: Path, card, op: str, value: float,
                                                                  passed: bool) -> None:
    card(requirement({**F1, "op": op, "value": value}))
    result = only(judged(tmp_path))
    assert (result.measured, result.op, result.threshold, result.passed, result.problem) == (
        0.73, Comparison(op), value, passed, None)
    assert result.reader == "JSON" and result.shown == "0.73"
    assert result.file == tmp_path / "src" / "p" / "evidence" / "metrics.json" == result.evidence.resolved


@pytest.mark.parametrize("op,holds", [(">=", [False, True, True]), (">", [False, False, True]),
                                      ("<=", [True, True, False]), ("<", [True, False, False]),
                                      ("==", [False, True, False])])
def test_comparison_holds(op: str, holds: list[bool]) -> None:
    assert [Comparison(op).holds(measured, 2) for measured in (1, 2, 3)] == holds


def test_csv_and_junit_criteria(tmp_path: Path, card) -> None:
    card(requirement({**F1, "source": "evidence/metrics.csv", "select": "snow_ice/f1", "slice": "snow and ice"},
                     {**F1, "source": "evidence/metrics.csv", "select": "2026/09/14/f1"},
                     {"tests": "evidence/junit-pytest.xml", "select": "integration"},
                     {"tests": "evidence/junit-pytest.xml", "select": "tests.test_mask"},
                     {"tests": "evidence/junit-surefire.xml"}))
    results = next(iter(judged(tmp_path).requirements.values())).results
    assert [(r.reader, r.shown, r.passed) for r in results] == [
        ("CSV", "0.64", False), ("CSV", "0.75", True), ("JUnit XML", "1 passed, 1 skipped", True),
        ("JUnit XML", "2 passed, 1 failed", False), ("JUnit XML", "3 passed", True)]
    assert results[2].counts == TestCounts(passed=1, skipped=1) and results[2].measured is None
    assert results[0].criterion.slice == "snow and ice"


def test_a_result_is_located_at_its_criterion(tmp_path: Path, card) -> None:
    path = card(requirement(F1), requirement({**F1, "metric": "F1 again"}, {**F1, "select": "runs.1.f1"}, rid="2"))
    report = judged(tmp_path)
    lines = path.read_text().split("\n")
    starts = [n for n, line in enumerate(lines, 1) if line.lstrip().startswith("- metric:")]
    found = [r for e in report.requirements.values() for r in e.results]
    assert [r.path for r in found] == [("requirements", 0, "acceptance", 0), ("requirements", 1, "acceptance", 0),
                                       ("requirements", 1, "acceptance", 1)]
    assert [r.position.line for r in found] == starts


def test_each_file_is_read_once_per_evaluation(tmp_path: Path, card) -> None:
    reads: list[Path] = []

    class Counting(JsonReader):
        def read(self, data: bytes, path: Path):  # type: ignore[override]
            reads.append(path)
            return super().read(data, path)

    card(requirement(F1, {**F1, "select": "runs.1.f1"}), name="L2.md")
    card(requirement(F1), name="L3.md", level=3, date="2024-09-01", transition={"from": 2, "kind": "advance"})
    report = judged(tmp_path, readers=Registry({".json": Counting()}))
    assert len([r for e in report.requirements.values() for r in e.results]) == 3
    assert [p.name for p in reads] == ["metrics.json"]
    judged(tmp_path, readers=Registry({".json": Counting()}))
    assert len(reads) == 2  # a new evaluation reads it again


# (criterion, the key the problem is at, a part of the problem)
PROBLEMS: list[tuple[dict[str, Any], str, str]] = [
    ({**F1, "select": "test.cirus.f1"}, "select",
     "'evidence/metrics.json' at 'test.cirus.f1': there is no key 'cirus' under test (keys: cirrus, cloud, count)"),
    ({**F1, "select": "test.cirrus.precision"}, "select", "the value is the text 'n/a', not a number, so '>= 0.7'"),
    ({**F1, "select": "test.cirrus.recall"}, "select", "the value is null, not a number"),
    ({**F1, "select": "test.cloud.passed"}, "select", "the value is true, not a number"),
    ({**F1, "select": "runs"}, "select", "the value is a list of 2 items, not a number"),
    ({**F1, "select": "slices"}, "select", "the value is a mapping (keys: snow_ice, water), not a number"),
    ({**F1, "select": "huge"}, "select", "the value is inf, which is not finite, not a number"),
    ({**F1, "source": "evidence/metrics.csv", "select": "water/precision"}, "select", "the text 'n/a'"),
    ({**F1, "source": "evidence/metrics.csv", "select": "snow/f1"}, "select", "there is no row 'snow'"),
    ({**F1, "source": "evidence/malformed.xml"}, "source", "cannot be read as JUnit XML: not well-formed XML"),
    ({**F1, "source": "evidence/junit-pytest.xml", "select": "unit"}, "source",
     "a JUnit XML report holds test results, not values: write it under 'tests:'"),
    ({"tests": "evidence/metrics.csv"}, "tests", "a CSV file holds values, not test results"),
    ({"tests": "evidence/junit-pytest.xml", "select": "tests.test_mas"}, "select",
     "no test suite is named 'tests.test_mas'"),
    ({"tests": "evidence/billion-laughs.xml"}, "tests", "has a DOCTYPE"),
    ({**F1, "source": "evidence/notes.txt"}, "source",
     "no evidence reader reads '.txt' files (readers: .csv, .json, .xml)"),
    ({**F1, "source": "evidence"}, "source", "'evidence' is not a regular file"),
    ({**F1, "source": "https://ci.example.internal/metrics.json"}, "source",
     "'https://ci.example.internal/metrics.json' is a URL; acceptance evidence is a file next to the card"),
]


@pytest.mark.parametrize(("criterion", "key", "problem"), PROBLEMS, ids=[p[2][:40] for p in PROBLEMS])
def test_a_criterion_that_cannot_be_judged_has_a_problem_not_a_crash(tmp_path: Path, card, criterion: dict[str, Any],
                                                                     key: str, problem: str) -> None:
    (tmp_path / "src" / "p" / "evidence" / "notes.txt").write_text("F1 0.73\n")
    card(requirement(criterion))
    result = only(judged(tmp_path))
    assert result.passed is None and result.problem_key == key and not result.reported
    assert result.problem is not None and problem in result.problem, result.problem
    assert result.shown == "not read"


@pytest.mark.parametrize("source,rule", [("evidence/absent.json", "path"), ("/etc/metrics.json", "path"),
                                         ("file:///etc/metrics.json", "url")])
def test_a_missing_file_absolute_path_or_unsafe_url_is_another_rules_finding(tmp_path: Path, card, source: str,
                                                                            rule: str) -> None:
    """Acceptance sources are cited like evidence: the path and url rules report them, once."""
    path = card(requirement({**F1, "source": source}))
    checked = build_dossier([tmp_path / "src"])
    result = only(checked.evidence)
    assert result.passed is None and result.reported and result.problem
    assert [(f.rule, f.field) for f in checked.findings if f.path == path] == [
        (rule, "requirements[0].acceptance[0].source")]
    [finding] = [f for f in checked.findings if f.path == path]
    assert "acceptance evidence of requirement 1" in finding.message


def test_a_file_over_the_bound_is_not_read(tmp_path: Path, card) -> None:
    card(requirement(F1))
    result = only(judged(tmp_path, max_bytes=100))
    assert result.problem is not None and "is 3" in result.problem and "read up to 100 bytes" in result.problem
    assert result.reader == "JSON"


def test_a_reader_that_raises_is_a_problem_naming_the_reader(tmp_path: Path, card) -> None:
    class Broken:
        name = "team metrics"
        suffixes = (".json",)

        def read(self, data: bytes, path: Path) -> object:
            raise RuntimeError("unexpected schema version 3")

    class Evasive(JsonReader):
        name = "evasive"

        def read(self, data: bytes, path: Path):  # type: ignore[override]
            class Document:
                def value(self, select: str) -> object:
                    raise KeyError(select)

                def tests(self, select: str | None) -> TestCounts:
                    raise KeyError(select)
            return Document()

    card(requirement(F1))
    result = only(judged(tmp_path, readers=Registry({".json": Broken()})))  # type: ignore[dict-item]
    assert result.problem == ("the team metrics reader failed on 'evidence/metrics.json': RuntimeError: "
                              "unexpected schema version 3")
    assert result.reader == "team metrics" and result.problem_key == "source"
    result = only(judged(tmp_path, readers=Registry({".json": Evasive()})))
    assert result.problem == ("the evasive reader failed on 'evidence/metrics.json' at 'test.cirrus.f1': "
                              "KeyError: 'test.cirrus.f1'")


def test_a_plug_in_that_failed_to_load_is_named_when_its_file_type_turns_up(tmp_path: Path, card,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    entry_points(monkeypatch, FakeEntry("parquet", "team.parquet:Reader", error=ImportError("no pyarrow")))
    (tmp_path / "src" / "p" / "evidence" / "m.parquet").write_bytes(b"PAR1")
    card(requirement({**F1, "source": "evidence/m.parquet"}))
    result = only(judged(tmp_path))
    assert result.problem is not None and result.problem.endswith(
        "plug-ins that failed to load: parquet: ImportError: no pyarrow")


def test_a_third_party_reader_judges_its_files(tmp_path: Path, card, monkeypatch: pytest.MonkeyPatch) -> None:
    entry_points(monkeypatch, FakeEntry("props", "team.readers:PropertiesReader", PropertiesReader))
    (tmp_path / "src" / "p" / "evidence" / "run.properties").write_text("f1 = 0.68\nrecall = 0.9\n")
    card(requirement({**F1, "source": "evidence/run.properties", "select": "f1"}))
    result = only(judged(tmp_path))
    assert (result.reader, result.measured, result.passed) == ("properties", 0.68, False)
    assert registry().reader(Path("x.properties")) is not None


def test_a_dossier_without_criteria_reads_nothing(tmp_path: Path, write_card, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not even the entry points: the registry is built when a criterion needs it."""
    import importlib.metadata

    def fail(**_: Any) -> None:
        raise AssertionError("entry points looked up")

    monkeypatch.setattr(importlib.metadata, "entry_points", fail)
    write_card("src/p/L2.md")
    assert judged(tmp_path).requirements == {}


def test_the_position_of_a_criterion_written_in_flow_style(tmp_path: Path, write) -> None:
    path = write("src/p/L2.md", "---\nmltrl: 1.2\nproject: C1\ntitle: T\nlevel: 2\ndate: 2024-03-01\n"
                 "status: draft\nowners: [A]\nrequirements:\n  - id: \"1\"\n    kind: research\n    text: T.\n"
                 "    verification: test\n    status: verified\n    acceptance:\n"
                 "      - {op: \">=\", value: 0.7, source: m.json, select: f1}\n---\n")
    write("src/p/m.json", '{"f1": 0.5}')
    result = only(judged(tmp_path))
    assert result.position == Position(16, 9) and result.passed is False and path.exists()


@pytest.mark.parametrize("source", ["../shared/metrics.json", "evidence/linked.json"])
def test_a_file_outside_the_project_folder_is_not_read(tmp_path: Path, card, source: str) -> None:
    """Not even through a symlink: a card must not make the build read, and quote in its findings,
    other files of the machine. The site publishes only files inside the project folder too."""
    shared = tmp_path / "src" / "shared"
    shared.mkdir()
    (shared / "metrics.json").write_text('{"test": {"cirrus": {"f1": 0.9}}}')
    (tmp_path / "src" / "p" / "evidence" / "linked.json").symlink_to(shared / "metrics.json")
    write = card(requirement({**F1, "source": source}))
    result = only(judged(tmp_path))
    assert result.passed is None and not result.reported and result.problem_key == "source"
    assert result.problem == (f"'{source}' is outside the project's folder; "
                              "acceptance evidence is read only from inside it")
    assert write.exists()
