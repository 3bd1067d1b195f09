"""Benchmark (issue 14): the work of one `mkdocs serve --dirty` rebuild after an edit, without the server.

`bench_scale.py --serve` times a real server from the write to "Reloading browsers": that includes
the file watcher's polling (up to 0.5 s) and the threads the server runs beside the build, and on
this shared 2-core VM it swings by a factor of two between runs. This runs what the server runs
for each rebuild, in one process per configuration, as `mkdocs serve --dirty` does (the config read
again for each build; a plugin with ``on_startup`` kept across builds; ``build(dirty=True)``), and
reports the CPU time of each rebuild and the process's memory, for plain MkDocs and the plugin on
the same corpus (`corpus.py`, `bench_site.py`'s configurations), side by side in one run:

- the median CPU per rebuild after ``--edits`` edits (one line appended to a card's body, two
  cards in turn), and the plugin/plain ratio (issue 14's target for the server: at most 2x);
- the cold build's CPU in the same process, and the rebuild as a share of it (target: 0.1x);
- the resident memory after the first build and after the last edit (target: within 10%).

    python benchmarks/bench_rebuild.py --cards 1000 --edits 10
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_check import ENV, _machine
from bench_site import configs
from corpus import generate

CHILD = """
import json, logging, os, sys, tempfile, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

config_file, edits = sys.argv[1], int(sys.argv[2])
logging.getLogger("mkdocs").setLevel(logging.ERROR)
site = tempfile.mkdtemp(prefix="mkdocs_")


def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS"))


def config():
    loaded = load_config(config_file=config_file, site_dir=site)
    loaded.site_url = "http://127.0.0.1:8000/"
    return loaded


first = config()
first.plugins.on_startup(command="serve", dirty=True)
started = time.process_time()
build(first, serve_url="http://127.0.0.1:8000/", dirty=True)
cold, after_first = time.process_time() - started, rss()
cards = sorted(Path("dossiers").rglob("L*.md"))[:2]
rebuilds = []
for edit in range(edits):
    with open(cards[edit % 2], "a", encoding="utf-8") as card:
        card.write(f"\\nEdit {edit}.\\n")
    started = time.process_time()
    build(config(), serve_url="http://127.0.0.1:8000/", dirty=True)
    rebuilds.append(time.process_time() - started)
print(json.dumps({"cold": cold, "rebuilds": rebuilds, "rss_first": after_first, "rss_last": rss()}))
"""
"""One configuration's builds, in a process of its own."""


def run(root: Path, config: Path, edits: int) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(config), str(edits)], cwd=root, env=ENV,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp), args.cards)
        plugin, plain = configs(root)
        found = {"plain MkDocs, same files": run(root, plain, args.edits),
                 "mltrl plugin": run(root, plugin, args.edits)}
    print(f"### One `serve --dirty` rebuild, in process (`benchmarks/bench_rebuild.py`)\n\n"
          f"- {args.cards:,} cards, {args.edits} edits (a line appended to a card's body, two cards in turn); "
          f"{_machine()}.\n")
    print("| build | cold build, CPU | rebuild CPU, median (fastest-slowest) | rebuild / cold | RSS after first build "
          "| RSS after last edit | ratio |")
    print("|---|---|---|---|---|---|---|")
    medians = {}
    for name, figures in found.items():
        rebuilds = figures["rebuilds"]
        medians[name] = median = statistics.median(rebuilds)
        print(f"| {name} | {figures['cold']:.2f} s | {median:.2f} s ({min(rebuilds):.2f}-{max(rebuilds):.2f} s) "
              f"| {median / figures['cold']:.2f}x | {figures['rss_first'] / 2**20:.1f} MiB "
              f"| {figures['rss_last'] / 2**20:.1f} MiB | {figures['rss_last'] / figures['rss_first']:.2f}x |")
    ratio = medians["mltrl plugin"] / medians["plain MkDocs, same files"]
    print(f"\nPlugin rebuild / plain MkDocs rebuild (CPU, medians): {ratio:.2f}x.")


if __name__ == "__main__":
    main()
