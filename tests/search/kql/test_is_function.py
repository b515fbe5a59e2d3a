"""The ``is`` function as current Kibana reads it, serialized trees included.

Follows kbn-es-query ``src/platform/packages/shared/kbn-es-query/src/kuery/functions/is.ts``
(commit 2adc277e848d7e3f8d9b6106259d9ee6e9a6af26) and its ``is.test.ts`` (commit
12071a2d28b431afe0e0bbdc115f35dc6f7c438b): ``toElasticsearchQuery`` and ``toKqlExpression``
destructure only the first two arguments, so the third argument that Kibana 7.x wrote
(the literal ``isPhrase`` flag) is accepted and has no effect. The DSL and builder cases
of ``is.test.ts`` that run without an index pattern live in ``test_dsl.py`` and
``test_builders.py``; the ``toKqlExpression`` ones are here.
"""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.errors import BadRequestError
from kbn_saved_objects.search.filters import filter_to_dsl, validate_filter_kuery_node
from kbn_saved_objects.search.kql import (
    Is,
    Literal,
    build_is,
    node_from_kuery_json,
    parse_kql,
    to_dsl,
    to_kql,
)
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry


def literal(value: Any, is_quoted: bool | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "literal", "value": value}
    if is_quoted is not None:
        node["isQuoted"] = is_quoted
    return node


def legacy_is(field: str, value: str, is_phrase: Any) -> dict[str, Any]:
    """``is`` as Kibana 7.x serialized it: field, value, then the phrase flag."""
    return {
        "type": "function",
        "function": "is",
        "arguments": [literal(field), literal(value), is_phrase],
    }


@pytest.mark.parametrize("flag", [literal(True), literal(False), literal(None), literal("x")])
def test_the_legacy_third_argument_is_read_and_dropped(flag: dict[str, Any]) -> None:
    node = node_from_kuery_json(legacy_is("extension", "jpg", flag))
    assert node == Is(Literal("extension"), Literal("jpg"))


def test_the_phrase_flag_does_not_make_a_phrase_query() -> None:
    # Only ``isQuoted`` on the value decides between match and match_phrase.
    node = node_from_kuery_json(legacy_is("extension", "jpg", literal(True)))
    assert to_dsl(node) == to_dsl(parse_kql("extension: jpg"))
    assert to_dsl(node) == {
        "bool": {"should": [{"match": {"extension": "jpg"}}], "minimum_should_match": 1}
    }
    quoted = {
        "type": "function",
        "function": "is",
        "arguments": [literal("extension"), literal("jpg", is_quoted=True), literal(False)],
    }
    assert to_dsl(node_from_kuery_json(quoted)) == to_dsl(parse_kql('extension: "jpg"'))


def test_legacy_nodes_nested_in_a_tree() -> None:
    tree = {
        "type": "function",
        "function": "and",
        "arguments": [
            legacy_is("a", "1", literal(True)),
            {"type": "function", "function": "not", "arguments": [legacy_is("b", "2", literal(1))]},
        ],
    }
    assert node_from_kuery_json(tree) == parse_kql("a: 1 and not b: 2")


def test_a_find_filter_may_carry_the_legacy_argument() -> None:
    registry = SavedObjectTypeRegistry()
    registry.register(
        SavedObjectsType(
            name="foo",
            namespace_type="single",
            mappings={"properties": {"title": {"type": "text"}}},
        )
    )
    registry.freeze()
    tree = legacy_is("foo.attributes.title", "best", literal(True))
    assert filter_to_dsl(registry, ["foo"], tree) == {
        "bool": {"should": [{"match": {"foo.title": "best"}}], "minimum_should_match": 1}
    }
    # The flag is not a key: only the field is reported.
    assert validate_filter_kuery_node(registry, ["foo"], tree) == [
        {
            "astPath": "",
            "key": "foo.attributes.title",
            "type": "foo",
            "isSavedObjectAttr": False,
            "error": None,
        }
    ]


@pytest.mark.parametrize(
    ("flag", "problem"),
    [
        (
            {"type": "function", "function": "is", "arguments": [literal("a"), literal("b")]},
            "at $.arguments[2]: the third argument of is (the legacy isPhrase flag) is a literal",
        ),
        (
            {"type": "wildcard", "value": "a@kuery-wildcard@"},
            "at $.arguments[2]: the third argument of is (the legacy isPhrase flag) is a literal",
        ),
        ({"type": "literal", "value": []}, "a literal value is a string, number, boolean or null"),
        ("true", "at $.arguments[2]: expected an object"),
    ],
)
def test_a_third_argument_that_is_not_a_literal_is_a_bad_request(flag: Any, problem: str) -> None:
    with pytest.raises(BadRequestError, match="Invalid KQL node") as caught:
        node_from_kuery_json(legacy_is("a", "b", flag))
    assert problem in str(caught.value)


def test_only_is_takes_a_third_argument() -> None:
    four = {"type": "function", "function": "is", "arguments": [literal("a")] * 4}
    with pytest.raises(BadRequestError, match="is takes 2 arguments, not 4"):
        node_from_kuery_json(four)
    exists = {"type": "function", "function": "exists", "arguments": [literal("a")] * 2}
    with pytest.raises(BadRequestError, match="exists takes 1 arguments, not 2"):
        node_from_kuery_json(exists)


# is.test.ts, describe('toKqlExpression')
@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("*", "*", "*: *"),
        (None, 200, "200"),
        (None, "jpg*", "jpg*"),
        ("*", 200, "*: 200"),
        ("extension", "*", "extension: *"),
        ("extension", "jpg", "extension: jpg"),
        ("extension", '"jpg"', 'extension: "jpg"'),
        ('"extension"', '"jpg"', '"extension": "jpg"'),
        ("extension", "jpg*", "extension: jpg*"),
        ("ext*", "jpg", "ext*: jpg"),
    ],
)
def test_to_kql_expression(field: str | None, value: str | int, expected: str) -> None:
    assert to_kql(build_is(field, value)) == expected
