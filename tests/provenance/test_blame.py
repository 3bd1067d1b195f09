"""blame.py: whether a commit's author is the reviewer a card names, and git blame's porcelain."""

from __future__ import annotations

import pytest

from mltrl_docs.provenance.blame import blame_arguments, parse_blame, same_person


@pytest.mark.parametrize(("reviewer", "author", "email"), [
    ("Yarin Gal", "Yarin Gal", "y@example.org"),
    ("Yarin Gal", "yarin gal", "other@example.org"),
    ("Yarin Gal", "yg", "yarin.gal@example.org"),
    ("Yarin Gal", "yg", "Yarin_Gal@example.org"),
    ("Yarin Gal", "yg", "123+yaringal@users.noreply.github.com"),
    ("José Núñez", "Jose Nunez", "x@example.org"),
    ("jose@example.org", "J", "JOSE@example.org"),
])
def test_the_same_person(reviewer: str, author: str, email: str) -> None:
    assert same_person(reviewer, author, email)


@pytest.mark.parametrize(("reviewer", "author", "email"), [
    ("Yarin Gal", "Ada Okafor", "ada@example.org"),
    ("Yarin Gal", "Yarin", "yarin@example.org"),
    ("", "", ""),
    ("!!", "??", "x@example.org"),
])
def test_not_the_same_person(reviewer: str, author: str, email: str) -> None:
    assert not same_person(reviewer, author, email)


def test_aliases_name_a_reviewers_other_identities() -> None:
    aliases = {"Yarin Gal": ["ygal", "yg@lab.example.org"]}
    assert same_person("Yarin Gal", "ygal", "x@example.org", aliases)
    assert same_person("Yarin Gal", "Y", "YG@lab.example.org", aliases)
    assert not same_person("Lin Chen", "ygal", "x@example.org", aliases)


def test_blame_arguments_ask_each_line_once() -> None:
    assert blame_arguments([14, 9, 14], "d/a b.md") == ["blame", "--porcelain", "--root", "-L", "9,9", "-L", "14,14",
                                                        "--", "d/a b.md"]


PORCELAIN = b"""\
aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 3 9 1
author Lin Chen
author-mail <lin.chen@example.org>
author-time 1709629200
author-tz +0100
committer Lin Chen
committer-mail <lin.chen@example.org>
committer-time 1709629200
committer-tz +0100
summary Approve
filename d/L2.md
\tdecision: approved
0000000000000000000000000000000000000000 14 14 1
author Not Committed Yet
author-mail <not.committed.yet>
author-time 1709629300
author-tz +0000
committer Not Committed Yet
committer-mail <not.committed.yet>
committer-time 1709629300
committer-tz +0000
summary Version of d/L2.md from d/L2.md
filename d/L2.md
\tdecision: rejected
bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb 1 20 1
author Ada Okafor
author-mail <ada@example.org>
author-time 1709629000
author-tz -0500
committer Ada Okafor
committer-mail <ada@example.org>
committer-time 1709629000
committer-tz -0500
summary Start
boundary
filename d/L2.md
\tdecision: pending
aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 4 21 1
\tdecision: approved
"""


def test_porcelain_is_read_line_by_line() -> None:
    found = parse_blame(PORCELAIN)
    assert set(found) == {9, 14, 20, 21}
    approved = found[9].commit
    assert approved is not None and approved.author == "Lin Chen" and approved.email == "lin.chen@example.org"
    assert approved.authored.utcoffset() is not None and approved.authored.isoformat() == "2024-03-05T10:00:00+01:00"
    assert not found[9].boundary and found[21].commit == approved
    assert found[14].commit is None and not found[14].boundary  # not committed yet
    assert found[20].boundary and found[20].commit is not None and found[20].commit.author == "Ada Okafor"
    assert parse_blame(PORCELAIN, {"a" * 40})[9].boundary  # a shallow clone's boundary commit


@pytest.mark.parametrize("garbage", [b"", b"\t", b"x y z\n\tline\n", b"a 1 2 3\nauthor-time soon\n\tline\n"])
def test_porcelain_garbage_is_never_an_exception(garbage: bytes) -> None:
    parse_blame(garbage)
