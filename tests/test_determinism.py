"""The same sources build the same site, byte for byte, wherever and however the build runs.

A dossier is published from CI and diffed between deployments (and its CSP hashes
are computed from it): a build that depends on the working directory, on hash
randomisation or on absolute paths of the build machine makes every deployment
look changed, and leaks the machine's folders into a published site.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from mltrl_docs.dossier import build_site
from mltrl_docs.settings import load_settings

TEXT_SUFFIXES = {".html", ".json", ".xml", ".js", ".css", ".txt", ".csv", ".log", ".yml", ".svg"}


def _build(out: Path, cwd: Path, config: str, hash_seed: str) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
           "SOURCE_DATE_EPOCH": "1700000000", "PYTHONHASHSEED": hash_seed}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(out)],
                            check=False, cwd=cwd, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]


def _files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def _first_difference(name: str, one: bytes, other: bytes) -> str:
    """A short unified diff of the first differing file (lines cut, JSON split at its items)."""
    def lines(data: bytes) -> list[str]:
        text = data.decode("utf-8", "replace").replace('},{', '},\n{').replace("><", ">\n<")
        return [line[:200] for line in text.splitlines()]

    diff = difflib.unified_diff(lines(one), lines(other), f"first/{name}", f"second/{name}", n=1, lineterm="")
    return "\n".join(list(diff)[:40])


@pytest.mark.slow
def test_two_builds_from_different_places_are_byte_identical(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere" / "deeper"
    elsewhere.mkdir(parents=True)
    first, second = tmp_path / "first", tmp_path / "second"
    _build(first, REPO, "mkdocs.yml", "1")
    _build(second, elsewhere, str(REPO / "mkdocs.yml"), "2")
    one, other = _files(first), _files(second)
    assert sorted(one) == sorted(other), sorted(set(one) ^ set(other))
    differing = [name for name in one if one[name] != other[name]]
    assert not differing, (f"{len(differing)} file(s) differ, first {differing[0]}:\n"
                           + _first_difference(differing[0], one[differing[0]], other[differing[0]]))
    # And no page, nor the search index, names a folder of the build machine.
    leaks = [name for name, data in one.items()
             if Path(name).suffix in TEXT_SUFFIXES and (str(REPO).encode() in data or str(tmp_path).encode() in data)]
    assert leaks == []


def test_finding_messages_do_not_depend_on_the_working_directory(tmp_path: Path, write, write_card) -> None:
    """Messages are published on the findings page: they name files from the dossier source."""
    write("site/mltrl-docs.yml", "sources: [dossiers, more]\n")
    write_card("site/dossiers/a/L2.md", project="A", date="2020-01-01", links={"gone": "../docs/missing.md"})
    write_card("site/dossiers/a/L3.md", project="A", date="2020-01-01", level=3,
               transition={"from": 2, "kind": "advance"})
    write_card("site/more/b/L2.md", project="A", date="2020-02-01")
    settings, _ = load_settings(tmp_path / "site" / "mltrl-docs.yml")
    assert settings is not None
    seen = []
    previous = Path.cwd()
    try:
        for cwd in (tmp_path, tmp_path / "site" / "dossiers" / "a", REPO):
            os.chdir(cwd)
            seen.append(sorted((f.rule, f.message, f.related) for f in build_site(settings).findings))
    finally:
        os.chdir(previous)
    assert seen[0] == seen[1] == seen[2]
    text = repr(seen[0])
    assert str(tmp_path) not in text
    assert "looked for docs/missing.md" in text  # from the card's source, dossiers/
    assert "already used by ../dossiers/a/" in text  # the other project, from more/
    assert "'a/L2.md:" in text or "'a/L3.md:" in text  # the first card of a shared date
