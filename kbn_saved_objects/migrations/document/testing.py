"""Test one type's model versions without an engine (Kibana's
``createModelVersionTestMigrator``).

.. code-block:: python

    migrator = ModelVersionTestMigrator(my_type)
    doc = migrator.migrate(document, from_version=1, to_version=2)  # backfills run
    doc = migrator.migrate(document, from_version=2, to_version=1)  # v1's FC schema applies

Upward, the transforms of versions ``from_version + 1 .. to_version`` run; downward, the
document is relabelled ``to_version`` and ``to_version``'s forward-compatibility schema
applies, exactly as a process that only knows ``to_version`` would read it.
"""

from __future__ import annotations

from typing import Any

from kbn_saved_objects.migrations.document.migrator import DocumentMigrator
from kbn_saved_objects.migrations.document.transforms import CORE_MIGRATION_VERSION
from kbn_saved_objects.serialization.documents import SavedObjectDoc
from kbn_saved_objects.types.definition import SavedObjectsType
from kbn_saved_objects.types.model_versions import model_version_to_virtual_version
from kbn_saved_objects.types.registry import SavedObjectTypeRegistry

__all__ = ["ModelVersionTestMigrator"]


class ModelVersionTestMigrator:
    """A document migrator for ``definition`` alone."""

    def __init__(self, definition: SavedObjectsType) -> None:
        registry = SavedObjectTypeRegistry(core_types=False)
        registry.register(definition)
        self._migrator = DocumentMigrator(registry.freeze())

    def migrate(
        self, document: SavedObjectDoc | dict[str, Any], *, from_version: int, to_version: int
    ) -> SavedObjectDoc:
        """``document`` taken as written at model version ``from_version``, migrated to
        ``to_version``; core transforms are skipped (``coreMigrationVersion`` is forced)."""
        source: dict[str, Any] = {
            **document,
            "coreMigrationVersion": CORE_MIGRATION_VERSION,
            "typeMigrationVersion": model_version_to_virtual_version(from_version),
        }
        return self._migrator.migrate(
            source,  # type: ignore[arg-type]
            allow_downgrade=True,
            target_type_version=model_version_to_virtual_version(to_version),
        )
