"""Templates call the environment's plain functions directly (render.direct): the same output as
through ``Context.call``, in loops, blocks and call blocks; a function that wants the context
still gets it; the compiled code of one set of plain globals is never loaded under another."""

from __future__ import annotations

from pathlib import Path

from jinja2 import DictLoader, Environment, pass_context
from jinja2.runtime import Context

from mltrl_docs.render.compiled import TemplateCode
from mltrl_docs.render.direct import DirectCalls, direct_calls
from mltrl_docs.render.html import Renderer


class _Direct(Environment):
    code_generator_class = DirectCalls


class _Said:
    def __call__(self, key: str, **values: object) -> str:
        return key + "".join(f" {name}={value}" for name, value in sorted(values.items()))


@pass_context
def _page(context: Context, suffix: str) -> str:
    return f"{context['page']}{suffix}"


TEMPLATES = {
    "page.html": (
        "{% macro box(x) %}[{{ x }}{{ caller() if caller else '' }}]{% endmacro %}"
        "{{ t('a') }}|{{ t('b', n=2) }}|"
        "{% for i in items %}{{ t('item', i=i) }}{{ where('!') }}{% endfor %}|"
        "{% set saved %}{{ t('block') }}{% endset %}{{ saved }}|"
        "{% call box(t('call')) %}{{ t('inner') }}{% endcall %}|"
        "{% for t in items %}{{ t }}{% endfor %}|{{ shown(*args) }}"
    ),
}


def _environment(kind: type[Environment]) -> Environment:
    env = kind(loader=DictLoader(TEMPLATES), autoescape=True)
    env.globals.update(t=_Said(), where=_page, shown=lambda *a: "-".join(map(str, a)))
    return env


def test_a_plain_global_is_called_directly_and_writes_the_same_page() -> None:
    env = _environment(_Direct)
    assert direct_calls(env) >= {"t", "shown"} and "where" not in direct_calls(env)
    assert not direct_calls(env) & {"range", "dict", "namespace", "cycler", "joiner"}  # classes: as before
    code = env.compile(env.loader.get_source(env, "page.html")[0], "page.html", raw=True)
    assert "context.call((undefined(name='t')" not in code and "(*(), 'a')" in code
    assert "context.call((undefined(name='where')" in code  # it wants the context: through Context.call
    values = {"items": [1, 2], "page": "P", "args": (3, 4)}
    direct = env.get_template("page.html").render(values)
    assert direct == _environment(Environment).get_template("page.html").render(values)
    assert direct == "a|b n=2|item i=1P!item i=2P!|block|[callinner]|12|3-4"


def test_the_code_of_other_plain_globals_is_compiled_again(tmp_path: Path) -> None:
    """The set of plain globals is part of the compiled code's key (render.compiled)."""
    first, second = _environment(_Direct), _environment(_Direct)
    second.globals["where"] = lambda suffix: suffix  # now a plain function: called directly
    for env in (first, second):
        env.bytecode_cache = TemplateCode(tmp_path)
    source = TEMPLATES["page.html"]
    assert (first.bytecode_cache.get_bucket(first, "page.html", None, source).key
            != second.bytecode_cache.get_bucket(second, "page.html", None, source).key)
    values = {"items": [1], "page": "P", "args": ()}
    assert first.get_template("page.html").render(values) == "a|b n=2|item i=1P!|block|[callinner]|1|"
    assert second.get_template("page.html").render(values) == "a|b n=2|item i=1!|block|[callinner]|1|"


def test_the_renderer_calls_its_own_functions_directly() -> None:
    renderer = Renderer("dossier")
    assert isinstance(renderer.env.code_generator_class(renderer.env, "x", None), DirectCalls)
    assert {"t", "tn", "value_label", "linked", "url", "card_uri", "project_uri"} <= direct_calls(renderer.env)
