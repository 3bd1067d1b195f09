"""Text for terminals and CI logs, where one line must stay one line.

A CI runner reads a log line that starts with ``::`` (GitHub Actions) or
``##vso[`` (Azure Pipelines) as a command. Card values, file names and glossary
text come from many teams; a line break inside one of them would let the text
start a line of its own and forge such a command. Every value printed as text
passes through ``one_line`` first.
"""

from __future__ import annotations

_BREAKS = {ord(c): e for c, e in (("\r", "\\r"), ("\n", "\\n"), ("\x0b", "\\v"), ("\x0c", "\\f"),
                                   ("\x1c", "\\x1c"), ("\x1d", "\\x1d"), ("\x1e", "\\x1e"),
                                   ("\x85", "\\x85"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))}
"""Every character Python's str.splitlines (and so most log readers) breaks a line at."""


def one_line(text: str) -> str:
    """``text`` with its line breaks written as visible escapes."""
    return text.translate(_BREAKS)


def line_start(text: str) -> str:
    """A line that cannot start a CI command: ``::x`` or ``##vso[x`` get a ``./`` in front
    (it only ever starts a file path)."""
    return "./" + text if text.lstrip().startswith(("::", "##")) else text
