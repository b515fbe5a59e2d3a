"""``bulk_delete``: delete many objects with at most one ``_mget`` and one ``_bulk``
(spec 03 §2.10).

The rules per object are :func:`~.delete.delete`'s -- an object shared to several spaces
needs ``force`` (one flag for the whole call) -- except that an unknown type is a 400
entry here, and every outcome is a status entry instead of an exception. Only the
multi-namespace objects are fetched first: the raw id of any other object already says
which space it is in -- unless it could also be another object's
(:mod:`..helpers.raw_id_collisions`), then it is fetched and its delete guarded by that
read. The legacy URL aliases of every deleted multi-namespace object are
then removed with one update-by-query for all of them (Kibana sends one per object).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import (
    BadRequestError,
    create_generic_not_found_error,
    create_unsupported_type_error,
)
from kbn_saved_objects.repository.config import Refresh
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.extensions import AuthorizeObjectWithExistingSpaces
from kbn_saved_objects.repository.helpers.bulk_errors import bulk_item_error, bulk_item_result
from kbn_saved_objects.repository.helpers.engine_limits import storable_raw_id
from kbn_saved_objects.repository.helpers.extensions import (
    active_namespace,
    inaccessible_payload,
    is_inaccessible,
    name_attributes,
    object_name,
)
from kbn_saved_objects.repository.helpers.legacy_url_aliases import (
    AliasTarget,
    delete_legacy_url_aliases,
    deleted_object_target,
)
from kbn_saved_objects.repository.helpers.preflight import classify_namespaces
from kbn_saved_objects.repository.helpers.raw_id_collisions import may_share_raw_id
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.repository.operations.delete import (
    MULTIPLE_NAMESPACES_REASON,
    in_several_spaces,
)
from kbn_saved_objects.repository.results import BulkDeleteResponse, BulkDeleteStatus
from kbn_saved_objects.serialization import namespace_id_to_string


class BulkDeleteObject(TypedDict):
    type: str
    id: str


class BulkDeleteOptions(TypedDict, total=False):
    refresh: Refresh
    force: bool
    """Delete objects shared to several spaces (applies to every object)."""
    namespace: str


@dataclass(slots=True)
class _Pending:
    """An object still to delete; ``fetch`` is its slot in the ``_mget`` (multi only)."""

    type: str
    id: str
    fetch: int | None = None
    namespaces: list[str] | None = None
    item: int | None = None


def _failed(type_name: str, object_id: str, error: dict[str, Any]) -> BulkDeleteStatus:
    return BulkDeleteStatus.model_construct(
        id=object_id, type=type_name, success=False, error=error
    )


def bulk_delete(
    ctx: RepositoryContext, objects: Sequence[BulkDeleteObject], options: BulkDeleteOptions
) -> Operation[BulkDeleteResponse]:
    namespace = active_namespace(ctx, options.get("namespace"))
    registry = ctx.registry
    force = options.get("force", False)
    security = ctx.extensions.security
    source_fields = ["type", "namespace", "namespaces"]
    if security is not None:  # the access control and title it authorizes with
        source_fields += ["accessControl"]

    entries: list[BulkDeleteStatus | _Pending] = []
    docs: list[dict[str, Any]] = []
    for obj in objects:
        type_name, object_id = obj["type"], obj["id"]
        if not ctx.is_allowed(type_name):
            entries.append(
                _failed(type_name, object_id, create_unsupported_type_error(type_name).payload())
            )
            continue
        pending = _Pending(type_name, object_id)
        raw_id = ctx.serializer.generate_raw_id(namespace, type_name, object_id)
        if not storable_raw_id(raw_id):  # nothing can be stored there
            missing = create_generic_not_found_error(type_name, object_id).payload()
            entries.append(_failed(type_name, object_id, missing))
            continue
        if registry.is_multi_namespace(type_name) or may_share_raw_id(
            ctx, type_name, namespace, raw_id
        ):
            pending.fetch = len(docs)
            docs.append(
                {
                    "_id": raw_id,
                    "_index": ctx.index_for(type_name),
                    "_source": source_fields
                    if security is None
                    else [
                        *source_fields,
                        *(f"{type_name}.{a}" for a in name_attributes(ctx, type_name)),
                    ],
                }
            )
        entries.append(pending)
    if not any(isinstance(entry, _Pending) for entry in entries):
        return BulkDeleteResponse.model_construct(statuses=entries)

    fetched: list[dict[str, Any]] = (yield rq.mget(docs))["docs"] if docs else []
    authorization = None
    if security is not None:
        authorization = security.authorize_delete(
            namespace_id_to_string(namespace),
            [
                _authorize_object(ctx, entry, fetched)
                for entry in entries
                if isinstance(entry, _Pending)
            ],
            bulk=True,
        )
    actions: list[rq.BulkAction] = []
    for position, entry in enumerate(entries):
        if not isinstance(entry, _Pending):
            continue
        guard: dict[str, int] = {}
        if entry.fetch is not None:
            found = fetched[entry.fetch]
            if classify_namespaces(ctx, found, entry.type, namespace) != "found_in_namespace":
                error = create_generic_not_found_error(entry.type, entry.id).payload()
                entries[position] = _failed(entry.type, entry.id, error)
                continue
            if registry.is_multi_namespace(entry.type):
                entry.namespaces = list(found["_source"].get("namespaces") or [])
                if in_several_spaces(entry.namespaces) and not force:
                    error = BadRequestError(reason=MULTIPLE_NAMESPACES_REASON).payload()
                    entries[position] = _failed(entry.type, entry.id, error)
                    continue
            else:  # read only because its raw id may be another object's: delete what was read
                guard = {"if_seq_no": found["_seq_no"], "if_primary_term": found["_primary_term"]}
        if authorization is not None and is_inaccessible(authorization, entry.type, entry.id):
            entries[position] = _failed(entry.type, entry.id, inaccessible_payload("bulk_delete"))
            continue
        raw_id = ctx.serializer.generate_raw_id(namespace, entry.type, entry.id)
        meta: dict[str, Any] = {"_id": raw_id, "_index": ctx.index_for(entry.type), **guard}
        actions.append(({"delete": meta}, None))
        entry.item = len(actions) - 1

    items: list[dict[str, Any]] = []
    if actions:
        answer = yield rq.bulk(
            rq.bulk_body(actions),
            refresh=options.get("refresh", ctx.config.refresh),
            require_alias=ctx.config.require_alias,
        )
        items = answer["items"]
    statuses: list[BulkDeleteStatus] = []
    aliases: list[AliasTarget] = []
    for entry in entries:
        if not isinstance(entry, _Pending):
            statuses.append(entry)
            continue
        assert entry.item is not None
        result = bulk_item_result(items[entry.item])
        item_error = bulk_item_error(result, entry.type, entry.id)
        if item_error is None and result.get("result") == "not_found":
            item_error = create_generic_not_found_error(entry.type, entry.id).payload()
        if item_error is not None:
            statuses.append(_failed(entry.type, entry.id, item_error))
            continue
        statuses.append(
            BulkDeleteStatus.model_construct(id=entry.id, type=entry.type, success=True)
        )
        if entry.namespaces is not None:
            aliases.append(deleted_object_target(entry.type, entry.id, entry.namespaces))
    if aliases:
        yield from delete_legacy_url_aliases(ctx, aliases)
    return BulkDeleteResponse.model_construct(statuses=statuses)


def _authorize_object(
    ctx: RepositoryContext, entry: _Pending, fetched: list[dict[str, Any]]
) -> AuthorizeObjectWithExistingSpaces:
    """What ``authorize_delete`` is told about one object: what the ``_mget`` read of it
    (multi-namespace objects, and those whose raw id may be shared), else its type and id."""
    source: dict[str, Any] = {}
    if entry.fetch is not None:
        source = fetched[entry.fetch].get("_source") or {}
    return AuthorizeObjectWithExistingSpaces(
        type=entry.type,
        id=entry.id,
        name=object_name(ctx, entry.type, source.get(entry.type)),
        access_control=source.get("accessControl"),
        existing_namespaces=tuple(source.get("namespaces") or ()),
    )
