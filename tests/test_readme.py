"""The README's example outputs are what the commands print."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, WheelVenv

README = (REPO / "README.md").read_text(encoding="utf-8")


def _block_after(marker: str) -> str:
    """The first fenced block after the paragraph that holds ``marker``."""
    start = README.index(marker)
    match = re.search(r"```\n(.*?)```", README[start:], re.DOTALL)
    assert match is not None, marker
    return match.group(1)


def test_check_next_prints_the_gap_the_readme_shows() -> None:
    shown = _block_after("prints instead what the project's current card must change")
    result = subprocess.run([sys.executable, "-m", "mltrl_docs", "check", "--next", "P07.1", "site_example"],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stdout == shown


def test_diff_prints_the_changes_the_readme_shows() -> None:
    """The card is dated after --since, so it is listed whatever git's history says, and the text
    names no commit: the output is the same in a clone, a shallow clone or a tarball."""
    shown = _block_after("`diff` lists what changed in each card")
    result = subprocess.run([sys.executable, "-m", "mltrl_docs", "diff", "--since", "2026-06-01",
                             "site_example/dossiers/anomaly/L2-2026-06-08.md"],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == shown
    assert "mltrl-docs diff --since 2026-06-01 site_example/dossiers/anomaly/L2-2026-06-08.md" in README


def _sh_block_after(marker: str) -> str:
    start = README.index(marker)
    match = re.search(r"```sh\n(.*?)```", README[start:], re.DOTALL)
    assert match is not None, marker
    return match.group(1)


def _commands(block: str) -> list[list[str]]:
    """Each line of a shell block, split as the shell would, its comment left out."""
    return [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]


def _run(args: list[str], cwd: Path, venv: WheelVenv | None = None) -> subprocess.CompletedProcess[str]:
    """``args`` as a user runs them: in ``venv`` (its bin/ first on PATH, so ``mltrl-docs`` and ``mkdocs``
    are its scripts), or without one through this interpreter."""
    if venv is not None:
        env = venv.env()
        found = shutil.which(args[0], path=env["PATH"])
        assert found is not None and Path(found).parent == venv.bin, (args[0], found)
        return subprocess.run([found, *args[1:]], capture_output=True, text=True, cwd=cwd, timeout=300, env=env)
    if args[0] == "mltrl-docs":
        args = [sys.executable, "-m", "mltrl_docs", *args[1:]]
    elif args[0] == "mkdocs":
        args = [sys.executable, "-m", "mkdocs", *args[1:]]
    return subprocess.run(args, capture_output=True, text=True, cwd=cwd, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


@pytest.mark.slow
def test_the_quickstart_runs_as_written(wheel_venv: WheelVenv, tmp_path: Path) -> None:
    """Every command of the Quickstart, in order, from an empty folder, in a fresh venv that has the
    built wheel installed (conftest.wheel_venv), its bin/ first on PATH."""
    here = tmp_path
    for command in _commands(_sh_block_after("## Quickstart")):
        if command[:2] == ["python3", "-m"]:
            continue  # pip install: the wheel is installed in the venv already
        steps = [command]
        if "&&" in command:
            cut = command.index("&&")
            steps = [command[:cut], command[cut + 1:]]
        for step in steps:
            if step[0] == "cd":
                here = here / step[1]
                continue
            result = _run(step, here, wheel_venv)
            assert result.returncode == 0, (step, result.stdout, result.stderr)
    assert (here / "site" / "dossier" / "R01.1" / "index.html").is_file()
    assert "transition.reason is a placeholder" in result.stdout  # the last command's output


def test_every_new_example_runs_in_a_site_init_writes(tmp_path: Path) -> None:
    examples = _commands(_sh_block_after("`--format json` prints a summary and a list of findings"))
    assert [e[:2] for e in examples] == [["mltrl-docs", "new"]] * 3
    for number, example in enumerate(examples):
        site = tmp_path / str(number)
        assert _run(["mltrl-docs", "init", str(site)], tmp_path).returncode == 0
        made = _run(example, site)
        assert made.returncode == 0, (example, made.stdout, made.stderr)
        [card] = made.stdout.split()
        checked = _run(["mltrl-docs", "check", "--fail-on", "error", card], site)
        assert checked.returncode == 0 and " 0 errors" in checked.stdout, checked.stdout


def test_every_plugin_option_and_setting_is_documented() -> None:
    """The README names each option of the plugin and each top-level key of mltrl-docs.yml."""
    from mltrl_docs.plugin import MltrlConfig
    from mltrl_docs.resources import load_schema

    options = [name for name in vars(MltrlConfig) if not name.startswith("_")]
    assert {"enabled", "settings", "prefix", "pages", "fail_on", "custom_templates"} <= set(options)
    settings = list(load_schema("settings")["properties"])
    missing = [name for name in [*options, *settings] if f"`{name}" not in README]
    assert missing == []


def _hosting_blocks() -> list[list[list[str]]]:
    """The commands of each shell block of the README's Hosting section."""
    start = README.index("## Hosting")
    section = README[start:README.index("\n## ", start)]
    return [_commands(block) for block in re.findall(r"```sh\n(.*?)```", section, re.DOTALL)]


def _run_host(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``args`` as _run runs them; properdocs and zensical are the scripts beside this interpreter
    (the test extra installs them), ``test`` the shell's."""
    script = Path(sys.executable).parent / args[0]
    if args[0] in ("properdocs", "zensical") and script.is_file():
        args = [str(script), *args[1:]]
    return _run(args, cwd)


@pytest.mark.slow
def test_every_hosting_command_runs_in_a_site_init_writes(tmp_path: Path) -> None:
    """MkDocs and ProperDocs with the plugin, render for Zensical and for MkDocs without it: each
    block's commands pass in a site `mltrl-docs init` writes, and each builds the portfolio page.
    The last block, the check for a plugin that did not run, fails where Zensical runs no plugin."""
    blocks = _hosting_blocks()
    assert [block[0][:2] for block in blocks] == [["mkdocs", "build"], ["properdocs", "build"],
                                                  ["mltrl-docs", "render"], ["mltrl-docs", "render"],
                                                  ["zensical", "build"]]
    site = tmp_path / "site"
    assert _run(["mltrl-docs", "init", str(site)], tmp_path).returncode == 0
    for block in blocks[:-1]:
        for command in block:
            result = _run_host(command, site)
            assert result.returncode == 0, (command, result.stdout[-2000:], result.stderr[-2000:])
        built = site / "site" if block[0][0] != "mltrl-docs" else site / "build" / "dossier" / "site"
        portfolio = (built / "dossier" / "index.html").read_text(encoding="utf-8")
        assert "<table" in portfolio and "fonts.googleapis" not in portfolio, block  # nothing from outside
        shutil.rmtree(built)
    build, check = blocks[-1]
    strict = _run_host(build, site)  # init writes strict: true: the links into the dossier fail the build
    assert strict.returncode != 0 and "page does not exist" in strict.stdout + strict.stderr
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("strict: true", "strict: false"), encoding="utf-8")
    assert _run_host(build, site).returncode == 0  # without strict: a site, and not a word
    assert (site / "site" / "index.html").is_file()
    assert _run_host(check, site).returncode == 1  # what the README's check is for
