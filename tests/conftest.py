"""Fixtures: small real card files written into tmp_path."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from mltrl_docs.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent

# --- hypothesis profiles (docs/fuzzing.md) ---------------------------------------------
# "ci", the default: derandomized (the same examples on every run, so CI is never flaky),
# no example database, a fixed budget: every property runs max_examples times its own
# share (tests/fuzz_strategies.py: budget), about 60 s for all of them on 2 cores.
# "long": 20,000 examples (times each share), random, failures kept in .hypothesis/ and
# replayed first next time. Pick it with MLTRL_FUZZ=long or --hypothesis-profile=long;
# MLTRL_FUZZ_EXAMPLES=N replaces the profile's max_examples.
settings.register_profile(
    "ci", max_examples=100, derandomize=True, database=None, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long", max_examples=20_000, derandomize=False, deadline=None, print_blob=True,
    database=DirectoryBasedExampleDatabase(str(REPO / ".hypothesis" / "examples")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_profile = os.environ.get("MLTRL_FUZZ") or "ci"
if os.environ.get("MLTRL_FUZZ_EXAMPLES"):
    # Scale a profile for a run of a given length: MLTRL_FUZZ=long MLTRL_FUZZ_EXAMPLES=2000.
    settings.register_profile(f"{_profile}-scaled", settings.get_profile(_profile),
                              max_examples=int(os.environ["MLTRL_FUZZ_EXAMPLES"]))
    _profile = f"{_profile}-scaled"
settings.load_profile(_profile)

BODY = """
**TL;DR**: A monitor that warns when search traffic drifts.

## Model / algorithm info

Population stability index over 40 query features.
"""


def run_cli(*args: str, cwd: Path | None = None) -> Result:
    """``mltrl-docs ARGS`` in-process, from ``cwd`` (default: where the test runs)."""
    previous = Path.cwd()
    if cwd:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(previous)


def card_text(body: str = BODY, **fields: Any) -> str:
    """A card file: defaults for every required field, overridden by ``fields``
    (a value of None removes the field)."""
    data: dict[str, Any] = {
        "mltrl": 1,
        "project": "C1",
        "title": "Drift monitor",
        "level": 2,
        "date": "2024-03-01",
        "status": "approved",
        "owners": ["Ada Okafor"],
        "reviewers": [{"name": "Lin Chen", "decision": "approved", "date": "2024-03-05"}],
    }
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n" + body


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """write('p/card.md', text) -> the absolute path, parents created."""

    def _write(relative: str, content: str | bytes) -> Path:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content) if content.startswith("\n") else content, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def write_card(write: Callable[..., Path]) -> Callable[..., Path]:
    """write_card('p/L2.md', level=2, ...) using card_text()."""

    def _write_card(relative: str, body: str = BODY, **fields: Any) -> Path:
        return write(relative, card_text(body, **fields))

    return _write_card
