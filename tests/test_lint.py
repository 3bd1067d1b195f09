"""The code base is ruff-clean: ruff runs over it, with pyproject.toml's explicit rule selection, as part of
the suite (and so in CI)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from conftest import REPO

PATHS = ["mltrl_docs", "tests", "benchmarks", "docs"]


@pytest.mark.slow
def test_ruff_finds_nothing() -> None:
    if importlib.util.find_spec("ruff") is None:
        pytest.fail('ruff is not installed: install the test extra (python3 -m pip install -e ".[test]")',
                    pytrace=False)
    result = subprocess.run([sys.executable, "-m", "ruff", "check", *PATHS], cwd=REPO,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
