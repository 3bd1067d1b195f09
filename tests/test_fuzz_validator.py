"""Fuzzing the validator: ``schema.check`` on generated frontmatter, glossary and settings
data that mix valid values with hostile ones, and a differential test of the two schema
engines: whenever the fast path (fastjsonschema) accepts a document, jsonschema must
find no error in it; whenever jsonschema finds an error, ``check`` reports one.

Budgets come from the hypothesis profile (conftest.py, docs/fuzzing.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import event, example, given, note
from hypothesis import strategies as st

from fuzz_strategies import (
    budget,
    card_data,
    glossary_data,
    has_whole_float,
    hostile_values,
    mutated_data,
    settings_data,
)
from mltrl_docs import schema
from mltrl_docs.findings import Position, Severity, has_errors
from mltrl_docs.gates import GateSettings
from mltrl_docs.yamldata import YamlDocument, YamlSyntaxError, read_yaml

PATH = Path("/fuzz/card.md").resolve()
ROOT = Position(1, 1)
GENERATORS: dict[str, st.SearchStrategy[Any]] = {
    "level-card": card_data(format_11=True),
    "glossary": glossary_data(format_11=True),
    "settings": settings_data(),
}
"""Valid documents; cards and glossaries are sometimes format 1.1 (``mltrl: 1.1``, its fields,
and alert thresholds such as 0.7: floats that are not whole numbers)."""
FIELDS = {
    "level-card": ("level", "project", "date", "requirements", "transition", "mltrl", "reviewers", "monitoring",
                   "threshold", "production"),
    "glossary": ("terms", "mltrl", "term", "level", "source"),
    "settings": ("sources", "gates", "link_terms", "days", "pairs"),
}


def documents(data: Any) -> list[YamlDocument]:
    """The data as the reader would hand it over: directly (the reader's has_whole_float rule
    applied), and after a round trip through YAML text (the real path, when dumpable)."""
    docs = [YamlDocument(data=data, has_whole_float=has_whole_float(data))]
    try:
        text = yaml.safe_dump(data, allow_unicode=True)
    except (yaml.YAMLError, ValueError, OverflowError):  # pragma: no cover - plain data always dumps
        return docs
    try:
        docs.append(read_yaml(text))
    except YamlSyntaxError:
        pass
    return docs


def check_document(name: str, document: YamlDocument) -> None:
    """check() never raises; its findings are located errors; the engines agree."""
    findings = schema.check(name, document, PATH, ROOT)
    for finding in findings:
        assert finding.severity is Severity.ERROR
        assert finding.rule in ("schema", "yaml") and finding.message.strip()
        assert finding.path == PATH and finding.position is not None and finding.position.line >= 1
        assert finding.hint is None or finding.hint.strip()
    errors = list(schema.validator(name).iter_errors(document.data))
    note(f"jsonschema: {[e.message for e in errors]}")
    if schema.fast_accepts(name, document):
        assert errors == [], f"fastjsonschema accepts what jsonschema rejects: {[e.message for e in errors]}"
        assert findings == []
    if errors or document.problems:
        assert has_errors(findings), "jsonschema rejects the document, check() reports nothing"
    if not errors and not document.problems:
        assert findings == [], f"check() reports errors jsonschema does not: {findings}"
        if not document.has_whole_float:
            # The converse, as information: a document jsonschema accepts, without whole-number
            # floats or YAML problems, should take the fast path (else it is merely slow).
            event(f"{name}: valid, fast path " + ("taken" if schema.fast_accepts(name, document) else "MISSED"))
    else:
        event(f"{name}: invalid")


@budget(1.5)
@given(st.sampled_from(sorted(GENERATORS)).flatmap(
    lambda name: st.tuples(st.just(name), mutated_data(GENERATORS[name], FIELDS[name]))))
@example(("level-card", {"mltrl": True, "project": "P", "title": "t", "level": 1, "date": "2021-01-01",
                         "status": "draft", "owners": ["o"]}))
@example(("level-card", {"mltrl": 1, "project": "P\n", "title": "t", "level": 1, "date": "2021-01-01\n",
                         "status": "draft", "owners": ["o"], "coupled": ["A\n"]}))
@example(("level-card", {"mltrl": 1.0, "project": "P", "title": "t", "level": 3.0, "date": "2021-01-01",
                         "status": "draft", "owners": ["o"], "requirements": [
                             {"id": "1", "kind": "product", "text": "t", "verification": "test", "status": "failed",
                              "risk": {"likelihood": True, "impact": 5.0}}]}))
@example(("settings", {"sources": ["d"], "gates": {"embedded-switchback": {"pairs": [[True, 1]]},
                                                   "stale": {"days": 1.0}}}))
@example(("glossary", {"mltrl": 1, "terms": [{"term": "x", "definition": "y", "level": False}]}))
def test_one_field_mutated_documents(case: tuple[str, Any]) -> None:
    """Valid documents with one field broken (near misses and hostile values): both
    engines get exercised, and must agree."""
    name, data = case
    for document in documents(data):
        check_document(name, document)


@budget(0.8)
@given(st.sampled_from(sorted(GENERATORS)), hostile_values)
def test_hostile_documents(name: str, data: Any) -> None:
    """Anything at all as the whole document: never raises, always an error unless valid."""
    for document in documents(data):
        check_document(name, document)


@budget(0.8)
@given(st.sampled_from(sorted(GENERATORS)).flatmap(lambda name: st.tuples(st.just(name), GENERATORS[name])))
def test_valid_documents_take_the_fast_path(case: tuple[str, Any]) -> None:
    """The generators' valid documents, format 1.1 ones included: jsonschema accepts them,
    and (with no whole-number float such as 3.0 outside the x- fields) so does the fast path.
    ``mltrl: 1.1`` and a threshold of 0.7 are floats, but not whole numbers."""
    name, data = case
    for document in documents(data):
        assert list(schema.validator(name).iter_errors(document.data)) == []
        assert schema.fast_accepts(name, document) is not document.has_whole_float
        assert schema.check(name, document, PATH, ROOT) == []


@budget(1.0)
@given(st.one_of(settings_data(), mutated_data(settings_data(), FIELDS["settings"])))
@example({"sources": ["d"], "gates": {"stale": {"days": True}}})
@example({"sources": ["d"], "gates": {"sections": {"table": {"3": ["x"], "٣": ["y"]}}}})
def test_settings_the_schema_accepts_become_gate_settings(data: Any) -> None:
    """Every gates: mapping the settings schema accepts turns into GateSettings without an
    error (from_data trusts the schema), and every rule gets a severity or off."""
    for document in documents(data):
        if has_errors(schema.check("settings", document, PATH, ROOT)):
            continue
        gates = GateSettings.from_data(document.data.get("gates"))
        for rule, value in (document.data.get("gates") or {}).items():
            if value is False or value == "off" or (isinstance(value, dict)
                                                    and value.get("severity") in (False, "off")):
                assert gates.severity(rule) is None
            else:
                assert gates.severity(rule) is not None
