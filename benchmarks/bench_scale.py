"""Benchmark (issue 14): does an organisation-scale dossier build in linear time, and does an edit show in seconds?

For each ``--cards N`` (the `corpus.py` corpus), side by side in one run, fresh processes, alternating:

- plain MkDocs + Material building the same card files as ordinary pages (`bench_site.py`'s plain
  config: Material, search, navigation.prune) -- what MkDocs alone spends on those files;
- the plugin build (`bench_site.py`'s plugin config).

Each build reports wall time, CPU time (user + sys of the process and the children it waited
for, from ``os.wait4``: this 2-core VM is often shared, and CPU time is far less noisy than
wall time), peak RSS, the site's bytes (in all, per card, the search index) and its HTML
pages; then the plugin/plain ratios, and how the bytes and the CPU time per card grow with N
(the issue's target: bytes per card at 10,000 at most 1.2x those at 1,000).

With ``--serve``, at ``--serve-cards`` cards: ``mkdocs serve`` (plain, plain ``--dirty``, plugin,
plugin ``--dirty``), then ``--edits`` appends of one line to a card's body (two cards in turn),
each timed from the write to MkDocs' "Reloading browsers" (logged once the rebuild is written),
with the server's RSS after its first build and after the last edit.

With ``--profile``, one plugin build at the smallest N under a stack sampler, with the share of
the build spent in each area (search indexing, nav rendering, our templates, ...).

    python benchmarks/bench_scale.py --cards 1000 3000 10000 --runs 3 --serve --profile
    python benchmarks/bench_scale.py --cards 100 300 --runs 1 --serve --serve-cards 100 --edits 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import queue
import random
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_check import ENV, _machine
from bench_site import configs
from corpus import generate

SITES = {"plain": "site-plain", "plugin": "site-mltrl"}
"""Where `bench_site.configs` builds each site, relative to the corpus."""

RELOADED = "Reloading browsers"
"""What `mkdocs.livereload.LiveReloadServer._build_loop` logs once a rebuild is written (the
browsers are told only then); "Detected file changes" opens the rebuild, "Serving on" follows
the first build. Not "Documentation built in X seconds" (`mkdocs.commands.build`): MkDocs puts a
DuplicateFilter on that logger, so a rebuild that takes the same X.XX seconds as an earlier one
logs nothing, and a benchmark waiting for it waits forever."""
DETECTED = "Detected file changes"
SERVING = "Serving on"
REBUILD_FAILED = "An error happened during the rebuild"
POLL = 0.5
"""Seconds between two looks of `mkdocs serve`'s file watcher (``LiveReloadServer``'s
``polling_interval``): a change waits up to this long to be seen."""

AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Material search indexing", ("/material/plugins/search/", "/mkdocs/contrib/search/")),
    ("Material nav rendering (partials/nav*.html)", ("/material/templates/partials/nav",)),
    ("Material theme rendering (all its templates, nav included)", ("/material/templates/",)),
    ("our Jinja templates (templates/mltrl/)", ("/templates/mltrl/",)),
    ("term linking (render/autolink.py)", ("/mltrl_docs/render/autolink.py",)),
    ("markdown-it (card bodies)", ("/markdown_it/", "/mdit_py_plugins/")),
    ("Python-Markdown (MkDocs' own pages)", ("/markdown/", "/pymdownx/")),
    ("loading cards (load.py)", ("/mltrl_docs/load.py",)),
    ("all of the plugin's code and templates", ("/mltrl_docs/", "/templates/mltrl/")),
)
"""Areas of a build, by the source file of a frame on the stack (Jinja compiles each template
with its file's path, so template frames count too). Areas nest: a sample counts in every
area one of its frames is in, so the seconds do not add up."""

SAMPLE_EVERY = 0.005


@dataclass
class Build:
    """One build: what it cost and what it wrote."""

    wall: float
    cpu: float
    rss: int
    output: int
    index: int
    pages: int
    html: int


@dataclass
class Edit:
    """One edit under `mkdocs serve`: seconds from the write to the watcher's "Detected file
    changes" and to "Reloading browsers"."""

    detected: float
    reloaded: float


def fail(message: str, log: str) -> SystemExit:
    """Stop the benchmark, with the tail of what the failing command printed."""
    tail = "\n".join(log.rstrip().splitlines()[-40:])
    return SystemExit(f"bench_scale: {message}\n--- last lines of its output ---\n{tail}")


def mib(n: float) -> str:
    return f"{n / 2**20:,.1f} MiB"


def kib(n: float) -> str:
    return f"{n / 2**10:,.1f} KiB"


def site_size(site: Path) -> tuple[int, int, int, int]:
    """Bytes of every file in the site, of its search index, its number of HTML pages and their
    bytes (the theme's few MiB of assets, the same at any size, flatter the bytes per card of a
    small site; the pages' bytes per card show what grows with N, such as the nav)."""
    files = [p for p in site.rglob("*") if p.is_file()]
    index = site / "search" / "search_index.json"
    pages = [p for p in files if p.suffix == ".html"]
    return (sum(p.stat().st_size for p in files), index.stat().st_size if index.exists() else 0, len(pages),
            sum(p.stat().st_size for p in pages))


def run(command: list[str], root: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS bytes of one fresh process; ``os.wait4`` gives the
    CPU time and peak RSS of the process and of the children it waited for. A failure stops
    the benchmark with the tail of the output."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=root, env=ENV, stdout=log, stderr=subprocess.STDOUT)
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:  # Ctrl-C: leave no build behind
            process.kill()
            process.wait()
            raise
        wall = time.perf_counter() - start
        process.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            log.seek(0)
            raise fail(f"`{shlex.join(command)}` exited {code} (in {root})", log.read().decode(errors="replace"))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def build_once(config: Path, root: Path, site: Path) -> Build:
    """One ``mkdocs build`` in a fresh process, and what it wrote."""
    wall, cpu, rss = run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], root)
    return Build(wall, cpu, rss, *site_size(site))


def summary(builds: list[Build]) -> dict[str, float]:
    """Fastest and median wall and CPU time, peak RSS, and the site's sizes (the same every run)."""
    walls, cpus = [b.wall for b in builds], [b.cpu for b in builds]
    last = builds[-1]
    return {"wall_min": min(walls), "wall": statistics.median(walls), "cpu_min": min(cpus),
            "cpu": statistics.median(cpus), "rss": max(b.rss for b in builds), "output": last.output,
            "index": last.index, "pages": last.pages, "html": last.html}


def cold_builds(root: Path, runs: int) -> dict[str, dict[str, float]]:
    """``runs`` builds of each config, alternating plain and plugin so that a change of load on
    the machine falls on both."""
    plugin, plain = root / "mkdocs-mltrl.yml", root / "mkdocs-plain.yml"
    builds: dict[str, list[Build]] = {"plain": [], "plugin": []}
    for _ in range(runs):
        for name, config in (("plain", plain), ("plugin", plugin)):
            builds[name].append(build_once(config, root, root / SITES[name]))
    return {name: summary(runs_) for name, runs_ in builds.items()}


def corpus(parent: Path, cards: int) -> Path:
    """The `corpus.py` corpus of ``cards`` cards with `bench_site.py`'s two configs, in its own folder."""
    root = generate(parent / f"cards-{cards}", cards)
    configs(root)
    return root


# --- mkdocs serve --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def process_tree(pid: int) -> list[int]:
    """The process and its descendants, from /proc/PID/task/*/children."""
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo.extend(int(child) for child in task.read_text().split())
            except OSError:
                continue
    return tree


def memory(pid: int) -> tuple[int, int]:
    """Resident (VmRSS) and peak resident (VmHWM) bytes of the process tree, summed."""
    rss = hwm = 0
    for member in process_tree(pid):
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        rss += int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
        hwm += int(fields.get("VmHWM", "0 kB").split()[0]) * 1024
    return rss, hwm


def cpu_time(pid: int) -> float:
    """CPU seconds (user + sys) the process tree has used so far, from /proc/PID/stat."""
    ticks = 0
    for member in process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat(5)
    return ticks / os.sysconf("SC_CLK_TCK")


@cache
def serve_flags() -> list[str]:
    """``--livereload`` where this MkDocs offers it as an opt-in (1.6 reloads by default)."""
    text = subprocess.run([sys.executable, "-m", "mkdocs", "serve", "--help"], env=ENV, capture_output=True,
                          text=True, check=True).stdout
    return ["--livereload"] if "--livereload" in text and "--no-livereload" not in text else []


class Server:
    """A ``mkdocs serve`` child whose log lines a thread reads into a queue, with their time."""

    def __init__(self, config: Path, root: Path, dirty: bool, timeout: float) -> None:
        self.port = free_port()
        self.command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a",
                        f"127.0.0.1:{self.port}", *serve_flags(), *(["--dirty"] if dirty else [])]
        self.root, self.timeout = root, timeout
        self.lines: queue.Queue[tuple[float, str | None]] = queue.Queue()  # None: the output ended
        self.log: list[str] = []
        # Its temporary site folder goes in the corpus' folder, which is removed whatever happens.
        tmp = root / "tmp"
        tmp.mkdir(exist_ok=True)
        self.start = time.perf_counter()
        self.process = subprocess.Popen(self.command, cwd=root, env={**ENV, "TMPDIR": str(tmp)},
                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            line = raw.decode(errors="replace").rstrip()
            self.log.append(line)
            self.lines.put((time.perf_counter(), line))
        self.lines.put((time.perf_counter(), None))

    def until(self, *words: str) -> tuple[float, str]:
        """The time and text of the next line that holds one of ``words``; stops the benchmark
        if the server exits, fails a rebuild, or says nothing of the kind in ``timeout`` seconds."""
        deadline = time.perf_counter() + self.timeout
        while True:
            try:
                when, line = self.lines.get(timeout=max(0.0, deadline - time.perf_counter()))
            except queue.Empty:
                raise fail(f"no {' or '.join(map(repr, words))} from `{shlex.join(self.command)}` in "
                           f"{self.timeout:.0f} s", "\n".join(self.log)) from None
            if line is None or REBUILD_FAILED in line:
                raise fail(f"`{shlex.join(self.command)}` failed", "\n".join(self.log))
            if any(word in line for word in words):
                return when, line

    def quiet(self, seconds: float) -> list[str]:
        """The lines logged in the next ``seconds`` (to see whether a rebuild starts on its own)."""
        deadline, lines = time.perf_counter() + seconds, []
        while (left := deadline - time.perf_counter()) > 0:
            try:
                line = self.lines.get(timeout=left)[1]
            except queue.Empty:
                break
            if line is None:
                raise fail(f"`{shlex.join(self.command)}` exited", "\n".join(self.log))
            lines.append(line)
        return lines

    def stop(self) -> None:
        """SIGINT first (MkDocs then removes its temporary site), terminate, kill on timeout."""
        for send, wait in ((lambda: self.process.send_signal(signal.SIGINT), 20),
                           (self.process.terminate, 10), (self.process.kill, None)):
            if self.process.poll() is not None:
                break
            send()
            try:
                self.process.wait(wait)
            except subprocess.TimeoutExpired:
                continue
        self.reader.join(10)


@contextmanager
def serving(config: Path, root: Path, dirty: bool, timeout: float) -> Iterator[Server]:
    """A running server, stopped however the block ends."""
    server = Server(config, root, dirty, timeout)
    try:
        yield server
    finally:
        server.stop()


def edit_cards(root: Path) -> list[Path]:
    """The latest cards of the first two projects: the ones a team edits."""
    folders = sorted(p for p in (root / "dossiers").iterdir() if p.is_dir())[:2]
    return [max(folder.glob("*.md"), key=lambda p: p.stem.split("-", 1)[1]) for folder in folders]


def serve_session(config: Path, root: Path, dirty: bool, edits: int, timeout: float) -> dict[str, float]:
    """Start ``mkdocs serve``, wait for its first build, then time ``edits`` appends to a card."""
    cards = edit_cards(root)
    stagger = random.Random(7)  # the same waits for every server
    results: list[Edit] = []
    spurious = 0
    idle_cpu = idle_time = 0.0
    with serving(config, root, dirty, timeout) as server:
        ready, _ = server.until(SERVING)
        first = ready - server.start
        rss_first, _ = memory(server.process.pid)
        for number in range(edits):
            cpu, start = cpu_time(server.process.pid), time.perf_counter()
            # Let the file watcher settle, and note rebuilds nobody asked for. The wait varies over one
            # of the watcher's polls (0.5 s): a fixed one locks each edit to the same point of the poll
            # cycle, and a server's "change detected" to whatever that point happened to be.
            lines = server.quiet(2.0 + stagger.uniform(0.0, POLL))
            idle_cpu += cpu_time(server.process.pid) - cpu
            idle_time += time.perf_counter() - start
            if any(DETECTED in line for line in lines):
                spurious += 1
                server.until(RELOADED)
            with cards[number % len(cards)].open("a", encoding="utf-8") as card:
                card.write(f"\nEdit {number + 1}: one more line of text, to time the reload.\n")
            written = time.perf_counter()
            detected, _ = server.until(DETECTED)
            reloaded, _ = server.until(RELOADED)
            results.append(Edit(detected - written, reloaded - written))
        time.sleep(0.5)
        rss_last, hwm = memory(server.process.pid)
    reloads = [e.reloaded for e in results]
    return {"first": first, "reload": statistics.median(reloads), "reload_min": min(reloads),
            "reload_max": max(reloads), "detected": statistics.median(e.detected for e in results),
            "rebuild": statistics.median(e.reloaded - e.detected for e in results), "rss_first": rss_first,
            "rss_last": rss_last, "hwm": hwm, "spurious": spurious, "idle": idle_cpu / idle_time}


# --- profile -------------------------------------------------------------------------------


def sampled_build(config: str, out: str) -> None:
    """In a child process: one ``mkdocs build`` while a thread samples the main thread's stack
    every few milliseconds and charges the main thread's CPU time since the last sample to every
    area on it (CPU, not wall time: on a busy machine the build also waits for a core).

    A sampler rather than cProfile: cProfile's per-call cost made a 1,000-card build take 63 s
    against 12 to 17 s without (BENCHMARKS.md), most of it in Jinja's many small calls (so it
    overstates template rendering), and its
    caller/callee totals cannot say how long a stack was inside an area that is re-entered
    through Jinja's runtime (a template including a template). Stacks can."""
    from mkdocs.__main__ import cli

    main = threading.get_ident()
    clock = time.pthread_getcpuclockid(main)
    done = threading.Event()
    areas: dict[str, frozenset[str]] = {}
    charged: dict[frozenset[str], float] = {}

    def classify(filename: str) -> frozenset[str]:
        if filename not in areas:
            path = filename.replace(os.sep, "/")
            areas[filename] = frozenset(name for name, parts in AREAS if any(part in path for part in parts))
        return areas[filename]

    def sample() -> None:
        last = time.clock_gettime(clock)
        while not done.wait(SAMPLE_EVERY):
            frame = sys._current_frames().get(main)
            now = time.clock_gettime(clock)
            hit: set[str] = set()
            while frame is not None:
                hit |= classify(frame.f_code.co_filename)
                frame = frame.f_back
            key = frozenset(hit)
            charged[key] = charged.get(key, 0.0) + now - last
            last = now

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        cli(["build", "-q", "-f", config], standalone_mode=False)
    finally:
        done.set()
        sampler.join()
    totals = {name: sum(t for key, t in charged.items() if name in key) for name, _ in AREAS}
    totals["none of these (MkDocs, Jinja, file writing, ...)"] = charged.get(frozenset(), 0.0)
    Path(out).write_text(json.dumps({"sampled": sum(charged.values()), "areas": totals}), encoding="utf-8")


def profile(root: Path) -> dict:
    """Run `sampled_build` on the plugin's config in a fresh process; its figures."""
    out = root / "profile.json"
    wall, cpu, _ = run([sys.executable, str(Path(__file__).resolve()), "--profile-child",
                        str(root / "mkdocs-mltrl.yml"), str(out)], root)
    return {**json.loads(out.read_text(encoding="utf-8")), "wall": wall, "cpu": cpu}


# --- report --------------------------------------------------------------------------------


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def report_builds(results: dict[int, dict[str, dict[str, float]]]) -> None:
    print("| cards | build | wall, fastest / median | CPU, fastest / median | peak RSS | output | output per card "
          "| search index | HTML pages |")
    print("|---|---|---|---|---|---|---|---|---|")
    for cards, row in results.items():
        for name, label in (("plain", "plain MkDocs, same files"), ("plugin", "mltrl plugin")):
            r = row[name]
            print(f"| {cards:,} | {label} | {r['wall_min']:.1f} s / {r['wall']:.1f} s "
                  f"| {r['cpu_min']:.1f} s / {r['cpu']:.1f} s | {mib(r['rss'])} | {mib(r['output'])} "
                  f"| {kib(r['output'] / cards)} | {mib(r['index'])} | {int(r['pages']):,} |")
    print("\nPlugin / plain MkDocs (medians; memory is peak RSS, output the site's bytes):\n")
    print("| cards | CPU | wall | memory | output | search index |")
    print("|---|---|---|---|---|---|")
    for cards, row in results.items():
        p, b = row["plugin"], row["plain"]
        cells = [ratio(p[key], b[key]) for key in ("cpu", "wall", "rss", "output", "index")]
        print(f"| {cards:,} | " + " | ".join(cells) + " |")
    smallest = min(results)
    print(f"\nGrowth per card, as a ratio to {smallest:,} cards (1.00x is linear; the issue's target for output is "
          "at most 1.2x at 10,000 cards against 1,000). Output is every file of the site; HTML only its pages, "
          "without the theme's assets (the same few MiB at any size):\n")
    print("| cards | build | output per card | ratio | HTML per card | ratio | search index per card | ratio "
          "| CPU per card | ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    base = results[smallest]
    for cards, row in results.items():
        for name in ("plugin", "plain"):
            r, b = row[name], base[name]
            cells = [name]
            for key in ("output", "html", "index"):
                cells += [kib(r[key] / cards), ratio(r[key] / cards, b[key] / smallest)]
            cells += [f"{1000 * r['cpu'] / cards:.1f} ms", ratio(r["cpu"] / cards, b["cpu"] / smallest)]
            print(f"| {cards:,} | " + " | ".join(cells) + " |")


def report_serve(cards: int, edits: int, sessions: dict[str, dict[str, float]], cold: dict[str, float]) -> None:
    print(f"\n`mkdocs serve` at {cards:,} cards, {edits} edits each (one line appended to a card's body, two cards "
          "in turn). Edit to reload: from the write to the server's \"Reloading browsers\" (the rebuild is "
          "written), split into the time to the file watcher's \"Detected file changes\" (it polls every 0.5 s; "
          "each edit comes 2 to 2.5 s after the last reload, the same waits for every server, so that no server's "
          "edits all fall at one point of the poll) and the rebuild from there (with MkDocs' 0.1 s wait for more "
          "changes). CPU while idle: what the server used in the 2-2.5 s before each edit (MkDocs' file "
          "watcher polls every watched file twice a second). RSS of the server after its first build and after "
          "the last edit.\n")
    print("| server | first build | edit to reload, median (fastest-slowest) | change detected, median "
          "| rebuild, median | CPU while idle | RSS after first build | RSS after last edit | ratio | peak RSS |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, s in sessions.items():
        print(f"| `{name}` | {s['first']:.1f} s | {s['reload']:.2f} s ({s['reload_min']:.2f}-{s['reload_max']:.2f} s) "
              f"| {s['detected']:.2f} s | {s['rebuild']:.2f} s | {100 * s['idle']:.0f}% of a core "
              f"| {mib(s['rss_first'])} | {mib(s['rss_last'])} | {ratio(s['rss_last'], s['rss_first'])} "
              f"| {mib(s['hwm'])} |")
    spurious = {name: int(s["spurious"]) for name, s in sessions.items() if s["spurious"]}
    if spurious:
        print(f"\nRebuilds that no edit asked for (started while the watcher settled): {spurious}.")
    dirty = sessions["plain serve --dirty"]
    for name in ("plugin serve", "plugin serve --dirty"):
        mine = sessions[name]
        print(f"\nPlugin `{name[7:]}`, edit to reload (median): {ratio(mine['reload'], cold['wall'])} of its cold "
              f"`mkdocs build` ({cold['wall']:.1f} s median), {ratio(mine['reload'], dirty['reload'])} of plain "
              f"`serve --dirty`; its rebuild alone (from the watcher's \"Detected file changes\"): "
              f"{ratio(mine['rebuild'], cold['wall'])} of the cold build, {ratio(mine['rebuild'], dirty['rebuild'])} "
              "of plain `serve --dirty`'s.")


def report_profile(cards: int, figures: dict, cold: dict[str, float]) -> None:
    print(f"\nWhere a plugin build's time goes: one build of {cards:,} cards under a stack sampler, every "
          f"{SAMPLE_EVERY * 1000:.0f} ms, charging the build thread's CPU time since the last sample to every area "
          f"on its stack ({figures['sampled']:.1f} s sampled). The profiled build took {figures['wall']:.1f} s wall "
          f"and {figures['cpu']:.1f} s CPU, against {cold['wall']:.1f} s and {cold['cpu']:.1f} s unprofiled "
          "(medians). Areas nest (a template is inside the plugin's code), so the rows do not add up.\n")
    print("| area | CPU seconds | % of the build |")
    print("|---|---|---|")
    for name, seconds in sorted(figures["areas"].items(), key=lambda item: -item[1]):
        print(f"| {name} | {seconds:.2f} s | {100 * seconds / figures['sampled']:.0f}% |")


def load_average() -> str:
    return "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, nargs="+", default=[1000, 3000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="cold builds of each config per size")
    parser.add_argument("--serve", action="store_true", help="also time edit-to-reload under `mkdocs serve`")
    parser.add_argument("--serve-cards", type=int, help="cards for --serve (default: the smallest --cards)")
    parser.add_argument("--edits", type=int, default=10, help="edits per server")
    parser.add_argument("--profile", action="store_true", help="also profile one plugin build at the smallest N")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for a server's build")
    parser.add_argument("--profile-child", nargs=2, metavar=("CONFIG", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.profile_child:
        sampled_build(*args.profile_child)
        return
    if args.runs < 1 or args.edits < 1 or min(args.cards) < 20:
        parser.error("--runs and --edits must be at least 1, --cards at least 20 (two projects to edit)")
    sizes = sorted(set(args.cards))
    serve_cards = args.serve_cards or sizes[0]
    load_start, started = load_average(), time.perf_counter()
    results: dict[int, dict[str, dict[str, float]]] = {}
    sessions: dict[str, dict[str, float]] = {}
    figures: dict = {}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        for cards in sizes:
            print(f"... {cards:,} cards: {args.runs} cold build(s) of each", file=sys.stderr, flush=True)
            results[cards] = cold_builds(corpus(Path(tmp), cards), args.runs)
        if args.profile:
            print(f"... profiling a plugin build of {sizes[0]:,} cards", file=sys.stderr, flush=True)
            figures = profile(Path(tmp) / f"cards-{sizes[0]}")
        if args.serve:
            root = Path(tmp) / f"cards-{serve_cards}"
            if serve_cards not in results:
                print(f"... {serve_cards:,} cards: cold builds for the serve ratios", file=sys.stderr, flush=True)
                cold = cold_builds(corpus(Path(tmp), serve_cards), args.runs)["plugin"]
            else:
                cold = results[serve_cards]["plugin"]
            for name, config in (("plain", "mkdocs-plain.yml"), ("plugin", "mkdocs-mltrl.yml")):
                for dirty in (False, True):
                    label = f"{name} serve" + (" --dirty" if dirty else "")
                    print(f"... {serve_cards:,} cards: `{label}`, {args.edits} edits", file=sys.stderr, flush=True)
                    sessions[label] = serve_session(root / config, root, dirty, args.edits, args.timeout)
    command = shlex.join(["python", "benchmarks/bench_scale.py", *sys.argv[1:]])
    print(f"### Scale: cold builds{', edit to reload' if args.serve else ''} (issue 14, `benchmarks/bench_scale.py`, "
          f"{dt.date.today().isoformat()})\n")
    print(f"```sh\n{command}\n```\n")
    print(f"- Corpus: `benchmarks/corpus.py` (seed 7), {', '.join(f'{n:,}' for n in sizes)} cards "
          "(10 per project, ~100 lines each); Material, search and navigation.prune in both builds.")
    print(f"- Machine: {_machine()}, {platform.platform()}; MkDocs {version('mkdocs')}, "
          f"Material {version('mkdocs-material')}.")
    print(f"- Runs: {args.runs} cold build{'s' if args.runs > 1 else ''} of each config per size, alternating, "
          "fresh processes "
          f"({time.perf_counter() - started:.0f} s in all); load average (1 / 5 / 15 min) {load_start} at the "
          f"start, {load_average()} at the end.\n")
    report_builds(results)
    if args.serve:
        report_serve(serve_cards, args.edits, sessions, cold)
    if args.profile:
        report_profile(sizes[0], figures, results[sizes[0]]["plugin"])


if __name__ == "__main__":
    main()
