"""``get``: one object by type and id, as seen from a namespace (spec 03 §2.4)."""

from __future__ import annotations

from typing import Any, TypedDict

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import create_generic_not_found_error
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.extensions import AuthorizeObjectWithExistingSpaces
from kbn_saved_objects.repository.helpers.documents import read_result
from kbn_saved_objects.repository.helpers.engine_limits import storable_raw_id
from kbn_saved_objects.repository.helpers.extensions import (
    active_namespace,
    decrypt_and_redact,
    object_name,
    reads_through_extensions,
)
from kbn_saved_objects.repository.helpers.namespaces import exists_in_namespace
from kbn_saved_objects.repository.helpers.raw_id_collisions import is_stored_object
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.serialization import (
    MigrationVersionCompatibility,
    SavedObject,
    namespace_id_to_string,
)


class GetOptions(TypedDict, total=False):
    namespace: str
    migration_version_compatibility: MigrationVersionCompatibility
    """``"compatible"``: also report the legacy ``migrationVersion`` (default ``"raw"``)."""


def get(
    ctx: RepositoryContext, type_name: str, object_id: str, options: GetOptions
) -> Operation[SavedObject[Any]]:
    namespace = active_namespace(ctx, options.get("namespace"))
    if not ctx.is_allowed(type_name):
        raise create_generic_not_found_error(type_name, object_id)
    raw_id = ctx.serializer.generate_raw_id(namespace, type_name, object_id)
    if not storable_raw_id(raw_id):
        raise create_generic_not_found_error(type_name, object_id)
    answer = yield rq.get_document(ctx.index_for(type_name), raw_id)
    not_found = (
        not answer.get("found")
        or not is_stored_object(ctx, answer["_source"], type_name, namespace)
        or not exists_in_namespace(ctx.registry, answer["_source"], namespace)
    )
    security = ctx.extensions.security
    type_map = None
    if security is not None:
        # before the 404: a caller who may not read the type learns nothing of the object
        source = answer.get("_source") or {}
        type_map = security.authorize_get(
            namespace_id_to_string(namespace),
            AuthorizeObjectWithExistingSpaces(
                type=type_name,
                id=object_id,
                name=object_name(ctx, type_name, source.get(type_name)),
                existing_namespaces=tuple(source.get("namespaces") or ()),
            ),
            object_not_found=not_found,
        ).type_map
    if not_found:
        raise create_generic_not_found_error(type_name, object_id)
    result = read_result(ctx, answer, options.get("migration_version_compatibility", "raw"))
    if reads_through_extensions(ctx):
        result = decrypt_and_redact(ctx, result, type_map)
    return result
