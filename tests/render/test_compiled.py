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



_OPTIONS: list[dict[str, object]] = [
    {"extensions": ["jinja2.ext.i18n"]},
    {"trim_blocks": True},
    {"lstrip_blocks": True},
    {"keep_trailing_newline": True},
    {"newline_sequence": "\r\n"},
    {"variable_start_string": "[[", "variable_end_string": "]]"},
    {"autoescape": True},
    {"finalize": lambda value: "" if value is None else value},
    {"optimized": False},
]


@pytest.mark.parametrize("options", _OPTIONS, ids=lambda options: ",".join(options))
@pytest.mark.parametrize("folder", [True, False], ids=["on disk", "in memory"])
def test_environments_that_differ_in_one_compile_option_never_share_code(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: dict[str, object], folder: bool) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    source = "{% if x %}\n  <b>{{ x }}</b> [[ x ]]\n{% endif %}\n{{ y }}\n"
    (templates / "page.html").write_text(source, encoding="utf-8")
    cache = TemplateCode(tmp_path / "cache" if folder else None)
    compiled: list[str] = []

    def render(**extra: object) -> str:
        env = _env(templates, None, compiled, monkeypatch)
        for option, value in extra.items():  # as MkDocs does: options set on a made environment
            if option == "extensions":
                for extension in value:  # type: ignore[attr-defined]
                    env.add_extension(extension)
            else:
                setattr(env, option, value)
        env.bytecode_cache = cache
        return env.get_template("page.html").render(x="<", y=None)

    plain, varied = render(), render(**options)
    assert compiled == ["page.html", "page.html"]  # the second environment compiled its own code
    assert varied == Environment(**options).from_string(source).render(x="<", y=None)  # type: ignore[arg-type]
    if folder:
        cache = TemplateCode(tmp_path / "cache")  # a later build: code from disk only
    compiled.clear()
    assert (render(), render(**options)) == (plain, varied)
    assert compiled == []  # each environment's code kept beside the other's
