"""JUnit XML test reports (pytest's ``--junitxml``, Maven Surefire, most CI tools): each test's
outcome, selected by suite name or test-name prefix.

The file is parsed with expat directly, and any DOCTYPE is refused before it is read. A
DOCTYPE is where entities are declared, and the standard library's XML parsers expand internal
entities: a few hundred bytes of nested entities ("billion laughs") become gigabytes, and
external entities could name files on the build machine. Test reports never need a DOCTYPE, so
refusing it (as defusedxml does, without adding a dependency) costs nothing. Only element names
and attributes are kept: no text, no tree of the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from xml.parsers import expat

from mltrl_docs.evidence.readers import EvidenceError, SelectError, TestCounts

SEPARATORS = ".:[/"
"""What may follow a test-name prefix: 'tests.test_mask' selects 'tests.test_mask.test_x' and
'tests.test_mask::test_x', never 'tests.test_mask_v2.test_x'."""


class _Refused(Exception):
    """Raised inside expat's handlers to stop the parse at a DOCTYPE or entity."""


@dataclass(frozen=True, slots=True)
class TestCase:
    __test__ = False  # a name pytest would otherwise try to collect as a test class

    name: str
    """``classname.name`` (or the name alone when there is no classname)."""
    suites: tuple[str, ...]
    """The names of the suites it is in, outermost first."""
    outcome: str
    """passed, failed, errored or skipped."""


@dataclass(frozen=True, slots=True)
class JUnitReport:
    """Every test case of one report."""

    cases: tuple[TestCase, ...]

    def value(self, select: str) -> object:
        raise EvidenceError("a JUnit XML report holds test results, not values: "
                            "write it under 'tests:' (every selected test must pass)")

    def tests(self, select: str | None) -> TestCounts:
        select = select or None
        chosen = [case for case in self.cases if select is None or _selects(select, case)]
        if not chosen:
            if select is None:
                raise SelectError("the report holds no test case")
            raise SelectError(f"no test suite is named '{select}' and no test name starts with it"
                              + _known(self.cases))
        counts = {"passed": 0, "failed": 0, "errored": 0, "skipped": 0}
        for case in chosen:
            counts[case.outcome] += 1
        return TestCounts(**counts)


def _selects(select: str, case: TestCase) -> bool:
    """A suite of that name, or a test name with that prefix ending at a name boundary."""
    if select in case.suites or case.name == select:
        return True
    if not case.name.startswith(select):
        return False
    return select[-1] in SEPARATORS or case.name[len(select)] in SEPARATORS


def _known(cases: tuple[TestCase, ...]) -> str:
    suites = sorted({suite for case in cases for suite in case.suites if suite})
    return f" (suites: {', '.join(suites[:8])}{', ...' if len(suites) > 8 else ''})" if suites else ""


class _Builder:
    """expat's handlers: collect test cases while the file streams past."""

    def __init__(self) -> None:
        self.cases: list[TestCase] = []
        self.suites: list[str] = []
        self.depth = 0
        self.root: str | None = None
        self.case: tuple[str, tuple[str, ...]] | None = None
        self.case_depth = 0
        self.outcome = "passed"

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        local = tag.rsplit(":", 1)[-1]
        self.depth += 1
        if self.root is None:
            self.root = local
        if self.case is not None:
            if self.depth == self.case_depth + 1:
                self.outcome = _worse(self.outcome, local)
            return
        if local == "testsuite":
            self.suites.append(attributes.get("name", ""))
        elif local == "testcase":
            name, classname = attributes.get("name", ""), attributes.get("classname", "")
            self.case = (f"{classname}.{name}" if classname else name, tuple(self.suites))
            self.case_depth, self.outcome = self.depth, "passed"

    def end(self, tag: str) -> None:
        local = tag.rsplit(":", 1)[-1]
        if self.case is not None and self.depth == self.case_depth:
            self.cases.append(TestCase(self.case[0], self.case[1], self.outcome))
            self.case = None
        elif self.case is None and local == "testsuite" and self.suites:
            self.suites.pop()
        self.depth -= 1


_RANK = {"passed": 0, "skipped": 1, "failed": 2, "errored": 3}
_CHILD = {"skipped": "skipped", "failure": "failed", "error": "errored"}


def _worse(outcome: str, child: str) -> str:
    """A test case's outcome from its children: an error outweighs a failure, which outweighs
    a skip. Surefire's flakyFailure and rerunFailure mark a test that passed on a rerun."""
    found = _CHILD.get(child)
    return found if found is not None and _RANK[found] > _RANK[outcome] else outcome


def _refuse_doctype(*_: object) -> NoReturn:
    raise _Refused("the file has a DOCTYPE, which test reports never need and which could declare "
                   "entities that expand without bound; it is not read")


def _refuse_entity(*_: object) -> NoReturn:
    raise _Refused("the file declares or references entities, which test reports never need; it is not read")


def parse(data: bytes) -> JUnitReport:
    """The test cases of a JUnit XML report; raises EvidenceError for anything else."""
    builder = _Builder()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.ExternalEntityRefHandler = _refuse_entity
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        raise EvidenceError(str(refused)) from None
    except expat.ExpatError as exc:
        raise EvidenceError(f"not well-formed XML ({exc})") from None
    if builder.root not in ("testsuites", "testsuite"):
        raise EvidenceError(f"the root element is <{builder.root}>, not a JUnit <testsuites> or <testsuite>")
    return JUnitReport(tuple(builder.cases))


class JUnitReader:
    """Reads ``.xml`` files as JUnit test reports."""

    name: str = "JUnit XML"
    suffixes: tuple[str, ...] = (".xml",)

    def read(self, data: bytes, path: Path) -> JUnitReport:
        return parse(data)
