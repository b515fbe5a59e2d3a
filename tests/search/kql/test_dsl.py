"""to_dsl: the query DSL Kibana's ``toElasticsearchQuery(node)`` builds without an index
pattern, compared as compact JSON so that key order counts too.

Cases come from spec 04 section 11.6 and from kbn-es-query's ``functions/*.test.ts``
(the cases that run without an index pattern).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from kbn_saved_objects.search.kql import (
    And,
    Exists,
    Is,
    Literal,
    Nested,
    Node,
    Or,
    Range,
    build_exists,
    build_is,
    build_nested,
    build_range,
    parse_kql,
    to_dsl,
)


def compact(query: dict[str, Any]) -> str:
    return json.dumps(query, separators=(",", ":"), ensure_ascii=False)


def should(clause: str) -> str:
    return f'{{"bool":{{"should":[{clause}],"minimum_should_match":1}}}}'


A1 = should('{"match":{"a":"1"}}')
B2 = should('{"match":{"b":"2"}}')
C3 = should('{"match":{"c":"3"}}')

KQL_TO_DSL = [
    # spec 04 section 11.6
    ("status: active", should('{"match":{"status":"active"}}')),
    ('status: "in progress"', should('{"match_phrase":{"status":"in progress"}}')),
    ("title: hello world", should('{"match":{"title":"hello world"}}')),
    ("name: jo*", should('{"query_string":{"fields":["name"],"query":"jo*"}}')),
    ("name: jo\\*", should('{"match":{"name":"jo*"}}')),
    ('name: "jo*"', should('{"match_phrase":{"name":"jo*"}}')),
    ("name: *", should('{"exists":{"field":"name"}}')),
    ("enabled: true", should('{"match":{"enabled":true}}')),
    ("bytes > 1000", should('{"range":{"bytes":{"gt":"1000"}}}')),
    ("bytes <= 5", should('{"range":{"bytes":{"lte":"5"}}}')),
    ("a: 1 and b: 2", f'{{"bool":{{"filter":[{A1},{B2}]}}}}'),
    ("a: 1 or b: 2", f'{{"bool":{{"should":[{A1},{B2}],"minimum_should_match":1}}}}'),
    ("not a: 1", f'{{"bool":{{"must_not":{A1}}}}}'),
    (
        "a: 1 or b: 2 and c: 3",
        f'{{"bool":{{"should":[{A1},{{"bool":{{"filter":[{B2},{C3}]}}}}],"minimum_should_match":1}}}}',
    ),
    (
        "status: (active or pending)",
        '{"bool":{"should":['
        + should('{"match":{"status":"active"}}')
        + ","
        + should('{"match":{"status":"pending"}}')
        + '],"minimum_should_match":1}}',
    ),
    (
        "actions:{ group: x and id: y }",
        '{"nested":{"path":"actions","query":{"bool":{"filter":['
        + should('{"match":{"actions.group":"x"}}')
        + ","
        + should('{"match":{"actions.id":"y"}}')
        + ']}},"score_mode":"none"}}',
    ),
    ("", '{"match_all":{}}'),
    ("*:*", '{"match_all":{}}'),
    ("*", '{"query_string":{"query":"*"}}'),
    ("hello", '{"multi_match":{"type":"best_fields","query":"hello","lenient":true}}'),
    (
        'alert.attributes.actions:{ actionTypeId: ".server-log" }',
        '{"nested":{"path":"alert.attributes.actions","query":'
        + should('{"match_phrase":{"alert.attributes.actions.actionTypeId":".server-log"}}')
        + ',"score_mode":"none"}}',
    ),
    # kbn-es-query functions/is.test.ts (no index pattern), ast.test.ts
    ("jpg*", '{"query_string":{"query":"jpg*"}}'),
    ('"jpg"', '{"multi_match":{"type":"phrase","query":"jpg","lenient":true}}'),
    ("extension: *", should('{"exists":{"field":"extension"}}')),
    ("extension: jpg", should('{"match":{"extension":"jpg"}}')),
    ('extension: "jpg"', should('{"match_phrase":{"extension":"jpg"}}')),
    ("extension: jpg*", should('{"query_string":{"fields":["extension"],"query":"jpg*"}}')),
    ("ext*: jpg", should('{"match":{"ext*":"jpg"}}')),
    ("*: jpg", should('{"match":{"*":"jpg"}}')),
    ("byt* > 1000", should('{"range":{"byt*":{"gt":"1000"}}}')),
    # query_string escaping of wildcard text (spec 04 section 11.5)
    ("path: C\\:/logs*", should('{"query_string":{"fields":["path"],"query":"C\\\\:\\\\/logs*"}}')),
    ("os: *\\\\*", should('{"query_string":{"fields":["os"],"query":"*\\\\\\\\*"}}')),
    (
        "q: a+b-c=d&e|f!g\\(h\\)i\\{j\\}k[l]m^n~o?p/q*",
        should(
            '{"query_string":{"fields":["q"],"query":'
            '"a\\\\+b\\\\-c\\\\=d\\\\&e\\\\|f\\\\!g\\\\(h\\\\)i\\\\{j\\\\}k\\\\[l\\\\]m\\\\^n'
            '\\\\~o\\\\?p\\\\/q*"}}'
        ),
    ),
    # literal types and range bounds
    ("a: null", should('{"match":{"a":null}}')),
    ("a: false", should('{"match":{"a":false}}')),
    ("true", '{"multi_match":{"type":"best_fields","query":true,"lenient":true}}'),
    ("a > 10*", should('{"range":{"a":{"gt":"10*"}}}')),
    ('a >= "10"', should('{"range":{"a":{"gte":"10"}}}')),
    ("a < true", should('{"range":{"a":{"lt":true}}}')),
    ("true: x", should('{"match":{"true":"x"}}')),
    ("null: x", '{"multi_match":{"type":"best_fields","query":"x","lenient":true}}'),
    ("null > 5", should('{"range":{"null":{"gt":"5"}}}')),
    ('"my field": x', should('{"match":{"my field":"x"}}')),
    # nested: full paths, and Kibana's handling of odd paths
    (
        "a:{ b:{ c > 5 } }",
        '{"nested":{"path":"a","query":{"nested":{"path":"a.b","query":'
        + should('{"range":{"a.b.c":{"gt":"5"}}}')
        + ',"score_mode":"none"}},"score_mode":"none"}}',
    ),
    (
        "a:{ b:* }",
        '{"nested":{"path":"a","query":'
        + should('{"exists":{"field":"a.b"}}')
        + ',"score_mode":"none"}}',
    ),
    (
        "a:{ b*: c* }",
        '{"nested":{"path":"a","query":'
        + should('{"query_string":{"fields":["a.b*"],"query":"c*"}}')
        + ',"score_mode":"none"}}',
    ),
    ("a:{ *:* }", '{"nested":{"path":"a","query":{"match_all":{}},"score_mode":"none"}}'),
    (
        "a:{ b }",
        '{"nested":{"path":"a","query":'
        + should('{"match":{"a.null":"b"}}')
        + ',"score_mode":"none"}}',
    ),
    (
        "a*:{ b: c }",
        '{"nested":{"path":"a*","query":'
        + should('{"match":{"a*.b":"c"}}')
        + ',"score_mode":"none"}}',
    ),
    (
        '"":{ x:{ b: c } }',
        '{"nested":{"path":"","query":{"nested":{"path":"x","query":'
        + should('{"match":{"x.b":"c"}}')
        + ',"score_mode":"none"}},"score_mode":"none"}}',
    ),
    (
        "null:{ b: c }",
        '{"nested":{"path":null,"query":'
        + should('{"match":{"b":"c"}}')
        + ',"score_mode":"none"}}',
    ),
    (
        "true:{ b: c }",
        '{"nested":{"path":true,"query":'
        + should('{"match":{"true.b":"c"}}')
        + ',"score_mode":"none"}}',
    ),
]


@pytest.mark.parametrize(("kql", "dsl"), KQL_TO_DSL, ids=[case[0] for case in KQL_TO_DSL])
def test_kql_to_dsl(kql: str, dsl: str) -> None:
    assert compact(to_dsl(parse_kql(kql))) == dsl


NODE_TO_DSL: list[tuple[Node, str]] = [
    # kbn-es-query functions tests build these programmatically
    (build_is(None, 200), '{"multi_match":{"type":"best_fields","query":200,"lenient":true}}'),
    (build_range("bytes", "gt", 1000), should('{"range":{"bytes":{"gt":1000}}}')),
    (build_exists("response"), '{"exists":{"field":"response"}}'),
    (
        build_nested("nestedField", build_exists("response")),
        '{"nested":{"path":"nestedField","query":{"exists":{"field":"nestedField.response"}},'
        '"score_mode":"none"}}',
    ),
    (
        Nested(Literal(""), Exists(Literal("f"))),
        '{"nested":{"path":"","query":{"exists":{"field":".f"}},"score_mode":"none"}}',
    ),
    (And(()), '{"bool":{"filter":[]}}'),
    (Or(()), '{"bool":{"should":[],"minimum_should_match":1}}'),
    (Is(Literal("n"), Literal(1.5)), should('{"match":{"n":1.5}}')),
    (Range(Literal(2.0), "lt", Literal(3)), should('{"range":{"2":{"lt":3}}}')),
    # spec 04 section 9.5: the rewritten saved-objects filter
    (
        And(
            (
                build_is("dashboard.title", '"Q1"'),
                And((build_is("type", "dashboard"), build_range("updated_at", "gt", "2024-01-01"))),
            )
        ),
        '{"bool":{"filter":['
        + should('{"match_phrase":{"dashboard.title":"Q1"}}')
        + ',{"bool":{"filter":['
        + should('{"match":{"type":"dashboard"}}')
        + ","
        + should('{"range":{"updated_at":{"gt":"2024-01-01"}}}')
        + "]}}]}}",
    ),
]


@pytest.mark.parametrize(("node", "dsl"), NODE_TO_DSL)
def test_node_to_dsl(node: Node, dsl: str) -> None:
    assert compact(to_dsl(node)) == dsl


def test_filters_in_must_clause() -> None:
    query = to_dsl(parse_kql("a: 1 and b: 2"), filters_in_must_clause=True)
    assert compact(query) == f'{{"bool":{{"must":[{A1},{B2}]}}}}'


@pytest.mark.parametrize("ignore", [True, False])
def test_nested_ignore_unmapped(ignore: bool) -> None:
    query = to_dsl(parse_kql("a:{ b:{ c: 1 } }"), nested_ignore_unmapped=ignore)
    flag = "true" if ignore else "false"
    inner = should('{"match":{"a.b.c":"1"}}')
    assert compact(query) == (
        f'{{"nested":{{"path":"a","query":{{"nested":{{"path":"a.b","query":{inner},'
        f'"score_mode":"none","ignore_unmapped":{flag}}}}},"score_mode":"none",'
        f'"ignore_unmapped":{flag}}}}}'
    )


def test_to_dsl_returns_fresh_objects() -> None:
    node = parse_kql("a: (b or c)")
    first = to_dsl(node)
    first["bool"]["should"].clear()
    assert to_dsl(node)["bool"]["should"]
