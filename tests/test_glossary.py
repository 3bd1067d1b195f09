"""The glossary's scopes, names and consistency findings (built from small real glossary files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mltrl_docs.dossier import build_dossier
from mltrl_docs.findings import Severity
from mltrl_docs.glossary import build_glossary, builtin_terms, fold, plurals
from mltrl_docs.load import load_glossary


def terms(write, name: str, text: str, project: str | None = None):
    loaded, findings = load_glossary(write(name, "mltrl: 1\nterms:\n" + text), project=project)
    assert findings == []
    return loaded


SWITCHBACK = """\
  - term: Switchback
    definition: A return to an earlier level.
    aliases: [step back]
    teams: {Research: revisit, Product: re-plan}
"""


@pytest.mark.parametrize(("name", "plural"), [("switchback", "switchbacks"), ("policy", "policies"),
                                                ("box", "boxes"), ("PoC", "PoCs"), ("day", "days"),
                                                ("tech debt", "tech debts"), ("Level 4", None)])
def test_plurals(name: str, plural: str | None) -> None:
    assert plurals(name) == ((plural,) if plural else ())


def test_every_name_resolves_to_one_entry(write) -> None:
    glossary, findings = build_glossary(terms(write, "org.yml", SWITCHBACK), {}, builtin=False)
    assert findings == []
    entry = glossary.lookup("Switchback")
    assert entry is not None and entry.anchor == "switchback"
    for name in ("switchbacks", "SWITCHBACK", "step  back", "step backs", "revisit", "re-plans"):
        assert glossary.lookup(name) is entry, name
    assert glossary.lookup("switch") is None


def test_builtin_terms_are_under_site_terms_and_a_site_term_overrides_one(write) -> None:
    builtin_count = len(builtin_terms())
    glossary, findings = build_glossary([], {})
    assert findings == [] and len(glossary.entries) == builtin_count >= 60
    assert glossary.lookup("gated review") is not None and glossary.lookup("gated review").builtin
    site = terms(write, "org.yml", "  - term: Gated review\n    definition: Our own board meeting.\n")
    glossary, findings = build_glossary(site, {})
    assert findings == [] and len(glossary.entries) == builtin_count
    assert glossary.lookup("gated review").term.definition == "Our own board meeting."
    off, _ = build_glossary(site, {}, builtin=False)
    assert [e.term.term for e in off.entries] == ["Gated review"]


def test_a_term_defined_twice_with_different_definitions_is_a_warning(write) -> None:
    first = terms(write, "a.yml", "  - term: Drift check\n    definition: One thing.\n")
    second = terms(write, "b.yml", "  - term: drift  check\n    definition: Another thing.\n"
                                   "  - term: Same\n    definition: Same words.\n")
    third = terms(write, "c.yml", "  - term: Same\n    definition: Same   words.\n")
    glossary, findings = build_glossary(first + second + third, {}, builtin=False)
    assert [(f.severity, f.path.name, f.line) for f in findings] == [(Severity.WARNING, "b.yml", 3)]
    assert "defined twice with different definitions (first in a.yml:3)" in findings[0].message
    assert findings[0].rule == "glossary" and findings[0].hint
    assert glossary.lookup("drift check").term.definition == "One thing."


def test_an_alias_colliding_with_another_term_or_alias_is_a_warning(write) -> None:
    org = terms(write, "org.yml", SWITCHBACK + "  - term: Rollback\n    definition: Undo a release.\n"
                                  "    aliases: [Switchback]\n  - term: Step\n    definition: x.\n"
                                  "    aliases: [Step back]\n")
    glossary, findings = build_glossary(org, {}, builtin=False)
    messages = sorted(f.message for f in findings)
    assert len(findings) == 2 and all(f.severity is Severity.WARNING for f in findings)
    assert "alias 'Step back' of term 'Step' is already an alias of 'Switchback'" in messages[0]
    assert "alias 'Switchback' of term 'Rollback' is already the term 'Switchback'" in messages[1]
    assert glossary.lookup("switchback").term.term == "Switchback"


def test_a_site_alias_colliding_with_a_builtin_name_is_reported_on_the_site_file(write) -> None:
    org = terms(write, "org.yml", "  - term: Board review\n    definition: x.\n    aliases: [Gated review]\n")
    _, findings = build_glossary(org, {})
    assert [(f.path.name, f.severity) for f in findings] == [("org.yml", Severity.WARNING)]


def test_see_also_naming_no_term_is_a_warning_and_aliases_count(write) -> None:
    org = terms(write, "org.yml", SWITCHBACK + "  - term: Gated review\n    definition: x.\n"
                                  "    see_also: [step back, Nonexistent]\n")
    _, findings = build_glossary(org, {}, builtin=False)
    assert [f.message for f in findings] == ["see_also 'Nonexistent' of term 'Gated review' names no term"]
    assert findings[0].line == 7


def test_project_terms_shadow_org_terms_as_info_and_only_on_their_pages(write) -> None:
    org = terms(write, "org.yml", SWITCHBACK + "  - term: Gated review\n    definition: x.\n")
    own = terms(write, "p/glossary.yml", "  - term: Switchback\n    definition: Our kind.\n"
                                         "    see_also: [Gated review]\n", project="P1")
    glossary, findings = build_glossary(org, {"P1": own}, builtin=False)
    assert [(f.severity, f.path.name) for f in findings] == [(Severity.INFO, "glossary.yml")]
    assert "shadows the org term" in findings[0].message
    assert glossary.lookup("switchback", "P1").term.definition == "Our kind."
    assert glossary.lookup("switchback").term.definition == "A return to an earlier level."
    assert glossary.lookup("revisit", "P1").term.term == "Switchback"
    assert glossary.lookup("switchback", "P2").project is None
    assert {e.anchor for e in glossary.entries} == {"switchback", "gated-review", "p1-switchback"}


def test_a_team_word_for_two_terms_is_a_warning(write) -> None:
    org = terms(write, "org.yml", SWITCHBACK + "  - term: Rollback\n    definition: Undo a release.\n"
                                  "    teams: {Research: Revisit}\n")
    _glossary, findings = build_glossary(org, {}, builtin=False)
    assert [f.message for f in findings] == ["team 'Research' calls both 'Rollback' and 'Switchback' 'revisit'"]
    assert findings[0].severity is Severity.WARNING


def test_by_team_view_lists_each_teams_words(write) -> None:
    glossary, _ = build_glossary(terms(write, "org.yml", SWITCHBACK), {}, builtin=False)
    teams = glossary.teams()
    assert list(teams) == ["Product", "Research"]
    assert [(w, e.term.term) for w, e in teams["Research"]] == [("revisit", "Switchback")]


def test_glossary_findings_reach_the_dossier(write, write_card, tmp_path: Path) -> None:
    write_card("src/p/card.md")
    write("src/p/glossary.yml", "mltrl: 1\nterms:\n  - term: Thing\n    definition: x.\n    see_also: [Nope]\n")
    dossier = build_dossier([tmp_path / "src"])
    assert [f.message for f in dossier.findings] == ["see_also 'Nope' of term 'Thing' names no term"]
    assert dossier.glossary.lookup("thing", "C1") is not None
    assert fold("  A  b ") == "a b"


def test_the_example_glossaries_are_consistent() -> None:
    root = Path(__file__).parent.parent / "site_example"
    dossier = build_dossier([root / "dossiers"], [root / "glossary" / "org.yml"])
    assert [f for f in dossier.findings if f.rule == "glossary"] == []
    assert dossier.glossary.lookup("readiness portal").term.term == "Portal"


def test_fold_makes_unicode_normal_forms_one_name() -> None:
    assert fold("Cafe\u0301") == fold("café") == fold("CAFÉ") == "café"
    assert fold("j\u030c") == fold("\u01f0") == "\u01f0"  # case folding decomposes it; folded back
    assert fold(" a\u2003\u00a0b\n") == "a b"


def test_nfc_and_nfd_spellings_are_one_term_for_duplicates_and_collisions(write) -> None:
    nfc, nfd = "Café", "Cafe\u0301"
    first = terms(write, "a.yml", f"  - term: {nfc}\n    definition: One thing.\n")
    second = terms(write, "b.yml", f"  - term: {nfd}\n    definition: Another thing.\n"
                                   f"  - term: Bistro\n    definition: x.\n    aliases: [{nfd.upper()}]\n")
    glossary, findings = build_glossary(first + second, {}, builtin=False)
    messages = [f.message for f in findings]
    assert len(messages) == 2, messages
    assert "defined twice with different definitions (first in a.yml:3)" in messages[0]
    assert f"alias '{nfd.upper()}' of term 'Bistro' is already the term '{nfc}'" in messages[1]
    assert glossary.lookup(nfd) is glossary.lookup(nfc) is not None


def test_the_glossary_page_and_tooltips_show_a_terms_source(write) -> None:
    from mltrl_docs.model import Dossier
    from mltrl_docs.render.html import Renderer
    from mltrl_docs.render.pages import glossary_pages

    path = write("org.yml", "mltrl: 1.1\nterms:\n  - term: Shadow week\n    definition: A week in shadow mode.\n"
                            "    source: Operations <handbook>\n  - term: Golden set\n    definition: Frozen data.\n")
    site, findings = load_glossary(path)
    assert findings == []
    glossary, _ = build_glossary(site, {})
    renderer = Renderer("dossier")
    page = glossary_pages(Dossier(), glossary, "dossier")[0]
    html = renderer.render(page, lambda uri: uri, {})
    assert "<strong>Source:</strong> Operations &lt;handbook&gt;</p>" in html
    assert "<strong>Source:</strong> MLTRL (Lavin et al., 2022)</p>" in html  # the built-in terms
    assert html.count("mltrl-source") == len(glossary.entries) - 1  # all but the term without a source
    term = renderer.env.get_template("_term.html")
    shadow = term.render(href="#shadow-week", entry=glossary.lookup("shadow week"), text="x")
    # The tooltip (mltrl.css) reads data-term, aria-description and data-source: the definition once.
    assert ('data-term="Shadow week: " aria-description="A week in shadow mode." '
            'data-source=" Source: Operations &lt;handbook&gt;"') in shadow
    assert shadow.count("A week in shadow mode.") == 1
    golden = term.render(href="#golden-set", entry=glossary.lookup("golden set"), text="x")
    assert 'data-term="Golden set: " aria-description="Frozen data.">' in golden
