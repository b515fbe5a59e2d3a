"""What each kind of model change does to a document (spec 02 §2.2, Kibana's
``build_transform_fn.test.ts``), and the lodash merge/unset rules behind them."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kbn_saved_objects.migrations.document.changes import (
    build_model_version_transform,
    merge_attributes,
    parse_attribute_path,
    unset_attribute,
    unset_in,
)
from kbn_saved_objects.types import (
    DataBackfill,
    DataRemoval,
    MappingsAddition,
    MappingsDeprecation,
    ModelChange,
    UnsafeTransform,
)


def run(changes: list[ModelChange], attributes: dict[str, Any]) -> dict[str, Any]:
    step = build_model_version_transform(changes)
    document = {"id": "foo", "type": "bar", "attributes": dict(attributes)}
    if step is None:
        return document
    result: dict[str, Any] = step(document, None)
    return result


def test_mapping_changes_leave_the_document_alone() -> None:
    changes: list[ModelChange] = [
        MappingsAddition(added_mappings={"foo": {"type": "text"}}),
        MappingsDeprecation(deprecated_mappings=["bar"]),
    ]
    assert build_model_version_transform(changes) is None
    assert build_model_version_transform([]) is None


def test_backfill_adds_attributes() -> None:
    change = DataBackfill(backfill_fn=lambda doc, ctx: {"attributes": {"newProp": "newValue"}})
    result = run([change], {"oldProp": "oldValue"})
    assert result["attributes"] == {"oldProp": "oldValue", "newProp": "newValue"}
    assert result["id"] == "foo"


def test_backfill_merges_nested_objects() -> None:
    change = DataBackfill(
        backfill_fn=lambda doc, ctx: {"attributes": {"rootProp": {"nestedNewProp": "new"}}}
    )
    result = run([change], {"oldProp": "old", "rootProp": {"nestedOldProp": "nestedOld"}})
    assert result["attributes"] == {
        "oldProp": "old",
        "rootProp": {"nestedOldProp": "nestedOld", "nestedNewProp": "new"},
    }


def test_backfill_without_attributes_changes_nothing() -> None:
    assert run([DataBackfill(backfill_fn=lambda d, c: {})], {"a": 1})["attributes"] == {"a": 1}


def test_backfill_must_return_a_mapping() -> None:
    with pytest.raises(TypeError, match="backfill_fn must return a mapping"):
        run([DataBackfill(backfill_fn=lambda d, c: None)], {})


def test_removal_deletes_paths() -> None:
    removal = DataRemoval(removed_attribute_paths=["deletedProp"])
    assert run([removal], {"deletedProp": "x", "keptProp": "y"})["attributes"] == {"keptProp": "y"}


def test_removal_of_nested_paths() -> None:
    removal = DataRemoval(removed_attribute_paths=["rootProps.nestedDeletedProp"])
    attributes = {"keptProp": "k", "rootProps": {"nestedDeletedProp": "d", "nestedKeptProp": "n"}}
    assert run([removal], attributes)["attributes"] == {
        "keptProp": "k",
        "rootProps": {"nestedKeptProp": "n"},
    }


def test_removal_ignores_missing_paths() -> None:
    removal = DataRemoval(removed_attribute_paths=["some.emptyPath", "deletedProp"])
    assert run([removal], {"deletedProp": "x", "keptProp": "y"})["attributes"] == {"keptProp": "y"}


def test_unsafe_transform_replaces_the_document() -> None:
    def transform(doc: dict[str, Any], ctx: object) -> dict[str, Any]:
        return {"document": {**doc, "attributes": {**doc["attributes"], "unsafe": True}}}

    assert run([UnsafeTransform(transform_fn=transform)], {"a": 1})["attributes"] == {
        "a": 1,
        "unsafe": True,
    }


@pytest.mark.parametrize("returned", [None, {"doc": {}}, {"document": "nope"}])
def test_unsafe_transform_must_return_a_document(returned: object) -> None:
    with pytest.raises(TypeError, match="transform_fn must return"):
        run([UnsafeTransform(transform_fn=lambda d, c: returned)], {})


def test_changes_run_in_order() -> None:
    def unsafe(doc: dict[str, Any], ctx: object) -> dict[str, Any]:
        doc["attributes"]["unsafeNewProp"] = "unsafeNewValue"
        return {"document": doc}

    changes: list[ModelChange] = [
        DataBackfill(backfill_fn=lambda d, c: {"attributes": {"newField": "newValue"}}),
        DataRemoval(removed_attribute_paths=["oldField"]),
        UnsafeTransform(transform_fn=unsafe),
    ]
    result = run(changes, {"oldField": "oldValue", "someProp": "someValue"})
    assert result["attributes"] == {
        "someProp": "someValue",
        "newField": "newValue",
        "unsafeNewProp": "unsafeNewValue",
    }


def test_several_backfills_see_each_other() -> None:
    seen: list[dict[str, Any]] = []

    def second(doc: dict[str, Any], ctx: object) -> dict[str, Any]:
        seen.append(dict(doc["attributes"]))
        return {"attributes": {"b": 2}}

    changes: list[ModelChange] = [
        DataBackfill(backfill_fn=lambda d, c: {"attributes": {"a": 1}}),
        DataBackfill(backfill_fn=second),
    ]
    assert run(changes, {})["attributes"] == {"a": 1, "b": 2}
    assert seen == [{"a": 1}]


# -- lodash merge ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attributes", "patch", "expected"),
    [
        ({"tags": ["a", "b", "c"]}, {"tags": ["z"]}, {"tags": ["z", "b", "c"]}),
        ({"a": {"b": 1}}, {"a": None}, {"a": None}),
        ({"a": 1}, {"a": {"b": 2}}, {"a": {"b": 2}}),
        ({"a": [{"x": 1}]}, {"a": [{"y": 2}, 3]}, {"a": [{"x": 1, "y": 2}, 3]}),
        (None, {"a": 1}, {"a": 1}),
        ({"a": 1}, None, {"a": 1}),
        ({"a": "text"}, {"a": ["list"]}, {"a": ["list"]}),
    ],
)
def test_merge_follows_lodash(attributes: Any, patch: Any, expected: dict[str, Any]) -> None:
    assert merge_attributes(attributes, patch) == expected


def test_merge_never_changes_its_inputs() -> None:
    attributes = {"a": {"b": {"c": 1}}, "tags": ["x"], "keep": {"k": 1}}
    patch = {"a": {"b": {"d": 2}}, "tags": ["y", "z"]}
    before = copy.deepcopy((attributes, patch))
    merged = merge_attributes(attributes, patch)
    assert (attributes, patch) == before
    assert merged == {"a": {"b": {"c": 1, "d": 2}}, "tags": ["y", "z"], "keep": {"k": 1}}
    assert merged["keep"] is attributes["keep"]  # untouched subtrees are shared, not copied


# -- lodash unset ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "keys"),
    [
        ("a", ("a",)),
        ("a.b.c", ("a", "b", "c")),
        ("a[0].b", ("a", "0", "b")),
        ('a["b.c"].d', ("a", "b.c", "d")),
        ("a['x']", ("a", "x")),
        (".a", ("", "a")),
    ],
)
def test_parse_attribute_path(path: str, keys: tuple[str, ...]) -> None:
    assert parse_attribute_path(path) == keys


def test_unset_prefers_a_literal_key() -> None:
    attributes = {"a.b": 1, "a": {"b": 2}}
    assert unset_attribute(attributes, "a.b") == {"a": {"b": 2}}


def test_unset_in_arrays_leaves_a_null() -> None:
    assert unset_attribute({"a": [1, 2, 3]}, "a[1]") == {"a": [1, None, 3]}
    assert unset_attribute({"a": [{"b": 1, "c": 2}]}, "a[0].b") == {"a": [{"c": 2}]}


@pytest.mark.parametrize("path", ["a.x", "a.b.c.d", "z", "a[5]", "n.m", "s.length"])
def test_unset_of_an_absent_path_returns_the_same_object(path: str) -> None:
    attributes = {"a": {"b": 1}, "n": None, "s": "text"}
    assert unset_attribute(attributes, path) is attributes


def test_unset_copies_the_changed_path_only() -> None:
    attributes = {"a": {"b": {"c": 1, "d": 2}}, "other": {"x": 1}}
    before = copy.deepcopy(attributes)
    owned = dict(attributes)
    assert unset_in(owned, "a.b.c")
    assert owned == {"a": {"b": {"d": 2}}, "other": {"x": 1}}
    assert attributes == before
    assert owned["other"] is attributes["other"]


# -- properties --------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from("abcd"), children, max_size=3)
    ),
    max_leaves=12,
)
OBJECTS = st.dictionaries(st.sampled_from("abcd"), JSON, max_size=4)


def lodash_merge(target: Any, source: Any) -> Any:
    """Reference: lodash ``merge`` into a deep copy, the straightforward way."""
    if isinstance(source, dict):
        result = copy.deepcopy(target) if isinstance(target, dict) else {}
        for key, value in source.items():
            result[key] = lodash_merge(result.get(key), value)
        return result
    if isinstance(source, list):
        result = copy.deepcopy(target) if isinstance(target, list) else []
        for index, value in enumerate(source):
            if index < len(result):
                result[index] = lodash_merge(result[index], value)
            else:
                result.append(lodash_merge(None, value))
        return result
    return source


@given(OBJECTS, OBJECTS)
def test_merge_matches_the_reference_and_leaves_inputs_alone(
    attributes: dict[str, Any], patch: dict[str, Any]
) -> None:
    before = copy.deepcopy((attributes, patch))
    assert merge_attributes(attributes, patch) == lodash_merge(attributes, patch)
    assert (attributes, patch) == before


@given(OBJECTS, OBJECTS)
def test_backfill_merges_like_the_reference_and_leaves_inputs_alone(
    attributes: dict[str, Any], patch: dict[str, Any]
) -> None:
    """The backfill step inlines the merge one level deep (its hot path): same result."""
    before = copy.deepcopy((attributes, patch))
    backfilled = run([DataBackfill(backfill_fn=lambda doc, ctx: {"attributes": patch})], attributes)
    assert backfilled["attributes"] == lodash_merge(attributes, patch)
    assert (attributes, patch) == before


@given(OBJECTS, st.lists(st.sampled_from("abcd"), min_size=1, max_size=4))
def test_unset_removes_exactly_the_path(attributes: dict[str, Any], keys: list[str]) -> None:
    before = copy.deepcopy(attributes)
    result = unset_attribute(attributes, ".".join(keys))
    assert attributes == before
    parent: Any = before
    for key in keys[:-1]:
        parent = parent.get(key) if isinstance(parent, dict) else None
    if isinstance(parent, dict) and keys[-1] in parent:
        del parent[keys[-1]]
        assert result == before
    else:
        assert result is attributes


@given(st.lists(st.text("abc_-0123456789", min_size=1, max_size=4), min_size=1, max_size=4))
def test_dotted_paths_parse_back_to_their_segments(segments: list[str]) -> None:
    assert parse_attribute_path(".".join(segments)) == tuple(segments)
