"""``python -m mltrl_docs.gates [--write]``: print, or write into the repository, the parts of
the settings schema and of the Gates page that derive from the rule list."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mltrl_docs.gates.reference import replace_block, rules_markdown, settings_schema

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schema" / "settings.schema.json"
PAGE = ROOT / "site_example" / "docs" / "gates.md"


def main(argv: list[str]) -> int:
    if "--write" not in argv:
        print(json.dumps(settings_schema(), indent=2))
        print(rules_markdown())
        return 0
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    schema["properties"]["gates"] = settings_schema()
    SCHEMA.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    PAGE.write_text(replace_block(PAGE.read_text(encoding="utf-8"), rules_markdown()), encoding="utf-8")
    print(f"wrote {SCHEMA.relative_to(ROOT)} and {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
