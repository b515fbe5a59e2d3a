"""``parse_kql``: KQL text to a node tree, as Kibana's ``fromKueryExpression`` does.

The lark parser (:mod:`.grammar`) recognises the language; this module turns tokens into
nodes while the parser reduces: it decodes escapes, trims unquoted text, recognises
``null``/``true``/``false`` and wildcards, and expands ``field:(a or not b)`` into one
``is`` per value. Every failure, whatever the input string, is a
:class:`~kbn_saved_objects.errors.KQLSyntaxError`.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from typing import Any, TypeAlias

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedInput

from kbn_saved_objects.search.kql.grammar import LITERAL_PATTERN, QUOTED_PATTERN, build_parser
from kbn_saved_objects.search.kql.nodes import (
    And,
    Is,
    Literal,
    Nested,
    Node,
    Not,
    Or,
    Range,
    RangeOperator,
    ValueNode,
    Wildcard,
)
from kbn_saved_objects.search.kql.syntax_errors import (
    expected_message,
    kql_syntax_error,
    syntax_error_from_lark,
)

__all__ = ["LEADING_WILDCARDS_DISABLED", "MATCH_ALL", "MAX_DEPTH", "parse_kql", "parse_literal"]

MATCH_ALL = Is(Wildcard(("", "")), Wildcard(("", "")))
"""What an empty (or blank) expression parses to: ``*: *``, converted to ``match_all``."""

MAX_DEPTH = 100
"""The deepest tree (in function nodes, ``a: 1`` being 1) a KQL expression may build.

Kibana's recursive parser has no explicit limit; it overflows its stack somewhere near a
thousand nested groups. Here the limit is explicit and counts nodes, not brackets, so
that text printed from any parsed tree parses again: converting or printing the deepest
tree takes about 110 levels of Python recursion, comparing it (dataclass equality
recurses through tuples) about 360 -- inside the default limit of 1000 with room for a
deep caller. Redundant parentheses cost nothing: ``((((a))))`` is one level.
"""

LEADING_WILDCARDS_DISABLED = (
    "Leading wildcards are disabled. See query:allowLeadingWildcards in Advanced Settings."
)

# JavaScript's String.prototype.trim() removes exactly these (not Python's str.isspace set).
_JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_UNQUOTED_UNIT = re.compile(
    r"\\[trn]|\\u[0-9a-fA-F]{4}|\\(?:[oO][rR]|[aA][nN][dD]|[nN][oO][tT])|\\.|\*|[^\\*]+",
    re.DOTALL,
)
_QUOTED_UNIT = re.compile(r"\\[trn]|\\u[0-9a-fA-F]{4}|\\[\\\"]|[^\\]+|\\", re.DOTALL)
_CONTROL_ESCAPES = {"\\t": "\t", "\\r": "\r", "\\n": "\n"}
_SURROGATE = re.compile("[\ud800-\udfff]")
_RANGE_OPERATORS: dict[str, RangeOperator] = {"<=": "lte", ">=": "gte", "<": "lt", ">": "gt"}
_KEYWORD_LITERALS: dict[str, bool | None] = {"null": None, "true": True, "false": False}
_LITERAL = re.compile(f"{QUOTED_PATTERN}|{LITERAL_PATTERN}")


def parse_kql(expression: str, *, allow_leading_wildcards: bool = True) -> Node:
    """Parse a KQL expression into a node tree.

    An empty or blank expression is :data:`MATCH_ALL`. ``allow_leading_wildcards=False``
    rejects values such as ``*ing`` (Kibana's ``query:allowLeadingWildcards`` setting).
    Raises :class:`~kbn_saved_objects.errors.KQLSyntaxError` (a 400 bad request) for any
    expression that does not parse, with Kibana's message and the failure position.
    """
    if not isinstance(expression, str):
        raise TypeError(f"a KQL expression is a string, not {type(expression).__name__}")
    parser = _PARSERS[allow_leading_wildcards]
    try:
        node = typing.cast(Node, parser.parse(expression))
    except UnexpectedInput as error:
        raise syntax_error_from_lark(error, expression, parser) from None
    except _Rejected as error:
        offset = error.token.start_pos or 0
        raise kql_syntax_error(expression, offset, error.message) from None
    return node


def parse_literal(text: str) -> ValueNode:
    """Read ``text`` as one KQL literal (Kibana's ``fromLiteralExpression``).

    This is how Kibana's node builders interpret strings: ``"machine*"`` is a wildcard,
    ``'"200"'`` a quoted literal, ``"true"`` the boolean, ``"a\\:b"`` the text ``a:b``.
    """
    match = _LITERAL.match(text)
    end = match.end() if match else 0
    if match is None or end < len(text):
        expected = ("end of input",) if match else ("literal",)
        found = text[end] if end < len(text) else None
        raise kql_syntax_error(text, end, expected_message(expected, found), expected)
    return _decode(match.group())


def _decode(raw: str) -> ValueNode:
    return _decode_quoted(raw) if raw.startswith('"') else _decode_unquoted(raw)


def _decode_quoted(raw: str) -> Literal:
    body = raw[1:-1]
    if "\\" in body:
        body = "".join(_quoted_unit(unit) for unit in _QUOTED_UNIT.findall(body))
    return Literal(_join_surrogates(body), is_quoted=True)


def _quoted_unit(unit: str) -> str:
    if unit in _CONTROL_ESCAPES:
        return _CONTROL_ESCAPES[unit]
    if unit.startswith("\\u"):
        return chr(int(unit[2:], 16))
    if len(unit) == 2 and unit[0] == "\\":
        return unit[1]
    return unit


def _decode_unquoted(raw: str) -> ValueNode:
    """Decode escapes, then trim as JavaScript does; a ``*`` that was not escaped makes the
    value a wildcard, otherwise ``null``/``true``/``false`` become the JSON values."""
    if "\\" not in raw and "*" not in raw:
        parts = [raw]
    else:
        parts = []
        current: list[str] = []
        for unit in _UNQUOTED_UNIT.findall(raw):
            if unit == "*":
                parts.append("".join(current))
                current = []
            else:
                current.append(_unquoted_unit(unit))
        parts.append("".join(current))
    parts[0] = parts[0].lstrip(_JS_WHITESPACE)
    parts[-1] = parts[-1].rstrip(_JS_WHITESPACE)
    if len(parts) > 1:
        return Wildcard(tuple(_join_surrogates(part) for part in parts))
    text = _join_surrogates(parts[0])
    if text in _KEYWORD_LITERALS:
        return Literal(_KEYWORD_LITERALS[text])
    return Literal(text)


def _unquoted_unit(unit: str) -> str:
    if unit[0] != "\\":
        return unit
    if unit in _CONTROL_ESCAPES:
        return _CONTROL_ESCAPES[unit]
    if len(unit) == 6 and unit[1] == "u":
        return chr(int(unit[2:], 16))
    return unit[1:]


def _join_surrogates(text: str) -> str:
    """``\\ud83d\\ude00`` escapes form one character, as in a JavaScript string."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


class _Rejected(Exception):
    """Raised while reducing, for a construct the grammar accepts but the parser may not."""

    def __init__(self, token: Token, message: str) -> None:
        super().__init__(message)
        self.token = token
        self.message = message


@dataclass(frozen=True, slots=True)
class _AnyOf:
    options: tuple[_ValueList, ...]


@dataclass(frozen=True, slots=True)
class _AllOf:
    options: tuple[_ValueList, ...]


@dataclass(frozen=True, slots=True)
class _NoneOf:
    option: _ValueList


_ValueList: TypeAlias = ValueNode | _AnyOf | _AllOf | _NoneOf
"""The right-hand side of ``field: (a or not b)``, waiting for its field."""


def _apply(values: _ValueList, field: ValueNode) -> Node:
    if isinstance(values, _NoneOf):
        return Not(_apply(values.option, field))
    if isinstance(values, _AnyOf | _AllOf):
        nodes = []
        for option in values.options:  # a loop, not a generator: one stack frame per level
            nodes.append(_apply(option, field))
        return Or(tuple(nodes)) if isinstance(values, _AnyOf) else And(tuple(nodes))
    return Is(field, values)


_Built: TypeAlias = tuple[Node, int]
"""A subtree and its depth, as the reductions pass them up."""
_BuiltList: TypeAlias = tuple[_ValueList, int]


def _deeper(depth: int, children: list[Any]) -> int:
    """``depth``, after checking it against :data:`MAX_DEPTH` (blaming the first token
    among ``children``: the bracket, keyword or colon that opened the level)."""
    if depth > MAX_DEPTH:
        token = next(child for child in children if isinstance(child, Token))
        raise _Rejected(token, f"Expressions may nest at most {MAX_DEPTH} levels deep.")
    return depth


def _operands(children: list[Any]) -> list[Any]:
    return [child for child in children if not isinstance(child, Token)]


class _TreeBuilder(Transformer[Token, Any]):
    """Builds nodes as the LALR parser reduces (one method per grammar rule or alias).

    Query-level reductions return ``(node, depth)`` so that depth is checked as the tree
    grows, without a second pass.
    """

    def __init__(self, allow_leading_wildcards: bool) -> None:
        super().__init__()
        self._allow_leading_wildcards = allow_leading_wildcards

    def start(self, children: list[_Built | None]) -> Node:
        (query,) = children
        return MATCH_ALL if query is None else query[0]

    def query(self, children: list[Any]) -> _Built:
        return self._chain(Or, children)

    def and_query(self, children: list[Any]) -> _Built:
        return self._chain(And, children)

    @staticmethod
    def _chain(kind: type[And] | type[Or], children: list[Any]) -> _Built:
        operands: list[_Built] = _operands(children)
        if len(operands) == 1:
            return operands[0]
        depth = _deeper(1 + max(depth for _, depth in operands), children)
        return kind(tuple(node for node, _ in operands)), depth

    def negation(self, children: list[Any]) -> _Built:
        node, depth = children[1]
        return Not(node), _deeper(depth + 1, children)

    def not_query(self, children: list[Any]) -> _Built:
        return children[0]  # type: ignore[no-any-return]

    def group(self, children: list[Any]) -> _Built:
        return children[1]  # type: ignore[no-any-return]

    def nested(self, children: list[Any]) -> _Built:
        path, _colon, _brace, (query, depth), _close = children
        return Nested(path, query), _deeper(depth + 1, children)

    def range(self, children: list[Any]) -> _Built:
        field, operator, value = children
        return Range(field, _RANGE_OPERATORS[operator.value], value), 1

    def field_is(self, children: list[Any]) -> _Built:
        field, _colon, (values, depth) = children
        return _apply(values, field), _deeper(depth + 1, children)

    def value_is(self, children: list[Any]) -> _Built:
        return Is(Literal(None), children[0]), 1

    def field(self, children: list[Token]) -> ValueNode:
        return _decode(children[0].value)

    def value(self, children: list[Token]) -> ValueNode:
        return self._value(children[0])

    def list_value(self, children: list[Token]) -> _BuiltList:
        return self._value(children[0]), 0

    def range_literal(self, children: list[Token]) -> ValueNode:
        return _decode(children[0].value)

    def list_group(self, children: list[Any]) -> _BuiltList:
        return children[1]  # type: ignore[no-any-return]

    def or_list(self, children: list[Any]) -> _BuiltList:
        return self._list_chain(_AnyOf, children)

    def and_list(self, children: list[Any]) -> _BuiltList:
        return self._list_chain(_AllOf, children)

    @staticmethod
    def _list_chain(kind: type[_AnyOf] | type[_AllOf], children: list[Any]) -> _BuiltList:
        options: list[_BuiltList] = _operands(children)
        if len(options) == 1:
            return options[0]
        depth = _deeper(1 + max(depth for _, depth in options), children)
        return kind(tuple(option for option, _ in options)), depth

    def list_negation(self, children: list[Any]) -> _BuiltList:
        option, depth = children[1]
        return _NoneOf(option), _deeper(depth + 1, children)

    def not_list(self, children: list[Any]) -> _BuiltList:
        return children[0]  # type: ignore[no-any-return]

    def _value(self, token: Token) -> ValueNode:
        value = _decode(token.value)
        if (
            not self._allow_leading_wildcards
            and isinstance(value, Wildcard)
            and value.has_leading_wildcard
        ):
            raise _Rejected(token, LEADING_WILDCARDS_DISABLED)
        return value


class _Parsers(dict[bool, Lark]):
    """One compiled parser per ``allow_leading_wildcards`` value, built on first use."""

    def __missing__(self, allow_leading_wildcards: bool) -> Lark:
        parser = build_parser(_TreeBuilder(allow_leading_wildcards))
        self[allow_leading_wildcards] = parser
        return parser


_PARSERS = _Parsers()
