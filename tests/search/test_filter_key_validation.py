"""Per-key verdicts of a ``find`` filter: ``validate_filter_kuery_node``.

Ports the ``#validateFilterKueryNode`` cases of Kibana's
``src/core/packages/saved-objects/api-server-internal/src/lib/search/utils/filter_utils.test.ts``
(commit 82ab9ad284d33380a6f7467ef6dc13eab661c4ae) against ``filter_utils.ts`` (commit
12071a2d28b431afe0e0bbdc115f35dc6f7c438b), with the same ``mockMappings`` (see
``test_filters.py``). Kibana's tests call the function with its recursion parameters
(``storeValue``, ``hasNestedKey``) at their defaults; ours always checks a tree as ``find``
does (Kibana's ``validateConvertFilterToKueryNode``), so for a filter whose root is a
``nested`` group the path key of that group comes first. The rest of the expected values
are Kibana's.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from kbn_saved_objects.errors import BadRequestError, KQLSyntaxError
from kbn_saved_objects.search.filters import (
    FilterKeyValidation,
    validate_filter,
    validate_filter_kuery_node,
)
from kbn_saved_objects.search.kql import (
    And,
    Not,
    build_exists,
    build_is,
    build_nested,
    node_to_kuery_json,
    parse_kql,
)
from tests.search.kql.strategies import ascii_words, kql_queries
from tests.search.test_filters import FIELDS, PROPERTY_TYPES, REGISTRY

SEARCH = (
    "foo.updated_at: 5678654567 and foo.attributes.bytes > 1000 and foo.attributes.bytes < 8000"
    ' and foo.attributes.title: "best" and (foo.attributes.description: t*'
    " or foo.attributes.description :*)"
)


def verdict(
    ast_path: str,
    key: str | None,
    *,
    error: str | None = None,
    attr: bool = False,
    type_name: str | None = None,
) -> FilterKeyValidation:
    """A verdict; ``type`` defaults to the key's first segment, as Kibana derives it."""
    if type_name is None and key is not None and "." in key:
        type_name = key.split(".")[0]
    return {
        "astPath": ast_path,
        "error": error,
        "isSavedObjectAttr": attr,
        "key": key,
        "type": type_name,
    }


def validate(types: list[str], kql: Any) -> list[FilterKeyValidation]:
    return validate_filter_kuery_node(REGISTRY, types, kql)


FOO_DESCRIPTIONS = [
    verdict("arguments.4.arguments.0", "foo.attributes.description"),
    verdict("arguments.4.arguments.1", "foo.attributes.description"),
]


def test_happy_path() -> None:
    assert validate(["foo"], SEARCH) == [
        verdict("arguments.0", "foo.updated_at", attr=True),
        verdict("arguments.1", "foo.attributes.bytes"),
        verdict("arguments.2", "foo.attributes.bytes"),
        verdict("arguments.3", "foo.attributes.title"),
        *FOO_DESCRIPTIONS,
    ]


def test_nested_happy_path() -> None:
    assert validate(["alert"], 'alert.attributes.actions:{ actionTypeId: ".server-log" }') == [
        verdict("", "alert.attributes.actions"),  # the group itself (see module docstring)
        verdict("arguments.1", "alert.attributes.actions.actionTypeId"),
    ]


def test_key_not_wrapped_by_a_type() -> None:
    kql = SEARCH.replace("foo.updated_at", "updated_at", 1)
    assert validate(["foo"], kql) == [
        verdict(
            "arguments.0",
            "updated_at",
            error="This key 'updated_at' need to be wrapped by a saved object type like foo",
            attr=True,
        ),
        verdict("arguments.1", "foo.attributes.bytes"),
        verdict("arguments.2", "foo.attributes.bytes"),
        verdict("arguments.3", "foo.attributes.title"),
        *FOO_DESCRIPTIONS,
    ]


def test_keys_without_attributes() -> None:
    kql = (
        "foo.updated_at: 5678654567 and foo.attributes.bytes > 1000 and foo.bytes < 8000 and"
        ' foo.attributes.title: "best" and (foo.attributes.description: t* or'
        " foo.description :*)"
    )
    proposition = "does NOT match the filter proposition SavedObjectType.attributes.key"
    assert validate(["foo"], kql) == [
        verdict("arguments.0", "foo.updated_at", attr=True),
        verdict("arguments.1", "foo.attributes.bytes"),
        verdict("arguments.2", "foo.bytes", error=f"This key 'foo.bytes' {proposition}"),
        verdict("arguments.3", "foo.attributes.title"),
        verdict("arguments.4.arguments.0", "foo.attributes.description"),
        verdict(
            "arguments.4.arguments.1",
            "foo.description",
            error=f"This key 'foo.description' {proposition}",
        ),
    ]


def test_type_not_allowed() -> None:
    kql = SEARCH.replace("foo.updated_at", "bar.updated_at", 1)
    assert validate(["foo"], kql) == [
        verdict("arguments.0", "bar.updated_at", error="This type bar is not allowed", attr=True),
        verdict("arguments.1", "foo.attributes.bytes"),
        verdict("arguments.2", "foo.attributes.bytes"),
        verdict("arguments.3", "foo.attributes.title"),
        *FOO_DESCRIPTIONS,
    ]


def test_keys_missing_from_the_mappings() -> None:
    kql = SEARCH.replace("foo.updated_at", "foo.updated_at33").replace("title", "header")
    missing = "does NOT exist in foo saved object index patterns"
    assert validate(["foo"], kql) == [
        verdict("arguments.0", "foo.updated_at33", error=f"This key 'foo.updated_at33' {missing}"),
        verdict("arguments.1", "foo.attributes.bytes"),
        verdict("arguments.2", "foo.attributes.bytes"),
        verdict(
            "arguments.3",
            "foo.attributes.header",
            error=f"This key 'foo.attributes.header' {missing}",
        ),
        *FOO_DESCRIPTIONS,
    ]


def test_null_key() -> None:
    assert validate(["foo"], "foo.attributes.description: hello AND bye") == [
        verdict("arguments.0", "foo.attributes.description"),
        verdict(
            "arguments.1",
            None,
            error="The key is empty and needs to be wrapped by a saved object type like foo",
        ),
    ]


def test_nested_group_with_two_keys() -> None:
    kql = 'alert.attributes.actions:{ actionTypeId: ".server-log" AND actionRef: "foo" }'
    assert validate(["alert"], kql) == [
        verdict("", "alert.attributes.actions"),  # the group itself (see module docstring)
        verdict("arguments.1.arguments.0", "alert.attributes.actions.actionTypeId"),
        verdict("arguments.1.arguments.1", "alert.attributes.actions.actionRef"),
    ]


# -- beyond Kibana's table -------------------------------------------------------------


def test_a_root_field_node_has_the_empty_path() -> None:
    assert validate(["foo"], "foo.id: 1") == [verdict("", "foo.id", attr=True)]


def test_paths_follow_the_serialized_tree() -> None:
    kql = "not (foo.attributes.title: a or alert.attributes.actions:{ group: x and not id: y })"
    verdicts = validate(["foo", "alert"], kql)
    assert [(v["astPath"], v["key"]) for v in verdicts] == [
        ("arguments.0.arguments.0", "foo.attributes.title"),
        ("arguments.0.arguments.1", "alert.attributes.actions"),
        ("arguments.0.arguments.1.arguments.1.arguments.0", "alert.attributes.actions.group"),
        (
            "arguments.0.arguments.1.arguments.1.arguments.1.arguments.0",
            "alert.attributes.actions.id",
        ),
    ]
    tree = node_to_kuery_json(parse_kql(kql))
    for item in verdicts:
        node: Any = tree
        for step in item["astPath"].split(".") if item["astPath"] else []:
            node = node[int(step)] if step.isdigit() else node[step]
        field = node["arguments"][0]["value"]
        assert item["key"] is not None
        assert item["key"].endswith(field)


def test_a_blank_filter_names_kibanas_wildcard() -> None:
    assert validate(["foo"], "   ") == [
        verdict(
            "",
            "@kuery-wildcard@",
            error="This key '@kuery-wildcard@' need to be wrapped by a saved object type like foo",
        )
    ]


def test_wildcard_fields_are_spelled_as_kibana_serializes_them() -> None:
    assert validate(["alert"], "alert.attributes.params.x*: 1") == [
        verdict("", "alert.attributes.params.x@kuery-wildcard@")
    ]


def test_exists_nodes_are_checked_too() -> None:
    # Stricter than Kibana, which leaves the field of ``exists`` unchecked.
    node = And((build_exists("foo.attributes.title"), Not(build_exists("foo.nope"))))
    assert validate(["foo"], node) == [
        verdict("arguments.0", "foo.attributes.title"),
        verdict(
            "arguments.1.arguments.0",
            "foo.nope",
            error="This key 'foo.nope' does NOT exist in foo saved object index patterns",
        ),
    ]


def test_nested_groups_prefix_the_whole_path() -> None:
    # Kibana keeps only the innermost path (``inner.leaf``); see search/filters.py.
    keys = [v["key"] for v in validate(["deep"], "deep.attributes.outer:{ inner:{ leaf: x } }")]
    assert keys == [
        "deep.attributes.outer",
        "deep.attributes.outer.inner",
        "deep.attributes.outer.inner.leaf",
    ]


def test_a_nested_group_without_a_path_keeps_the_outer_prefix() -> None:
    node = build_nested("alert.attributes.actions", build_nested(None, build_is("group", "x")))
    assert [(v["astPath"], v["key"]) for v in validate(["alert"], node)] == [
        ("", "alert.attributes.actions"),
        ("arguments.1", "alert.attributes.actions.null"),
        ("arguments.1.arguments.1", "alert.attributes.actions.group"),
    ]


def test_trees_and_serialized_trees_give_the_same_verdicts() -> None:
    node = parse_kql(SEARCH)
    assert validate(["foo"], node) == validate(["foo"], SEARCH)
    assert validate(["foo"], node_to_kuery_json(node)) == validate(["foo"], SEARCH)


def test_a_tree_without_field_nodes_has_no_verdicts() -> None:
    assert validate(["foo"], And(())) == []


def test_bad_input_raises() -> None:
    with pytest.raises(KQLSyntaxError):
        validate(["foo"], "foo.attributes.title:<")
    with pytest.raises(BadRequestError, match=r"at \$\.arguments\[0\]: expected an object"):
        validate(["foo"], {"type": "function", "function": "not", "arguments": [[]]})
    with pytest.raises(BadRequestError, match="must be a KQL string or node, not int"):
        validate(["foo"], 42)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kql_queries(fields=FIELDS, words=ascii_words()))
def test_validate_filter_raises_exactly_the_verdicts_errors(kql: str) -> None:
    types = PROPERTY_TYPES
    try:
        node = parse_kql(kql)
    except KQLSyntaxError:
        return
    errors = [v["error"] for v in validate(types, node) if v["error"] is not None]
    if errors:
        with pytest.raises(BadRequestError) as caught:
            validate_filter(REGISTRY, types, node)
        assert caught.value.reason == "\n".join(errors)
    else:
        assert validate_filter(REGISTRY, types, node) is not None
