"""``to_kql``: a node tree back to KQL text, in the layout of Kibana's ``toKqlExpression``.

``and``/``or`` groups are parenthesized and keywords upper-case:
``(field: value AND NOT other: "x")``. Unlike Kibana's printer, the text always parses back
to an equal tree for any tree :func:`~kbn_saved_objects.search.kql.parse_kql` produced:
wildcard text is escaped with KQL's escapes (Kibana uses ``query_string`` escapes such as
``\\-``, which KQL rejects), a negated negation keeps its parentheses, and literals use
:func:`~kbn_saved_objects.search.kql.escape_kuery`.
"""

from __future__ import annotations

from kbn_saved_objects.search.kql.escaping import escape_kuery, escape_quotes
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
    ValueNode,
    Wildcard,
    js_string,
)

__all__ = ["to_kql"]

_OPERATOR_SIGNS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def to_kql(node: Node | ValueNode) -> str:
    """KQL text for ``node``. Raises ``ValueError`` for an ``and``/``or`` without
    children, which no KQL text expresses."""
    match node:
        case Literal(value, is_quoted=True):
            return f'"{escape_quotes(js_string(value))}"'
        case Literal(value):
            # An empty unquoted value (from ``field: \t``) needs a character that trims away.
            return _escape_before_space(js_string(value)) or "\\t"
        case Is(Literal(None), value):
            return to_kql(value)
        case Is(field, value):
            return f"{to_kql(field)}: {to_kql(value)}"
        case Range(field, operator, value):
            return f"{to_kql(field)} {_OPERATOR_SIGNS[operator]} {to_kql(value)}"
        case Exists(field):
            return f"{to_kql(field)}: *"
        case Nested(path, child):
            return f"{to_kql(path)}: {{ {to_kql(child)} }}"
        case Not(Not() as child):
            return f"NOT ({to_kql(child)})"
        case Not(child):
            return f"NOT {to_kql(child)}"
        case And(children) | Or(children):
            if not children:
                raise ValueError(f"an empty {node.function} has no KQL spelling")
            texts = []
            for child in children:  # a loop, not a generator: one stack frame per level
                texts.append(to_kql(child))
            return "(" + f" {node.function.upper()} ".join(texts) + ")"
        case Wildcard(parts):
            *inner, last = parts
            return "*".join([*map(escape_kuery, inner), _escape_before_space(last)])
    raise TypeError(f"not a KQL node: {node!r}")


def _escape_before_space(text: str) -> str:
    """Escape ``text`` knowing that a space may follow it (``value AND ...``): a trailing
    ``not`` or `` or`` would otherwise become a keyword."""
    return escape_kuery(text + " ")[:-1]
