"""``mltrl-docs.yml``: where a site's dossier sources and glossaries are.

One file read by both the CLI and the MkDocs plugin, so ``mltrl-docs check``
and ``mkdocs build`` always look at the same cards.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mltrl_docs import schema
from mltrl_docs.bundle.locate import bundle_files
from mltrl_docs.findings import Finding, Position, Severity, error, has_errors
from mltrl_docs.frontmatter import MAX_FILE_BYTES
from mltrl_docs.gates import GateSettings
from mltrl_docs.glossary import LinkMode
from mltrl_docs.load import MAX_GLOSSARY_NAME, MAX_TITLE, read_text, yaml_findings
from mltrl_docs.messages import Message, load_messages
from mltrl_docs.provenance import ProvenanceSettings
from mltrl_docs.references import resolved
from mltrl_docs.repositories import DEFAULT_BRANCH, Repository
from mltrl_docs.roles import known_roles
from mltrl_docs.sources import MAX_FILES
from mltrl_docs.yamldata import MAX_DEPTH, MAX_NODES, YamlDocument, YamlSyntaxError, read_yaml

SETTINGS_FILE = "mltrl-docs.yml"


@dataclass(frozen=True, slots=True)
class Limits:
    """How much the loader reads at most (the ``limits:`` setting). A source set to ``/`` by
    mistake, a log pasted as a title or a hostile file then makes a check report a located
    error in a moment, instead of hanging it or filling every page's navigation."""

    file_bytes: int = MAX_FILE_BYTES
    """Bytes of one card, page, glossary or settings file; a bigger file is not read."""
    files: int = MAX_FILES
    """Files and folders visited under all sources (Markdown or not); discovery stops past it."""
    yaml_depth: int = MAX_DEPTH
    """Nesting of one YAML document; real cards need fewer than 6 levels."""
    yaml_nodes: int = MAX_NODES
    """Values of one YAML document, counting each expansion of an alias (alias bombs)."""
    title: int = MAX_TITLE
    """Characters of a card or page title: longer makes a card invalid (its listed title is cut)."""
    glossary_name: int = MAX_GLOSSARY_NAME
    """Characters of a glossary term, alias, team name or team word: longer skips the term."""
    bundle_bytes: int = 256 * 1024 * 1024
    """Bytes of one bundle file (``bundles:``); a bigger one is not read. Each file inside it is
    held to ``file_bytes`` and their number to ``files``."""


@dataclass(frozen=True, slots=True)
class ChangeSettings:
    """The ``changes:`` setting: since when the 'What changed' page and ``mltrl-docs diff`` list
    the cards that changed (``mltrl_docs.changes``)."""

    since: int | dt.date | str = 90
    """A number of days before the build date, a date, or a git ref of the sources' repository
    (resolved when the changes are listed: ``changes.resolve_since``)."""
    at: Position | None = None
    """Where ``since`` is written in the settings file (None: not written, the default), so that a
    value that names no day when it is resolved (a git ref that is no commit) is reported there."""

    @classmethod
    def from_data(cls, data: object, at: Position | None = None) -> ChangeSettings:
        """From the settings file's (schema-checked) ``changes:`` mapping; ``at``: where its ``since`` is."""
        since = data.get("since", 90) if isinstance(data, Mapping) else 90
        if isinstance(since, str) and len(since) == 10 and since[4] == since[7] == "-" and since[:4].isdigit():
            return cls(dt.date.fromisoformat(since), at)  # the schema checked it is a date
        return cls(since, at)


@dataclass(frozen=True, slots=True)
class CompareSettings:
    """The ``compare:`` setting: a previous bundle the site's 'Readiness changes' page compares
    the site with (``readiness_diff``)."""

    bundle: Path
    """The bundle file (absolute; whether it exists and reads is found when the site is built)."""
    at: Position | None = None
    """Where ``bundle`` is written in the settings file, where a bundle that cannot be read is reported."""


MLOPS_MATURITY = "MLOps maturity (John, Olsson and Bosch, 2021)"
MLOPS_STAGES = ("Automated data collection", "Automated model deployment", "Semi-automated model monitoring",
                "Fully automated model monitoring")
"""The four stages of John, Olsson and Bosch's MLOps maturity model ("Towards MLOps: a framework and
maturity model", SEAA 2021), in order: the stages ``teams.stages`` names when the site lists none."""


@dataclass(frozen=True, slots=True)
class MaturityScale:
    """An ordered list of MLOps maturity stages (``teams.maturity``), first stage first."""

    stages: tuple[str, ...] = MLOPS_STAGES
    name: str | None = MLOPS_MATURITY
    """What the list is called on team pages; None: the pages' own word for it."""


@dataclass(frozen=True, slots=True)
class TeamSettings:
    """The ``teams:`` setting: where each team stands on a scale of MLOps maturity, shown on its team
    page beside the readiness of its projects (MLTRL rates technologies, not the teams that run them)."""

    maturity: MaturityScale = field(default_factory=MaturityScale)
    stages: Mapping[str, str] = field(default_factory=dict)
    """Team (as its cards write ``team:``) -> its stage, one of ``maturity.stages``."""
    at: Mapping[str, Position] = field(default_factory=dict)
    """Where each team of ``stages`` is written, where a team that no card has is reported."""
    file: Path | None = None
    """The settings file they are written in."""

    def unknown(self, teams: Collection[str]) -> list[Finding]:
        """A warning at each team ``stages`` names that is none of ``teams`` (the teams of the projects'
        current cards: the teams that have a page), with the nearest of them; checked once the cards are
        read (``dossier.check_dossier``), since the settings are read before them."""
        if self.file is None:
            return []
        found = []
        for team in self.stages:
            if team in teams:
                continue
            guess = _closest(team, teams)
            found.append(Finding(
                Severity.WARNING, "settings", f"teams.stages names team '{team}', but no project's current card "
                "has that team", self.file, self.at.get(team), field=f"teams.stages.{team}",
                hint=(f"did you mean '{guess}'? " if guess else "")
                + "write the team as its cards write 'team:'" + (f" ({', '.join(sorted(teams))})" if teams else "")))
        return found


@dataclass(frozen=True, slots=True)
class Settings:
    """Resolved settings: absolute folders and files."""

    sources: tuple[Path, ...]
    glossary: tuple[Path, ...] = ()
    repositories: Mapping[Path, Repository] = field(default_factory=dict)
    """Source folder -> the repository it is checked out from, for the sources that name one
    (``sources: [{path, repo_url, ...}]``): their cards' edit links and findings point there."""
    builtin_glossary: bool = True
    """Put the MLTRL glossary shipped with mltrl-docs under the site's own terms."""
    link_terms: LinkMode = "first"
    """Link glossary terms on card and dossier pages: off, first use per page, or every use."""
    image_hosts: tuple[str, ...] = ()
    """Hosts whose images card and attachment pages may show (lower case); by default none,
    so the site loads nothing from outside its own files."""
    gates: GateSettings = field(default_factory=GateSettings)
    """The gate policy: each rule's severity and thresholds (spec/gates.md defaults)."""
    roles: Mapping[str, str] = field(default_factory=lambda: known_roles())
    """Every reviewer role a card may name: the built-in ones and the site's ``roles:``."""
    file: Path | None = None
    """The settings file these came from, if any."""
    limits: Limits = field(default_factory=Limits)
    """How much the loader reads at most (the ``limits:`` setting)."""
    build_date: dt.date | None = None
    """The day the site is built as of (``build_date:``): what durations count to and the
    gates judge by, so that a build is the same whenever it runs; None: the day it runs."""
    language: str | None = None
    """The language of the site's labels (``language:``, a tag such as ``de`` or ``de-CH``), over
    the theme's; None: the theme's language, else English."""
    labels: Mapping[str, Message] = field(default_factory=dict)
    """The site's own text for labels (``labels:``): message key -> text, or a plural message's
    ``{one, other}`` forms; checked against the message tables when the settings are read."""
    provenance: ProvenanceSettings = field(default_factory=ProvenanceSettings)
    """Whether a build asks git who created and changed each card and recorded each decision,
    and how many commits it reads at most (``provenance:``)."""
    changes: ChangeSettings = field(default_factory=ChangeSettings)
    """Since when changes are listed by default (``changes:``)."""
    bundles: tuple[Path, ...] = ()
    """The bundle files the site imports (``bundles:``, paths or globs found when the settings are
    read): other repositories' cards, built with the site's own (``mltrl_docs.bundle``)."""
    compare: CompareSettings | None = None
    """The previous bundle the 'Readiness changes' page compares the site with (``compare:``); None: no such page."""
    teams: TeamSettings = field(default_factory=TeamSettings)
    """The teams' MLOps maturity stages (``teams:``), shown on the team pages."""
    findings: tuple[Finding, ...] = ()
    """Warnings about the settings file itself (a source listed twice), which ``build_site``
    reports with the dossier's findings: the adapters only show a settings file's errors."""


def load_settings(path: Path) -> tuple[Settings | None, list[Finding]]:
    """Read and check a settings file; None (with findings) when it is unusable."""
    text, findings, _ = read_text(path)
    if text is None:
        return None, findings
    try:
        document = read_yaml(text)
    except YamlSyntaxError as exc:
        return None, findings + yaml_findings([exc.problem], path)
    findings += schema.check("settings", document, path, Position(1, 1))
    findings += yaml_findings(document.warnings, path, Severity.WARNING)
    if document.data is None:
        findings = [error("settings", "settings file is empty", path, Position(1, 1),
                          hint="list your dossier folders: sources: [dossiers]")]
    elif isinstance(document.data, dict) and "sources" not in document.data and "bundles" not in document.data:
        findings.append(error("settings", "settings list no 'sources' and no 'bundles': there is nothing to build",
                              path, Position(1, 1), hint="list your dossier folders (sources: [dossiers]), "
                                                         "or bundles (bundles: [bundles/*.json]), or both"))
    if has_errors(findings):
        return None, findings
    root = path.parent
    data = document.data
    roles = known_roles(data.get("roles"))
    findings += _table_roles(data.get("gates"), roles, document, path)
    teams = _teams(data.get("teams"), document, path, findings)
    _, label_findings = load_messages(data.get("language"), data.get("labels"), path=path, document=document)
    findings += label_findings
    if has_errors(findings):
        return None, findings
    entries = [entry if isinstance(entry, str) else entry["path"] for entry in data.get("sources", ())]
    sources = _sources(entries, root, document, path, findings)
    bundles = bundle_files(data.get("bundles", ()), root, document, path, findings)  # reported by the build
    return Settings(
        sources=sources,
        bundles=bundles,
        repositories=_repositories(data.get("sources", []), root, sources),
        glossary=tuple(resolved(root / g) for g in data.get("glossary", ())),
        builtin_glossary=data.get("builtin_glossary", True),
        link_terms=data.get("link_terms", "first"),
        image_hosts=tuple(host.lower() for host in data.get("image_hosts", ())),
        gates=GateSettings.from_data(data.get("gates")),
        roles=roles,
        file=resolved(path),
        limits=Limits(**data.get("limits", {})),
        build_date=dt.date.fromisoformat(data["build_date"]) if "build_date" in data else None,
        language=data.get("language"),
        labels=dict(data.get("labels") or {}),
        provenance=ProvenanceSettings.from_data(data.get("provenance")),
        changes=ChangeSettings.from_data(data.get("changes"), document.values.get(("changes", "since"))),
        compare=(CompareSettings(resolved(root / data["compare"]["bundle"]), document.values.get(("compare", "bundle")))
                 if "compare" in data else None),
        teams=teams,
        findings=tuple(findings),
    ), findings


def _sources(entries: list[Any], root: Path, document: YamlDocument, path: Path,
             findings: list[Finding]) -> tuple[Path, ...]:
    """The source folders, each once: a folder listed twice, or inside another listed source,
    is read as part of the other, with a warning at its line (never 'project id already used
    by' the same project)."""
    folders = [resolved(root / entry) for entry in entries]
    kept: list[Path] = []
    for index, folder in enumerate(folders):
        where = document.values.get(("sources", index))
        first = folders.index(folder)
        outer = next((i for i, other in enumerate(folders) if other in folder.parents), None)
        if first < index:
            line = document.values.get(("sources", first))
            message = f"source '{entries[index]}' is listed twice" + (f" (first on line {line.line})" if line else "")
            findings.append(Finding(Severity.WARNING, "settings", message + "; it is read once", path, where,
                                    field=f"sources[{index}]", hint="remove one of the two entries"))
        elif outer is not None:
            findings.append(Finding(
                Severity.WARNING, "settings", f"source '{entries[index]}' is inside source '{entries[outer]}'; "
                "its folders are read once, as part of that source", path, where, field=f"sources[{index}]",
                hint=f"list only one of them: '{entries[outer]}' already holds every folder of '{entries[index]}'",
            ))
        else:
            kept.append(folder)
    return tuple(kept)


def _repositories(entries: list[Any], root: Path, sources: tuple[Path, ...]) -> dict[Path, Repository]:
    """The repositories the mapping form of ``sources`` names, by (kept) source folder."""
    found: dict[Path, Repository] = {}
    for entry in entries:
        if isinstance(entry, Mapping) and "repo_url" in entry:
            folder = resolved(root / entry["path"])
            if folder in sources and folder not in found:
                found[folder] = Repository(entry["repo_url"], entry.get("branch", DEFAULT_BRANCH),
                                           entry.get("edit_uri"), entry.get("folder"))
    return found


def _table_roles(gates: Any, roles: Mapping[str, str], document: YamlDocument, path: Path) -> list[Finding]:
    """Each role the review-roles table asks for is a known role (a typo would otherwise ask
    for a reviewer no card can name)."""
    rule = gates.get("review-roles") if isinstance(gates, Mapping) else None
    table = rule.get("table") if isinstance(rule, Mapping) else None
    found: list[Finding] = []
    for level, names in (table or {}).items():
        for index, name in enumerate(names):
            if name in roles:
                continue
            guess = difflib.get_close_matches(str(name).lower(), list(roles), n=1)
            where = document.values.get(("gates", "review-roles", "table", level, index), Position(1, 1))
            found.append(error(
                "settings", f"review-roles asks level {level} for role '{name}', which is not a known role",
                path, where, field=f"gates.review-roles.table.{level}[{index}]",
                hint=(f"did you mean '{guess[0]}'? " if guess else "") + "use one of: " + ", ".join(roles)
                + " (or add the role under roles:)"))
    return found


def _teams(data: Any, document: YamlDocument, path: Path, findings: list[Finding]) -> TeamSettings:
    """The (schema-checked) ``teams:`` setting; an error at each team's stage that is not one of the
    maturity stages, with the nearest of them."""
    if not isinstance(data, Mapping):
        return TeamSettings(file=resolved(path))
    maturity = data.get("maturity")
    scale = (MaturityScale(tuple(maturity["stages"]), maturity.get("name")) if isinstance(maturity, Mapping)
             else MaturityScale())
    stages: dict[str, str] = {}
    at: dict[str, Position] = {}
    for key, stage in (data.get("stages") or {}).items():
        team = str(key)  # a team named 123 is the text its cards write
        where = document.keys.get(("teams", "stages", key))
        if where is not None:
            at[team] = where
        if stage in scale.stages:
            stages[team] = stage
            continue
        guess = _closest(stage, scale.stages)
        findings.append(error(
            "settings", f"team '{team}' is at stage '{stage}', which is not a stage of "
            f"{scale.name or 'teams.maturity'}", path, document.values.get(("teams", "stages", key), where),
            field=f"teams.stages.{team}",
            hint=(f"did you mean '{guess}'? " if guess else "") + "use one of: " + ", ".join(scale.stages)
            + ("" if isinstance(maturity, Mapping) else " (or list the site's own under teams.maturity.stages)")))
    return TeamSettings(scale, stages, at, resolved(path))


def _closest(value: str, options: Collection[str]) -> str | None:
    """The option nearest to ``value`` (case aside), or None when none is near."""
    folded = {option.casefold(): option for option in options}
    guess = difflib.get_close_matches(value.casefold(), list(folded), n=1)
    return folded[guess[0]] if guess else None
