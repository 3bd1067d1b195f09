"""``mltrl-docs.yml``: where a site's dossier sources and glossaries are.

One file read by both the CLI and the MkDocs plugin, so ``mltrl-docs check``
and ``mkdocs build`` always look at the same cards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mltrl_docs import schema
from mltrl_docs.findings import Finding, Position, error, has_errors
from mltrl_docs.gates import GateSettings
from mltrl_docs.glossary import LinkMode
from mltrl_docs.load import read_text
from mltrl_docs.yamldata import YamlSyntaxError, read_yaml

SETTINGS_FILE = "mltrl-docs.yml"


@dataclass(frozen=True, slots=True)
class Settings:
    """Resolved settings: absolute folders and files."""

    sources: tuple[Path, ...]
    glossary: tuple[Path, ...] = ()
    builtin_glossary: bool = True
    """Put the MLTRL glossary shipped with mltrl-docs under the site's own terms."""
    link_terms: LinkMode = "first"
    """Link glossary terms on card and dossier pages: off, first use per page, or every use."""
    gates: GateSettings = field(default_factory=GateSettings)
    """The gate policy: each rule's severity and thresholds (spec/gates.md defaults)."""
    file: Path | None = None
    """The settings file these came from, if any."""


def load_settings(path: Path) -> tuple[Settings | None, list[Finding]]:
    """Read and check a settings file; None (with findings) when it is unusable."""
    text, problem, _ = read_text(path)
    if text is None:
        assert problem is not None
        return None, [problem]
    try:
        document = read_yaml(text)
    except YamlSyntaxError as exc:
        return None, [error("yaml", exc.problem.message, path, exc.problem.position, hint=exc.problem.hint)]
    findings = schema.check("settings", document, path, Position(1, 1))
    if document.data is None:
        findings = [error("settings", "settings file is empty", path, Position(1, 1),
                          hint="list your dossier folders: sources: [dossiers]")]
    if has_errors(findings):
        return None, findings
    root = path.parent
    data = document.data
    return Settings(
        sources=tuple((root / s).resolve() for s in data["sources"]),
        glossary=tuple((root / g).resolve() for g in data.get("glossary", ())),
        builtin_glossary=data.get("builtin_glossary", True),
        link_terms=data.get("link_terms", "first"),
        gates=GateSettings.from_data(data.get("gates")),
        file=path.resolve(),
    ), findings
