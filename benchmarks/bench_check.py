"""Benchmark: `mltrl-docs check` on a generated corpus, against plain MkDocs.

Runs each command several times in a fresh process and reports the fastest and
the median wall time and the peak resident memory (from the child's rusage).
The baseline is plain `mkdocs build` (mkdocs theme, no plugins, every page kept
out of the nav) over the same card files: what MkDocs alone spends reading and
rendering them. Prints a Markdown section for BENCHMARKS.md.

    python benchmarks/bench_check.py --cards 3000 --runs 5
    python benchmarks/bench_check.py --cards 3000 --runs 5 --paths 5

With ``--paths N``, it times `check` given one card and given N cards of different projects (what
a pre-commit hook passes) instead: each site is built once, however many of its paths are given.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def measure(command: list[str], cwd: Path, expect: tuple[int, ...] = (0,)) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in expect:
        raise SystemExit(f"{' '.join(command)} exited {code}: {process.stderr.read().decode()[-2000:]}")
    return wall, usage.ru_maxrss // 1024


def mkdocs_site(root: Path) -> Path:
    """A plain MkDocs project over the corpus' card files."""
    (root / "dossiers" / "index.md").write_text("# Benchmark\n", encoding="utf-8")
    config = root / "mkdocs-plain.yml"
    config.write_text(
        "site_name: plain baseline\ndocs_dir: dossiers\nsite_dir: site-plain\ntheme: mkdocs\n"
        "plugins: []\nnav: [index.md]\nnot_in_nav: |\n  /project-*/\n", encoding="utf-8")
    return config


def series(command: list[str], cwd: Path, runs: int, expect: tuple[int, ...] = (0,)) -> dict[str, float]:
    results = [measure(command, cwd, expect) for _ in range(runs)]
    walls = [w for w, _ in results]
    return {"min": min(walls), "median": statistics.median(walls), "rss": max(r for _, r in results)}


def _machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.system()}"


def paths_benchmark(cards: int, runs: int, count: int) -> None:
    """`check CARD` against `check CARD1 ... CARDn` (n cards of n projects) on one corpus."""
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp), cards)
        projects = sorted(p for p in (root / "dossiers").iterdir() if p.is_dir())
        picked = [str(sorted(p.glob("*.md"))[-1].relative_to(root)) for p in projects[:count]]
        base = [sys.executable, "-m", "mltrl_docs", "check"]
        one = series([*base, picked[0]], root, runs, expect=(0, 1))
        many = series([*base, *picked], root, runs, expect=(0, 1))
        whole = series([*base, "."], root, runs, expect=(0, 1))
    print(f"### `mltrl-docs check` given 1 and {count} card paths, {cards:,} cards\n")
    print(f"- Corpus: `benchmarks/corpus.py` (seed 7): {cards:,} cards in {cards // 10} projects; "
          f"the paths are the current cards of the first {count} projects.")
    print(f"- Machine: {_machine()}.")
    print(f"- Runs: {runs} of each, each a fresh process.\n")
    print("| command | fastest | median | peak RSS |")
    print("|---|---|---|---|")
    for name, row in (("`check` 1 path", one), (f"`check` {count} paths", many), ("`check .` (whole site)", whole)):
        print(f"| {name} | {row['min']:.2f} s | {row['median']:.2f} s | {row['rss']} MiB |")
    print(f"\nRatio {count} paths / 1 path (median): {many['median'] / one['median']:.2f}x.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--paths", type=int, default=0, help="Compare check of 1 card against N cards.")
    args = parser.parse_args()
    if args.paths:
        paths_benchmark(args.cards, args.runs, args.paths)
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp), args.cards)
        lines = sum(p.read_text(encoding="utf-8").count("\n") for p in (root / "dossiers").rglob("*.md"))
        # Exit 1 is fine: the corpus' cards get gate warnings (it predates the gates); the
        # time is what counts.
        check = series([sys.executable, "-m", "mltrl_docs", "check", "."], root, args.runs, expect=(0, 1))
        floor = series([sys.executable, str(Path(__file__).parent / "check_floor.py"), "dossiers"], root, args.runs)
        config = mkdocs_site(root)
        plain = series([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], root,
                       max(1, args.runs // 2))
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    print(f"### `mltrl-docs check` on {args.cards:,} cards\n")
    print(f"- Corpus: `benchmarks/corpus.py` (seed 7): {args.cards:,} cards in {args.cards // 10} projects, "
          f"{lines:,} lines of Markdown in all (~{lines // args.cards} per card).")
    print(f"- Machine: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.system()}.")
    print(f"- Runs: {args.runs} of `check` and {max(1, args.runs // 2)} of the baseline, each a fresh process.\n")
    print("| command | fastest | median | peak RSS |")
    print("|---|---|---|---|")
    print(f"| `mltrl-docs check .` | {check['min']:.2f} s | {check['median']:.2f} s | {check['rss']} MiB |")
    print(f"| floor: read, libyaml, markdown-it (`check_floor.py`) | {floor['min']:.2f} s | {floor['median']:.2f} s "
          f"| {floor['rss']} MiB |")
    print(f"| baseline: plain `mkdocs build` of the same files | {plain['min']:.2f} s | {plain['median']:.2f} s "
          f"| {plain['rss']} MiB |")
    print(f"\nRatio to the floor script (median): {check['median'] / floor['median']:.2f}x (issue 14's target: "
          "at most 1.5x).")
    print(f"\nRatio to the baseline (median): {check['median'] / plain['median']:.2f}x the time, "
          f"{check['rss'] / plain['rss']:.2f}x the memory.")


if __name__ == "__main__":
    main()
