"""The floor under `mltrl-docs check` (issue 14): what any tool must spend to look at every card.

Reads every ``*.md`` file under a folder, parses its YAML frontmatter with libyaml (PyYAML's C
loader, as data only) and renders its body with markdown-it (CommonMark, tables and
strikethrough, raw HTML off: the cards' own dialect), and does nothing else: no schema, no rules,
no gates, no line numbers. `bench_check.py --floor` times it beside `check` on the same corpus.

    python benchmarks/check_floor.py FOLDER
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from markdown_it import MarkdownIt


def floor(folder: Path) -> int:
    """The cards read, parsed and rendered; how many."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    count = 0
    for path in sorted(folder.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        body = text
        if text.startswith("---\n"):
            end = text.find("\n---\n", 4)
            if end >= 0:
                yaml.load(text[4:end], Loader=loader)  # CSafeLoader: data only
                body = text[end + 5:]
        md.render(body)
        count += 1
    return count


if __name__ == "__main__":
    print(floor(Path(sys.argv[1])), "cards")
