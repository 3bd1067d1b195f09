"""The malformed-card corpus: every case's exact file:line:col findings (golden files).

Each folder in corpus/malformed is one dossier source with an ``expected.txt``
holding what ``mltrl-docs check`` prints for it. To accept a deliberate change
of wording, regenerate with ``python tests/corpus_support.py`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_support import case_output

CORPUS = Path(__file__).parent / "corpus" / "malformed"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir())


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_reports_exact_findings(case: Path) -> None:
    output = case_output(case)
    assert output, "every malformed case must produce at least one finding"
    assert "Traceback" not in output
    assert output == (case / "expected.txt").read_text(encoding="utf-8")
