"""``update_objects_spaces``: share objects to more spaces and unshare them (spec 05 §2).

Only objects of ``multiple`` types can be shared. The change is computed per object from
the ``namespaces`` the engine holds now, and written with compare-and-set (the caller's
``version``, or the version just read), so two concurrent sharings never lose one
another's spaces: the loser gets a 409 for that object. An object removed from every
space is deleted. Legacy URL aliases that pointed at the object in a space it leaves
would now lead nowhere, so they are deleted after the write (a failure there is logged:
the object is already unshared and the caller could not retry).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Required, TypedDict

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import (
    BadRequestError,
    create_bad_request_error,
    create_generic_not_found_error,
)
from kbn_saved_objects.repository.config import Refresh
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.extensions import AuthorizeObjectWithExistingSpaces
from kbn_saved_objects.repository.helpers.bulk_errors import bulk_item_error, bulk_item_result
from kbn_saved_objects.repository.helpers.extensions import active_namespace
from kbn_saved_objects.repository.helpers.legacy_url_aliases import (
    AliasTarget,
    delete_legacy_url_aliases,
)
from kbn_saved_objects.repository.helpers.namespaces import exists_in_namespace
from kbn_saved_objects.repository.helpers.raw_id_collisions import is_stored_object
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.repository.results import (
    UpdateObjectsSpacesObjectResult,
    UpdateObjectsSpacesResponse,
)
from kbn_saved_objects.serialization import (
    ALL_NAMESPACES_STRING,
    decode_request_version,
    namespace_id_to_string,
)

__all__ = [
    "UpdateObjectsSpacesObject",
    "UpdateObjectsSpacesOptions",
    "SpaceChange",
    "space_change",
    "update_objects_spaces",
]


class UpdateObjectsSpacesObject(TypedDict, total=False):
    type: Required[str]
    id: Required[str]
    version: str
    """Write only if the object is still at this version (else the object gets a 409)."""


class UpdateObjectsSpacesOptions(TypedDict, total=False):
    namespace: str
    """The space the objects are seen from: an object not in it is not found."""
    refresh: Refresh


@dataclass(frozen=True, slots=True)
class SpaceChange:
    """What sharing does to one object's ``namespaces``."""

    updated: list[str]
    removed: list[str]
    changed: bool


def space_change(
    current: Sequence[str], to_add: Sequence[str], to_remove: Sequence[str]
) -> SpaceChange:
    """``current`` without ``to_remove``, then the spaces of ``to_add`` it lacked (in their
    order). Both lists are de-duplicated first, so a repeated space never forces a write
    that changes nothing (Kibana compares list lengths and would write)."""
    adding = dict.fromkeys(to_add)
    removing = set(to_remove)
    kept: list[str] = []
    removed: list[str] = []
    for space in current:
        adding.pop(space, None)
        if space in removing:
            removing.discard(space)
            removed.append(space)
        else:
            kept.append(space)
    return SpaceChange(kept + list(adding), removed, bool(adding or removed))


@dataclass(slots=True)
class _Pending:
    type: str
    id: str
    version: str | None
    fetch: int
    spaces: list[str] | None = None
    item: int | None = None
    left: AliasTarget | None = None
    """The aliases to delete once this object's write succeeded (the spaces it left)."""


def _failed(
    type_name: str, object_id: str, error: dict[str, Any]
) -> UpdateObjectsSpacesObjectResult:
    return UpdateObjectsSpacesObjectResult.model_construct(
        type=type_name, id=object_id, spaces=[], error=error
    )


def _validated_lists(to_add: Sequence[str], to_remove: Sequence[str]) -> None:
    if not to_add and not to_remove:
        raise create_bad_request_error(
            "spacesToAdd and/or spacesToRemove must be a non-empty array of strings"
        )
    if set(to_add) & set(to_remove):
        raise create_bad_request_error(
            "spacesToAdd and spacesToRemove cannot contain any of the same strings"
        )
    for space in (*to_add, *to_remove):
        if not isinstance(space, str) or not space:
            raise create_bad_request_error("spaces must be non-empty strings")


def update_objects_spaces(
    ctx: RepositoryContext,
    objects: Sequence[UpdateObjectsSpacesObject],
    spaces_to_add: Sequence[str],
    spaces_to_remove: Sequence[str],
    options: UpdateObjectsSpacesOptions,
) -> Operation[UpdateObjectsSpacesResponse]:
    _validated_lists(spaces_to_add, spaces_to_remove)
    namespace = active_namespace(ctx, options.get("namespace"))
    for spaces, option in ((spaces_to_add, "spacesToAdd"), (spaces_to_remove, "spacesToRemove")):
        refusal = ctx.scope_error(spaces, option)
        if refusal is not None:
            raise refusal

    entries: list[UpdateObjectsSpacesObjectResult | _Pending] = []
    docs: list[dict[str, Any]] = []
    for obj in objects:
        type_name, object_id = obj["type"], obj["id"]
        if not ctx.is_allowed(type_name):
            error = create_generic_not_found_error(type_name, object_id).payload()
            entries.append(_failed(type_name, object_id, error))
        elif not ctx.registry.is_shareable(type_name):
            reason = f"{type_name} doesn't support multiple namespaces"
            entries.append(_failed(type_name, object_id, BadRequestError(reason=reason).payload()))
        else:
            raw_id = ctx.serializer.generate_raw_id(None, type_name, object_id)
            docs.append(
                {
                    "_id": raw_id,
                    "_index": ctx.index_for(type_name),
                    "_source": ["type", "namespaces"],
                }
            )
            entries.append(_Pending(type_name, object_id, obj.get("version"), len(docs) - 1))
    if not docs:
        return UpdateObjectsSpacesResponse.model_construct(objects=entries)

    fetched: list[dict[str, Any]] = (yield rq.mget(docs))["docs"]
    security = ctx.extensions.security
    if security is not None:
        # after the read (it knows the stored spaces), before any 404
        security.authorize_update_spaces(
            namespace_id_to_string(namespace),
            spaces_to_add,
            spaces_to_remove,
            [
                AuthorizeObjectWithExistingSpaces(
                    type=entry.type,
                    id=entry.id,
                    access_control=(fetched[entry.fetch].get("_source") or {}).get("accessControl"),
                    existing_namespaces=tuple(
                        (fetched[entry.fetch].get("_source") or {}).get("namespaces") or ()
                    ),
                )
                for entry in entries
                if isinstance(entry, _Pending)
            ],
        )
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
            or not exists_in_namespace(ctx.registry, found["_source"], namespace)
        ):
            error = create_generic_not_found_error(entry.type, entry.id).payload()
            entries[position] = _failed(entry.type, entry.id, error)
            continue
        current = list(found["_source"].get("namespaces") or [])
        change = space_change(current, spaces_to_add, spaces_to_remove)
        entry.spaces = change.updated
        if not change.changed:
            continue
        meta: dict[str, Any] = {"_id": found["_id"], "_index": ctx.index_for(entry.type)}
        if entry.version is not None:
            meta.update(decode_request_version(entry.version))
        else:
            meta.update(if_seq_no=found["_seq_no"], if_primary_term=found["_primary_term"])
        if change.updated:
            actions.append(
                ({"update": meta}, {"doc": {"updated_at": now, "namespaces": change.updated}})
            )
        else:
            actions.append(({"delete": meta}, None))
        entry.item = len(actions) - 1
        if change.removed and ALL_NAMESPACES_STRING not in change.updated:
            if ALL_NAMESPACES_STRING in change.removed:
                entry.left = AliasTarget(entry.type, entry.id, change.updated, inclusive=False)
            else:
                entry.left = AliasTarget(entry.type, entry.id, change.removed, inclusive=True)

    items: list[dict[str, Any]] = []
    if actions:
        answer = yield rq.bulk(
            actions,
            refresh=options.get("refresh", ctx.config.refresh),
            require_alias=ctx.config.require_alias,
        )
        items = answer["items"]
    results: list[UpdateObjectsSpacesObjectResult] = []
    unshared: list[AliasTarget] = []
    for entry in entries:
        if not isinstance(entry, _Pending):
            results.append(entry)
            continue
        if entry.item is not None:
            item_error = bulk_item_error(bulk_item_result(items[entry.item]), entry.type, entry.id)
            if item_error is not None:
                results.append(_failed(entry.type, entry.id, item_error))
                continue
            if entry.left is not None:
                unshared.append(entry.left)
        results.append(
            UpdateObjectsSpacesObjectResult.model_construct(
                type=entry.type, id=entry.id, spaces=entry.spaces or []
            )
        )
    if unshared:
        yield from delete_legacy_url_aliases(ctx, unshared, when="unsharing an object")
    return UpdateObjectsSpacesResponse.model_construct(objects=results)
