"""Building node trees in code, with the argument handling of Kibana's ``buildNode``.

Kibana's own callers (legacy URL aliases, ``createPointInTimeFinder`` users) build filters
as trees rather than text: ``nodeTypes.function.buildNode('is', field, escapeKuery(id))``.
These functions do the same: a *string* field or value is read as a KQL literal (so
``"title*"`` is a wildcard, ``'"x"'`` a phrase and escapes apply); any other value becomes
a plain literal as is. Use :func:`~kbn_saved_objects.search.kql.escape_kuery` on text that
must be taken literally.
"""

from __future__ import annotations

from kbn_saved_objects.search.kql.nodes import (
    Exists,
    Is,
    Literal,
    LiteralValue,
    Nested,
    Node,
    Range,
    RangeOperator,
    ValueNode,
)
from kbn_saved_objects.search.kql.parser import parse_literal

__all__ = ["build_exists", "build_is", "build_nested", "build_range"]


def build_is(field: LiteralValue, value: LiteralValue) -> Is:
    """``is(field, value)``: ``build_is("type", "dashboard")``, ``build_is(None, "text")``."""
    return Is(_read(field), _read(value))


def build_range(field: str, operator: RangeOperator, value: LiteralValue) -> Range:
    """``range(field, operator, value)``; as in Kibana the value is never parsed."""
    return Range(parse_literal(field), operator, Literal(value))


def build_exists(field: str) -> Exists:
    """``exists(field)``, the field taken literally."""
    return Exists(Literal(field))


def build_nested(path: LiteralValue, child: Node) -> Nested:
    """``nested(path, child)``: the fields inside ``child`` are relative to ``path``."""
    return Nested(_read(path), child)


def _read(value: LiteralValue) -> ValueNode:
    return parse_literal(value) if isinstance(value, str) else Literal(value)
