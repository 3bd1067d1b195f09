"""Generate a large, realistic dossier source for benchmarks (deterministic).

Each project climbs from level 0 one level per card, with an occasional
switchback, requirements that accumulate and change status, reviewers, links,
versions and a full body: cards of the size teams really write (~150 lines).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

import yaml

BODY = """
**TL;DR**: {title} reduces manual review effort for team {team}; at level {level} the evidence \
below shows where it stands.

## Model / algorithm info

A gradient-boosted ensemble over {features} engineered features, with a calibrated probability output.
Training uses five-fold cross-validation; hyper-parameters were selected with Bayesian optimisation
over 120 trials. The model is retrained weekly on a rolling window of twelve months.

## Intended use

Ranking cases for human review in the {team} queue. It must not be used to take automated decisions
without a reviewer, nor on populations outside the training distribution (see caveats).

## Testing status

- Unit tests: {tests} tests, {coverage}% line coverage.
- Integration: nightly pipeline run against the staging feature store.
- Recommendation for the next level: add shadow evaluation on live traffic.

## Data considerations

Dataset `cases-{data_version}` with {rows:,} labelled rows; 7.5% positive class, label noise estimated at
3% by double annotation of 2,000 rows. Features are versioned in the feature store.

## Caveats, known edge cases, recommendations

Performance drops for rare categories (<50 examples). Calibration drifts after schema changes upstream.

## Stage debrief

1. What was accomplished, and by whom? The team delivered the level-{level} evidence on time.
2. What was punted or de-scoped? Multilingual inputs moved to the next level.
3. What was learned? Data freshness matters more than model capacity here.
4. What tech debt was gained? Mitigated? A manual export step was added; the notebook code was removed.
"""


def card(rng: random.Random, pid: str, title: str, level: int, date: dt.date, previous: int | None,
         switchback: bool, requirements: list[dict]) -> str:
    data: dict = {
        "mltrl": 1, "project": pid, "title": title, "level": level, "date": date,
        "status": "approved", "owners": [f"Owner {rng.randint(1, 80)}"], "team": f"Team {pid[:3]}",
        "reviewers": [{"name": f"Reviewer {rng.randint(1, 40)}", "decision": "approved", "date": date,
                       "note": "Evidence matches the requirements for this level."}],
    }
    if previous is not None:
        data["transition"] = {"from": previous, "kind": "switchback" if switchback else "advance",
                              "reason": "Gated review outcome."}
        if switchback:
            data["transition"]["switchback"] = rng.choice(["discovery", "review"])
    data["versions"] = {"code": f"{level}.{rng.randint(0, 9)}.0", "model": f"0.{level}.1", "data": "1.0.0"}
    data["links"] = {"project_page": f"https://wiki.example.internal/{pid}",
                     "code": f"https://git.example.internal/ml/{pid}"}
    data["ethics"] = {"pre_development": "complete" if level >= 3 else "in-progress",
                      "post_development": "complete" if level >= 8 else "not-started"}
    data["requirements"] = requirements
    data["tech_debt"] = [{"text": "Manual export of evaluation results.", "change": "gained"}]
    data["tags"] = ["benchmark", f"phase-{level // 3}"]
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    body = BODY.format(title=title, team=data["team"], level=level, features=rng.randint(20, 400),
                       tests=rng.randint(20, 900), coverage=rng.randint(40, 95), data_version=f"{level}.0",
                       rows=rng.randint(10_000, 2_000_000))
    return f"---\n{front}---\n{body}"


def generate(out: Path, cards: int, cards_per_project: int = 10, seed: int = 7) -> Path:
    """Write ``cards`` cards into ``out/dossiers`` and a settings file; return ``out``."""
    rng = random.Random(seed)
    source = out / "dossiers"
    written = 0
    project = 0
    while written < cards:
        project += 1
        pid = f"R{project:04d}.1"
        folder = source / f"project-{project:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        level, previous, date = 0, None, dt.date(2018, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
        requirements: list[dict] = []
        for _ in range(min(cards_per_project, cards - written)):
            switchback = previous is not None and level < previous
            if level >= 2 and len(requirements) < 12:
                requirements.append({
                    "id": f"{len(requirements) + 1}.{rng.randint(1, 3)}",
                    "kind": "research" if level < 5 else "product",
                    "text": "The system shall meet the agreed accuracy target on the held-out set.",
                    "verification": rng.choice(["test", "analysis", "inspection", "demonstration"]),
                    "status": "in-progress", "risk": {"likelihood": rng.randint(1, 5), "impact": rng.randint(1, 5)},
                })
            for r in requirements[:-1]:
                r["status"] = "verified"
            text = card(rng, pid, f"Benchmark model {project}", level, date, previous, switchback,
                        [dict(r) for r in requirements])
            (folder / f"L{level}-{date.isoformat()}.md").write_text(text, encoding="utf-8")
            written += 1
            previous = level
            level = level - 1 if (level >= 3 and rng.random() < 0.1) else min(level + 1, 9)
            if level == previous:
                level -= 1
            date += dt.timedelta(days=rng.randint(30, 200))
    (out / "mltrl-docs.yml").write_text("sources: [dossiers]\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--cards", type=int, default=3000)
    args = parser.parse_args()
    generate(args.out, args.cards)
