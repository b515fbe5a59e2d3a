"""Small builders shared by the document-migrator tests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kbn_saved_objects.migrations.document import DocumentMigrator
from kbn_saved_objects.types import (
    ModelVersion,
    SavedObjectsType,
    SavedObjectTypeRegistry,
)

NO_MAPPINGS: dict[str, Any] = {"dynamic": False, "properties": {}}


def registry_of(
    *types: SavedObjectsType, stack_version: str | None = None
) -> SavedObjectTypeRegistry:
    # Only the types under test: the core alias type's own 8.2.0 migration would change
    # stack-version checks and outdated-document queries.
    registry = SavedObjectTypeRegistry(stack_version=stack_version, core_types=False)
    for definition in types:
        registry.register(definition)
    return registry.freeze()


def a_type(
    name: str,
    *,
    migrations: Mapping[str, Any] | None = None,
    model_versions: Mapping[int, ModelVersion] | None = None,
    namespace_type: str = "single",
    **options: Any,
) -> SavedObjectsType:
    return SavedObjectsType(
        name=name,
        mappings=NO_MAPPINGS,
        namespace_type=namespace_type,  # type: ignore[arg-type]
        migrations=migrations,
        model_versions=model_versions,
        **options,
    )


def migrator_of(*types: SavedObjectsType, stack_version: str | None = None) -> DocumentMigrator:
    return DocumentMigrator(registry_of(*types), stack_version=stack_version)
