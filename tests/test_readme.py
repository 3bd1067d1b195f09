"""The README's example outputs are what the commands print."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import REPO

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
