"""Running git for provenance: local only, bounded in time, and never raising.

Cards come from many teams' repositories, so git is run as a reader that changes nothing
and fetches nothing: no index lock (``GIT_OPTIONAL_LOCKS=0``), no prompt, no lazy fetch of
a partial clone's missing objects (every transport is refused), messages in English, and the
few settings that change what ``log``, ``diff-tree``, ``status`` and ``blame`` print pinned on the
command line, so a user's ``~/.gitconfig`` cannot change what is parsed here.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

QUICK_TIMEOUT = 10.0
"""Seconds for ``rev-parse``, ``status`` and ``ls-files`` (a cold, huge working tree is slow)."""
LOG_TIMEOUT = 120.0
"""Seconds for one ``git log`` over a repository's sources (15,000 commits take about 2 s), or one
``git diff-tree`` of the commits a round of patches names."""
BLAME_TIMEOUT = 20.0
"""Seconds for one ``git blame`` (it walks the whole commit graph: 0.3 s at 15,000 commits)."""

_DROPPED = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
            "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_PREFIX",
            "GIT_CONFIG_PARAMETERS", "GIT_LITERAL_PATHSPECS", "GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS",
            "GIT_ICASE_PATHSPECS", "GIT_EXTERNAL_DIFF", "GIT_DIFF_OPTS", "GIT_TRACE", "GIT_TRACE2")
"""Set by a hook or an outer git command, these would make git answer about another
repository, read pathspecs differently or print more than is parsed here."""

_PINNED = ("core.fsmonitor=false", "core.quotePath=false", "color.ui=never", "log.showSignature=false",
           "log.showRoot=true", "diff.noprefix=false", "diff.relative=false",
           "diff.algorithm=myers", "diff.indentHeuristic=true",
           "i18n.logOutputEncoding=UTF-8", "blame.ignoreRevsFile=", "blame.markUnblamableLines=false",
           "blame.markIgnoredLines=false", "status.relativePaths=false")
"""``-c`` settings over the user's and the repository's: output formats are parsed, and an
fsmonitor hook is a program nobody asked a build to run (commands that diff also pass
``--no-ext-diff --no-textconv``)."""


@dataclass(frozen=True, slots=True)
class GitResult:
    """What one git command gave: its output, or why there is none."""

    out: bytes | None
    """Standard output; None when git failed, timed out or could not run."""
    error: str | None = None
    """Why there is no output: git's first line of error, 'timed out after N s', ..."""
    missing: bool = False
    """Git itself could not be started (not installed, not on PATH)."""


def environment() -> Mapping[str, str]:
    """The environment git runs in (see the module's docstring)."""
    env = {name: value for name, value in os.environ.items() if name not in _DROPPED}
    env.update(GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat", PAGER="cat", LC_ALL="C",
               GIT_NO_LAZY_FETCH="1", GIT_ALLOW_PROTOCOL="", GIT_ADVICE="0")
    return env


def git(folder: Path, args: Sequence[str], timeout: float = QUICK_TIMEOUT, stdin: bytes | None = None) -> GitResult:
    """``git -C folder args``; never raises."""
    command = ["git", "-C", str(folder)]
    for setting in _PINNED:
        command += ["-c", setting]
    try:
        if stdin is None:
            result = subprocess.run([*command, *args], stdin=subprocess.DEVNULL, capture_output=True,
                                    timeout=timeout, env=dict(environment()), check=False)
        else:
            result = subprocess.run([*command, *args], input=stdin, capture_output=True, timeout=timeout,
                                    env=dict(environment()), check=False)
    except FileNotFoundError:
        return GitResult(None, "git is not installed (not on PATH)", missing=True)
    except subprocess.TimeoutExpired:
        return GitResult(None, f"git {args[0]} timed out after {timeout:g} s")
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        return GitResult(None, f"git {args[0]} could not run: {exc}")
    if result.returncode != 0:
        lines = [line for line in result.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
        first = next((line for line in lines if line.startswith(("fatal:", "error:"))), lines[0] if lines else "")
        return GitResult(None, f"git {args[0]} failed ({first.strip() or f'exit status {result.returncode}'})")
    return GitResult(result.stdout)


def literal(path: str) -> str:
    """A pathspec that names ``path`` exactly: a card's folder called ``:(exclude)x`` or ``*``
    is a folder, not pathspec magic."""
    return ":(literal)" + (path or ".")


def glob_escape(path: str) -> str:
    """``path`` for a pathspec with wildcards, its own wildcard characters escaped."""
    return "".join("\\" + char if char in "*?[]\\" else char for char in path)
