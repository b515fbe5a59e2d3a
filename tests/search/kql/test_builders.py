"""Node builders: strings are read as KQL literals, as Kibana's ``buildNode`` does."""

from __future__ import annotations

import pytest

from kbn_saved_objects.errors import KQLSyntaxError
from kbn_saved_objects.search.kql import (
    Exists,
    Is,
    Literal,
    Nested,
    Range,
    Wildcard,
    build_exists,
    build_is,
    build_nested,
    build_range,
    escape_kuery,
    parse_kql,
)


def test_build_is() -> None:
    # kbn-es-query functions/is.test.ts buildNodeParams
    assert build_is("response", 200) == Is(Literal("response"), Literal(200))
    assert build_is("machine*", "win*") == Is(Wildcard(("machine", "")), Wildcard(("win", "")))
    assert build_is("response", '"200"') == Is(Literal("response"), Literal("200", is_quoted=True))
    assert build_is(None, True) == Is(Literal(None), Literal(True))
    assert build_is("a", "true") == Is(Literal("a"), Literal(True))


def test_build_is_with_escaped_text_matches_a_parsed_filter() -> None:
    """How Kibana builds the legacy-URL-alias lookup: escaped ids, parsed as literals."""
    source_id = "my (odd) id: *"
    node = build_is("legacy-url-alias.attributes.sourceId", escape_kuery(source_id))
    assert node == Is(Literal("legacy-url-alias.attributes.sourceId"), Literal(source_id))
    assert node == parse_kql(f"legacy-url-alias.attributes.sourceId: {escape_kuery(source_id)}")


def test_build_range_never_parses_the_value() -> None:
    assert build_range("byt*", "gt", "100*") == Range(Wildcard(("byt", "")), "gt", Literal("100*"))
    assert build_range("bytes", "lte", 5) == Range(Literal("bytes"), "lte", Literal(5))


def test_build_exists_and_nested() -> None:
    assert build_exists("a*") == Exists(Literal("a*"))
    child = build_is("c", "d")
    assert build_nested("p", child) == Nested(Literal("p"), child)


def test_a_string_that_is_not_one_literal_is_a_syntax_error() -> None:
    with pytest.raises(KQLSyntaxError) as caught:
        build_is("a", "b or c")
    assert caught.value.short_message == 'Expected end of input but " " found.'
    with pytest.raises(KQLSyntaxError) as caught:
        build_is("", "x")
    assert caught.value.short_message == "Expected literal but end of input found."
