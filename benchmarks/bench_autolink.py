"""Benchmark: what linking glossary terms adds to `mkdocs build` (issue 4: under 15%).

The same generated corpus is built twice per run, with `link_terms: first` (the
default: built-in glossary, first use of each term per page linked) and with
`link_terms: 'off'`; everything else is equal (the glossary pages are built in
both). Builds alternate, so machine noise falls on both alike. Terms are linked
while pages are rendered (render.autolink.TermLinker), so the difference is all
the linking costs. CPU time (user + sys of the build, from ``os.wait4``) is the
figure to compare: the machine is shared, and wall time also counts waiting for a core.

    python benchmarks/bench_autolink.py --cards 3000 --runs 3
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_check import ENV
from bench_site import configs
from corpus import generate


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + sys) of one build."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp), args.cards)
        plugin, _ = configs(root)
        settings = root / "mltrl-docs.yml"
        base = settings.read_text(encoding="utf-8")
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(plugin)]
        walls: dict[str, list[float]] = {"first": [], "off": []}
        cpus: dict[str, list[float]] = {"first": [], "off": []}
        links = 0
        for _ in range(args.runs):
            for mode in ("first", "off"):
                settings.write_text(base + f"link_terms: '{mode}'\n", encoding="utf-8")
                wall, cpu = measure(command, root)
                walls[mode].append(wall)
                cpus[mode].append(cpu)
                if mode == "first":
                    links = sum(len(re.findall('class="mltrl-term"', p.read_text(encoding="utf-8")))
                                for p in (root / "site-mltrl" / "dossier").rglob("index.html"))
    print(f"### Glossary term links on {args.cards:,} cards\n")
    print(f"- Machine: {os.cpu_count()} cores, Python {platform.python_version()}; {args.runs} alternating runs "
          f"of each, fresh processes; {links:,} term links written with `link_terms: first`.\n")
    print("| link_terms | CPU, fastest | CPU, median | wall, median |")
    print("|---|---|---|---|")
    for mode in ("first", "off"):
        print(f"| {mode} | {min(cpus[mode]):.1f} s | {statistics.median(cpus[mode]):.1f} s | "
              f"{statistics.median(walls[mode]):.1f} s |")
    on, off = statistics.median(cpus["first"]), statistics.median(cpus["off"])
    print(f"\nLinking adds {100 * (on - off) / off:+.1f}% to the median build's CPU time "
          f"({100 * (min(cpus['first']) - min(cpus['off'])) / min(cpus['off']):+.1f}% fastest to fastest).")


if __name__ == "__main__":
    main()
