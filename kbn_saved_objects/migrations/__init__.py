"""Migrations: how saved-object documents follow their types from one release to the next.

:mod:`~kbn_saved_objects.migrations.document` migrates one document at a time, on every
read and write; the index migrator (``migrations.index``) rewrites a whole index at
startup with it.
"""

from kbn_saved_objects.migrations.document import (
    CORE_MIGRATION_VERSION,
    DocumentMigrator,
    LegacyMigrationContext,
    ModelVersionContext,
    ModelVersionTestMigrator,
    outdated_documents_clause,
    outdated_documents_query,
)

__all__ = [
    "CORE_MIGRATION_VERSION",
    "DocumentMigrator",
    "LegacyMigrationContext",
    "ModelVersionContext",
    "ModelVersionTestMigrator",
    "outdated_documents_clause",
    "outdated_documents_query",
]
