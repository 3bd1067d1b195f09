"""JUnit XML reports (mltrl_docs/evidence/junit.py): outcomes counted per selection, and files
that are no report, malformed, or carry a DOCTYPE refused with a sentence, never a crash."""

from __future__ import annotations

import time

import pytest

from conftest import FIXTURES
from mltrl_docs.evidence import EvidenceError, SelectError, TestCounts
from mltrl_docs.evidence.junit import JUnitReader, parse

EVIDENCE = FIXTURES / "evidence"


def report(name: str = "junit-pytest.xml"):
    return JUnitReader().read((EVIDENCE / name).read_bytes(), EVIDENCE / name)


def test_every_test_of_the_report_by_default() -> None:
    counts = report().tests(None)
    assert counts == TestCounts(passed=4, failed=1, errored=1, skipped=2)
    assert counts.total == 8 and not counts.ok
    assert counts.text == "4 passed, 1 failed, 1 errored, 2 skipped"


@pytest.mark.parametrize("select,counts", [
    ("unit", TestCounts(passed=3, failed=1, errored=1, skipped=1)),
    ("integration", TestCounts(passed=1, skipped=1)),
    ("tests.test_mask", TestCounts(passed=2, failed=1)),
    ("tests.test_mask.", TestCounts(passed=2, failed=1)),
    ("tests.test_mask_v2", TestCounts(passed=1)),
    ("tests.test_mask.test_shadow", TestCounts(passed=1)),
    ("tests.test_mask.test_shadow[snow]", TestCounts(passed=1)),
    ("tests.integration", TestCounts(passed=1, skipped=1)),
    ("tests.test_io", TestCounts(errored=1, skipped=1)),
    ("tests", TestCounts(passed=4, failed=1, errored=1, skipped=2)),
])
def test_a_suite_name_or_a_test_name_prefix_selects(select: str, counts: TestCounts) -> None:
    assert report().tests(select) == counts


def test_a_prefix_ends_at_a_name_boundary() -> None:
    """'tests.test_mask' is the module, not also tests.test_mask_v2; 'tests.test_mas' is nothing."""
    with pytest.raises(SelectError, match=r"no test suite is named 'tests.test_mas' .*suites: integration, unit"):
        report().tests("tests.test_mas")


@pytest.mark.parametrize("select,ok", [("integration", True), ("tests.test_mask_v2", True),
                                       ("tests.test_mask", False), ("tests.test_io", False)])
def test_a_selection_passes_when_nothing_failed_or_errored_and_one_test_passed(select: str, ok: bool) -> None:
    assert report().tests(select).ok is ok


def test_a_selection_that_only_skipped_does_not_pass() -> None:
    counts = report().tests("tests.test_io.test_write_cog")
    assert counts == TestCounts(skipped=1) and not counts.ok


def test_a_surefire_report_with_one_suite_at_the_root_and_a_flaky_pass() -> None:
    surefire = report("junit-surefire.xml")
    assert surefire.tests(None) == TestCounts(passed=3)
    assert surefire.tests("com.example.mask.CloudMaskTest") == TestCounts(passed=3)
    assert surefire.tests("com.example.mask.CloudMaskTest.keepsShadowF1") == TestCounts(passed=1)


def test_a_report_without_test_cases_selects_nothing() -> None:
    with pytest.raises(SelectError, match="holds no test case"):
        parse(b"<testsuites><testsuite name='empty'/></testsuites>").tests(None)


@pytest.mark.parametrize("name,message", [
    ("billion-laughs.xml", "has a DOCTYPE"),
    ("external-entity.xml", "has a DOCTYPE"),
    ("malformed.xml", r"not well-formed XML \(mismatched tag: line 5, column 4\)"),
    ("not-junit.xml", "the root element is <html>, not a JUnit <testsuites> or <testsuite>"),
])
def test_what_is_no_report_is_refused_with_a_reason(name: str, message: str) -> None:
    with pytest.raises(EvidenceError, match=message):
        report(name)


def test_an_entity_bomb_is_refused_before_it_expands() -> None:
    data = (EVIDENCE / "billion-laughs.xml").read_bytes()
    started = time.process_time()  # CPU time: a loaded machine stretches the wall clock, not the work
    with pytest.raises(EvidenceError):
        parse(data)
    assert time.process_time() - started < 0.5


@pytest.mark.parametrize("data", [b"", b"<", b"\xff\xfe<\x00", b"<testsuites>" * 3])
def test_broken_bytes_are_an_evidence_error(data: bytes) -> None:
    with pytest.raises(EvidenceError):
        parse(data)


def test_a_report_holds_no_values() -> None:
    with pytest.raises(EvidenceError, match="write it under 'tests:'"):
        report().value("unit")
