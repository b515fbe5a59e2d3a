"""``bulk_update``: update many objects with one ``_mget`` and one ``_bulk`` (spec 03 §2.8).

Each object is read, merged like :func:`~.update.update` does (spec 03 §2.7.1) and written
back with an ``index`` action. Errors are per object, in input order; only a failure of a
whole engine call raises. A merged document the JSON encoder refuses (nested too deep, a
lone surrogate) is a 400 entry and stays out of the ``_bulk`` body. No raw id length check
is needed: an object whose raw id is too long for the engine cannot exist, so it is a 404.

**Deliberate improvement over Kibana (spec 03 §6.4):** every ``index`` action is a
compare-and-set. An object that carries its own ``version`` is guarded by it, as in
Kibana; an object without one is guarded by the ``_seq_no``/``_primary_term`` the
``_mget`` just read. Kibana writes unguarded in the second case, so a concurrent write
that lands between its ``_mget`` and its ``_bulk`` is silently overwritten (a lost
update). Here that object gets a 409 ``Saved object [<type>/<id>] conflict`` entry
instead, nothing is overwritten, and the caller can retry it. There is no retry loop
(unlike ``update``): retrying part of a bulk call is the caller's decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Required, TypedDict

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import (
    BadRequestError,
    InvalidVersionError,
    create_generic_not_found_error,
)
from kbn_saved_objects.repository.config import Refresh
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.extensions import AuthorizeUpdateObject
from kbn_saved_objects.repository.helpers.bulk_errors import bulk_item_error, bulk_item_result
from kbn_saved_objects.repository.helpers.documents import migrate_for_read, prepare_write
from kbn_saved_objects.repository.helpers.engine_limits import bulk_lines_or_error, storable_raw_id
from kbn_saved_objects.repository.helpers.extensions import (
    active_namespace,
    decrypt_and_redact,
    encrypt_for_write,
    inaccessible_payload,
    is_inaccessible,
    object_name,
    reads_through_extensions,
)
from kbn_saved_objects.repository.helpers.merge import merge_for_update
from kbn_saved_objects.repository.helpers.namespaces import exists_in_namespace
from kbn_saved_objects.repository.helpers.raw_id_collisions import is_stored_object
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.repository.operations.bulk_create import error_entry
from kbn_saved_objects.repository.results import SavedObjectsBulkResponse
from kbn_saved_objects.serialization import (
    ALL_NAMESPACES_STRING,
    RawDoc,
    RequestVersion,
    SavedObject,
    SavedObjectDoc,
    SavedObjectReference,
    decode_request_version,
    encode_version,
    namespace_id_to_string,
    namespace_string_to_id,
    saved_object_from_doc,
)


class BulkUpdateObject(TypedDict, total=False):
    """One object to update; ``namespace`` overrides the call's namespace for it alone."""

    type: Required[str]
    id: Required[str]
    attributes: Required[Any]
    version: str
    references: Sequence[SavedObjectReference]
    namespace: str
    merge_attributes: bool


class BulkUpdateOptions(TypedDict, total=False):
    refresh: Refresh
    namespace: str


@dataclass(slots=True)
class _Read:
    """A valid object, fetched at ``doc`` in the ``_mget`` answer."""

    obj: BulkUpdateObject
    namespace: str | None
    cas: RequestVersion | None
    doc: int


@dataclass(slots=True)
class _Written:
    """An object sent in the ``_bulk`` call, at ``item`` in its answer."""

    obj: BulkUpdateObject
    raw: RawDoc
    item: int


def _references(obj: BulkUpdateObject) -> list[SavedObjectReference] | None:
    references = obj.get("references")
    if isinstance(references, Sequence) and not isinstance(references, str):
        return list(references)
    return None


def bulk_update(
    ctx: RepositoryContext, objects: Sequence[BulkUpdateObject], options: BulkUpdateOptions
) -> Operation[SavedObjectsBulkResponse[Any]]:
    namespace = active_namespace(ctx, options.get("namespace"))
    registry = ctx.registry
    now = ctx.config.clock()
    user = ctx.current_user_profile_uid()

    entries: list[SavedObject[Any] | _Read | _Written] = []
    docs: list[dict[str, Any]] = []
    allowed: dict[str, bool] = {}
    indices: dict[str, str] = {}
    for obj in objects:
        type_name, object_id = obj["type"], obj["id"]
        is_allowed = allowed.get(type_name)
        if is_allowed is None:
            is_allowed = allowed[type_name] = ctx.is_allowed(type_name)
        if not is_allowed:
            error = create_generic_not_found_error(type_name, object_id).payload()
            entries.append(error_entry(type_name, object_id, error))
            continue
        object_namespace = obj.get("namespace")
        if object_namespace == ALL_NAMESPACES_STRING:
            error = BadRequestError(reason='"namespace" cannot be "*"').payload()
            entries.append(error_entry(type_name, object_id, error))
            continue
        if object_namespace is not None:
            scope_error = ctx.scope_error([object_namespace], '"namespace"')
            if scope_error is not None:
                entries.append(error_entry(type_name, object_id, scope_error.payload()))
                continue
        effective = (
            namespace_string_to_id(object_namespace) if object_namespace is not None else namespace
        )
        version = obj.get("version")
        try:
            cas = decode_request_version(version) if version is not None else None
        except InvalidVersionError as exc:
            # Kibana fails the whole call here; one bad token should not cost the others
            entries.append(error_entry(type_name, object_id, exc.payload()))
            continue
        raw_id = ctx.serializer.generate_raw_id(effective, type_name, object_id)
        if not storable_raw_id(raw_id):  # nothing can be stored there
            missing = create_generic_not_found_error(type_name, object_id).payload()
            entries.append(error_entry(type_name, object_id, missing))
            continue
        index = indices.get(type_name)
        if index is None:
            index = indices[type_name] = ctx.index_for(type_name)
        entries.append(_Read(obj, effective, cas, len(docs)))
        docs.append({"_id": raw_id, "_index": index})
    if not docs:
        return SavedObjectsBulkResponse.model_construct(saved_objects=entries)

    fetched = (yield rq.mget(docs))["docs"]
    authorization = None
    security = ctx.extensions.security
    if security is not None:
        checks = [
            _authorize_object(ctx, entry, fetched[entry.doc])
            for entry in entries
            if isinstance(entry, _Read)
        ]
        authorization = security.authorize_update(
            namespace_id_to_string(namespace), checks, bulk=True
        )
    lines: list[bytes] = []
    for position, entry in enumerate(entries):
        if not isinstance(entry, _Read):
            continue
        obj = entry.obj
        type_name, object_id = obj["type"], obj["id"]
        found = fetched[entry.doc]
        if (
            not found.get("found")
            or not is_stored_object(ctx, found["_source"], type_name, entry.namespace)
            or not exists_in_namespace(registry, found["_source"], entry.namespace)
        ):
            error = create_generic_not_found_error(type_name, object_id).payload()
            entries[position] = error_entry(type_name, object_id, error)
            continue
        if authorization is not None and is_inaccessible(authorization, type_name, object_id):
            entries[position] = error_entry(
                type_name, object_id, inaccessible_payload("bulk_update")
            )
            continue
        stored = migrate_for_read(ctx, ctx.serializer.raw_to_doc(found))
        supplied = obj["attributes"]
        if ctx.extensions.encryption is not None:
            # only what the caller supplies is encrypted, before the merge (spec 08 §5.7)
            supplied = encrypt_for_write(ctx, type_name, object_id, entry.namespace, supplied)
        if obj.get("merge_attributes", True):
            definition = registry.get_type(type_name)
            assert definition is not None
            attributes = merge_for_update(stored.get("attributes"), supplied, definition.mappings)
        else:
            attributes = supplied
        doc: SavedObjectDoc = {**stored, "attributes": attributes, "updated_at": now}
        doc.pop("version", None)
        doc.pop("updated_by", None)
        if user:
            doc["updated_by"] = user
        references = _references(obj)
        if references is not None:
            doc["references"] = references
        doc.pop("namespace", None)
        doc.pop("namespaces", None)
        if registry.is_multi_namespace(type_name):
            doc["namespaces"] = list(
                found["_source"].get("namespaces")
                or [namespace_id_to_string(found["_source"].get("namespace"))]
            )
        elif registry.is_single_namespace(type_name) and entry.namespace is not None:
            doc["namespace"] = entry.namespace
        raw = prepare_write(ctx, doc)
        guard: RequestVersion = entry.cas or {
            "if_seq_no": found["_seq_no"],
            "if_primary_term": found["_primary_term"],
        }
        encoded = bulk_lines_or_error(
            {"index": {"_id": raw["_id"], "_index": indices[type_name], **guard}},
            raw["_source"],
        )
        if isinstance(encoded, BadRequestError):
            entries[position] = error_entry(type_name, object_id, encoded.payload())
            continue
        lines.append(encoded)
        entries[position] = _Written(obj, raw, len(lines) - 1)

    items: list[dict[str, Any]] = []
    if lines:
        answer = yield rq.bulk(
            b"".join(lines),
            refresh=options.get("refresh", ctx.config.refresh),
            require_alias=ctx.config.require_alias,
        )
        items = answer["items"]
    results: list[SavedObject[Any]] = []
    for entry in entries:
        if isinstance(entry, _Written):
            results.append(_written_entry(ctx, entry, items[entry.item], now, user))
        else:
            assert not isinstance(entry, _Read)
            results.append(entry)
    if reads_through_extensions(ctx):
        type_map = authorization.type_map if authorization is not None else None
        results = [
            decrypt_and_redact(ctx, result, type_map, obj["attributes"])
            for result, obj in zip(results, objects, strict=True)
        ]
    return SavedObjectsBulkResponse.model_construct(saved_objects=results)


def _authorize_object(
    ctx: RepositoryContext, entry: _Read, found: dict[str, Any]
) -> AuthorizeUpdateObject:
    """What ``authorize_update`` is told about one object that was read: its stored
    spaces (multi-namespace types) and access control, the caller's per-object
    namespace, and its title as the update would leave it."""
    obj = entry.obj
    source = found.get("_source") or {}
    multi = ctx.registry.is_multi_namespace(obj["type"])
    return AuthorizeUpdateObject(
        type=obj["type"],
        id=obj["id"],
        name=object_name(ctx, obj["type"], obj["attributes"]),
        access_control=source.get("accessControl"),
        existing_namespaces=tuple(source.get("namespaces") or ()) if multi else (),
        object_namespace=obj.get("namespace"),
    )


def _written_entry(
    ctx: RepositoryContext,
    entry: _Written,
    item: dict[str, Any],
    now: str,
    user: str | None,
) -> SavedObject[Any]:
    """The success entry: the attributes and references *as passed* (not merged), as in
    Kibana; ``namespaces`` as the serializer reports them (absent for agnostic types)."""
    obj = entry.obj
    type_name, object_id = obj["type"], obj["id"]
    result = bulk_item_result(item)
    error = bulk_item_error(result, type_name, object_id)
    if error is not None:
        return error_entry(type_name, object_id, error)
    source = entry.raw["_source"]
    doc: SavedObjectDoc = {
        "id": object_id,
        "type": type_name,
        "updated_at": now,
        "version": encode_version(result["_seq_no"], result["_primary_term"]),
        "attributes": obj["attributes"],
    }
    if user:
        doc["updated_by"] = user
    if ctx.registry.is_multi_namespace(type_name):
        doc["namespaces"] = list(source.get("namespaces") or [])
    elif ctx.registry.is_single_namespace(type_name):
        doc["namespaces"] = [namespace_id_to_string(source.get("namespace"))]
    if source.get("originId"):
        doc["originId"] = source["originId"]
    references = _references(obj)
    if references is not None:
        doc["references"] = references
    return saved_object_from_doc(doc)
