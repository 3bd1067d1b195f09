"""System readiness: the lowest level over a project and everything it is coupled with: the
level each member counts at (the gates pass earned levels; by default the declared ones),
with the lowest declared level beside it."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

from conftest import REPO
from mltrl_docs.body import read_body
from mltrl_docs.dossier import build_dossier
from mltrl_docs.levels import level
from mltrl_docs.model import Card, CardStatus, Dossier, Project
from mltrl_docs.readiness import SystemReadiness, canonical_cycle, find_cycles, system_readiness

WriteCard = Callable[..., Path]


def write_system(write_card: WriteCard, tmp_path: Path,
                 projects: dict[str, tuple[int, list[str]]]) -> dict[str, SystemReadiness]:
    """One card per project (its level and coupled ids), loaded from real files."""
    for project_id, (number, coupled) in projects.items():
        write_card(f"dossiers/{project_id}/L{number}.md", project=project_id, level=number, coupled=coupled or None)
    return system_readiness(build_dossier([tmp_path / "dossiers"]).dossier)


def in_memory(projects: dict[str, tuple[int | None, list[str]]]) -> Dossier:
    """A dossier built without files: fast enough for thousands of projects."""
    body = read_body("")
    found: dict[str, Project] = {}
    for project_id, (number, coupled) in projects.items():
        cards = () if number is None else (Card(
            path=Path(f"/memory/{project_id}/L{number}.md"), project_id=project_id, title=project_id,
            level=level(number), date=dt.date(2024, 1, 1), status=CardStatus.APPROVED, owners=("Ada Okafor",),
            body=body, coupled=tuple(coupled),
        ),)
        found[project_id] = Project(project_id, Path("/memory") / project_id, Path("/memory"), cards)
    return Dossier(found)


def test_a_project_alone_is_its_own_system(write_card: WriteCard, tmp_path: Path) -> None:
    readiness = write_system(write_card, tmp_path, {"A": (5, [])})
    assert readiness["A"] == SystemReadiness("A", 5, ("A",), 5, ("A",), (), ())
    assert not readiness["A"].coupled


def test_a_chain_is_followed_transitively_and_in_its_direction(write_card: WriteCard, tmp_path: Path) -> None:
    readiness = write_system(write_card, tmp_path, {"A": (6, ["B"]), "B": (4, ["C"]), "C": (2, [])})
    assert readiness["A"] == SystemReadiness("A", 2, ("C",), 2, ("A", "B", "C"), (), (("A", "B"), ("B", "C")))
    assert readiness["B"].level == 2 and readiness["B"].members == ("B", "C")
    # C names nobody: projects that couple *to* it are not part of its system
    assert readiness["C"] == SystemReadiness("C", 2, ("C",), 2, ("C",), (), ())


def test_a_diamond_counts_each_member_and_edge_once(write_card: WriteCard, tmp_path: Path) -> None:
    readiness = write_system(write_card, tmp_path, {
        "A": (7, ["B", "C"]), "B": (5, ["D"]), "C": (3, ["D"]), "D": (4, []),
    })
    a = readiness["A"]
    assert (a.level, a.limiting, a.members) == (3, ("C",), ("A", "B", "C", "D"))
    assert sorted(a.edges) == [("A", "B"), ("A", "C"), ("B", "D"), ("C", "D")]
    assert a.cycles == ()


def test_every_member_at_the_lowest_level_limits(write_card: WriteCard, tmp_path: Path) -> None:
    readiness = write_system(write_card, tmp_path, {"A": (5, ["B", "C"]), "B": (3, []), "C": (3, []), "D": (3, ["B"])})
    assert readiness["A"].limiting == ("B", "C")
    # D is as low as B: D is not lower, so B alone is named
    assert (readiness["D"].level, readiness["D"].limiting) == (3, ("B",))


def test_a_cycle_is_reported_once_in_canonical_rotation(write_card: WriteCard, tmp_path: Path) -> None:
    readiness = write_system(write_card, tmp_path, {"B": (5, ["C"]), "C": (4, ["A"]), "A": (6, ["B"]), "D": (7, ["C"])})
    for project_id in "ABC":
        assert readiness[project_id].cycles == (("A", "B", "C"),)
        assert (readiness[project_id].level, readiness[project_id].limiting) == (4, ("C",))
    assert readiness["D"].cycles == (("A", "B", "C"),)
    assert readiness["D"].members == ("D", "A", "B", "C")


def test_a_two_project_cycle_and_a_longer_one() -> None:
    graph = {"A": ("B",), "B": ("A", "C"), "C": ("D",), "D": ("B",)}
    assert find_cycles(graph) == [("A", "B"), ("B", "C", "D")]
    assert canonical_cycle(["D", "B", "C"]) == ("B", "C", "D")


def test_unknown_ids_and_self_coupling_are_ignored(write_card: WriteCard, tmp_path: Path) -> None:
    readiness = write_system(write_card, tmp_path, {"A": (6, ["NOPE", "A", "B"]), "B": (5, [])})
    assert readiness["A"] == SystemReadiness("A", 5, ("B",), 5, ("A", "B"), (), (("A", "B"),))


def test_a_member_without_a_valid_card_has_no_level() -> None:
    readiness = system_readiness(in_memory({"A": (6, ["B", "C"]), "B": (None, []), "C": (7, [])}))
    assert (readiness["A"].level, readiness["A"].limiting, readiness["A"].members) == (6, ("A",), ("A", "B", "C"))
    assert readiness["B"] == SystemReadiness("B", None, (), None, ("B",), (), ())


def test_a_chain_of_2000_projects_needs_no_recursion() -> None:
    ids = [f"P{i:04d}" for i in range(2000)]
    projects: dict[str, tuple[int | None, list[str]]] = {
        pid: (9 if i < 1999 else 1, [ids[i + 1]] if i < 1999 else []) for i, pid in enumerate(ids)
    }
    started = time.process_time()  # CPU time: a loaded machine stretches the wall clock, not the work
    readiness = system_readiness(in_memory(projects))
    assert time.process_time() - started < 20
    first = readiness["P0000"]
    assert (first.level, first.limiting, len(first.members), len(first.edges)) == (1, ("P1999",), 2000, 1999)
    assert all(r.level == 1 for r in readiness.values())
    assert readiness["P1998"].members == ("P1998", "P1999")


def test_a_cycle_of_2000_projects_is_found_once() -> None:
    ids = [f"P{i:04d}" for i in range(2000)]
    projects: dict[str, tuple[int | None, list[str]]] = {
        pid: (i % 10, [ids[(i + 1) % 2000]]) for i, pid in enumerate(ids)
    }
    readiness = system_readiness(in_memory(projects))
    assert readiness["P1234"].cycles == (tuple(ids),)
    assert readiness["P1234"].level == 0
    assert readiness["P1234"].limiting == tuple(ids[::10])


def test_the_example_couples_solar_array_and_mvbo() -> None:
    dossier = build_dossier([REPO / "site_example" / "dossiers"]).dossier
    readiness = system_readiness(dossier)
    solar, mvbo = readiness["P12.2"], readiness["R02.1"]
    assert (solar.level, solar.limiting, solar.members) == (4, ("R02.1",), ("P12.2", "R02.1"))
    assert (mvbo.level, mvbo.limiting, mvbo.members) == (4, ("R02.1",), ("R02.1", "P12.2"))
    assert solar.cycles == mvbo.cycles == (("P12.2", "R02.1"),)
    assert {pid: r.level for pid, r in readiness.items() if not r.coupled} == {"R11.1": 2, "P04.3": 5, "P07.1": 6}


# --- the level each member counts at --------------------------------------------------------


def test_standing_levels_decide_and_declared_ones_are_shown_beside() -> None:
    """A (declares 6) -> B (5) -> C (4), C standing at 1 and B at 3: the system stands at 1,
    limited by C, and its declared level is 4."""
    dossier = in_memory({"A": (6, ["B"]), "B": (5, ["C"]), "C": (4, [])})
    readiness = system_readiness(dossier, {"A": 6, "B": 3, "C": 1})
    assert readiness["A"] == SystemReadiness("A", 1, ("C",), 4, ("A", "B", "C"), (), (("A", "B"), ("B", "C")))
    assert (readiness["B"].level, readiness["B"].declared, readiness["B"].limiting) == (1, 4, ("C",))
    assert (readiness["C"].level, readiness["C"].declared, readiness["C"].limiting) == (1, 4, ("C",))


def test_the_limiting_member_is_the_lowest_standing_not_the_lowest_declared() -> None:
    dossier = in_memory({"A": (6, ["B", "C"]), "B": (3, []), "C": (7, [])})
    readiness = system_readiness(dossier, {"A": 6, "B": 3, "C": 2})
    assert (readiness["A"].level, readiness["A"].limiting, readiness["A"].declared) == (2, ("C",), 3)
    assert system_readiness(dossier)["A"].limiting == ("B",)


def test_without_standing_levels_the_declared_ones_count() -> None:
    dossier = in_memory({"A": (6, ["B"]), "B": (5, [])})
    assert system_readiness(dossier) == system_readiness(dossier, {"A": 6, "B": 5})


def test_a_member_without_a_standing_level_is_left_out() -> None:
    """A project with no valid card counts at no level, in standing or declared."""
    dossier = in_memory({"A": (6, ["B", "C"]), "B": (None, []), "C": (7, [])})
    readiness = system_readiness(dossier, {"A": 4, "B": None, "C": 5})
    assert (readiness["A"].level, readiness["A"].limiting, readiness["A"].declared) == (4, ("A",), 6)
