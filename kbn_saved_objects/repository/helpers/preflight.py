"""Multi-namespace preflight checks (spec 05 §4): what already stands at an id.

Both checks are operation fragments: generators that yield engine requests, used with
``yield from`` inside an operation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.helpers.namespaces import exists_in_any_namespace
from kbn_saved_objects.repository.helpers.raw_id_collisions import is_stored_object
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.serialization import (
    ALL_NAMESPACES_STRING,
    legacy_url_alias_raw_id,
    namespace_id_to_string,
    namespace_string_to_id,
)
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE

ALIAS_FETCH_LIMIT = 3
"""Up to this many spaces, aliases are fetched by id; beyond it (or for ``*``) searched."""

ConflictKind = Literal["aliasConflict", "unresolvableConflict", "conflict"]


@dataclass(frozen=True)
class CreateCheck:
    type: str
    id: str
    overwrite: bool
    namespaces: Sequence[str]


@dataclass
class CreateCheckResult:
    type: str
    id: str
    error: ConflictKind | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    existing: dict[str, Any] | None = None
    """The stored raw document when an overwrite is allowed."""


def _alias_query(checks: Sequence[CreateCheck]) -> dict[str, Any]:
    alias = LEGACY_URL_ALIAS_TYPE
    return {
        "bool": {
            "filter": [{"term": {"type": alias}}],
            "must_not": [{"term": {f"{alias}.disabled": True}}],
            "should": [
                {
                    "bool": {
                        "filter": [
                            {"term": {f"{alias}.targetType": check.type}},
                            {"term": {f"{alias}.sourceId": check.id}},
                        ]
                    }
                }
                for check in checks
            ],
            "minimum_should_match": 1,
        }
    }


def preflight_create(
    ctx: RepositoryContext, checks: Sequence[CreateCheck]
) -> Operation[list[CreateCheckResult]]:
    """Spec 05 §4.1. Kibana pages through wide alias searches with a PIT finder; one
    search of up to 10,000 aliases does the same for any realistic alias count."""
    results = [CreateCheckResult(check.type, check.id) for check in checks]
    if not checks:
        return results
    aliases_registered = LEGACY_URL_ALIAS_TYPE in ctx.registry
    wide = [
        i
        for i, check in enumerate(checks)
        if aliases_registered
        and (len(check.namespaces) > ALIAS_FETCH_LIMIT or ALL_NAMESPACES_STRING in check.namespaces)
    ]
    if wide:
        answer = yield rq.search(
            {
                "size": 10_000,
                "_source": [
                    f"{LEGACY_URL_ALIAS_TYPE}.targetNamespace",
                    f"{LEGACY_URL_ALIAS_TYPE}.targetType",
                    f"{LEGACY_URL_ALIAS_TYPE}.sourceId",
                ],
                "query": _alias_query([checks[i] for i in wide]),
            },
            index=ctx.index_for(LEGACY_URL_ALIAS_TYPE),
            ignore_unavailable=True,
        )
        found: dict[tuple[Any, Any], list[str]] = {}
        for hit in answer["hits"]["hits"]:
            attrs = hit["_source"].get(LEGACY_URL_ALIAS_TYPE, {})
            key = (attrs.get("targetType"), attrs.get("sourceId"))
            found.setdefault(key, []).append(attrs.get("targetNamespace"))
        for i in wide:
            check = checks[i]
            spaces = found.get((check.type, check.id), [])
            if ALL_NAMESPACES_STRING not in check.namespaces:
                spaces = [ns for ns in check.namespaces if ns in spaces]
            if spaces:
                results[i].error = "aliasConflict"
                results[i].metadata = {"spacesWithConflictingAliases": spaces}

    docs: list[dict[str, Any]] = []
    # (check index, alias space; None for the object document itself)
    slots: list[tuple[int, str | None]] = []
    # the security extension authorizes an overwrite with the stored access control
    source_fields = ["type", "namespaces", "originId"]
    if ctx.extensions.security is not None:
        source_fields.append("accessControl")
    for i, check in enumerate(checks):
        if results[i].error:
            continue
        docs.append(
            {
                "_index": ctx.index_for(check.type),
                "_id": ctx.serializer.generate_raw_id(None, check.type, check.id),
                "_source": source_fields,
            }
        )
        slots.append((i, None))
        if aliases_registered and i not in wide:
            for space in check.namespaces:
                docs.append(
                    {
                        "_index": ctx.index_for(LEGACY_URL_ALIAS_TYPE),
                        "_id": legacy_url_alias_raw_id(
                            namespace_string_to_id(space), check.type, check.id
                        ),
                        "_source": [f"{LEGACY_URL_ALIAS_TYPE}.disabled"],
                    }
                )
                slots.append((i, space))
    if not docs:
        return results
    answer = yield rq.mget(docs)
    fetched: dict[int, dict[str, Any]] = {}
    alias_spaces: dict[int, list[str]] = {}
    for (i, alias_space), doc in zip(slots, answer["docs"], strict=True):
        if not doc.get("found"):
            continue
        if alias_space is None:
            fetched[i] = doc
        elif not doc["_source"].get(LEGACY_URL_ALIAS_TYPE, {}).get("disabled"):
            alias_spaces.setdefault(i, []).append(alias_space)
    for i, check in enumerate(checks):
        result = results[i]
        if result.error:
            continue
        if i in alias_spaces:
            result.error = "aliasConflict"
            result.metadata = {"spacesWithConflictingAliases": alias_spaces[i]}
        elif i in fetched:
            doc = fetched[i]
            if not is_stored_object(
                ctx, doc["_source"], check.type, None
            ) or not exists_in_any_namespace(ctx.registry, doc["_source"], check.namespaces):
                result.error = "unresolvableConflict"
                result.metadata = {"isNotOverwritable": True}
            elif not check.overwrite:
                result.error = "conflict"
            else:
                result.existing = doc
    return results


NamespaceCheck = Literal["found_in_namespace", "found_outside_namespace", "not_found"]


def classify_namespaces(
    ctx: RepositoryContext, found: dict[str, Any] | None, type_name: str, namespace: str | None
) -> NamespaceCheck:
    """Spec 05 §4.2 on a document read at the raw id of ``type_name`` in ``namespace`` (an
    id; ``found`` is ``None`` when nothing was found). Another object stored at the same
    raw id (another type, or another space of a single-namespace type) is never the
    object: it counts as found outside the namespace, so it is neither read nor written."""
    if found is None or not found.get("found"):
        return "not_found"
    source = found["_source"]
    if is_stored_object(ctx, source, type_name, namespace) and exists_in_any_namespace(
        ctx.registry, source, [namespace_id_to_string(namespace)]
    ):
        return "found_in_namespace"
    return "found_outside_namespace"
