"""The package type-checks: mypy runs over it as part of the suite (and so in CI)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.slow
def test_mypy_finds_no_errors_in_the_package() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "mltrl_docs"], cwd=REPO,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
