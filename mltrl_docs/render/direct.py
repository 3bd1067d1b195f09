"""Templates call the environment's plain functions directly, not through ``Context.call``.

Jinja compiles ``{{ t("key") }}`` to ``context.call(t, "key")``, which asks on every call whether
the function wants the template's context, its eval context or the environment (about 2 us a
call here, twice what the call itself costs). A 1,000-card build makes some 235,000 calls to the
renderer's own functions (``t``, ``value_label``, ``linked``, ``card_uri``, ...), and none wants
any of them. ``DirectCalls`` compiles a call to a global that is such a plain function as a
plain Python call, with the same arguments ``Context.call`` would pass it.

Which globals those are is read from the environment when a template is compiled
(``direct_calls``) and is part of the compiled code's cache key (``render.compiled``). A template
that binds one of those names to something else (``{% set %}``, a loop variable, a render
argument) calls that the same way; a template can only bind what it is given, and the renderer
gives no function that wants a context.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, nodes
from jinja2.compiler import CodeGenerator, Frame


def direct_calls(environment: Environment) -> frozenset[str]:
    """The names of the environment's globals that are plain functions: callable, and neither
    they nor their ``__call__`` marked with ``pass_context``, ``pass_eval_context`` or
    ``pass_environment`` (Jinja marks them with a ``jinja_pass_arg`` attribute)."""
    return frozenset(name for name, value in environment.globals.items() if _plain(value))


def _plain(value: Any) -> bool:
    if not callable(value) or isinstance(value, type):
        return False
    called = type(value).__dict__.get("__call__")  # an instance's own call, as Context.call checks it
    return all(getattr(part, "jinja_pass_arg", None) is None for part in (value, called))


class DirectCalls(CodeGenerator):
    """Jinja's code generator, but for a call to one of ``direct_calls``: ``name(*(), args...)``
    (the ``*()`` takes the leading comma Jinja writes before each argument), without the loop and
    block variables that ``Context.call`` hands only to functions that want the context."""

    @classmethod
    def compile_options(cls, environment: Environment) -> object:
        """What, besides the environment's options, the code compiled from a source depends on
        (``render.compiled`` keys compiled code by it)."""
        return sorted(direct_calls(environment))

    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        if (forward_caller or self.environment.is_async or self.environment.sandboxed
                or not isinstance(node.node, nodes.Name) or node.node.name not in direct_calls(self.environment)):
            super().visit_Call(node, frame, forward_caller=forward_caller)
            return
        self.visit(node.node, frame)
        self.write("(*()")
        self.signature(node, frame)
        self.write(")")
