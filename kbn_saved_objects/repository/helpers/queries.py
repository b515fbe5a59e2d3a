"""Query DSL for the operations that act on many documents at once (update-by-query).

``delete_by_namespace``, ``remove_references_to`` and legacy-URL-alias deletion select
their documents with the same type/namespace clause ``find`` uses (spec 04 §3.3) and,
for references, the same nested reference clause (spec 04 §6). They are built here as
plain DSL so that these write paths do not depend on the search layer; the clauses are
the ones Kibana's ``getSearchDsl`` produces for the same arguments.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kbn_saved_objects.serialization import ALL_NAMESPACES_STRING, DEFAULT_NAMESPACE_STRING
from kbn_saved_objects.types import SavedObjectTypeRegistry

__all__ = ["has_reference_clause", "type_namespace_clause", "types_clause"]


def _no_field(name: str) -> dict[str, Any]:
    return {"exists": {"field": name}}


def type_namespace_clause(
    registry: SavedObjectTypeRegistry, type_name: str, namespaces: Sequence[str]
) -> dict[str, Any]:
    """The clause matching objects of ``type_name`` visible in ``namespaces`` (strings).

    Multi-namespace objects list their spaces in ``namespaces`` (``*`` matches every
    space); single-namespace objects carry ``namespace``, except in the default space
    where the field is absent; agnostic objects carry neither.
    """
    if not namespaces:
        raise ValueError("cannot specify empty namespaces array")
    type_term = {"term": {"type": type_name}}
    if registry.is_multi_namespace(type_name):
        must: list[dict[str, Any]] = [type_term]
        if ALL_NAMESPACES_STRING not in namespaces:
            must.append({"terms": {"namespaces": [*dict.fromkeys(namespaces), "*"]}})
        return {"bool": {"must": must, "must_not": [_no_field("namespace")]}}
    if registry.is_namespace_agnostic(type_name):
        return {
            "bool": {
                "must": [type_term],
                "must_not": [_no_field("namespace"), _no_field("namespaces")],
            }
        }
    clause: dict[str, Any] = {"must": [type_term], "must_not": [_no_field("namespaces")]}
    should: list[dict[str, Any]] = []
    if ALL_NAMESPACES_STRING not in namespaces:
        named = [ns for ns in dict.fromkeys(namespaces) if ns != DEFAULT_NAMESPACE_STRING]
        if named:
            should.append({"terms": {"namespace": named}})
        if DEFAULT_NAMESPACE_STRING in namespaces:
            should.append({"bool": {"must_not": [_no_field("namespace")]}})
    if should:
        clause["should"] = should
        clause["minimum_should_match"] = 1
    return {"bool": clause}


def types_clause(
    registry: SavedObjectTypeRegistry, type_names: Sequence[str], namespaces: Sequence[str]
) -> dict[str, Any]:
    """One :func:`type_namespace_clause` per type, any of which may match."""
    return {
        "bool": {
            "should": [type_namespace_clause(registry, name, namespaces) for name in type_names],
            "minimum_should_match": 1,
        }
    }


def has_reference_clause(type_name: str, object_id: str) -> dict[str, Any]:
    """Objects holding a reference to ``type_name``/``object_id`` (``references`` is nested,
    so both terms must hold for the *same* reference)."""
    return {
        "bool": {
            "should": [
                {
                    "nested": {
                        "path": "references",
                        "query": {
                            "bool": {
                                "must": [
                                    {"terms": {"references.id": [object_id]}},
                                    {"term": {"references.type": type_name}},
                                ]
                            }
                        },
                    }
                }
            ],
            "minimum_should_match": 1,
        }
    }
