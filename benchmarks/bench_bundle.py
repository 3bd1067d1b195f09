"""Benchmark (issue 15): bundling a repository's cards, and building a portal from the bundle.

The corpus is `bench_evidence.py`'s: `corpus.py`'s cards made a git repository with a history
(`provenance.py`), every requirement given an acceptance criterion on its project's JSON evidence
(and a JUnit XML one on every third). Side by side, fresh processes, the runs of each step
interleaved with the others', timed by CPU (user + system of the process and its children, from
``os.wait4``; this 2-core machine is shared, and CPU time is far less noisy than wall time):

- `mltrl-docs check` of the repository (reading and checking the cards: the baseline);
- `mltrl-docs bundle --out readiness.json` (the same, plus git's provenance, and the file written);
- `mltrl-docs check` of a portal whose settings list only that bundle (importing it: reading and
  checking the bundle, unpacking its files, and checking the cards as if local);
- `mkdocs build` with the plugin from the repository, and from the portal's bundle.

It prints the bundle's size (raw and gzip), per card and against the files it carries.

    python benchmarks/bench_bundle.py --cards 3000 --runs 3
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_evidence import add_criteria
from bench_scale import run
from bench_site import THEME, configs
from provenance import build_history

MKDOCS = "site_name: portal\ndocs_dir: docs\nsite_dir: site-mltrl\n" + THEME + \
    "  - mltrl:\n      settings: mltrl-docs.yml\nnav: [index.md]\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=3000)
    parser.add_argument("--commits", type=int, default=3, help="commits per card in the history")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cli = [sys.executable, "-m", "mltrl_docs"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        cards, commits = build_history(root, args.cards, args.commits)
        (root / "mltrl-docs.yml").write_text("sources: [dossiers]\n", encoding="utf-8")
        criteria = add_criteria(root)
        plugin, _ = configs(root)
        bundle = root / "readiness.json"
        portal = Path(tmp) / "portal"
        (portal / "docs").mkdir(parents=True)
        (portal / "docs" / "index.md").write_text("# Portal\n", encoding="utf-8")
        (portal / "mltrl-docs.yml").write_text("bundles: [readiness.json]\n", encoding="utf-8")
        (portal / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
        steps = [
            ("`check` of the repository", [*cli, "check", "--fail-on", "never", "."], root),
            ("`bundle --out readiness.json`", [*cli, "bundle", "--out", str(bundle), "."], root),
            ("`check` of a portal holding only the bundle", [*cli, "check", "--fail-on", "never", "."], portal),
            ("`mkdocs build`, plugin, from the repository",
             [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(plugin)], root),
            ("`mkdocs build`, plugin, from the bundle",
             [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(portal / "mkdocs.yml")], portal),
        ]
        run(steps[1][1], root)  # the bundle the portal reads, and git's provenance cached
        shutil.copy(bundle, portal / "readiness.json")
        results: dict[str, list[tuple[float, float, int]]] = {name: [] for name, _, _ in steps}
        for _ in range(args.runs):
            for name, command, cwd in steps:
                results[name].append(run(command, cwd))
        data = bundle.read_bytes()
        packed = len(gzip.compress(data, 6))
        carried = sum(p.stat().st_size for p in (root / "dossiers").rglob("*") if p.is_file())
    print(f"- Corpus: {cards:,} cards, {commits:,} commits ({args.commits} per card), {criteria:,} acceptance "
          "criteria on JSON and JUnit XML evidence (`bench_evidence.py`'s).")
    print(f"- Machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}; "
          f"{args.runs} runs of each step, fresh processes, interleaved; load average {os.getloadavg()[0]:.1f} "
          "at the end.\n")
    base = statistics.median(c for _, c, _ in results[steps[0][0]])
    print("| step | wall, median | CPU, median | CPU per card | peak RSS | CPU / `check` of the repository |")
    print("|---|---|---|---|---|---|")
    for name, rows in results.items():
        cpu = statistics.median(c for _, c, _ in rows)
        print(f"| {name} | {statistics.median(w for w, _, _ in rows):.1f} s | {cpu:.1f} s "
              f"| {cpu / cards * 1000:.2f} ms | {max(r for _, _, r in rows) / 2**20:.0f} MiB | {cpu / base:.2f}x |")
    print(f"\nThe bundle: {_size(len(data))} ({len(data) / cards / 1024:.1f} KiB per card), {_size(packed)} "
          f"gzipped; the files it carries (cards, evidence, glossaries) take {_size(carried)} on disk "
          f"({len(data) / carried:.2f}x).")


def _size(count: int) -> str:
    return f"{count / 2**20:.1f} MiB" if count >= 2**20 else f"{count / 1024:.0f} KiB"


if __name__ == "__main__":
    main()
