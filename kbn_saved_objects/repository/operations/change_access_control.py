"""``change_ownership`` / ``change_access_mode``: who owns an object, and whether others
may change it (spec 08 §4.4).

Only with a security extension: deciding who may hand an object to someone else is the
whole point, so without one the call is refused rather than trusted. The objects are read
once (``mget``), the extension decides (own objects need ``update``, everyone else's
``manage_access_control``), and one ``_bulk`` of partial updates writes the new
``accessControl`` -- each guarded by the ``seq_no``/``primary_term`` just read, so an
object changed in between gets a 409 instead of losing that change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Required, TypedDict

from pydantic import BaseModel, ConfigDict

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import (
    ForbiddenError,
    SavedObjectsError,
    create_bad_request_error,
    create_generic_not_found_error,
)
from kbn_saved_objects.repository.config import Refresh
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.extensions import AuthorizationStatus, AuthorizeObject
from kbn_saved_objects.repository.helpers.bulk_errors import bulk_item_error, bulk_item_result
from kbn_saved_objects.repository.helpers.extensions import active_namespace
from kbn_saved_objects.repository.helpers.namespaces import exists_in_namespace
from kbn_saved_objects.repository.helpers.raw_id_collisions import is_stored_object
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.serialization import AccessControl, namespace_id_to_string

__all__ = [
    "ACCESS_MODES",
    "ChangeAccessControlObject",
    "ChangeAccessControlObjectResult",
    "ChangeAccessControlResponse",
    "ChangeAccessModeOptions",
    "ChangeOwnershipOptions",
    "change_access_mode",
    "change_ownership",
]

ACCESS_MODES = ("default", "write_restricted")
_PROFILE_UID = re.compile(r"^u_.+_.+$")

ChangeKind = Literal["changeOwnership", "changeAccessMode"]


class ChangeAccessControlObject(TypedDict):
    type: str
    id: str


class ChangeOwnershipOptions(TypedDict, total=False):
    new_owner_profile_uid: Required[str]
    """The user profile id of the new owner (``u_<principal>_<version>``)."""
    namespace: str
    refresh: Refresh


class ChangeAccessModeOptions(TypedDict, total=False):
    access_mode: str
    """``"default"`` (the default) or ``"write_restricted"``."""
    namespace: str
    refresh: Refresh


class ChangeAccessControlObjectResult(BaseModel):
    """One object's outcome: no ``error`` means it was changed."""

    model_config = ConfigDict(serialize_by_alias=True)

    type: str
    id: str
    error: dict[str, Any] | None = None


class ChangeAccessControlResponse(BaseModel):
    """One entry per requested object, in request order."""

    objects: list[ChangeAccessControlObjectResult]


@dataclass(slots=True)
class _Pending:
    type: str
    id: str
    fetch: int
    item: int | None = None


def _failed(
    type_name: str, object_id: str, error: SavedObjectsError
) -> ChangeAccessControlObjectResult:
    return ChangeAccessControlObjectResult.model_construct(
        type=type_name, id=object_id, error=error.payload()
    )


def _validate(
    kind: ChangeKind,
    objects: Sequence[ChangeAccessControlObject],
    new_owner: str | None,
    access_mode: str | None,
) -> None:
    if kind == "changeOwnership":
        if not new_owner:
            raise create_bad_request_error(
                'The "newOwnerProfileUid" field is required to change ownership of a saved object.'
            )
        if not _PROFILE_UID.match(new_owner):
            raise create_bad_request_error(
                'User profile ID is invalid: expected "u_<principal>_<version>"'
            )
    if access_mode is not None and access_mode not in ACCESS_MODES:
        raise create_bad_request_error(
            'When specified, the "accessMode" field can only be "default" or "write_restricted".'
        )
    if not objects:
        change = "ownership change" if kind == "changeOwnership" else "access mode change"
        raise create_bad_request_error(f"No objects specified for {change}")


def change_ownership(
    ctx: RepositoryContext,
    objects: Sequence[ChangeAccessControlObject],
    options: ChangeOwnershipOptions,
) -> Operation[ChangeAccessControlResponse]:
    """Make ``new_owner_profile_uid`` the owner of each object (its mode is kept)."""
    return (
        yield from _change_access_control(
            ctx,
            objects,
            "changeOwnership",
            new_owner=options.get("new_owner_profile_uid"),
            access_mode=None,
            namespace=options.get("namespace"),
            refresh=options.get("refresh", ctx.config.refresh),
        )
    )


def change_access_mode(
    ctx: RepositoryContext,
    objects: Sequence[ChangeAccessControlObject],
    options: ChangeAccessModeOptions,
) -> Operation[ChangeAccessControlResponse]:
    """Set each object's access mode (``default`` when none is given; the owner is kept)."""
    return (
        yield from _change_access_control(
            ctx,
            objects,
            "changeAccessMode",
            new_owner=None,
            access_mode=options.get("access_mode"),
            namespace=options.get("namespace"),
            refresh=options.get("refresh", ctx.config.refresh),
        )
    )


def _change_access_control(
    ctx: RepositoryContext,
    objects: Sequence[ChangeAccessControlObject],
    kind: ChangeKind,
    *,
    new_owner: str | None,
    access_mode: str | None,
    namespace: str | None,
    refresh: Refresh,
) -> Operation[ChangeAccessControlResponse]:
    security = ctx.extensions.security
    if security is None:
        raise create_bad_request_error(
            "Unable to proceed with changing access control without security extension."
        )
    _validate(kind, objects, new_owner, access_mode)
    namespace_id = active_namespace(ctx, namespace)

    entries: list[ChangeAccessControlObjectResult | _Pending] = []
    docs: list[dict[str, Any]] = []
    for obj in objects:
        type_name, object_id = obj["type"], obj["id"]
        definition = ctx.registry.get_type(type_name)
        if not ctx.is_allowed(type_name):
            entries.append(
                _failed(type_name, object_id, create_generic_not_found_error(type_name, object_id))
            )
        elif definition is None or not definition.supports_access_control:
            error = create_bad_request_error(
                f"The type {type_name} does not support access control"
            )
            entries.append(_failed(type_name, object_id, error))
        else:
            docs.append(
                {
                    "_id": ctx.serializer.generate_raw_id(None, type_name, object_id),
                    "_index": ctx.index_for(type_name),
                    "_source": ["type", "namespaces", "namespace", "accessControl"],
                }
            )
            entries.append(_Pending(type_name, object_id, len(docs) - 1))
    if not docs:
        return ChangeAccessControlResponse.model_construct(objects=entries)

    fetched: list[dict[str, Any]] = (yield rq.mget(docs))["docs"]
    authorize = [
        AuthorizeObject(
            entry.type,
            entry.id,
            access_control=_stored_access_control(fetched[entry.fetch]),
        )
        for entry in entries
        if isinstance(entry, _Pending)
    ]
    result = security.authorize_change_access_control(
        namespace_id_to_string(namespace_id), authorize, operation=kind
    )
    user = security.get_current_user()
    updated_by = user.profile_uid if user is not None else None

    actions: list[rq.BulkAction] = []
    now = ctx.config.clock()
    for position, entry in enumerate(entries):
        if not isinstance(entry, _Pending):
            continue
        found = fetched[entry.fetch]
        if (
            "error" in found
            or not found.get("found")
            or not is_stored_object(ctx, found["_source"], entry.type, None)
            or not exists_in_namespace(ctx.registry, found["_source"], namespace_id)
        ):
            missing = create_generic_not_found_error(entry.type, entry.id)
            entries[position] = _failed(entry.type, entry.id, missing)
            continue
        if (
            result.status is not AuthorizationStatus.FULLY_AUTHORIZED
            and entry.type not in result.type_map
        ):
            what = "change ownership" if kind == "changeOwnership" else "change access mode"
            refusal = ForbiddenError(f'User is not authorized to {what} of type "{entry.type}".')
            entries[position] = _failed(entry.type, entry.id, refusal)
            continue
        stored: AccessControl = dict(found["_source"].get("accessControl") or {})  # type: ignore[assignment]
        if kind == "changeOwnership":
            access_control: dict[str, Any] = {**stored, "owner": new_owner}
        else:
            access_control = {"owner": stored.get("owner"), "accessMode": access_mode or "default"}
        doc: dict[str, Any] = {"updated_at": now, "accessControl": access_control}
        if updated_by is not None:
            doc["updated_by"] = updated_by
        meta = {
            "_id": found["_id"],
            "_index": ctx.index_for(entry.type),
            "if_seq_no": found["_seq_no"],
            "if_primary_term": found["_primary_term"],
        }
        actions.append(({"update": meta}, {"doc": doc}))
        entry.item = len(actions) - 1

    items: list[dict[str, Any]] = []
    if actions:
        answer = yield rq.bulk(actions, refresh=refresh, require_alias=ctx.config.require_alias)
        items = answer["items"]
    results: list[ChangeAccessControlObjectResult] = []
    for entry in entries:
        if not isinstance(entry, _Pending):
            results.append(entry)
            continue
        assert entry.item is not None
        item_error = bulk_item_error(bulk_item_result(items[entry.item]), entry.type, entry.id)
        results.append(
            ChangeAccessControlObjectResult.model_construct(
                type=entry.type, id=entry.id, error=item_error
            )
        )
    return ChangeAccessControlResponse.model_construct(objects=results)


def _stored_access_control(found: dict[str, Any]) -> AccessControl | None:
    source = found.get("_source") if found.get("found") else None
    value = (source or {}).get("accessControl")
    return value if isinstance(value, dict) else None  # type: ignore[return-value]
