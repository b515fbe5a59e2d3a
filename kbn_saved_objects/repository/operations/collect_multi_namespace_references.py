"""``collect_multi_namespace_references``: what else moves when objects are shared
(spec 05 §3).

Before sharing an object to another space (or copying it there) a user needs to see the
objects it references, transitively, with the spaces each one is in, and two warnings per
object: the spaces where an enabled legacy URL alias of its id exists (sharing there would
make old links ambiguous) and the spaces holding an object of the same origin (a copy).

The graph is read breadth first, one ``_mget`` of root fields per level and at most
:data:`MAX_REFERENCE_GRAPH_DEPTH` levels. Only objects of multi-namespace types take part
(shareable ones for ``purpose="updateObjectsSpaces"``): single-namespace objects cannot
follow another into a space. Aliases and origins are then searched with a point-in-time,
a hundred hits a page, to keep the engine's search threads free for users.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, Literal, Required, TypedDict

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import NotFoundError, SavedObjectsError, UnclassifiedError
from kbn_saved_objects.mappings.root_fields import ROOT_FIELD_NAMES
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.helpers.extensions import active_namespace
from kbn_saved_objects.repository.helpers.namespaces import exists_in_namespace
from kbn_saved_objects.repository.helpers.raw_id_collisions import is_stored_object
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.repository.operations import find as find_op
from kbn_saved_objects.repository.operations import point_in_time as pit_op
from kbn_saved_objects.repository.results import (
    CollectMultiNamespaceReferencesResponse,
    InboundReference,
    ReferenceWithContext,
)
from kbn_saved_objects.search.kql.escaping import escape_kuery
from kbn_saved_objects.serialization import ALL_NAMESPACES_STRING, namespace_id_to_string
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE

__all__ = [
    "ALIAS_OR_SHARED_ORIGIN_SEARCH_PER_PAGE",
    "MAX_REFERENCE_GRAPH_DEPTH",
    "CollectMultiNamespaceReferencesObject",
    "CollectMultiNamespaceReferencesOptions",
    "collect_multi_namespace_references",
]

MAX_REFERENCE_GRAPH_DEPTH = 20
"""Levels of references followed before giving up: real graphs are a few levels deep, so
more means a runaway graph, not a bigger one."""

ALIAS_OR_SHARED_ORIGIN_SEARCH_PER_PAGE = 100

Purpose = Literal["collectMultiNamespaceReferences", "updateObjectsSpaces"]


class CollectMultiNamespaceReferencesObject(TypedDict):
    type: Required[str]
    id: Required[str]


class CollectMultiNamespaceReferencesOptions(TypedDict, total=False):
    namespace: str
    purpose: Purpose
    """``updateObjectsSpaces``: only shareable types take part, and an object is not its
    own copy (the default, for copying, counts objects with its raw id too)."""


Key = tuple[str, str]


@dataclasses.dataclass(slots=True)
class _Graph:
    found: dict[Key, dict[str, Any] | None] = dataclasses.field(default_factory=dict)
    """Every fetched object's root fields, or ``None`` where it was missing."""
    inbound: dict[Key, dict[Key, str]] = dataclasses.field(default_factory=dict)
    """Per object, in discovery order: who references it, and by which reference name."""


def _read_graph(
    ctx: RepositoryContext,
    objects: Sequence[CollectMultiNamespaceReferencesObject],
    namespace: str | None,
    purpose: Purpose | None,
) -> Operation[_Graph]:
    def eligible(type_name: str) -> bool:
        if not ctx.is_allowed(type_name):
            return False
        if purpose == "updateObjectsSpaces":
            return ctx.registry.is_shareable(type_name)
        return ctx.registry.is_multi_namespace(type_name)

    graph = _Graph()
    for obj in objects:
        graph.inbound.setdefault((obj["type"], obj["id"]), {})
    level = list(dict.fromkeys((o["type"], o["id"]) for o in objects if eligible(o["type"])))
    depth = 0
    while level:
        if depth >= MAX_REFERENCE_GRAPH_DEPTH:
            raise UnclassifiedError(
                f"Exceeded maximum reference graph depth of {MAX_REFERENCE_GRAPH_DEPTH} objects!"
            )
        docs = [
            {
                "_id": ctx.serializer.generate_raw_id(None, type_name, object_id),
                "_index": ctx.index_for(type_name),
                "_source": list(ROOT_FIELD_NAMES),
            }
            for type_name, object_id in level
        ]
        answer = yield dataclasses.replace(rq.mget(docs), not_found_ok=True)
        next_level: dict[Key, None] = {}
        for key, doc in zip(level, answer.get("docs") or [], strict=False):
            source = doc.get("_source") or {}
            if (
                not doc.get("found")
                or not is_stored_object(ctx, source, key[0], None)
                or not exists_in_namespace(ctx.registry, source, namespace)
            ):
                graph.found[key] = None
                continue
            graph.found[key] = source
            for reference in source.get("references") or []:
                ref_key = (reference.get("type"), reference.get("id"))
                if not eligible(ref_key[0]):
                    continue
                graph.inbound.setdefault(ref_key, {}).setdefault(key, reference.get("name", ""))
                if ref_key not in graph.found:
                    next_level[ref_key] = None
        level = list(next_level)
        depth += 1
    return graph


def _every_hit(
    ctx: RepositoryContext, options: find_op.FindOptions, failure: str
) -> Operation[list[dict[str, Any]]]:
    """All hits of a search, paged with a point-in-time that is always closed; any engine
    failure becomes ``<failure>: <message>``."""
    hits: list[dict[str, Any]] = []
    pit_id: str | None = None
    try:
        try:
            pit_id = yield from pit_op.open_point_in_time_for_type(
                ctx, options.get("type", []), {"keep_alive": "2m"}
            )
        except NotFoundError:
            return hits
        per_page = ALIAS_OR_SHARED_ORIGIN_SEARCH_PER_PAGE
        search_after: Sequence[Any] | None = None
        while True:
            page_options: find_op.FindOptions = {
                **options,
                "per_page": per_page,
                "sort_field": "updated_at",
                "sort_order": "desc",
                "pit": {"id": pit_id, "keep_alive": "2m"},
            }
            if search_after is not None:
                page_options["search_after"] = search_after
            page = yield from find_op.find_hits(ctx, page_options)
            pit_id = page.pit_id or pit_id
            hits.extend(page.hits)
            if len(page.hits) < per_page:
                break
            search_after = page.hits[-1].get("sort")
    except SavedObjectsError as error:
        raise UnclassifiedError(f"{failure}: {error.message}") from error
    finally:
        if pit_id is not None:
            yield from pit_op.close_point_in_time(ctx, pit_id)
    return hits


def _alias_spaces(ctx: RepositoryContext, keys: Sequence[Key]) -> Operation[dict[Key, set[str]]]:
    """Per object, the spaces with an enabled legacy URL alias of its id."""
    if not keys or not ctx.is_allowed(LEGACY_URL_ALIAS_TYPE):
        return {}
    attribute = f"{LEGACY_URL_ALIAS_TYPE}.attributes"
    matches = " or ".join(
        f"({attribute}.targetType: {escape_kuery(t)} and {attribute}.sourceId: {escape_kuery(i)})"
        for t, i in keys
    )
    kql = f"not {attribute}.disabled: true and ({matches})"
    if ctx.namespace is not None:  # a scoped repository learns nothing of other spaces
        kql += f" and {attribute}.targetNamespace: {escape_kuery(ctx.namespace)}"
    hits = yield from _every_hit(
        ctx,
        {"type": LEGACY_URL_ALIAS_TYPE, "filter": kql},
        "Failed to retrieve legacy URL aliases",
    )
    spaces: dict[Key, set[str]] = {}
    for hit in hits:
        alias = hit["_source"].get(LEGACY_URL_ALIAS_TYPE) or {}
        key = (str(alias.get("targetType")), str(alias.get("sourceId")))
        spaces.setdefault(key, set()).add(str(alias.get("targetNamespace")))
    return spaces


def _origin_spaces(
    ctx: RepositoryContext,
    objects: Sequence[tuple[str, str, str | None]],
    purpose: Purpose | None,
) -> Operation[dict[Key, set[str]]]:
    """Per ``(type, origin or id)``, the spaces of every object of that origin."""
    if not objects:
        return {}
    clauses: list[str] = []
    for type_name, object_id, origin in objects:
        shared = origin or object_id
        id_match = f"{type_name}.id: {escape_kuery(f'{type_name}:{shared}')}"
        origin_match = f"{type_name}.originId: {escape_kuery(shared)}"
        if purpose == "updateObjectsSpaces":
            itself = f"{type_name}.id: {escape_kuery(f'{type_name}:{object_id}')}"
            either = f"({id_match} or {origin_match})" if origin else origin_match
            clauses.append(f"(not {itself} and {either})")
        else:
            clauses.extend((id_match, origin_match))
    types = list(dict.fromkeys(type_name for type_name, _, _ in objects))
    hits = yield from _every_hit(
        ctx,
        {
            "type": types,
            "filter": " or ".join(clauses),
            "fields": ["not-a-field"],
            # every space, where copies live; a scoped repository sees its own only
            "namespaces": [ctx.namespace or ALL_NAMESPACES_STRING],
        },
        "Failed to retrieve shared origin objects",
    )
    spaces: dict[Key, set[str]] = {}
    for hit in hits:
        doc = ctx.serializer.raw_to_doc(hit)
        key = (doc["type"], doc.get("originId") or doc["id"])
        seen = spaces.setdefault(key, set())
        namespaces = doc.get("namespaces") or []
        if ALL_NAMESPACES_STRING in namespaces or ALL_NAMESPACES_STRING in seen:
            spaces[key] = {ALL_NAMESPACES_STRING}
        else:
            seen.update(namespaces)
    return spaces


def collect_multi_namespace_references(
    ctx: RepositoryContext,
    objects: Sequence[CollectMultiNamespaceReferencesObject],
    options: CollectMultiNamespaceReferencesOptions,
) -> Operation[CollectMultiNamespaceReferencesResponse]:
    namespace = active_namespace(ctx, options.get("namespace"))
    if not objects:
        return CollectMultiNamespaceReferencesResponse(objects=[])
    purpose = options.get("purpose")
    graph = yield from _read_graph(ctx, objects, namespace, purpose)

    found = {
        key: source
        for key, source in graph.found.items()
        if source is not None and source.get("namespaces")
    }
    # the alias and origin searches are the operation's own, not the caller's finds
    internal = ctx.without_extensions()
    aliases = yield from _alias_spaces(internal, list(found))
    origins = yield from _origin_spaces(
        internal, [(t, i, source.get("originId")) for (t, i), source in found.items()], purpose
    )
    results: list[ReferenceWithContext] = []
    for key, inbound in graph.inbound.items():
        source = graph.found.get(key)
        entry: dict[str, Any] = {
            "type": key[0],
            "id": key[1],
            "spaces": list((source or {}).get("namespaces") or []),
            "inbound_references": [
                InboundReference(type=t, id=i, name=name) for (t, i), name in inbound.items()
            ],
        }
        if source is not None and source.get("originId"):
            entry["origin_id"] = source["originId"]
        if key in graph.found and source is None:
            entry["is_missing"] = True
        if key in found:
            matching_aliases = aliases.get(key)
            if matching_aliases:
                entry["spaces_with_matching_aliases"] = sorted(matching_aliases)
            origin_key = (key[0], (source or {}).get("originId") or key[1])
            matching_origins = origins.get(origin_key)
            if matching_origins:
                entry["spaces_with_matching_origins"] = sorted(matching_origins)
        results.append(ReferenceWithContext(**entry))
    security = ctx.extensions.security
    if security is not None:
        # filters out what the caller may not see and redacts the spaces (spec 08 §2.9)
        kept = security.authorize_and_redact_multi_namespace_references(
            namespace_id_to_string(namespace),
            [result.model_dump(exclude_none=True) for result in results],
            purpose=purpose or "collectMultiNamespaceReferences",
            requested=[{"type": obj["type"], "id": obj["id"]} for obj in objects],
        )
        results = [ReferenceWithContext.model_validate(entry) for entry in kept]
    return CollectMultiNamespaceReferencesResponse(objects=results)
