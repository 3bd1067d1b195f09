"""Benchmark (issue 14): the floor under a plugin build, and the plugin's own share of it.

A plugin build costs what MkDocs and Material spend on the site it publishes, plus the plugin's
own work: reading, checking, analysing and rendering the cards. This benchmark splits the two.
For each ``--cards N`` (the `corpus.py` corpus, `bench_site.py`'s configs):

1. one plugin build with `floor_capture.py` as a hook keeps every page and file the plugin hands
   MkDocs, and its nav section;
2. then, alternating, fresh processes:
   - plain MkDocs on the same card files as ordinary pages (the issue's baseline);
   - the plugin build;
   - the *replay*: plain MkDocs + Material with `floor_replay.py` as a hook and no plugin, handed
     those pages and files ready-made. It writes the very same site (the benchmark checks every
     byte), and costs what the host alone spends on it;
   - `check_floor.py`: reading every card's YAML with libyaml and rendering its body with
     markdown-it, what any tool must spend to look at the cards at all.

The replay plus the check floor is the lowest a build of this site could cost; the plugin minus
the replay is what the plugin itself spends. Peak memory: the replay holds every page's HTML from
its start, as MkDocs holds each page's HTML from its render to the end of the build.

    python benchmarks/bench_floor.py --cards 1000 3000 --runs 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import platform
import shlex
import statistics
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_check import ENV, _machine
from bench_scale import corpus, kib, load_average, mib, ratio, run, site_size

HERE = Path(__file__).resolve().parent


def configs(root: Path) -> tuple[Path, Path]:
    """The capture config (the plugin's, with the capture hook) and the replay config (the
    plain one's theme and plugins, the plugin's docs folder, the replay hook)."""
    capture = root / "mkdocs-capture.yml"
    capture.write_text(f"INHERIT: mkdocs-mltrl.yml\nsite_dir: site-capture\nhooks: [{HERE / 'floor_capture.py'}]\n",
                       encoding="utf-8")
    replay = root / "mkdocs-replay.yml"
    replay.write_text(f"INHERIT: mkdocs-plain.yml\ndocs_dir: docs\nsite_dir: site-replay\nnot_in_nav: ''\n"
                      f"hooks: [{HERE / 'floor_replay.py'}]\n", encoding="utf-8")
    return capture, replay


def same_site(a: Path, b: Path) -> bool:
    """Every file of ``a`` in ``b`` with the same bytes, and no other."""
    def walk(cmp: filecmp.dircmp[str]) -> bool:
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        return (not cmp.left_only and not cmp.right_only and not mismatch and not errors
                and all(walk(sub) for sub in cmp.subdirs.values()))
    return walk(filecmp.dircmp(a, b))


def measure(root: Path, runs: int) -> dict[str, dict[str, float]]:
    """``runs`` of each build, alternating, after one capture build."""
    capture, replay = configs(root)
    kept = root / "capture.pickle"
    ENV["MLTRL_FLOOR_CAPTURE"] = ENV["MLTRL_FLOOR_REPLAY"] = str(kept)
    run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(capture)], root)
    commands = {
        "plain": [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs-plain.yml")],
        "plugin": [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs-mltrl.yml")],
        "replay": [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(replay)],
        "floor": [sys.executable, str(HERE / "check_floor.py"), str(root / "dossiers")],
        "python": [sys.executable, "-c", "pass"],
    }
    times: dict[str, list[tuple[float, float, int]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(run(command, root))
    if not same_site(root / "site-capture", root / "site-replay"):
        raise SystemExit(f"bench_floor: the replay wrote another site than the plugin (in {root})")
    if not same_site(root / "site-capture", root / "site-mltrl"):
        raise SystemExit(f"bench_floor: the capture build wrote another site than the plugin (in {root})")
    results = {name: {"wall": statistics.median(t[0] for t in runs_), "cpu": statistics.median(t[1] for t in runs_),
                      "rss": max(t[2] for t in runs_)} for name, runs_ in times.items()}
    for name, site in (("plain", "site-plain"), ("plugin", "site-mltrl")):
        results[name]["output"] = site_size(root / site)[0]
    results["pickle"] = {"bytes": kept.stat().st_size}
    return results


def report(results: dict[int, dict[str, dict[str, float]]]) -> None:
    print("| cards | build | CPU (median) | wall (median) | peak RSS | CPU / plain | memory / plain |")
    print("|---|---|---|---|---|---|---|")
    labels = {"plain": "plain MkDocs, same card files", "plugin": "mltrl plugin",
              "replay": "replay: MkDocs + Material alone on the plugin's site",
              "floor": "check floor: read the cards (YAML + markdown-it)"}
    for cards, row in results.items():
        base = row["plain"]
        for name, label in labels.items():
            r = row[name]
            print(f"| {cards:,} | {label} | {r['cpu']:.2f} s | {r['wall']:.2f} s | {mib(r['rss'])} "
                  f"| {ratio(r['cpu'], base['cpu'])} | {ratio(r['rss'], base['rss'])} |")
    print("\nWhat the figures say (CPU medians; an interpreter's start, counted once in the floor):\n")
    print("| cards | replay + check floor, the lowest a build of this site costs | as a ratio to plain "
          "| the plugin's own work (plugin - replay) | per card | output, plugin / plain |")
    print("|---|---|---|---|---|---|")
    for cards, row in results.items():
        lowest = row["replay"]["cpu"] + row["floor"]["cpu"] - row["python"]["cpu"]
        own = row["plugin"]["cpu"] - row["replay"]["cpu"]
        print(f"| {cards:,} | {lowest:.2f} s | {ratio(lowest, row['plain']['cpu'])} | {own:.2f} s "
              f"| {1000 * own / cards:.1f} ms | {mib(row['plugin']['output'])} / {mib(row['plain']['output'])} "
              f"= {ratio(row['plugin']['output'], row['plain']['output'])} |")
    sizes = ", ".join(kib(row["pickle"]["bytes"]) for row in results.values())
    print(f"\n(The replay's pages came from a pickle of {sizes}"
          " that it reads at its start: the pages' HTML, which MkDocs holds to the end of a build either way.)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, nargs="+", default=[1000, 3000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.runs < 1 or min(args.cards) < 1:
        parser.error("--runs and --cards must be at least 1")
    sizes = sorted(set(args.cards))
    load_start, started = load_average(), time.perf_counter()
    results: dict[int, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        for cards in sizes:
            print(f"... {cards:,} cards: capture, then {args.runs} run(s) of each", file=sys.stderr, flush=True)
            results[cards] = measure(corpus(Path(tmp), cards), args.runs)
    print(f"### The floor under a build (issue 14, `benchmarks/bench_floor.py`, {dt.date.today().isoformat()})\n")
    print(f"```sh\n{shlex.join(['python', 'benchmarks/bench_floor.py', *sys.argv[1:]])}\n```\n")
    print("- Corpus: `benchmarks/corpus.py` (seed 7); Material, search and navigation.prune in every build.")
    print(f"- Machine: {_machine()}, {platform.platform()}; MkDocs {version('mkdocs')}, "
          f"Material {version('mkdocs-material')}.")
    print(f"- Runs: {args.runs} of each, alternating, fresh processes ({time.perf_counter() - started:.0f} s in all); "
          f"load average {load_start} at the start, {load_average()} at the end. The replay wrote the plugin's "
          "site byte for byte.\n")
    report(results)


if __name__ == "__main__":
    main()
