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
        namespace = template.root_render_func.__globals__  # the module the template's functions run in
        if _escape_str is not None:
            # ``escape`` there is only used by output nodes (macros and blocks wrap what they
            # collect in Markup themselves).
            namespace["escape"] = output_escape
        template._parent_only = namespace.get(_PARENT_ONLY)  # type: ignore[attr-defined]
        return template

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render as ``Template.render`` does; a page that only fills in its parent's blocks starts at the parent.

        Such a template's ``root`` registers the parent's blocks and passes on every piece of the
        parent's output (``yield from``): rendering the parent's ``root`` directly, after doing
        the same registration, gives the same text with one generator fewer between each piece
        and the join (~1.5-2 us a page, 2-4% of its template time). ``generate``, ``stream`` and
        includes are unchanged.
        """
        parent_name = getattr(self, "_parent_only", None)
        if parent_name is None or self.environment.is_async:
            return super().render(*args, **kwargs)
        context = self.new_context(dict(*args, **kwargs))
        try:
            parent = self.environment.get_template(parent_name, self.name)  # as the compiled root does
            for name, parent_block in parent.blocks.items():
                context.blocks.setdefault(name, []).append(parent_block)
            return self.environment.concat(parent.root_render_func(context))  # type: ignore[attr-defined]
        except Exception:
            self.environment.handle_exception()


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


#: Jinja's private helpers the joined output is written with (Jinja 3.1); without them, Jinja's own code is used.
_OUTPUT_HELPERS = ("_make_finalize", "_output_child_to_const", "_output_const_repr", "_output_child_pre",
                   "_output_child_post")
_CAN_JOIN = all(hasattr(CodeGenerator, name) for name in _OUTPUT_HELPERS)


#: Module-level name a compiled template sets to its parent's name when its top level is only
#: ``{% extends "constant" %}`` and blocks (text after the extends is never output).
_PARENT_ONLY = "_site_gen_parent_only"


def _parent_only(node: nodes.Template) -> str | None:
    """The parent's name when ``node`` only extends a constant parent and fills in blocks, else None."""
    parent = None
    for child in node.body:
        if isinstance(child, nodes.Extends) and parent is None:
            if not (isinstance(child.template, nodes.Const) and isinstance(child.template.value, str)):
                return None
            parent = child.template.value
        elif isinstance(child, nodes.Block) and parent is not None:
            continue  # rendered by the parent (a child's own root never outputs its blocks)
        elif (isinstance(child, nodes.Output) and parent is not None
              and all(isinstance(item, nodes.TemplateData) for item in child.nodes)):
            continue  # text after a known extends is never output
        else:
            return None  # output before the extends, set, import, macro, ...: Jinja's root runs it
    return parent


class FastCodeGenerator(CodeGenerator):
    """Compile output to one ``yield`` per run of text and ``{{ }}``, includes to ``yield from``."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        """Compile as Jinja does, and mark a template that only fills in a constant parent's blocks."""
        super().visit_Template(node, frame)
        parent = _parent_only(node)
        if parent is not None and not self.environment.is_async:
            self.writeline(f"{_PARENT_ONLY} = {parent!r}")

    def visit_Output(self, node: nodes.Output, frame: Frame) -> None:
        """Yield the pieces of a run of text and expressions joined, not one ``yield`` each.

        A page is some 200 pieces and each ``yield`` resumes every generator between it and the
        final join (the block, its template, the template that extends it). The pieces are
        worked out in the same order as before and the join is a plain ``str.join`` of strings
        (escaped or ``str``-ed as Jinja does), so ``render`` returns the same text and raises the
        same errors; only a caller of ``generate``/``stream`` sees fewer, longer pieces.
        """
        body = [] if frame.buffer is not None or not _CAN_JOIN else self._output_body(node, frame)
        if len(body) < 2:  # in a buffer (macro, call, set block, filter), or nothing to join
            super().visit_Output(node, frame)
            return
        if frame.require_output_check:
            if self.has_known_extends:  # text outside a block of a template that extends another
                return
            self.writeline("if parent_template is None:")
            self.indent()
        finalize = self._make_finalize()
        self.writeline("yield ''.join((")
        self.indent()
        for item in body:
            if isinstance(item, list):
                self.writeline(self._output_const_repr(item) + ",")
            else:
                self.newline(item)
                self._output_child_pre(item, frame, finalize)
                self.visit(item, frame)
                self._output_child_post(item, frame, finalize)
                self.write(",")
        self.outdent()
        self.writeline("))")
        if frame.require_output_check:
            self.outdent()

    def _output_body(self, node: nodes.Output, frame: Frame) -> list[Any]:
        """Jinja's split of an Output node: lists of constant text and nodes to evaluate at render time."""
        finalize = self._make_finalize()
        body: list[Any] = []
        for child in node.nodes:
            try:
                if not (finalize.const or isinstance(child, nodes.TemplateData)):
                    raise nodes.Impossible()
                const = self._output_child_to_const(child, frame, finalize)
            except (nodes.Impossible, Exception):
                body.append(child)
                continue
            if body and isinstance(body[-1], list):
                body[-1].append(const)
            else:
                body.append([const])
        return body

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
