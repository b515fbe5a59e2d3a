"""merge_for_update: Kibana's table (spec 03 §2.7.1) and properties over random JSON."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbn_saved_objects.repository.helpers.merge import merge_for_update

FLAT_MAPPINGS = {
    "properties": {
        "flat": {"type": "flattened"},
        "nested": {"properties": {"deepFlat": {"type": "flattened"}}},
    }
}


@pytest.mark.parametrize(
    ("stored", "update", "mappings", "expected"),
    [
        (
            {"foo": "bar", "hello": "dolly"},
            {"baz": 42},
            None,
            {"foo": "bar", "hello": "dolly", "baz": 42},
        ),
        (
            {"foo": "bar", "hello": "dolly"},
            {"baz": 42, "foo": "9000"},
            None,
            {"foo": "9000", "hello": "dolly", "baz": 42},
        ),
        (
            {"nested": {"foo": "bar", "hello": "dolly"}},
            {"nested": {"baz": 42, "foo": "9000"}},
            None,
            {"nested": {"foo": "9000", "hello": "dolly", "baz": 42}},
        ),
        # a missing key is JavaScript's undefined: nothing to change
        ({"foo": "bar"}, {}, None, {"foo": "bar"}),
        # null is a value
        ({"foo": "bar"}, {"foo": None}, None, {"foo": None}),
        # lists replace
        ({"tags": ["a", "b"]}, {"tags": ["c"]}, None, {"tags": ["c"]}),
        # an empty object replaces
        ({"nested": {"a": 1}}, {"nested": {}}, None, {"nested": {}}),
        (
            {"flat": {"before": 42}},
            {"flat": {"after": 9000}},
            FLAT_MAPPINGS,
            {"flat": {"after": 9000}},
        ),
        (
            {"notFlat": {"before": 42}},
            {"notFlat": {"after": 9000}},
            FLAT_MAPPINGS,
            {"notFlat": {"before": 42, "after": 9000}},
        ),
        (
            {"nested": {"deepFlat": {"before": 42}, "notFlattened": {"before": 42}}},
            {"nested": {"deepFlat": {"after": 9000}, "notFlattened": {"after": 9000}}},
            FLAT_MAPPINGS,
            {
                "nested": {
                    "deepFlat": {"after": 9000},
                    "notFlattened": {"before": 42, "after": 9000},
                }
            },
        ),
        (
            {"rootPropA": "A", "nested": {"foo": "bar", "deep": {"deeper": "we need"}}},
            {"rootPropB": "B", "nested": {"baz": 42, "deep": {"deeper": "we are"}}},
            None,
            {
                "rootPropA": "A",
                "rootPropB": "B",
                "nested": {"foo": "bar", "baz": 42, "deep": {"deeper": "we are"}},
            },
        ),
        # a stored scalar on the path becomes an object
        ({"a": "text"}, {"a": {"b": 1}}, None, {"a": {"b": 1}}),
        # stored attributes that are not an object count as empty
        (None, {"a": 1}, None, {"a": 1}),
        # an update that is not a non-empty object changes nothing
        ({"a": 1}, None, None, {"a": 1}),
        ({"a": 1}, {}, None, {"a": 1}),
    ],
)
def test_kibana_table(
    stored: Any, update: Any, mappings: dict[str, Any] | None, expected: dict[str, Any]
) -> None:
    assert merge_for_update(stored, update, mappings) == expected


# -- properties ----------------------------------------------------------------------

keys = st.sampled_from(["a", "b", "c", "flat", "d"])
scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=3)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(keys, children, max_size=3),
    max_leaves=8,
)
objects = st.dictionaries(keys, json_values, max_size=4)
MAPPINGS = {
    "properties": {
        "flat": {"type": "flattened"},
        "a": {"properties": {"flat": {"type": "flattened"}}},
    }
}


def leaves(
    value: Any, mapping: Mapping[str, Any] | None, path: tuple[str, ...] = ()
) -> dict[tuple[str, ...], Any]:
    """The paths an update writes: non-empty objects are walked (unless flattened)."""
    flattened = mapping is not None and mapping.get("type") == "flattened"
    if isinstance(value, dict) and value and not flattened:
        out: dict[tuple[str, ...], Any] = {}
        for key, child in value.items():
            properties = (mapping or {}).get("properties") or {}
            out.update(leaves(child, properties.get(key), (*path, key)))
        return out
    return {path: value}


def get_path(value: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


def stored_leaves(value: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    if isinstance(value, dict) and value:
        out: dict[tuple[str, ...], Any] = {}
        for key, child in value.items():
            out.update(stored_leaves(child, (*path, key)))
        return out
    return {path: value}


@settings(max_examples=300, deadline=None)
@given(stored=objects, update=objects)
def test_every_updated_leaf_is_written(stored: dict[str, Any], update: dict[str, Any]) -> None:
    merged = merge_for_update(stored, update, MAPPINGS)
    if not update:
        assert merged == stored
        return
    for path, value in leaves(update, MAPPINGS).items():
        assert get_path(merged, path) == value


@settings(max_examples=300, deadline=None)
@given(stored=objects, update=objects)
def test_untouched_stored_leaves_survive(stored: dict[str, Any], update: dict[str, Any]) -> None:
    merged = merge_for_update(stored, update, MAPPINGS)
    written = list(leaves(update, MAPPINGS)) if update else []
    for path, value in stored_leaves(stored).items():
        if not path:
            continue
        overlaps = any(w[: len(path)] == path or path[: len(w)] == w for w in written)
        if not overlaps:
            assert get_path(merged, path) == value


@settings(max_examples=300, deadline=None)
@given(stored=objects, update=objects)
def test_pure_idempotent_and_identity(stored: dict[str, Any], update: dict[str, Any]) -> None:
    stored_before, update_before = copy.deepcopy(stored), copy.deepcopy(update)
    merged = merge_for_update(stored, update, MAPPINGS)
    assert stored == stored_before
    assert update == update_before
    assert merge_for_update(merged, update, MAPPINGS) == merged  # idempotent
    assert merge_for_update({}, update, MAPPINGS) == update  # onto nothing: the update
    assert set(merged) == set(stored) | set(update)


@settings(max_examples=200, deadline=None)
@given(stored=objects, update=objects)
def test_merged_result_shares_no_container_with_stored(
    stored: dict[str, Any], update: dict[str, Any]
) -> None:
    before = copy.deepcopy(stored)
    merged = merge_for_update(stored, update, MAPPINGS)
    # mutating the result's merged objects must not reach the stored value
    for path in leaves(update, MAPPINGS) if update else []:
        parent = get_path(merged, path[:-1]) if len(path) > 1 else merged
        parent[path[-1]] = "changed"
    assert stored == before
