"""Small real sites bundled with ``mltrl-docs bundle``, bundles edited by hand (as a hostile CI
job would), and portals that import them."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

from conftest import run_cli

MKDOCS = """site_name: portal
theme: {name: mkdocs, highlightjs: false}
plugins:
  - mltrl: {settings: mltrl-docs.yml}
"""


def team_site(folder: Path, project: str, title: str = "Drift monitor") -> Path:
    """The site ``mltrl-docs init`` writes (two approved cards, an ethics page, an org glossary: a
    clean check), its project renamed, with an evidence file its current card cites."""
    result = run_cli("init", str(folder), "--force")
    assert result.exit_code == 0, result.output
    cards = folder / "dossiers" / project.lower()
    (folder / "dossiers" / "example-project").rename(cards)
    for card in sorted(cards.glob("L*.md")):
        text = card.read_text(encoding="utf-8").replace("project: R01.1", f"project: {project}")
        card.write_text(text.replace("title: Example project", f"title: {title}"), encoding="utf-8")
    (cards / "evidence").mkdir()
    (cards / "evidence" / "psi.csv").write_text("slice,psi\nall,0.08\n", encoding="utf-8")
    current = sorted(cards.glob("L1-*.md"))[0]
    current.write_text(current.read_text(encoding="utf-8").replace("requirements: []", REQUIREMENTS),
                       encoding="utf-8")
    return folder


REQUIREMENTS = """requirements:
  - {id: "1", kind: research, text: PSI stays below 0.1 on every slice., verification: test, status: in-progress,
     evidence: [evidence/psi.csv]}"""


def bundle(site: Path, out: Path, *args: str) -> dict[str, Any]:
    """``mltrl-docs bundle SITE --out OUT`` and the bundle it wrote."""
    result = run_cli("bundle", str(site), "--out", str(out), *args)
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


def entry(path: str, content: str | bytes) -> dict[str, Any]:
    """A file entry of a bundle holding ``content`` (text as utf-8, bytes as base64)."""
    data = content.encode() if isinstance(content, str) else content
    return {"path": path, "encoding": "utf-8" if isinstance(content, str) else "base64",
            "content": content if isinstance(content, str) else base64.b64encode(data).decode(),
            "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def save(data: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def portal(folder: Path, settings: str) -> Path:
    """A portal site: mkdocs.yml, ``settings`` as its mltrl-docs.yml and a home page; its mkdocs.yml."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mltrl-docs.yml").write_text(settings, encoding="utf-8")
    (folder / "docs").mkdir(exist_ok=True)
    (folder / "docs" / "index.md").write_text("# Portal\n", encoding="utf-8")
    config = folder / "mkdocs.yml"
    config.write_text(MKDOCS, encoding="utf-8")
    return config
