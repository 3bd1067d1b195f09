"""The ``mltrl-docs`` command: check cards without building a site, list what changed,
export the schemas.

Exit codes of ``check``: 0 clean, 1 findings (errors or warnings; with ``--fail-on error``,
errors only), 2 usage or I/O problems (a missing path, an unreadable settings file, a git ref
that names no commit).

``check`` and ``diff`` read the cards' history from git as a build does (unless the settings say
``provenance: false``), so that the gate rules that read it (``stale``, ``suspect-evidence``)
judge alike; beside an ``mkdocs.yml`` they share the build's cache, ``.cache/mltrl-docs``.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from mltrl_docs import __version__
from mltrl_docs.bundle.model import NO_IMPORTS, Imports
from mltrl_docs.change_report import FORMATS as CHANGE_FORMATS
from mltrl_docs.dossier import CheckedDossier, build_dossier, build_site
from mltrl_docs.findings import FAIL_ON, Finding, Severity, failing
from mltrl_docs.model import SwitchbackKind
from mltrl_docs.paths import aliased, display
from mltrl_docs.references import resolved
from mltrl_docs.report import FORMATS, RENDERERS, Tally, gap_github, gap_json, gap_text, text_line
from mltrl_docs.repositories import DEFAULT_BRANCH, Repository
from mltrl_docs.resources import SCHEMA_NAMES, schema_path
from mltrl_docs.settings import SETTINGS_FILE, Settings
from mltrl_docs.targets import Target, find_settings, resolve

if TYPE_CHECKING:
    from mltrl_docs.readiness_diff import Snapshot

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
@click.option("--fail-on", "fail_on", type=click.Choice(list(FAIL_ON)), default="warning", show_default=True,
              help="Exit 1 on errors only (error: what a pre-commit hook wants, so that a draft's warnings "
                   "do not block a commit), on errors or warnings (warning), or never.")
@click.option("--next", "next_project", metavar="PROJECT",
              help="Instead of the findings, list what PROJECT's current card must change to pass "
                   "the gates of the next level (exit 1 when anything is left).")
@click.option("--docs", "docs_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="DIR",
              help="Also check the views in the Markdown pages under DIR (the site's docs_dir): their forms, "
                   "options and queries, as a build would report them.")
def check(paths: tuple[Path, ...], output_format: str, fail_on: str, next_project: str | None,
          docs_dir: Path | None) -> None:
    """Check level cards and glossaries without building a site.

    PATHS are sites (folders with mltrl-docs.yml), dossier sources, project
    folders, cards or glossary files; other files (mkdocs.yml, docs/index.md) are
    skipped with a note. Default: the mltrl-docs.yml here or in a parent folder
    (up to the git repository's root). Each site is built once, however many of
    its paths are given, and only the paths' findings are reported and counted.
    With --docs, the views in DIR's pages are checked too (docs/views.md).
    """
    if not paths:
        found = find_settings(Path.cwd())
        if found is None:
            raise click.UsageError(f"give a PATH to check, or run where a {SETTINGS_FILE} is (here or in a parent "
                                   "folder of this git repository)")
        paths = (found,)
    sites: dict[Path, tuple[Settings | None, list[Finding]]] = {}
    groups: dict[int, tuple[Settings, list[Target]]] = {}
    findings: list[Finding] = []
    for path in paths:
        target, problems = resolve(path, sites)
        if target is None and any(p.severity is Severity.ERROR for p in problems):
            _unusable(path, problems)
        if target is None:
            findings += problems  # a file check does not read: the note says so
            continue
        groups.setdefault(id(target.settings), (target.settings, []))[1].append(target)
    dossiers, tally = [], Tally()
    with ExitStack() as stack:
        for settings, targets in groups.values():
            dossier, imports = _build(settings, stack)
            dossiers.append(dossier)
            focus = [t.focus for t in targets]
            whole = None in focus
            findings += [imports.located(f) for f in dossier.findings if whole or any(t.wants(f) for t in targets)]
            tally += Tally.of(dossier) if whole else _focused_tally(dossier, [f for f in focus if f is not None])
        if next_project is not None:
            _next(next_project, dossiers, output_format)
    if docs_dir is not None:
        from mltrl_docs.render.own_pages import check_views, own_files

        files, skipped = own_files(docs_dir, Severity.INFO)  # a symlink out of DIR: a note, as MkDocs reads it
        findings += [*skipped, *check_views(files)]
    unique = sorted(set(findings), key=Finding.sort_key)
    repositories = {folder: repository for settings, _ in groups.values()
                    for folder, repository in settings.repositories.items()}
    click.echo(RENDERERS[output_format](tally, unique, repositories), nl=False)
    sys.exit(EXIT_FINDINGS if failing(unique, fail_on) else EXIT_CLEAN)


def _build(settings: Settings, stack: ExitStack) -> tuple[CheckedDossier, Imports]:
    """The site's dossier with its bundles, unpacked into a temporary folder that ``stack`` removes,
    and named by their bundle files in what the command prints (``paths.aliased``)."""
    from mltrl_docs.bundle.site import build_portal

    if not settings.bundles:
        return build_site(settings, provenance=True, cache_dir=_cache_dir()), NO_IMPORTS
    workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mltrl-docs-")))
    dossier, imports = build_portal(settings, workdir, provenance=True, cache_dir=_cache_dir())
    stack.enter_context(aliased(imports.aliases(display)))
    return dossier, imports


def _focused_tally(dossier: CheckedDossier, focus: list[Path]) -> Tally:
    """The projects, cards and project glossary terms in or under the paths asked about (a
    project counts when any of its files or folders was asked about)."""
    def asked(path: Path) -> bool:
        return any(path == f or f in path.parents for f in focus)

    projects = [p for p in dossier.projects.values()
                if asked(p.folder) or any(p.folder == f or p.folder in f.parents for f in focus)]
    cards = [c for c in dossier.cards if asked(c.path)]
    invalid = [c for c in dossier.invalid_cards if asked(c.path)]
    terms = sum(len(p.glossary) for p in projects) + sum(1 for t in dossier.dossier.glossary if asked(t.path))
    return Tally(len(projects), len(cards), len(invalid), terms)


def _cache_dir() -> Path | None:
    """The build's cache of git's answers when run beside ``mkdocs.yml`` (where the plugin keeps
    it); elsewhere none, so that a check never leaves files behind."""
    return CACHE_DIR if Path("mkdocs.yml").is_file() else None


@main.command("diff")
@click.argument("paths", nargs=-1, metavar="[PATH | OLD NEW]", type=click.Path(exists=True, path_type=Path))
@click.option("--since", "since_text", metavar="DATE|REF",
              help="List the cards changed since a date (YYYY-MM-DD), a number of days before the build date, "
                   "or a git tag, branch or commit (default: the settings' changes.since, else 90 days).")
@click.option("--format", "output_format", type=click.Choice(CHANGE_FORMATS), default="text", show_default=True,
              help="text for people, json for tools, markdown for a pull-request comment.")
@click.option("--project", "project_ids", multiple=True, metavar="PROJECT", help="Only this project (repeat for more).")
@click.option("--team", "teams", multiple=True, metavar="TEAM", help="Only this team's projects (repeat for more).")
def diff_command(paths: tuple[Path, ...], since_text: str | None, output_format: str, project_ids: tuple[str, ...],
                 teams: tuple[str, ...]) -> None:
    """List what changed in every card since a date or git ref, newest first; or,
    given two paths OLD and NEW, what changed in readiness between them.

    With one PATH (or none): each card is compared with its project's previous
    approved card: requirements added, removed, reworded, with status, risk or
    acceptance results changed; versions, level, reviewers and decisions; the
    lines of each body section. PATH is a site, a dossier source, a project folder
    or a card, as for check.

    With OLD and NEW: each is a bundle (a .json file: 'mltrl-docs bundle', or a
    site's readiness.json) or a site to build (a folder with mltrl-docs.yml, or
    the file); across the portfolio it lists projects added or removed, levels
    advanced or switched back, earned levels, requirements of the current cards
    whose status, text or acceptance result changed, gate findings newly passed
    or failing, and new reviews (docs/bundles.md).
    """
    if len(paths) > 2:
        raise click.UsageError("give one PATH (what changed since --since), or two: OLD and NEW (readiness changes)")
    if len(paths) == 2:
        if since_text is not None or teams:
            raise click.UsageError("--since and --team list the cards changed in one site: give one PATH with them, "
                                   "or OLD and NEW without them")
        _readiness_diff(paths[0], paths[1], output_format, project_ids)
        return
    _changes_since(paths[0] if paths else None, since_text, output_format, project_ids, teams)


def _readiness_diff(old: Path, new: Path, output_format: str, project_ids: tuple[str, ...]) -> NoReturn:
    """``diff OLD NEW``: what changed in readiness from one bundle or site to the other."""
    from mltrl_docs.readiness_diff import readiness_diff
    from mltrl_docs.render.readiness import render

    before, after = _readiness(old), _readiness(new)
    unknown = [p for p in project_ids if p not in before.cards and p not in after.cards]
    if unknown:
        known = ", ".join(sorted({*before.cards, *after.cards})) or "none"
        click.echo(f"error: no project '{unknown[0]}' in either (projects: {known})", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(render(output_format, readiness_diff(before, after, project_ids), str(old), str(new)), nl=False)
    sys.exit(EXIT_CLEAN)


def _readiness(path: Path) -> Snapshot:
    """The readiness ``path`` records: a bundle file (``.json``) as it is read on import, or a site,
    built and bundled as ``mltrl-docs bundle`` does. One that cannot be used ends the command (exit 2)."""
    import json

    from mltrl_docs.readiness_diff import previous_bundle, snapshot
    from mltrl_docs.render.site import readiness_json
    from mltrl_docs.settings import Limits

    if path.is_file() and path.suffix.lower() == ".json":
        found, problems = previous_bundle(path, Limits())
        for problem in problems:
            click.echo(text_line(problem), err=True)
        if found is None:
            click.echo(f"error: cannot use the bundle {path} (see above)", err=True)
            sys.exit(EXIT_USAGE)
        return found
    settings = _target(path).settings
    if settings.file is None:
        raise click.UsageError(f"{display(path)} is neither a bundle (.json) nor a site: give a bundle, a folder with "
                               f"a {SETTINGS_FILE}, or the file")
    with ExitStack() as stack:
        dossier, imports = _build(settings, stack)
        return snapshot(json.loads(readiness_json(settings, dossier, imports)))


def _changes_since(path: Path | None, since_text: str | None, output_format: str, project_ids: tuple[str, ...],
                   teams: tuple[str, ...]) -> None:
    """``diff [PATH] --since``: the cards changed since a day or git ref, each against its baseline."""
    from mltrl_docs.change_report import render
    from mltrl_docs.changes import ChangeReport, SinceError, parse_since, resolve_since

    if path is None:
        path = find_settings(Path.cwd())
        if path is None:
            raise click.UsageError(f"give a PATH, or run where a {SETTINGS_FILE} is (here or in a parent folder)")
    target = _target(path)
    settings = target.settings
    with ExitStack() as stack:  # the unpacked bundles, removed on exit
        dossier, _ = _build(settings, stack)
        unknown = [p for p in project_ids if p not in dossier.projects]
        if unknown:
            known = ", ".join(sorted(dossier.projects)) or "none"
            click.echo(f"error: no project '{unknown[0]}' (projects: {known})", err=True)
            sys.exit(EXIT_USAGE)
        try:
            value = parse_since(since_text) if since_text is not None else settings.changes.since
            since = resolve_since(value, settings.sources, dossier.today)
        except SinceError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        entries = [entry for entry in ChangeReport(dossier).since(since, projects=project_ids, teams=teams)
                   if target.focus is None or entry.card.path == target.focus
                   or target.focus in entry.card.path.parents]
        click.echo(render(output_format, entries, since, dossier.today), nl=False)
        sys.exit(EXIT_CLEAN)


def _next(project_id: str, dossiers: list[CheckedDossier], output_format: str) -> None:
    dossier = next((d for d in dossiers if project_id in d.projects), None)
    if dossier is None:
        known = sorted(p for d in dossiers for p in d.projects)
        click.echo(f"error: no project '{project_id}' (projects: {', '.join(known) or 'none'})", err=True)
        sys.exit(EXIT_USAGE)
    render = {"json": gap_json, "github": gap_github}.get(output_format, gap_text)
    click.echo(render(project_id, dossier), nl=False)
    gates = dossier.gates.projects.get(project_id)
    sys.exit(EXIT_FINDINGS if gates is None or gates.gap else EXIT_CLEAN)


@main.command("bundle")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), required=True,
              help="The bundle file to write (- for standard output), e.g. readiness.json.")
@click.option("--repo-url", help="The repository's web address, for the sources whose settings name none "
                                 "(a portal's edit links open there).")
@click.option("--branch", default=DEFAULT_BRANCH, show_default=True, help="The branch edit links open.")
@click.option("--edit-uri", help="The edit path joined to --repo-url (default: edit/<branch>/, src/<branch>/ on "
                                 "Bitbucket).")
def bundle_command(path: Path | None, out_file: Path, repo_url: str | None, branch: str,
                   edit_uri: str | None) -> None:
    """Write this site's bundle: every card, page, glossary and cited file, with what the check
    and git made of them, in one JSON file a portal builds from without the repository.

    PATH is a site (a folder with mltrl-docs.yml) or its settings file (default: the
    one here or in a parent folder). The same cards give the same bytes. See docs/bundles.md.
    """
    from mltrl_docs.bundle.write import bundle_of, dumps, origin

    if repo_url is not None and not repo_url.startswith(("https://", "http://")):
        raise click.BadParameter(f"{repo_url!r} is not an http(s) address", param_hint="--repo-url")
    if edit_uri is not None and (":" in edit_uri or edit_uri.startswith("//")):
        raise click.BadParameter(f"{edit_uri!r} is not a path (no scheme, no //)", param_hint="--edit-uri")
    if path is None:
        path = find_settings(Path.cwd())
        if path is None:
            raise click.UsageError(f"give a PATH, or run where a {SETTINGS_FILE} is (here or in a parent folder)")
    settings = _target(path).settings
    if settings.file is None:
        raise click.UsageError(f"{display(path)} is no site: give a folder with a {SETTINGS_FILE}, or the file")
    with ExitStack() as stack:
        dossier, imports = _build(settings, stack)
        made = origin(settings.file.parent, Repository(repo_url, branch, edit_uri) if repo_url else None)
        bundle = bundle_of(dossier, made, max_bytes=settings.limits.file_bytes, imports=imports,
                           repositories=settings.repositories,
                           glossaries=[*settings.glossary, *(g for b in imports.bundles for g in b.glossaries)])
        data = dumps(bundle)
        try:
            if str(out_file) == "-":
                sys.stdout.buffer.write(data)
                sys.stdout.flush()
            else:
                out_file.parent.mkdir(parents=True, exist_ok=True)
                out_file.write_bytes(data)
        except OSError as exc:
            click.echo(f"error: cannot write {out_file}: {exc.strerror or exc}", err=True)
            sys.exit(EXIT_USAGE)
        for finding in imports.findings:
            click.echo(text_line(imports.located(finding)), err=True)
        left = f"; {len(bundle['omitted'])} left out (listed in it)" if bundle["omitted"] else ""
        click.echo(f"bundle: {len(dossier.projects)} projects, {len(bundle['cards'])} cards, {len(bundle['pages'])} "
                   f"pages, {len(bundle['files'])} files, {len(data):,} bytes -> {out_file}{left}", err=True)


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
@click.argument("folder", required=False, default=Path("."), type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace files that exist already.")
def init(folder: Path, force: bool) -> None:
    """Write a working dossier site into FOLDER (default: here).

    mkdocs.yml, mltrl-docs.yml, docs/index.md, an org glossary and one example
    project with two approved cards and its ethics checklist: `mltrl-docs check`
    finds nothing and `mkdocs build` passes at once. Existing files are never
    replaced without --force (they are listed, exit 2).
    """
    from mltrl_docs.init import InitError, site_files, write_site

    try:
        written = write_site(folder, site_files(dt.date.today()), force=force)
    except InitError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    for path in written:
        click.echo(display(path))


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--level", "to_level", type=click.IntRange(0, 9), help="Level of the new card (default: next).")
@click.option("--switchback", type=click.Choice([k.value for k in SwitchbackKind]),
              help="Kind of switchback, when --level goes down.")
@click.option("--reason", help="Why the project moves (required for a switchback; else a TODO placeholder, "
                               "which check reports until it is written).")
@click.option("--date", "date_text", help="ISO date the level is entered (default: today).")
@click.option("--project", "project_id", help="New project only: its id, e.g. R02.1.")
@click.option("--title", help="New project only: the technology's name.")
@click.option("--owner", "owners", multiple=True, help="New project only: an owner (repeat for more).")
@click.option("--team", help="New project only: the owning team.")
@click.option("--ethics-checklist", "with_checklist", is_flag=True,
              help="Also write the ethics checklist template to FOLDER/ethics.md; the card links it "
                   "if it links no checklist yet.")
@click.option("--force", is_flag=True,
              help="Advance past a card that is not approved or fails its exit gates; the new card "
                   "records why, in comments above its transition.")
def new(folder: Path, to_level: int | None, switchback: str | None, reason: str | None, date_text: str | None,
        project_id: str | None, title: str | None, owners: tuple[str, ...], team: str | None,
        with_checklist: bool, force: bool) -> None:
    """Write the next level card of the project in FOLDER (or a new project's first card).

    The card carries over owners, versions, links, coupled projects, ethics status
    and requirements, with a transition that matches the current card. It is a
    draft; what only you can write is a TODO placeholder that check reports. Only
    FOLDER's cards are read, and the project: lines of the other folders of its
    source, to keep project ids unique.
    """
    from mltrl_docs.dossier import check_dossier, load_project
    from mltrl_docs.ids import id_problem
    from mltrl_docs.model import Dossier
    from mltrl_docs.scaffold import (  # jinja2: only here
        CHECKLIST_FILE,
        ScaffoldError,
        ethics_checklist,
        exit_problems,
        first_card,
        next_card,
        project_ids,
        write_new,
    )
    from mltrl_docs.settings import load_settings

    try:
        date = dt.date.fromisoformat(date_text) if date_text else dt.date.today()
    except ValueError:
        raise click.BadParameter(f"'{date_text}' is not an ISO date (YYYY-MM-DD)", param_hint="--date") from None
    folder = resolved(folder)
    settings_file = find_settings(folder.parent)
    settings = Settings(sources=(folder.parent,))
    if settings_file is not None:
        loaded, unusable = load_settings(settings_file)
        if loaded is None:
            _unusable(settings_file, unusable)
        if folder.parent in loaded.sources:
            settings = loaded
    project, _ = load_project(folder, folder.parent, settings.limits)
    link = CHECKLIST_FILE if with_checklist else None
    try:
        if project is not None and project.current is not None:
            ignored = [name for name, value in (("--project", project_id), ("--title", title),
                                                ("--owner", owners), ("--team", team)) if value]
            if ignored:
                click.echo(f"warning: {', '.join(ignored)} ignored: {display(folder)} holds project "
                           f"{project.id} already, whose card carries over its own", err=True)
            switch = SwitchbackKind(switchback) if switchback else None
            card = next_card(project.current, to_level=to_level, date=date, reason=reason, switchback=switch,
                             checklist=link)
            forced: list[str] = []
            if to_level is None or to_level > project.current.level.number:
                checked = check_dossier(Dossier({project.id: project}, (), (folder.parent,)), gates=settings.gates,
                                        today=settings.build_date or max(date, dt.date.today()),
                                        roles=settings.roles)
                forced = exit_problems(project, checked.gates.projects.get(project.id),
                                       checked.gates.approved.get(project.current.path, False))
                if forced and not force:
                    raise ScaffoldError("the project cannot advance yet:\n  " + "\n  ".join(forced)
                                        + "\n(see 'mltrl-docs check --next " + project.id + "'; or give --force, "
                                        "which the new card records)")
            if forced:
                card = next_card(project.current, to_level=to_level, date=date, reason=reason, switchback=switch,
                                 checklist=link, forced=forced)
        elif project is not None:
            raise ScaffoldError("the project has only invalid cards: run 'mltrl-docs check' and fix them first")
        elif not (project_id and title and owners):
            raise ScaffoldError("a new project needs --project, --title and at least one --owner")
        else:
            problem = id_problem(project_id)
            if problem is not None:
                raise ScaffoldError(f"{problem[0]} ({problem[1]})")
            other = project_ids(settings.sources or (folder.parent,)).get(project_id)
            if other is not None and other != folder:
                raise ScaffoldError(f"project id '{project_id}' is already used by {display(other)}/; "
                                    "project ids are unique across all sources: give this project its own id")
            card = first_card(project=project_id, title=title, owners=list(owners), team=team,
                              to_level=to_level, date=date, checklist=link)
        paths = write_new(folder, card, ethics_checklist() if with_checklist else None)
    except ScaffoldError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    for path in paths:
        click.echo(str(path))
    if force and project is not None and forced:
        click.echo("warning: written with --force; the card records why in comments above its transition", err=True)
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
    if project_id is not None and project_id not in dossier.projects:
        click.echo(f"error: no project '{project_id}' (projects: {', '.join(sorted(dossier.projects)) or 'none'})",
                   err=True)
        sys.exit(EXIT_USAGE)
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
    """The settings of ``site``, of the mltrl-docs.yml here or in a parent folder, or none (built-in
    terms only)."""
    path = site if site is not None else find_settings(Path.cwd())
    return _target(path).settings if path is not None else Settings(sources=())


def _target(path: Path) -> Target:
    """What ``path`` means (targets.resolve); broken settings end the command with exit code 2."""
    target, problems = resolve(path)
    if target is None:
        _unusable(path, problems)
    return target


def _unusable(path: Path, problems: list[Finding]) -> NoReturn:
    """Print why ``path`` cannot be used and end the command with exit code 2."""
    for problem in problems:
        click.echo(text_line(problem), err=True)
    click.echo(f"error: cannot use {path} (see above)", err=True)
    sys.exit(EXIT_USAGE)


@main.command("render")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--prefix", default="dossier", show_default=True,
              help="Folder of the generated pages in the site (the plugin's option prefix).")
@click.option("--pages", "pages_text", metavar="KINDS",
              help="Comma-separated page kinds to generate besides the portfolio and the dossiers "
                   "(the plugin's option pages; default: all of them).")
@click.option("--templates", "templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of templates that replace the shipped ones by name (the plugin's custom_templates).")
@click.option("--host", type=click.Choice(["mkdocs", "zensical"]), default="mkdocs", show_default=True,
              help="The host that builds OUT: mkdocs (MkDocs or ProperDocs without the plugin) or zensical; "
                   "they read the links inside the pages differently.")
@click.option("--language", help="The pages' language when mltrl-docs.yml sets none (the theme's language).")
@click.option("--permalinks/--no-permalinks", default=True, show_default=True,
              help="End each heading with a permalink, as the toc extension's permalink: true does.")
@click.option("--site-url", metavar="URL", help="Where the site is published (mkdocs.yml's site_url), for the "
                                                "README badge snippets on the dossier pages.")
@click.option("--fail-on", "fail_on", type=click.Choice(list(FAIL_ON)), default="error", show_default=True,
              help="Exit 1 on these findings, after writing the folder (the plugin's fail_on).")
@click.option("--docs", "docs_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="DIR",
              help="The site's own pages (its docs_dir): written into OUT/docs/ too, each view shown as the plugin "
                   "shows it, so that OUT is the whole site.")
def render_command(out: Path, path: Path | None, prefix: str, pages_text: str | None, templates: Path | None,
                   host: str, permalinks: bool, language: str | None, site_url: str | None, fail_on: str,
                   docs_dir: Path | None) -> None:
    """Write the dossier site into OUT as plain Markdown pages, for a host without the plugin.

    OUT/docs/ gets the generated pages (their HTML and SVGs inside), the plugin's
    stylesheets and script, the published evidence files and the exports (its
    folder of generated pages, OUT/docs/<prefix>/, is replaced); OUT/mkdocs.yml the
    nav and settings they need, to merge into your mkdocs.yml (or to build the
    dossier alone). Zensical, and MkDocs or ProperDocs without the plugin, build
    it. PATH is a site or its mltrl-docs.yml, as for check (default: the one
    here or in a parent folder). Paths on pages are shown from the folder it
    runs in: run it where mkdocs.yml is. With --docs DIR, OUT/docs/ also gets
    every file under DIR, each page's views shown, and OUT/mkdocs.yml lists
    DIR's pages before the dossier: OUT is the whole site.
    """
    from mltrl_docs.bundle.site import build_portal
    from mltrl_docs.messages import load_messages
    from mltrl_docs.render.folder import Host, overlap, render_folder
    from mltrl_docs.render.outline import Permalink
    from mltrl_docs.render.pages import OPTIONAL_PAGES
    from mltrl_docs.render.site import PREFIX_RULE, folder_prefix

    folder = folder_prefix(prefix)
    if folder is None:
        raise click.BadParameter(f"{prefix!r} is not a folder inside the site: {PREFIX_RULE}", param_hint="--prefix")
    include = OPTIONAL_PAGES if pages_text is None else tuple(k.strip() for k in pages_text.split(",") if k.strip())
    unknown = [kind for kind in include if kind not in OPTIONAL_PAGES]
    if unknown:
        raise click.BadParameter(f"no page kind {unknown[0]!r} (kinds: {', '.join(OPTIONAL_PAGES)})",
                                 param_hint="--pages")
    clash = overlap(out, docs_dir) if docs_dir is not None else None
    if clash is not None:
        raise click.BadParameter(clash, param_hint="--docs")
    if path is None:
        path = find_settings(Path.cwd())
        if path is None:
            raise click.UsageError(f"give a PATH, or run where a {SETTINGS_FILE} is (here or in a parent folder)")
    settings = _target(path).settings
    messages, notes = load_messages(settings.language or language, settings.labels,
                                    path=settings.file or Path(SETTINGS_FILE))
    # Bundles (``bundles:``) are unpacked into a folder of this command's own, removed once their files are copied.
    with tempfile.TemporaryDirectory(prefix="mltrl-docs-") as work:
        dossier, imports = build_portal(settings, Path(work), provenance=True, cache_dir=_cache_dir())
        try:
            rendered = render_folder(out, settings, dossier, messages, prefix=folder, include=include,
                                     host=Host(host), templates=(templates,) if templates is not None else (),
                                     root=Path.cwd(), permalink=Permalink() if permalinks else None, site_url=site_url,
                                     imports=imports, own=docs_dir)
        except OSError as exc:
            click.echo(f"error: cannot write {out}: {exc.strerror or exc}", err=True)
            sys.exit(EXIT_USAGE)
    found = [*map(imports.located, dossier.findings), *rendered.findings]
    for finding in [*(notes if settings.language is None else ()), *found]:
        click.echo(text_line(finding), err=True)
    own = (f", and {len(rendered.own)} files of {docs_dir} ({rendered.views} views shown)"
           if docs_dir is not None else "")
    click.echo(f"{len(rendered.pages)} pages and {len(rendered.files)} files in {out / 'docs'}{own}; "
               f"merge {out / 'mkdocs.yml'} into your mkdocs.yml (README: Hosting)")
    sys.exit(EXIT_FINDINGS if failing(found, fail_on) else EXIT_CLEAN)


@main.command("export")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the files into (created if needed; files of the same name are replaced).")
def export_command(path: Path | None, out_dir: Path) -> None:
    """Write the files a dossier site publishes beside its pages, without building it.

    OUT/portfolio.csv, and per project OUT/<project>/requirements.csv (its
    requirement matrix) and OUT/<project>/badge.svg (its README badge): the same
    files as the site's, for a CI job that keeps a badge in a repository or hands
    the tables on. PATH is a site or its mltrl-docs.yml, as for check (default:
    the one here or in a parent folder).
    """
    from mltrl_docs.messages import load_messages
    from mltrl_docs.render.exports import export_files
    from mltrl_docs.render.html import Renderer
    from mltrl_docs.render.pages import site_pages

    if path is None:
        path = find_settings(Path.cwd())
        if path is None:
            raise click.UsageError(f"give a PATH, or run where a {SETTINGS_FILE} is (here or in a parent folder)")
    settings = _target(path).settings
    messages, _ = load_messages(settings.language, settings.labels, path=settings.file or Path(SETTINGS_FILE))
    with ExitStack() as stack:  # the site's bundles too, as the plugin exports them
        dossier, imports = _build(settings, stack)
        for finding in dossier.findings:
            if finding.severity is Severity.ERROR:
                click.echo(text_line(imports.located(finding)), err=True)
        renderer = Renderer("")
        renderer.use_messages(messages)
        pages = site_pages(dossier, "", ("exports",), messages)
    try:
        for uri, content in sorted(export_files((page.context for page in pages), renderer.env).items()):
            target = out_dir / uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode("utf-8"))
            click.echo(display(target))
    except OSError as exc:
        click.echo(f"error: cannot write to {out_dir}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_USAGE)


@main.command("query")
@click.argument("query_text", metavar="QUERY")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json", "csv"]), default="text",
              show_default=True, help="text: an aligned table; json for tools (schema/query-output.schema.json); "
                                      "csv: RFC 4180, for spreadsheets.")
def query_command(query_text: str, path: Path | None, output_format: str) -> None:
    """Answer QUERY over the portfolio: projects, cards, requirements, reviews,
    findings or glossary terms, filtered, grouped, sorted and limited.

    \b
      mltrl-docs query 'projects where at_level > 1y sort by at_level desc'
      mltrl-docs query 'requirements where risk >= 12 and not verified' --format csv

    docs/query.md describes the language and every field. PATH is a site or its
    mltrl-docs.yml, as for check (default: the one here or in a parent folder). A
    query with mistakes prints them, located in it as <query>:line:col, and exits 1.
    """
    from mltrl_docs.query import Tables, answer, parse
    from mltrl_docs.query.report import csv_table, to_json, to_text
    from mltrl_docs.render.exports import to_csv

    query, problems = parse(query_text, Path("<query>"))
    if query is None:
        for problem in problems:
            click.echo(text_line(problem), err=True)
        sys.exit(EXIT_FINDINGS)
    if path is None:
        path = find_settings(Path.cwd())
        if path is None:
            raise click.UsageError(f"give a PATH, or run where a {SETTINGS_FILE} is (here or in a parent folder)")
    settings = _target(path).settings
    with ExitStack() as stack:  # the site's bundles too: their files are named by the bundle while it lasts
        dossier, _ = _build(settings, stack)
        result = answer(query, Tables(dossier))
        if output_format == "json":
            click.echo(to_json(result, query_text), nl=False)
        elif output_format == "csv":
            click.echo(to_csv(*csv_table(result)), nl=False)
        else:
            click.echo(to_text(result), nl=False)
    sys.exit(EXIT_CLEAN)


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
