"""Migrations: how saved-object documents follow their types from one release to the next.

:mod:`~kbn_saved_objects.migrations.document` migrates one document at a time, on every
read and write; the index migrator (``migrations.index``) rewrites a whole index at
startup with it. :mod:`~kbn_saved_objects.migrations.type_snapshot` keeps type changes
migratable: a committed snapshot of the types, and the check that refuses what no
migration could follow (``kbn-so types check``).
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
from kbn_saved_objects.migrations.type_snapshot import (
    TypeChangeViolation,
    check_types_snapshot,
    dump_types_snapshot,
    load_types_snapshot,
    take_types_snapshot,
)

__all__ = [
    "CORE_MIGRATION_VERSION",
    "DocumentMigrator",
    "LegacyMigrationContext",
    "ModelVersionContext",
    "ModelVersionTestMigrator",
    "TypeChangeViolation",
    "check_types_snapshot",
    "dump_types_snapshot",
    "load_types_snapshot",
    "take_types_snapshot",
    "outdated_documents_clause",
    "outdated_documents_query",
]
