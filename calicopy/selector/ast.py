"""The selector syntax tree, its evaluation and its canonical text.

Mirrors libcalico-go ``lib/selector/parser/ast.go`` (Calico v3.32.1):

* ``label == "v"`` needs the label present with that value; ``label != "v"`` is true when
  the label is absent or has another value; ``in`` needs the label present with a value in
  the set, ``not in`` is true when it is absent or its value is outside the set;
  ``has(label)`` needs it present (an empty value counts); ``contains``, ``starts with`` and
  ``ends with`` need it present and are plain, case-sensitive string tests; ``all()`` and
  ``global()`` are always true.
* ``str(node)`` is Go's ``collectFragments`` output: values in double quotes unless they
  contain ``"`` (then single quotes), sets sorted and de-duplicated, every ``&&``/``||``
  group in parentheses, ``!`` written right before its operand.

Every node is immutable and hashable.
"""

from __future__ import annotations

import base64
import hashlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

__all__ = [
    "All",
    "And",
    "Global",
    "Has",
    "LabelContains",
    "LabelEndsWith",
    "LabelEq",
    "LabelIn",
    "LabelNe",
    "LabelNotIn",
    "LabelStartsWith",
    "Node",
    "Not",
    "Or",
    "Selector",
    "make_unique_id",
]

Labels = Mapping[str, str]


def _quote(value: str) -> str:
    # Go: double quotes unless the value holds a double quote.  (A value holding both
    # quote characters cannot come out of the tokenizer.)
    return f"'{value}'" if '"' in value else f'"{value}"'


class Node(ABC):
    """Base class of every syntax-tree node."""

    __slots__ = ()

    @abstractmethod
    def matches(self, labels: Labels) -> bool:
        """Whether a resource with these labels is selected."""

    @abstractmethod
    def fragments(self, out: list[str]) -> None:
        """Append this node's canonical text to ``out`` (Go's ``collectFragments``)."""

    def children(self) -> tuple[Node, ...]:
        """The direct sub-nodes (empty for leaves)."""
        return ()

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, depth first, parents first (at any depth)."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children()))

    def __str__(self) -> str:
        out: list[str] = []
        self.fragments(out)
        return "".join(out)


@dataclass(frozen=True, slots=True)
class _LabelValue(Node):
    """A comparison between a label's value and a string literal."""

    label: str
    value: str
    op: ClassVar[str] = ""

    def fragments(self, out: list[str]) -> None:
        out.append(f"{self.label}{self.op}{_quote(self.value)}")

    def __str__(self) -> str:
        return f"{self.label}{self.op}{_quote(self.value)}"


@dataclass(frozen=True, slots=True)
class LabelEq(_LabelValue):
    """``label == "value"``: the label is present and equal to the value."""

    op: ClassVar[str] = " == "

    def matches(self, labels: Labels) -> bool:
        return labels.get(self.label) == self.value


@dataclass(frozen=True, slots=True)
class LabelNe(_LabelValue):
    """``label != "value"``: the label is absent or has another value."""

    op: ClassVar[str] = " != "

    def matches(self, labels: Labels) -> bool:
        return labels.get(self.label) != self.value


@dataclass(frozen=True, slots=True)
class LabelContains(_LabelValue):
    """``label contains "value"``: the label is present and its value holds the substring."""

    op: ClassVar[str] = " contains "

    def matches(self, labels: Labels) -> bool:
        actual = labels.get(self.label)
        return actual is not None and self.value in actual


@dataclass(frozen=True, slots=True)
class LabelStartsWith(_LabelValue):
    """``label starts with "value"``: the label is present and its value has the prefix."""

    op: ClassVar[str] = " starts with "

    def matches(self, labels: Labels) -> bool:
        actual = labels.get(self.label)
        return actual is not None and actual.startswith(self.value)


@dataclass(frozen=True, slots=True)
class LabelEndsWith(_LabelValue):
    """``label ends with "value"``: the label is present and its value has the suffix."""

    op: ClassVar[str] = " ends with "

    def matches(self, labels: Labels) -> bool:
        actual = labels.get(self.label)
        return actual is not None and actual.endswith(self.value)


@dataclass(frozen=True, slots=True)
class _LabelSet(Node):
    """A set-membership test; ``values`` is sorted and free of duplicates."""

    label: str
    values: tuple[str, ...]
    _members: frozenset[str] = field(init=False, repr=False, compare=False, hash=False)
    op: ClassVar[str] = ""

    def __post_init__(self) -> None:
        values = tuple(sorted(set(self.values)))
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "_members", frozenset(values))

    def fragments(self, out: list[str]) -> None:
        out.append(f"{self.label}{self.op}{{{', '.join(map(_quote, self.values))}}}")

    def __str__(self) -> str:
        return f"{self.label}{self.op}{{{', '.join(map(_quote, self.values))}}}"


@dataclass(frozen=True, slots=True)
class LabelIn(_LabelSet):
    """``label in {"a", "b"}``: the label is present and its value is in the set."""

    op: ClassVar[str] = " in "

    def matches(self, labels: Labels) -> bool:
        return labels.get(self.label) in self._members


@dataclass(frozen=True, slots=True)
class LabelNotIn(_LabelSet):
    """``label not in {"a", "b"}``: the label is absent or its value is outside the set."""

    op: ClassVar[str] = " not in "

    def matches(self, labels: Labels) -> bool:
        return labels.get(self.label) not in self._members


@dataclass(frozen=True, slots=True)
class Has(Node):
    """``has(label)``: the label is present, whatever its value (even empty)."""

    label: str

    def matches(self, labels: Labels) -> bool:
        return self.label in labels

    def fragments(self, out: list[str]) -> None:
        out.append(f"has({self.label})")

    def __str__(self) -> str:
        return f"has({self.label})"


@dataclass(frozen=True, slots=True)
class All(Node):
    """``all()`` (and the empty selector): selects everything."""

    def matches(self, labels: Labels) -> bool:
        return True

    def fragments(self, out: list[str]) -> None:
        out.append("all()")

    def __str__(self) -> str:
        return "all()"


@dataclass(frozen=True, slots=True)
class Global(Node):
    """``global()``: evaluates as true; the policy engine gives it its meaning.

    libcalico-go only accepts it as the whole of an EntityRule ``namespaceSelector``,
    where it means "non-namespaced resources".
    """

    def matches(self, labels: Labels) -> bool:
        return True

    def fragments(self, out: list[str]) -> None:
        out.append("global()")

    def __str__(self) -> str:
        return "global()"


# -- composite nodes ------------------------------------------------------------------------
#
# A parsed selector may nest as deep as its text allows (libcalico-go sets no limit), so nothing
# that follows the tree's shape may use Python's call stack without bound: walking, comparing,
# hashing, repr and pickling run over an explicit stack, and evaluation and printing recurse
# only while the subtree is shallow (the common case, and the fast one).

#: A composite node deeper than this evaluates and prints over an explicit stack, not recursing.
RECURSION_DEPTH = 64


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class _Composite(Node):
    """A node with sub-nodes: ``!``, ``&&`` or ``||``.  ``depth`` counts the levels of nodes in
    its subtree (a composite of leaves: 2)."""

    depth: int = field(init=False, repr=False)

    @abstractmethod
    def parts(self) -> tuple[str | Node, ...]:
        """This node's canonical text as literal pieces and sub-nodes, in order."""

    @abstractmethod
    def repr_parts(self) -> tuple[str | Node, ...]:
        """This node's ``repr()`` as literal pieces and sub-nodes, in order."""

    def __str__(self) -> str:
        out: list[str] = []
        self.fragments(out)
        return "".join(out)

    def __repr__(self) -> str:
        out: list[str] = []
        _write(self, out, _repr_parts, repr)
        return "".join(out)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Node):
            return NotImplemented
        pending: list[tuple[Node, Node]] = [(self, other)]
        while pending:
            a, b = pending.pop()
            if type(a) is not type(b):
                return False
            if isinstance(a, _Composite):
                mine, theirs = a.children(), b.children()
                if len(mine) != len(theirs):
                    return False
                pending.extend(zip(mine, theirs, strict=True))
            elif a != b:
                return False
        return True

    def __hash__(self) -> int:
        # Equal trees print the same canonical text.
        return hash((type(self).__name__, str(self)))

    def __reduce__(self) -> tuple[object, ...]:
        return (_from_postorder, (_postorder(self),))


def _canonical_parts(node: _Composite) -> tuple[str | Node, ...]:
    return node.parts()


def _repr_parts(node: _Composite) -> tuple[str | Node, ...]:
    return node.repr_parts()


def _write(
    root: Node,
    out: list[str],
    parts: Callable[[_Composite], tuple[str | Node, ...]],
    leaf_text: Callable[[Node], str],
) -> None:
    """Append the text of ``root`` to ``out``, expanding composite nodes with ``parts``."""
    stack: list[str | Node] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, _Composite):
            stack.extend(reversed(parts(item)))
        else:
            out.append(leaf_text(item))


def _evaluate(root: _Composite, labels: Labels) -> bool:
    """``root.matches(labels)`` over an explicit stack: left to right, stopping early like Go."""
    frames: list[tuple[_Composite, int]] = []
    node: Node = root
    while True:
        while isinstance(node, _Composite) and node.children():
            frames.append((node, 0))
            node = node.children()[0]
        result = node.matches(labels)
        while frames:
            parent, index = frames.pop()
            if isinstance(parent, Not):
                result = not result
                continue
            if result is isinstance(parent, Or):  # false under &&, true under ||: decided
                continue
            siblings = parent.children()
            if index + 1 < len(siblings):
                frames.append((parent, index + 1))
                node = siblings[index + 1]
                break
        else:
            return result


def _postorder(root: _Composite) -> list[Node | tuple[type[_Composite], int]]:
    """The tree as leaves and ``(class, operand count)`` markers, children before parents."""
    reversed_order: list[Node | tuple[type[_Composite], int]] = []
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, _Composite):
            children = node.children()
            reversed_order.append((type(node), len(children)))
            stack.extend(children)
        else:
            reversed_order.append(node)
    reversed_order.reverse()
    return reversed_order


def _from_postorder(items: list[Node | tuple[type[_Composite], int]]) -> Node:
    """The inverse of :func:`_postorder` (how composite nodes unpickle)."""
    built: list[Node] = []
    for item in items:
        if isinstance(item, Node):
            built.append(item)
            continue
        cls, count = item
        operands = tuple(built[len(built) - count :])
        del built[len(built) - count :]
        built.append(Not(operands[0]) if cls is Not else cls(operands))  # type: ignore[call-arg]
    return built[0]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Not(_Composite):
    """``!operand``."""

    operand: Node

    def __post_init__(self) -> None:
        operand = self.operand
        object.__setattr__(self, "depth", operand.depth + 1 if isinstance(operand, _Composite) else 2)

    def matches(self, labels: Labels) -> bool:
        if self.depth > RECURSION_DEPTH:
            return _evaluate(self, labels)
        return not self.operand.matches(labels)

    def fragments(self, out: list[str]) -> None:
        if self.depth > RECURSION_DEPTH:
            _write(self, out, _canonical_parts, str)
            return
        out.append("!")
        self.operand.fragments(out)

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)

    def parts(self) -> tuple[str | Node, ...]:
        return ("!", self.operand)

    def repr_parts(self) -> tuple[str | Node, ...]:
        return ("Not(operand=", self.operand, ")")


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class _Junction(_Composite):
    """Two or more operands joined by one operator, written in parentheses."""

    operands: tuple[Node, ...]
    joiner: ClassVar[str] = ""

    def __post_init__(self) -> None:
        deepest = 0
        for operand in self.operands:
            depth = operand.depth if isinstance(operand, _Composite) else 1
            if depth > deepest:
                deepest = depth
        object.__setattr__(self, "depth", deepest + 1)

    def fragments(self, out: list[str]) -> None:
        if self.depth > RECURSION_DEPTH:
            _write(self, out, _canonical_parts, str)
            return
        out.append("(")
        first = True
        for operand in self.operands:
            if first:
                first = False
            else:
                out.append(self.joiner)
            operand.fragments(out)
        out.append(")")

    def children(self) -> tuple[Node, ...]:
        return self.operands

    def parts(self) -> tuple[str | Node, ...]:
        pieces: list[str | Node] = ["("]
        for index, operand in enumerate(self.operands):
            if index:
                pieces.append(self.joiner)
            pieces.append(operand)
        pieces.append(")")
        return tuple(pieces)

    def repr_parts(self) -> tuple[str | Node, ...]:
        pieces: list[str | Node] = [f"{type(self).__name__}(operands=("]
        for index, operand in enumerate(self.operands):
            if index:
                pieces.append(", ")
            pieces.append(operand)
        # A 1-tuple keeps its comma, as Python writes it.
        pieces.append(",))" if len(self.operands) == 1 else "))")
        return tuple(pieces)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class And(_Junction):
    """``a && b && ...`` with two or more operands; short-circuits."""

    joiner: ClassVar[str] = " && "

    def matches(self, labels: Labels) -> bool:
        if self.depth > RECURSION_DEPTH:
            return _evaluate(self, labels)
        # An explicit loop: cheaper than all() over a generator.
        for operand in self.operands:  # noqa: SIM110
            if not operand.matches(labels):
                return False
        return True


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Or(_Junction):
    """``a || b || ...`` with two or more operands; short-circuits."""

    joiner: ClassVar[str] = " || "

    def matches(self, labels: Labels) -> bool:
        if self.depth > RECURSION_DEPTH:
            return _evaluate(self, labels)
        for operand in self.operands:  # noqa: SIM110
            if operand.matches(labels):
                return True
        return False


def make_unique_id(prefix: str, content: str) -> str:
    """libcalico-go ``hash.MakeUniqueID``: ``prefix:`` + unpadded URL-safe base64 SHA-224."""
    digest = hashlib.sha224(f"{prefix}:{content}".encode("utf-8", "surrogatepass")).digest()
    return f"{prefix}:{base64.urlsafe_b64encode(digest).rstrip(b'=').decode('ascii')}"


class Selector:
    """A parsed selector: the root of the syntax tree, immutable and hashable.

    ``str(selector)`` is libcalico-go's canonical ``String()``; two selectors are equal when
    their canonical texts are (as Go's ``Selector.Equal`` compares unique IDs).
    """

    __slots__ = ("_canonical", "_root", "_uid")

    _root: Node
    # Filled in on first use (see __str__ and unique_id): caches of pure functions of the
    # immutable tree, so filling them in lazily is safe, even from several threads.
    _canonical: str
    _uid: str

    def __init__(self, root: Node) -> None:
        object.__setattr__(self, "_root", root)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    @property
    def root(self) -> Node:
        """The root node of the syntax tree."""
        return self._root

    def matches(self, labels: Labels) -> bool:
        """Whether a resource with these labels is selected (Go's ``Evaluate``)."""
        return self._root.matches(labels)

    def __str__(self) -> str:
        try:
            return self._canonical
        except AttributeError:
            canonical = str(self._root)
            object.__setattr__(self, "_canonical", canonical)
            return canonical

    @property
    def canonical(self) -> str:
        """The canonical text, same as ``str(selector)``."""
        return str(self)

    def unique_id(self) -> str:
        """libcalico-go's ``UniqueID()``: ``MakeUniqueID("s", canonical)``."""
        try:
            return self._uid
        except AttributeError:
            uid = make_unique_id("s", str(self))
            object.__setattr__(self, "_uid", uid)
            return uid

    def uses_global(self) -> bool:
        """Whether a ``global()`` term appears anywhere in the selector."""
        return any(isinstance(node, Global) for node in self._root.walk())

    def is_global(self) -> bool:
        """Whether the selector is exactly ``global()`` (possibly in redundant parentheses)."""
        return isinstance(self._root, Global)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Selector):
            return NotImplemented
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return f"Selector({str(self)!r})"

    def __reduce__(self) -> tuple[type[Selector], tuple[Node]]:
        return (Selector, (self._root,))
