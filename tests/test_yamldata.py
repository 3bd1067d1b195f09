"""The located YAML reader: positions, refusals, YAML 1.1 surprises, bounded work."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from mltrl_docs.findings import Position
from mltrl_docs.yamldata import (
    C_COMPOSER_SAFE_DEPTH,
    MAX_DEPTH,
    MAX_NODES,
    Positions,
    YamlSyntaxError,
    _nesting_bound,
    iter_paths,
    read_yaml,
)


def test_kept_positions_are_each_fields_key_else_its_value_and_untracked_by_the_collector() -> None:
    """A card keeps its positions as long as it lives: some 100 per card, 300,000 in a large
    dossier. Kept as plain tuples, the garbage collector stops walking them; as Positions
    (NamedTuples) it walked every one in every full collection."""
    import gc

    doc = read_yaml("a: 1\nlist:\n  - x\n  - {k: v}\n", first_line=2)
    kept = Positions.of(doc)
    assert kept[("a",)] == Position(2, 1)  # the key, where a reader looks
    assert kept.get(("list", 0)) == Position(4, 5)  # a list item has only its value
    assert kept.get(("list", 1, "k")) == Position(5, 6)
    assert kept.get(("nowhere",)) is None and kept.get(("nowhere",), Position(1, 1)) == Position(1, 1)
    assert ("a",) in kept and len(kept) == len(set(doc.keys) | set(doc.values))
    assert dict(kept) == {**doc.values, **doc.keys}
    gc.collect()
    assert not any(gc.is_tracked(place) for place in kept._places)


def test_kept_positions_share_their_paths_and_layout_across_cards_and_keep_any_line_and_column() -> None:
    """Cards have the same shape: two cards' positions keep one tuple per path, and one layout
    (which path is at which place), between them; each position is one word of an array, for
    any line and column a file can have."""
    first = Positions.of(read_yaml("id: A\nrequirements:\n  - {id: '1'}\n"))
    second = Positions.of(read_yaml("\nid: B\nrequirements:\n  - {id: '2'}\n", first_line=40))
    assert all(path in second and next(p for p in second if p == path) is path for path in first)
    assert second[("requirements", 0, "id")] == Position(43, 6)
    assert first._layout is second._layout and first != second
    other = Positions.of(read_yaml("id: C\nrequirements: []\n"))
    assert other._layout is not first._layout and list(other) == [("id",), ("requirements",), ()]
    wide = " " * 70_000 + "x: 1\n"
    far = Positions.of(read_yaml("{" + wide + "}", first_line=5_000_000))
    assert far[("x",)] == Position(5_000_000, 70_002)
    assert far._places.itemsize == 8  # type: ignore[union-attr]
    beyond = Positions({("x",): (5_000_000_000 << 32) | 3})  # a line no 8-byte word holds
    assert beyond[("x",)] == Position(5_000_000_000, 3) and beyond.get(("y",)) is None


def test_documents_of_every_shape_keep_a_layout_of_their_own_past_the_shared_ones(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import mltrl_docs.yamldata as yamldata

    monkeypatch.setattr(yamldata, "_LAYOUTS", {})
    monkeypatch.setattr(yamldata, "MAX_LAYOUTS", 2)
    read = [Positions.of(read_yaml(f"field_{n}: {n}\n", first_line=n + 1)) for n in range(5)]
    assert len(yamldata._LAYOUTS) == 2
    assert [dict(p) for p in read] == [{(f"field_{n}",): Position(n + 1, 1), (): Position(n + 1, 1)}
                                       for n in range(5)]


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
    for name, prev in zip("bcdefgh", "abcdefg", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    with pytest.raises(YamlSyntaxError) as caught:
        read_yaml("\n".join(lines) + "\n")
    assert f"more than {MAX_NODES:,} values (limits.yaml_nodes)" in caught.value.problem.message
    assert caught.value.problem.rule == "limit"


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


def test_node_and_depth_limits_are_parameters_named_in_the_message() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        read_yaml("a: [1, 2, 3, 4, 5]\n", max_nodes=5)
    assert "more than 5 values (limits.yaml_nodes)" in caught.value.problem.message
    with pytest.raises(YamlSyntaxError) as caught:
        read_yaml("a:\n  b:\n    c:\n      d: 1\n", first_line=2, max_depth=2)
    problem = caught.value.problem
    assert problem.message == "YAML is nested more than 2 levels deep (limits.yaml_depth)"
    assert problem.position == Position(5, 7)
    assert read_yaml("a:\n  b: 1\n", max_depth=2).data == {"a": {"b": 1}}


def test_deep_flow_nesting_stops_at_the_limit_where_it_goes_past() -> None:
    text = "a: " + "[" * 5_000 + "]" * 5_000 + "\n"
    assert _nesting_bound(text) > C_COMPOSER_SAFE_DEPTH  # the pure-Python composer, bounded
    with pytest.raises(YamlSyntaxError) as caught:
        read_yaml(text, first_line=3)
    problem = caught.value.problem
    assert f"more than {MAX_DEPTH} levels deep (limits.yaml_depth)" in problem.message
    assert problem.position == Position(3, 4 + MAX_DEPTH)  # the first "[" past the limit


def test_a_long_value_does_not_count_as_nesting() -> None:
    """A pasted paragraph keeps the fast C composer: only indentation, indicator lines and
    brackets can nest."""
    assert _nesting_bound("title: " + "word " * 100_000 + "\n") < C_COMPOSER_SAFE_DEPTH
    assert _nesting_bound("- " * 1_000 + "x\n") > C_COMPOSER_SAFE_DEPTH
    assert _nesting_bound("".join(" " * i + "a:\n" for i in range(600))) > C_COMPOSER_SAFE_DEPTH


@pytest.mark.parametrize("text", [
    "a: 1\n", "- - - x\n", "a:\n  b:\n    - c: [1, {d: 2}]\n", " " * 480 + "a: 1\n", "- " * 240 + "x\n",
    "? - : - x\n" * 3, "a: " + "[" * 300 + "]" * 300 + "\n", "\t- x\n  -\t- y\n", "",
])
def test_the_quick_nesting_bound_is_never_below_the_exact_one(text: str) -> None:
    """Short lines take a bound from their length alone; it is never below the bound the
    regexes give, so a text deep enough to crash libyaml never takes the fast composer."""
    import re
    indent = max(map(len, re.findall(r"^ *", text, re.MULTILINE)), default=0)
    compact = max(map(len, re.findall(r"^ *(?:[-?:](?:[ \t]+|$))+", text, re.MULTILINE)), default=0) + 1
    assert _nesting_bound(text) >= 2 * max(indent, compact) + text.count("[") + text.count("{")


@pytest.mark.parametrize("escape,code", [("\\e", 0x1B), ("\\x1b", 0x1B), ("\\0", 0x00), ("\\u0007", 0x07),
                                         ("\\a", 0x07), ("\\x85", 0x85), ("\\x7f", 0x7F)])
def test_control_characters_written_as_escapes_are_errors_at_the_scalar(escape: str, code: int) -> None:
    doc = read_yaml(f'team: ok\ntitle: "Drift{escape} monitor"\n', first_line=2)
    assert doc.data["title"] == "Drift\ufffd monitor"
    [problem] = doc.problems
    assert problem.position == Position(3, 8) and problem.path == ("title",)
    assert f"U+{code:04X}" in problem.message and "escape" in problem.message


def test_control_character_escapes_in_keys_and_lists_are_caught_too() -> None:
    doc = read_yaml('"k\\e": 1\ntags: ["a\\x07"]\n')
    assert list(doc.data) == ["k\ufffd", "tags"] and doc.data["tags"] == ["a\ufffd"]
    assert [p.position for p in doc.problems] == [Position(1, 1), Position(2, 8)]


def test_escaped_bidi_controls_are_warnings_literal_ones_are_left_to_the_text_scan() -> None:
    doc = read_yaml('a: "x\\u202ey"\nb: "x\u202ey"\nc: x\u202ey\n')
    assert doc.problems == []
    [warning] = doc.warnings
    assert warning.position == Position(1, 4) and "U+202E" in warning.message
    assert doc.data == {"a": "x\u202ey", "b": "x\u202ey", "c": "x\u202ey"}


@pytest.mark.parametrize("text", ["level: !!int x\n", "level: !!int 0x\n", "mltrl: !!float\n", "n: !!float one\n"])
def test_a_number_tag_on_text_that_is_no_number_is_a_problem_not_a_crash(text: str) -> None:
    doc = read_yaml(text)
    [problem] = doc.problems
    assert "is tagged !!" in problem.message and problem.position.line == 1
    assert isinstance(next(iter(doc.data.values())), str)


def test_line_and_paragraph_separators_do_not_shift_positions() -> None:
    doc = read_yaml('a: "x\u2028y"\nb: x\u2029y\nc: no\n')
    assert doc.data["a"] == "x y" and doc.problems[0].position == Position(3, 4)


@pytest.mark.parametrize("text,message", [
    ("x-a: !!str [1]\n", "YAML tag !!str cannot be put on a list"),
    ("a: !!int {b: 1}\n", "YAML tag !!int cannot be put on a mapping"),
    ("a: !!seq x\n", "YAML tag !!seq cannot be put on a single value"),
    ("a: !!merge x\n", "YAML tag !!merge cannot be put on a single value"),
])
def test_a_tag_on_the_wrong_kind_of_node_is_a_located_problem(text: str, message: str) -> None:
    document = read_yaml(text)
    assert document.data == {text.split(":")[0]: None}
    column = text.index(":") + 3
    assert [(p.message, p.position) for p in document.problems] == [(message, Position(1, column))]


@pytest.mark.parametrize("text,whole", [
    ("level: 3.0", True), ("mltrl: 1.0", True), ("risk: {impact: -0.0}", True), ("x: 1.0e+308", True),
    ("mltrl: 1.1", False), ("threshold: 0.7", False), ("x: .inf", False), ("x: .nan", False), ("level: 3", False),
    ("x-extra: 3.0", False), ("x-extra: {a: [2.0]}", False),
])
def test_only_a_whole_number_float_outside_x_fields_is_flagged(text: str, whole: bool) -> None:
    """fastjsonschema takes 3.0 for an integer, jsonschema (here) does not: only such floats
    decide the slow schema path; 1.1 or 0.7 is no integer to either."""
    assert read_yaml(text + "\n").has_whole_float is whole


def test_nodes_get_the_tags_pyyaml_gives_them() -> None:
    """The composer answers the tags of quoted scalars, lists and mappings itself (libyaml asks
    for every node): they are the tags PyYAML's own resolver gives, node for node."""
    import yaml

    from mltrl_docs.yamldata import _compose

    text = ('a: "quoted"\nb: \'single\'\nc: [1, "two", {d: e}]\nf:\n  - g: 1.5\n    h: ~\n  - |\n    block\n'
            'i: !!str 3\nj: 2024-03-01\nk: yes\n')

    def tags(node: yaml.Node) -> list[str]:
        if isinstance(node, yaml.ScalarNode):
            return [node.tag]
        if isinstance(node, yaml.SequenceNode):
            return [node.tag, *(tag for item in node.value for tag in tags(item))]
        return [node.tag, *(tag for key, value in node.value for tag in tags(key) + tags(value))]

    ours = _compose(text, 64)
    assert ours is not None
    assert tags(ours) == tags(yaml.compose(text, Loader=yaml.SafeLoader))
