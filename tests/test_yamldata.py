"""The located YAML reader: positions, refusals, YAML 1.1 surprises, bounded work."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from mltrl_docs.findings import Position
from mltrl_docs.yamldata import MAX_NODES, YamlSyntaxError, iter_paths, read_yaml


def test_positions_of_keys_and_values_are_one_based_and_offset() -> None:
    doc = read_yaml("a: 1\nlist:\n  - x\n  - {k: v}\n", first_line=2)
    assert doc.data == {"a": 1, "list": ["x", {"k": "v"}]}
    assert doc.keys[("a",)] == Position(2, 1)
    assert doc.values[("a",)] == Position(2, 4)
    assert doc.values[("list", 1)] == Position(5, 5)
    assert doc.keys[("list", 1, "k")] == Position(5, 6)
    assert doc.where(("list", 1, "missing")) == Position(5, 5)


def test_duplicate_key_is_reported_at_the_second_with_the_first_line() -> None:
    doc = read_yaml("status: approved\nteam: x\nstatus: draft\n")
    assert doc.data["status"] == "approved"
    [problem] = doc.problems
    assert problem.position == Position(3, 1)
    assert "first written on line 1" in problem.message


@pytest.mark.parametrize("word,value", [("no", False), ("Yes", True), ("on", True), ("OFF", False)])
def test_yaml11_booleans_are_reported(word: str, value: bool) -> None:
    doc = read_yaml(f"status: {word}\n")
    assert doc.data["status"] is value
    [problem] = doc.problems
    assert f"'{word}' is read by YAML as the boolean" in problem.message
    assert f'"{word}"' in problem.hint


def test_true_false_and_quoted_words_are_not_surprises() -> None:
    doc = read_yaml("a: true\nb: 'no'\nc: \"on\"\n")
    assert doc.data == {"a": True, "b": "no", "c": "on"}
    assert doc.problems == []


@pytest.mark.parametrize("text,value", [("010", 8), ("0x1F", 31), ("1:30", 90)])
def test_surprising_integer_forms_are_reported(text: str, value: int) -> None:
    doc = read_yaml(f"level: {text}\n")
    assert doc.data["level"] == value
    assert doc.problems and "YAML 1.1" in doc.problems[0].message


def test_floats_keep_their_source_text_for_hints() -> None:
    doc = read_yaml("code: 1.10\nn: 3\n")
    assert doc.data["code"] == 1.1
    assert doc.raw[("code",)] == "1.10"
    assert doc.raw[("n",)] == "3"
    assert doc.problems == []


def test_dates_stay_as_written() -> None:
    doc = read_yaml("date: 2021-06-14\nwhen: 2021-06-14 10:00:00\n")
    assert doc.data == {"date": "2021-06-14", "when": "2021-06-14 10:00:00"}


def test_keys_are_taken_as_written_text() -> None:
    doc = read_yaml("on: 1\n1.10: x\nnull: y\n")
    assert list(doc.data) == ["on", "1.10", "null"]


@pytest.mark.parametrize("text", [
    "x: !!python/object/apply:os.system ['id']\n",
    "x: !!python/name:os.system\n",
    "x: !!binary aGk=\n",
    "x: !!set {a, b}\n",
    "x: !custom 3\n",
])
def test_object_and_custom_tags_are_refused(text: str) -> None:
    doc = read_yaml(text)
    assert doc.data == {"x": None}
    assert "is not allowed" in doc.problems[0].message


def test_merge_keys_are_refused() -> None:
    doc = read_yaml("a: &x {k: 1}\nb:\n  <<: *x\n  j: 2\n")
    assert doc.data["b"] == {"j": 2}
    assert "merge keys" in doc.problems[0].message


def test_complex_keys_are_refused() -> None:
    doc = read_yaml("? [a, b]\n: 1\n")
    assert "key must be plain text" in doc.problems[0].message


def test_alias_bomb_is_stopped_with_one_located_error() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for name, prev in zip("bcdefgh", "abcdefg"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    with pytest.raises(YamlSyntaxError) as caught:
        read_yaml("\n".join(lines) + "\n")
    assert f"more than {MAX_NODES:,} values" in caught.value.problem.message


def test_recursive_alias_is_stopped() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        read_yaml("a: &a [*a]\n")
    assert "nested more than" in caught.value.problem.message


def test_syntax_error_is_located_with_a_hint() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        read_yaml("title: a: b\n", first_line=2)
    problem = caught.value.problem
    assert problem.position == Position(2, 9)
    assert "quotes" in problem.hint


def test_tab_indentation_gets_its_own_hint() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        read_yaml("a:\n\t- b\n")
    assert "tabs" in caught.value.problem.hint


def test_second_document_is_a_syntax_error() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        read_yaml("a: 1\n---\nb: 2\n")
    assert "extra '---'" in caught.value.problem.hint


def test_empty_text_is_no_data() -> None:
    assert read_yaml("").data is None
    assert read_yaml("# only a comment\n").data is None


@pytest.mark.parametrize("expr", ["'[' * 200_000", "'- ' * 300_000 + 'x'", "'{a: ' * 100_000"])
def test_pathological_nesting_fails_cleanly_instead_of_crashing(expr: str) -> None:
    """libyaml's composer segfaults on these; the loader must route around it."""
    code = textwrap.dedent(f"""
        from mltrl_docs.yamldata import read_yaml, YamlSyntaxError
        try:
            read_yaml({expr})
        except YamlSyntaxError as exc:
            print("clean:", exc.problem.message)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("clean:")


def test_iter_paths_lists_parents_first() -> None:
    assert list(iter_paths({"a": [1, {"b": 2}]})) == [(), ("a",), ("a", 0), ("a", 1), ("a", 1, "b")]
