"""Benchmark: what 50 views (issue 16) add to `mkdocs build` of a 3,000-card dossier.

The corpus is `corpus.py`'s. One hand-written page holds 50 views over every entity (projects,
cards, requirements, reviews, findings, glossary terms) in every form (tables, lists, counts, bar
and pie charts), filtered, sorted, grouped and limited; ten of them are asked twice, as a board and
a team page would. Side by side, in one run, fresh processes, the runs interleaved and timed by CPU
(user and system of the build and its children, `os.wait4`; this 2-core machine is shared):

- plain MkDocs building the same card files as ordinary pages (the baseline of every bench);
- the plugin, the site's pages without views;
- the plugin, the same site with the page of 50 views.

Side by side, whole builds differ by up to 15% from run to run on this machine, more than the views
cost; so the build with views also times, in its own process, the page of views from its Markdown to its
written HTML, against the whole build's CPU. Then the views alone, in one process over the checked
dossier: parsing and checking the 50 queries, building the rows once (``query.Tables``) and answering
them, apart from the build around them.

    python benchmarks/bench_views.py --cards 3000 --runs 3
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_scale import run
from bench_site import configs
from corpus import generate

QUERIES: tuple[tuple[str, str], ...] = (
    ("table", "projects sort by id show id, title, level, earned, phase, team"),
    ("table", "projects where at_level > 1y sort by at_level desc show id, title, level, at_level"),
    ("table", "projects where unearned sort by level desc limit 50"),
    ("table", "projects where gap > 0 sort by gap desc show id, level, earned, gap limit 40"),
    ("table", "projects where open > 2 and phase = prototyping sort by open desc limit 30"),
    ("table", "projects where findings > 0 sort by errors desc, warnings desc show id, errors, warnings, findings"),
    ("table", "projects where limited_by != none show id, level, system, limited_by"),
    ("table", "projects where tags contains vision or team contains platform limit 25"),
    ("table", "requirements where kind = product and risk >= 12 and not verified sort by risk desc limit 40"),
    ("table", "requirements where status in (failed, not-started) and (kind = product or risk >= 9) limit 40"),
    ("table", "requirements where verification = demonstration and status != verified sort by project limit 40"),
    ("table", "requirements where risk = none and kind = product show project, id, text limit 30"),
    ("table", "requirements where text contains model sort by risk desc limit 20"),
    ("table", "cards where date >= 2024-01-01 sort by date desc, project show project, level, date, status limit 50"),
    ("table", "cards where transition = switchback sort by date desc limit 40"),
    ("table", "cards where status = in-review show project, level, date, reviewers"),
    ("table", "reviews where decision = pending and current show project, level, reviewer, role, waiting"),
    ("table", "reviews where decision = changes-requested sort by date desc limit 30"),
    ("table", "findings where severity = error sort by project limit 40"),
    ("table", "terms where builtin = false sort by term limit 30"),
    ("list", "projects where level >= 8 sort by id"),
    ("list", "projects where earned = 0 limit 30"),
    ("list", "requirements where risk >= 20 limit 30"),
    ("list", "cards where level = 9 and current"),
    ("list", "reviews where decision = rejected limit 30"),
    ("list", "findings where severity = warning limit 30"),
    ("list", "terms where level != none sort by level"),
    ("count", "projects"),
    ("count", "projects where unearned"),
    ("count", "requirements where kind = product and risk >= 12 and not verified"),
    ("count", "requirements where status = verified"),
    ("count", "cards where transition = switchback"),
    ("count", "reviews where decision = pending"),
    ("count", "findings where severity = error"),
    ("count", "projects group by phase"),
    ("bar", "projects group by phase"),
    ("bar", "projects group by level"),
    ("bar", "projects group by earned"),
    ("bar", "requirements group by status"),
    ("bar", "cards group by level"),
    ("bar", "findings group by rule limit 10"),
    ("bar", "projects group by team limit 12"),
    ("pie", "requirements group by kind"),
    ("pie", "requirements group by verification"),
    ("pie", "reviews group by decision"),
    ("pie", "cards group by status"),
    ("pie", "projects group by status"),
    ("pie", "findings group by severity"),
    ("pie", "cards group by switchback"),
    ("pie", "terms group by builtin"),
)
"""The 50 views of the page: every entity, every form."""

TIMED = """
import sys, time
from mkdocs.__main__ import cli
from mkdocs.commands import build
spent = [0.0]
def timed(step):
    def run(page, *args, **kwargs):
        start = time.process_time()
        try:
            return step(page, *args, **kwargs)
        finally:
            if page.file.src_uri == "board.md":
                spent[0] += time.process_time() - start
    return run
build._populate_page, build._build_page = timed(build._populate_page), timed(build._build_page)
config, out = sys.argv[1:3]
sys.argv = ["mkdocs", "build", "-q", "-f", config]
try:
    cli()
finally:
    with open(out, "a", encoding="utf-8") as timings:
        timings.write(f"{spent[0]} {time.process_time()}\\n")
"""
"""``mkdocs build`` that also says, at its end, the CPU seconds the page of views took from its Markdown
to its written HTML (``_populate_page`` and ``_build_page``: the plugin finding, answering and rendering
its views, Python-Markdown, search indexing and the theme) and the whole process's, appended to a file
as ``BOARD_SECONDS WHOLE_SECONDS``."""

ALONE = """
import sys, time
from pathlib import Path
from mltrl_docs.dossier import build_site
from mltrl_docs.settings import load_settings
from mltrl_docs.query import Tables, answer, parse
settings, _ = load_settings(Path(sys.argv[1]))
dossier = build_site(settings)
queries = [line for line in Path(sys.argv[2]).read_text(encoding="utf-8").split("\\n") if line]
start = time.process_time()
tables = Tables(dossier)
for text in queries:
    query, findings = parse(text, Path("views.md"))
    assert query is not None, findings
    answer(query, tables)
print(time.process_time() - start, time.process_time())
"""
"""The views alone: CPU seconds to parse, check and answer the 50 queries over a checked dossier
(rows built once, as a build does), and the CPU seconds of the whole process."""


def page(queries: tuple[tuple[str, str], ...]) -> str:
    """A hand-written Markdown page holding one view per query."""
    parts = ["# Review board\n"]
    for index, (form, text) in enumerate(queries, 1):
        parts.append(f"## View {index}\n\n```mltrl-view {form}\n{text}\n```\n")
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    build = [sys.executable, "-m", "mkdocs", "build", "-q", "-f"]
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp), args.cards)
        plugin, plain = configs(root)
        views = root / "docs-views"
        views.mkdir()
        (views / "index.md").write_text("# Dossier\n", encoding="utf-8")
        (views / "board.md").write_text(page(QUERIES), encoding="utf-8")
        with_views = root / "mkdocs-views.yml"
        with_views.write_text(plugin.read_text(encoding="utf-8").replace("docs_dir: docs\n", "docs_dir: docs-views\n")
                              .replace("site_dir: site-mltrl\n", "site_dir: site-views\n")
                              .replace("nav: [index.md]", "nav: [index.md, board.md]"), encoding="utf-8")
        timings = root / "timings.txt"
        listed = root / "queries.txt"
        listed.write_text("\n".join(text for _, text in QUERIES) + "\n", encoding="utf-8")
        builds = [("plain MkDocs, same card files", [*build, str(plain)]),
                  ("plugin, no views", [*build, str(plugin)]),
                  ("plugin, a page of 50 views", [sys.executable, "-c", TIMED, str(with_views), str(timings)])]
        results: dict[str, list[tuple[float, float, int]]] = {name: [] for name, _ in builds}
        alone: list[tuple[float, float]] = []
        for _ in range(args.runs):  # interleaved: the machine's drift falls on every row alike
            for name, command in builds:
                results[name].append(run(command, root))
            done = subprocess.run([sys.executable, "-c", ALONE, str(root / "mltrl-docs.yml"), str(listed)],
                                  cwd=root, check=True, capture_output=True, text=True)
            views_cpu, process_cpu = map(float, done.stdout.split()[-2:])
            alone.append((views_cpu, process_cpu))
        board = (root / "site-views" / "board" / "index.html").read_text(encoding="utf-8")
        shown = board.count('<div class="mltrl mltrl-view ')
        page_cpu = [tuple(map(float, line.split())) for line in timings.read_text(encoding="utf-8").splitlines()]
    print(f"- Corpus: {args.cards:,} cards (`corpus.py`); one page of {len(QUERIES)} views "
          f"({shown} views shown, {board.count('<tr'):,} table rows, {len(board) / 1024:.0f} KiB of HTML).")
    print(f"- Machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}; "
          f"{args.runs} runs of each, fresh processes, interleaved; CPU time is user + system of the build "
          f"(``os.wait4``); load average {os.getloadavg()[0]:.1f} at the end.\n")
    cpu = {name: statistics.median(c for _, c, _ in rows) for name, rows in results.items()}
    base, without = cpu[builds[0][0]], cpu[builds[1][0]]
    print("| build | wall, median | CPU, fastest | CPU, median | peak RSS | CPU / plain MkDocs | CPU / no views |")
    print("|---|---|---|---|---|---|---|")
    for name, rows in results.items():
        print(f"| {name} | {statistics.median(w for w, _, _ in rows):.1f} s | {min(c for _, c, _ in rows):.1f} s "
              f"| {cpu[name]:.1f} s | {max(r for _, _, r in rows) / 2**20:.0f} MiB | {cpu[name] / base:.2f}x "
              f"| {cpu[name] / without:.3f}x |")
    page_median = statistics.median(board_cpu for board_cpu, _ in page_cpu)
    share = statistics.median(board_cpu / whole for board_cpu, whole in page_cpu)
    print(f"\nThe page of 50 views in the build that has it (same process, CPU from its Markdown to its written "
          f"HTML: finding, answering and rendering the views, Python-Markdown, search indexing, the theme), "
          f"median of {len(page_cpu)}: {page_median:.2f} s, {share:.1%} of that build's CPU.")
    answering = statistics.median(v for v, _ in alone)
    print(f"\nThe views alone (parse, check, rows built once, 50 answers), CPU median of {args.runs}: "
          f"{answering:.2f} s, {answering / without:.1%} of the build without views "
          f"({answering / len(QUERIES) * 1000:.1f} ms a view).")


if __name__ == "__main__":
    main()
