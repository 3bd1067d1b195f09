"""Who recorded a reviewer's decision: the commit that last changed its line, and its author.

A card says "Yarin Gal: approved"; the commit that wrote that line says who typed it. When
that is someone else, the page shows it beside the decision: a decision recorded on a
reviewer's behalf is not wrong, but a reader of a gate review should know.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from mltrl_docs.provenance.history import Attribution, Commit, is_zero


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    """Where one reviewer's ``decision:`` line comes from."""

    reviewer: str
    """The reviewer's name, as the card writes it."""
    line: int
    """The line of the card holding the decision."""
    commit: Commit | None
    """The commit that last changed the line; None when it is not committed yet, or older than
    the history read."""
    uncommitted: bool = False
    """The line differs from the last commit ("Not Committed Yet"): nobody has recorded it yet."""
    boundary: bool = False
    """The line is as old as the history this clone has (or the history read): ``commit``, if
    any, is where that history stops, and its author did not necessarily write the line."""
    by_reviewer: bool | None = None
    """The commit's author is the named reviewer (``same_person``); None when it cannot be told
    (uncommitted, or older than the history read)."""

    @property
    def recorded_by_other(self) -> bool:
        """Someone other than the named reviewer recorded the decision: shown as such."""
        return self.by_reviewer is False


def record(reviewer: str, line: int, found: Attribution | None,
           aliases: Mapping[str, Collection[str]] | None = None) -> DecisionRecord | None:
    """The record of one decision line from what the history says about it (None: nothing)."""
    if found is None:
        return None
    if found.commit is None and not found.boundary:
        return DecisionRecord(reviewer, line, None, uncommitted=True)
    if found.boundary or found.commit is None:
        return DecisionRecord(reviewer, line, found.commit, boundary=True)
    return DecisionRecord(reviewer, line, found.commit,
                          by_reviewer=same_person(reviewer, found.commit.author, found.commit.email, aliases))


def same_person(reviewer: str, author: str, email: str, aliases: Mapping[str, Collection[str]] | None = None) -> bool:
    """Whether a commit by ``author <email>`` is by the reviewer a card names: the same name,
    ignoring case, accents, spaces and punctuation (``Yarin Gal`` = ``yarin.gal`` = ``YARIN-GAL``),
    or the name as the email's local part (``yarin.gal@example.org``, GitHub's
    ``123+yaringal@users.noreply.github.com``), or an identity ``aliases`` lists for the
    reviewer (names or email addresses; a later setting). The one place this is decided."""
    wanted = _key(reviewer)
    if not wanted:
        return False
    identities = [reviewer, *((aliases or {}).get(reviewer, ()))]
    email = email.strip().strip("<>").casefold()
    local = email.partition("@")[0]
    candidates = {_key(author), _key(local), *(_key(part) for part in local.split("+"))}
    for identity in identities:
        if "@" in identity and identity.strip().casefold() == email:
            return True
        if _key(identity) in candidates:
            return True
    return False


@lru_cache(maxsize=8192)
def _key(name: str) -> str:
    """A name reduced to its letters and digits, without case or accents (cached: a site has
    thousands of decisions by a few hundred people)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed.casefold() if char.isalnum() and not unicodedata.combining(char))


def blame_arguments(lines: Iterable[int], path: str) -> list[str]:
    """``git blame`` of the working-tree file for just ``lines`` (one process per file).
    ``--root``: a root commit wrote its lines (it is not a boundary)."""
    ranges: list[str] = []
    for line in sorted(set(lines)):
        ranges += ["-L", f"{line},{line}"]
    return ["blame", "--porcelain", "--root", *ranges, "--", path]


def parse_blame(out: bytes, boundaries: Collection[str] = ()) -> dict[int, Attribution]:
    """Each blamed line's commit from ``git blame --porcelain``; a line not committed yet maps
    to an Attribution without a commit and without ``boundary``."""
    headers: dict[str, dict[str, str]] = {}
    found: dict[int, Attribution] = {}
    current: dict[str, str] | None = None
    sha, line = "", 0
    for raw in out.split(b"\n"):
        if raw.startswith(b"\t"):
            found[line] = _attribution(sha, headers.get(sha, {}), boundaries)
            current = None
            continue
        text = raw.decode("utf-8", "replace")
        if current is None:
            parts = text.split(" ")
            if len(parts) < 3 or not parts[2].isdigit():
                continue
            sha, line = parts[0], int(parts[2])
            current = headers.setdefault(sha, {})
        else:
            key, _, value = text.partition(" ")
            current[key] = value
    return found


def _attribution(sha: str, headers: Mapping[str, str], boundaries: Collection[str]) -> Attribution:
    if is_zero(sha):
        return Attribution(None)
    try:
        commit = Commit(sha, headers.get("author", ""), headers.get("author-mail", "").strip("<>"),
                        _when(headers["author-time"], headers.get("author-tz", "+0000")),
                        _when(headers["committer-time"], headers.get("committer-tz", "+0000")),
                        headers.get("summary", ""))
    except (KeyError, ValueError):
        return Attribution(None, boundary=True)
    return Attribution(commit, boundary="boundary" in headers or sha in boundaries)


def _when(seconds: str, zone: str) -> dt.datetime:
    sign = -1 if zone.startswith("-") else 1
    offset = dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5])) * sign
    return dt.datetime.fromtimestamp(int(seconds), dt.timezone(offset))
