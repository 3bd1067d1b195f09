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
    """64 MB written and freed, one block in 64 kept alive between them: free() alone cannot give
    it back (it shrinks only the top of the heap), and the pages stay resident, whatever the heap
    held before (a process that freed memory earlier hands it out again first)."""
    blocks = [bytes(bytearray(8000)) for _ in range(8000)]  # from the C heap: past pymalloc's 512 bytes
    kept = blocks[::64]
    del blocks
    freed_but_resident = _resident()
    assert give_back() is True
    assert freed_but_resident - _resident() > 32 * 2**20  # most of the 63 MB freed
    assert len(kept) == 125
