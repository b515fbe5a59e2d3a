"""``find(filter=...)``: KQL keys checked against the allowed types, rewritten, converted.

The tables port Kibana's ``filter_utils.test.ts`` (same mappings, same inputs, messages
byte for byte); the rest covers spec 04 §9 examples, the documented deviations and a few
properties over generated KQL.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbn_saved_objects.errors import BadRequestError, KQLSyntaxError
from kbn_saved_objects.search.filters import (
    NO_KEYS_MESSAGE,
    SavedObjectFieldChecker,
    filter_to_dsl,
    validate_filter,
)
from kbn_saved_objects.search.kql import (
    And,
    Is,
    Literal,
    Nested,
    Node,
    build_exists,
    build_is,
    build_nested,
    node_to_kuery_json,
    parse_kql,
    to_dsl,
)
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry
from tests.search.kql.strategies import ascii_words, kql_like_text, kql_queries, kql_trees

# Kibana's ``mockMappings`` (filter_utils.test.ts), one registered type per root property.
MOCK_TYPE_MAPPINGS: dict[str, dict[str, Any]] = {
    "foo": {
        "properties": {
            "title": {"type": "text"},
            "description": {"type": "text"},
            "bytes": {"type": "integer"},
        }
    },
    "bar": {
        "properties": {
            "_id": {"type": "keyword"},
            "foo": {"type": "text"},
            "description": {"type": "text"},
        }
    },
    "bean": {
        "properties": {
            "canned": {"fields": {"text": {"type": "text"}}, "type": "keyword"},
        }
    },
    "alert": {
        "properties": {
            "actions": {
                "type": "nested",
                "properties": {
                    "group": {"type": "keyword"},
                    "actionRef": {"type": "keyword"},
                    "actionTypeId": {"type": "keyword"},
                    "params": {"enabled": False, "type": "object"},
                },
            },
            "params": {"type": "flattened"},
        }
    },
    "hiddenType": {"properties": {"description": {"type": "text"}}},
    # Not in Kibana's mock: a nested group inside a nested group.
    "deep": {
        "properties": {
            "outer": {
                "type": "nested",
                "properties": {
                    "inner": {"type": "nested", "properties": {"leaf": {"type": "keyword"}}},
                },
            },
        }
    },
}


def build_registry() -> SavedObjectTypeRegistry:
    registry = SavedObjectTypeRegistry()
    for name, mappings in MOCK_TYPE_MAPPINGS.items():
        registry.register(
            SavedObjectsType(
                name=name,
                namespace_type="single",
                hidden=name == "hiddenType",
                mappings=mappings,
            )
        )
    return registry.freeze()


REGISTRY = build_registry()


def rewrite(types: list[str], kql: str | Node) -> Node | None:
    return validate_filter(REGISTRY, types, kql)


def error_message(types: list[str], kql: str | Node) -> str:
    with pytest.raises(BadRequestError) as caught:
        validate_filter(REGISTRY, types, kql)
    return str(caught.value)


# -- validateConvertFilterToKueryNode: rewrites -------------------------------------------

ASSEMBLE = (
    "foo.updated_at: 5678654567 and foo.attributes.bytes > 1000 and foo.attributes.bytes < 8000"
    ' and foo.attributes.title: "best" and (foo.attributes.description: t*'
    " or foo.attributes.description :*)"
)
ASSEMBLED = (
    "(type: foo and updated_at: 5678654567) and foo.bytes > 1000 and foo.bytes < 8000"
    ' and foo.title: "best" and (foo.description: t* or foo.description :*)'
)


@pytest.mark.parametrize(
    ("types", "kql", "expected"),
    [
        pytest.param(["foo"], 'foo.attributes.title: "best"', 'foo.title: "best"', id="simple"),
        pytest.param(
            ["bean"],
            'bean.attributes.canned.text: "best"',
            'bean.canned.text: "best"',
            id="multi-field",
        ),
        pytest.param(["foo"], ASSEMBLE, ASSEMBLED, id="one type"),
        pytest.param(["foo", "bar"], ASSEMBLE, ASSEMBLED, id="one of two types"),
        pytest.param(
            ["foo", "bar"],
            "(bar.updated_at: 5678654567 OR foo.updated_at: 5678654567) and foo.attributes.bytes"
            ' > 1000 and foo.attributes.bytes < 8000 and foo.attributes.title: "best" and'
            " (foo.attributes.description: t* or bar.attributes.description :*)",
            "((type: bar and updated_at: 5678654567) or (type: foo and updated_at: 5678654567))"
            ' and foo.bytes > 1000 and foo.bytes < 8000 and foo.title: "best" and'
            " (foo.description: t* or bar.description :*)",
            id="two types",
        ),
        pytest.param(
            ["alert"],
            'alert.attributes.actions:{ actionTypeId: ".server-log" }',
            'alert.actions:{ actionTypeId: ".server-log" }',
            id="nested",
        ),
        pytest.param(
            ["alert"],
            'alert.attributes.actions:{ actionTypeId: ".server-log" AND actionRef: "foo" }',
            'alert.actions:{ actionTypeId: ".server-log" AND actionRef: "foo" }',
            id="nested with two keys",
        ),
        pytest.param(
            ["alert"], "alert.attributes.params.foo:bar", "alert.params.foo:bar", id="flattened"
        ),
        pytest.param(["foo"], "foo.id: 0123456789", "type: foo and _id: 0123456789", id="id"),
        pytest.param(
            ["foo"],
            "foo.id: 0123456789 and (foo.updated_at: 5678654567 or foo.attributes.bytes > 1000)",
            "(type: foo and _id: 0123456789) and"
            " ((type: foo and updated_at: 5678654567) or foo.bytes > 1000)",
            id="id and more",
        ),
        pytest.param(
            ["foo", "bar"],
            "foo.id: 0123456789 and bar.id: 9876543210",
            "(type: foo and _id: 0123456789) and (type: bar and _id: 9876543210)",
            id="id of two types",
        ),
        pytest.param(
            ["foo", "bar"],
            "foo.id: 0123456789 and bar.attributes._id: 9876543210",
            "(type: foo and _id: 0123456789) and (bar._id: 9876543210)",
            id="_id attribute",
        ),
    ],
)
def test_rewrites_keys_like_kibana(types: list[str], kql: str, expected: str) -> None:
    assert rewrite(types, kql) == parse_kql(expected)


def test_a_node_tree_is_rewritten_like_text() -> None:
    node = build_is("foo.attributes.title", '"best"')
    assert rewrite(["foo"], node) == parse_kql('foo.title: "best"')


def test_the_callers_tree_is_left_as_it_was() -> None:
    node = parse_kql("foo.updated_at: 1 and foo.attributes.title: x")
    before = node_to_kuery_json(node)
    rewritten = rewrite(["foo"], node)
    assert rewritten != node
    assert node_to_kuery_json(node) == before


def test_unchanged_subtrees_are_shared() -> None:
    node = parse_kql('alert.attributes.actions:{ actionTypeId: ".server-log" }')
    rewritten = rewrite(["alert"], node)
    assert isinstance(node, Nested)
    assert isinstance(rewritten, Nested)
    assert rewritten.path == Literal("alert.actions")
    assert rewritten.child is node.child


@pytest.mark.parametrize("empty", ["", None])
def test_no_filter(empty: str | None) -> None:
    assert validate_filter(REGISTRY, ["foo"], empty) is None
    assert filter_to_dsl(REGISTRY, ["foo"], empty) is None


# -- validateConvertFilterToKueryNode: errors ---------------------------------------------


@pytest.mark.parametrize(
    ("types", "kql", "message"),
    [
        pytest.param(
            ["foo"],
            "foo.attributes.id: 0123456789 and (foo.updated_at: 5678654567"
            " or foo.attributes.bytes > 1000)",
            "This key 'foo.attributes.id' does NOT exist in foo saved object index patterns"
            ": Bad Request",
            id="attributes.id",
        ),
        pytest.param(
            ["foo"],
            "foo._id: 0123456789 and (foo.updated_at: 5678654567 or foo.attributes.bytes > 1000)",
            "This key 'foo._id' does NOT exist in foo saved object index patterns: Bad Request",
            id="_id",
        ),
        pytest.param(
            ["foo", "bar"],
            "updated_at: 5678654567 and foo.attributes.bytes > 1000 and foo.attributes.bytes"
            ' < 8000 and foo.attributes.title: "best" and (foo.attributes.description: t*'
            " or foo.attributes.description :*)",
            "This key 'updated_at' need to be wrapped by a saved object type like foo,bar"
            ": Bad Request",
            id="not wrapped",
        ),
        pytest.param(
            [],
            'hiddentype.title: "title"',
            "This type hiddentype is not allowed: Bad Request",
            id="no allowed types",
        ),
        pytest.param(
            ["foo"],
            "bar.updated_at: 5678654567 and foo.attributes.bytes > 1000",
            "This type bar is not allowed: Bad Request",
            id="type not allowed",
        ),
        pytest.param(
            ["foo"],
            "foo.updated_at: 5678654567 and foo.attributes.bytes > 1000 and foo.bytes < 8000"
            ' and foo.attributes.title: "best" and (foo.attributes.description: t*'
            " or foo.description :*)",
            "This key 'foo.bytes' does NOT match the filter proposition"
            " SavedObjectType.attributes.key\n"
            "This key 'foo.description' does NOT match the filter proposition"
            " SavedObjectType.attributes.key: Bad Request",
            id="attributes missing, errors joined",
        ),
        pytest.param(
            ["foo"],
            "foo.updated_at33: 5678654567 and foo.attributes.bytes > 1000 and"
            ' foo.attributes.header: "best"',
            "This key 'foo.updated_at33' does NOT exist in foo saved object index patterns\n"
            "This key 'foo.attributes.header' does NOT exist in foo saved object index patterns"
            ": Bad Request",
            id="unknown keys",
        ),
        pytest.param(
            ["foo"],
            "foo.attributes.description: hello AND bye",
            "The key is empty and needs to be wrapped by a saved object type like foo: Bad Request",
            id="value only",
        ),
        pytest.param(
            ["hiddenType"],
            "hiddenType.attributes.title: x",
            "This key 'hiddenType.attributes.title' does NOT exist in hiddenType saved object"
            " index patterns: Bad Request",
            id="unknown attribute",
        ),
    ],
)
def test_key_errors_are_kibanas(types: list[str], kql: str, message: str) -> None:
    assert error_message(types, kql) == message


def test_errors_are_plain_bad_requests_with_the_lines_as_reason() -> None:
    with pytest.raises(BadRequestError) as caught:
        validate_filter(REGISTRY, ["foo", "bar"], "a: 1 or baz.x: 2 or foo.nope: 3")
    error = caught.value
    assert not isinstance(error, KQLSyntaxError)
    assert error.status_code == 400
    assert error.reason == (
        "This key 'a' need to be wrapped by a saved object type like foo,bar\n"
        "This type baz is not allowed\n"
        "This key 'foo.nope' does NOT exist in foo,bar saved object index patterns"
    )


def test_syntax_errors_are_kql_syntax_errors() -> None:
    with pytest.raises(KQLSyntaxError) as caught:
        filter_to_dsl(REGISTRY, ["foo"], "foo.attributes.otherField:<")
    assert str(caught.value) == (
        'KQLSyntaxError: Expected "(", "{", value, whitespace but "<" found.\n'
        "foo.attributes.otherField:<\n"
        "--------------------------^: Bad Request"
    )
    assert isinstance(caught.value, BadRequestError)


# -- hasFilterKeyError / fieldDefined -----------------------------------------------------


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("bean.attributes.canned.text", None),
        (None, "The key is empty and needs to be wrapped by a saved object type like bean"),
        (
            "beanattributescannedtext",
            "This key 'beanattributescannedtext' need to be wrapped by a saved object type"
            " like bean",
        ),
        ("canned.attributes.bean.text", "This type canned is not allowed"),
        (
            "bean.canned.text",
            "This key 'bean.canned.text' does NOT match the filter proposition"
            " SavedObjectType.attributes.key",
        ),
        (
            "bean.attributes.red",
            "This key 'bean.attributes.red' does NOT exist in bean saved object index patterns",
        ),
    ],
)
def test_key_error_for_bean(key: str | None, message: str | None) -> None:
    assert SavedObjectFieldChecker(REGISTRY, ["bean"]).key_error(key) == message


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (
            "alert.actions",
            "This key 'alert.actions' does NOT match the filter proposition"
            " SavedObjectType.attributes.key",
        ),
        (
            "alert.not_a_key",
            "This key 'alert.not_a_key' does NOT exist in alert saved object index patterns",
        ),
        ("alert.updated_at", None),
        ("alert.id", None),
        ("alert.attributes.params.any.depth", None),
    ],
)
def test_key_error_for_alert(key: str, message: str | None) -> None:
    assert SavedObjectFieldChecker(REGISTRY, ["alert"]).key_error(key) == message


@pytest.mark.parametrize(
    ("path", "defined"),
    [
        ("foo.not_a_key", False),
        ("foo.title", True),
        ("bean.canned", True),
        ("bean.canned.text", True),
        ("bean.canned.keyword", False),
        ("alert.params.x.y", True),
        ("alert.actions.group", True),
    ],
)
def test_type_fields(path: str, defined: bool) -> None:
    checker = SavedObjectFieldChecker(REGISTRY, ["foo", "bean", "alert"])
    assert checker.is_type_field(path.split(".")) is defined


@pytest.mark.parametrize(
    ("path", "defined"),
    [
        ("updated_at", True),
        ("id", True),
        ("references", True),
        ("references.id", True),
        ("references.nope", False),
        ("foo", False),  # a type name is not a root field
        ("_id", False),
    ],
)
def test_root_fields(path: str, defined: bool) -> None:
    checker = SavedObjectFieldChecker(REGISTRY, ["foo"])
    assert checker.is_root_path(path.split(".")) is defined


# -- conversion ---------------------------------------------------------------------------


def _should(query: dict[str, Any]) -> dict[str, Any]:
    return {"bool": {"should": [query], "minimum_should_match": 1}}


def test_spec_conversion_example() -> None:
    registry = SavedObjectTypeRegistry()
    registry.register(
        SavedObjectsType(
            name="dashboard",
            namespace_type="multiple",
            mappings={"properties": {"title": {"type": "text"}}},
        )
    )
    registry.freeze()
    kql = 'dashboard.attributes.title: "Q1" and dashboard.updated_at > "2024-01-01"'
    assert filter_to_dsl(registry, ["dashboard"], kql) == {
        "bool": {
            "filter": [
                _should({"match_phrase": {"dashboard.title": "Q1"}}),
                {
                    "bool": {
                        "filter": [
                            _should({"match": {"type": "dashboard"}}),
                            _should({"range": {"updated_at": {"gt": "2024-01-01"}}}),
                        ]
                    }
                },
            ]
        }
    }


def test_nested_conversion_uses_the_rewritten_path() -> None:
    dsl = filter_to_dsl(
        REGISTRY, ["alert"], 'alert.attributes.actions:{ actionTypeId: ".server-log" }'
    )
    assert dsl == {
        "nested": {
            "path": "alert.actions",
            "query": _should({"match_phrase": {"alert.actions.actionTypeId": ".server-log"}}),
            "score_mode": "none",
        }
    }


def test_id_is_matched_against_the_raw_id() -> None:
    # Documented behaviour: the value is not turned into ``<type>:<id>``.
    assert filter_to_dsl(REGISTRY, ["foo"], 'foo.id: "foo:abc"') == {
        "bool": {
            "filter": [
                _should({"match": {"type": "foo"}}),
                _should({"match_phrase": {"_id": "foo:abc"}}),
            ]
        }
    }


# -- inputs and deviations ----------------------------------------------------------------


def test_kuery_json_trees_are_accepted() -> None:
    tree = node_to_kuery_json(parse_kql("foo.attributes.title: x"))
    assert filter_to_dsl(REGISTRY, ["foo"], tree) == _should({"match": {"foo.title": "x"}})


def test_other_filter_values_are_bad_requests() -> None:
    with pytest.raises(BadRequestError) as caught:
        validate_filter(REGISTRY, ["foo"], 42)  # type: ignore[arg-type]
    assert str(caught.value) == (
        "options.filter must be a KQL string or node, not int: Bad Request"
    )


@pytest.mark.parametrize("blank", ["  ", "\t\n"])
def test_blank_text_is_a_filter_whose_key_is_kibanas_wildcard(blank: str) -> None:
    # Kibana parses it to match-all (``*: *``) and names the wildcard field as its
    # serialized node spells it.
    assert error_message(["foo"], blank) == (
        "This key '@kuery-wildcard@' need to be wrapped by a saved object type like foo"
        ": Bad Request"
    )


def test_a_tree_without_keys_is_rejected() -> None:
    assert error_message(["foo"], And(())) == f"{NO_KEYS_MESSAGE}: Bad Request"


def test_a_type_name_is_not_a_root_field() -> None:
    # Kibana accepts ``foo.bar`` (``bar`` is a root property of its index mappings).
    assert error_message(["foo", "bar"], "foo.bar: x") == (
        "This key 'foo.bar' does NOT exist in foo,bar saved object index patterns: Bad Request"
    )


def test_nested_groups_inside_nested_groups_use_the_whole_path() -> None:
    kql = "deep.attributes.outer:{ inner:{ leaf: x } }"
    assert rewrite(["deep"], kql) == parse_kql("deep.outer:{ inner:{ leaf: x } }")
    assert filter_to_dsl(REGISTRY, ["deep"], kql) == {
        "nested": {
            "path": "deep.outer",
            "query": {
                "nested": {
                    "path": "deep.outer.inner",
                    "query": _should({"match": {"deep.outer.inner.leaf": "x"}}),
                    "score_mode": "none",
                }
            },
            "score_mode": "none",
        }
    }
    assert error_message(["deep"], "deep.attributes.outer:{ inner:{ nope: x } }") == (
        "This key 'deep.attributes.outer.inner.nope' does NOT exist in deep saved object"
        " index patterns: Bad Request"
    )


def test_value_only_terms_inside_nested_groups_are_keys_ending_in_null() -> None:
    assert error_message(["alert"], "alert.attributes.actions:{ hello }") == (
        "This key 'alert.attributes.actions.null' does NOT exist in alert saved object"
        " index patterns: Bad Request"
    )


def test_exists_nodes_are_checked_and_rewritten() -> None:
    node = And((build_exists("foo.attributes.title"), build_exists("foo.updated_at")))
    assert rewrite(["foo"], node) == And(
        (
            build_exists("foo.title"),
            And((Is(Literal("type"), Literal("foo")), build_exists("updated_at"))),
        )
    )
    assert error_message(["foo"], build_exists("title")) == (
        "This key 'title' need to be wrapped by a saved object type like foo: Bad Request"
    )


def test_wildcard_keys_keep_their_wildcards() -> None:
    rewritten = rewrite(["alert"], "alert.attributes.params.x*: 1")
    assert rewritten == parse_kql("alert.params.x*: 1")
    # Messages spell the wildcard as Kibana's serialized node holds it.
    assert error_message(["foo"], "foo.attributes.ti*: x") == (
        "This key 'foo.attributes.ti@kuery-wildcard@' does NOT exist in foo saved object"
        " index patterns: Bad Request"
    )


def test_built_nested_node_with_literal_path() -> None:
    node = build_nested("alert.attributes.actions", build_is("group", "x"))
    assert to_dsl(rewrite(["alert"], node) or And(())) == {
        "nested": {
            "path": "alert.actions",
            "query": _should({"match": {"alert.actions.group": "x"}}),
            "score_mode": "none",
        }
    }


# -- properties ---------------------------------------------------------------------------

FIELDS = st.sampled_from(
    [
        "foo.attributes.title",
        "foo.attributes.bytes",
        "foo.updated_at",
        "foo.id",
        "bar.attributes._id",
        "alert.attributes.actions",
        "alert.attributes.params.x",
        "bean.attributes.canned.text",
        "foo.title",
        "title",
        "nope.attributes.x",
        "foo.*",
        "*",
    ]
)
PROPERTY_TYPES = ["foo", "bar", "alert", "bean"]
PROPERTY_SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _check(filter: str | Node) -> None:
    try:
        query = filter_to_dsl(REGISTRY, PROPERTY_TYPES, filter)
    except BadRequestError as error:
        message = str(error)
    else:
        assert isinstance(query, dict) or (query is None and filter == "")
        json.dumps(query)  # serializable as the engine will receive it
        return
    assert message.endswith(": Bad Request")


@PROPERTY_SETTINGS
@given(kql_queries(fields=FIELDS, words=ascii_words()))
def test_generated_queries_convert_or_are_bad_requests(kql: str) -> None:
    _check(kql)


VALID_FIELDS = st.sampled_from(
    [
        "foo.attributes.title",
        "foo.attributes.bytes",
        "foo.updated_at",
        "foo.id",
        "bar.attributes._id",
        "bar.namespaces",
        "alert.attributes.params.x",
        "bean.attributes.canned.text",
    ]
)


def _field_names(query: Any) -> list[str]:
    """The field names a converted query uses."""
    names: list[str] = []
    stack = [query]
    while stack:
        current = stack.pop()
        if isinstance(current, list):
            stack.extend(current)
        elif isinstance(current, dict):
            for key, value in current.items():
                if key in ("match", "match_phrase", "range"):
                    names.extend(value)
                elif key == "exists":
                    names.append(value["field"])
                elif key == "query_string":
                    names.extend(value.get("fields", []))
                else:
                    stack.append(value)
    return names


@PROPERTY_SETTINGS
@given(kql_queries(fields=VALID_FIELDS, words=ascii_words(), value_only=False, nested=False))
def test_queries_with_valid_keys_convert_to_index_fields(kql: str) -> None:
    query = filter_to_dsl(REGISTRY, PROPERTY_TYPES, kql)
    names = _field_names(query)
    assert names
    for name in names:
        assert ".attributes" not in name
        assert name in ("type", "updated_at", "namespaces", "_id") or name.split(".")[0] in (
            PROPERTY_TYPES
        )


@PROPERTY_SETTINGS
@given(kql_queries())
def test_queries_with_odd_fields_convert_or_are_bad_requests(kql: str) -> None:
    _check(kql)


@PROPERTY_SETTINGS
@given(kql_like_text())
def test_arbitrary_text_converts_or_is_a_bad_request(text: str) -> None:
    _check(text)


@PROPERTY_SETTINGS
@given(kql_trees())
def test_trees_convert_or_are_bad_requests(tree: Node) -> None:
    _check(tree)
