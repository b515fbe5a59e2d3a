"""KQL, the Kibana Query Language: parse it, walk the tree, turn it into query DSL.

``find(filter=...)`` accepts KQL such as ``dashboard.attributes.title: "Q1" and
dashboard.updated_at > "2024-01-01"``. This package is the pure part of that path::

    node = parse_kql('status: (active or pending) and not owner: bob*')
    query = to_dsl(node)      # {"bool": {"filter": [...]}}, as Kibana builds it
    text = to_kql(node)       # parses back to an equal tree

Syntax errors raise :class:`~kbn_saved_objects.errors.KQLSyntaxError`, a 400 bad request
with Kibana's message (what was expected, what was found, a caret under the position).
The node classes are immutable; passes such as the saved-objects filter validation
rewrite them with :func:`transform` or :func:`dataclasses.replace`.
"""

from kbn_saved_objects.errors import KQLSyntaxError
from kbn_saved_objects.search.kql.builders import (
    build_exists,
    build_is,
    build_nested,
    build_range,
)
from kbn_saved_objects.search.kql.dsl import to_dsl
from kbn_saved_objects.search.kql.escaping import escape_kuery, escape_quotes
from kbn_saved_objects.search.kql.kuery_json import (
    KQL_WILDCARD_SYMBOL,
    node_from_kuery_json,
    node_to_kuery_json,
)
from kbn_saved_objects.search.kql.nodes import (
    And,
    Exists,
    FunctionNode,
    Is,
    Literal,
    LiteralValue,
    Nested,
    Node,
    Not,
    Or,
    Range,
    RangeOperator,
    ValueNode,
    Wildcard,
    transform,
    walk,
)
from kbn_saved_objects.search.kql.parser import MATCH_ALL, parse_kql, parse_literal
from kbn_saved_objects.search.kql.printer import to_kql

__all__ = [
    "KQL_WILDCARD_SYMBOL",
    "MATCH_ALL",
    "And",
    "Exists",
    "FunctionNode",
    "Is",
    "KQLSyntaxError",
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
    "build_exists",
    "build_is",
    "build_nested",
    "build_range",
    "escape_kuery",
    "escape_quotes",
    "node_from_kuery_json",
    "node_to_kuery_json",
    "parse_kql",
    "parse_literal",
    "to_dsl",
    "to_kql",
    "transform",
    "walk",
]
