"""Benchmark: what linking glossary terms adds to `mkdocs build` (issue: under 15%).

The same generated corpus is built twice per run, with `link_terms: first` (the
default: built-in glossary, first use of each term per page linked) and with
`link_terms: 'off'`; everything else is equal (the glossary pages are built in
both). Builds alternate, so machine noise falls on both alike.

    python benchmarks/bench_autolink.py --cards 3000 --runs 3
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_check import measure
from bench_site import configs
from corpus import generate


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
        links = 0
        for _ in range(args.runs):
            for mode in ("first", "off"):
                settings.write_text(base + f"link_terms: '{mode}'\n", encoding="utf-8")
                wall, _ = measure(command, root, (0, 1))
                walls[mode].append(wall)
                if mode == "first":
                    links = sum(len(re.findall('class="mltrl-term"', p.read_text(encoding="utf-8")))
                                for p in (root / "site-mltrl" / "dossier").rglob("index.html"))
    on, off = statistics.median(walls["first"]), statistics.median(walls["off"])
    print(f"### Glossary term links on {args.cards:,} cards\n")
    print(f"- Machine: {os.cpu_count()} cores, Python {platform.python_version()}; {args.runs} alternating runs "
          f"of each, fresh processes; {links:,} term links written with `link_terms: first`.\n")
    print("| link_terms | fastest | median |")
    print("|---|---|---|")
    print(f"| first | {min(walls['first']):.1f} s | {on:.1f} s |")
    print(f"| off | {min(walls['off']):.1f} s | {off:.1f} s |")
    print(f"\nLinking adds {100 * (on - off) / off:+.1f}% to the median build "
          f"({100 * (min(walls['first']) - min(walls['off'])) / min(walls['off']):+.1f}% fastest to fastest).")


if __name__ == "__main__":
    main()
