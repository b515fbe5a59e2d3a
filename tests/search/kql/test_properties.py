"""Properties over generated input: any string parses or is a KQLSyntaxError, every tree
converts to DSL, and printing then parsing gives the tree back."""

from __future__ import annotations

import json

from hypothesis import example, given
from hypothesis import strategies as st

from kbn_saved_objects.errors import KQLSyntaxError
from kbn_saved_objects.search.kql import (
    Is,
    Literal,
    Node,
    escape_kuery,
    escape_quotes,
    node_from_kuery_json,
    node_to_kuery_json,
    parse_kql,
    to_dsl,
    to_kql,
)
from tests.search.kql.strategies import ascii_words, kql_like_text, kql_queries, kql_trees

_JS_TRIMMED = "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(
    chr(code) for code in range(0x2000, 0x200B)
)


def _check_tree(node: Node) -> None:
    query = to_dsl(node)
    assert isinstance(query, dict)
    json.dumps(query)  # serializable as the engine will receive it
    assert parse_kql(to_kql(node)) == node


@given(kql_queries())
def test_generated_queries_parse_convert_and_round_trip(kql: str) -> None:
    _check_tree(parse_kql(kql))


@given(
    kql_queries(fields=st.sampled_from(["title", "count"]), words=ascii_words(), value_only=False)
)
def test_engine_friendly_queries_parse(kql: str) -> None:
    node = parse_kql(kql)
    assert all(not (isinstance(n, Is) and n.field_name is None) for n in _walk(node))


@given(st.one_of(kql_like_text(), st.text()))
@example("\ud83d:)")
@example("(" * 150)
@example("a:{" * 150)
@example("\\u")
@example('"\\')
def test_any_text_parses_or_is_a_syntax_error(text: str) -> None:
    try:
        node = parse_kql(text)
    except KQLSyntaxError as error:
        failure: KQLSyntaxError | None = error
    else:
        failure = None
        _check_tree(node)
    if failure is not None:
        assert failure.kql_message.startswith(f"{failure.short_message}\n{text}\n")
        assert 0 <= failure.offset <= len(text)


@given(kql_trees())
def test_trees_print_and_parse_back(node: Node) -> None:
    _check_tree(node)
    assert node_from_kuery_json(node_to_kuery_json(node)) == node


@given(st.text(st.characters(exclude_categories=["Cs"])))
def test_escaped_text_reads_back_as_itself(text: str) -> None:
    trimmed = text.strip(_JS_TRIMMED)
    if trimmed and trimmed not in ("null", "true", "false"):
        assert parse_kql(f"f: {escape_kuery(trimmed)}") == Is(Literal("f"), Literal(trimmed))
    quoted = Is(Literal("f"), Literal(text, is_quoted=True))
    assert parse_kql(f'f: "{escape_quotes(text)}"') == quoted


def _walk(node: Node) -> list[Node]:
    from kbn_saved_objects.search.kql import walk

    return list(walk(node))
