"""The ``mltrl-docs`` command: check cards without building a site, list what changed,
export the schemas.

Exit codes of ``check``: 0 clean, 1 findings (errors or warnings), 2 usage or
I/O problems (a missing path, an unreadable settings file, a git ref that names no commit).

``check`` and ``diff`` read the cards' history from git as a build does (unless the settings say
``provenance: false``), so that the gate rules that read it (``stale``, ``suspect-evidence``)
judge alike; beside an ``mkdocs.yml`` they share the build's cache, ``.cache/mltrl-docs``.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import click

from mltrl_docs import __version__
from mltrl_docs.change_report import FORMATS as CHANGE_FORMATS
from mltrl_docs.dossier import CheckedDossier, build_dossier, build_site
from mltrl_docs.findings import Finding, Severity
from mltrl_docs.model import SwitchbackKind
from mltrl_docs.references import resolved
from mltrl_docs.report import FORMATS, RENDERERS, gap_json, gap_text, text_line
from mltrl_docs.resources import SCHEMA_NAMES, schema_path
from mltrl_docs.settings import SETTINGS_FILE, Settings
from mltrl_docs.targets import Target, resolve

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
CACHE_DIR = Path(".cache") / "mltrl-docs"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mltrl-docs")
def main() -> None:
    """Validate MLTRL level cards and build dossier sites."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people, json for tools, github for workflow annotations.")
@click.option("--next", "next_project", metavar="PROJECT",
              help="Instead of the findings, list what PROJECT's current card must change to pass "
                   "the gates of the next level (exit 1 when anything is left).")
def check(paths: tuple[Path, ...], output_format: str, next_project: str | None) -> None:
    """Check level cards and glossaries without building a site.

    PATHS are sites (folders with mltrl-docs.yml), dossier sources, project
    folders, cards or glossary files; default: the mltrl-docs.yml here.
    """
    if not paths:
        if not Path(SETTINGS_FILE).is_file():
            raise click.UsageError(f"give a PATH to check, or run where a {SETTINGS_FILE} is")
        paths = (Path(SETTINGS_FILE),)
    targets = [_target(path) for path in paths]
    dossiers, findings = [], []
    for target in targets:
        dossier = build_site(target.settings, provenance=True, cache_dir=_cache_dir())
        dossiers.append(dossier)
        findings += [f for f in dossier.findings if target.wants(f)]
    if next_project is not None:
        _next(next_project, dossiers, output_format)
    unique = sorted(set(findings), key=Finding.sort_key)
    click.echo(RENDERERS[output_format](dossiers, unique), nl=False)
    failing = any(f.severity in (Severity.ERROR, Severity.WARNING) for f in unique)
    sys.exit(EXIT_FINDINGS if failing else EXIT_CLEAN)


def _cache_dir() -> Path | None:
    """The build's cache of git's answers when run beside ``mkdocs.yml`` (where the plugin keeps
    it); elsewhere none, so that a check never leaves files behind."""
    return CACHE_DIR if Path("mkdocs.yml").is_file() else None


@main.command("diff")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--since", "since_text", metavar="DATE|REF",
              help="List the cards changed since a date (YYYY-MM-DD), a number of days before the build date, "
                   "or a git tag, branch or commit (default: the settings' changes.since, else 90 days).")
@click.option("--format", "output_format", type=click.Choice(CHANGE_FORMATS), default="text", show_default=True,
              help="text for people, json for tools, markdown for a pull-request comment.")
@click.option("--project", "project_ids", multiple=True, metavar="PROJECT", help="Only this project (repeat for more).")
@click.option("--team", "teams", multiple=True, metavar="TEAM", help="Only this team's projects (repeat for more).")
def diff_command(path: Path | None, since_text: str | None, output_format: str, project_ids: tuple[str, ...],
                 teams: tuple[str, ...]) -> None:
    """List what changed in every card since a date or git ref, newest first.

    Each card is compared with its project's previous approved card: requirements
    added, removed, reworded, with status, risk or acceptance results changed;
    versions, level, reviewers and decisions; the lines of each body section.
    PATH is a site, a dossier source, a project folder or a card, as for check.
    """
    from mltrl_docs.change_report import render
    from mltrl_docs.changes import ChangeReport, SinceError, parse_since, resolve_since

    if path is None:
        if not Path(SETTINGS_FILE).is_file():
            raise click.UsageError(f"give a PATH, or run where a {SETTINGS_FILE} is")
        path = Path(SETTINGS_FILE)
    target = _target(path)
    settings = target.settings
    dossier = build_site(settings, provenance=True, cache_dir=_cache_dir())
    unknown = [p for p in project_ids if p not in dossier.projects]
    if unknown:
        click.echo(f"error: no project '{unknown[0]}' (projects: {', '.join(sorted(dossier.projects)) or 'none'})",
                   err=True)
        sys.exit(EXIT_USAGE)
    try:
        value = parse_since(since_text) if since_text is not None else settings.changes.since
        since = resolve_since(value, settings.sources, dossier.today)
    except SinceError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    entries = [entry for entry in ChangeReport(dossier).since(since, projects=project_ids, teams=teams)
               if target.focus is None or entry.card.path == target.focus or target.focus in entry.card.path.parents]
    click.echo(render(output_format, entries, since, dossier.today), nl=False)
    sys.exit(EXIT_CLEAN)


def _next(project_id: str, dossiers: list[CheckedDossier], output_format: str) -> None:
    dossier = next((d for d in dossiers if project_id in d.projects), None)
    if dossier is None:
        known = sorted(p for d in dossiers for p in d.projects)
        click.echo(f"error: no project '{project_id}' (projects: {', '.join(known) or 'none'})", err=True)
        sys.exit(EXIT_USAGE)
    click.echo((gap_json if output_format == "json" else gap_text)(project_id, dossier), nl=False)
    gates = dossier.gates.projects.get(project_id)
    sys.exit(EXIT_FINDINGS if gates is None or gates.gap else EXIT_CLEAN)


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Folder to write the schema files into.")
def schema(out_dir: Path) -> None:
    """Write the JSON Schemas (for editors: see the README's yaml-language-server modeline)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in SCHEMA_NAMES:
            target = out_dir / f"{name}.schema.json"
            shutil.copyfile(schema_path(name), target)
            click.echo(str(target))
    except OSError as exc:
        click.echo(f"error: cannot write schemas to {out_dir}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_USAGE)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--level", "to_level", type=click.IntRange(0, 9), help="Level of the new card (default: next).")
@click.option("--switchback", type=click.Choice([k.value for k in SwitchbackKind]),
              help="Kind of switchback, when --level goes down.")
@click.option("--reason", help="Why the project moves (required for a switchback).")
@click.option("--date", "date_text", help="ISO date the level is entered (default: today).")
@click.option("--project", "project_id", help="New project only: its id, e.g. R02.1.")
@click.option("--title", help="New project only: the technology's name.")
@click.option("--owner", "owners", multiple=True, help="New project only: an owner (repeat for more).")
@click.option("--team", help="New project only: the owning team.")
@click.option("--ethics-checklist", "with_checklist", is_flag=True,
              help="Also write the ethics checklist template to FOLDER/ethics.md; the card links it "
                   "if it links no checklist yet.")
def new(folder: Path, to_level: int | None, switchback: str | None, reason: str | None, date_text: str | None,
        project_id: str | None, title: str | None, owners: tuple[str, ...], team: str | None,
        with_checklist: bool) -> None:
    """Write the next level card of the project in FOLDER (or a new project's first card).

    The card carries over owners, versions, links, coupled projects, ethics status
    and requirements, with a transition that matches the current card.
    """
    from mltrl_docs.scaffold import (  # jinja2: only here
        CHECKLIST_FILE,
        ScaffoldError,
        ethics_checklist,
        first_card,
        next_card,
        write_new,
    )

    try:
        date = dt.date.fromisoformat(date_text) if date_text else dt.date.today()
    except ValueError:
        raise click.BadParameter(f"'{date_text}' is not an ISO date (YYYY-MM-DD)", param_hint="--date") from None
    folder = resolved(folder)
    project = next((p for p in build_dossier([folder.parent]).projects.values() if p.folder == folder), None)
    link = CHECKLIST_FILE if with_checklist else None
    try:
        if project is not None and project.current is not None:
            card = next_card(project.current, to_level=to_level, date=date, reason=reason,
                             switchback=SwitchbackKind(switchback) if switchback else None, checklist=link)
        elif project is not None:
            raise ScaffoldError("the project has only invalid cards: run 'mltrl-docs check' and fix them first")
        elif not (project_id and title and owners):
            raise ScaffoldError("a new project needs --project, --title and at least one --owner")
        else:
            card = first_card(project=project_id, title=title, owners=list(owners), team=team,
                              to_level=to_level, date=date, checklist=link)
        paths = write_new(folder, card, ethics_checklist() if with_checklist else None)
    except ScaffoldError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    for path in paths:
        click.echo(str(path))
    kept = project.current.ethics.checklist if project is not None and project.current is not None else None
    if with_checklist and kept is not None:
        click.echo(f"note: the new card keeps its checklist link '{kept.target}'; point ethics.checklist at "
                   f"{CHECKLIST_FILE} when the checklist moves there", err=True)


@main.command()
@click.argument("term", required=False)
@click.option("--site", "site", type=click.Path(exists=True, path_type=Path),
              help=f"A {SETTINGS_FILE} or the folder holding one (default: the one here, if any).")
@click.option("--project", "project_id", help="Look up in this project's scope (its own glossary.yml first).")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "csv"]), default="text",
              show_default=True, help="How to list the terms (JSON and CSV export every field).")
def glossary(term: str | None, site: Path | None, project_id: str | None, output_format: str) -> None:
    """List the glossary, or look up TERM (a term, an alias, a team's word or a plural).

    Reads the site's glossary files and project glossaries on top of the built-in
    MLTRL terms, as the site does. Exit code 1 when TERM is not found.
    """
    from difflib import get_close_matches

    from mltrl_docs.render import terms as export

    settings = _site_settings(site)
    dossier = build_dossier(settings.sources, settings.glossary, builtin_glossary=settings.builtin_glossary,
                            limits=settings.limits)
    for finding in dossier.findings:
        if finding.rule == "glossary" or finding.path.suffix in (".yml", ".yaml"):
            click.echo(text_line(finding), err=True)
    if term is None:
        entries = [e for e in dossier.glossary.entries if project_id is None or e.project in (None, project_id)]
        render = {"text": export.to_text, "json": export.to_json, "csv": export.to_csv}[output_format]
        click.echo(render(entries), nl=False)
        return
    entry = dossier.glossary.lookup(term, project_id)
    if entry is None:
        names = [e.term.term for e in dossier.glossary.entries]
        close = get_close_matches(term, names, n=3, cutoff=0.6)
        suggestion = f"; did you mean {', '.join(close)}?" if close else ""
        click.echo(f"no glossary term '{term}'{suggestion}", err=True)
        sys.exit(EXIT_FINDINGS)
    if output_format == "text":
        click.echo(export.describe(entry, term), nl=False)
    else:
        click.echo((export.to_json if output_format == "json" else export.to_csv)([entry]), nl=False)


def _site_settings(site: Path | None) -> Settings:
    """The settings of ``site``, of the mltrl-docs.yml here, or none (built-in terms only)."""
    path = site if site is not None else Path(SETTINGS_FILE) if Path(SETTINGS_FILE).is_file() else None
    return _target(path).settings if path is not None else Settings(sources=())


def _target(path: Path) -> Target:
    """What ``path`` means (targets.resolve); broken settings end the command with exit code 2."""
    target, problems = resolve(path)
    if target is None:
        for problem in problems:
            click.echo(text_line(problem), err=True)
        click.echo(f"error: cannot use {path} (see above)", err=True)
        sys.exit(EXIT_USAGE)
    return target


@main.command("csp")
@click.argument("site_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["header", "nginx", "apache", "meta"]),
              default="header", show_default=True,
              help="A header line, an nginx or Apache directive, or a <meta> element (no frame-ancestors).")
def csp_command(site_dir: Path, output_format: str) -> None:
    """Print the Content Security Policy for the built site in SITE_DIR.

    Everything comes from the site itself; its inline scripts are allowed by hash,
    so the policy changes when the theme or mkdocs.yml does: get it for each build.
    """
    from mltrl_docs import csp  # only here: the other commands never need it

    if not any(site_dir.rglob("*.html")):
        click.echo(f"error: {site_dir} holds no HTML pages: build the site first (mkdocs build)", err=True)
        sys.exit(EXIT_USAGE)
    inline = csp.scan(site_dir)
    if inline.style_attributes or inline.handlers:
        pages = sorted({*inline.style_attributes.values(), *inline.handlers.values()})
        click.echo(f"note: inline style or event handler attributes (e.g. in {pages[0]}) are allowed by hash "
                   "behind 'unsafe-hashes'", err=True)
    if inline.refused:
        click.echo(f"warning: inline code inside generated content is never allowed ({inline.refused[0]}"
                   f"{f' and {len(inline.refused) - 1} more' if len(inline.refused) > 1 else ''}); "
                   "card text should arrive escaped: please report this", err=True)
    if inline.javascript_urls:
        click.echo(f"note: javascript: links (e.g. in {inline.javascript_urls[0]}) stay blocked by any policy",
                   err=True)
    click.echo(csp.formatted(inline, output_format))
