"""parse_kql: the trees Kibana's ``fromKueryExpression`` builds.

Expectations are written with the builders, which read strings as Kibana's
``nodeTypes.function.buildNode`` does -- so each case reads like its counterpart in
kbn-es-query ``ast.test.ts``.
"""

from __future__ import annotations

import pytest

from kbn_saved_objects.search.kql import (
    MATCH_ALL,
    And,
    Is,
    Literal,
    Node,
    Not,
    Or,
    Range,
    Wildcard,
    build_is,
    build_nested,
    build_range,
    parse_kql,
    parse_literal,
)


def is_(field: str | None, value: str) -> Node:
    return build_is(field, value)


KIBANA_AST_CASES: list[tuple[str, Node]] = [
    ("  ", MATCH_ALL),
    ("foo", is_(None, "foo")),
    ("  foo ", is_(None, "foo")),
    ("foo bar", is_(None, "foo bar")),
    ("foo and bar", And((is_(None, "foo"), is_(None, "bar")))),
    ("foo and\u00a0bar", And((is_(None, "foo"), is_(None, "bar")))),
    ("foo or bar", Or((is_(None, "foo"), is_(None, "bar")))),
    ("foo and bar and baz", And((is_(None, "foo"), is_(None, "bar"), is_(None, "baz")))),
    ("foo or bar or baz", Or((is_(None, "foo"), is_(None, "bar"), is_(None, "baz")))),
    ("not (foo or bar)", Not(Or((is_(None, "foo"), is_(None, "bar"))))),
    (
        "foo or bar and baz or qux",
        Or((is_(None, "foo"), And((is_(None, "bar"), is_(None, "baz"))), is_(None, "qux"))),
    ),
    ("(foo or bar) and baz", And((Or((is_(None, "foo"), is_(None, "bar"))), is_(None, "baz")))),
    ("foo:bar", is_("foo", "bar")),
    ("foo:bar baz", is_("foo", "bar baz")),
    ('foo:"bar baz"', is_("foo", '"bar baz"')),
    ("foo:(bar or baz)", Or((is_("foo", "bar"), is_("foo", "baz")))),
    (
        "foo:((bar or baz) and not qux)",
        And((Or((is_("foo", "bar"), is_("foo", "baz"))), Not(is_("foo", "qux")))),
    ),
    (
        "bytes > 1000 and bytes < 8000",
        And((build_range("bytes", "gt", "1000"), build_range("bytes", "lt", "8000"))),
    ),
    (
        "bytes >= 1000 and bytes <= 8000",
        And((build_range("bytes", "gte", "1000"), build_range("bytes", "lte", "8000"))),
    ),
    ("machine*:osx", is_("machine*", "osx")),
    ("foo:ba*", is_("foo", "ba*")),
    ("foo:*", is_("foo", "*")),
    (
        "nestedField:{ childOfNested: foo }",
        build_nested("nestedField", is_("childOfNested", "foo")),
    ),
    (
        "response:200 and nestedField:{ childOfNested:foo or childOfNested:bar }",
        And(
            (
                is_("response", "200"),
                build_nested(
                    "nestedField",
                    Or((is_("childOfNested", "foo"), is_("childOfNested", "bar"))),
                ),
            )
        ),
    ),
    (
        "response:200 and ( nestedField:{ childOfNested:foo } or "
        "nestedField:{ childOfNested:bar } )",
        And(
            (
                is_("response", "200"),
                Or(
                    (
                        build_nested("nestedField", is_("childOfNested", "foo")),
                        build_nested("nestedField", is_("childOfNested", "bar")),
                    )
                ),
            )
        ),
    ),
    (
        "nestedField:{ nestedChild:{ doublyNestedChild:foo } }",
        build_nested("nestedField", build_nested("nestedChild", is_("doublyNestedChild", "foo"))),
    ),
    ("((((((((((foo))))))))))", is_(None, "foo")),
]


@pytest.mark.parametrize(
    ("kql", "expected"), KIBANA_AST_CASES, ids=[c[0] for c in KIBANA_AST_CASES]
)
def test_kibana_ast_cases(kql: str, expected: Node) -> None:
    assert parse_kql(kql) == expected


@pytest.mark.parametrize(
    ("kql", "expected"),
    [
        ("", MATCH_ALL),
        ("*:*", MATCH_ALL),
        ("*", Is(Literal(None), Wildcard(("", "")))),
        ("NOT a:1 AND b:2", And((Not(is_("a", "1")), is_("b", "2")))),
        ("a:1 Or b:2 aND c:3", Or((is_("a", "1"), And((is_("b", "2"), is_("c", "3")))))),
        ("title: hello world", is_("title", "hello world")),
        ('"my field": x', Is(Literal("my field", is_quoted=True), Literal("x"))),
        ("a : b", is_("a", "b")),
        ("a\t:\nb", is_("a", "b")),
        ("a:{b:c}", build_nested("a", is_("b", "c"))),
        ("a:(b)", is_("a", "b")),
        ("a:((b))", is_("a", "b")),
        ("a:(not (not b))", Not(Not(is_("a", "b")))),
        ("not (not b)", Not(Not(is_(None, "b")))),
        ("a:(b c or d)", Or((is_("a", "b c"), is_("a", "d")))),
        ("a < 5*", Range(Literal("a"), "lt", Wildcard(("5", "")))),
        ('a >= "5"', Range(Literal("a"), "gte", Literal("5", is_quoted=True))),
        ("a <=5", Range(Literal("a"), "lte", Literal("5"))),
        ("a<=5", Range(Literal("a"), "lte", Literal("5"))),
        ("a < = 5", Range(Literal("a"), "lt", Literal("= 5"))),
        ("null > 5", Range(Literal(None), "gt", Literal("5"))),
        ("true: false", Is(Literal(True), Literal(False))),
        ("a: null", Is(Literal("a"), Literal(None))),
        ('a: "null"', Is(Literal("a"), Literal("null", is_quoted=True))),
        ("a: 070", Is(Literal("a"), Literal("070"))),  # numbers stay text (8.x)
        ("a: *b*c*", Is(Literal("a"), Wildcard(("", "b", "c", "")))),
        ("a: b *", Is(Literal("a"), Wildcard(("b ", "")))),
        ("a:**", Is(Literal("a"), Wildcard(("", "", "")))),
        ("  or b", is_(None, "or b")),
        ("(or b)", is_(None, "or b")),
        ("a: or b", is_("a", "or b")),
        ("not", is_(None, "not")),
        ("nothing", is_(None, "nothing")),
        ("a or or b", Or((is_(None, "a"), is_(None, "or b")))),
        ("a  or b", Or((is_(None, "a"), is_(None, "b")))),
        ("a or", is_(None, "a or")),
        ("oregon and andorra", And((is_(None, "oregon"), is_(None, "andorra")))),
        ("a\u00a0or\u00a0b", Or((is_(None, "a"), is_(None, "b")))),
        ("a\nand\tb", And((is_(None, "a"), is_(None, "b")))),
    ],
)
def test_grammar_details(kql: str, expected: Node) -> None:
    assert parse_kql(kql) == expected


@pytest.mark.parametrize(
    ("kql", "value"),
    [
        ('\\\\\\(\\)\\:\\<\\>\\"\\*\\{\\}', '\\():<>"*{}'),
        ("\\\\u00A0", "\\u00A0"),
        ("\\u00e9t\\u00E9", "été"),
        ("\\ud83d\\ude00", "\U0001f600"),  # escaped surrogate pairs form one character
        ("a\\tb\\rc\\nd", "a\tb\rc\nd"),
        ("\\or \\AND \\Not", "or AND Not"),
        ("a \\not b", "a \not b"),  # as in Kibana: "\n" is matched before "\not"
        ("x\\t", "x"),  # escaped whitespace is trimmed like any other
        ("\\u0020x\\u0020", "x"),
        ("\\t", ""),
        ("a\u3000", "a"),  # JavaScript's trim, not Python's strip
        ("a\x1c", "a\x1c"),
    ],
)
def test_unquoted_escapes_and_trimming(kql: str, value: str) -> None:
    assert parse_kql(f"f: {kql}") == Is(Literal("f"), Literal(value))


@pytest.mark.parametrize(
    ("kql", "value"),
    [
        ('"\\():<>\\"*"', '\\():<>"*'),
        ('"\\\\"', "\\"),
        ('"\\\\u00A0"', "\\u00A0"),
        ('"\\u00A0"', "\u00a0"),
        ('"C:\\foo"', "C:\\foo"),  # a backslash before another character is kept
        ('"a\\tb\\nc"', "a\tb\nc"),
        ('"  padded  "', "  padded  "),
        ('"multi\nline"', "multi\nline"),
        ('"jo*"', "jo*"),
        ('""', ""),
    ],
)
def test_quoted_strings(kql: str, value: str) -> None:
    assert parse_kql(f"f: {kql}") == Is(Literal("f"), Literal(value, is_quoted=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("foo", Literal("foo")),
        ("true", Literal(True)),
        ("false", Literal(False)),
        ("null", Literal(None)),
        ("foo*bar", Wildcard(("foo", "bar"))),
        ('"200"', Literal("200", is_quoted=True)),
        (" foo", Literal("foo")),
    ]
    + [
        (number, Literal(number))
        for number in [
            *(".3", "3", "-4", "0", "0.0", "2.0", "790.9", "96565646732345", "070"),
            *("..4", ".3text", ".", "-", "001", "00.2", "0.0.1", "3.", "--4", "-.4", "-0"),
        ]
    ],
)
def test_parse_literal(text: str, expected: Literal | Wildcard) -> None:
    assert parse_literal(text) == expected


def test_parse_kql_rejects_non_strings() -> None:
    with pytest.raises(TypeError):
        parse_kql(None)  # type: ignore[arg-type]


def test_leading_wildcards_disallowed_still_accept_trailing_lone_and_field_wildcards() -> None:
    assert parse_kql("a: ing*", allow_leading_wildcards=False) == is_("a", "ing*")
    assert parse_kql("a: *", allow_leading_wildcards=False) == is_("a", "*")
    assert parse_kql("*ing: x", allow_leading_wildcards=False) == is_("*ing", "x")
