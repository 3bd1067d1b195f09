"""Shared by the corpus tests: how a case folder's findings are printed."""

from __future__ import annotations

import os
from pathlib import Path

from mltrl_docs.dossier import build_dossier
from mltrl_docs.report import text_line


def case_output(case: Path) -> str:
    """The findings of a case folder (one dossier source) as ``check`` prints them,
    with paths relative to the case folder."""
    previous = Path.cwd()
    os.chdir(case)
    try:
        dossier = build_dossier([case])
        return "".join(text_line(f) + "\n" for f in dossier.findings)
    finally:
        os.chdir(previous)


if __name__ == "__main__":  # regenerate the golden files after a deliberate change
    corpus = Path(__file__).parent / "corpus" / "malformed"
    for case in sorted(p for p in corpus.iterdir() if p.is_dir()):
        (case / "expected.txt").write_text(case_output(case), encoding="utf-8")
