"""to_kql: Kibana's ``toKqlExpression`` layout, and text that always parses back."""

from __future__ import annotations

import pytest

from kbn_saved_objects.search.kql import (
    And,
    Is,
    Literal,
    Node,
    Not,
    Or,
    ValueNode,
    Wildcard,
    build_exists,
    build_is,
    build_nested,
    build_range,
    parse_kql,
    to_kql,
)

CHILD = build_is("child", "foo")

# kbn-es-query toKqlExpression tests (ast, functions/*, node_types/literal).
KIBANA_CASES: list[tuple[Node | ValueNode, str]] = [
    (build_exists("response"), "response: *"),
    (Literal("foo"), "foo"),
    (Wildcard.from_pattern("foo*bar"), "foo*bar"),
    (build_is("*", "*"), "*: *"),
    (build_is(None, 200), "200"),
    (build_is(None, "jpg*"), "jpg*"),
    (build_is("*", 200), "*: 200"),
    (build_is("extension", "*"), "extension: *"),
    (build_is("extension", "jpg"), "extension: jpg"),
    (build_is("extension", '"jpg"'), 'extension: "jpg"'),
    (build_is('"extension"', '"jpg"'), '"extension": "jpg"'),
    (build_is("extension", "jpg*"), "extension: jpg*"),
    (build_is("ext*", "jpg"), "ext*: jpg"),
    (build_range("bytes", "gt", 1000), "bytes > 1000"),
    (build_range("bytes", "gte", 1000), "bytes >= 1000"),
    (build_range("bytes", "lt", 1000), "bytes < 1000"),
    (build_range("bytes", "lte", 1000), "bytes <= 1000"),
    (build_range("byt*", "gt", 1000), "byt* > 1000"),
    (build_range("byt*", "gt", "100*"), "byt* > 100\\*"),
    (build_nested("nestedField", CHILD), "nestedField: { child: foo }"),
    (
        build_nested("nestedField", And((CHILD, CHILD))),
        "nestedField: { (child: foo AND child: foo) }",
    ),
    (
        build_nested("nestedField", build_nested("anotherNestedField", CHILD)),
        "nestedField: { anotherNestedField: { child: foo } }",
    ),
    (Not(build_is("extension", "jpg")), "NOT extension: jpg"),
    (And((build_is("machine.os", "osx"),)), "(machine.os: osx)"),
    (
        And((build_is("machine.os", "osx"), build_is("extension", "jpg"))),
        "(machine.os: osx AND extension: jpg)",
    ),
    (Literal("foo", is_quoted=True), '"foo"'),
    (Literal('():<>"*'), '\\(\\)\\:\\<\\>\\"\\*'),
    (Literal('I said, "Hello."', is_quoted=True), '"I said, \\"Hello.\\""'),
    (
        parse_kql('field: (value AND value2 OR "value3") OR nested: { field2: value4 }'),
        '(((field: value AND field: value2) OR field: "value3") OR nested: { field2: value4 })',
    ),
]


@pytest.mark.parametrize(("node", "kql"), KIBANA_CASES, ids=[case[1] for case in KIBANA_CASES])
def test_kibana_layout(node: Node | ValueNode, kql: str) -> None:
    assert to_kql(node) == kql


@pytest.mark.parametrize(
    ("node", "kql"),
    [
        # Kibana writes "\not" (read back as a newline), "NOT NOT" (a syntax error) and
        # query_string escapes in wildcards ("\-", rejected by KQL).
        (Literal("foo and bar not baz or qux"), "foo \\and bar \\u006eot baz \\or qux"),
        (Not(Not(CHILD)), "NOT (NOT child: foo)"),
        (build_is("a", "x-y*"), "a: x-y*"),
        (Literal("{a}"), "\\{a\\}"),
        # a trailing keyword would join the next operator: "(a: cannot AND ...)"
        (And((build_is("a", "can\\u006eot"), CHILD)), "(a: can\\u006eot AND child: foo)"),
        (Literal(""), "\\t"),
    ],
)
def test_text_parses_back(node: Node | ValueNode, kql: str) -> None:
    assert to_kql(node) == kql
    if not isinstance(node, Literal | Wildcard):
        assert parse_kql(kql) == node


@pytest.mark.parametrize("node", [And(()), Or(())])
def test_empty_groups_have_no_spelling(node: Node) -> None:
    with pytest.raises(ValueError, match="no KQL spelling"):
        to_kql(node)


def test_value_only_terms_print_without_field() -> None:
    assert to_kql(Is(Literal(None), Literal("hello world"))) == "hello world"
