"""``to_dsl``: a KQL node tree as Elasticsearch query DSL, shaped as Kibana shapes it.

This is Kibana's ``toElasticsearchQuery(node)`` *without an index pattern*, which is how
the saved-objects repository calls it (``query_params.ts`` passes only the node). Without
field types, every ``is`` becomes ``match``/``match_phrase`` (or ``query_string`` for a
wildcard, ``exists`` for ``field: *``), never ``term``/``wildcard`` or a date range, and
field names are used as written. Key order follows Kibana's objects, so a request
serializes byte for byte like Kibana's.

Inside ``nested``, field names are prefixed with the full nested path. Kibana builds
those names with JavaScript template strings and truthiness tests; the oddities this
brings for unusual paths (``null``, ``""``) are reproduced rather than tidied up, so a
tree converts to exactly what Kibana would send.
"""

from __future__ import annotations

from typing import Any

from kbn_saved_objects.search.kql.nodes import (
    And,
    Exists,
    Is,
    Literal,
    LiteralValue,
    Nested,
    Node,
    Not,
    Or,
    Range,
    ValueNode,
    Wildcard,
    js_string,
)

__all__ = ["to_dsl"]

_OUTSIDE: Any = object()
"""The nested context of a node that is not inside any ``nested`` group."""


def to_dsl(
    node: Node,
    *,
    filters_in_must_clause: bool = False,
    nested_ignore_unmapped: bool | None = None,
) -> dict[str, Any]:
    """The query DSL for ``node``.

    ``filters_in_must_clause`` puts ``and`` children in ``bool.must`` (scoring) instead of
    ``bool.filter``; ``nested_ignore_unmapped`` adds ``ignore_unmapped`` to every
    ``nested`` query. Both default to what saved-objects ``find`` uses (neither).
    """
    return _Converter(filters_in_must_clause, nested_ignore_unmapped).convert(node, _OUTSIDE)


class _Converter:
    def __init__(self, filters_in_must_clause: bool, nested_ignore_unmapped: bool | None):
        self._and_clause = "must" if filters_in_must_clause else "filter"
        self._nested_ignore_unmapped = nested_ignore_unmapped

    def convert(self, node: Node, nested: Any) -> dict[str, Any]:
        # One stack frame per tree level (no helper calls or comprehensions on the way
        # down), so the deepest tree the parser builds converts with room to spare.
        match node:
            case Is():
                return self._is(node, nested)
            case Range(field, operator, value):
                name = _field_name(_in_nested(field, nested))
                return _should({"range": {name: {operator: _es_value(value)}}})
            case Exists(field):
                # Unlike is/range, exists prefixes whenever it is inside nested at all.
                if nested is not _OUTSIDE:
                    field = Literal(f"{js_string(nested)}.{_field_name(field)}")
                return {"exists": {"field": _field_name(field)}}
            case And(children) | Or(children):
                queries = []
                for child in children:
                    queries.append(self.convert(child, nested))
                if isinstance(node, Or):
                    return _should(*queries)
                return {"bool": {self._and_clause: queries}}
            case Not(child):
                return {"bool": {"must_not": self.convert(child, nested)}}
            case Nested(path, child):
                path_value = _es_value(path)
                if nested is not _OUTSIDE and _js_truthy(nested):
                    path_value = f"{js_string(nested)}.{js_string(path_value)}"
                query = {
                    "path": path_value,
                    "query": self.convert(child, path_value),
                    "score_mode": "none",
                }
                if self._nested_ignore_unmapped is not None:
                    query["ignore_unmapped"] = self._nested_ignore_unmapped
                return {"nested": query}
        raise TypeError(f"not a KQL node: {node!r}")

    def _is(self, node: Is, nested: Any) -> dict[str, Any]:
        field, value = node.field, node.value
        value_is_lone_wildcard = isinstance(value, Wildcard) and value.is_lone
        if value_is_lone_wildcard and isinstance(field, Wildcard) and field.is_lone:
            return {"match_all": {}}
        field = _in_nested(field, nested)
        if isinstance(field, Literal) and field.value is None:
            if isinstance(value, Wildcard):
                return {"query_string": {"query": value.to_query_string()}}
            match_type = "phrase" if value.is_quoted else "best_fields"
            return {"multi_match": {"type": match_type, "query": value.value, "lenient": True}}
        name = _field_name(field)
        if value_is_lone_wildcard:
            return _should({"exists": {"field": name}})
        if isinstance(value, Wildcard):
            return _should({"query_string": {"fields": [name], "query": value.to_query_string()}})
        query_type = "match_phrase" if value.is_quoted else "match"
        return _should({query_type: {name: value.value}})


def _should(*queries: dict[str, Any]) -> dict[str, Any]:
    return {"bool": {"should": list(queries), "minimum_should_match": 1}}


def _in_nested(field: ValueNode, nested: Any) -> ValueNode:
    """Kibana's ``getFullFieldNameNode``: ``<path>.<field>`` when the path is truthy."""
    if nested is _OUTSIDE or not _js_truthy(nested):
        return field
    prefix = f"{js_string(nested)}."
    if isinstance(field, Wildcard):
        return Wildcard((prefix + field.parts[0], *field.parts[1:]))
    return Literal(prefix + js_string(field.value), field.is_quoted)


def _es_value(value: ValueNode) -> LiteralValue:
    return value.text if isinstance(value, Wildcard) else value.value


def _field_name(field: ValueNode) -> str:
    """The field as a DSL key: JSON object keys are strings, as in JavaScript."""
    return field.text


def _js_truthy(value: LiteralValue) -> bool:
    return value not in (None, False, "", 0) and value == value  # NaN is falsy
