"""The one error the template engine raises, worded as Go's ``text/template`` words it."""

from __future__ import annotations

__all__ = ["GoTemplateError"]


class GoTemplateError(ValueError):
    """A template that does not parse, fails while executing, or (calicoctl's ``yamltemplate``)
    produces output that is not YAML.

    ``str()`` is Go's text, e.g. ``template: get:1:2: executing "get" at <.Foo>: can't evaluate
    field Foo in type *v3.IPPool``.  The parts are attributes: ``template`` (the name),
    ``phase`` (``parse``, ``exec`` or ``yaml``), ``line`` and ``column`` (1-based line, byte
    column as Go counts it; 0 when unknown), ``context`` (the action, as Go prints it) and
    ``reason`` (the message after the location).  ``output`` is what a plain ``text/template``
    execution had written before it failed (Go's writer keeps it; calicoctl's buffered
    ``yamltemplate`` prints none of it).
    """

    def __init__(
        self,
        message: str,
        *,
        template: str = "",
        phase: str = "exec",
        line: int = 0,
        column: int = 0,
        context: str = "",
        reason: str = "",
        output: str = "",
    ) -> None:
        super().__init__(message)
        self.template = template
        self.phase = phase
        self.line = line
        self.column = column
        self.context = context
        self.reason = reason or message
        self.output = output

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (str(self), self.__dict__.copy()))


def _rebuild(message: str, state: dict[str, object]) -> GoTemplateError:
    err = GoTemplateError(message)
    err.__dict__.update(state)
    return err
