"""Output formats."""

from __future__ import annotations

from pathlib import Path

from mltrl_docs.findings import Finding, Position, Severity
from mltrl_docs.report import github_line, location, text_line


def finding(**kw) -> Finding:
    base = {"severity": Severity.ERROR, "rule": "schema", "message": "bad", "path": Path.cwd() / "a.md",
            "position": Position(3, 7), "field": "status", "hint": "fix it"}
    base.update(kw)
    return Finding(**base)


def test_text_line() -> None:
    assert text_line(finding()) == "a.md:3:7: error: bad (status) [schema]\n    hint: fix it"
    assert text_line(finding(position=None, field=None, hint=None)) == "a.md: error: bad [schema]"


def test_location_outside_the_working_directory_is_absolute() -> None:
    assert location(finding(path=Path("/elsewhere/x.md"), position=Position(1, 2))) == "/elsewhere/x.md:1:2"


def test_github_line_escapes_data_and_properties() -> None:
    line = github_line(finding(path=Path.cwd() / "a,b:c.md", message="50% off\nnext", severity=Severity.INFO))
    assert line == ("::notice file=a%2Cb%3Ac.md,line=3,col=7,title=mltrl-docs schema::"
                    "50%25 off%0Anext (status)%0Ahint: fix it")


def test_text_output_escapes_line_breaks_so_no_value_can_start_a_ci_command() -> None:
    forged = "::error file=x.md::forged"
    line = text_line(finding(path=Path.cwd() / f"a\n{forged}.md", message=f"bad\r\n{forged}",
                             field=f"f\u2028{forged}", hint=f"h\x85{forged}"))
    lines = line.split("\n")
    assert len(lines) == 2 and lines[1].startswith("    hint: h\\x85::error")
    assert not any(part.lstrip().startswith(("::", "##")) for part in line.splitlines())
    assert "a\\n::error file=x.md::forged.md:3:7: error: bad\\r\\n::error" in lines[0]


def test_a_path_that_would_start_a_command_gets_a_prefix() -> None:
    line = text_line(finding(path=Path.cwd() / "::warning::x.md"))
    assert line.startswith("./::warning::x.md:3:7: error:")


def test_long_messages_are_cut_in_the_middle() -> None:
    long = finding(message="'" + "x" * 100_000 + "' is not a valid status", hint="y" * 5000)
    assert len(long.message) == 600 and long.message.endswith("' is not a valid status")
    assert len(long.hint) == 600
