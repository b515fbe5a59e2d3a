"""The types snapshot and the check of type changes against it (issue 19), without an engine.

Each rule has a test where a change breaks it and, where the rule has one, a test of the
safe way to make the same change.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter

from kbn_saved_objects.cli.demo import demo_registry
from kbn_saved_objects.errors import TypeRegistrationError, UnclassifiedError
from kbn_saved_objects.migrations import (
    TypeChangeViolation,
    check_types_snapshot,
    dump_types_snapshot,
    load_types_snapshot,
    take_types_snapshot,
)
from kbn_saved_objects.migrations.type_snapshot import SNAPSHOT_FORMAT
from kbn_saved_objects.types import (
    DataBackfill,
    DataRemoval,
    MappingsAddition,
    MappingsDeprecation,
    ModelVersion,
    ModelVersionSchemas,
    NamespaceType,
    SavedObjectsType,
    SavedObjectTypeRegistry,
    UnsafeTransform,
)


class TaskV1(BaseModel):
    """Version 1 of a task."""

    title: str


class TaskV2(TaskV1):
    priority: int = 3


SCHEMAS_V1 = ModelVersionSchemas(forward_compatibility=TaskV1, create=TaskV1)
SCHEMAS_V2 = ModelVersionSchemas(forward_compatibility=TaskV2, create=TaskV2)
V1 = ModelVersion(schemas=SCHEMAS_V1)
BASE_MAPPINGS: dict[str, Any] = {"dynamic": False, "properties": {"title": {"type": "text"}}}


def backfill(doc: Any, ctx: Any) -> Any:
    return {"attributes": {"priority": 3}}


def renamed_backfill(doc: Any, ctx: Any) -> Any:
    return {"attributes": {"priority": 3}}


def task(**overrides: Any) -> SavedObjectsType:
    fields: dict[str, Any] = {
        "name": "task",
        "mappings": BASE_MAPPINGS,
        "model_versions": {1: V1},
        **overrides,
    }
    return SavedObjectsType(**fields)


def registry(*types: SavedObjectsType, legacy_types: Sequence[str] = ()) -> SavedObjectTypeRegistry:
    result = SavedObjectTypeRegistry(core_types=False, legacy_types=legacy_types)
    for definition in types:
        result.register(definition)
    return result.freeze()


def snapshot(*types: SavedObjectsType) -> dict[str, Any]:
    return take_types_snapshot(registry(*types))


def rules(previous: dict[str, Any], *types: SavedObjectsType, **kwargs: Any) -> list[str]:
    return [v.rule for v in check_types_snapshot(previous, registry(*types), **kwargs)]


WITH_PRIORITY = {
    "dynamic": False,
    "properties": {"title": {"type": "text"}, "priority": {"type": "integer"}},
}
V2_PRIORITY = ModelVersion(
    changes=[
        MappingsAddition(added_mappings={"priority": {"type": "integer"}}),
        DataBackfill(backfill_fn=backfill),
    ],
    schemas=SCHEMAS_V2,
)


# -- the snapshot ----------------------------------------------------------------------


def test_a_snapshot_records_what_the_check_compares() -> None:
    taken = snapshot(task(mappings=WITH_PRIORITY, model_versions={1: V1, 2: V2_PRIORITY}))
    assert taken["format"] == SNAPSHOT_FORMAT
    entry = taken["types"]["task"]
    assert entry["namespace_type"] == "single"
    assert entry["mappings"] == WITH_PRIORITY
    assert len(entry["mappings_hash"]) == 32
    assert [v["version"] for v in entry["model_versions"]] == [1, 2]
    v2 = entry["model_versions"][1]
    assert v2["changes"] == [
        {
            "kind": "mappings_addition",
            "added_mappings": {"priority": {"type": "integer"}},
            "added_fields": ["priority"],
        },
        {"kind": "data_backfill", "function": f"{__name__}.backfill"},
    ]
    assert v2["schemas"]["create"]["kind"] == "json_schema"
    assert v2["schemas"]["create"] == v2["schemas"]["forward_compatibility"]
    assert len(v2["hash"]) == 64


def test_the_mappings_hash_is_the_one_index_meta_holds() -> None:
    from kbn_saved_objects.mappings import build_index_mappings

    types = registry(task())
    stored = build_index_mappings(types)[".kibana"]["_meta"]["migrationMappingPropertyHashes"]
    assert take_types_snapshot(types)["types"]["task"]["mappings_hash"] == stored["task"]


def test_functions_and_opaque_schemas_are_recorded_by_name() -> None:
    def attributes_only(attributes: Any) -> Any:
        return attributes

    version = ModelVersion(
        changes=[
            UnsafeTransform(transform_fn=backfill),
            DataRemoval(removed_attribute_paths=["x"]),
        ],
        schemas=ModelVersionSchemas(forward_compatibility=attributes_only),
    )
    entry = snapshot(task(model_versions={1: V1, 2: version}))["types"]["task"]
    v2 = entry["model_versions"][1]
    assert v2["changes"][0] == {"kind": "unsafe_transform", "function": f"{__name__}.backfill"}
    assert v2["changes"][1] == {"kind": "data_removal", "removed_attribute_paths": ["x"]}
    assert v2["schemas"]["forward_compatibility"] == {
        "kind": "opaque",
        "name": f"{__name__}.{attributes_only.__qualname__}",
    }
    assert v2["schemas"]["create"] is None


def test_a_renamed_function_or_a_model_docstring_is_no_edit() -> None:
    class Renamed(BaseModel):
        """Another docstring, another class name: the same document shape."""

        title: str

    before = snapshot(task(mappings=WITH_PRIORITY, model_versions={1: V1, 2: V2_PRIORITY}))
    renamed = ModelVersion(
        changes=[
            MappingsAddition(added_mappings={"priority": {"type": "integer"}}),
            DataBackfill(backfill_fn=renamed_backfill),
        ],
        schemas=SCHEMAS_V2,
    )
    v1 = ModelVersion(schemas=ModelVersionSchemas(forward_compatibility=Renamed, create=Renamed))
    after = snapshot(task(mappings=WITH_PRIORITY, model_versions={1: v1, 2: renamed}))
    assert [v["hash"] for v in before["types"]["task"]["model_versions"]] == [
        v["hash"] for v in after["types"]["task"]["model_versions"]
    ]


def test_a_field_called_name_counts_in_the_hash() -> None:
    def version(field_type: str) -> ModelVersion:
        return ModelVersion(
            changes=[MappingsAddition(added_mappings={"name": {"type": field_type}})],
            schemas=SCHEMAS_V1,
        )

    def hash_of(field_type: str) -> str:
        mappings = {"properties": {"title": {"type": "text"}, "name": {"type": field_type}}}
        entry = snapshot(task(mappings=mappings, model_versions={1: V1, 2: version(field_type)}))
        return str(entry["types"]["task"]["model_versions"][1]["hash"])

    assert hash_of("text") != hash_of("keyword")


def test_a_registry_must_be_frozen() -> None:
    open_registry = SavedObjectTypeRegistry(core_types=False)
    open_registry.register(task())
    with pytest.raises(TypeRegistrationError, match="must be frozen"):
        take_types_snapshot(open_registry)


def test_core_types_and_legacy_types_are_in_the_snapshot() -> None:
    types = SavedObjectTypeRegistry(legacy_types=["old"])
    types.register(task())
    taken = take_types_snapshot(types.freeze())
    assert sorted(taken["types"]) == ["legacy-url-alias", "task"]
    assert taken["retired_types"] == ["old"]


@st.composite
def type_sets(draw: st.DrawFn) -> list[SavedObjectsType]:
    names = draw(st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), unique=True, min_size=1))
    result = []
    for name in names:
        count = draw(st.integers(min_value=0, max_value=3))
        versions = {
            n: V1 if n == 1 else ModelVersion(schemas=SCHEMAS_V2) for n in range(1, count + 1)
        }
        fields = draw(st.lists(st.sampled_from(["x", "y", "z"]), unique=True))
        namespace = draw(st.sampled_from(list(NamespaceType)))
        mappings = {"properties": {field: {"type": "keyword"} for field in fields}}
        result.append(
            SavedObjectsType(
                name=name, mappings=mappings, model_versions=versions, namespace_type=namespace
            )
        )
    return result


@given(type_sets(), st.randoms())
def test_the_snapshot_does_not_depend_on_registration_order(
    types: list[SavedObjectsType], random: Any
) -> None:
    shuffled = list(types)
    random.shuffle(shuffled)
    first, second = snapshot(*types), snapshot(*shuffled)
    assert dump_types_snapshot(first) == dump_types_snapshot(second)
    assert check_types_snapshot(first, second) == []


@given(type_sets())
def test_the_snapshot_round_trips_through_its_file(types: list[SavedObjectsType]) -> None:
    taken = snapshot(*types)
    assert load_types_snapshot(dump_types_snapshot(taken)) == taken


def test_the_demo_registry_round_trips_through_json() -> None:
    for evolved in (False, True):
        taken = take_types_snapshot(demo_registry(evolved=evolved))
        assert json.loads(json.dumps(taken)) == taken
        assert load_types_snapshot(dump_types_snapshot(taken)) == taken
        assert dump_types_snapshot(taken) == dump_types_snapshot(
            take_types_snapshot(demo_registry(evolved=evolved))
        )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not JSON"),
        ("[]", "expected an object with format 1 or 2"),
        ('{"format": 3, "types": {}}', "expected an object with format 1 or 2"),
        ('{"format": 1, "types": []}', "'types' must map names to objects"),
        ('{"format": 1, "types": {}, "retired_types": [1]}', "'retired_types' must list"),
    ],
)
def test_a_file_that_is_no_snapshot_is_refused(text: str, message: str) -> None:
    with pytest.raises(UnclassifiedError, match=message):
        load_types_snapshot(text)


# -- the check: safe changes -----------------------------------------------------------


def test_an_unchanged_registry_passes() -> None:
    assert rules(snapshot(task()), task()) == []


def test_a_new_model_version_declaring_a_new_field_passes() -> None:
    previous = snapshot(task())
    assert (
        rules(previous, task(mappings=WITH_PRIORITY, model_versions={1: V1, 2: V2_PRIORITY})) == []
    )


def test_a_new_type_passes() -> None:
    assert rules(snapshot(task()), task(), task(name="note")) == []


def test_a_schema_only_edit_of_the_latest_version_passes_as_in_kibana() -> None:
    previous = snapshot(task())
    tightened = ModelVersion(schemas=SCHEMAS_V2)
    assert rules(previous, task(model_versions={1: tightened})) == []


WITH_LEGACY_FIELD = {
    "dynamic": False,
    "properties": {"title": {"type": "text"}, "old": {"type": "keyword"}},
}


def test_a_deprecated_field_may_leave_the_mappings() -> None:
    previous = snapshot(task(mappings=WITH_LEGACY_FIELD))
    v2 = ModelVersion(
        changes=[MappingsDeprecation(deprecated_mappings=["old"])], schemas=SCHEMAS_V1
    )
    assert rules(previous, task(model_versions={1: V1, 2: v2})) == []


def test_a_retired_type_may_go() -> None:
    previous = snapshot(task(), task(name="note"))
    assert rules(previous, task(), retired=["note"]) == []
    previous["retired_types"] = ["note"]
    assert rules(previous, task()) == []
    legacy = check_types_snapshot(
        snapshot(task(), task(name="note")), registry(task(), legacy_types=["note"])
    )
    assert legacy == []


# -- the check: each rule --------------------------------------------------------------


def test_model_version_removed() -> None:
    previous = snapshot(task(mappings=WITH_PRIORITY, model_versions={1: V1, 2: V2_PRIORITY}))
    assert rules(previous, task(mappings=WITH_PRIORITY)) == ["model-version-removed"]


def test_model_version_edited() -> None:
    previous = snapshot(task(mappings=WITH_PRIORITY, model_versions={1: V1, 2: V2_PRIORITY}))
    edited = ModelVersion(
        changes=[MappingsAddition(added_mappings={"priority": {"type": "integer"}})],
        schemas=SCHEMAS_V2,
    )
    assert rules(previous, task(mappings=WITH_PRIORITY, model_versions={1: V1, 2: edited})) == [
        "model-version-edited"
    ]


def test_an_older_version_s_schemas_may_not_change() -> None:
    previous = snapshot(task(mappings=WITH_PRIORITY, model_versions={1: V1, 2: V2_PRIORITY}))
    v1 = ModelVersion(schemas=SCHEMAS_V2)
    assert rules(
        previous, task(mappings=WITH_PRIORITY, model_versions={1: v1, 2: V2_PRIORITY})
    ) == ["model-version-edited"]


def test_model_versions_not_consecutive() -> None:
    previous = snapshot(task())
    current = take_types_snapshot(registry(task()))
    current["types"]["task"]["model_versions"][0]["version"] = 2
    found = check_types_snapshot(previous, current)
    assert [v.rule for v in found] == ["model-version-removed", "model-versions-not-consecutive"]


def test_too_many_new_model_versions() -> None:
    previous = snapshot(task())
    v3 = ModelVersion(schemas=SCHEMAS_V2)
    current = task(mappings=WITH_PRIORITY, model_versions={1: V1, 2: V2_PRIORITY, 3: v3})
    assert rules(previous, current) == ["too-many-new-model-versions"]


def test_model_version_missing_schemas() -> None:
    previous = snapshot(task())
    bare = ModelVersion(changes=V2_PRIORITY.changes)
    found = check_types_snapshot(
        previous, registry(task(mappings=WITH_PRIORITY, model_versions={1: V1, 2: bare}))
    )
    assert [v.rule for v in found] == ["model-version-missing-schemas"]
    assert "no forward_compatibility and no create schema" in found[0].message


def test_initial_model_version_has_changes() -> None:
    previous = snapshot(task(model_versions=None))
    first = ModelVersion(changes=V2_PRIORITY.changes, schemas=SCHEMAS_V2)
    assert rules(previous, task(mappings=WITH_PRIORITY, model_versions={1: first})) == [
        "initial-model-version-has-changes"
    ]


def test_mapping_added_without_model_version() -> None:
    previous = snapshot(task())
    assert rules(previous, task(mappings=WITH_PRIORITY)) == ["mapping-added-without-model-version"]


def test_mapping_added_in_a_new_version_that_does_not_declare_it() -> None:
    previous = snapshot(task())
    undeclared = ModelVersion(schemas=SCHEMAS_V2)
    current = task(mappings=WITH_PRIORITY, model_versions={1: V1, 2: undeclared})
    assert rules(previous, current) == ["mapping-added-without-model-version"]


def test_a_new_object_field_is_covered_by_its_parent() -> None:
    previous = snapshot(task())
    meta = {"properties": {"owner": {"type": "keyword", "ignore_above": 1024}}}
    mappings = {"dynamic": False, "properties": {**BASE_MAPPINGS["properties"], "meta": meta}}
    v2 = ModelVersion(changes=[MappingsAddition(added_mappings={"meta": meta})], schemas=SCHEMAS_V2)
    assert rules(previous, task(mappings=mappings, model_versions={1: V1, 2: v2})) == []


def test_mapping_removed_without_deprecation() -> None:
    previous = snapshot(task(mappings=WITH_LEGACY_FIELD))
    assert rules(previous, task()) == ["mapping-removed-without-deprecation"]
    v2 = ModelVersion(schemas=SCHEMAS_V1)
    assert rules(previous, task(model_versions={1: V1, 2: v2})) == [
        "mapping-removed-without-deprecation"
    ]


def test_mapping_type_changed_is_refused_even_with_a_model_version() -> None:
    previous = snapshot(task())
    keyword = {"type": "keyword", "ignore_above": 1024}
    as_keyword = {"dynamic": False, "properties": {"title": keyword}}
    v2 = ModelVersion(
        changes=[MappingsAddition(added_mappings={"title": keyword})],
        schemas=SCHEMAS_V2,
    )
    found = check_types_snapshot(
        previous, registry(task(mappings=as_keyword, model_versions={1: V1, 2: v2}))
    )
    assert found == [
        TypeChangeViolation(
            "task",
            "mapping-type-changed",
            "field 'title' changed type from 'text' to 'keyword': the engine cannot "
            "change a field's type in place; add a new field instead",
        )
    ]


def test_mapping_changed_without_model_version() -> None:
    previous = snapshot(task())
    changed = {"dynamic": False, "properties": {"title": {"type": "text", "analyzer": "simple"}}}
    assert rules(previous, task(mappings=changed)) == ["mapping-changed-without-model-version"]
    v2 = ModelVersion(
        changes=[
            MappingsAddition(added_mappings={"title": {"type": "text", "analyzer": "simple"}})
        ],
        schemas=SCHEMAS_V2,
    )
    assert rules(previous, task(mappings=changed, model_versions={1: V1, 2: v2})) == []


def test_root_mapping_options_changed_without_model_version() -> None:
    previous = snapshot(task())
    strict = {"dynamic": "strict", "properties": BASE_MAPPINGS["properties"]}
    found = check_types_snapshot(previous, registry(task(mappings=strict)))
    assert [v.rule for v in found] == ["mapping-changed-without-model-version"]
    assert "(root)" in found[0].message


def test_legacy_migrations_changed() -> None:
    previous = snapshot(task(model_versions=None, migrations={"7.0.0": backfill}))
    current = task(model_versions=None, migrations={"7.0.0": backfill, "7.1.0": backfill})
    assert rules(previous, current) == ["legacy-migrations-changed"]


def test_type_removed() -> None:
    found = check_types_snapshot(snapshot(task(), task(name="note")), registry(task()))
    assert [str(v) for v in found] == [
        "note: type-removed: the type is no longer registered: register it again, or retire "
        "it (`kbn-so types check --retire note --update`) so that its name is never reused"
    ]


def test_retired_type_registered() -> None:
    previous = snapshot(task())
    previous["retired_types"] = ["note"]
    assert rules(previous, task(), task(name="note")) == ["retired-type-registered"]


@pytest.mark.parametrize(
    ("was", "now", "convert", "safe"),
    [
        ("single", "multiple", None, False),
        ("single", "multiple", "7.0.0", True),
        ("single", "multiple-isolated", "7.0.0", True),
        ("multiple-isolated", "multiple", None, True),
        ("multiple", "multiple-isolated", None, False),
        ("multiple", "single", None, False),
        ("single", "agnostic", None, False),
        ("agnostic", "single", None, False),
        ("agnostic", "multiple", "7.0.0", False),
    ],
)
def test_namespace_type_changed(was: str, now: str, convert: str | None, safe: bool) -> None:
    previous = snapshot(task(namespace_type=NamespaceType(was)))
    current = task(
        namespace_type=NamespaceType(now), convert_to_multi_namespace_type_version=convert
    )
    assert rules(previous, current) == ([] if safe else ["namespace-type-changed"])


def test_violations_come_in_a_stable_order() -> None:
    previous = snapshot(task(), task(name="b-note"), task(name="a-note"))
    current = [task(mappings=WITH_PRIORITY, namespace_type="agnostic")]
    found = check_types_snapshot(previous, registry(*current))
    assert [(v.type_name, v.rule) for v in found] == [
        ("a-note", "type-removed"),
        ("b-note", "type-removed"),
        ("task", "mapping-added-without-model-version"),
        ("task", "namespace-type-changed"),
    ]
    assert found == sorted(found)


class Opaque:
    pass


class Unschematic(BaseModel):
    model_config = {"arbitrary_types_allowed": True}

    thing: Opaque


@pytest.mark.parametrize(
    ("schema", "kind"),
    [
        (Unschematic, "opaque"),  # pydantic cannot describe it: only its presence counts
        ({"type": "object", "properties": {"title": {"type": "string"}}}, "json_schema"),
        (TypeAdapter(dict[str, int]), "json_schema"),
        (42, "opaque"),
    ],
)
def test_each_kind_of_schema_is_recorded(schema: Any, kind: str) -> None:
    version = ModelVersion(schemas=ModelVersionSchemas(create=schema))
    entry = snapshot(task(model_versions={1: version}))["types"]["task"]
    assert entry["model_versions"][0]["schemas"]["create"]["kind"] == kind
