"""The built wheel carries schema/ and templates/ and works from a fresh venv."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from conftest import REPO


@pytest.mark.slow
def test_wheel_ships_schemas_and_templates_and_loads_them(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    [wheel] = dist.glob("mltrl_docs-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("level-card", "glossary", "settings"):
        assert f"mltrl_docs/schema/{name}.schema.json" in names
    assert "mltrl_docs/templates/card.md" in names
    assert "mltrl_docs/py.typed" in names

    venv = tmp_path / "venv"
    # System site-packages provide the dependencies (no network); the wheel itself is
    # installed into the venv, whose site-packages come first on sys.path.
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    probe = textwrap.dedent(f"""
        import mltrl_docs, mltrl_docs.resources as r
        from pathlib import Path
        assert Path(mltrl_docs.__file__).is_relative_to({str(venv)!r}), mltrl_docs.__file__
        assert r.resource_dir("schema").parent == Path(mltrl_docs.__file__).parent
        for name in r.SCHEMA_NAMES:
            assert r.load_schema(name)["$schema"].endswith("2020-12/schema")
        from mltrl_docs.scaffold import first_card
        import datetime
        print(first_card(project="A", title="t", owners=["o"], team=None, to_level=0,
                         date=datetime.date(2024, 1, 1)).file_name)
    """)
    result = subprocess.run([str(python), "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "L0-2024-01-01.md"
