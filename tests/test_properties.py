"""Property-based: no input, however broken, makes an exception escape the pipeline.

Every finding it produces must be located in a real file at a line >= 1.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, card_text
from mltrl_docs.dossier import build_dossier
from mltrl_docs.findings import Finding
from mltrl_docs.load import load_glossary

SEEDS = [
    (FIXTURES / "spec" / "level-card-example.md").read_text(encoding="utf-8"),
    card_text(level=3, transition={"from": 2, "kind": "advance"}, links={"code": "https://x.example/y"},
              requirements=[{"id": "1.1", "kind": "product", "text": "Shall.", "verification": "test",
                             "status": "waived", "reason": "n/a", "risk": {"likelihood": 2, "impact": 3}}]),
]
YAML_SPECIALS = list(":-[]{}\"'\t\n&*!#|>%@`?,\\ ") + ["---", "...", "<<: ", "!!python/object ", "\r\n", "\ufeff", "\x00"]
PROFILE = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_source(files: dict[str, bytes]) -> list[Finding]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, data in files.items():
            path = root / "src" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        dossier = build_dossier([root / "src"])
        for finding in dossier.findings:
            assert finding.path.is_relative_to(root)
            assert finding.line is None or finding.line >= 1
            assert finding.column is None or finding.column >= 1
            assert finding.message and finding.rule
        assert len(dossier.cards) + len(dossier.invalid_cards) <= len(files)
        return dossier.findings


@PROFILE
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    check_source({"p/card.md": data, "p/other.md": b"---\nlevel: 1\n" + data})


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 6))):
        if not text:
            break
        where = draw(st.integers(0, len(text) - 1))
        op = draw(st.sampled_from(["insert", "delete", "replace_line", "duplicate_line", "swap"]))
        if op == "insert":
            piece = draw(st.one_of(st.sampled_from(YAML_SPECIALS), st.text(max_size=8)))
            text = text[:where] + piece + text[where:]
        elif op == "delete":
            text = text[:where] + text[where + draw(st.integers(1, 40)):]
        else:
            lines = text.split("\n")
            i = where % len(lines)
            if op == "replace_line":
                key = lines[i].split(":")[0]
                lines[i] = f"{key}: {draw(st.one_of(st.sampled_from(YAML_SPECIALS), st.text(max_size=20)))}"
            elif op == "duplicate_line":
                lines.insert(i, lines[i])
            else:
                j = draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


@PROFILE
@given(mutated(), mutated())
def test_mutated_cards(first: str, second: str) -> None:
    check_source({"p/a.md": first.encode("utf-8", "surrogatepass"),
                  "p/b.md": second.encode("utf-8", "surrogatepass"),
                  "q/c.md": SEEDS[1].encode()})


KEYS = ["mltrl", "project", "title", "level", "date", "status", "owners", "reviewers", "transition",
        "versions", "coupled", "links", "ethics", "requirements", "tech_debt", "tags", "from", "kind",
        "switchback", "id", "risk", "likelihood", "impact", "evidence", "checklist", "name", "decision"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 12), st.floats(allow_nan=True),
                    st.sampled_from([0.0, 2.0, 3.0, 1e400]),
                    st.sampled_from(["2021-06-14", "approved", "advance", "switchback", "1.2", "R02.1",
                                     "javascript:x", "../x.md", "https://a.example", "", "research"]),
                    st.text(max_size=10))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)), max_leaves=20)


@PROFILE
@given(st.dictionaries(st.sampled_from(KEYS), values, max_size=12))
def test_random_structured_frontmatter(data: dict[str, Any]) -> None:
    base = {"mltrl": 1, "project": "Q", "title": "t", "level": 3, "date": "2022-01-01",
            "status": "draft", "owners": ["o"]}
    text = "---\n" + yaml.safe_dump({**base, **data}, allow_unicode=True) + "---\n## Stage debrief\n"
    check_source({"p/a.md": text.encode(), "p/b.md": card_text(project="Q", level=2).encode()})


@PROFILE
@given(st.dictionaries(st.sampled_from(["mltrl", "terms", "term", "definition", "aliases", "teams",
                                        "see_also", "level"]), values, max_size=6))
def test_random_glossaries(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "g.yml"
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        terms, findings = load_glossary(path)
        assert all(t.term and t.definition for t in terms)
        assert all(f.path == path for f in findings)
