"""The zero-downtime algorithm's pure decisions and transitions: values in, values out."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kbn_saved_objects.migrations.index.state import ControlState as S
from kbn_saved_objects.migrations.index.state import Left, Right, State
from kbn_saved_objects.migrations.index.zdt import (
    compare_versions,
    current_index,
    incompatible_fields,
    index_algorithm,
    meta_to_write,
    model,
)
from kbn_saved_objects.migrations.index.zdt_actions import pickup_query

ROOT = {"type": {"type": "keyword"}, "namespaces": {"type": "keyword"}}
TARGET: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        **ROOT,
        "widget": {"properties": {"title": {"type": "text"}, "size": {"type": "integer"}}},
        "gadget": {"properties": {"name": {"type": "keyword"}}},
    },
    "_meta": {"mappingVersions": {"widget": "10.2.0", "gadget": "10.0.0"}},
}


def stored(
    widget: str = "10.1.0",
    gadget: str = "10.0.0",
    docs: dict[str, str] | None = None,
    widget_props: dict[str, Any] | None = None,
    **meta: Any,
) -> dict[str, Any]:
    return {
        "dynamic": "strict",
        "properties": {
            **ROOT,
            "widget": {"properties": widget_props or {"title": {"type": "text"}}},
            "gadget": {"properties": {"name": {"type": "keyword"}}},
        },
        "_meta": {
            "mappingVersions": {"widget": widget, "gadget": gadget},
            "docVersions": docs if docs is not None else {"widget": widget, "gadget": gadget},
            "migrationState": {"convertingDocuments": False},
            **meta,
        },
    }


def state(control: S = S.INIT, **changes: Any) -> State:
    base = State(
        control_state=S.INIT,
        prefix="app",
        version="2.0.0",
        target_mappings=TARGET,
        index_type_names=("gadget", "widget"),
        known_type_names=("gadget", "widget"),
        outdated_query={"match_none": {}},
        algorithm="zdt",
        doc_versions=(("gadget", "10.0.0"), ("widget", "10.2.0")),
    )
    return base.evolve(control_state=control, **changes)


def indices(mappings: dict[str, Any], aliases: tuple[str, ...] = ("app", "app_1.0.0")) -> Any:
    return {
        "app_1": {
            "aliases": {a: {} for a in aliases},
            "mappings": mappings,
            "settings": {"index": {"number_of_shards": "1"}},
        }
    }


# -- decisions ---------------------------------------------------------------------------------


def test_current_index_prefers_the_alias_then_the_highest_counter() -> None:
    assert current_index({"app_1": {}, "app_7": {}, "app_10": {}, "app_x": {}}, "app") == "app_10"
    assert current_index({"app_1": {"aliases": {"app": {}}}, "app_2": {}}, "app") == "app_1"
    assert current_index({"app_task_3": {}}, "app") is None
    assert current_index({}, "app") is None


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        (None, "unknown"),
        ({}, "unknown"),
        ({"mappingVersions": {"a": "10.0.0"}, "docVersions": {"a": "10.0.0"}}, "zdt"),
        ({"mappingVersions": {"a": "10.0.0"}}, "v2-partially-migrated"),
        ({"mappingVersions": {"a": "10.0.0"}, "docVersions": {}}, "v2-partially-migrated"),
        ({"migrationMappingPropertyHashes": {"a": "x"}, "indexTypesMap": {}}, "v2-incompatible"),
        (
            {"migrationMappingPropertyHashes": {"a": "x"}, "indexTypesMap": {"i": ["a"]}},
            "v2-compatible",
        ),
        ({"something": 1}, "unknown"),
    ],
)
def test_index_algorithm(meta: Any, expected: str) -> None:
    assert index_algorithm({} if meta is None else {"_meta": meta}) == expected


@pytest.mark.parametrize(
    ("app", "index", "removed", "status"),
    [
        ({"a": "10.1.0", "b": "10.0.0"}, {"a": "10.1.0", "b": "10.0.0"}, (), "equal"),
        ({"a": "10.2.0", "b": "10.0.0"}, {"a": "10.1.0", "b": "10.0.0"}, (), "greater"),
        ({"a": "10.1.0", "b": "10.0.0"}, {"a": "10.2.0", "b": "10.0.0"}, (), "lesser"),
        ({"a": "10.2.0", "b": "10.0.0"}, {"a": "10.1.0", "b": "10.1.0"}, (), "conflict"),
        ({"a": "10.1.0", "new": "10.0.0"}, {"a": "10.1.0"}, (), "greater"),  # a new type
        ({"a": "10.1.0"}, {"a": "10.1.0", "other": "10.9.0"}, (), "equal"),  # not ours to judge
        ({"a": "10.1.0", "gone": "10.0.0"}, {"a": "10.1.0"}, ("gone",), "equal"),
        ({"a": "10.10.0"}, {"a": "10.9.0"}, (), "greater"),  # semver, not text
        ({"a": "10.0.0"}, {"a": "garbage"}, (), "greater"),
    ],
)
def test_compare_versions(app: Any, index: Any, removed: Any, status: str) -> None:
    assert compare_versions(app, index, removed)[0] == status


@given(
    st.dictionaries(
        st.sampled_from("abcdef"), st.integers(0, 30).map(lambda n: f"10.{n}.0"), min_size=1
    ),
    st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 30).map(lambda n: f"10.{n}.0")),
)
def test_compare_versions_is_antisymmetric(app: dict[str, str], index: dict[str, str]) -> None:
    """Swapping app and index swaps greater and lesser (over the types both know)."""
    common = set(app) & set(index)
    forward, _ = compare_versions({k: app[k] for k in common}, index)
    backward, _ = compare_versions({k: index[k] for k in common}, app)
    flip = {"greater": "lesser", "lesser": "greater", "equal": "equal", "conflict": "conflict"}
    assert backward == flip[forward]


def test_incompatible_fields_names_type_changes_at_any_depth() -> None:
    old = {
        "widget": {
            "properties": {
                "title": {"type": "text", "fields": {"raw": {"type": "keyword"}}},
                "nested": {"properties": {"n": {"type": "long"}}},
                "gone": {"type": "keyword"},
            }
        }
    }
    new = {
        "widget": {
            "properties": {
                "title": {"type": "text", "fields": {"raw": {"type": "wildcard"}}},
                "nested": {"properties": {"n": {"type": "keyword"}, "added": {"type": "long"}}},
                "fresh": {"type": "keyword"},
            }
        }
    }
    assert incompatible_fields(old, new) == [
        "widget.title.raw: keyword -> wildcard",
        "widget.nested.n: long -> keyword",
    ]
    assert incompatible_fields(old, {"widget": {"type": "keyword"}}) == [
        "widget: object -> keyword"
    ]
    assert incompatible_fields(old, old) == []


def test_pickup_query_targets_changed_types_unless_a_root_field_changed() -> None:
    assert pickup_query({"widget": {}}) == {
        "bool": {"should": [{"term": {"type": "widget"}}], "minimum_should_match": 1}
    }
    assert pickup_query({"widget": {}, "namespaces": {}}) is None


def test_a_converting_run_leaves_the_documents_it_converts_to_the_conversion() -> None:
    outdated = {"term": {"typeMigrationVersion": "old"}}
    assert pickup_query({"widget": {}}, outdated) == {
        "bool": {
            "should": [{"term": {"type": "widget"}}],
            "minimum_should_match": 1,
            "must_not": [outdated],
        }
    }
    assert pickup_query({"namespaces": {}}, outdated) == {"bool": {"must_not": [outdated]}}


def test_meta_writes_keep_other_entries_and_drop_v2_only_keys() -> None:
    base = state(
        S.UPDATE_MAPPING_MODEL_VERSIONS,
        stored_meta={
            "mappingVersions": {"widget": "10.1.0", "disabled": "10.4.0"},
            "indexTypesMap": {"app": ["widget"]},
        },
    )
    meta = meta_to_write(base)
    assert meta["mappingVersions"] == {
        "widget": "10.2.0",
        "gadget": "10.0.0",
        "disabled": "10.4.0",
    }
    assert "indexTypesMap" not in meta
    started = meta_to_write(base.evolve(control_state=S.SET_DOC_MIGRATION_STARTED))
    assert started["migrationState"] == {"convertingDocuments": True}
    done = meta_to_write(base.evolve(control_state=S.UPDATE_DOCUMENT_MODEL_VERSIONS))
    assert done["docVersions"] == {"gadget": "10.0.0", "widget": "10.2.0"}
    assert done["migrationState"] == {"convertingDocuments": False}
    with pytest.raises(ValueError, match="writes no _meta"):
        meta_to_write(base.evolve(control_state=S.INIT))


# -- INIT ----------------------------------------------------------------------------------------


def test_fresh_cluster_creates_the_first_index_and_skips_conversion() -> None:
    new = model(state(), Right({}))
    assert new.control_state == S.CREATE_TARGET_INDEX
    assert new.target_index == "app_1"
    assert new.skip_documents
    created = model(new, Right("created"))
    assert created.control_state == S.INDEX_STATE_UPDATE_DONE
    assert created.stored_meta is not None
    assert created.stored_meta["docVersions"] == {"gadget": "10.0.0", "widget": "10.2.0"}
    assert model(created, Right()).control_state == S.DONE


def test_an_index_another_replica_created_first_is_read_again() -> None:
    new = model(state(S.CREATE_TARGET_INDEX, target_index="app_1"), Right("exists"))
    assert new.control_state == S.INIT


def test_upgrade_adds_the_changed_types_mappings_and_missing_aliases() -> None:
    new = model(state(), Right(indices(stored())))
    assert new.control_state == S.UPDATE_INDEX_MAPPINGS
    assert new.target_index == new.source_index == "app_1"
    assert set(new.additive_properties or {}) == {"widget"}
    assert new.alias_actions == ({"add": {"index": "app_1", "alias": "app_2.0.0"}},)
    assert new.previous_algorithm == "zdt"


def test_same_versions_only_add_aliases() -> None:
    same = stored(widget="10.2.0", widget_props=TARGET["properties"]["widget"]["properties"])
    new = model(state(), Right(indices(same)))
    assert new.control_state == S.UPDATE_ALIASES
    again = model(state(), Right(indices(same, aliases=("app", "app_2.0.0"))))
    assert again.control_state == S.INDEX_STATE_UPDATE_DONE


def test_mappings_edited_without_a_model_version_are_still_added() -> None:
    """Kibana's CI check forbids it; a Python registry cannot, so the run adds them rather
    than leave a field the strict index would refuse."""
    edited = stored(widget="10.2.0")  # the stored widget lacks `size`
    new = model(state(), Right(indices(edited, aliases=("app", "app_2.0.0"))))
    assert new.control_state == S.UPDATE_INDEX_MAPPINGS
    assert set(new.additive_properties or {}) == {"widget"}


def test_older_release_changes_nothing() -> None:
    newer = stored(widget="10.3.0", widget_props={"title": {"type": "text"}, "x": {"type": "long"}})
    new = model(state(), Right(indices(newer)))
    assert new.control_state == S.INDEX_STATE_UPDATE_DONE
    docs = model(new, Right())
    assert docs.control_state == S.DOCUMENTS_UPDATE_INIT
    assert model(docs, Right()).control_state == S.DONE


@pytest.mark.parametrize(
    ("mappings", "message"),
    [
        (stored(widget="10.1.0", gadget="10.5.0"), "Model version conflict"),
        ({"dynamic": "strict", "properties": {}}, "Cannot identify algorithm used for index app_1"),
        (
            {"_meta": {"migrationMappingPropertyHashes": {"a": "b"}}},
            "Index app_1 is using an incompatible version of the v2 algorithm",
        ),
        (
            stored(widget_props={"title": {"type": "keyword"}}),
            "cannot be updated without a reindex, which the zero-downtime algorithm never "
            "does: widget.title: keyword -> text",
        ),
    ],
)
def test_init_refusals(mappings: dict[str, Any], message: str) -> None:
    new = model(state(), Right(indices(mappings)))
    assert new.control_state == S.FATAL
    assert message in (new.reason or "")


def test_alias_on_two_indices_is_fatal() -> None:
    both = {
        "app_1": {"aliases": {"app": {}}, "mappings": stored()},
        "app_2": {"aliases": {"app": {}}, "mappings": stored()},
    }
    new = model(state(), Right(both))
    assert new.control_state == S.FATAL
    assert "The app alias is pointing to multiple indices: app_1,app_2." in (new.reason or "")


def test_v2_index_is_taken_over_with_every_type_and_converted_once() -> None:
    v2 = stored()
    del v2["_meta"]["docVersions"], v2["_meta"]["migrationState"]
    v2["_meta"]["indexTypesMap"] = {"app": ["gadget", "widget"]}
    new = model(state(), Right(indices(v2)))
    assert new.previous_algorithm == "v2"
    assert new.stored_meta is not None
    assert "indexTypesMap" not in new.stored_meta
    init = model(new.evolve(control_state=S.INDEX_STATE_UPDATE_DONE), Right())
    assert model(init, Right()).control_state == S.SET_DOC_MIGRATION_STARTED


def test_engine_refusing_the_mappings_is_fatal_with_its_reason() -> None:
    new = model(
        state(S.UPDATE_INDEX_MAPPINGS, target_index="app_1"),
        Left("incompatible_mapping_exception", {"message": "mapper [x] cannot be changed"}),
    )
    assert new.control_state == S.FATAL
    assert "mapper [x] cannot be changed" in (new.reason or "")


# -- document conversion ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("docs", "expected"),
    [
        ({"widget": "10.1.0", "gadget": "10.0.0"}, S.SET_DOC_MIGRATION_STARTED),
        ({"widget": "10.2.0", "gadget": "10.0.0"}, S.OUTDATED_DOCUMENTS_COUNT),
        ({"widget": "10.3.0", "gadget": "10.0.0"}, S.DONE),
        ({"widget": "10.1.0", "gadget": "10.4.0"}, S.FATAL),
    ],
)
def test_documents_update_init(docs: dict[str, str], expected: S) -> None:
    start = state(
        S.DOCUMENTS_UPDATE_INIT, previous_algorithm="zdt", stored_meta={"docVersions": docs}
    )
    assert model(start, Right()).control_state == expected


@pytest.mark.parametrize(("count", "expected"), [(0, S.DONE), (4, S.SET_DOC_MIGRATION_STARTED)])
def test_same_doc_versions_still_convert_stragglers(count: int, expected: S) -> None:
    assert model(state(S.OUTDATED_DOCUMENTS_COUNT), Right(count)).control_state == expected


def test_a_replica_without_the_role_stops_after_the_index_state() -> None:
    start = state(S.INDEX_STATE_UPDATE_DONE, convert_documents=False)
    assert model(start, Right()).control_state == S.DONE


def test_meta_changes_wait_for_the_other_instances() -> None:
    start = state(S.SET_DOC_MIGRATION_STARTED, sync_delay=7.5, stored_meta={})
    waiting = model(start, Right())
    assert waiting.control_state == S.SET_DOC_MIGRATION_STARTED_WAIT_FOR_INSTANCES
    assert waiting.retry_delay == 7.5
    assert model(waiting, Right()).control_state == S.CLEANUP_UNKNOWN_AND_EXCLUDED_DOCS


def test_unknown_documents_are_always_deleted() -> None:
    start = state(S.CLEANUP_UNKNOWN_AND_EXCLUDED_DOCS, source_index="app_1")
    new = model(start, Right({"unknown": [("old:1", "old")], "filters": {}, "errors": {}}))
    assert new.control_state == S.CLEANUP_UNKNOWN_AND_EXCLUDED_DOCS_DELETE
    assert new.excluded_unknown_types == ("old",)
    assert not new.discard_unknown_objects  # the option itself is left as it was
    done = model(new, Right({"deleted": 3, "by_type": {"old": 3}}))
    assert done.control_state == S.OUTDATED_DOCUMENTS_SEARCH_OPEN_PIT
    assert done.discarded_count == 3


def test_nothing_to_delete_goes_straight_to_the_loop() -> None:
    start = state(S.CLEANUP_UNKNOWN_AND_EXCLUDED_DOCS, source_index="app_1")
    new = model(start, Right({"unknown": [], "filters": {}, "errors": {}}))
    assert new.control_state == S.OUTDATED_DOCUMENTS_SEARCH_OPEN_PIT


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"wrote_any": True}, S.OUTDATED_DOCUMENTS_REFRESH),
        ({}, S.UPDATE_DOCUMENT_MODEL_VERSIONS),
        ({"corrupt_ids": ("widget:x",)}, S.FATAL),
        (
            {"corrupt_ids": ("widget:x",), "discard_corrupt_objects": True},
            S.UPDATE_DOCUMENT_MODEL_VERSIONS,
        ),
    ],
)
def test_loop_end(changes: dict[str, Any], expected: S) -> None:
    start = state(S.OUTDATED_DOCUMENTS_SEARCH_CLOSE_PIT, pit_id="p", **changes)
    assert model(start, Right()).control_state == expected


def test_refresh_then_record_doc_versions_then_done() -> None:
    refreshed = model(state(S.OUTDATED_DOCUMENTS_REFRESH), Right())
    assert refreshed.control_state == S.UPDATE_DOCUMENT_MODEL_VERSIONS
    recorded = model(refreshed.evolve(stored_meta={}), Right())
    assert recorded.control_state == S.UPDATE_DOCUMENT_MODEL_VERSIONS_WAIT_FOR_INSTANCES
    assert recorded.stored_meta is not None
    assert recorded.stored_meta["docVersions"]["widget"] == "10.2.0"
    assert model(recorded, Right()).control_state == S.DONE


def test_retryable_errors_back_off_in_any_zdt_state() -> None:
    start = state(S.UPDATE_INDEX_MAPPINGS, retry_attempts=2)
    new = model(start, Left("retryable_es_client_error", {"message": "503"}))
    assert new.control_state == S.UPDATE_INDEX_MAPPINGS
    assert new.retry_count == 1
