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
    SavedObjectsTypeManagement,
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


# -- the check: new types --------------------------------------------------------------


def note(**overrides: Any) -> SavedObjectsType:
    return task(name="note", **overrides)


def test_new_type_legacy_migrations() -> None:
    previous = snapshot(task())
    assert rules(previous, task(), note(migrations={"7.0.0": backfill})) == [
        "new-type-legacy-migrations"
    ]
    assert rules(previous, task(), note()) == []


def test_new_type_missing_initial_model_version() -> None:
    previous = snapshot(task())
    found = check_types_snapshot(previous, registry(task(), note(model_versions=None)))
    assert [v.rule for v in found] == ["new-type-missing-initial-model-version"]
    assert "add model_versions={1: ModelVersion(" in found[0].message
    assert rules(previous, task(), note(model_versions={1: V1})) == []


def test_a_new_type_s_initial_model_version_has_schemas_only() -> None:
    previous = snapshot(task())
    first = ModelVersion(changes=V2_PRIORITY.changes, schemas=SCHEMAS_V2)
    found = check_types_snapshot(
        previous, registry(task(), note(mappings=WITH_PRIORITY, model_versions={1: first}))
    )
    assert [v.rule for v in found] == ["initial-model-version-has-changes"]
    assert "model version 1 of a new type declares changes" in found[0].message
    two = {1: ModelVersion(schemas=SCHEMAS_V2), 2: V2_PRIORITY}
    assert rules(previous, task(), note(mappings=WITH_PRIORITY, model_versions=two)) == []


def test_a_new_type_s_latest_model_version_has_both_schemas() -> None:
    previous = snapshot(task())
    latest = ModelVersion(schemas=ModelVersionSchemas(create=TaskV2))
    found = check_types_snapshot(
        previous, registry(task(), note(model_versions={1: V1, 2: latest}))
    )
    assert [str(v) for v in found] == [
        "note: model-version-missing-schemas: new model version 2 has no "
        "forward_compatibility schema: give every new model version both schemas"
    ]
    assert rules(previous, task(), note(model_versions={1: V1, 2: ModelVersion()})) == [
        "model-version-missing-schemas"
    ]
    complete = ModelVersion(schemas=SCHEMAS_V2)
    assert rules(previous, task(), note(model_versions={1: V1, 2: complete})) == []


def test_a_retired_name_registered_is_only_refused_for_that() -> None:
    previous = snapshot(task())
    previous["retired_types"] = ["note"]
    assert rules(previous, task(), note(model_versions=None)) == ["retired-type-registered"]


def test_the_types_the_library_ships_are_not_judged_as_new() -> None:
    from kbn_saved_objects.extensions.spaces.space_type import SPACE_TYPE, space_type
    from kbn_saved_objects.migrations import type_snapshot
    from kbn_saved_objects.types.legacy_url_alias import LEGACY_URL_ALIAS_TYPE

    assert {LEGACY_URL_ALIAS_TYPE, SPACE_TYPE} == type_snapshot._SHIPPED_TYPES
    with_spaces = SavedObjectTypeRegistry()
    with_spaces.register(space_type)
    current = take_types_snapshot(with_spaces.freeze())
    assert check_types_snapshot({"types": {}}, current) == []
    # they would not pass as a project's own new types: Kibana's history predates the rules
    for name in (LEGACY_URL_ALIAS_TYPE, SPACE_TYPE):
        assert type_snapshot._check_new_type(name, current["types"][name])


# -- the check: options a new field may not have ---------------------------------------


@pytest.mark.parametrize(
    ("mapping", "rule"),
    [
        ({"type": "keyword", "ignore_above": 1024, "index": False}, "mapping-index-false"),
        ({"type": "object", "enabled": False}, "mapping-enabled-false"),
        ({"type": "keyword"}, "keyword-missing-ignore-above"),
        ({"type": "flattened"}, "keyword-missing-ignore-above"),
    ],
)
def test_a_new_type_s_fields(mapping: dict[str, Any], rule: str) -> None:
    previous = snapshot(task())
    mappings = {"dynamic": False, "properties": {"title": {"type": "text"}, "extra": mapping}}

    class WithExtra(TaskV1):
        extra: Any = None

    schemas = ModelVersionSchemas(forward_compatibility=WithExtra, create=WithExtra)
    current = note(mappings=mappings, model_versions={1: ModelVersion(schemas=schemas)})
    found = check_types_snapshot(previous, registry(task(), current))
    assert [(v.type_name, v.rule) for v in found] == [("note", rule)]
    assert "'extra'" in found[0].message
    plain = {**mappings, "properties": {**mappings["properties"], "extra": {"type": "text"}}}
    fixed = note(mappings=plain, model_versions={1: ModelVersion(schemas=schemas)})
    assert rules(previous, task(), fixed) == []


def test_index_false_says_why() -> None:
    previous = snapshot(task())
    mappings = {"dynamic": False, "properties": {"title": {"type": "text", "index": False}}}
    (found,) = check_types_snapshot(previous, registry(task(), note(mappings=mappings)))
    assert found.message == (
        "field 'title' is mapped with `index: false`: the engine can never change `index` "
        "of an existing field, so it could not become searchable without a reindex; map "
        "only the fields you search, and leave this one out of `mappings` (with `dynamic: "
        "false` its value is still kept in `_source`)"
    )


def test_a_multi_field_needs_ignore_above_too() -> None:
    previous = snapshot(task())
    title = {"type": "text", "fields": {"raw": {"type": "keyword"}}}
    mappings = {"dynamic": False, "properties": {"title": title}}
    found = check_types_snapshot(previous, registry(task(), note(mappings=mappings)))
    assert [v.rule for v in found] == ["keyword-missing-ignore-above"]
    assert "'title.fields.raw'" in found[0].message
    title["fields"]["raw"]["ignore_above"] = 256  # type: ignore[index]
    assert rules(previous, task(), note(mappings=mappings)) == []


KEYWORD = {"type": "keyword", "ignore_above": 1024}


def added(field: str, mapping: dict[str, Any]) -> tuple[dict[str, Any], dict[int, ModelVersion]]:
    """An existing ``task``'s mappings and model versions with ``field`` added in v2."""
    mappings = {"dynamic": False, "properties": {"title": {"type": "text"}, field: mapping}}
    v2 = ModelVersion(
        changes=[MappingsAddition(added_mappings={field: mapping})], schemas=SCHEMAS_V2
    )
    return mappings, {1: V1, 2: v2}


@pytest.mark.parametrize(
    ("mapping", "rule"),
    [
        ({**KEYWORD, "index": False}, "mapping-index-false"),
        ({"type": "object", "enabled": False}, "mapping-enabled-false"),
        ({"type": "keyword"}, "keyword-missing-ignore-above"),
    ],
)
def test_a_field_a_new_model_version_adds(mapping: dict[str, Any], rule: str) -> None:
    previous = snapshot(task())
    mappings, versions = added("owner", mapping)
    assert rules(previous, task(mappings=mappings, model_versions=versions)) == [rule]
    mappings, versions = added("owner", KEYWORD)
    assert rules(previous, task(mappings=mappings, model_versions=versions)) == []


@pytest.mark.parametrize(
    "mapping",
    [
        {"type": "keyword", "index": False},
        {"type": "object", "enabled": False},
        {"type": "keyword"},
    ],
)
def test_a_field_that_already_shipped_is_left_alone(mapping: dict[str, Any]) -> None:
    mappings, versions = added("owner", mapping)
    previous = snapshot(task(mappings=mappings, model_versions=versions))
    v3 = ModelVersion(schemas=SCHEMAS_V2)
    assert rules(previous, task(mappings=mappings, model_versions={**versions, 3: v3})) == []


# -- the check: mapped fields in the create schema -------------------------------------


class Owner(BaseModel):
    name: str


class Rich(BaseModel):
    title: str
    owners: list[Owner] | None = None
    meta: dict[str, Any] = {}


def rich_note(mappings: dict[str, Any], schema: Any = Rich) -> SavedObjectsType:
    schemas = ModelVersionSchemas(forward_compatibility=schema, create=schema)
    return note(
        mappings={"dynamic": False, "properties": mappings},
        model_versions={1: ModelVersion(schemas=schemas)},
    )


def test_mapping_not_in_schema() -> None:
    previous = snapshot(task())
    mappings = {"title": {"type": "text"}, "status": KEYWORD}
    found = check_types_snapshot(previous, registry(task(), rich_note(mappings)))
    assert [str(v) for v in found] == [
        "note: mapping-not-in-schema: field 'status' is mapped but the create schema of model "
        "version 1 does not accept it: add it to the schema, or remove the mapping"
    ]


def test_nested_lists_unions_and_open_objects_are_in_the_schema() -> None:
    previous = snapshot(task())
    mappings = {
        "title": {"type": "text"},
        "owners": {"properties": {"name": KEYWORD}},
        "meta": {"properties": {"anything": KEYWORD}},
    }
    assert rules(previous, task(), rich_note(mappings)) == []
    wrong = {**mappings, "owners": {"properties": {"email": KEYWORD}}}
    found = check_types_snapshot(previous, registry(task(), rich_note(wrong)))
    assert [(v.rule, "'owners.email'" in v.message) for v in found] == [
        ("mapping-not-in-schema", True)
    ]


def test_a_schema_that_cannot_be_introspected_is_not_judged() -> None:
    def attributes_only(attributes: Any) -> Any:
        return attributes

    previous = snapshot(task())
    mappings = {"title": {"type": "text"}, "status": KEYWORD}
    assert rules(previous, task(), rich_note(mappings, attributes_only)) == []
    assert rules(previous, task(), rich_note(mappings, Unschematic)) == []


def test_a_schema_only_edit_of_the_latest_version_keeps_the_mapped_fields() -> None:
    class Untitled(BaseModel):
        priority: int = 3

    previous = snapshot(task())
    dropped = ModelVersion(
        schemas=ModelVersionSchemas(forward_compatibility=Untitled, create=Untitled)
    )
    found = check_types_snapshot(previous, registry(task(model_versions={1: dropped})))
    assert [str(v) for v in found] == [
        "task: mapping-not-in-schema: field 'title' is mapped but the create schema of model "
        "version 1 does not accept it: keep it in the edited schema, or make the change in a "
        "new model version"
    ]
    v2 = ModelVersion(schemas=dropped.schemas)
    assert rules(previous, task(model_versions={1: V1, 2: v2})) == []  # as recipe 4 does


# -- the check: the type's index -------------------------------------------------------


def test_type_index_changed() -> None:
    previous = snapshot(task())
    found = check_types_snapshot(previous, registry(task(index_pattern=".tasks")))
    assert [str(v) for v in found] == [
        "task: type-index-changed: the type's index changed from the default index to "
        "'.tasks': no migration moves a type's objects to another index, so the stored ones "
        "would be left behind in the old one; keep the type's `index_pattern`"
    ]
    assert rules(snapshot(task(index_pattern=".tasks")), task(index_pattern=".tasks")) == []
    assert rules(snapshot(task(index_pattern=".tasks")), task()) == ["type-index-changed"]


# -- snapshot formats ------------------------------------------------------------------


def test_the_snapshot_records_the_fields_a_schema_names() -> None:
    entry = snapshot(rich_note({"title": {"type": "text"}}))["types"]["note"]
    assert entry["model_versions"][0]["schemas"]["create"]["fields"] == [
        "meta",
        "meta.*",
        "owners",
        "owners.name",
        "title",
    ]


def format_1(taken: dict[str, Any]) -> dict[str, Any]:
    """``taken`` as format 1 wrote it: no ``fields`` in schema summaries."""
    old = json.loads(json.dumps(taken))
    old["format"] = 1
    for entry in old["types"].values():
        for version in entry["model_versions"]:
            for summary in version["schemas"].values():
                if summary:
                    summary.pop("fields", None)
    return old


def test_a_format_1_snapshot_is_read_and_checked_as_it_is() -> None:
    types = [task(mappings=WITH_PRIORITY, model_versions={1: V1, 2: V2_PRIORITY})]
    old = format_1(snapshot(*types))
    loaded = load_types_snapshot(dump_types_snapshot(old))
    assert loaded["format"] == 1
    assert check_types_snapshot(loaded, registry(*types)) == []  # the hashes did not move
    edited = ModelVersion(changes=V2_PRIORITY.changes[:1], schemas=SCHEMAS_V2)
    assert rules(loaded, task(mappings=WITH_PRIORITY, model_versions={1: V1, 2: edited})) == [
        "model-version-edited"
    ]


def test_a_format_1_current_snapshot_skips_the_schema_fields_rule() -> None:
    previous = snapshot(task())
    current = format_1(snapshot(task(), rich_note({"title": {"type": "text"}, "x": KEYWORD})))
    assert check_types_snapshot(previous, current) == []


def test_the_schema_fields_leave_the_hashes_as_format_1_computed_them() -> None:
    from kbn_saved_objects.migrations.type_snapshot import _sha256

    version = snapshot(rich_note({"title": {"type": "text"}}))["types"]["note"]["model_versions"][0]
    schema = version["schemas"]["create"]
    as_format_1 = {"kind": schema["kind"], "hash": schema["hash"]}
    expected = _sha256(
        {"changes": [], "schemas": {"create": as_format_1, "forward_compatibility": as_format_1}}
    )
    assert version["hash"] == expected


# -- the check: name and title of an importable type -----------------------------------


IMPORTABLE = SavedObjectsTypeManagement(importable_and_exportable=True)


def test_name_title_not_text_in_a_new_type() -> None:
    previous = snapshot(task())
    keyword_title = {"dynamic": False, "properties": {"title": KEYWORD}}
    found = check_types_snapshot(
        previous, registry(task(), note(mappings=keyword_title, management=IMPORTABLE))
    )
    assert [str(v) for v in found] == [
        "note: name-title-not-text: field 'title' of an importable type is mapped as "
        "'keyword': map it as `text` so that a search matches its words (add a `keyword` "
        "multi-field to sort on it)"
    ]
    assert rules(previous, task(), note(management=IMPORTABLE)) == []
    assert rules(previous, task(), note(mappings=keyword_title)) == []  # not importable


def test_name_title_not_text_newly_in_an_existing_type() -> None:
    previous = snapshot(task(management=IMPORTABLE))
    mappings, versions = added("name", KEYWORD)
    current = task(mappings=mappings, model_versions=versions, management=IMPORTABLE)
    assert rules(previous, current) == ["name-title-not-text"]
    shipped = snapshot(task(mappings=mappings, model_versions=versions))
    assert rules(shipped, current) == []  # already a keyword: Kibana only warns
    assert take_types_snapshot(registry(current))["types"]["task"]["importable_and_exportable"]
