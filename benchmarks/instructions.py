"""Count the machine instructions a command executes, with its children (valgrind's cachegrind).

On this shared 2-core VM the CPU time of one build varies by up to 20% from run to run, as
much as some of the costs the benchmarks compare; hardware counters (``perf stat``) are not
available in it. The number of instructions a process executes does not depend on the load
or the caches: two runs of one build differ by 0.03%. It is not time (a cache miss costs
more than an add), so the benchmarks give it beside the CPU time, as a second, steady
measure of how much work one build adds to another. This is how projects whose benchmarks
run on shared machines track small changes (CPython's and Rust's compiler performance
dashboards, SQLite's speed checks).

Under cachegrind (``--cache-sim=no``: counting only) a Python build runs about ten times
slower, so one counted run stands for many timed ones. Counts are summed over the process
and every child it starts (git, for provenance). ``PYTHONHASHSEED`` is fixed so that set
and dict orders, and with them the work, are the same in every run.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

VALGRIND = shutil.which("valgrind")


def count(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> int:
    """Instructions executed by ``command`` and its children. A failure stops the benchmark
    with the tail of what the command printed."""
    if VALGRIND is None:
        raise SystemExit("instructions: valgrind is not installed (Debian: apt install valgrind)")
    with tempfile.TemporaryDirectory(prefix="cachegrind-") as out:
        counted = [VALGRIND, "--tool=cachegrind", "--cache-sim=no", "--trace-children=yes",
                   f"--cachegrind-out-file={out}/cg.%p", "--log-file=" + f"{out}/valgrind.%p", *command]
        done = subprocess.run(counted, cwd=cwd, env={**(env or os.environ), "PYTHONHASHSEED": "0"},
                              capture_output=True, text=True, errors="replace", check=False)
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).rstrip().splitlines()[-40:])
            raise SystemExit(f"instructions: `{shlex.join(command)}` exited {done.returncode} (in {cwd})\n{tail}")
        return sum(_summary(path) for path in Path(out).glob("cg.*"))


def count_all(runs: Sequence[tuple[list[str], Path, dict[str, str] | None]]) -> list[int]:
    """``count`` for each run, as many at once as the machine has cores (counts do not depend on
    the load), in the order given."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(lambda run: count(*run), runs))


def _summary(path: Path) -> int:
    """The ``summary:`` line of one cachegrind output file: the process's instructions."""
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if line.startswith("summary:"):
                return int(line.split()[1])
    return 0
