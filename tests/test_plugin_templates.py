"""The plugin's `custom_templates` option: a site's own templates replace the shipped ones
by file name, the rest stay."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, Built, run_mkdocs


def _site(tmp_path: Path, option: str) -> Path:
    shutil.copytree(REPO / "site_example", tmp_path / "site_example")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("      settings: site_example/mltrl-docs.yml\n",
                            f"      settings: site_example/mltrl-docs.yml\n      custom_templates: {option}\n")
    assert "custom_templates" in config
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    return tmp_path


def _build(root: Path) -> Built:
    return run_mkdocs(root / "mkdocs.yml", root / "site", strict=True)


def test_a_site_template_replaces_the_shipped_one_by_name(tmp_path: Path) -> None:
    root = _site(tmp_path, "overrides")
    (root / "overrides").mkdir()
    (root / "overrides" / "card.html").write_text(
        '<p class="site-card">Site card: {{ card.title }} at level {{ card.level.number }}</p>\n', encoding="utf-8")
    result = _build(root)
    assert result.returncode == 0, result.stderr[-2000:]
    card = (root / "site" / "dossier" / "P04.3" / "L9-2023-03-06" / "index.html").read_text(encoding="utf-8")
    assert '<p class="site-card">Site card: Satellite-imagery cloud mask at level 9</p>' in card
    dossier = (root / "site" / "dossier" / "P04.3" / "index.html").read_text(encoding="utf-8")
    assert "site-card" not in dossier and "Gated reviews" in dossier


def test_a_site_template_written_for_an_earlier_version_still_builds(tmp_path: Path) -> None:
    """Shipped templates import their macros without context and ask the globals for the page's links
    (url, file_url); a site's template may still import them "with context" and use the page's
    variables url and published, as templates did before."""
    root = _site(tmp_path, "overrides")
    (root / "overrides").mkdir()
    (root / "overrides" / "card.html").write_text(
        '{% from "_macros.html" import link, page_link with context %}<p class="site-card">'
        '{% for name, ref in card.links.items() %}{{ link(ref, name) }} {% endfor %}'
        '{% call page_link(project_uri(project)) %}dossier{% endcall %} {{ published | length > 0 }} '
        '{{ url(project_uri(project)) }}</p>\n', encoding="utf-8")
    result = _build(root)
    assert result.returncode == 0, result.stderr[-2000:]
    card = (root / "site" / "dossier" / "P04.3" / "L9-2023-03-06" / "index.html").read_text(encoding="utf-8")
    assert '<p class="site-card">' in card and '<a href="../">dossier</a> True ../</p>' in card


def test_a_missing_template_folder_is_a_config_error(tmp_path: Path) -> None:
    result = _build(_site(tmp_path, "no-such-folder"))
    assert result.returncode != 0
    assert "custom_templates" in result.stderr and "no-such-folder" in result.stderr
