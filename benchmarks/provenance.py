"""Benchmark: provenance from git (issue 12), cold and cached, against reading the cards.

Builds a git repository of the `corpus.py` corpus in which every card has a history: each
card is committed ``--commits`` times (its body grows, then its reviewers' decisions go from
pending to approved), the rounds interleaved across cards so that every card's history spans
the whole repository's, by 80 authors; one decision in seven is recorded by the card's owner
rather than its reviewer. One evidence CSV per project changes every other round. The history
is written with ``git fast-import`` in a few seconds.

Then, in one process, with the dossier loaded once:

- baseline: ``load_dossier`` (reading and checking every card file: what a check spends on them);
- cold: ``provenance(dossier, cache_dir)`` with an empty cache (two ``git log`` per repository);
- warm: the same with the cache the previous run wrote (``git status`` only).

Prints a Markdown section for BENCHMARKS.md: wall-clock medians and fastest, and CPU time
(this process and its git children), since the VM's wall times vary with its load.

    python benchmarks/provenance.py --cards 3000 --commits 5 --runs 5
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate
from mltrl_docs.dossier import load_dossier
from mltrl_docs.provenance import provenance


def versions(text: str, commits: int) -> list[str]:
    """``commits`` versions of a card, oldest first, the last one ``text`` itself: the body
    grows section by section while the decisions are pending, then they are approved."""
    head, body = text.split("\n---\n", 1)
    sections = body.split("\n## ")
    pending = head.replace("decision: approved", "decision: pending")
    grown = [pending + "\n---\n" + "\n## ".join(sections[: max(1, len(sections) * k // commits)])
             for k in range(1, commits)]
    return [*grown, text]


def build_history(root: Path, cards: int, commits: int) -> tuple[int, int]:
    """The corpus under ``root`` turned into a repository; (cards, commits)."""
    generate(root, cards)
    files = sorted((root / "dossiers").rglob("*.md"))
    texts = [versions(path.read_text(encoding="utf-8"), commits) for path in files]
    projects = sorted({path.parent for path in files})
    stream = bytearray()

    def data(payload: bytes) -> None:
        stream.extend(b"data %d\n" % len(payload))
        stream.extend(payload)
        stream.extend(b"\n")

    moment, count = 1_500_000_000, 0
    for round_ in range(commits):
        for index, path in enumerate(files):
            text = texts[index][round_]
            reviewer = re.search(r"name: (Reviewer \d+)", text)
            last = round_ == commits - 1
            who = reviewer.group(1) if (last and reviewer and index % 7) else f"Owner {index % 80}"
            mail = who.lower().replace(" ", ".") + "@example.org"
            moment += 60
            count += 1
            stream.extend(b"commit refs/heads/main\n")
            stream.extend(f"author {who} <{mail}> {moment} +0000\ncommitter {who} <{mail}> {moment} +0000\n".encode())
            data(f"Round {round_ + 1} of {path.name}".encode())
            stream.extend(f"M 100644 inline {path.relative_to(root).as_posix()}\n".encode())
            data(text.encode())
        if round_ % 2 == 0:
            moment += 60
            count += 1
            stream.extend(b"commit refs/heads/main\n")
            stream.extend(f"author Data Bot <bot@example.org> {moment} +0000\n"
                          f"committer Data Bot <bot@example.org> {moment} +0000\n".encode())
            data(f"Evidence runs, round {round_ + 1}".encode())
            for project in projects:
                rows = "".join(f"{i},{(i * 7 + round_) % 100 / 100}\n" for i in range(200))
                stream.extend(f"M 100644 inline {(project / 'evidence' / 'runs.csv').relative_to(root).as_posix()}\n"
                              .encode())
                data(("run,score\n" + rows).encode())
    for path in files:
        path.unlink()
    git = ["git", "-c", "init.defaultBranch=main", "-C", str(root)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "fast-import", "--quiet"], input=bytes(stream), check=True)
    subprocess.run([*git, "checkout", "-q", "-f", "main"], check=True)
    return len(files), count


def cpu() -> float:
    """CPU seconds of this process and its finished children (git)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def series(run: Callable[[], object], runs: int, before: Callable[[], None] = lambda: None) -> dict[str, float]:
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        before()
        started, spent = time.perf_counter(), cpu()
        run()
        walls.append(time.perf_counter() - started)
        cpus.append(cpu() - spent)
    return {"min": min(walls), "median": statistics.median(walls), "cpu": statistics.median(cpus)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=3000)
    parser.add_argument("--commits", type=int, default=5, help="commits per card")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "repo"
        started = time.perf_counter()
        cards, commits = build_history(root, args.cards, args.commits)
        built = time.perf_counter() - started
        cache = Path(folder) / "cache"
        source = root / "dossiers"
        baseline = series(lambda: load_dossier([source]), args.runs)
        dossier, _ = load_dossier([source])
        cold = series(lambda: provenance(dossier, cache), args.runs, lambda: shutil.rmtree(cache, ignore_errors=True))
        provenance(dossier, cache)
        warm = series(lambda: provenance(dossier, cache), args.runs)
        report = provenance(dossier, cache)
        decided = [found for card in dossier.cards for found in report.decisions(card)]
        size = (cache / "provenance.json").stat().st_size
    git_version = subprocess.run(["git", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    print(f"- Repository: {cards:,} cards ({args.cards:,} asked) in {len(dossier.projects)} projects, "
          f"{commits:,} commits ({args.commits} per card, interleaved, plus evidence commits), "
          f"built with `git fast-import` in {built:.1f} s. "
          f"{sum(1 for found in decided if found and found.commit):,} of {len(decided):,} decisions attributed, "
          f"{sum(1 for found in decided if found and found.recorded_by_other):,} recorded by someone else; "
          f"cache file {size / 1024 / 1024:.1f} MiB.")
    print(f"- Machine: {os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
          f"Python {platform.python_version()}, {git_version}, {platform.system()}; "
          f"{args.runs} runs each in one process, load average {os.getloadavg()[0]:.1f} at the end.")
    print()
    print("| step | fastest | median | CPU, median (with git) |")
    print("|---|---|---|---|")
    for name, result in (("baseline: `load_dossier` (read and check the cards)", baseline),
                         ("provenance, cold (empty cache)", cold), ("provenance, warm (cached)", warm)):
        print(f"| {name} | {result['min']:.2f} s | {result['median']:.2f} s | {result['cpu']:.2f} s |")
    print()
    print(f"Ratio to the baseline (median): cold {cold['median'] / baseline['median']:.2f}x, "
          f"warm {warm['median'] / baseline['median']:.3f}x.")


if __name__ == "__main__":
    main()
