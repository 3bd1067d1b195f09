"""``python -m mltrl_docs.query [--write]``: print, or write into ``docs/query.md``, the field tables
that derive from the catalogue."""

from __future__ import annotations

import sys
from pathlib import Path

from mltrl_docs.query.reference import fields_markdown, replace_block

PAGE = Path(__file__).resolve().parents[2] / "docs" / "query.md"


def main(argv: list[str]) -> int:
    if "--write" not in argv:
        print(fields_markdown())
        return 0
    PAGE.write_text(replace_block(PAGE.read_text(encoding="utf-8"), fields_markdown()), encoding="utf-8")
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
