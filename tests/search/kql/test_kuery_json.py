"""Kibana's serialized KueryNode shape, both ways."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.errors import BadRequestError
from kbn_saved_objects.search.kql import (
    Exists,
    Literal,
    Wildcard,
    node_from_kuery_json,
    node_to_kuery_json,
    parse_kql,
)
from kbn_saved_objects.search.kql.parser import MAX_DEPTH


def test_shape() -> None:
    assert node_to_kuery_json(parse_kql("a: b* and c > 1")) == {
        "type": "function",
        "function": "and",
        "arguments": [
            {
                "type": "function",
                "function": "is",
                "arguments": [
                    {"type": "literal", "value": "a", "isQuoted": False},
                    {"type": "wildcard", "value": "b@kuery-wildcard@"},
                ],
            },
            {
                "type": "function",
                "function": "range",
                "arguments": [
                    {"type": "literal", "value": "c", "isQuoted": False},
                    "gt",
                    {"type": "literal", "value": "1", "isQuoted": False},
                ],
            },
        ],
    }


@pytest.mark.parametrize(
    "kql", ["a: 1", "x:{ y: (1 or not 2) }", "not a > 2", "*", "", '"q": "v"', "a:*b*"]
)
def test_round_trip(kql: str) -> None:
    node = parse_kql(kql)
    assert node_from_kuery_json(node_to_kuery_json(node)) == node


def test_exists_and_hand_written_wildcards() -> None:
    data = {
        "type": "function",
        "function": "exists",
        "arguments": [{"type": "literal", "value": "f"}],
    }
    assert node_from_kuery_json(data) == Exists(Literal("f"))
    plain_star = {"type": "wildcard", "value": "ab*"}
    node = node_from_kuery_json(
        {"type": "function", "function": "is", "arguments": [plain_star] * 2}
    )
    assert node == parse_kql("ab*: ab*")
    assert node_to_kuery_json(Wildcard(("", ""))) == {
        "type": "wildcard",
        "value": "@kuery-wildcard@",
    }


LITERAL = {"type": "literal", "value": "a"}


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ([], "at $: expected an object"),
        ({"type": "literal", "value": "x"}, "at $: expected a function node"),
        ({"type": "branch"}, "unknown node type 'branch'"),
        ({"type": "function", "function": "is"}, "function arguments are a list"),
        ({"type": "function", "function": "xor", "arguments": []}, "unknown KQL function 'xor'"),
        ({"type": "function", "function": "is", "arguments": []}, "is takes 2 arguments, not 0"),
        (
            {"type": "function", "function": "range", "arguments": [LITERAL, "eq", LITERAL]},
            "range operator is one of gt, gte, lt, lte",
        ),
        (
            {"type": "function", "function": "not", "arguments": [{"type": "literal", "value": 1}]},
            "at $.arguments[0]: expected a function node",
        ),
        (
            {
                "type": "function",
                "function": "is",
                "arguments": [{"type": "literal", "value": []}, {"type": "literal", "value": 1}],
            },
            "a literal value is a string, number, boolean or null",
        ),
        (
            {"type": "function", "function": "exists", "arguments": [{"type": "wildcard"}]},
            "a wildcard value is a string",
        ),
        (
            {"type": "function", "function": "nested", "arguments": [{"type": "function"}] * 2},
            "at $.arguments[0]: unknown KQL function None",
        ),
    ],
)
def test_invalid_trees_are_bad_requests(data: Any, problem: str) -> None:
    with pytest.raises(BadRequestError, match="Invalid KQL node") as caught:
        node_from_kuery_json(data)
    assert problem in str(caught.value)


def test_depth_is_bounded() -> None:
    leaf: dict[str, Any] = {"type": "function", "function": "is", "arguments": [LITERAL] * 2}
    data = leaf
    for _ in range(MAX_DEPTH):
        data = {"type": "function", "function": "not", "arguments": [data]}
    with pytest.raises(BadRequestError, match=f"nest deeper than {MAX_DEPTH} levels"):
        node_from_kuery_json(data)
    assert node_from_kuery_json(data["arguments"][0]) is not None
