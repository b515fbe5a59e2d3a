"""The ``_search`` body of ``find``, built from its options (spec 04 §3-8).

Pure functions, one per clause, composed by :func:`build_search_body` in exactly Kibana's
order (KQL filter, has-reference, has-no-reference, type/namespace clause) so requests can
be compared byte for byte with Kibana's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from kbn_saved_objects.errors import SavedObjectsError
from kbn_saved_objects.mappings.root_fields import root_field_mappings
from kbn_saved_objects.serialization import ALL_NAMESPACES_STRING, DEFAULT_NAMESPACE_STRING
from kbn_saved_objects.types import SavedObjectTypeRegistry

Operator = Literal["AND", "OR"]
SortOrder = Literal["asc", "desc"]

ROOT_SOURCE_FIELDS = (
    "namespace",
    "namespaces",
    "type",
    "references",
    "migrationVersion",
    "coreMigrationVersion",
    "typeMigrationVersion",
    "managed",
    "accessControl",
    "updated_at",
    "updated_by",
    "created_at",
    "created_by",
    "originId",
)
"""Always returned when ``fields`` narrows ``_source`` (Kibana 9.x order)."""

REFERENCE_CHUNK = 1000


class NotAcceptableError(SavedObjectsError):
    """406: Kibana's plain HTTP error for ``sortOrder`` without ``sortField``."""

    code = "notAcceptable"
    status_code = 406
    label = "Not Acceptable"


class PlainBadRequestError(SavedObjectsError):
    """400 without a saved-objects classification (Kibana's sort errors)."""

    code = "plainBadRequest"
    status_code = 400
    label = "Bad Request"


@dataclass(frozen=True)
class Reference:
    type: str
    id: str


def as_references(value: Any) -> list[Reference]:
    """A single ``{type, id}`` or a list of them (dicts or :class:`Reference`)."""
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else [value]
    out = []
    for item in items:
        if isinstance(item, Reference):
            out.append(item)
        else:
            out.append(Reference(str(item["type"]), str(item["id"])))
    return out


# Type / namespace clause (§3.3) ----------------------------------------------------------


def single_type_clause(
    registry: SavedObjectTypeRegistry, type_name: str, namespaces: Sequence[str]
) -> dict[str, Any]:
    """Objects of ``type_name`` visible in ``namespaces`` (strings; ``*`` = every space).

    Multi-namespace objects list their spaces in ``namespaces``; single-namespace objects
    carry ``namespace``, except in the default space where the field is absent; agnostic
    objects carry neither.
    """
    if not namespaces:
        raise ValueError("cannot specify empty namespaces array")
    everywhere = ALL_NAMESPACES_STRING in namespaces
    type_term = {"term": {"type": type_name}}
    if registry.is_multi_namespace(type_name):
        must: list[Any] = [type_term]
        if not everywhere:
            must.append(
                {"terms": {"namespaces": [*dict.fromkeys(namespaces), ALL_NAMESPACES_STRING]}}
            )
        return {"bool": {"must": must, "must_not": [{"exists": {"field": "namespace"}}]}}
    if registry.is_namespace_agnostic(type_name):
        return {
            "bool": {
                "must": [type_term],
                "must_not": [
                    {"exists": {"field": "namespace"}},
                    {"exists": {"field": "namespaces"}},
                ],
            }
        }
    should: list[Any] = []
    if not everywhere:
        named = [ns for ns in dict.fromkeys(namespaces) if ns != DEFAULT_NAMESPACE_STRING]
        if named:
            should.append({"terms": {"namespace": named}})
        if DEFAULT_NAMESPACE_STRING in namespaces:
            should.append({"bool": {"must_not": [{"exists": {"field": "namespace"}}]}})
    clause: dict[str, Any] = {"must": [type_term]}
    if should:
        clause["should"] = should
        clause["minimum_should_match"] = 1
    clause["must_not"] = [{"exists": {"field": "namespaces"}}]
    return {"bool": clause}


def type_namespace_clause(
    registry: SavedObjectTypeRegistry,
    types: Sequence[str],
    namespaces: Sequence[str],
    type_to_namespaces: Mapping[str, Sequence[str] | None] | None = None,
) -> dict[str, Any]:
    """Which objects a find may see. ``type_to_namespaces`` replaces both ``types`` and
    ``namespaces`` (each type searched in its own spaces, ``None`` = the default space)."""
    if type_to_namespaces is not None:
        pairs = [
            (name, list(spaces) if spaces is not None else [DEFAULT_NAMESPACE_STRING])
            for name, spaces in type_to_namespaces.items()
        ]
    else:
        pairs = [(name, list(namespaces)) for name in types]
    return {
        "bool": {
            "should": [single_type_clause(registry, name, spaces) for name, spaces in pairs],
            "minimum_should_match": 1,
        }
    }


# References (§6) --------------------------------------------------------------------------


def _nested_reference(condition: dict[str, Any], type_name: str) -> dict[str, Any]:
    return {
        "nested": {
            "path": "references",
            "query": {"bool": {"must": [condition, {"term": {"references.type": type_name}}]}},
        }
    }


def _term_clauses(references: Sequence[Reference]) -> list[dict[str, Any]]:
    return [_nested_reference({"term": {"references.id": ref.id}}, ref.type) for ref in references]


def _terms_clauses(references: Sequence[Reference]) -> list[dict[str, Any]]:
    ids_by_type: dict[str, list[str]] = {}
    for ref in references:
        ids_by_type.setdefault(ref.type, []).append(ref.id)
    clauses = []
    for type_name, ids in ids_by_type.items():
        for start in range(0, len(ids), REFERENCE_CHUNK):
            chunk = ids[start : start + REFERENCE_CHUNK]
            clauses.append(_nested_reference({"terms": {"references.id": chunk}}, type_name))
    return clauses


def has_reference_clause(references: Sequence[Reference], operator: Operator) -> dict[str, Any]:
    if operator == "AND":
        return {"bool": {"must": _term_clauses(references)}}
    return {"bool": {"should": _terms_clauses(references), "minimum_should_match": 1}}


def has_no_reference_clause(references: Sequence[Reference], operator: Operator) -> dict[str, Any]:
    if operator == "AND":
        return {"bool": {"must_not": [{"bool": {"must": _term_clauses(references)}}]}}
    return {"bool": {"must_not": _terms_clauses(references)}}


# Free-text search (§5) ------------------------------------------------------------------


def _split_boost(path: str) -> tuple[str, int]:
    name, _, boost = path.partition("^")
    try:
        return name, int(boost) if boost else 1
    except ValueError:
        return name, 1


def search_clauses(
    registry: SavedObjectTypeRegistry,
    types: Sequence[str],
    search: str,
    search_fields: Sequence[str] | None,
    root_search_fields: Sequence[str] | None,
    default_operator: Operator | None,
) -> dict[str, Any]:
    """``{"must": [...]}`` or ``{"should": [...], "minimum_should_match": 1}``."""
    query: dict[str, Any] = {"query": search}
    if not search_fields and not root_search_fields:
        query["fields"] = ["*"]
        query["lenient"] = True
    else:
        fields: list[str] = []
        for root in root_search_fields or ():
            if "." in root:
                raise ValueError(
                    f'rootSearchFields entry "{root}" is invalid: cannot contain "." character'
                )
            fields.append(root)
        fields.extend(f"{t}.{f}" for f in (search_fields or ()) for t in types)
        query["fields"] = fields
    if default_operator is not None:
        query["default_operator"] = default_operator
    simple = {"simple_query_string": query}
    if not search.strip().endswith("*"):
        return {"must": [simple]}
    prefix = search[:-1] if search.endswith("*") else search
    candidates = [f for f in (search_fields or ()) if f != "*" and not f.startswith("*")]
    if candidates:
        paths = [f"{t}.{f}" for f in candidates for t in types]
    else:
        paths = []
        for t in types:
            definition = registry.get_type(t)
            default_field = (
                definition.management.default_search_field
                if definition and definition.management
                else None
            )
            if default_field:
                paths.append(f"{t}.{default_field}")
    prefix_clauses = []
    for path in paths:
        name, boost = _split_boost(path)
        prefix_clauses.append({"match_phrase_prefix": {name: {"query": prefix, "boost": boost}}})
    return {"should": [simple, *prefix_clauses], "minimum_should_match": 1}


# Fields (§7) ----------------------------------------------------------------------------


def included_fields(types: Sequence[str], fields: Sequence[str]) -> list[str]:
    prefixes = list(types) or ["*"]
    return [f"{t}.{f}" for t in prefixes for f in fields] + list(ROOT_SOURCE_FIELDS)


# Sorting (§8) ---------------------------------------------------------------------------


def _lookup(properties: Mapping[str, Any], path: str) -> Mapping[str, Any] | None:
    """A field's mapping by dotted path, falling back to multi-fields at each level."""
    current: Mapping[str, Any] | None = None
    scope: Mapping[str, Any] = properties
    for part in path.split("."):
        if part in scope:
            current = scope[part]
        elif current is not None and part in current.get("fields", {}):
            current = current["fields"][part]
        else:
            return None
        scope = current.get("properties", {}) if current else {}
    return current


def sort_clause(
    registry: SavedObjectTypeRegistry,
    types: Sequence[str],
    sort_field: str | None,
    sort_order: SortOrder | None,
    *,
    has_pit: bool,
    tiebreaker: Sequence[Any] = (),
) -> list[Any] | None:
    """Kibana's sort (8.x rules for several types); with a point-in-time the engine's
    tiebreaker (see ``engine.flavors.point_in_time_tiebreaker``) is appended."""
    sort = _sort_keys(registry, types, sort_field, sort_order, has_pit=has_pit)
    if has_pit and tiebreaker:
        if sort == ["_shard_doc"]:
            return list(tiebreaker)
        return [*(sort or []), *tiebreaker]
    return sort


def _sort_keys(
    registry: SavedObjectTypeRegistry,
    types: Sequence[str],
    sort_field: str | None,
    sort_order: SortOrder | None,
    *,
    has_pit: bool,
) -> list[Any] | None:
    if sort_field is None:
        if sort_order is not None:
            raise NotAcceptableError("sortOrder requires a sortField")
        return ["_shard_doc"] if has_pit else None
    order: dict[str, Any] = {"order": sort_order} if sort_order is not None else {}
    if sort_field in ("_id", "_score"):
        return [{sort_field: order}]
    root = root_field_mappings()
    if len(types) == 1:
        definition = registry.get_type(types[0])
        properties = (
            {types[0]: {"properties": dict(definition.mappings.get("properties", {}))}}
            if definition
            else {}
        )
        for key, scope in ((f"{types[0]}.{sort_field}", properties), (sort_field, root)):
            mapping = _lookup(scope, key)
            if mapping is not None and "type" in mapping:
                return [{key: {**order, "unmapped_type": mapping["type"]}}]
        raise PlainBadRequestError(f"Unknown sort field {sort_field}")
    mapping = _lookup(root, sort_field)
    if mapping is None or "type" not in mapping:
        raise PlainBadRequestError(
            f"Unable to sort multiple types by field {sort_field}, not a root property"
        )
    return [{sort_field: {**order, "unmapped_type": mapping["type"]}}]


# The body (§4) --------------------------------------------------------------------------


@dataclass
class SearchBody:
    """Everything :func:`build_search_body` needs, already validated."""

    types: Sequence[str]
    namespaces: Sequence[str]
    page: int = 1
    per_page: int = 20
    search: str | None = None
    search_fields: Sequence[str] | None = None
    root_search_fields: Sequence[str] | None = None
    default_search_operator: Operator | None = "OR"
    has_reference: Sequence[Reference] = ()
    has_reference_operator: Operator = "OR"
    has_no_reference: Sequence[Reference] = ()
    has_no_reference_operator: Operator = "OR"
    filter_dsl: dict[str, Any] | None = None
    fields: Sequence[str] | None = None
    sort_field: str | None = None
    sort_order: SortOrder | None = None
    aggs: Mapping[str, Any] | None = None
    pit: Mapping[str, Any] | None = None
    search_after: Sequence[Any] | None = None
    type_to_namespaces: Mapping[str, Sequence[str] | None] | None = None
    pit_tiebreaker: Sequence[Any] = ()


def build_search_body(registry: SavedObjectTypeRegistry, spec: SearchBody) -> dict[str, Any]:
    filters: list[Any] = []
    if spec.filter_dsl is not None:
        filters.append(spec.filter_dsl)
    if spec.has_reference:
        filters.append(has_reference_clause(spec.has_reference, spec.has_reference_operator))
    if spec.has_no_reference:
        filters.append(
            has_no_reference_clause(spec.has_no_reference, spec.has_no_reference_operator)
        )
    filters.append(
        type_namespace_clause(registry, spec.types, spec.namespaces, spec.type_to_namespaces)
    )
    query: dict[str, Any] = {"filter": filters}
    if spec.search:
        query.update(
            search_clauses(
                registry,
                spec.types,
                spec.search,
                spec.search_fields,
                spec.root_search_fields,
                spec.default_search_operator,
            )
        )
    body: dict[str, Any] = {}
    if spec.search_after is None:
        body["from"] = spec.per_page * (spec.page - 1)
    body["size"] = spec.per_page
    if spec.fields is not None:
        body["_source"] = included_fields(spec.types, spec.fields)
    body["seq_no_primary_term"] = True
    if spec.aggs:
        body["aggs"] = dict(spec.aggs)
    body["query"] = {"bool": query}
    sort = sort_clause(
        registry,
        spec.types,
        spec.sort_field,
        spec.sort_order,
        has_pit=spec.pit is not None,
        tiebreaker=spec.pit_tiebreaker,
    )
    if sort is not None:
        body["sort"] = sort
    if spec.pit is not None:
        body["pit"] = {"id": spec.pit["id"], "keep_alive": spec.pit.get("keep_alive", "2m")}
    if spec.search_after is not None:
        body["search_after"] = list(spec.search_after)
    return body
