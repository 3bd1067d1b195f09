"""``mltrl-docs init``: a working dossier site in an empty folder.

It writes an MkDocs site (Material, web fonts off, the ``mltrl`` plugin, search), the site's
``mltrl-docs.yml``, a home page that links the portfolio, one example project with two cards
(level 0, approved and leaving it as the gates ask; level 1, approved by a reviewer with a
role) and its ethics checklist, and an org glossary. ``mltrl-docs check`` finds nothing in it
and ``mkdocs build --strict`` passes at once: a team replaces the example, one file at a time.
The cards are dated relative to the day ``init`` runs, so none is in the future or stale.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from mltrl_docs.resources import resource_dir

PROJECT_ID = "R01.1"
PROJECT_FOLDER = "example-project"


class InitError(ValueError):
    """The files cannot be written; the message says why."""


@dataclass(frozen=True, slots=True)
class SiteFile:
    path: str
    """Relative to the site's folder, with forward slashes."""
    text: str


MKDOCS = """\
# An MLTRL dossier site, written by `mltrl-docs init`. Build it with `mkdocs build`
# (strict: any finding of the check fails the build) or preview it with `mkdocs serve`.
site_name: MLTRL dossier
docs_dir: docs
site_dir: site
strict: true
theme:
  name: material
  font: false          # no Google Fonts: the site loads nothing from outside its own files
  features:
    - navigation.prune   # each page carries only the open sections of the navigation
plugins:
  - search
  - mltrl:
      settings: mltrl-docs.yml
markdown_extensions:
  - admonition
  - attr_list
  - tables
  - toc:
      permalink: true
extra:
  generator: false
"""

SETTINGS = """\
# What the dossier reads (the CLI and the MkDocs plugin both read this file).
sources: [dossiers]          # one folder per project below each source
glossary: [glossary/org.yml] # the organisation's own terms, on top of the built-in MLTRL glossary
# gates: {sections: warning}  # the gate policy (see the gates reference); these are the defaults
"""

INDEX = """\
# MLTRL dossier

The [portfolio](dossier/index.md) lists every project with its declared and earned
readiness level. Each project's level cards live in `dossiers/<project>/`;
write the next one with `mltrl-docs new dossiers/<project>` and check them
with `mltrl-docs check`.
"""

GLOSSARY = """\
# The organisation's own words, on top of the MLTRL glossary mltrl-docs ships.
mltrl: 1.1
terms:
  - term: Model review board
    definition: >-
      The people who hold a project's gated reviews and approve its level cards.
    aliases: [Review board]
"""


def _level0(date: dt.date, reviewed: dt.date) -> str:
    return f"""\
---
mltrl: 1.1
project: {PROJECT_ID}
title: Example project
level: 0  # First principles (research)
date: {date.isoformat()}
status: approved
owners: [Ada Okafor]
team: Research
reviewers:
  - {{name: Lin Chen, role: research-lead, decision: approved, date: {reviewed.isoformat()}}}
ethics:
  pre_development: not-started
  post_development: not-started
requirements: []
tech_debt: []
---

**TL;DR**: An example project, written by `mltrl-docs init`: replace it with your own.

## Model / algorithm info

The idea in one paragraph, and the literature it builds on.

## Hypotheses

H1: what the project expects to be true, stated so that an experiment can refute it.

## Research plan

Which experiments test H1, on what data, and what result would end the project.

## Data readiness

Which data exists, who owns it, and whether it may be used for this research.

## Stage debrief

1. Accomplished: the hypotheses and the research plan, by Ada Okafor.
2. Punted: nothing yet.
3. Learned: the data needed for H1 exists.
4. Tech debt: none.
"""


def _level1(date: dt.date, reviewed: dt.date) -> str:
    return f"""\
---
mltrl: 1.1
project: {PROJECT_ID}
title: Example project
level: 1  # Goal-oriented research (research)
date: {date.isoformat()}
status: approved
owners: [Ada Okafor]
team: Research
reviewers:
  - {{name: Lin Chen, role: peer, decision: approved, date: {reviewed.isoformat()}}}
transition: {{from: 0, kind: advance, reason: The level-0 gated review accepted the hypotheses and research plan.}}
ethics:
  pre_development: in-progress
  post_development: not-started
  checklist: ethics.md
requirements: []
tech_debt: []
---

**TL;DR**: An example project, written by `mltrl-docs init`: replace it with your own.

## Model / algorithm info

The small, targeted experiments of this level and what they showed so far.

## Data considerations

Synthetic data only at this level.

## Stage debrief

1. Accomplished: the first targeted experiments, by Ada Okafor.
2. Punted: nothing yet.
3. Learned: what the experiments showed.
4. Tech debt: experiment scripts without tests.
"""


def site_files(today: dt.date) -> list[SiteFile]:
    """Every file of a new site, for the day ``init`` runs."""
    first, second = today - dt.timedelta(days=60), today - dt.timedelta(days=20)
    folder = f"dossiers/{PROJECT_FOLDER}"
    checklist = (resource_dir("templates") / "ethics-checklist.md").read_text(encoding="utf-8")
    return [
        SiteFile("mkdocs.yml", MKDOCS),
        SiteFile("mltrl-docs.yml", SETTINGS),
        SiteFile("docs/index.md", INDEX),
        SiteFile("glossary/org.yml", GLOSSARY),
        SiteFile(f"{folder}/L0-{first.isoformat()}.md", _level0(first, first + dt.timedelta(days=5))),
        SiteFile(f"{folder}/L1-{second.isoformat()}.md", _level1(second, second + dt.timedelta(days=3))),
        SiteFile(f"{folder}/ethics.md", checklist),
    ]


def existing(folder: Path, files: list[SiteFile]) -> list[Path]:
    """The files of ``files`` that exist in ``folder`` already."""
    return [folder / f.path for f in files if (folder / f.path).exists()]


def write_site(folder: Path, files: list[SiteFile], *, force: bool = False) -> list[Path]:
    """Write ``files`` into ``folder``; without ``force`` nothing is written when any exists."""
    there = existing(folder, files)
    if there and not force:
        raise InitError("these files exist already (give --force to replace them):\n  "
                        + "\n  ".join(str(p) for p in there))
    written = []
    for file in files:
        path = folder / file.path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(file.text, encoding="utf-8")
        except OSError as exc:
            raise InitError(f"cannot write {path}: {exc.strerror or exc}") from None
        written.append(path)
    return written
