"""Hypothesis strategies for KQL: well-formed queries, parser-shaped trees, arbitrary text.

Reusable outside these tests -- the engine-backed tests send the DSL of generated queries
to a real engine::

    from tests.search.kql.strategies import kql_queries

    @given(kql_queries(fields=st.sampled_from(["title", "count"]), words=ascii_words()))
    def test_engine_accepts(query): ...

* :func:`kql_queries` -- strings that must parse: every construct (``field: value``,
  quoted phrases, escapes, wildcards, ``field: *``, ``field: (a or not b)``, ranges,
  ``path: { ... }``, ``not``/``and``/``or`` in any case, parentheses, value-only terms)
  with varied whitespace (space, tab, newline, no-break space);
* :func:`kql_trees` -- node trees of the shapes the parser produces (for round trips);
* :func:`kql_like_text` -- text dense in KQL syntax that may or may not parse.
"""

from __future__ import annotations

from hypothesis import strategies as st

from kbn_saved_objects.search.kql import (
    And,
    Is,
    Literal,
    Nested,
    Node,
    Not,
    Or,
    Range,
    ValueNode,
    Wildcard,
)

__all__ = [
    "FIELD_NAMES",
    "ascii_words",
    "kql_like_text",
    "kql_queries",
    "kql_trees",
    "plain_words",
]

FIELD_NAMES = (
    "title",
    "description",
    "type",
    "updated_at",
    "count",
    "dashboard.attributes.title",
    "alert.attributes.actions",
)

_SPECIAL = '\\():<>"*{}'
_KQL_SPACE = " \t\r\n\u00a0"
_JS_TRIMMED = "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(
    chr(code) for code in range(0x2000, 0x200B)
)


def _is_plain_word(word: str) -> bool:
    """A word that never turns into a keyword next to a space (``or``, ``and``, ``...not``)."""
    lowered = word.lower()
    return lowered not in ("or", "and") and not lowered.endswith("not")


def plain_words(*, alphabet: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[str]:
    """Unquoted words without specials or whitespace (any Unicode by default)."""
    characters = (
        alphabet
        if alphabet is not None
        else st.characters(
            exclude_categories=["Cs", "Cc", "Zs", "Zl", "Zp"],
            exclude_characters=_SPECIAL + _KQL_SPACE + _JS_TRIMMED,
        )
    )
    return st.text(characters, min_size=1, max_size=8).filter(_is_plain_word)


def ascii_words() -> st.SearchStrategy[str]:
    """Letters, digits and ``-_.@``: what an engine test can index and find again."""
    return plain_words(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789-_.@"))


def _space(min_size: int = 0) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from(" \t\n\u00a0"), min_size=min_size, max_size=2).map(
        lambda text: text if text or min_size == 0 else " "
    )


def _keyword(word: str) -> st.SearchStrategy[str]:
    return st.sampled_from([word, word.upper(), word.capitalize()])


_ESCAPES = st.sampled_from(
    [*("\\" + char for char in _SPECIAL), "\\u0041", "\\t", "\\or", "\\AND", "\\Not"]
)


def _unquoted(word: st.SearchStrategy[str], *, wildcards: bool) -> st.SearchStrategy[str]:
    piece = st.one_of(word, _ESCAPES, st.just("*")) if wildcards else st.one_of(word, _ESCAPES)
    token = st.lists(piece, min_size=1, max_size=3).map("".join).filter(_is_plain_word)
    return st.lists(token, min_size=1, max_size=3).map(" ".join)


def _quoted() -> st.SearchStrategy[str]:
    body = st.lists(
        st.one_of(
            st.text(st.characters(exclude_categories=["Cs"], exclude_characters='"\\')),
            st.sampled_from(['\\"', "\\\\", "\\t", "\\n", "\\u00e9", "\\x"]),
        ),
        max_size=3,
    )
    return body.map(lambda parts: '"' + "".join(parts) + '"')


def kql_queries(
    *,
    fields: st.SearchStrategy[str] | None = None,
    words: st.SearchStrategy[str] | None = None,
    value_only: bool = True,
    nested: bool = True,
    max_leaves: int = 6,
) -> st.SearchStrategy[str]:
    """KQL strings that parse. ``fields`` supplies field names (default: a few fixed
    names, odd spellings and wildcards), ``words`` the plain words of values;
    ``value_only=False`` leaves out field-less terms, which saved-object filters reject,
    and ``nested=False`` leaves out ``path: { ... }`` groups."""
    word = words if words is not None else plain_words()
    field = fields if fields is not None else _field_names(word)
    value = st.one_of(_unquoted(word, wildcards=True), _quoted())
    literal = st.one_of(_unquoted(word, wildcards=False), _quoted())

    value_list = _wrapped(
        "(",
        st.recursive(
            value,
            lambda values: st.one_of(
                _joined(values, "or"),
                _joined(values, "and"),
                st.tuples(_keyword("not"), _space(1), _wrapped("(", values, ")")).map("".join),
            ),
            max_leaves=3,
        ),
        ")",
    )
    leaves = [
        st.tuples(field, _space(), st.just(":"), _space(), st.one_of(value, value_list)),
        st.tuples(field, _space(), st.sampled_from(["<", "<=", ">", ">="]), _space(), literal),
        st.tuples(field, _space(), st.just(":"), _space(), st.just("*")),
    ]
    leaf = st.one_of([parts.map("".join) for parts in leaves] + ([value] if value_only else []))

    def combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        group = _wrapped("(", children, ")")
        options = [
            _joined(children, "or"),
            _joined(children, "and"),
            st.tuples(_keyword("not"), _space(1), st.one_of(leaf, group)).map("".join),
            group,
        ]
        if nested:
            braces = _wrapped("{", children, "}")
            options.append(st.tuples(field, _space(), st.just(":"), _space(), braces).map("".join))
        return st.one_of(options)

    query = st.recursive(leaf, combine, max_leaves=max_leaves)
    return st.tuples(_space(), query, _space()).map("".join)


def _joined(operands: st.SearchStrategy[str], keyword: str) -> st.SearchStrategy[str]:
    return st.tuples(operands, _space(1), _keyword(keyword), _space(1), operands).map("".join)


def _wrapped(open_: str, inner: st.SearchStrategy[str], close: str) -> st.SearchStrategy[str]:
    return st.tuples(_space(), inner, _space()).map(
        lambda parts: f"{open_}{parts[0]}{parts[1]}{parts[2]}{close}"
    )


def _field_names(word: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(FIELD_NAMES),
        st.lists(word, min_size=1, max_size=3).map(".".join),
        st.sampled_from(["machine*", "*", "*.title", '"quoted field"', "with\\:colon"]),
    )


def kql_like_text() -> st.SearchStrategy[str]:
    """Text made of KQL fragments and stray characters: mostly invalid, sometimes not."""
    fragment = st.one_of(
        st.sampled_from(
            [
                *_SPECIAL,
                *(" ", "  ", "\t", "\n", "\u00a0", "or", "and", "not", " OR ", " and ", "NOT "),
                *("a", "foo", "x.y", "1", "true", "null", "\\", "\\n", "\\u00", "\\u0041", "\\or"),
                *("a:", "b:(", "c:{", " > ", "<=", '"q"', "*", "é", "\U0001f600", "\ud83d"),
            ]
        ),
        st.text(max_size=3),
    )
    return st.lists(fragment, max_size=12).map("".join)


def _text_values(*, trimmed: bool) -> st.SearchStrategy[str]:
    text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
    if trimmed:
        return text.map(lambda value: value.strip(_JS_TRIMMED))
    return text


def _value_nodes() -> st.SearchStrategy[ValueNode]:
    unquoted = _text_values(trimmed=True).filter(lambda text: text not in ("null", "true", "false"))
    wildcard = st.lists(_text_values(trimmed=False), min_size=2, max_size=4).map(
        lambda parts: Wildcard(
            (parts[0].lstrip(_JS_TRIMMED), *parts[1:-1], parts[-1].rstrip(_JS_TRIMMED))
        )
    )
    return st.one_of(
        unquoted.map(Literal),
        _text_values(trimmed=False).map(lambda text: Literal(text, is_quoted=True)),
        st.sampled_from([None, True, False]).map(Literal),
        wildcard,
    )


def kql_trees(max_leaves: int = 8) -> st.SearchStrategy[Node]:
    """Trees as the parser builds them: ``and``/``or`` with two children or more, unquoted
    text trimmed, ``Literal(None)`` fields for value-only terms, no ``exists``."""
    value = _value_nodes()
    leaf = st.one_of(
        st.builds(Is, value, value),
        st.builds(Range, value, st.sampled_from(["gt", "gte", "lt", "lte"]), value),
    )

    def combine(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
        many = st.lists(children, min_size=2, max_size=3).map(tuple)
        return st.one_of(
            many.map(And),
            many.map(Or),
            children.map(Not),
            st.builds(Nested, value, children),
        )

    return st.recursive(leaf, combine, max_leaves=max_leaves)
