"""Acceptance results on pages (issue 12): under each requirement with criteria, one line per criterion
with what it measures, the threshold, the measured value or the test counts, a verdict in a symbol and a
word, and the evidence file; a requirement whose evidence contradicts its declared status is flagged in
words on the card page, in the dossier's requirement matrix and in the review packet."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from htmltext import INLINE
from mltrl_docs.dossier import CheckedDossier, build_dossier
from mltrl_docs.evidence import TestCounts, Verdict
from mltrl_docs.messages import messages_for
from mltrl_docs.render.acceptance import RequirementResults, counts_text
from mltrl_docs.render.contexts import CardContext, DossierContext, PacketContext
from mltrl_docs.render.html import Renderer
from mltrl_docs.render.pages import SitePage, evidence_files, site_pages

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuite name="pytest" tests="5" failures="1">
  <testcase classname="tests.test_resume" name="test_a" />
  <testcase classname="tests.test_resume" name="test_b" />
  <testcase classname="tests.test_resume" name="test_c" />
  <testcase classname="tests.test_resume" name="test_d" />
  <testcase classname="tests.test_resume" name="test_e"><failure message="state differs" /></testcase>
  <testcase classname="tests.test_space" name="test_f" />
</testsuite>
"""
HOSTILE = "<img src=x onerror=alert(1)>"


def requirement(rid: str, status: str, *criteria: dict[str, Any]) -> dict[str, Any]:
    return {"id": rid, "kind": "research", "text": f"requirement {rid}", "verification": "test", "status": status,
            "acceptance": list(criteria)}


def value(metric: str, op: str, threshold: float, select: str, **more: Any) -> dict[str, Any]:
    return {"metric": metric, "op": op, "value": threshold, "source": "evidence/metrics.json", "select": select,
            **more}


@pytest.fixture
def example(write: Callable[..., Path], write_card: Callable[..., Path], tmp_path: Path) -> CheckedDossier:
    """One project: requirement 1 passes (two slices), 2 is declared verified and fails (contradiction),
    3 cannot be judged (a missing key), 4 is declared failed and now passes, 5 has JUnit counts with a
    failure, 6 has a hostile metric name and evidence file name."""
    write("src/p/evidence/metrics.json", json.dumps({"f1": {"thin": 0.73, "thick": 0.91}, "dup": 0.024,
                                                      "latency": 7.8}))
    write("src/p/evidence/tests.xml", JUNIT)
    write(f"src/p/evidence/{HOSTILE}.json", json.dumps({"x": 1}))
    write_card("src/p/L4.md", mltrl=1.2, level=4, requirements=[
        requirement("1", "verified", value("cirrus F1", ">=", 0.7, "f1.thin", slice="thin cirrus"),
                    value("cirrus F1", ">=", 0.7, "f1.thick", slice="thick cirrus")),
        requirement("2", "verified", value("duplicate proposals", "<", 0.02, "dup")),
        requirement("3", "in-progress", value("recall", ">=", 0.5, "recall")),
        requirement("4", "failed", value("batch latency", "<", 10, "latency", unit="s")),
        requirement("5", "in-progress", {"metric": "resume tests", "tests": "evidence/tests.xml",
                                         "select": "tests.test_resume"}),
        requirement("6", "in-progress", {"metric": HOSTILE, "slice": HOSTILE, "op": ">=", "value": 1,
                                         "source": f"evidence/{HOSTILE}.json", "select": "x"}),
        {"id": "7", "kind": "research", "text": "no criteria", "verification": "test", "status": "verified"},
    ])
    return build_dossier([tmp_path / "src"])


def pages_of(dossier: CheckedDossier, language: str = "en") -> dict[str, SitePage]:
    return {page.uri: page for page in site_pages(dossier, "dossier", messages=messages_for(language))}


def render(dossier: CheckedDossier, page: SitePage, language: str = "en") -> str:
    renderer = Renderer("dossier")
    renderer.use_messages(messages_for(language))
    return renderer.render(page, lambda uri: uri, evidence_files(dossier.dossier, "dossier"))


def text(markup: str) -> str:
    spaced = re.sub(r"</?(\w+)[^>]*>", lambda m: "" if m.group(1) in INLINE else " ", markup)
    return " ".join(html.unescape(spaced).split())


def card_page(pages: dict[str, SitePage]) -> SitePage:
    return next(page for page in pages.values() if isinstance(page.context, CardContext))


def test_the_card_context_holds_each_requirements_criteria_in_words(example: CheckedDossier) -> None:
    context = card_page(pages_of(example)).context
    assert isinstance(context, CardContext)
    acceptance = context.acceptance
    assert sorted(acceptance) == [0, 1, 2, 3, 4, 5]  # by requirement index; requirement 7 has no criteria
    assert all(isinstance(found, RequirementResults) for found in acceptance.values())
    thin, thick = acceptance[0].criteria
    assert (thin.metric, thin.slice, thin.threshold, thin.measured, thin.verdict) == (
        "cirrus F1", "thin cirrus", ">= 0.7", "0.73", Verdict.PASSED)
    assert thick.measured == "0.91" and acceptance[0].verdict is Verdict.PASSED and not acceptance[0].contradicts
    (dup,) = acceptance[1].criteria
    assert (dup.threshold, dup.measured, dup.verdict) == ("< 0.02", "0.024", Verdict.FAILED)
    assert acceptance[1].contradicts and not acceptance[1].now_passes
    (recall,) = acceptance[2].criteria
    assert recall.verdict is Verdict.UNKNOWN and recall.measured == "not read" and "recall" in (recall.problem or "")
    assert acceptance[2].verdict is Verdict.UNKNOWN and not acceptance[2].contradicts
    (latency,) = acceptance[3].criteria
    assert (latency.threshold, latency.measured) == ("< 10 s", "7.8 s") and acceptance[3].now_passes
    (tests,) = acceptance[4].criteria
    assert tests.tests and tests.threshold == "" and tests.measured == "4 passed, 1 failed"
    assert tests.verdict is Verdict.FAILED and not acceptance[4].contradicts  # declared in-progress
    assert tests.evidence.target == "evidence/tests.xml"
    # Each line's words are said once, for templates to place; no break inside a threshold or a value.
    nbsp = "\u00a0"
    assert thin.said == f"cirrus F1 on slice thin cirrus: needs >={nbsp}0.7, measured 0.73"
    assert latency.said == f"batch latency: needs <{nbsp}10{nbsp}s, measured 7.8{nbsp}s"
    assert tests.said == f"resume tests: 4{nbsp}passed,{nbsp}1{nbsp}failed (every selected test must pass)"


def test_a_metric_with_a_bidirectional_override_reorders_only_itself() -> None:
    from mltrl_docs.evidence import AcceptanceResult
    from mltrl_docs.findings import Position
    from mltrl_docs.model import Acceptance, Comparison, Reference
    from mltrl_docs.render.acceptance import criterion_line

    source = Reference("m.json", is_url=False, resolved=Path("/d/m.json"))
    criterion = Acceptance(source=source, index=0, tests=False, metric="F1\u202e", op=Comparison(">="), value=0.7,
                           select="f1", slice="north\u202e", unit=None, note=None, sha256=None)
    line = criterion_line(AcceptanceResult(criterion, (), Position(1, 1), measured=0.8, passed=True))
    assert line.said.startswith("\u2068F1\u202e\u2069 on slice \u2068north\u202e\u2069: needs")


def test_counts_are_said_in_the_sites_language() -> None:
    counts = TestCounts(passed=4, failed=1, errored=0, skipped=1)
    assert counts_text(counts) == "4 passed, 1 failed, 1 skipped"
    assert counts_text(counts, messages_for("de")) == "4 bestanden, 1 fehlgeschlagen, 1 übersprungen"
    assert counts_text(TestCounts(), messages_for("de")) == "keine Tests"


def test_the_card_page_shows_each_criterion_under_its_requirement(example: CheckedDossier) -> None:
    page = card_page(pages_of(example))
    markup = render(example, page)
    table = markup.split('id="requirements"')[1].split('id="changes-since-approved"')[0]  # not the changes' table
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.DOTALL)
    said = [text(row) for row in rows]
    # Each requirement with criteria is followed by a row of its criteria, one line each.
    one = said.index(next(s for s in said if s.startswith("1 research requirement 1")))
    assert said[one + 1] == ("✓ pass cirrus F1 on slice thin cirrus: needs >= 0.7, measured 0.73 · "
                             "evidence/metrics.json ✓ pass cirrus F1 on slice thick cirrus: needs >= 0.7, "
                             "measured 0.91 · evidence/metrics.json")
    two = said.index(next(s for s in said if s.startswith("2 research requirement 2")))
    assert "verified ⚠ declared verified; evidence fails" in said[two]
    assert said[two + 1] == "✗ fail duplicate proposals: needs < 0.02, measured 0.024 · evidence/metrics.json"
    three = said.index(next(s for s in said if s.startswith("3 research")))
    assert said[three + 1].startswith("? unknown recall: needs >= 0.5, measured not read · evidence/metrics.json "
                                      "not judged: ")
    four = said.index(next(s for s in said if s.startswith("4 research")))
    assert "failed declared failed; evidence now passes" in said[four]
    assert said[four + 1] == "✓ pass batch latency: needs < 10 s, measured 7.8 s · evidence/metrics.json"
    five = said.index(next(s for s in said if s.startswith("5 research")))
    assert said[five + 1] == ("✗ fail resume tests: 4 passed, 1 failed (every selected test must pass) · "
                              "evidence/tests.xml")
    seven = said.index(next(s for s in said if s.startswith("7 research")))
    assert seven == len(said) - 1  # no criteria, no line under it
    # The verdict is a symbol and a word; colour (the class) only repeats it.
    failed = '<span class="mltrl-verdict mltrl-verdict-failed"><span aria-hidden="true">{}</span> fail</span>'
    assert failed.format("&#10007;") in markup or failed.format("✗") in markup
    # A published evidence file is linked; JUnit XML is not published, so its name is shown as code.
    assert '<a href="dossier/C1/files/evidence/metrics.json">evidence/metrics.json</a>' in markup
    assert "<code>evidence/tests.xml</code>" in markup


def test_a_hostile_metric_slice_and_file_name_are_escaped(example: CheckedDossier) -> None:
    markup = render(example, card_page(pages_of(example)))
    assert HOSTILE not in markup
    escaped = html.escape(HOSTILE, quote=False)
    assert f"{escaped} on slice {escaped}: needs" in markup and f"evidence/{escaped}.json" in markup
    assert f"✓ pass {HOSTILE} on slice {HOSTILE}: needs >= 1, measured 1 · evidence/{HOSTILE}.json" in text(markup)


def test_the_matrix_and_the_packet_flag_a_contradiction_in_words(example: CheckedDossier) -> None:
    pages = pages_of(example)
    dossier, packet = pages["dossier/C1/index.md"], pages["dossier/C1/packet.md"]
    assert isinstance(dossier.context, DossierContext) and isinstance(packet.context, PacketContext)
    flagged = {row.id: cell.contradicts for row in dossier.context.matrix.research for cell in row.cells}
    assert flagged == {"1": False, "2": True, "3": False, "4": False, "5": False, "6": False, "7": False}
    for page in (dossier, packet):
        matrix = render(example, page).split('id="requirement-matrix"')[1].split('id="risk-matrix"')[0]
        rows = {text(row).split(" ")[0]: text(row) for row in re.findall(r"<tr>(.*?)</tr>", matrix, re.DOTALL)}
        assert rows["2"].endswith("verified ⚠ declared verified; evidence fails")
        assert "evidence fails" not in rows["1"] and "evidence fails" not in rows["7"]


def test_a_german_site_says_the_results_in_german(example: CheckedDossier) -> None:
    pages = pages_of(example, "de")
    said = text(render(example, card_page(pages), "de"))
    assert "✗ nicht erfüllt duplicate proposals: verlangt < 0.02, gemessen 0.024" in said
    assert "als verifiziert erklärt; die Nachweise verfehlen es" in said
    assert "resume tests: 4 bestanden, 1 fehlgeschlagen (jeder ausgewählte Test muss bestehen)" in said
    assert "? unbekannt recall" in said and "nicht gelesen" in said


def test_a_card_without_criteria_shows_no_acceptance_rows(write_card, tmp_path: Path) -> None:
    write_card("src/p/L2.md", requirements=[{"id": "1", "kind": "research", "text": "r", "verification": "test",
                                              "status": "verified"}])
    dossier = build_dossier([tmp_path / "src"])
    page = card_page(pages_of(dossier))
    assert isinstance(page.context, CardContext) and dict(page.context.acceptance) == {}
    markup = render(dossier, page)
    assert "mltrl-acceptance" not in markup and "mltrl-verdict" not in markup
