"""Index mappings built from a registry: layout, per-index split, ``_meta``, errors."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.errors import TypeRegistrationError
from kbn_saved_objects.mappings import (
    MAIN_SAVED_OBJECT_INDEX,
    EngineCapabilities,
    build_index_mappings,
    build_mappings,
    build_type_mappings,
    current_virtual_version,
    index_types_map,
    legacy_mapping_hash,
    root_field_mappings,
)
from kbn_saved_objects.types import (
    MappingsAddition,
    ModelVersion,
    SavedObjectsType,
    SavedObjectTypeRegistry,
    legacy_url_alias_type,
)

DASHBOARD_MAPPINGS: dict[str, Any] = {
    "dynamic": False,
    "properties": {"title": {"type": "text"}, "description": {"type": "text"}},
}


@pytest.fixture
def registry() -> SavedObjectTypeRegistry:
    registry = SavedObjectTypeRegistry()
    registry.register(
        SavedObjectsType(
            name="dashboard",
            namespace_type="multiple-isolated",
            mappings=DASHBOARD_MAPPINGS,
            model_versions={
                1: ModelVersion(),
                2: ModelVersion(
                    changes=(MappingsAddition(added_mappings={"title": {"type": "text"}}),)
                ),
                3: ModelVersion(),
            },
        )
    )
    registry.register(legacy_url_alias_type)
    registry.register(
        SavedObjectsType(
            name="task",
            namespace_type="agnostic",
            index_pattern=".kibana_task_manager",
            mappings={"properties": {"status": {"type": "keyword"}}},
            model_versions=lambda: {"1": ModelVersion()},
        )
    )
    return registry.freeze()


def test_one_mapping_per_index(registry: SavedObjectTypeRegistry) -> None:
    built = build_index_mappings(registry)
    assert list(built) == [".kibana", ".kibana_task_manager"]
    main = built[".kibana"]
    assert list(main) == ["dynamic", "properties", "_meta"]
    assert main["dynamic"] == "strict"
    root = root_field_mappings()
    assert list(main["properties"]) == [*root, "dashboard", "legacy-url-alias"]
    assert {k: main["properties"][k] for k in root} == root
    assert main["properties"]["dashboard"] == DASHBOARD_MAPPINGS
    assert main["properties"]["legacy-url-alias"]["dynamic"] is False
    tasks = built[".kibana_task_manager"]
    assert list(tasks["properties"]) == [*root, "task"]
    assert tasks["properties"]["task"] == {"properties": {"status": {"type": "keyword"}}}


def test_meta(registry: SavedObjectTypeRegistry) -> None:
    built = build_index_mappings(registry)
    index_types = {".kibana": ["dashboard", "legacy-url-alias"], ".kibana_task_manager": ["task"]}
    main_meta = built[".kibana"]["_meta"]
    assert main_meta["indexTypesMap"] == index_types
    assert built[".kibana_task_manager"]["_meta"]["indexTypesMap"] == index_types
    assert main_meta["mappingVersions"] == {"dashboard": "10.3.0", "legacy-url-alias": "10.0.0"}
    assert built[".kibana_task_manager"]["_meta"]["mappingVersions"] == {"task": "10.1.0"}
    hashes = main_meta["migrationMappingPropertyHashes"]
    assert set(hashes) == set(built[".kibana"]["properties"])
    assert hashes["type"] == "2f4316de49999235636386fe51dc06c1"
    assert hashes["references"] == "7997cf5a56cc02bdc9c93361bde732b0"
    assert hashes["typeMigrationVersion"] == "539e3ecebb3abc1133618094cc3b7ae7"
    assert hashes["dashboard"] == legacy_mapping_hash(DASHBOARD_MAPPINGS)


def test_opensearch_variant_changes_only_type_migration_version(
    registry: SavedObjectTypeRegistry,
) -> None:
    elasticsearch = build_index_mappings(registry)[".kibana"]
    opensearch = build_index_mappings(
        registry, capabilities=EngineCapabilities(supports_version_field=False)
    )[".kibana"]
    assert opensearch["properties"]["typeMigrationVersion"] == {"type": "keyword"}
    assert opensearch["_meta"]["migrationMappingPropertyHashes"]["typeMigrationVersion"] == (
        "2f4316de49999235636386fe51dc06c1"
    )
    for key in ("properties", "_meta"):
        elasticsearch[key].pop("typeMigrationVersion", None)
        opensearch[key].pop("typeMigrationVersion", None)
    elasticsearch["_meta"]["migrationMappingPropertyHashes"].pop("typeMigrationVersion")
    opensearch["_meta"]["migrationMappingPropertyHashes"].pop("typeMigrationVersion")
    assert elasticsearch == opensearch


def test_options(registry: SavedObjectTypeRegistry) -> None:
    built = build_index_mappings(registry, main_index=".my_app", include_legacy_hashes=False)
    assert list(built) == [".my_app", ".kibana_task_manager"]
    assert "migrationMappingPropertyHashes" not in built[".my_app"]["_meta"]


def test_built_mappings_are_independent_copies(registry: SavedObjectTypeRegistry) -> None:
    first = build_index_mappings(registry)
    first[".kibana"]["properties"]["dashboard"]["properties"].clear()
    assert build_index_mappings(registry)[".kibana"]["properties"]["dashboard"] == (
        DASHBOARD_MAPPINGS
    )


def test_build_mappings_without_index_types() -> None:
    built = build_mappings([SavedObjectsType(name="a", mappings={"properties": {}})])
    assert "indexTypesMap" not in built["_meta"]
    assert built["_meta"]["mappingVersions"] == {"a": "10.0.0"}


def test_current_virtual_version() -> None:
    definition = SavedObjectsType(name="a", mappings={"properties": {}})
    assert current_virtual_version(definition) == "10.0.0"
    provided = SavedObjectsType(name="a", mappings={"properties": {}}, model_versions=dict)
    with pytest.raises(TypeRegistrationError, match="freeze the registry first"):
        current_virtual_version(provided)


def test_registry_must_be_frozen() -> None:
    with pytest.raises(TypeRegistrationError, match="must be frozen"):
        build_index_mappings(SavedObjectTypeRegistry())


def test_one_alias_script_per_index() -> None:
    registry = SavedObjectTypeRegistry()
    for name, index in (("a", None), ("b", MAIN_SAVED_OBJECT_INDEX)):
        registry.register(
            SavedObjectsType(
                name=name,
                index_pattern=index,
                mappings={"properties": {}},
                convert_to_alias_script="ctx._id = ctx._source.type + ':' + ctx._id",
            )
        )
    registry.freeze()
    with pytest.raises(
        TypeRegistrationError,
        match=r'^convertToAliasScript has been defined more than once for index pattern ".kibana"$',
    ):
        index_types_map(registry)


def test_type_defined_twice() -> None:
    definition = SavedObjectsType(name="a", mappings={"properties": {}})
    with pytest.raises(TypeRegistrationError, match=r"^Type a is already defined\.$"):
        build_type_mappings([definition, definition])


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("_id", 'Invalid mapping "_id". Mappings cannot start with _.'),
        ("references", 'Cannot redefine core mapping "references".'),
    ],
)
def test_unregistered_types_are_still_checked(name: str, message: str) -> None:
    with pytest.raises(TypeRegistrationError) as caught:
        build_mappings([SavedObjectsType(name=name, mappings={"properties": {}})])
    assert caught.value.message == message
