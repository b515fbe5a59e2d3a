"""The engine search body a caller hands to ``search``, made space-safe.

``find`` hides the engine's query DSL; ``search`` (Kibana ``main``'s low-level method)
accepts it, and must still return only objects of the requested types in the namespaces
the caller may see. Kibana merges its type/namespace filter into the caller's query. We
*wrap* the caller's query instead -- ``bool: {filter: [scope], must: [query]}`` -- which
keeps the caller's query meaning exactly what it meant (a merged ``should`` would become
optional) and cannot be escaped by any query, since a ``filter`` clause is always ANDed.

A query is not the only way a search body reaches documents, though. Some parts of a body
run over the whole index whatever the query says, or change what the scope filter sees:

* ``global`` aggregations ignore the query; ``significant_terms``/``significant_text``
  report background statistics over the whole index; suggesters read the index's terms;
  top-level ``knn``, ``retriever``, ``rank`` and ``sub_searches`` search outside ``query``.
* ``runtime_mappings`` (Elasticsearch) and ``derived`` (OpenSearch) may define a field that
  shadows a mapped one: a runtime ``type`` or ``namespaces`` field would rewrite what the
  scope filter tests.

Those are refused with a 400 naming the part (Kibana does not refuse them: its filter is
escapable through each of them). Everything else is passed to the engine as given, and
an unknown top-level key is refused rather than forwarded, so a future engine feature is
not a hole until someone has looked at it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kbn_saved_objects.engine.flavors import RUNTIME_FIELD_KEYS, EngineInfo, runtime_fields_body
from kbn_saved_objects.errors import BadRequestError
from kbn_saved_objects.mappings.root_fields import ROOT_FIELD_NAMES
from kbn_saved_objects.serialization import SavedObject, SavedObjectsSerializer
from kbn_saved_objects.types import SavedObjectTypeRegistry

__all__ = [
    "ALLOWED_BODY_KEYS",
    "attribute_field",
    "runtime_field",
    "runtime_fields",
    "saved_objects_from_hits",
    "scoped_query",
    "terms_aggregation",
    "validate_search_body",
]

ALLOWED_BODY_KEYS = frozenset(
    {
        "query",
        "aggs",
        "aggregations",
        "size",
        "from",
        "sort",
        "_source",
        "fields",
        "docvalue_fields",
        "script_fields",
        "runtime_mappings",
        "derived",
        "highlight",
        "collapse",
        "search_after",
        "pit",
        "track_total_hits",
        "track_scores",
        "timeout",
        "terminate_after",
        "min_score",
        "post_filter",
        "rescore",
        "explain",
        "version",
        "seq_no_primary_term",
        "indices_boost",
    }
)
"""Top-level keys of a search body that cannot widen what the query matches."""

_UNSCOPED_AGGREGATIONS = frozenset({"global", "significant_terms", "significant_text"})
"""Aggregations whose results depend on documents outside the query's hits."""

_SCOPE_FIELDS = frozenset(ROOT_FIELD_NAMES) | {"_id", "_index"}


def _refuse(reason: str) -> BadRequestError:
    return BadRequestError(reason=f"search body: {reason}")


def _check_aggregations(aggs: Any, path: str) -> None:
    if not isinstance(aggs, Mapping):
        raise _refuse(f"{path} must be an object")
    for name, agg in aggs.items():
        if not isinstance(agg, Mapping):
            raise _refuse(f"{path}.{name} must be an object")
        for key, value in agg.items():
            if key in _UNSCOPED_AGGREGATIONS:
                raise _refuse(
                    f"{path}.{name} is a {key!r} aggregation, which reads documents outside "
                    "the objects the caller may see"
                )
            if key in ("aggs", "aggregations"):
                _check_aggregations(value, f"{path}.{name}.{key}")


def validate_search_body(body: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``body`` once every part of it is known not to widen the search.

    Raises :class:`BadRequestError` (400) naming the first part that could.
    """
    if not isinstance(body, Mapping):
        raise _refuse("must be an object")
    unknown = sorted(set(body) - ALLOWED_BODY_KEYS)
    if unknown:
        raise _refuse(
            f"{', '.join(repr(key) for key in unknown)} cannot be used in a saved-objects "
            "search (it could reach objects outside the requested types and spaces)"
        )
    for key in ("aggs", "aggregations"):
        if key in body:
            _check_aggregations(body[key], key)
    for key in RUNTIME_FIELD_KEYS:
        runtime = body.get(key)
        if runtime is None:
            continue
        if not isinstance(runtime, Mapping):
            raise _refuse(f"{key} must be an object")
        shadowing = sorted(
            name for name in runtime if name in _SCOPE_FIELDS or name.split(".")[0] in _SCOPE_FIELDS
        )
        if shadowing:
            raise _refuse(
                f"{key} cannot define {', '.join(shadowing)}: a saved object's root fields "
                "decide which objects a search may see"
            )
    query = body.get("query")
    if query is not None and not isinstance(query, Mapping):
        raise _refuse("query must be an object")
    return dict(body)


def scoped_query(query: Mapping[str, Any] | None, scope: Mapping[str, Any]) -> dict[str, Any]:
    """The caller's query, restricted to ``scope`` (the type/namespace clause)."""
    clause: dict[str, Any] = {"filter": [scope]}
    if query:
        clause["must"] = [query]
    return {"bool": clause}


def attribute_field(type_name: str, attribute: str) -> str:
    """Where an attribute lives in a raw document, for queries and aggregations:
    ``attribute_field("dashboard", "title")`` is ``"dashboard.title"``."""
    if not type_name or not attribute:
        raise ValueError("type and attribute are required")
    return f"{type_name}.{attribute}"


def terms_aggregation(type_name: str, attribute: str, *, size: int = 10) -> dict[str, Any]:
    """A ``terms`` aggregation over one attribute of a type (a keyword field)."""
    return {"terms": {"field": attribute_field(type_name, attribute), "size": size}}


def runtime_field(kind: str, script: str) -> dict[str, Any]:
    """One field computed at search time: of ``kind`` (``keyword``, ``long``, ``double``,
    ``date``, ``boolean``...), by a Painless ``script`` that calls ``emit``. Name it under
    the type (``"dashboard.title_length"``): root field names are refused, since they
    decide what a search may see."""
    return {"type": kind, "script": {"source": script}}


def runtime_fields(engine: EngineInfo, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The body part defining ``fields`` (built with :func:`runtime_field`) on this
    engine: ``runtime_mappings`` on Elasticsearch, ``derived`` on OpenSearch."""
    return runtime_fields_body(engine, fields)


def saved_objects_from_hits(
    registry: SavedObjectTypeRegistry, answer: Mapping[str, Any]
) -> list[SavedObject[Any]]:
    """The whole-object hits of a ``search`` answer as saved objects (hits whose
    ``_source`` was filtered or turned off are skipped: they are not whole objects)."""
    serializer = SavedObjectsSerializer(registry)
    found = []
    for hit in answer.get("hits", {}).get("hits", []):
        source = hit.get("_source")
        if (
            isinstance(source, Mapping)
            and source.get("type") in source
            and serializer.is_raw_saved_object(hit)
        ):
            found.append(serializer.raw_to_saved_object(hit))
    return found
