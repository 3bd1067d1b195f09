"""The bundle commands the README shows run as written, and the ``bundles:`` setting reads as the
README and docs/bundles.md say (did-you-mean, nothing to build)."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from jsonschema import Draft202012Validator

from conftest import REPO, run_cli
from mltrl_docs.resources import load_schema
from mltrl_docs.settings import load_settings

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_readmes_bundle_commands_run_as_written(tmp_path: Path) -> None:
    block = re.search(r"```sh\n(mltrl-docs bundle .*?)```", README, re.DOTALL)
    assert block is not None
    commands = [shlex.split(line, comments=True) for line in block.group(1).splitlines() if line.strip()]
    assert [c[:2] for c in commands] == [["mltrl-docs", "bundle"]] * 2
    site = tmp_path / "site"
    assert run_cli("init", str(site)).exit_code == 0
    for command in commands:
        result = run_cli(*command[1:], cwd=site)
        assert result.exit_code == 0, result.output
        data = json.loads((site / "readiness.json").read_text(encoding="utf-8"))
        Draft202012Validator(load_schema("bundle")).validate(data)
        assert len(data["cards"]) == 2
    assert data["sources"][0]["repository"]["url"] == "https://git.example.org/vision/cards"
    assert "[docs/bundles.md](docs/bundles.md)" in README and (REPO / "docs" / "bundles.md").is_file()


def test_a_misspelt_bundles_key_gets_a_did_you_mean(tmp_path: Path) -> None:
    (tmp_path / "mltrl-docs.yml").write_text("sources: [d]\nbundle: [b.json]\n", encoding="utf-8")
    settings, findings = load_settings(tmp_path / "mltrl-docs.yml")
    assert settings is None
    assert any("bundles" in (f.hint or "") + f.message and f.line == 2 for f in findings), findings


def test_settings_with_neither_sources_nor_bundles_say_there_is_nothing_to_build(tmp_path: Path) -> None:
    (tmp_path / "mltrl-docs.yml").write_text("glossary: []\n", encoding="utf-8")
    settings, findings = load_settings(tmp_path / "mltrl-docs.yml")
    assert settings is None
    assert [f.message for f in findings] == ["settings list no 'sources' and no 'bundles': there is nothing to build"]


def test_bundles_alone_are_enough(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "one.json").write_text("{}", encoding="utf-8")
    (tmp_path / "mltrl-docs.yml").write_text("bundles: [b/*.json]\nlimits: {bundle_bytes: 4096}\n", encoding="utf-8")
    settings, findings = load_settings(tmp_path / "mltrl-docs.yml")
    assert settings is not None and settings.sources == () and findings == []
    assert settings.bundles == (tmp_path / "b" / "one.json",) and settings.limits.bundle_bytes == 4096
