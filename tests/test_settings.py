"""``mltrl-docs.yml``: limits, sources listed twice or nested, invisible characters, site
reviewer roles and the review-roles table."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import REPO
from mltrl_docs.dossier import build_site
from mltrl_docs.findings import Position, Severity
from mltrl_docs.gates import GateSettings
from mltrl_docs.roles import BUILTIN_ROLES
from mltrl_docs.settings import Limits, load_settings


def test_limits_default_and_are_read(write) -> None:
    settings, findings = load_settings(write("site/mltrl-docs.yml", "sources: [d]\n"))
    assert settings is not None and findings == [] and settings.limits == Limits()
    settings, findings = load_settings(write("site/mltrl-docs.yml", "sources: [d]\nlimits:\n  title: 80\n  files: 9\n"))
    assert settings is not None and findings == []
    assert settings.limits == Limits(title=80, files=9)


def test_unknown_or_out_of_range_limits_are_located_errors(write) -> None:
    settings, findings = load_settings(write("site/mltrl-docs.yml", "sources: [d]\nlimits:\n  titel: 80\n"
                                                                    "  yaml_depth: 100000\n"))
    assert settings is None
    assert sorted((f.line, f.field) for f in findings) == [(3, "limits.titel"), (4, "limits.yaml_depth")]


def test_the_example_documents_every_limit_with_its_default(write) -> None:
    """The commented block in site_example/mltrl-docs.yml, uncommented, is valid and says the defaults."""
    text = (REPO / "site_example" / "mltrl-docs.yml").read_text(encoding="utf-8")
    block = text[text.index("# limits:"):]
    uncommented = "\n".join(line.removeprefix("# ") for line in block.splitlines())
    settings, findings = load_settings(write("site/mltrl-docs.yml", "sources: [d]\n" + uncommented + "\n"))
    assert findings == [] and settings is not None and settings.limits == Limits()


def test_build_site_uses_the_limits(write, write_card, tmp_path: Path) -> None:
    write_card("site/d/p/L2.md", title="A title of forty characters, more or les")
    settings, _ = load_settings(write("site/mltrl-docs.yml", "sources: [d]\nlimits: {title: 30}\n"))
    assert settings is not None
    dossier = build_site(settings)
    assert dossier.cards == [] and [c.title for c in dossier.invalid_cards] == ["A title of forty characters,…"]
    assert any("(limits.title)" in f.message for f in dossier.findings)


def test_a_source_listed_twice_or_nested_is_a_warning_at_its_line(write, write_card, tmp_path: Path) -> None:
    write_card("site/d/p/L2.md")
    path = write("site/mltrl-docs.yml", "sources:\n  - d\n  - ./d/\n  - d/p\n")
    settings, findings = load_settings(path)
    assert settings is not None and settings.sources == ((tmp_path / "site" / "d").resolve(),)
    assert [(f.severity, f.rule, f.position, f.field) for f in findings] == [
        (Severity.WARNING, "settings", Position(3, 5), "sources[1]"),
        (Severity.WARNING, "settings", Position(4, 5), "sources[2]"),
    ]
    assert findings[0].message == "source './d/' is listed twice (first on line 2); it is read once"
    assert findings[1].message.startswith("source 'd/p' is inside source 'd'")
    dossier = build_site(settings)
    assert list(dossier.projects) == ["C1"]
    assert not any("already used" in f.message for f in dossier.findings)
    assert [f for f in dossier.findings if f.path == path] == findings  # reported with the dossier


def test_a_source_through_a_symlink_is_the_same_source(write, write_card, tmp_path: Path) -> None:
    write_card("site/d/p/L2.md")
    os.symlink(tmp_path / "site" / "d", tmp_path / "site" / "alias")
    settings, findings = load_settings(write("site/mltrl-docs.yml", "sources: [d, alias]\n"))
    assert settings is not None and len(settings.sources) == 1 and "listed twice" in findings[0].message
    assert list(build_site(settings).projects) == ["C1"]


def test_a_looping_source_does_not_crash(write, tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    os.symlink(tmp_path / "site" / "loop", tmp_path / "site" / "loop")
    settings, findings = load_settings(write("site/mltrl-docs.yml", "sources: [loop]\n"))
    assert settings is not None and findings == []
    dossier = build_site(settings)
    assert [(f.rule, f.message) for f in dossier.findings] == [("source", "dossier source folder is a symlink loop")]


def test_control_characters_in_the_settings_file_are_errors(write) -> None:
    settings, findings = load_settings(write("site/mltrl-docs.yml", "sources: [d]\n# a \x1b[1mbold\x1b[0m note\n"))
    assert settings is None
    assert [(f.rule, f.position) for f in findings] == [("control-character", Position(2, 5))]


def test_a_bidi_control_in_the_settings_file_is_a_warning(write) -> None:
    settings, findings = load_settings(write("site/mltrl-docs.yml", "sources: [d]\n# note \u202e\n"))
    assert settings is not None and [(f.severity, f.rule) for f in findings] == [(Severity.WARNING, "bidi")]
    assert settings.findings == tuple(findings)


# --- reviewer roles and the gate policy ----------------------------------------------------

ROLES_SETTINGS = """sources: [d]
roles:
  legal: Legal counsel, who reviews licences and data agreements.
gates:
  review-roles:
    table:
      5: [legal]
      7: [qa, product, legal]
"""


def test_site_roles_load_beside_the_built_in_ones(write) -> None:
    settings, findings = load_settings(write("site/mltrl-docs.yml", ROLES_SETTINGS))
    assert settings is not None and findings == []
    assert settings.roles["legal"] == "Legal counsel, who reviews licences and data agreements."
    assert set(BUILTIN_ROLES) < set(settings.roles)
    assert settings.gates.option("review-roles", "table") == {5: ("legal",), 7: ("qa", "product", "legal")}
    default, _ = load_settings(write("site/mltrl-docs.yml", "sources: [d]\n"))
    assert default is not None and dict(default.roles) == dict(BUILTIN_ROLES)
    assert default.gates == GateSettings()


def test_a_card_may_name_a_site_role_and_the_gate_counts_it(write, write_card, tmp_path: Path) -> None:
    write_card("site/d/p/L7.md", mltrl=1.1, level=7, reviewers=[
        {"name": "Lin Chen", "decision": "approved", "role": "qa"},
        {"name": "Sam Ode", "decision": "approved", "role": "product"},
        {"name": "Kim Park", "decision": "approved", "role": "legal"}])
    settings, _ = load_settings(write("site/mltrl-docs.yml", ROLES_SETTINGS))
    assert settings is not None
    dossier = build_site(settings)
    assert not [f for f in dossier.findings if f.rule in ("reviewer-role", "review", "review-roles")]
    assert dossier.gates.approved[tmp_path / "site" / "d" / "p" / "L7.md"]
    without_site_roles, _ = load_settings(write("site/mltrl-docs.yml", "sources: [d]\n"))
    assert without_site_roles is not None
    assert [f.field for f in build_site(without_site_roles).findings if f.rule == "reviewer-role"] == [
        "reviewers[2].role"]


def test_an_unknown_role_in_the_review_roles_table_is_a_located_error(write) -> None:
    path = write("site/mltrl-docs.yml", "sources: [d]\ngates:\n  review-roles:\n    table:\n"
                                        "      7: [qa, prodcut]\n      '9': [legal]\n")
    settings, findings = load_settings(path)
    assert settings is None
    assert [(f.severity, f.rule, f.position, f.field) for f in findings] == [
        (Severity.ERROR, "settings", Position(5, 15), "gates.review-roles.table.7[1]"),
        (Severity.ERROR, "settings", Position(6, 13), "gates.review-roles.table.9[0]"),
    ]
    assert findings[0].message == "review-roles asks level 7 for role 'prodcut', which is not a known role"
    assert (findings[0].hint or "").startswith("did you mean 'product'? use one of: research-lead, peer, qa, product")
    assert (findings[0].hint or "").endswith("(or add the role under roles:)")
    assert not (findings[1].hint or "").startswith("did you mean")


def test_a_role_differing_only_in_case_is_unknown_with_a_suggestion(write) -> None:
    settings, findings = load_settings(write("site/mltrl-docs.yml", "sources: [d]\ngates:\n  review-roles: "
                                                                    "{table: {7: [QA]}}\n"))
    assert settings is None
    assert [f.field for f in findings] == ["gates.review-roles.table.7[0]"]
    assert (findings[0].hint or "").startswith("did you mean 'qa'?")


def test_the_site_roles_are_checked_by_the_schema(write) -> None:
    settings, findings = load_settings(write("site/mltrl-docs.yml", "sources: [d]\nroles:\n  Legal Team: x\n"))
    assert settings is None and [f.field for f in findings] == ["roles.Legal Team"]


def test_a_gate_setting_in_the_settings_file_is_read(write) -> None:
    settings, findings = load_settings(write("site/mltrl-docs.yml", "sources: [d]\ngates:\n  versions: {data: null}\n"
                                                                    "  ethics-pre: {started: 2}\n  stale: \"on\"\n"))
    assert settings is not None and findings == []
    assert settings.gates.option("versions", "data") is None and settings.gates.option("versions", "code") == 3
    assert settings.gates.option("ethics-pre", "started") == 2
    assert settings.gates.severity("stale") is Severity.INFO  # on at its own default severity


def test_build_date_pins_the_day_a_check_and_a_build_count_to(write, write_card, tmp_path: Path) -> None:
    import datetime as dt

    from click.testing import CliRunner

    from mltrl_docs.cli import main

    write_card("site/d/p/L2.md", date="2024-03-01")
    write_card("site/d/p/L3.md", level=3, date="2024-06-01", transition={"from": 2, "kind": "advance"})
    path = write("site/mltrl-docs.yml", "sources: [d]\nbuild_date: 2024-05-01\n")
    settings, findings = load_settings(path)
    assert findings == [] and settings is not None and settings.build_date == dt.date(2024, 5, 1)
    dossier = build_site(settings)
    assert dossier.today == dt.date(2024, 5, 1)
    assert [f.path.name for f in dossier.findings if f.rule == "future-date"] == ["L3.md"]
    later = build_site(settings, today=dt.date(2024, 7, 1))  # an explicit day wins
    assert later.today == dt.date(2024, 7, 1) and not [f for f in later.findings if f.rule == "future-date"]
    message = "card is dated 2024-06-01, after the build date 2024-05-01"
    result = CliRunner().invoke(main, ["check", str(tmp_path / "site")], catch_exceptions=False)
    assert result.exit_code == 1 and message in result.output
    write("site/mltrl-docs.yml", "sources: [d]\nbuild_date: 2024-06-01\n")
    assert "after the build date" not in CliRunner().invoke(main, ["check", str(tmp_path / "site")]).output
    unpinned, _ = load_settings(write("site/mltrl-docs.yml", "sources: [d]\n"))
    before = dt.date.today()
    assert unpinned is not None and unpinned.build_date is None
    assert before <= build_site(unpinned).today <= dt.date.today()  # the day it runs


def test_a_malformed_build_date_is_a_located_error(write) -> None:
    for value in ("2024-13-01", "'2024-5-1'", "20240501", "yesterday"):
        settings, findings = load_settings(write("site/mltrl-docs.yml", f"sources: [d]\nbuild_date: {value}\n"))
        assert settings is None and [(f.line, f.column, f.field) for f in findings] == [(2, 13, "build_date")], value


def test_a_source_may_name_the_repository_it_is_checked_out_from(write, tmp_path: Path) -> None:
    settings, findings = load_settings(write("site/mltrl-docs.yml", (
        "sources:\n  - local\n"
        "  - path: ../vendor/vision\n    repo_url: https://git.example.org/vision/cards\n"
        "    branch: release\n    folder: dossiers\n"
        "  - path: plain\n")))
    assert findings == [] and settings is not None
    site = tmp_path / "site"
    assert settings.sources == (site / "local", tmp_path / "vendor" / "vision", site / "plain")
    [(folder, repository)] = settings.repositories.items()
    assert folder == tmp_path / "vendor" / "vision"
    assert repository.edit_url(folder, folder / "p" / "L1.md") == \
        "https://git.example.org/vision/cards/edit/release/dossiers/p/L1.md"


def test_a_source_repository_must_be_a_web_address_and_edit_uri_a_path(write) -> None:
    settings, findings = load_settings(write("site/mltrl-docs.yml", (
        "sources:\n"
        "  - path: a\n    repo_url: javascript:alert(1)\n"
        "  - path: b\n    repo_url: https://git.example.org/b\n    edit_uri: //evil.example/\n"
        "  - path: c\n    branch: main\n"
        "  - path: d\n    repo: https://git.example.org/d\n")))
    assert settings is None
    located = sorted((f.line, f.field) for f in findings)
    assert located == [(3, "sources[0].repo_url"), (6, "sources[1].edit_uri"), (8, "sources[2].branch"),
                       (10, "sources[3].repo")], [f.message for f in findings]


# --- teams: the teams' MLOps maturity stages ------------------------------------------------------


def test_teams_stages_default_to_john_olsson_and_bosch(write) -> None:
    from mltrl_docs.settings import MLOPS_MATURITY, MLOPS_STAGES, TeamSettings

    text = "sources: [d]\nteams:\n  stages:\n    Optimisation research: Automated model deployment\n"
    settings, findings = load_settings(write("site/mltrl-docs.yml", text))
    assert settings is not None and findings == []
    teams = settings.teams
    assert teams.maturity.stages == MLOPS_STAGES and teams.maturity.name == MLOPS_MATURITY
    assert teams.stages == {"Optimisation research": "Automated model deployment"}
    assert teams.at["Optimisation research"] == Position(4, 5) and teams.file == settings.file
    settings, _ = load_settings(write("site/mltrl-docs.yml", "sources: [d]\n"))
    assert settings is not None and settings.teams.stages == {} and settings.teams.maturity == TeamSettings().maturity


def test_a_site_lists_its_own_stages(write) -> None:
    settings, findings = load_settings(write("site/mltrl-docs.yml", "sources: [d]\nteams:\n  maturity:\n"
                                                                    "    stages: [ad hoc, repeatable, managed]\n"
                                                                    "  stages: {Vision: managed, 2024: ad hoc}\n"))
    assert settings is not None and findings == []
    assert settings.teams.maturity.stages == ("ad hoc", "repeatable", "managed")
    assert settings.teams.maturity.name is None
    assert settings.teams.stages == {"Vision": "managed", "2024": "ad hoc"}  # team 2024: the text its cards write


def test_a_stage_not_in_the_list_is_a_located_error_with_the_nearest_stage(write) -> None:
    path = write("site/mltrl-docs.yml", "sources: [d]\nteams:\n  stages:\n    Optimisation research: automated "
                                        "model deploymnt\n    Vision: Automated data collection\n")
    settings, findings = load_settings(path)
    assert settings is None
    [found] = findings
    assert (found.severity, found.rule, found.position, found.field) == (
        Severity.ERROR, "settings", Position(4, 28), "teams.stages.Optimisation research")
    assert found.message == ("team 'Optimisation research' is at stage 'automated model deploymnt', which is not a "
                             "stage of MLOps maturity (John, Olsson and Bosch, 2021)")
    assert found.hint is not None and found.hint.startswith("did you mean 'Automated model deployment'? use one of: "
                                                            "Automated data collection, Automated model deployment")
    settings, findings = load_settings(write("site/mltrl-docs.yml", "sources: [d]\nteams:\n  maturity: {name: Ours, "
                                                                    "stages: [low, high]}\n"
                                                                    "  stages: {A: hihg, B: mid}\n"))
    assert settings is None
    assert [(f.line, f.message, f.hint) for f in findings] == [
        (4, "team 'A' is at stage 'hihg', which is not a stage of Ours", "did you mean 'high'? use one of: low, high"),
        (4, "team 'B' is at stage 'mid', which is not a stage of Ours", "use one of: low, high")]


def test_a_malformed_teams_setting_is_a_located_error(write) -> None:
    for text, line, field in [("teams: {stagse: {}}\n", 2, "teams.stagse"),
                              ("teams:\n  maturity: {stages: [a, a]}\n", 3, "teams.maturity.stages"),
                              ("teams:\n  maturity: {name: x}\n", 3, "teams.maturity"),
                              ("teams:\n  stages: {'': Automated data collection}\n", 3, "teams.stages."),
                              ("teams:\n  stages: {A: [Automated data collection]}\n", 3, "teams.stages.A")]:
        settings, findings = load_settings(write("site/mltrl-docs.yml", "sources: [d]\n" + text))
        assert settings is None, text
        assert [(f.severity, f.line, f.field) for f in findings] == [(Severity.ERROR, line, field)], text
