"""``bulk_get``: many objects by type and id in one ``_mget`` (spec 03 §2.5).

Each object may name the spaces to look in (``namespaces``); otherwise the current
namespace is used. What cannot be seen from there is reported exactly like a missing
object (the generic not-found rule), per object and in input order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, Required, TypedDict

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import (
    BadRequestError,
    SavedObjectsError,
    create_generic_not_found_error,
    create_unsupported_type_error,
)
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.extensions import AuthorizeBulkGetObject
from kbn_saved_objects.repository.helpers.bulk_errors import error_entry
from kbn_saved_objects.repository.helpers.documents import read_result
from kbn_saved_objects.repository.helpers.engine_limits import storable_raw_id
from kbn_saved_objects.repository.helpers.extensions import (
    active_namespace,
    decrypt_and_redact,
    searchable_namespaces,
)
from kbn_saved_objects.repository.helpers.namespaces import exists_in_any_namespace
from kbn_saved_objects.repository.helpers.raw_id_collisions import is_stored_object
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.repository.results import SavedObjectsBulkResponse
from kbn_saved_objects.search.query import included_fields
from kbn_saved_objects.serialization import (
    ALL_NAMESPACES_STRING,
    MigrationVersionCompatibility,
    SavedObject,
    namespace_id_to_string,
    namespace_string_to_id,
)
from kbn_saved_objects.types import SavedObjectTypeRegistry


class BulkGetObject(TypedDict, total=False):
    type: Required[str]
    id: Required[str]
    fields: Sequence[str]
    """Attribute names to return; the other attributes are left out (root fields are
    always returned)."""
    namespaces: Sequence[str]
    """Spaces to look in instead of the current one (``"*"``: all, shareable types only)."""


class BulkGetOptions(TypedDict, total=False):
    namespace: str
    migration_version_compatibility: MigrationVersionCompatibility
    """``"compatible"``: every object also reports the legacy ``migrationVersion``."""


def namespaces_error(
    registry: SavedObjectTypeRegistry,
    type_name: str,
    object_id: str,
    namespaces: Sequence[str] | None,
) -> SavedObjectsError | None:
    """Kibana's ``validateObjectNamespaces``, checked in the spec table's order."""
    if namespaces is None:
        return None
    if registry.is_namespace_agnostic(type_name):
        return BadRequestError(reason='"namespaces" cannot be used on space-agnostic types')
    if not namespaces:
        return create_generic_not_found_error(type_name, object_id)
    if not registry.is_shareable(type_name) and (
        len(namespaces) > 1 or ALL_NAMESPACES_STRING in namespaces
    ):
        return BadRequestError(
            reason='"namespaces" can only specify a single space when used with '
            "space-isolated types"
        )
    return None


def bulk_get(
    ctx: RepositoryContext, objects: Sequence[BulkGetObject], options: BulkGetOptions
) -> Operation[SavedObjectsBulkResponse[Any]]:
    namespace = active_namespace(ctx, options.get("namespace"))
    registry = ctx.registry
    spaces = ctx.extensions.spaces
    available: list[str] | None = None  # the spaces "*" stands for, asked once
    valid = 0  # objects that passed validation: none, nothing to authorize
    compatibility = options.get("migration_version_compatibility", "raw")
    current_namespaces = [namespace_id_to_string(namespace)]
    # (object, its position in the _mget and the namespace id its raw id carries, or the
    # error entry it already is)
    slots: list[tuple[BulkGetObject, tuple[int, str | None] | SavedObject[Any]]] = []
    docs: list[dict[str, Any]] = []
    allowed: dict[str, bool] = {}
    indices: dict[str, str] = {}
    for obj in objects:
        type_name, object_id = obj["type"], obj["id"]
        is_allowed = allowed.get(type_name)
        if is_allowed is None:
            is_allowed = allowed[type_name] = ctx.is_allowed(type_name)
        if not is_allowed:
            error = create_unsupported_type_error(type_name).payload()
            slots.append((obj, error_entry(type_name, object_id, error)))
            continue
        namespaces = obj.get("namespaces")
        failure = namespaces_error(registry, type_name, object_id, namespaces)
        if failure is None and namespaces is not None:
            failure = ctx.scope_error(namespaces, '"namespaces"')
        if failure is not None:
            slots.append((obj, error_entry(type_name, object_id, failure.payload())))
            continue
        if spaces is not None and namespaces is not None and ALL_NAMESPACES_STRING in namespaces:
            if available is None:
                # a caller who may search no space still gets the current one checked
                available = (yield from searchable_namespaces(ctx, [ALL_NAMESPACES_STRING])) or [
                    namespace_id_to_string(namespace)
                ]
            namespaces = available
            obj = {**obj, "namespaces": available}
        index = indices.get(type_name)
        if index is None:
            index = indices[type_name] = ctx.index_for(type_name)
        target = namespace_string_to_id(namespaces[0]) if namespaces else namespace
        raw_id = ctx.serializer.generate_raw_id(target, type_name, object_id)
        valid += 1
        if not storable_raw_id(raw_id):  # nothing can be stored there
            missing = create_generic_not_found_error(type_name, object_id).payload()
            slots.append((obj, error_entry(type_name, object_id, missing)))
            continue
        doc: dict[str, Any] = {"_id": raw_id, "_index": index}
        fields = obj.get("fields")
        if fields is not None:
            doc["_source"] = included_fields([type_name], fields)
        slots.append((obj, (len(docs), target)))
        docs.append(doc)

    found: list[dict[str, Any]] = []
    if docs:
        answer = yield dataclasses.replace(rq.mget(docs), not_found_ok=True)
        found = answer.get("docs") or []
    results: list[SavedObject[Any] | dict[str, Any]] = []
    security = ctx.extensions.security
    decrypting = ctx.extensions.encryption is not None
    checks: list[AuthorizeBulkGetObject] = []
    for obj, slot in slots:
        if not isinstance(slot, tuple):
            results.append(slot)
            if security is not None:
                checks.append(AuthorizeBulkGetObject(type=obj["type"], id=obj["id"], error=True))
            continue
        position, target = slot
        doc = found[position] if position < len(found) else {}
        namespaces = obj.get("namespaces")
        searched = current_namespaces if namespaces is None else namespaces
        not_found = (
            not doc.get("found")
            or not is_stored_object(ctx, doc["_source"], obj["type"], target)
            or not exists_in_any_namespace(registry, doc["_source"], searched)
        )
        if security is not None:
            checks.append(
                AuthorizeBulkGetObject(
                    type=obj["type"],
                    id=obj["id"],
                    existing_namespaces=tuple((doc.get("_source") or {}).get("namespaces") or ()),
                    object_namespaces=tuple(searched),
                    error=not_found,
                )
            )
        if not_found:
            error = create_generic_not_found_error(obj["type"], obj["id"]).payload()
            results.append(error_entry(obj["type"], obj["id"], error))
            continue
        if security is None:
            read = read_result(ctx, doc, compatibility)
            results.append(decrypt_and_redact(ctx, read, None) if decrypting else read)
        else:
            results.append(doc)  # read once authorized, as Kibana migrates after authorizing
    if security is None:
        return SavedObjectsBulkResponse.model_construct(saved_objects=results)
    type_map = None
    if valid:
        type_map = security.authorize_bulk_get(namespace_id_to_string(namespace), checks).type_map
    objects_read: list[SavedObject[Any]] = []
    for result in results:
        if isinstance(result, dict):
            result = decrypt_and_redact(ctx, read_result(ctx, result, compatibility), type_map)
        objects_read.append(result)
    return SavedObjectsBulkResponse.model_construct(saved_objects=objects_read)
