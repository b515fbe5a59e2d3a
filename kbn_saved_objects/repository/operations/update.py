"""``update``: change one object's attributes, or create it with ``upsert`` (spec 03 §2.7).

Kibana 8.13+ updates on the client side: read the document, merge the new attributes
into the (read-migrated) stored ones, and write the whole document back with an
``index`` operation guarded by ``if_seq_no``/``if_primary_term``. The guard comes from
the caller's ``version`` or, when there is none, from the document just read, so *every*
update is a compare-and-set: two concurrent updates can never silently overwrite each
other. Without a ``version`` a lost race is retried from the read (``retry_on_conflict``
times, 3 by default); with a ``version`` the caller asked for exactly that state, so the
conflict is raised at once (``retry_on_conflict`` defaults to 0).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NoReturn, TypedDict

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import (
    BadRequestError,
    ConflictError,
    EngineUnavailableError,
    NotFoundError,
    create_conflict_error,
    create_generic_not_found_error,
)
from kbn_saved_objects.repository.config import Refresh
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.extensions import AuthorizeUpdateObject, TypeMap
from kbn_saved_objects.repository.helpers.documents import migrate_for_read, prepare_write
from kbn_saved_objects.repository.helpers.engine_limits import (
    encoded_request,
    raw_id_error,
    storable_raw_id,
)
from kbn_saved_objects.repository.helpers.extensions import (
    active_namespace,
    decrypt_and_redact,
    encrypt_for_write,
    object_name,
    reads_through_extensions,
)
from kbn_saved_objects.repository.helpers.merge import merge_for_update
from kbn_saved_objects.repository.helpers.preflight import (
    CreateCheck,
    classify_namespaces,
    preflight_create,
)
from kbn_saved_objects.repository.helpers.validation import object_id_error, validate_attributes
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.serialization import (
    RequestVersion,
    SavedObject,
    SavedObjectDoc,
    SavedObjectReference,
    decode_request_version,
    encode_hit_version,
    namespace_id_to_string,
    saved_object_from_doc,
)

DEFAULT_RETRY_COUNT = 3


class UpdateOptions(TypedDict, total=False):
    version: str
    references: Sequence[SavedObjectReference]
    refresh: Refresh
    upsert: Any
    retry_on_conflict: int
    merge_attributes: bool
    namespace: str


class RetryableConflict(Exception):
    """A write step lost a compare-and-set race: the attempt may start over from the read.

    Only write conflicts are retryable; a conflict found by a preflight (an alias in the
    way) would be found again.
    """

    def __init__(self, error: ConflictError) -> None:
        super().__init__(error.message)
        self.error = error


def raise_write_error(exc: Exception, type_name: str, object_id: str) -> NoReturn:
    """Raise what a failed update write means (spec 03 §2.7 step 10): a 404 (missing
    index) is the generic not-found, a 409 a lost race; anything else as it came."""
    if isinstance(exc, NotFoundError) and not isinstance(exc, EngineUnavailableError):
        raise create_generic_not_found_error(type_name, object_id) from exc
    if isinstance(exc, ConflictError):
        raise RetryableConflict(exc) from exc
    raise exc


def update(
    ctx: RepositoryContext,
    type_name: str,
    object_id: str,
    attributes: Any,
    options: UpdateOptions,
) -> Operation[SavedObject[Any]]:
    namespace = active_namespace(ctx, options.get("namespace"))
    if not object_id:
        raise BadRequestError(reason="id cannot be empty")
    if not ctx.is_allowed(type_name):
        raise create_generic_not_found_error(type_name, object_id)
    upsert = options.get("upsert")
    if upsert is not None:
        # only an upsert can create an object: new ids must not contain '/', and must
        # fit in the engine's document id
        error = object_id_error(object_id) or raw_id_error(
            ctx.serializer.generate_raw_id(namespace, type_name, object_id)
        )
        if error is not None:
            raise error
    version = options.get("version")
    cas = decode_request_version(version) if version is not None else None
    retries = max(
        0, options.get("retry_on_conflict", 0 if version is not None else DEFAULT_RETRY_COUNT)
    )
    lost: ConflictError | None = None
    for _ in range(retries + 1):
        try:
            return (
                yield from _attempt(ctx, namespace, type_name, object_id, attributes, cas, options)
            )
        except RetryableConflict as conflict:
            lost = conflict.error
    assert lost is not None
    raise lost


def _attempt(
    ctx: RepositoryContext,
    namespace: str | None,
    type_name: str,
    object_id: str,
    attributes: Any,
    cas: RequestVersion | None,
    options: UpdateOptions,
) -> Operation[SavedObject[Any]]:
    """One read-merge-write round; raises :class:`RetryableConflict` when the write lost."""
    registry = ctx.registry
    index = ctx.index_for(type_name)
    raw_id = ctx.serializer.generate_raw_id(namespace, type_name, object_id)
    if not storable_raw_id(raw_id):
        raise create_generic_not_found_error(type_name, object_id)
    answer = yield rq.get_document(index, raw_id)
    found: dict[str, Any] | None = answer if answer.get("found") else None
    namespace_string = namespace_id_to_string(namespace)
    check = classify_namespaces(ctx, found, type_name, namespace)
    upsert = options.get("upsert")
    type_map = _authorize(ctx, namespace, type_name, object_id, attributes, found)
    if check == "found_outside_namespace" or (found is None and upsert is None):
        raise create_generic_not_found_error(type_name, object_id)
    if found is None:
        if registry.is_multi_namespace(type_name):
            (alias_check,) = yield from preflight_create(
                ctx, [CreateCheck(type_name, object_id, False, [namespace_string])]
            )
            if alias_check.error == "aliasConflict":
                raise create_conflict_error(type_name, object_id)
        if cas is not None:
            # the caller's version names a state of a document that no longer exists;
            # engines also refuse compare-and-set on a create operation
            raise create_conflict_error(type_name, object_id)
        result = yield from _upsert(ctx, namespace, type_name, object_id, upsert, options)
        original = upsert
    else:
        result = yield from _update_found(
            ctx, namespace, type_name, object_id, attributes, found, cas, options
        )
        original = attributes
    if reads_through_extensions(ctx):
        result = decrypt_and_redact(ctx, result, type_map, original)
    return result


def _authorize(
    ctx: RepositoryContext,
    namespace: str | None,
    type_name: str,
    object_id: str,
    attributes: Any,
    found: dict[str, Any] | None,
) -> TypeMap | None:
    """``authorize_update`` after the read and before any 404 (spec 08 §1.3); its type
    map redacts the result."""
    security = ctx.extensions.security
    if security is None:
        return None
    source = (found or {}).get("_source") or {}
    stored = source.get(type_name)
    named: Any
    if isinstance(stored, dict) and isinstance(attributes, dict):
        named = {**stored, **attributes}
    else:
        named = attributes if isinstance(attributes, dict) else stored
    single = ctx.registry.is_single_namespace(type_name)
    multi = ctx.registry.is_multi_namespace(type_name)
    return security.authorize_update(
        namespace_id_to_string(namespace),
        [
            AuthorizeUpdateObject(
                type=type_name,
                id=object_id,
                name=object_name(ctx, type_name, named),
                access_control=source.get("accessControl"),
                existing_namespaces=tuple(source.get("namespaces") or ()) if multi else (),
                object_namespace=namespace if namespace is not None and single else None,
            )
        ],
        bulk=False,
    ).type_map


def _namespace_fields(
    ctx: RepositoryContext, doc: SavedObjectDoc, namespace: str | None, stored: list[str] | None
) -> None:
    doc.pop("namespace", None)
    doc.pop("namespaces", None)
    type_name = doc["type"]
    if ctx.registry.is_single_namespace(type_name):
        if namespace is not None:
            doc["namespace"] = namespace
    elif ctx.registry.is_multi_namespace(type_name):
        doc["namespaces"] = stored or [namespace_id_to_string(namespace)]


def _result_namespaces(ctx: RepositoryContext, source: dict[str, Any]) -> list[str]:
    if ctx.registry.is_namespace_agnostic(source["type"]):
        return []
    stored = source.get("namespaces")
    if stored:
        return list(stored)
    return [namespace_id_to_string(source.get("namespace"))]


def _upsert(
    ctx: RepositoryContext,
    namespace: str | None,
    type_name: str,
    object_id: str,
    upsert: Any,
    options: UpdateOptions,
) -> Operation[SavedObject[Any]]:
    """Create the object from ``upsert`` alone (the ``attributes`` argument is ignored)."""
    now = ctx.config.clock()
    user = ctx.current_user_profile_uid()
    doc: SavedObjectDoc = {"id": object_id, "type": type_name, "attributes": upsert}
    _namespace_fields(ctx, doc, namespace, None)
    doc["created_at"] = doc["updated_at"] = now
    if user:
        doc["created_by"] = doc["updated_by"] = user
    references = options.get("references")
    if isinstance(references, Sequence) and not isinstance(references, str):
        doc["references"] = list(references)
    definition = ctx.registry.get_type(type_name)
    assert definition is not None
    validate_attributes(definition, upsert)
    if ctx.extensions.encryption is not None:
        doc["attributes"] = encrypt_for_write(ctx, type_name, object_id, namespace, upsert)
    raw = prepare_write(ctx, doc)
    request = encoded_request(
        rq.create_document,
        ctx.index_for(type_name),
        raw["_id"],
        raw["_source"],
        refresh=options.get("refresh", ctx.config.refresh),
        require_alias=ctx.config.require_alias,
    )
    try:
        answer = yield request
    except Exception as exc:
        raise_write_error(exc, type_name, object_id)
    result: SavedObjectDoc = {
        "id": object_id,
        "type": type_name,
        "created_at": now,
        "updated_at": now,
        "version": encode_hit_version(answer),
        "namespaces": _result_namespaces(ctx, raw["_source"]),
        "attributes": upsert,
    }
    if user:
        result["created_by"] = result["updated_by"] = user
    if raw["_source"].get("originId"):
        result["originId"] = raw["_source"]["originId"]
    if "references" in doc:
        result["references"] = doc["references"]
    return saved_object_from_doc(result)


def _update_found(
    ctx: RepositoryContext,
    namespace: str | None,
    type_name: str,
    object_id: str,
    attributes: Any,
    found: dict[str, Any],
    cas: RequestVersion | None,
    options: UpdateOptions,
) -> Operation[SavedObject[Any]]:
    """Merge into the stored object and write it back, guarded by ``cas`` or the read."""
    stored = migrate_for_read(ctx, ctx.serializer.raw_to_doc(found))
    definition = ctx.registry.get_type(type_name)
    assert definition is not None
    supplied = attributes
    if ctx.extensions.encryption is not None:
        # only what the caller supplies is encrypted, before the merge (spec 08 §5.7)
        supplied = encrypt_for_write(ctx, type_name, object_id, namespace, attributes)
    if options.get("merge_attributes", True):
        new_attributes = merge_for_update(stored.get("attributes"), supplied, definition.mappings)
    else:
        new_attributes = supplied
    now = ctx.config.clock()
    user = ctx.current_user_profile_uid()
    doc: SavedObjectDoc = {**stored, "attributes": new_attributes, "updated_at": now}
    doc.pop("version", None)
    doc.pop("updated_by", None)
    if user:
        doc["updated_by"] = user
    references = options.get("references")
    if isinstance(references, Sequence) and not isinstance(references, str):
        doc["references"] = list(references)
    stored_namespaces = found["_source"].get("namespaces")
    _namespace_fields(ctx, doc, namespace, stored_namespaces)
    raw = prepare_write(ctx, doc)
    guard: RequestVersion = cas or {
        "if_seq_no": found["_seq_no"],
        "if_primary_term": found["_primary_term"],
    }
    request = encoded_request(
        rq.index_document,
        ctx.index_for(type_name),
        raw["_source"],
        id=raw["_id"],
        if_seq_no=guard["if_seq_no"],
        if_primary_term=guard["if_primary_term"],
        refresh=options.get("refresh", ctx.config.refresh),
        require_alias=ctx.config.require_alias,
    )
    try:
        answer = yield request
    except Exception as exc:
        raise_write_error(exc, type_name, object_id)
    result: SavedObjectDoc = {
        "id": object_id,
        "type": type_name,
        "updated_at": now,
        "version": encode_hit_version(answer),
        "namespaces": _result_namespaces(ctx, raw["_source"]),
        "attributes": attributes,
    }
    if user:
        result["updated_by"] = user
    if raw["_source"].get("originId"):
        result["originId"] = raw["_source"]["originId"]
    if isinstance(references, Sequence) and not isinstance(references, str):
        result["references"] = list(references)
    return saved_object_from_doc(result)
