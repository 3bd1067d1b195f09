"""Benchmark: `mkdocs build` of a dossier site with the mltrl plugin, against plain MkDocs.

Both builds use Material with search and navigation.prune. The baseline builds
the same card files as ordinary pages, kept out of the nav as the plugin keeps
card pages out of it: what MkDocs itself spends on those files. The plugin's
build adds portfolio, project, matrix, org and card pages and validates every card.

    python benchmarks/bench_site.py --cards 1000 3000 --runs 2
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_check import series
from corpus import generate

THEME = "theme:\n  name: material\n  font: false\n  features: [navigation.prune]\nplugins:\n  - search\n"


def configs(root: Path) -> tuple[Path, Path]:
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Dossier\n", encoding="utf-8")
    plugin = root / "mkdocs-mltrl.yml"
    plugin.write_text("site_name: bench\ndocs_dir: docs\nsite_dir: site-mltrl\n" + THEME
                      + "  - mltrl:\n      settings: mltrl-docs.yml\nnav: [index.md]\n", encoding="utf-8")
    plain = root / "mkdocs-plain.yml"
    plain.write_text("site_name: bench\ndocs_dir: dossiers\nsite_dir: site-plain\n" + THEME
                     + "nav: [index.md]\nnot_in_nav: |\n  /project-*/\n", encoding="utf-8")
    (root / "dossiers" / "index.md").write_text("# Dossier\n", encoding="utf-8")
    return plugin, plain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, nargs="+", default=[1000, 3000])
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    print("### `mkdocs build` with the mltrl plugin\n")
    print(f"- Machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}; "
          f"Material, search and navigation.prune in both builds; {args.runs} runs each, fresh processes.\n")
    print("| cards | pages generated | mltrl build (fastest / median) | peak RSS | plain MkDocs, same files | peak RSS "
          "| time ratio | memory ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for cards in args.cards:
        with tempfile.TemporaryDirectory() as tmp:
            root = generate(Path(tmp), cards)
            plugin, plain = configs(root)
            built = series([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(plugin)], root, args.runs)
            pages = sum(1 for _ in (root / "site-mltrl" / "dossier").rglob("index.html"))
            base = series([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(plain)], root, args.runs)
        print(f"| {cards:,} | {pages:,} | {built['min']:.1f} s / {built['median']:.1f} s | {built['rss']} MiB "
              f"| {base['min']:.1f} s / {base['median']:.1f} s | {base['rss']} MiB "
              f"| {built['median'] / base['median']:.2f}x | {built['rss'] / base['rss']:.2f}x |")


if __name__ == "__main__":
    main()
