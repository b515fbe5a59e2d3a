"""Kibana's serialized ``KueryNode`` shape, for trees that cross a process boundary.

Kibana callers may hand ``find`` an already-built node tree instead of a string; over HTTP
or from stored state that tree arrives as JSON: ``{"type": "function", "function": "is",
"arguments": [...]}``, literals ``{"type": "literal", "value": ..., "isQuoted": ...}`` and
wildcards ``{"type": "wildcard", "value": "jo@kuery-wildcard@"}``. These two functions
convert between that shape and :mod:`.nodes`.

Trees written by older Kibanas may give ``is`` a third argument, the literal ``isPhrase``
flag of Kibana 7.x (``{"type": "literal", "value": true}``). Current Kibana reads only the
field and the value (a phrase is a quoted value now), so the flag is accepted and dropped.
"""

from __future__ import annotations

import typing
from typing import Any

from kbn_saved_objects.errors import BadRequestError
from kbn_saved_objects.search.kql.nodes import (
    And,
    Exists,
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
from kbn_saved_objects.search.kql.parser import MAX_DEPTH

__all__ = ["KQL_WILDCARD_SYMBOL", "node_from_kuery_json", "node_to_kuery_json"]

KQL_WILDCARD_SYMBOL = "@kuery-wildcard@"
"""Kibana's stand-in for an unescaped ``*`` inside a wildcard node's value."""

_RANGE_OPERATORS: tuple[RangeOperator, ...] = ("gt", "gte", "lt", "lte")


def node_to_kuery_json(node: Node | ValueNode) -> dict[str, Any]:
    """The tree as Kibana's ``fromKueryExpression`` would have returned it."""
    arguments: list[Any] = []
    match node:
        case Literal(value, is_quoted):
            return {"type": "literal", "value": value, "isQuoted": is_quoted}
        case Wildcard(parts):
            return {"type": "wildcard", "value": KQL_WILDCARD_SYMBOL.join(parts)}
        case Is(field, value):
            arguments = [node_to_kuery_json(field), node_to_kuery_json(value)]
        case Range(field, operator, value):
            arguments = [node_to_kuery_json(field), operator, node_to_kuery_json(value)]
        case Exists(field):
            arguments = [node_to_kuery_json(field)]
        case Nested(path, child):
            arguments = [node_to_kuery_json(path), node_to_kuery_json(child)]
        case Not(child):
            arguments = [node_to_kuery_json(child)]
        case And(children) | Or(children):
            for child in children:  # a loop, not a comprehension: one stack frame per level
                arguments.append(node_to_kuery_json(child))
    return {"type": "function", "function": node.function, "arguments": arguments}


def node_from_kuery_json(data: Any) -> Node:
    """Read a serialized ``KueryNode``; anything else is a 400 naming what is wrong."""
    node = _read(data, "$", 1)
    if isinstance(node, Literal | Wildcard):
        raise _invalid("$", "expected a function node")
    return node


_ARITY = {"is": 2, "range": 3, "exists": 1, "nested": 2, "not": 1, "and": None, "or": None}


def _read(data: Any, where: str, depth: int) -> Node | ValueNode:
    """Read the node at ``where``, ``depth`` function nodes down (the root is 1)."""
    if not isinstance(data, dict):
        raise _invalid(where, "expected an object")
    kind = data.get("type")
    if kind == "literal":
        value = data.get("value")
        if not isinstance(value, str | bool | int | float) and value is not None:
            raise _invalid(where, "a literal value is a string, number, boolean or null")
        return Literal(value, bool(data.get("isQuoted", False)))
    if kind == "wildcard":
        value = data.get("value")
        if not isinstance(value, str):
            raise _invalid(where, "a wildcard value is a string")
        if KQL_WILDCARD_SYMBOL in value:
            return Wildcard(tuple(value.split(KQL_WILDCARD_SYMBOL)))
        if "*" in value:  # built by hand: Kibana's buildNode accepts plain stars too
            return Wildcard.from_pattern(value)
        return Literal(value)
    if kind != "function":
        raise _invalid(where, f"unknown node type {kind!r}")
    if depth > MAX_DEPTH:
        raise _invalid(where, f"function nodes nest deeper than {MAX_DEPTH} levels")
    name = data.get("function")
    arguments = data.get("arguments")
    if name not in _ARITY:
        raise _invalid(where, f"unknown KQL function {name!r}")
    if not isinstance(arguments, list):
        raise _invalid(where, "function arguments are a list")
    if name == "is" and len(arguments) == 3:
        _legacy_phrase_flag(arguments[2], f"{where}.arguments[2]", depth + 1)
        arguments = arguments[:2]
    arity = _ARITY[name]
    if arity is not None and len(arguments) != arity:
        raise _invalid(where, f"{name} takes {arity} arguments, not {len(arguments)}")
    nodes: list[Any] = []
    for index, argument in enumerate(arguments):  # one stack frame per tree level
        if name == "range" and index == 1:
            nodes.append(argument)
        else:
            nodes.append(_read(argument, f"{where}.arguments[{index}]", depth + 1))
    return _function(name, nodes, where)


def _legacy_phrase_flag(data: Any, where: str, depth: int) -> None:
    """Check the legacy third argument of ``is``; its value is ignored, as in Kibana."""
    if not isinstance(_read(data, where, depth), Literal):
        raise _invalid(where, "the third argument of is (the legacy isPhrase flag) is a literal")


def _function(name: str, arguments: list[Any], where: str) -> Node:
    def value(index: int) -> ValueNode:
        if not isinstance(arguments[index], Literal | Wildcard):
            raise _invalid(f"{where}.arguments[{index}]", "expected a literal or wildcard")
        return typing.cast(ValueNode, arguments[index])

    def function(index: int) -> Node:
        if isinstance(arguments[index], Literal | Wildcard):
            raise _invalid(f"{where}.arguments[{index}]", "expected a function node")
        return typing.cast(Node, arguments[index])

    if name == "is":
        return Is(value(0), value(1))
    if name == "range":
        if arguments[1] not in _RANGE_OPERATORS:
            raise _invalid(where, f"range operator is one of {', '.join(_RANGE_OPERATORS)}")
        return Range(value(0), arguments[1], value(2))
    if name == "exists":
        return Exists(value(0))
    if name == "nested":
        return Nested(value(0), function(1))
    if name == "not":
        return Not(function(0))
    children = tuple(function(index) for index in range(len(arguments)))
    return And(children) if name == "and" else Or(children)


def _invalid(where: str, problem: str) -> BadRequestError:
    return BadRequestError(reason=f"Invalid KQL node at {where}: {problem}")
