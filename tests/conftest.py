"""Fixtures: small real card files written into tmp_path."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent

BODY = """
**TL;DR**: A monitor that warns when search traffic drifts.

## Model / algorithm info

Population stability index over 40 query features.
"""


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
