"""Saved-object type definitions, model versions and the type registry.

This package depends on nothing but :mod:`kbn_saved_objects.errors`; the serializer, the
mappings builder, the repository and the migrators all depend on it. The one exception,
:mod:`kbn_saved_objects.types.snapshot` (the CI check of type changes, which hashes
mappings as the mappings package does), is imported only when one of its names is used.
"""

from typing import TYPE_CHECKING, Any

from kbn_saved_objects.types.definition import (
    InAppUrl,
    LegacyMigration,
    LegacyMigrationFn,
    LegacyMigrationsMap,
    ModelVersionsMap,
    NamespaceType,
    NamespaceTypeName,
    SavedObjectsType,
    SavedObjectsTypeManagement,
    SchemasMap,
)
from kbn_saved_objects.types.legacy_url_alias import LEGACY_URL_ALIAS_TYPE, legacy_url_alias_type
from kbn_saved_objects.types.model_versions import (
    GLOBAL_SWITCH_TO_MODEL_VERSION_AT,
    INITIAL_MODEL_VERSION,
    MODEL_VERSION_VIRTUAL_MAJOR,
    DataBackfill,
    DataRemoval,
    MappingsAddition,
    MappingsDeprecation,
    ModelChange,
    ModelVersion,
    ModelVersionSchemas,
    UnsafeTransform,
    assert_valid_model_version,
    assert_valid_virtual_version,
    is_virtual_model_version,
    latest_mappings_model_version,
    latest_model_version,
    model_version_to_virtual_version,
    virtual_version_to_model_version,
)
from kbn_saved_objects.types.registry import SavedObjectTypeRegistry
from kbn_saved_objects.types.validation import RESERVED_TYPE_NAMES

if TYPE_CHECKING:
    from kbn_saved_objects.types.snapshot import (
        TypeChangeViolation,
        check_types_snapshot,
        dump_types_snapshot,
        load_types_snapshot,
        take_types_snapshot,
    )

_SNAPSHOT_NAMES = frozenset(
    {
        "TypeChangeViolation",
        "check_types_snapshot",
        "dump_types_snapshot",
        "load_types_snapshot",
        "take_types_snapshot",
    }
)


def __getattr__(name: str) -> Any:
    """The snapshot check's names, imported on first use (it depends on the mappings
    package, which depends on this one)."""
    if name in _SNAPSHOT_NAMES:
        from kbn_saved_objects.types import snapshot

        return getattr(snapshot, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "GLOBAL_SWITCH_TO_MODEL_VERSION_AT",
    "INITIAL_MODEL_VERSION",
    "LEGACY_URL_ALIAS_TYPE",
    "MODEL_VERSION_VIRTUAL_MAJOR",
    "RESERVED_TYPE_NAMES",
    "DataBackfill",
    "DataRemoval",
    "InAppUrl",
    "LegacyMigration",
    "LegacyMigrationFn",
    "LegacyMigrationsMap",
    "MappingsAddition",
    "MappingsDeprecation",
    "ModelChange",
    "ModelVersion",
    "ModelVersionSchemas",
    "ModelVersionsMap",
    "NamespaceType",
    "NamespaceTypeName",
    "SavedObjectTypeRegistry",
    "SavedObjectsType",
    "SavedObjectsTypeManagement",
    "SchemasMap",
    "TypeChangeViolation",
    "UnsafeTransform",
    "assert_valid_model_version",
    "assert_valid_virtual_version",
    "check_types_snapshot",
    "dump_types_snapshot",
    "is_virtual_model_version",
    "latest_mappings_model_version",
    "latest_model_version",
    "legacy_url_alias_type",
    "load_types_snapshot",
    "model_version_to_virtual_version",
    "take_types_snapshot",
    "virtual_version_to_model_version",
]
