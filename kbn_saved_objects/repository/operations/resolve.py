"""``resolve`` and ``bulk_resolve``: an object by an id that may be a legacy one (spec 05 §6).

When 8.0 gave shared objects new ids, a legacy URL alias ``<space>:<type>:<old id>``
was left behind so old links keep working. Resolving an id looks for the object with
that exact id *and* for an enabled alias of that id in the current space, in two
requests whatever the number of objects:

1. one ``_bulk`` of scripted updates, one per object, on the alias documents it could
   have: an existing, enabled alias counts the resolve (``resolveCounter``,
   ``lastResolved``) and the engine returns its source; a missing one fails its item,
   which simply means "no alias";
2. one ``_mget`` of each exact document and, where an enabled alias was found, of the
   alias's target.

Outcomes: ``exactMatch`` (only the exact object is visible), ``aliasMatch`` (only the
alias's target: that object is returned, with its own id), ``conflict`` (both: the exact
object is returned and the caller is told about the other). Neither is a generic 404.
Kibana also counts outcomes in a usage-statistics document; we leave that out (there is
no usage collector to read it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, Required, TypedDict

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import (
    SavedObjectsError,
    create_generic_not_found_error,
    create_unsupported_type_error,
)
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.helpers.bulk_errors import bulk_item_result, error_entry
from kbn_saved_objects.repository.helpers.documents import read_result
from kbn_saved_objects.repository.helpers.extensions import active_namespace, decrypt_and_redact
from kbn_saved_objects.repository.helpers.namespaces import exists_in_namespace
from kbn_saved_objects.repository.helpers.raw_id_collisions import is_stored_object
from kbn_saved_objects.repository.helpers.scripts import RECORD_ALIAS_RESOLVE
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.repository.results import ResolveResponse, SavedObjectsBulkResolveResponse
from kbn_saved_objects.serialization import (
    MigrationVersionCompatibility,
    legacy_url_alias_raw_id,
    namespace_id_to_string,
)
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE

__all__ = ["BulkResolveObject", "ResolveOptions", "bulk_resolve", "resolve"]


class BulkResolveObject(TypedDict):
    type: Required[str]
    id: Required[str]


class ResolveOptions(TypedDict, total=False):
    namespace: str
    migration_version_compatibility: MigrationVersionCompatibility
    """``"compatible"``: the resolved object also reports the legacy ``migrationVersion``."""


@dataclasses.dataclass(frozen=True, slots=True)
class _Alias:
    target_id: str
    purpose: str | None


def _alias_lookups(
    ctx: RepositoryContext, namespace: str | None, objects: Sequence[BulkResolveObject]
) -> Operation[list[_Alias | None]]:
    """Step 1: count the resolve on every enabled alias and return each object's alias."""
    if not objects or LEGACY_URL_ALIAS_TYPE not in ctx.registry:
        return [None] * len(objects)
    index = ctx.index_for(LEGACY_URL_ALIAS_TYPE)
    params = {"type": LEGACY_URL_ALIAS_TYPE, "time": ctx.config.clock()}
    actions: list[rq.BulkAction] = [
        (
            {
                "update": {
                    "_id": legacy_url_alias_raw_id(namespace, obj["type"], obj["id"]),
                    "_index": index,
                    "_source": True,
                }
            },
            {"script": {"source": RECORD_ALIAS_RESOLVE, "lang": "painless", "params": params}},
        )
        for obj in objects
    ]
    answer = yield rq.bulk(actions, refresh=False, require_alias=ctx.config.require_alias)
    aliases: list[_Alias | None] = []
    for item in answer.get("items") or []:
        fetched = bulk_item_result(item).get("get") or {}
        attributes = (fetched.get("_source") or {}).get(LEGACY_URL_ALIAS_TYPE) or {}
        target_id = attributes.get("targetId")
        if not fetched.get("found", True) or attributes.get("disabled") is True or not target_id:
            aliases.append(None)
        else:
            aliases.append(_Alias(str(target_id), attributes.get("purpose")))
    return aliases + [None] * (len(objects) - len(aliases))


def _resolve_all(
    ctx: RepositoryContext,
    namespace: str | None,
    objects: Sequence[BulkResolveObject],
    options: ResolveOptions,
) -> Operation[list[ResolveResponse | SavedObjectsError]]:
    """Each object's outcome, or the error that stands in its place, in input order."""
    compatibility = options.get("migration_version_compatibility", "raw")
    valid = [obj for obj in objects if ctx.is_allowed(obj["type"])]
    aliases = yield from _alias_lookups(ctx, namespace, valid)

    docs: list[dict[str, Any]] = []
    for obj, alias in zip(valid, aliases, strict=True):
        index = ctx.index_for(obj["type"])
        for object_id in (obj["id"], *((alias.target_id,) if alias is not None else ())):
            raw_id = ctx.serializer.generate_raw_id(namespace, obj["type"], object_id)
            docs.append({"_id": raw_id, "_index": index})
    found: list[Mapping[str, Any]] = []
    if docs:
        answer = yield dataclasses.replace(rq.mget(docs), not_found_ok=True)
        found = answer.get("docs") or []

    def visible(position: int, type_name: str) -> Mapping[str, Any] | None:
        """The document at ``position`` if it is the ``type_name`` object it was read for
        (not another object sharing its raw id) and is visible from the namespace."""
        doc = found[position] if position < len(found) else {}
        source = doc.get("_source") or {}
        if (
            doc.get("found")
            and is_stored_object(ctx, source, type_name, namespace)
            and exists_in_namespace(ctx.registry, source, namespace)
        ):
            return doc
        return None

    results: list[ResolveResponse | SavedObjectsError] = []
    position = 0
    aliases_of = iter(aliases)
    for obj in objects:
        type_name, object_id = obj["type"], obj["id"]
        if not ctx.is_allowed(type_name):
            results.append(create_unsupported_type_error(type_name))
            continue
        alias = next(aliases_of)
        exact = visible(position, type_name)
        target = visible(position + 1, type_name) if alias is not None else None
        position += 1 if alias is None else 2
        try:
            outcome = _outcome(ctx, exact, target, alias, compatibility)
            if ctx.extensions.encryption is not None:
                decrypted = decrypt_and_redact(ctx, outcome.saved_object, None)
                outcome = outcome.model_copy(update={"saved_object": decrypted})
            results.append(outcome)
        except LookupError:
            results.append(create_generic_not_found_error(type_name, object_id))
        except SavedObjectsError as error:  # migration on read failed
            results.append(error)
    return results


def _outcome(
    ctx: RepositoryContext,
    exact: Mapping[str, Any] | None,
    target: Mapping[str, Any] | None,
    alias: _Alias | None,
    compatibility: MigrationVersionCompatibility,
) -> ResolveResponse:
    if exact is not None and target is not None and alias is not None:
        return ResolveResponse(
            saved_object=read_result(ctx, dict(exact), compatibility),
            outcome="conflict",
            alias_target_id=alias.target_id,
            alias_purpose=alias.purpose,
        )
    if exact is not None:
        return ResolveResponse(
            saved_object=read_result(ctx, dict(exact), compatibility), outcome="exactMatch"
        )
    if target is not None and alias is not None:
        return ResolveResponse(
            saved_object=read_result(ctx, dict(target), compatibility),
            outcome="aliasMatch",
            alias_target_id=alias.target_id,
            alias_purpose=alias.purpose,
        )
    raise LookupError


def bulk_resolve(
    ctx: RepositoryContext, objects: Sequence[BulkResolveObject], options: ResolveOptions
) -> Operation[SavedObjectsBulkResolveResponse]:
    """Every object's outcome in input order; a failed object is Kibana's public
    ``bulkResolve`` shape: the error in place of the object, with the ``exactMatch``
    outcome."""
    namespace = active_namespace(ctx, options.get("namespace"))
    outcomes = yield from _resolve_all(ctx, namespace, objects, options)
    resolved = _authorized(ctx, namespace, _public_entries(objects, outcomes))
    return SavedObjectsBulkResolveResponse.model_construct(resolved_objects=resolved)


def _public_entries(
    objects: Sequence[BulkResolveObject], outcomes: Sequence[ResolveResponse | SavedObjectsError]
) -> list[ResolveResponse]:
    """Kibana's public ``bulkResolve`` entries: a failed object's error stands in place of
    its saved object, with the ``exactMatch`` outcome."""
    resolved: list[ResolveResponse] = []
    for obj, outcome in zip(objects, outcomes, strict=True):
        if isinstance(outcome, SavedObjectsError):
            entry = error_entry(obj["type"], obj["id"], outcome.payload())
            outcome = ResolveResponse.model_construct(saved_object=entry, outcome="exactMatch")
        resolved.append(outcome)
    return resolved


def _authorized(
    ctx: RepositoryContext, namespace: str | None, resolved: list[ResolveResponse]
) -> list[ResolveResponse]:
    """The security extension checks and redacts the resolved objects (after resolution,
    as Kibana's internal bulk resolve does), or they pass unchanged without one."""
    security = ctx.extensions.security
    if security is None:
        return resolved
    return security.authorize_and_redact_internal_bulk_resolve(
        namespace_id_to_string(namespace), resolved
    )


def resolve(
    ctx: RepositoryContext, type_name: str, object_id: str, options: ResolveOptions
) -> Operation[ResolveResponse]:
    """One object; its error (400 unsupported type, 404, 500 migration) is raised."""
    namespace = active_namespace(ctx, options.get("namespace"))
    objects: list[BulkResolveObject] = [{"type": type_name, "id": object_id}]
    [outcome] = yield from _resolve_all(ctx, namespace, objects, options)
    if ctx.extensions.security is not None:
        [authorized] = _authorized(ctx, namespace, _public_entries(objects, [outcome]))
        if not isinstance(outcome, SavedObjectsError):
            outcome = authorized
    if isinstance(outcome, SavedObjectsError):
        raise outcome
    return outcome
