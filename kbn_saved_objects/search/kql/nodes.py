"""The KQL node tree: immutable values that parsing produces and every later pass reads.

Kibana represents a parsed expression as loosely typed ``{type, function, arguments}``
objects and rewrites them in place. Here each KQL function is its own frozen dataclass, so
a pass (the saved-objects filter validation, the conversion to query DSL, the printer) can
``match`` on the class, read the field name by name and build a changed copy with
:func:`dataclasses.replace` or :func:`transform` -- a caller's tree is never mutated.

Value nodes (:class:`Literal`, :class:`Wildcard`) are the arguments of the function nodes
(:class:`Is`, :class:`Range`, :class:`Exists`, :class:`And`, :class:`Or`, :class:`Not`,
:class:`Nested`), exactly as in Kibana's ``nodeTypes``::

    match node:
        case Is(field=Literal(value=None), value=value):   # value-only: ``hello``
            ...
        case Range(operator="gt") | Is() | Exists() | Nested():
            node.field_name                                 # "dashboard.attributes.title"
"""

from __future__ import annotations

import math
import re
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import ClassVar, TypeAlias

__all__ = [
    "And",
    "Exists",
    "FunctionNode",
    "Is",
    "Literal",
    "LiteralValue",
    "Nested",
    "Node",
    "Not",
    "Or",
    "Range",
    "RangeOperator",
    "ValueNode",
    "Wildcard",
    "transform",
    "walk",
]

LiteralValue: TypeAlias = str | bool | int | float | None
"""What a literal holds: parsing yields ``str``, ``True``/``False`` or ``None``; numbers
only come from programmatic nodes (Kibana 8.x keeps number-like text as strings)."""

RangeOperator: TypeAlias = typing.Literal["gt", "gte", "lt", "lte"]


def js_string(value: LiteralValue) -> str:
    """``String(value)`` as JavaScript writes it, because Kibana builds field names and
    nested paths with template strings (``${path}.${field}``): ``None`` is ``"null"``."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value).replace("e-0", "e-").replace("e+0", "e+")
    return str(value)


@dataclass(frozen=True, slots=True)
class Literal:
    """A plain value: a field name, a value, a range bound or a nested path.

    ``is_quoted`` remembers ``"..."``: a quoted value is a phrase (``match_phrase``) and
    never a wildcard. ``Literal(None)`` as the field of :class:`Is` means "no field".
    """

    value: LiteralValue
    is_quoted: bool = False

    @property
    def text(self) -> str:
        return js_string(self.value)


@dataclass(frozen=True, slots=True)
class Wildcard:
    """An unquoted value with at least one unescaped ``*``.

    The text is kept as the pieces *between* the wildcards (``jo*`` is ``("jo", "")``), so
    an escaped ``\\*`` stays an ordinary character and no marker string can be confused
    with user text (Kibana splices ``@kuery-wildcard@`` into the value instead).
    """

    parts: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.parts) < 2:
            raise ValueError("a wildcard has at least one '*', i.e. two parts")

    @classmethod
    def from_pattern(cls, pattern: str) -> Wildcard:
        """``"machine*"`` -> a wildcard; every ``*`` in ``pattern`` is a wildcard."""
        return cls(tuple(pattern.split("*")))

    @property
    def text(self) -> str:
        """The pattern with ``*`` for each wildcard (Kibana's ``toElasticsearchQuery``)."""
        return "*".join(self.parts)

    @property
    def is_lone(self) -> bool:
        """Just ``*``: as a value it means "the field exists", as a field "all fields"."""
        return self.parts == ("", "")

    @property
    def has_leading_wildcard(self) -> bool:
        return not self.is_lone and self.parts[0] == ""

    def to_query_string(self) -> str:
        """The pattern for a ``query_string`` query: reserved characters escaped, wildcards
        kept. ``C:/logs*`` becomes ``C\\:\\/logs*``."""
        return "*".join(_QUERY_STRING_RESERVED.sub(r"\\\g<0>", part) for part in self.parts)

    def matches(self, text: str) -> bool:
        """Whether ``text`` fits the pattern, each ``*`` standing for any run of characters
        (Kibana's ``wildcard.test``, used to expand wildcard field names)."""
        regex = "[\\s\\S]*".join(re.escape(part) for part in self.parts)
        return re.fullmatch(regex, text) is not None


_QUERY_STRING_RESERVED = re.compile(r'[+\-=&|><!(){}\[\]^"~*?:\\/]')

ValueNode: TypeAlias = Literal | Wildcard


class FunctionNode:
    """What every function node offers a generic pass: its Kibana function name, its child
    function nodes, and a copy with other children."""

    __slots__ = ()
    function: ClassVar[str]

    @property
    def children(self) -> tuple[Node, ...]:
        return ()

    def with_children(self, children: tuple[Node, ...]) -> Node:
        if children:
            raise ValueError(f"{self.function} has no child nodes")
        return typing.cast("Node", self)


class _FieldNode(FunctionNode):
    """A function node whose first argument names a field (or, for nested, a path): the
    key the saved-objects filter validation checks and rewrites."""

    __slots__ = ()

    @property
    def field_node(self) -> ValueNode:
        raise NotImplementedError

    @property
    def field_name(self) -> str | None:
        """The field as a string (wildcards as ``*``), ``None`` for a value-only query."""
        field = self.field_node
        if isinstance(field, Literal) and field.value is None:
            return None
        return field.text

    def with_field_name(self, name: str) -> Node:
        """A copy naming another field. If the field was a wildcard, ``*`` in ``name`` stays
        a wildcard; otherwise ``name`` is taken literally (keeping ``is_quoted``)."""
        field = self.field_node
        new: ValueNode
        if isinstance(field, Wildcard) and "*" in name:
            new = Wildcard.from_pattern(name)
        else:
            new = Literal(name, field.is_quoted if isinstance(field, Literal) else False)
        return self._with_field(new)

    def _with_field(self, field: ValueNode) -> Node:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Is(_FieldNode):
    """``field: value``; ``Literal(None)`` as field for a value-only query (``hello``),
    a lone :class:`Wildcard` as value for "field exists" (``field: *``)."""

    field: ValueNode
    value: ValueNode
    function: ClassVar[str] = "is"

    @property
    def field_node(self) -> ValueNode:
        return self.field

    def _with_field(self, field: ValueNode) -> Node:
        return replace(self, field=field)


@dataclass(frozen=True, slots=True)
class Range(_FieldNode):
    """``field > value`` and friends; the operator is Elasticsearch's name for it."""

    field: ValueNode
    operator: RangeOperator
    value: ValueNode
    function: ClassVar[str] = "range"

    @property
    def field_node(self) -> ValueNode:
        return self.field

    def _with_field(self, field: ValueNode) -> Node:
        return replace(self, field=field)


@dataclass(frozen=True, slots=True)
class Exists(_FieldNode):
    """``exists(field)``: never produced by the parser (``field: *`` is an :class:`Is`),
    only built programmatically, as in Kibana."""

    field: ValueNode
    function: ClassVar[str] = "exists"

    @property
    def field_node(self) -> ValueNode:
        return self.field

    def _with_field(self, field: ValueNode) -> Node:
        return replace(self, field=field)


@dataclass(frozen=True, slots=True)
class Nested(_FieldNode):
    """``path: { child }``; inside, field names are relative to ``path``."""

    path: ValueNode
    child: Node
    function: ClassVar[str] = "nested"

    @property
    def field_node(self) -> ValueNode:
        return self.path

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.child,)

    def with_children(self, children: tuple[Node, ...]) -> Node:
        (child,) = children
        return replace(self, child=child)

    def _with_field(self, field: ValueNode) -> Node:
        return replace(self, path=field)


@dataclass(frozen=True, slots=True)
class And(FunctionNode):
    """All children must match. A chain ``a and b and c`` is one node with three children;
    parentheses keep their own node."""

    children: tuple[Node, ...]
    function: ClassVar[str] = "and"

    def with_children(self, children: tuple[Node, ...]) -> Node:
        return replace(self, children=tuple(children))


@dataclass(frozen=True, slots=True)
class Or(FunctionNode):
    """At least one child must match."""

    children: tuple[Node, ...]
    function: ClassVar[str] = "or"

    def with_children(self, children: tuple[Node, ...]) -> Node:
        return replace(self, children=tuple(children))


@dataclass(frozen=True, slots=True)
class Not(FunctionNode):
    """The child must not match."""

    child: Node
    function: ClassVar[str] = "not"

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.child,)

    def with_children(self, children: tuple[Node, ...]) -> Node:
        (child,) = children
        return replace(self, child=child)


Node: TypeAlias = Is | Range | Exists | Nested | And | Or | Not
"""A KQL expression: what :func:`~kbn_saved_objects.search.kql.parse_kql` returns."""


def walk(node: Node) -> Iterator[Node]:
    """Every function node of the tree, parents before children, left to right."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def transform(node: Node, rewrite: Callable[[Node], Node]) -> Node:
    """Rebuild the tree bottom-up: children first, then ``rewrite`` on each rebuilt node.

    ``rewrite`` returns its argument to keep a node or another node to replace it (e.g.
    ``And((Is(Literal("type"), Literal("foo")), node))``). Unchanged subtrees are shared,
    the input tree is left as it was.
    """
    children = node.children
    if children:
        new_children = []
        for child in children:  # a loop, not a generator: one stack frame per level
            new_children.append(transform(child, rewrite))
        if any(new is not old for new, old in zip(new_children, children, strict=True)):
            node = node.with_children(tuple(new_children))
    return rewrite(node)
