"""The built-in MLTRL glossary that ships inside the package (mltrl_docs/data)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib.resources import as_file, files
from pathlib import Path

import pytest
import yaml

from mltrl_docs.levels import LEVELS
from mltrl_docs.load import load_glossary
from mltrl_docs.model import GlossaryTerm

REPO = Path(__file__).resolve().parent.parent
ORG_GLOSSARY = REPO / "site_example" / "glossary" / "org.yml"

# Topics the built-in glossary must explain; each entry is matched against term
# names and aliases, case-insensitively.
REQUIRED_TOPICS = (
    "MLTRL",
    "Technology readiness level",
    "Research phase",
    "Prototyping phase",
    "Productization phase",
    "Deployment phase",
    "Switchback",
    "Discovery switchback",
    "Review switchback",
    "Embedded switchback",
    "Gated review",
    "Reviewer",
    "Owner",
    "Working group",
    "Level card",
    "Stage debrief",
    "Coupled components",
    "System readiness",
    "Research requirements",
    "Product requirements",
    "Verification",
    "Validation",
    "V&V",
    "Risk score",
    "Research code",
    "Prototype code",
    "Product code",
    "Tech debt",
    "Semantic versioning",
    "Data drift",
    "Concept drift",
    "Shadow deployment",
    "Canary release",
    "A/B test",
    "Model registry",
    "Feature store",
    "Data governance",
    "Data lineage",
    "Model card",
    "Ethics checklist",
    "Pre-development ethics checklist",
    "Post-development ethics checklist",
    "Declared level",
    "Earned level",
    "Gate rule",
    "Finding",
    "Project ID",
    "Dossier",
    "PoP",
    "PoC",
)

# Words so common that, as an alias on their own, they would link everywhere.
TOO_COMMON = {"test", "data", "model", "risk", "level", "review", "owner", "code",
              "version", "stage", "team", "gate", "system", "requirement"}


@pytest.fixture(scope="module")
def glossary() -> Iterator[tuple[list[GlossaryTerm], list, str]]:
    resource = files("mltrl_docs") / "data" / "mltrl-glossary.yml"
    assert resource.is_file(), "the built-in glossary must ship as package data"
    with as_file(resource) as path:
        terms, findings = load_glossary(Path(path))
        text = Path(path).read_text(encoding="utf-8")
    yield terms, findings, text


@pytest.fixture(scope="module")
def terms(glossary) -> list[GlossaryTerm]:
    return glossary[0]


def _names(term: GlossaryTerm) -> list[str]:
    return [term.term, *term.aliases]


def _index(terms: list[GlossaryTerm]) -> dict[str, GlossaryTerm]:
    return {name.casefold(): t for t in terms for name in _names(t)}


def test_loads_without_findings(glossary) -> None:
    terms, findings, _ = glossary
    assert findings == []
    assert len(terms) >= 60


def test_file_says_what_it_is(glossary) -> None:
    text = glossary[2]
    head = text.split("\nmltrl:", 1)[0]
    assert "built-in glossary" in head and "own words" in head
    assert "override" in head and "off" in head


def test_names_and_aliases_are_unique_case_insensitively(terms) -> None:
    seen: dict[str, str] = {}
    for t in terms:
        for name in _names(t):
            key = name.casefold()
            assert key not in seen, f"{name!r} of {t.term!r} is already used by {seen[key]!r}"
            seen[key] = t.term


def test_no_alias_is_a_plural_of_another_name(terms) -> None:
    stems: dict[str, str] = {}
    for t in terms:
        for name in _names(t):
            stem = name.casefold().removesuffix("s")
            assert stems.get(stem, t.term) == t.term, f"{name!r} of {t.term!r} vs {stems[stem]!r}"
            stems[stem] = t.term
    # and within one term, an alias is not just the term's plural
    for t in terms:
        for alias in t.aliases:
            assert alias.casefold() not in {t.term.casefold() + "s", t.term.casefold() + "es"}


def test_no_alias_is_a_too_common_word(terms) -> None:
    for t in terms:
        for alias in t.aliases:
            assert alias.casefold() not in TOO_COMMON, f"{t.term!r} has alias {alias!r}"


def test_every_see_also_names_another_term(terms) -> None:
    names = {t.term.casefold() for t in terms}
    for t in terms:
        for other in t.see_also:
            assert other.casefold() in names, f"{t.term!r} sees also unknown {other!r}"
            assert other.casefold() != t.term.casefold(), f"{t.term!r} sees also itself"
        assert len({o.casefold() for o in t.see_also}) == len(t.see_also)


def test_each_level_is_a_term_with_its_number(terms) -> None:
    by_name = {t.term.casefold(): t for t in terms}
    for lv in LEVELS:
        term = by_name.get(lv.name.casefold())
        assert term is not None, f"level {lv.number} {lv.name!r} has no term"
        assert term.level == lv.number
        if lv.short != lv.name:
            assert lv.short.casefold() in {a.casefold() for a in term.aliases}


def test_levels_are_valid_where_set(terms) -> None:
    for t in terms:
        assert t.level is None or (type(t.level) is int and 0 <= t.level <= 9), t.term


@pytest.mark.parametrize("topic", REQUIRED_TOPICS)
def test_required_topic_is_present(terms, topic: str) -> None:
    assert topic.casefold() in _index(terms), f"missing topic {topic!r}"


def test_a_team_word_names_one_term(terms) -> None:
    seen: dict[tuple[str, str], str] = {}
    teams_used = 0
    for t in terms:
        teams_used += bool(t.teams)
        for team, word in t.teams.items():
            key = (team.casefold(), word.casefold())
            assert seen.get(key, t.term) == t.term, (
                f"{team} says {word!r} for both {seen[key]!r} and {t.term!r}")
            seen[key] = t.term
    assert teams_used >= len(terms) // 4, "about a third of the terms should name team words"


def test_team_words_do_not_name_other_terms(terms) -> None:
    index = _index(terms)
    for t in terms:
        for team, word in t.teams.items():
            owner = index.get(word.casefold(), t)
            assert owner is t, f"{team}'s word {word!r} for {t.term!r} is a name of {owner.term!r}"


def test_definitions_are_short_plain_sentences(terms) -> None:
    for t in terms:
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", t.definition) if s]
        assert 1 <= len(sentences) <= 3, f"{t.term!r}: {len(sentences)} sentences"
        assert t.definition.endswith("."), t.term
        assert "\u201c" not in t.definition and "\u201d" not in t.definition, t.term


def test_org_example_see_also_resolves_with_builtin_terms(terms) -> None:
    """Every see_also of the example site's org glossary names a built-in or org term."""
    org = yaml.safe_load(ORG_GLOSSARY.read_text(encoding="utf-8"))
    org_names = {t["term"].casefold() for t in org["terms"]}
    builtin = {t.term.casefold() for t in terms}
    for t in org["terms"]:
        for other in t.get("see_also", ()):
            assert other.casefold() in org_names | builtin, f"org term {t['term']!r}: {other!r}"


def test_org_example_does_not_collide_by_accident(terms) -> None:
    """The example org glossary adds words; it does not silently reuse built-in names."""
    org = yaml.safe_load(ORG_GLOSSARY.read_text(encoding="utf-8"))
    builtin = _index(terms)
    for t in org["terms"]:
        for name in [t["term"], *t.get("aliases", ())]:
            assert name.casefold() not in builtin, f"org {name!r} clashes with built-in"
    words = {(team.casefold(), word.casefold()): t.term
             for t in terms for team, word in t.teams.items()}
    for t in org["terms"]:
        for team, word in t.get("teams", {}).items():
            other = words.get((team.casefold(), word.casefold()))
            assert other is None, f"org {t['term']!r}: {team} word {word!r} is built-in {other!r}'s"


# --- sources (glossary format 1.1) ------------------------------------------------------------

MLTRL_PAPER = "MLTRL (Lavin et al., 2022)"
SHANKAR = "Shankar et al., 2022 (Operationalizing machine learning: an interview study)"
VERIFICATION_METHODS = "Systems engineering verification methods (e.g. NASA Systems Engineering Handbook)"
GENERAL = "General ML / software engineering usage"
# Terms whose source is not the MLTRL paper, by the reference's glossary seed (section 8).
ATTRIBUTIONS = {
    "MLTRL": MLTRL_PAPER,
    "Switchback": MLTRL_PAPER,
    "Level card": MLTRL_PAPER,
    "Three Vs of MLOps": SHANKAR,
    "MLOps loop": SHANKAR,
    "Verification method": VERIFICATION_METHODS,
    "Technology readiness level": "NASA / DoD technology readiness levels",
    "DataOps": "Bayram & Ahmed, 2024 (survey of robust, trustworthy MLOps, ACM Computing Surveys)",
    "ModelOps": "Bayram & Ahmed, 2024 (survey of robust, trustworthy MLOps, ACM Computing Surveys)",
    "MLOps maturity model": "John, Olsson & Bosch, 2021",
    "A/B test": GENERAL,
    "Canary release": GENERAL,
    "Data drift": GENERAL,
    "MLOps": GENERAL,
    "Earned level": "mltrl-docs (this tool's own concept)",
}


def test_the_file_is_glossary_format_1_1(glossary) -> None:
    assert "\nmltrl: 1.1\nterms:" in glossary[2]


def test_every_term_names_its_source(terms) -> None:
    assert [t.term for t in terms if not (t.source and t.source.strip())] == []


@pytest.mark.parametrize(("term", "source"), ATTRIBUTIONS.items())
def test_attribution(terms, term: str, source: str) -> None:
    [found] = [t for t in terms if t.term == term]
    assert found.source == source


def test_only_mltrl_terms_credit_mltrl_in_their_definition(terms) -> None:
    """A definition may say what MLTRL does with a general idea, but never present someone
    else's idea (the three Vs, a verification method, TRL) as MLTRL's own."""
    for t in terms:
        if t.source in (SHANKAR, VERIFICATION_METHODS) or (t.source or "").startswith(("Bayram", "John,")):
            assert "MLTRL" not in t.definition, t.term
