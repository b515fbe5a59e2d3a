"""``get``: one object by type and id, as seen from a namespace (spec 03 §2.4)."""

from __future__ import annotations

from typing import Any, TypedDict

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import create_generic_not_found_error
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.helpers.documents import read_result
from kbn_saved_objects.repository.helpers.engine_limits import storable_raw_id
from kbn_saved_objects.repository.helpers.namespaces import current_namespace, exists_in_namespace
from kbn_saved_objects.repository.helpers.raw_id_collisions import is_stored_object
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.serialization import MigrationVersionCompatibility, SavedObject


class GetOptions(TypedDict, total=False):
    namespace: str
    migration_version_compatibility: MigrationVersionCompatibility
    """``"compatible"``: also report the legacy ``migrationVersion`` (default ``"raw"``)."""


def get(
    ctx: RepositoryContext, type_name: str, object_id: str, options: GetOptions
) -> Operation[SavedObject[Any]]:
    namespace = current_namespace(ctx.namespace_option(options.get("namespace")))
    if not ctx.is_allowed(type_name):
        raise create_generic_not_found_error(type_name, object_id)
    raw_id = ctx.serializer.generate_raw_id(namespace, type_name, object_id)
    if not storable_raw_id(raw_id):
        raise create_generic_not_found_error(type_name, object_id)
    answer = yield rq.get_document(ctx.index_for(type_name), raw_id)
    if (
        not answer.get("found")
        or not is_stored_object(ctx, answer["_source"], type_name, namespace)
        or not exists_in_namespace(ctx.registry, answer["_source"], namespace)
    ):
        raise create_generic_not_found_error(type_name, object_id)
    return read_result(ctx, answer, options.get("migration_version_compatibility", "raw"))
