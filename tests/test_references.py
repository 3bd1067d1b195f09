"""URL safety and relative paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from mltrl_docs import references
from mltrl_docs.references import is_safe_url, reference, resolve_path, resolving, scheme_of


@pytest.mark.parametrize("url", [
    "https://git.example.internal/opt/mvbo",
    "http://wiki.example.internal/x?y=1#z",
    "mailto:ml-review@example.internal",
    "HTTPS://EXAMPLE.INTERNAL/",
])
def test_safe_urls(url: str) -> None:
    assert is_safe_url(url)


@pytest.mark.parametrize("url", [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "//evil.example/x",
    "\\\\evil.example\\share",
    "https:no-host",
    "https://[x.example/y",
    "http://host.example:99999999/",
    "http://host.example:port/",
    "ftp://files.example.internal/x",
])
def test_unsafe_urls(url: str) -> None:
    assert not is_safe_url(url)
    assert reference(url, Path("/s/p/c.md")).safe is False


@pytest.mark.parametrize("target", ["ethics.md", "../docs/a b.md", "evidence/run.csv#L3", "x.md?raw=1"])
def test_relative_paths_are_not_urls(target: str) -> None:
    assert scheme_of(target) is None
    ref = reference(target, Path("/s/p/card.md"))
    assert not ref.is_url and ref.safe and ref.resolved is not None


def test_resolution_strips_fragment_and_query_and_decodes() -> None:
    assert resolve_path("../docs/a%20b.md#top", Path("/s/p/card.md")) == Path("/s/docs/a b.md")
    assert resolve_path("x.md?raw=1", Path("/s/p/card.md")) == Path("/s/p/x.md")


def test_absolute_paths_do_not_resolve() -> None:
    assert resolve_path("/etc/passwd", Path("/s/p/card.md")) is None
    assert reference("/etc/passwd", Path("/s/p/card.md")).resolved is None


def test_while_resolving_each_target_is_resolved_once_per_folder(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The cards of a project name the same evidence files; resolving one stats every folder above
    it. Within one reading each (folder, target) is resolved once; outside it, every time (a
    file system may change between two builds of ``mkdocs serve``)."""
    (tmp_path / "p" / "evidence").mkdir(parents=True)
    (tmp_path / "real.json").write_text("{}")
    (tmp_path / "p" / "evidence" / "m.json").symlink_to(tmp_path / "real.json")
    resolved: list[Path] = []
    real = references.real_path
    monkeypatch.setattr(references, "real_path", lambda path: resolved.append(path) or real(path))
    cards = [tmp_path / "p" / f"L{n}.md" for n in range(3)]
    with resolving():
        found = {resolve_path("evidence/m.json", card) for card in cards}
        assert resolve_path("evidence/m.json#x", cards[0]) == tmp_path / "real.json"
        assert resolve_path("/etc/passwd", cards[0]) is None
    assert found == {tmp_path / "real.json"}
    assert len(resolved) == 2  # m.json once, m.json#x once
    resolve_path("evidence/m.json", cards[0])
    resolve_path("evidence/m.json", cards[1])
    assert len(resolved) == 4
