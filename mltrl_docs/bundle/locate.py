"""Which bundle files a site's ``bundles:`` setting names: paths or globs relative to the
settings file, each file once, in a stable order. A glob that matches nothing is a warning at
its line (a CI job that did not publish its bundle must not go unnoticed); a plain path that
names no file is an error there."""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from pathlib import Path

from mltrl_docs.findings import Finding, Severity, error
from mltrl_docs.yamldata import YamlDocument

_GLOB_CHARS = frozenset("*?[")


def bundle_files(patterns: Sequence[str], root: Path, document: YamlDocument | None, path: Path,
                 findings: list[Finding]) -> tuple[Path, ...]:
    """The files ``patterns`` name under ``root`` (the settings file's folder), in the settings'
    order and, within one glob, by name; problems go to ``findings``, located in ``path``."""
    found: list[Path] = []
    for index, pattern in enumerate(patterns):
        where = document.values.get(("bundles", index)) if document is not None else None
        at = f"bundles[{index}]"
        full = os.path.join(root, pattern)
        if not _GLOB_CHARS.intersection(pattern):
            if not os.path.isfile(full):
                findings.append(error("bundle", f"bundle file '{pattern}' does not exist", path, where, field=at,
                                      hint="write the bundle's path relative to this file, or run "
                                           "'mltrl-docs bundle --out' where the bundle is made"))
                continue
            matches = [full]
        else:
            matches = sorted(m for m in glob.glob(full, recursive=True) if os.path.isfile(m))
            if not matches:
                findings.append(Finding(Severity.WARNING, "bundle", f"no file matches the bundle pattern '{pattern}'",
                                        path, where, field=at,
                                        hint="check the pattern (relative to this file) and that the bundles "
                                             "were published before the build"))
        for match in matches:
            file = Path(os.path.abspath(match))
            if file not in found:
                found.append(file)
    return tuple(found)
