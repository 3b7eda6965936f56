"""Make Jinja2 render the same bytes with less CPU: a build renders some 23,000 pages at 10,000 postings.

Nothing here changes what a template means: owners' templates and overrides keep working as written.
"""

from __future__ import annotations

from functools import cached_property
from types import BuiltinFunctionType, CodeType, FunctionType, MethodType
from typing import Any, Callable, MutableMapping

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
import markupsafe
from markupsafe import Markup

#: markupsafe's C escaper (private but stable since 2.x); without it, ``escape`` itself is used.
_escape_str: Callable[[str], str] | None = getattr(markupsafe, "_escape_inner", None)
_escape = markupsafe.escape


def output_escape(value: Any) -> Any:
    """Escape one ``{{ value }}`` of an autoescaping template to text equal to ``markupsafe.escape(value)``.

    Compiled templates call ``escape`` once per printed expression (about 50 times a page) and only
    ever join the result into the page, so the Markup wrapper it builds (a Python-level ``__new__``)
    is wasted work for plain strings, whole numbers and Markup already escaped.
    """
    kind = type(value)
    if kind is str:
        return _escape_str(value)  # type: ignore[misc]
    if kind is Markup:
        return value
    if kind is int:
        return str(value)  # digits and a minus sign: nothing to escape
    return _escape(value)


class FastTemplate(jinja2.Template):
    """A Template whose printed expressions are escaped by ``output_escape``."""

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: CodeType, globals: MutableMapping[str, Any],
                  uptodate: Callable[[], bool] | None = None) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        if _escape_str is not None:
            # The module namespace the template's functions run in: ``escape`` there is only used
            # by output nodes (macros and blocks wrap what they collect in Markup themselves).
            template.root_render_func.__globals__["escape"] = output_escape
        return template


#: Callables whose ``__call__`` never carries a pass-argument marker (Context.call checks it).
_PLAIN_CALLABLES = frozenset({FunctionType, BuiltinFunctionType, MethodType})


class FastContext(Context):
    """A Context made without work most renders never use, that calls plain functions directly."""

    def __init__(self, environment: jinja2.Environment, parent: dict[str, Any], name: str | None,
                 blocks: dict[str, Callable[[Context], Any]], globals: MutableMapping[str, Any] | None = None):
        """Set up what ``Context.__init__`` does, leaving ``eval_ctx`` and ``globals_keys`` until asked for.

        A page makes a context for itself and one for each ``{% include %}``: building an
        EvalContext and a set of the globals' names for each is a third of that cost, and only
        ``{% autoescape %}``, some filters and ``{% import %}`` ever read them.
        """
        self.parent = parent
        self.vars = {}
        self.environment = environment
        self.exported_vars = set()
        self.name = name
        self._globals = globals
        self.blocks = {k: [v] for k, v in blocks.items()}

    @cached_property
    def eval_ctx(self) -> EvalContext:
        return EvalContext(self.environment, self.name)

    @cached_property
    def globals_keys(self) -> set[str]:
        return set() if self._globals is None else set(self._globals)

    def call(self, obj: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Call ``obj`` as ``Context.call`` does, straight away when it cannot ask for the context.

        ``Context.call`` looks up ``__call__`` and the pass-argument marker twice for every call
        (some 20 ``card(job)`` calls on each listing page), work that a plain function never needs.
        """
        if type(obj) not in _PLAIN_CALLABLES or hasattr(obj, "jinja_pass_arg"):
            return super().call(obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return obj(*args, **kwargs)
        except StopIteration:
            return self.environment.undefined("value was undefined because a callable raised a"
                                              " StopIteration exception")


class FastCodeGenerator(CodeGenerator):
    """Compile ``{% include %}`` to ``yield from`` the included template instead of a Python loop."""

    def visit_Include(self, node: nodes.Include, frame: Frame) -> None:
        """Pass an included template's output on in C, not one ``yield`` per piece in Python.

        Only the common case (a constant name, with context, not ignoring missing, output not
        captured into a buffer, not async) is changed; ``yield from`` closes the included
        template's generator when the page's is closed, as Jinja's ``finally: gen.close()`` does.
        """
        simple = (node.with_context and not node.ignore_missing and not self.environment.is_async
                  and frame.buffer is None and isinstance(node.template, nodes.Const)
                  and isinstance(node.template.value, str))
        if not simple:
            super().visit_Include(node, frame)
            return
        self.writeline("template = environment.get_template(", node)
        self.visit(node.template, frame)
        self.write(f", {self.name!r})")
        self.writeline("yield from template.root_render_func(template.new_context(context.get_all(), True,"
                       f" {self.dump_local_context(frame)}))")


class FastEnvironment(jinja2.Environment):
    """An Environment whose templates escape with ``output_escape`` and share its globals dict."""

    template_class = FastTemplate
    context_class = FastContext
    code_generator_class = FastCodeGenerator

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._loaded: dict[tuple[Any, str | None], jinja2.Template] = {}

    def get_template(self, name: Any, parent: str | None = None,
                     globals: MutableMapping[str, Any] | None = None) -> jinja2.Template:
        """Return a loaded template from a plain dict when templates are not reloaded from disk.

        Every ``{% include %}`` asks for its template on every page; Jinja's own cache builds a
        weak reference to the loader for each lookup.
        """
        if globals is not None or self.auto_reload:
            return super().get_template(name, parent, globals)
        try:
            return self._loaded[name, parent]
        except KeyError:
            template = self._loaded[name, parent] = super().get_template(name, parent, globals)
            return template

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """Give a template without globals of its own the environment's dict itself, not a ChainMap.

        Every render and every ``{% include %}`` copies the template's globals into a new context;
        copying a ChainMap goes through Python-level ``__getitem__``/``__iter__`` (about 10 µs a
        page here), a dict is copied in C. Changes to ``env.globals`` still reach every template.
        Site_gen never passes per-template globals; a template loaded with some keeps a ChainMap.
        """
        return self.globals if not d else super().make_globals(d)
