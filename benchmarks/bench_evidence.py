"""Benchmark: what evidence reading and git provenance (issue 12) add to `mkdocs build`.

The corpus is `corpus.py`'s, made a git repository with a history (`provenance.py`'s
`build_history`: every card committed ``--commits`` times by many authors). A last commit
gives every requirement of every card an acceptance criterion (format 1.2) read from a
JSON evidence file of its project, and every third one a JUnit XML criterion too.

Side by side, in one run, fresh processes, the runs of each build interleaved with the others'
(Material, search and navigation.prune), timed by their CPU time (this 2-core machine is shared,
and CPU time is far less noisy than wall time):

- plain MkDocs building the same card files as ordinary pages (the baseline of every section);
- the plugin on the commit before the criteria, with provenance off (the build before issue 12);
- the plugin with the criteria, provenance off (adds evidence reading and judging);
- the plugin with the criteria and provenance, cache warm (what a rebuild pays);
- the same with provenance's cache removed before each run (the first build of a clone);
- the same with the cache of the commit before HEAD, which edits one card (a build after a
  commit: the commit is read on top of the cache);

then the pipeline alone (no pages) for the first three, to tell what reading the evidence and git
costs from what the pages that show it cost.

With ``--instructions``, each build also runs once under valgrind's cachegrind, which counts the
instructions it executes with its children (git): a measure that, unlike CPU time on this shared
machine, is the same in every run (see `instructions.py`).

    python benchmarks/bench_evidence.py --cards 3000 --runs 3 --instructions
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from mltrl_docs.plugin import CACHE_DIR
from mltrl_docs.provenance.cache import CACHE_FILE

sys.path.insert(0, str(Path(__file__).parent))
from bench_check import ENV
from bench_scale import run
from bench_site import configs
from instructions import count_all
from provenance import build_history

JUNIT = """<?xml version="1.0" encoding="UTF-8"?>
<testsuites><testsuite name="tests.acceptance" tests="{n}">{cases}</testsuite></testsuites>
"""


def add_criteria(root: Path) -> int:
    """Give every requirement an acceptance criterion on its project's evidence; commit. Returns the
    number of criteria."""
    criteria = 0
    for folder in sorted((root / "dossiers").iterdir()):
        if not folder.is_dir():
            continue
        scores: dict[str, dict[str, float]] = {}
        cases: list[str] = []
        for path in sorted(folder.glob("*.md")):
            text = path.read_text(encoding="utf-8")
            _, head, body = text.split("---\n", 2)
            data = yaml.safe_load(head)
            for index, requirement in enumerate(data.get("requirements") or []):
                key = "r" + requirement["id"].replace(".", "_")
                scores.setdefault(key, {"f1": 0.8})
                requirement["acceptance"] = [{"metric": "F1", "op": ">=", "value": 0.7,
                                              "source": "evidence/metrics.json", "select": f"{key}.f1"}]
                criteria += 1
                if index % 3 == 0:
                    cases.append(f'<testcase classname="tests.acceptance" name="test_{key}"/>')
                    requirement["acceptance"].append({"tests": "evidence/junit.xml",
                                                      "select": f"tests.acceptance.test_{key}"})
                    criteria += 1
            data["mltrl"] = 1.2
            path.write_text("---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n" + body,
                            encoding="utf-8")
        evidence = folder / "evidence"
        evidence.mkdir(exist_ok=True)
        (evidence / "metrics.json").write_text(json.dumps(scores), encoding="utf-8")
        (evidence / "junit.xml").write_text(JUNIT.format(n=len(set(cases)), cases="".join(sorted(set(cases)))),
                                            encoding="utf-8")
    git = ["git", "-C", str(root), "-c", "user.name=Bench", "-c", "user.email=bench@example.org"]
    subprocess.run([*git, "add", "-A", "dossiers"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "Acceptance criteria"], check=True)
    return criteria


def edit_one_card(root: Path) -> None:
    """One more commit, by someone else: a line added to one card's body (what most commits are)."""
    card = sorted((root / "dossiers").glob("*/*.md"))[0]
    card.write_text(card.read_text(encoding="utf-8") + "\nOne more line, after the criteria.\n", encoding="utf-8")
    git = ["git", "-C", str(root), "-c", "user.name=Bench Editor", "-c", "user.email=editor@example.org"]
    subprocess.run([*git, "commit", "-q", "-a", "-m", "Edit one card"], check=True)


def earlier_cache(root: Path, cache: bytes, into: Path) -> None:
    """Put the provenance cache of an earlier HEAD (``cache``, made in ``root``) into the
    repository at ``into``: its entry is keyed by the repository's folder, so it is moved there."""
    data = json.loads(cache)
    data["repositories"] = {os.path.realpath(into) if key == os.path.realpath(root) else key: entry
                            for key, entry in data["repositories"].items()}
    target = into / CACHE_DIR / CACHE_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data), encoding="utf-8")


def with_provenance(root: Path, plugin: Path, enabled: bool) -> Path:
    """A copy of the plugin's mkdocs config whose settings switch provenance on or off."""
    settings = root / f"mltrl-docs-{'on' if enabled else 'off'}.yml"
    settings.write_text(f"sources: [dossiers]\nprovenance: {'true' if enabled else 'false'}\n", encoding="utf-8")
    config = root / f"mkdocs-{'on' if enabled else 'off'}.yml"
    config.write_text(plugin.read_text(encoding="utf-8").replace("settings: mltrl-docs.yml",
                                                                 f"settings: {settings.name}"), encoding="utf-8")
    return config


STAGE = """
import sys, time
from pathlib import Path
from mltrl_docs.dossier import build_site
from mltrl_docs.settings import load_settings
settings, _ = load_settings(Path(sys.argv[1]))
build_site(settings, provenance=True, cache_dir=Path(sys.argv[2]))
print(time.process_time())
"""
"""The pipeline up to the pages (load, schema, rules, evidence, provenance, gates) in a fresh
process, as ``mkdocs build`` runs it, with the plugin's provenance cache (so the warm row reads
what the warm build reads): what reading the evidence and git costs, apart from the pages that show it."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=3000)
    parser.add_argument("--commits", type=int, default=3, help="commits per card in the history")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--instructions", action="store_true",
                        help="also count each build's instructions once, under valgrind (slow: ~10x a build)")
    args = parser.parse_args()
    build = [sys.executable, "-m", "mkdocs", "build", "-q", "-f"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        cards, commits = build_history(root, args.cards, args.commits)
        (root / "mltrl-docs.yml").write_text("sources: [dossiers]\n", encoding="utf-8")
        before = Path(tmp) / "before"
        subprocess.run(["git", "-C", str(root), "worktree", "add", "-q", str(before), "HEAD"], check=True)
        criteria = add_criteria(root)
        plugin, plain = configs(root)
        off, on = with_provenance(root, plugin, False), with_provenance(root, plugin, True)
        (before / "docs").mkdir()
        (before / "docs" / "index.md").write_text("# Dossier\n", encoding="utf-8")
        old = with_provenance(before, plugin, False)
        cache = root / ".cache"
        run([*build, str(on)], root)  # the provenance cache as it is before the last commit
        earlier = (root / CACHE_DIR / CACHE_FILE).read_bytes()
        edit_one_card(root)
        commits += 1
        builds = [("plain MkDocs, same card files", [*build, str(plain)], root, "warm"),
                  ("plugin, no criteria, provenance off (as before issue 12)", [*build, str(old)], before, "warm"),
                  ("plugin, criteria judged, provenance off", [*build, str(off)], root, "warm"),
                  ("plugin, criteria and provenance, cache warm", [*build, str(on)], root, "warm"),
                  ("plugin, criteria and provenance, cache cold", [*build, str(on)], root, "cold"),
                  ("plugin, criteria and provenance, cache of the commit before", [*build, str(on)], root, "commit")]
        stages = [("no criteria, provenance off", before / "mltrl-docs-off.yml", before),
                  ("criteria, provenance off", root / "mltrl-docs-off.yml", root),
                  ("criteria and provenance, cache warm", root / "mltrl-docs-on.yml", root)]
        results: dict[str, list[tuple[float, float, int]]] = {name: [] for name, *_ in builds}
        pipeline: dict[str, list[float]] = {name: [] for name, *_ in stages}
        run([*build, str(on)], root)  # fills the provenance cache the warm rows read
        for _ in range(args.runs):  # interleaved: the machine's drift falls on every row alike
            for name, command, cwd, cached in builds:
                if cached == "cold":
                    shutil.rmtree(cache, ignore_errors=True)
                elif cached == "commit":
                    earlier_cache(root, earlier, root)
                results[name].append(run(command, cwd))
            for name, settings, cwd in stages:
                done = subprocess.run([sys.executable, "-c", STAGE, str(settings), str(cwd / CACHE_DIR)], cwd=cwd,
                                      check=True, capture_output=True, text=True)
                pipeline[name].append(float(done.stdout.split()[-1]))
        counted = count_builds(builds, root, Path(tmp), earlier) if args.instructions else {}
    print(f"- Corpus: {cards:,} cards, {commits:,} commits (`provenance.py`'s history, {args.commits} per card), "
          f"then {criteria:,} acceptance criteria (JSON, and JUnit XML on every third requirement) in one commit, "
          "then one commit that edits one card.")
    print(f"- Machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}; "
          f"{args.runs} runs of each, fresh processes, interleaved; CPU time is user + system of the build "
          f"process (``os.wait4``); load average {os.getloadavg()[0]:.1f} at the end.\n")
    cpu = {name: statistics.median(c for _, c, _ in rows) for name, rows in results.items()}
    base, before_issue = cpu[builds[0][0]], cpu[builds[1][0]]
    print("| build | wall, median | CPU, fastest | CPU, median | peak RSS | CPU / plain MkDocs "
          "| CPU / the build before issue 12 |")
    print("|---|---|---|---|---|---|---|")
    for name, rows in results.items():
        print(f"| {name} | {statistics.median(w for w, _, _ in rows):.1f} s | {min(c for _, c, _ in rows):.1f} s "
              f"| {cpu[name]:.1f} s | {max(r for _, _, r in rows) / 2**20:.0f} MiB | {cpu[name] / base:.2f}x "
              f"| {cpu[name] / before_issue:.2f}x |")
    if counted:
        print_counts(counted, builds[0][0], builds[1][0])
    first = statistics.median(pipeline[stages[0][0]])
    print("\nThe pipeline alone (load, schema, rules, evidence, provenance, gates; no pages), CPU seconds "
          "of a fresh process, median:\n")
    print("| pipeline | CPU, median | added to the pipeline | added, as a share of the build before issue 12 |")
    print("|---|---|---|---|")
    for name, _, _ in stages:
        median = statistics.median(pipeline[name])
        print(f"| {name} | {median:.1f} s | {median - first:+.1f} s | {(median - first) / before_issue:+.1%} |")


def count_builds(builds: list[tuple[str, list[str], Path, str]], root: Path, tmp: Path,
                 earlier: bytes) -> dict[str, int]:
    """Each build's instructions, counted once. Counts do not depend on the load, so builds run two
    at a time, each into a site folder of its own; the cold build, and the one with the cache of
    the commit before, each run in a copy of the repository (its index refreshed, as a clone's
    is), so the warm one keeps its cache."""
    runs = []
    for index, (_, command, cwd, cached) in enumerate(builds):
        if cached != "warm":
            copy = tmp / cached
            shutil.copytree(root, copy, symlinks=True)
            # The copy's files have new inodes and change times, so git's index no longer matches them and
            # every `git status` of the build would hash every card again; a clone's checkout leaves an index
            # that matches its files, as this refresh (outside the count) does.
            subprocess.run(["git", "update-index", "-q", "--refresh"], cwd=copy, check=False, capture_output=True)
            shutil.rmtree(copy / ".cache", ignore_errors=True)
            if cached == "commit":
                earlier_cache(root, earlier, copy)
            command = [str(copy / Path(part).relative_to(root)) if part.startswith(str(root)) else part
                       for part in command]
            cwd = copy
        runs.append(([*command, "-d", str(tmp / f"counted-{index}")], cwd, ENV))
    return dict(zip((name for name, *_ in builds), count_all(runs), strict=True))


def print_counts(counted: dict[str, int], plain: str, before: str) -> None:
    """The instruction counts as a Markdown table, with their ratios."""
    print("\nInstructions executed (valgrind's cachegrind, one run each: the count is the same in every run):\n")
    print("| build | instructions | / plain MkDocs | / the build before issue 12 |")
    print("|---|---|---|---|")
    for name, instructions in counted.items():
        print(f"| {name} | {instructions / 1e9:,.1f} G | {instructions / counted[plain]:.2f}x "
              f"| {instructions / counted[before]:.3f}x |")


if __name__ == "__main__":
    main()
