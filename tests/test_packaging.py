"""The built wheel carries schema/ and templates/ and works from a fresh venv (conftest.wheel_venv)."""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import re
import subprocess
import sys
import textwrap
import tomllib
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, WheelVenv


@pytest.mark.slow
def test_wheel_ships_schemas_and_templates_and_loads_them(wheel_venv: WheelVenv, tmp_path: Path) -> None:
    names = set(zipfile.ZipFile(wheel_venv.wheel).namelist())
    for name in ("level-card", "glossary", "settings", "check-output", "next-output", "diff-output", "glossary-output"):
        assert f"mltrl_docs/schema/{name}.schema.json" in names
    assert "mltrl_docs/templates/card.md" in names
    assert "mltrl_docs/templates/ethics-checklist.md" in names
    assert "mltrl_docs/py.typed" in names
    assert {"mltrl_docs/data/messages/en.yml", "mltrl_docs/data/messages/de.yml"} <= names

    venv = wheel_venv.venv  # the wheel installed in a fresh venv (conftest.wheel_venv)
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
    result = subprocess.run([str(wheel_venv.python), "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "L0-2024-01-01.md"


def test_every_package_the_code_imports_is_declared() -> None:
    """A third-party import the dependencies don't name works only while another package brings it."""
    imported: set[str] = set()
    for path in (REPO / "mltrl_docs").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {name for name in imported if name not in sys.stdlib_module_names and name != "mltrl_docs"}
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0].lower() for spec in project["dependencies"]}
    distributions = metadata.packages_distributions()
    missing = {name: distributions.get(name) for name in third_party
               if not {d.lower() for d in distributions.get(name, [name])} & declared}
    assert missing == {}


def test_every_shipped_template_file_is_used() -> None:
    """templates/ ships inside the wheel: each file in templates/mltrl is named by the package's code
    or by another template, so a stray file (a page a script rendered into the folder) cannot ship."""
    code = "\n".join(path.read_text(encoding="utf-8") for path in (REPO / "mltrl_docs").rglob("*.py"))
    shipped = {path.name: path.read_text(encoding="utf-8") for path in (REPO / "templates" / "mltrl").iterdir()}
    unused = [name for name in sorted(shipped)
              if name not in code and not any(name in text for other, text in shipped.items() if other != name)]
    assert unused == [], f"files in templates/mltrl that nothing uses: {unused}"
