"""What a `mkdocs serve` build freed goes back to the system: the server's resident memory is
what is alive, not the highest of its rebuilds' transient peaks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from mltrl_docs.heap import give_back


def _resident() -> int:
    status = Path("/proc/self/status").read_text(encoding="utf-8")
    return next(int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmRSS"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim; elsewhere nothing is done")
def test_memory_freed_between_live_blocks_goes_back_to_the_system() -> None:
    before = _resident()
    blocks = [bytes(bytearray(8000)) for _ in range(8000)]  # 64 MB from the C heap (past pymalloc's 512 bytes)
    kept = blocks[::64]  # one block in 64 stays: free() alone cannot shrink the heap past them
    del blocks
    freed_but_resident = _resident() - before
    assert freed_but_resident > 32 * 2**20
    assert give_back() is True
    assert _resident() - before < freed_but_resident / 4
    assert len(kept) == 125
