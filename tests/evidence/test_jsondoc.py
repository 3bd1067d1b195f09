"""JSON metrics files (mltrl_docs/evidence/jsondoc.py): values by dotted path, and a sentence
naming what is there when the path names nothing."""

from __future__ import annotations

import math

import pytest

from conftest import FIXTURES
from mltrl_docs.evidence import EvidenceError, SelectError
from mltrl_docs.evidence.jsondoc import JsonReader, parse

METRICS = FIXTURES / "evidence" / "metrics.json"


@pytest.fixture(scope="module")
def document():
    return JsonReader().read(METRICS.read_bytes(), METRICS)


@pytest.mark.parametrize("select,value", [
    ("test.cirrus.f1", 0.73),
    ("test.count", 1200),
    ("runs.1.f1", 0.74),
    ("runs.0.date", "2026-05-11"),
    ("slices.snow_ice.f1", 0.64),
    ("test.cirrus.precision", "n/a"),
    ("test.cirrus.recall", None),
    ("test.cloud.passed", True),
    ("model", "2.1.0"),
])
def test_a_dotted_path_selects_a_value_as_the_file_holds_it(document, select: str, value: object) -> None:
    assert document.value(select) == value


def test_a_number_too_large_for_a_float_is_read_as_infinity(document) -> None:
    assert math.isinf(document.value("huge"))


@pytest.mark.parametrize("select,message", [
    ("test.cirus.f1", "there is no key 'cirus' under test (keys: cirrus, cloud, count)"),
    ("tests.cirrus.f1", "there is no key 'tests' under the top level (keys: empty, huge, model, runs, slices, test)"),
    ("runs.2.f1", "runs is a list of 2 items: '2' is not one of its positions (0 to 1)"),
    ("runs.first.f1", "runs is a list of 2 items: 'first' is not one of its positions"),
    ("runs.-1.f1", "'-1' is not one of its positions"),
    ("test.cirrus.f1.mean", "test.cirrus.f1 is the number 0.73, which has no 'mean'"),
    ("model.major", "model is text, which has no 'major'"),
    ("test.cirrus.recall.x", "test.cirrus.recall is null, which has no 'x'"),
    ("empty.f1", "there is no key 'f1' under empty (it is empty)"),
    ("", "there is no key '' under the top level"),
])
def test_a_path_that_names_nothing_says_what_is_there(document, select: str, message: str) -> None:
    with pytest.raises(SelectError) as raised:
        document.value(select)
    assert message in str(raised.value)


@pytest.mark.parametrize("data,message", [
    (b'{"f1": 0.7', "not valid JSON"),
    (b"\xff\xfe{}", "not UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b"1" * 5000, "not valid JSON"),
])
def test_what_is_no_json_is_an_evidence_error(data: bytes, message: str) -> None:
    with pytest.raises(EvidenceError, match=message):
        parse(data)


def test_a_byte_order_mark_is_allowed() -> None:
    assert parse(b'\xef\xbb\xbf{"f1": 0.7}').value("f1") == 0.7


def test_a_json_file_holds_no_test_results(document) -> None:
    with pytest.raises(EvidenceError, match="write it under 'source:'"):
        document.tests(None)
