"""Saved-object type definitions, model versions and the type registry.

This package depends on nothing but :mod:`kbn_saved_objects.errors`; the serializer, the
mappings builder, the repository and the migrators all depend on it.
"""

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
    "UnsafeTransform",
    "assert_valid_model_version",
    "assert_valid_virtual_version",
    "is_virtual_model_version",
    "latest_mappings_model_version",
    "latest_model_version",
    "legacy_url_alias_type",
    "model_version_to_virtual_version",
    "virtual_version_to_model_version",
]
