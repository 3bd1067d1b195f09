"""A portal built from local sources and bundles (issue 15, items 3 to 8): one site, bundle cards
through the same pipeline, edit links into each bundle's own repository, the bundle's
provenance on its pages, its evidence published, hostile text escaped, and the site's own
``readiness.json``; and the round trip: the example built from its bundle alone."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from conftest import REPO, run_cli, run_mkdocs
from mltrl_docs.resources import load_schema

from .support import bundle, entry, portal, save, team_site

HOSTILE = "<script>alert('x')</script>"
EVIDENCE = "evidence/<b>x\"'.csv"


def _hostile(data: dict[str, Any]) -> dict[str, Any]:
    """Team B's bundle as a hostile CI job could write it: script in a card's title and body, and an
    evidence file whose name is markup."""
    card = data["cards"][1]
    text = card["content"].replace("title: Drift monitor", f"title: \"{HOSTILE}\"")
    text = text.replace("evidence: [evidence/psi.csv]", 'evidence: [evidence/psi.csv, "evidence/<b>x\\"\'.csv"]')
    text += f"\n{HOSTILE}\n<img src=x onerror=alert(1)>\n"
    card.update(entry(card["path"], text))
    data["files"].append(entry("dossiers/t2.1/" + EVIDENCE, "slice,psi\nall,0.01\n"))
    return data


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A portal with a local project (L1.1) and two bundles: the example's (its own repository, its git
    history) and team B's hostile one (T2.1, no repository); built, with the example's bundle."""
    tmp = tmp_path_factory.mktemp("portal")
    home = tmp / "portal"
    example = bundle(REPO / "site_example", home / "bundles" / "example.json",
                     "--repo-url", "https://git.example.org/ml/example")
    save(_hostile(bundle(team_site(tmp / "b", "T2.1"), tmp / "b.json")), home / "bundles" / "team-b.json")
    team_site(home, "L1.1")
    config = portal(home, "sources: [dossiers]\nbundles: [bundles/*.json]\n"
                          "gates: {risk-scored: info, sections: info, evidence-contradicts: info}\n")
    config.write_text(config.read_text(encoding="utf-8") + "repo_url: https://git.example.org/portal\n"
                      "edit_uri: edit/main/docs/\n",
                      encoding="utf-8")
    built = run_mkdocs(config, home / "site")
    assert built.returncode == 0, built.stderr[-3000:]
    return home / "site", example


def _html(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def test_one_site_from_a_local_source_and_two_bundles(merged: tuple[Path, dict[str, Any]]) -> None:
    site, _ = merged
    for project in ("L1.1", "T2.1", "P12.2", "R02.1"):
        assert (site / "dossier" / project / "index.html").is_file(), project
    portfolio = (site / "dossier" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{p}/"' in portfolio for p in ("L1.1/", "T2.1/", "P12.2/")) or \
        all(p in portfolio for p in ("L1.1", "T2.1", "P12.2"))
    cards = [p for p in (site / "dossier" / "T2.1").iterdir() if p.name.startswith("L")]
    assert len(cards) == 2 and all((p / "index.html").is_file() for p in cards)


def test_edit_links_open_each_cards_own_repository(merged: tuple[Path, dict[str, Any]]) -> None:
    site, _ = merged
    page = next((site / "dossier" / "P12.2").glob("L8-*/index.html")).read_text(encoding="utf-8")
    links = re.findall(r'href="(https://git\.example\.org/[^"]*)"', page)
    assert any(link.startswith("https://git.example.org/ml/example/edit/main/site_example/dossiers/solar-array/L8-")
               for link in links), links
    team = next((site / "dossier" / "T2.1").glob("L0-*/index.html")).read_text(encoding="utf-8")
    assert "https://git.example.org/portal/edit" not in team  # no repository known: no edit link at all
    local = next((site / "dossier" / "L1.1").glob("L0-*/index.html")).read_text(encoding="utf-8")
    assert "https://git.example.org/portal/edit/main/dossiers/l1.1/L0-" in local


def test_a_bundle_cards_page_shows_the_bundles_provenance(merged: tuple[Path, dict[str, Any]]) -> None:
    site, example = merged
    history = example["provenance"]["files"]
    path = next((p for p in sorted(history) if "/solar-array/L8-" in p and history[p]["commits"]), None)
    if path is None:
        pytest.skip("the repository is not a git checkout: the example's bundle has no provenance")
    page = (site / "dossier" / "P12.2" / Path(path).stem / "index.html").read_text(encoding="utf-8")
    commit = example["provenance"]["commits"][history[path]["commits"][0]]
    assert history[path]["commits"][0][:7] in page and commit["author"] in page
    assert f"bundles/example.json: site_example/dossiers</code> at commit <code>{example['repository']['commit'][:7]}" \
        in page  # what the page is true as of


def test_a_bundles_evidence_is_published_and_its_file_names_escaped(merged: tuple[Path, dict[str, Any]]) -> None:
    site, _ = merged
    assert (site / "dossier" / "T2.1" / "files" / "evidence" / "psi.csv").read_text() == "slice,psi\nall,0.08\n"
    assert (site / "dossier" / "T2.1" / "files" / EVIDENCE).is_file()
    page = next((site / "dossier" / "T2.1").glob("L1-*/index.html")).read_text(encoding="utf-8")
    assert "%3Cb%3Ex%22%27.csv" in page and "&lt;b&gt;x" in page
    assert '<b>x"' not in page


def test_no_page_runs_a_bundles_script(merged: tuple[Path, dict[str, Any]]) -> None:
    site, _ = merged
    pages = _html(site)
    assert not [uri for uri, html in pages.items() if "<script>alert" in html or "<img src=x" in html]
    card = next(html for uri, html in pages.items() if uri.startswith("dossier/T2.1/L1-"))
    assert "&lt;script&gt;alert" in card  # shown as text: raw HTML is off for every card


def test_the_site_publishes_its_readiness_json(merged: tuple[Path, dict[str, Any]]) -> None:
    site, example = merged
    data = json.loads((site / "dossier" / "readiness.json").read_text(encoding="utf-8"))
    Draft202012Validator(load_schema("bundle")).validate(data)
    projects = {card["project"] for card in data["cards"]}
    assert {"L1.1", "T2.1"} | {card["project"] for card in example["cards"]} == projects
    paths = {card["path"] for card in data["cards"]}
    assert {f"bundles/example.json/{card['path']}" for card in example["cards"]} <= paths
    sources = {s["path"]: s["repository"] for s in data["sources"]}
    assert sources["bundles/example.json/site_example/dossiers"]["url"] == "https://git.example.org/ml/example"
    portfolio = (site / "dossier" / "index.html").read_text(encoding="utf-8")
    assert 'href="readiness.json"' in portfolio


def test_export_writes_the_bundles_projects_files_as_the_site_publishes_them(
        merged: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    site, _ = merged
    out = tmp_path / "out"
    result = run_cli("export", str(site.parent), "--out", str(out))
    assert result.exit_code == 0, result.output
    for name in ("T2.1/badge.svg", "T2.1/requirements.csv", "L1.1/badge.svg", "portfolio.csv"):
        assert (out / name).read_bytes() == (site / "dossier" / name).read_bytes(), name
    assert "mltrl-docs-" not in result.output  # no unpacked temporary folder is named


def test_the_example_built_from_its_bundle_alone_has_the_same_pages(example_site: Path, tmp_path: Path) -> None:
    """A bundle carries everything the pages show; what differs is only how a file is named (by the
    bundle: 'example.json: site_example/dossiers/...'), and readiness.json, whose paths say the same."""
    home = tmp_path / "portal"
    shutil.copytree(REPO / "site_example" / "docs", home / "docs")
    shutil.copytree(REPO / "site_example" / "bundles", home / "bundles")  # compare: its earlier bundle
    made = bundle(REPO / "site_example", home / "example.json")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (home / "mkdocs.yml").write_text(config.replace("docs_dir: site_example/docs", "docs_dir: docs").replace(
        "settings: site_example/mltrl-docs.yml", "settings: mltrl-docs.yml"), encoding="utf-8")
    settings = (REPO / "site_example" / "mltrl-docs.yml").read_text(encoding="utf-8")
    (home / "mltrl-docs.yml").write_text(settings.replace("sources: [dossiers]", "bundles: [example.json]")
                                         .replace("glossary: [glossary/org.yml]", ""), encoding="utf-8")
    built = run_mkdocs(home / "mkdocs.yml", home / "site", strict=True)
    assert built.returncode == 0, built.stderr[-3000:]
    original, rebuilt = example_site / "dossier", home / "site" / "dossier"
    names = sorted(p.relative_to(original).as_posix() for p in original.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(rebuilt).as_posix() for p in rebuilt.rglob("*") if p.is_file())
    differ = []
    for name in names:
        if name == "readiness.json":
            continue
        before, after = (original / name).read_bytes(), (rebuilt / name).read_bytes()
        if before != after.replace(b"example.json: site_example/", b"site_example/").replace(
                b"example.json: dossiers/", b"dossiers/"):
            differ.append(name)
    assert differ == []
    first = json.loads((original / "readiness.json").read_text(encoding="utf-8"))
    second = json.loads((rebuilt / "readiness.json").read_text(encoding="utf-8"))
    assert [(c["path"], c["sha256"], c["earned_level"], c["requirements"]) for c in first["cards"]] == [
        (c["path"].removeprefix("example.json/"), c["sha256"], c["earned_level"], c["requirements"])
        for c in second["cards"]]
    assert first["provenance"]["commits"] == second["provenance"]["commits"] == made["provenance"]["commits"]
