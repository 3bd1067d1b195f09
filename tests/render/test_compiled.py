"""Compiled templates kept for the next build (render/compiled.py): loaded instead of compiled,
compiled again when the source changed, and a cache that cannot be used is no error."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from mltrl_docs.render.compiled import TemplateCode


def _env(templates: Path, cache: Path | None, compiled: list[str], monkeypatch: pytest.MonkeyPatch) -> Environment:
    env = Environment(loader=FileSystemLoader(str(templates)), bytecode_cache=TemplateCode(cache))
    real = env.compile

    def compile_(source: str, name: str | None = None, filename: str | None = None) -> object:
        compiled.append(str(name))
        return real(source, name, filename)

    monkeypatch.setattr(env, "compile", compile_)
    return env


def test_a_second_build_loads_the_code_and_an_edited_template_is_compiled_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    templates, cache = tmp_path / "templates", tmp_path / ".cache" / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("<p>{{ x }}</p>", encoding="utf-8")
    compiled: list[str] = []
    assert _env(templates, cache, compiled, monkeypatch).get_template("page.html").render(x=1) == "<p>1</p>"
    assert compiled == ["page.html"] and len(list(cache.glob("*.jinja"))) == 1
    compiled.clear()  # a new process: a new environment and cache object over the same folder
    assert _env(templates, cache, compiled, monkeypatch).get_template("page.html").render(x=2) == "<p>2</p>"
    assert compiled == []
    (templates / "page.html").write_text("<div>{{ x }}</div>", encoding="utf-8")
    assert _env(templates, cache, compiled, monkeypatch).get_template("page.html").render(x=3) == "<div>3</div>"
    assert compiled == ["page.html"]


@pytest.mark.parametrize("spoil", ["garbage", "truncated", "unwritable"])
def test_a_cache_that_cannot_be_used_is_compiled_around(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        spoil: str) -> None:
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "page.html").write_text("<p>{{ x }}</p>", encoding="utf-8")
    compiled: list[str] = []
    _env(templates, cache, compiled, monkeypatch).get_template("page.html")
    [entry] = cache.glob("*.jinja")
    if spoil == "garbage":
        entry.write_bytes(b"not compiled code at all")
    elif spoil == "truncated":
        entry.write_bytes(entry.read_bytes()[:40])
    else:  # a file where the folder should be: nothing can be written there
        entry.unlink()
        cache.rmdir()
        cache.write_text("in the way", encoding="utf-8")
    compiled.clear()
    assert _env(templates, cache, compiled, monkeypatch).get_template("page.html").render(x=4) == "<p>4</p>"
    assert compiled == ["page.html"]


def test_without_a_folder_the_code_is_kept_in_memory_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("<p>{{ x }}</p>", encoding="utf-8")
    code = TemplateCode()
    env = Environment(loader=FileSystemLoader(str(templates)), bytecode_cache=code)
    env.get_template("page.html")
    assert env.cache is not None
    env.cache.clear()  # the loaded template dropped (new globals): its code is loaded, not compiled
    compiled: list[str] = []
    monkeypatch.setattr(env, "compile", lambda *args, **kwargs: compiled.append("again"))
    assert env.get_template("page.html").render(x=5) == "<p>5</p>" and compiled == []
    assert list(tmp_path.rglob("*.jinja")) == []
