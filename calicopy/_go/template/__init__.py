"""Go's ``text/template``, as calicoctl's ``get -o go-template=...`` runs it.

>>> from calicopy._go import template
>>> template.parse("{{range .}}{{.Name}} {{.Spec.CIDR}}\\n{{end}}").execute(pools)   # doctest: +SKIP
'pool1 10.0.0.0/24\\npool2 10.1.0.0/24\\n'
>>> template.render("{{range .}}{{.Name}}\\n{{end}}", pools)   # calicoctl's whole printer  # doctest: +SKIP

:func:`parse` reads a template with Go's grammar (text and actions, ``{{- -}}`` trimming,
comments, pipelines, parenthesised pipelines, variables, ``if``/``else if``/``with``/
``else with``/``range`` with ``break``/``continue``, ``define``/``template``/``block``) and
the functions Go defines (``and or not len index slice print printf println eq ne lt le gt
ge html js urlquery call``) plus calicoctl's (``join``, ``joinAndTruncate``, ``config``).
:meth:`Template.execute` runs it on Go-shaped data (:mod:`.values`; calicopy models are
converted on the fly) with Go's rules: field names are Go's (``.ObjectMeta.Name``,
``.Spec.NATOutgoing``), empty values are false, values print as ``fmt``'s ``%v``.
:func:`render` adds what calicoctl's printer does around it (:mod:`.safetext`): the data
is the resource list, the output is all-or-nothing and must be YAML.

Everything fails with :class:`GoTemplateError`, whose text is Go's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import GoTemplateError
from .exec import execute_tree
from .funcs import BUILTINS
from .nodes import Tree
from .parse import parse_templates
from .printer_funcs import DEFAULT_AS_NUMBER, printer_funcs
from .safetext import (
    INJECTION_DETECTED,
    INVALID_YAML,
    baseline,
    check_yaml,
    detection_funcs,
    double_characters,
    walked_trees,
)
from .values import GoFunc, GoMap, GoPointer, GoSlice, GoStruct, resources_slice, to_go

__all__ = [
    "DEFAULT_AS_NUMBER",
    "INJECTION_DETECTED",
    "INVALID_YAML",
    "GoFunc",
    "GoMap",
    "GoPointer",
    "GoSlice",
    "GoStruct",
    "GoTemplateError",
    "Template",
    "calicoctl_funcs",
    "parse",
    "render",
    "resources_slice",
    "to_go",
]

FuncLike = GoFunc | Callable[..., Any]


def _as_go_func(fn: FuncLike) -> GoFunc:
    # A plain Python callable takes any number of values, as a Go func(...interface{}) would.
    return fn if isinstance(fn, GoFunc) else GoFunc(fn, (), "any", "func(...interface {}) interface {}")


def calicoctl_funcs(as_number: Callable[[], str] | None = None) -> dict[str, GoFunc]:
    """The functions calicoctl's templates can call besides Go's builtins: its own ``join``,
    ``joinAndTruncate`` and ``config``, and those safetext registers."""
    return {**printer_funcs(as_number), **detection_funcs(lambda s: s)}


@dataclass(frozen=True, eq=False)
class Template:
    """A parsed template: ``trees`` holds it and every template it defines, by name."""

    name: str
    text: str
    trees: Mapping[str, Tree]
    funcs: Mapping[str, GoFunc]

    def execute(self, data: Any, funcs: Mapping[str, FuncLike] | None = None) -> str:
        """Go's ``Template.Execute``: the output, or :class:`GoTemplateError` whose ``output`` is
        what had been written when it failed.  ``funcs`` replaces functions by name (a name
        the template was not parsed with cannot be added here, as in Go)."""
        active = dict(self.funcs)
        for name, fn in (funcs or {}).items():
            active[name] = _as_go_func(fn)
        return execute_tree(self.name, self.trees, to_go(data), active, BUILTINS)


def parse(text: str, name: str = "get", funcs: Mapping[str, FuncLike] | None = None) -> Template:
    """Parse ``text`` as template ``name``; ``funcs`` are the functions it may call besides Go's
    builtins (default: calicoctl's, :func:`calicoctl_funcs`).  A syntax error raises
    :class:`GoTemplateError` (``template: get:1: unexpected "}" in operand``)."""
    available = calicoctl_funcs() if funcs is None else {n: _as_go_func(f) for n, f in funcs.items()}
    trees = parse_templates(name, text, frozenset(BUILTINS) | available.keys())
    return Template(name, text, trees, available)


def render(
    text: str,
    resources: Sequence[Any],
    *,
    name: str = "get",
    as_number: Callable[[], str] | None = None,
    funcs: Mapping[str, FuncLike] | None = None,
) -> str:
    """calicoctl's ``-o go-template``: ``text`` run on the resource list as ``yamltemplate`` runs
    it (:mod:`.safetext`): all output or none, and it must be YAML.

    ``as_number`` answers ``{{config "asnumber"}}`` (calicoctl reads BGPConfiguration
    ``default``); ``funcs`` adds or replaces functions.  Raises :class:`GoTemplateError` with
    Go's parse or execution error, or ``Invalid YAML Template`` / ``YAML Injection Detected``.
    """
    extra = {n: _as_go_func(f) for n, f in (funcs or {}).items()}
    shared = {**printer_funcs(as_number), **extra}
    template = parse(text, name, {**shared, **detection_funcs(lambda s: s)})
    data = resources_slice(resources)

    def run(trees: Mapping[str, Tree], mutate: Callable[[str], str]) -> str:
        active = {**template.funcs, **detection_funcs(mutate), **extra}
        try:
            return execute_tree(name, trees, data, active, BUILTINS)
        except GoTemplateError as exc:
            exc.output = ""  # yamltemplate writes nothing when execution fails
            raise

    output = run(template.trees, lambda s: s)
    walked = walked_trees(name, template.trees)
    baseline_output = run(walked, baseline)
    doubled_output = run(walked, double_characters)
    check_yaml(name, baseline_output, output, doubled_output)
    return output
