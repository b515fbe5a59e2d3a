"""The document migrator: one saved-object document to the version this process runs.

Start with :class:`DocumentMigrator`; docs/evolving-types.md explains how a type's model
versions drive it.
"""

from kbn_saved_objects.migrations.document.changes import merge_attributes, unset_attribute
from kbn_saved_objects.migrations.document.forward_compatibility import (
    pick_values_based_on_structure,
)
from kbn_saved_objects.migrations.document.migrator import DocumentMigrator
from kbn_saved_objects.migrations.document.outdated import (
    outdated_documents_clause,
    outdated_documents_query,
)
from kbn_saved_objects.migrations.document.testing import ModelVersionTestMigrator
from kbn_saved_objects.migrations.document.transforms import (
    CORE_MIGRATION_VERSION,
    LegacyMigrationContext,
    ModelVersionContext,
)

__all__ = [
    "CORE_MIGRATION_VERSION",
    "DocumentMigrator",
    "LegacyMigrationContext",
    "ModelVersionContext",
    "ModelVersionTestMigrator",
    "merge_attributes",
    "outdated_documents_clause",
    "outdated_documents_query",
    "pick_values_based_on_structure",
    "unset_attribute",
]
