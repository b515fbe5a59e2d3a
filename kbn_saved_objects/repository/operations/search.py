"""``search``: the engine's own search DSL over saved objects, still space-safe.

Kibana ``main``'s low-level ``search`` (``apis/search/search.ts``) takes an engine search
body, restricts it to the requested types and the namespaces the caller may see, and
returns the engine's answer with each hit's ``_source`` migrated on read. We follow it,
with three deliberate differences, each closing a way out of the caller's scope:

* the caller's query is wrapped, not merged, and body parts that read outside the query
  are refused (both in :mod:`kbn_saved_objects.search.raw_search`);
* the type clause names only the types this repository may read (Kibana's clause lists
  every requested type, so a hidden type stored in the same index as an allowed one was
  matched);
* with a point-in-time, which names no index, the search is also restricted to the
  requested types' indices (a point-in-time opened over other indices
  would otherwise bring their documents in).

Where Kibana answers ``{}`` (no allowed type, missing index) we answer an empty response
of the engine's shape, so callers need no special case.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import BadRequestError, NotFoundError
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.helpers.documents import migrate_for_read
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.search.query import single_type_clause
from kbn_saved_objects.search.raw_search import scoped_query, validate_search_body

__all__ = ["SearchOptions", "empty_search_response", "search"]


class SearchOptions(TypedDict, total=False):
    preference: str


def empty_search_response() -> dict[str, Any]:
    """What a search that may see nothing answers: no hits, in the engine's shape."""
    return {
        "took": 0,
        "timed_out": False,
        "_shards": {"total": 0, "successful": 0, "skipped": 0, "failed": 0},
        "hits": {"total": {"value": 0, "relation": "eq"}, "max_score": None, "hits": []},
    }


def _types(types: str | Sequence[str]) -> list[str]:
    names = [types] if isinstance(types, str) else list(types) if types is not None else []
    if not names or not all(isinstance(name, str) and name for name in names):
        raise BadRequestError(reason="options.type must be a string or an array of strings")
    return list(dict.fromkeys(names))


def _namespaces(ctx: RepositoryContext, namespaces: Sequence[str] | None) -> list[str]:
    if namespaces is None:
        return [ctx.namespace or "default"]
    if isinstance(namespaces, str) or not namespaces:
        raise BadRequestError(reason="options.namespaces cannot be an empty array")
    error = ctx.scope_error(namespaces, "options.namespaces")
    if error is not None:
        raise error
    return list(dict.fromkeys(namespaces))


def search(
    ctx: RepositoryContext,
    types: str | Sequence[str],
    namespaces: Sequence[str] | None,
    body: Mapping[str, Any],
    options: SearchOptions,
) -> Operation[dict[str, Any]]:
    requested_namespaces = _namespaces(ctx, namespaces)
    requested_types = _types(types)
    checked = validate_search_body(body)
    allowed = ctx.allowed_types(requested_types)
    if not allowed:
        return empty_search_response()
    scope: dict[str, Any] = {
        "bool": {
            "should": [
                single_type_clause(ctx.registry, name, requested_namespaces) for name in allowed
            ],
            "minimum_should_match": 1,
        }
    }
    pit = checked.get("pit")
    indices = ctx.indices_for(allowed)
    if pit:
        # A term query on ``_index`` also matches an alias's name, so no lookup is needed.
        scope = {"bool": {"filter": [scope, {"terms": {"_index": indices}}]}}
    checked["query"] = scoped_query(checked.get("query"), scope)
    try:
        answer = yield rq.search(
            checked,
            index=None if pit else indices,
            preference=options.get("preference"),
            ignore_unavailable=None if pit else True,
        )
    except NotFoundError:
        return empty_search_response()
    migrate = not checked.get("fields")
    hits = answer.get("hits", {}).get("hits", [])
    answer["hits"]["hits"] = [_read_hit(ctx, hit) if migrate else hit for hit in hits]
    return answer  # type: ignore[no-any-return]


def _read_hit(ctx: RepositoryContext, hit: dict[str, Any]) -> dict[str, Any]:
    """A hit whose ``_source`` is a whole saved object comes back migrated, in the raw
    shape it would be stored in today (unchanged when it is already current); any other
    hit (``_source`` filtered down to a few fields, or turned off) is returned as the
    engine gave it."""
    source = hit.get("_source")
    if (
        not isinstance(source, Mapping)
        or not source.get("type")
        or source["type"] not in source
        or not ctx.serializer.is_raw_saved_object(hit)
    ):
        return hit
    if "managed" in source and _is_current(ctx, source):
        return hit
    doc = migrate_for_read(ctx, ctx.serializer.raw_to_doc(hit))
    raw = ctx.serializer.doc_to_raw(doc)
    out = dict(hit)
    out["_id"] = raw["_id"]
    out["_source"] = raw["_source"]
    return out


def _is_current(ctx: RepositoryContext, source: Mapping[str, Any]) -> bool:
    """Whether reading the stored object would leave it as it is: its version stamps are
    the latest (the migrator hands such a document back untouched, which a probe made of
    the stamps alone shows without building the whole document) and ``managed`` is set.
    Most hits of a migrated index are; they skip the read-and-reserialize round trip."""
    probe: dict[str, Any] = {"type": source["type"], "id": ""}
    for key in ("typeMigrationVersion", "coreMigrationVersion"):
        if key in source:
            probe[key] = source[key]
    try:
        return ctx.migration.for_read(probe) is probe  # type: ignore[arg-type]
    except Exception:  # the full read raises the typed error
        return False
