"""Turning raw documents into results and new objects into raw documents.

Reads and writes pass through the document migrator here, so no operation can forget it.
"""

from __future__ import annotations

from typing import Any

from kbn_saved_objects.errors import SavedObjectsError, decorate_general_error
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.helpers.namespaces import result_namespaces
from kbn_saved_objects.serialization import (
    MigrationVersionCompatibility,
    RawDoc,
    SavedObject,
    SavedObjectDoc,
    namespace_id_to_string,
    saved_object_from_doc,
)

MIGRATION_FAILED = "Failed to migrate document to the latest version."


def migrate_for_read(ctx: RepositoryContext, doc: SavedObjectDoc) -> SavedObjectDoc:
    try:
        migrated = ctx.migration.for_read(doc)
    except Exception as exc:
        raise decorate_general_error(exc, MIGRATION_FAILED) from exc
    if "managed" not in migrated:
        migrated["managed"] = False
    return migrated


def read_result(
    ctx: RepositoryContext,
    raw: dict[str, Any],
    migration_version_compatibility: MigrationVersionCompatibility = "raw",
) -> SavedObject[Any]:
    """A document fetched by get/bulk_get/resolve/update, as Kibana's
    ``getSavedObjectFromSource``: agnostic types report ``namespaces: []``.

    ``"compatible"`` gives a document stored without the legacy ``migrationVersion`` one
    built from its ``typeMigrationVersion`` before it is migrated, for callers that still
    read the old field (a migration that runs on read drops it again, as in Kibana).
    """
    parsed = ctx.serializer.raw_to_doc(
        raw, migration_version_compatibility=migration_version_compatibility
    )
    doc = migrate_for_read(ctx, parsed)
    doc.pop("namespace", None)
    doc["namespaces"] = result_namespaces(ctx.registry, raw["_source"])
    return saved_object_from_doc(doc)


def result_document(ctx: RepositoryContext, doc: SavedObjectDoc) -> SavedObjectDoc:
    """A document built by the serializer (create, bulk_create, find) as results report it:
    agnostic types have no ``namespaces`` key; single-namespace ones report their one
    namespace string. ``doc`` is changed in place."""
    type_name = doc["type"]
    if ctx.registry.is_namespace_agnostic(type_name):
        doc.pop("namespaces", None)
    elif ctx.registry.is_single_namespace(type_name):
        doc["namespaces"] = [namespace_id_to_string(doc.get("namespace"))]
    doc.pop("namespace", None)
    return doc


def serialized_result(ctx: RepositoryContext, doc: SavedObjectDoc) -> SavedObject[Any]:
    """:func:`result_document` wrapped in a :class:`SavedObject`."""
    return saved_object_from_doc(result_document(ctx, doc))


def written_result(ctx: RepositoryContext, raw: RawDoc, answer: dict[str, Any]) -> SavedObject[Any]:
    """The object as written, with the version of the write."""
    stored = {**raw, "_seq_no": answer["_seq_no"], "_primary_term": answer["_primary_term"]}
    return serialized_result(ctx, ctx.serializer.raw_to_doc(stored))


def prepare_write(ctx: RepositoryContext, doc: SavedObjectDoc) -> RawDoc:
    """Migrate an incoming document (refusing newer ones) and serialize it."""
    try:
        migrated = ctx.migration.for_write(doc)
    except SavedObjectsError:
        raise
    except Exception as exc:
        raise decorate_general_error(exc, MIGRATION_FAILED) from exc
    return ctx.serializer.doc_to_raw(migrated)
