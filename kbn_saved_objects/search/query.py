"""The ``_search`` body of ``find``, built from its options (spec 04 §3-8).

Pure functions, one per clause, composed by :func:`build_search_body` in exactly Kibana's
order (KQL filter, has-reference, has-no-reference, type/namespace clause) so requests can
be compared byte for byte with Kibana's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from kbn_saved_objects.search.mapping_paths import index_properties, mapping_at
from kbn_saved_objects.search.sorting import (
    NotAcceptableError,
    PlainBadRequestError,
    SortOrder,
    check_sort_order,
    sorting_params,
)
from kbn_saved_objects.serialization import ALL_NAMESPACES_STRING, DEFAULT_NAMESPACE_STRING
from kbn_saved_objects.types import SavedObjectTypeRegistry

__all__ = [
    "REFERENCE_CHUNK",
    "ROOT_SOURCE_FIELDS",
    "NotAcceptableError",
    "Operator",
    "PlainBadRequestError",
    "Reference",
    "SearchBody",
    "SortOrder",
    "as_references",
    "build_search_body",
    "has_no_reference_clause",
    "has_reference_clause",
    "included_fields",
    "search_clauses",
    "single_type_clause",
    "type_namespace_clause",
]

Operator = Literal["AND", "OR"]

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
    # Kibana's clause, quirk included: with both ``*`` and ``default`` the named spaces
    # are dropped but the default-space entry stays, so only default-space objects match.
    should: list[Any] = []
    named = [ns for ns in dict.fromkeys(namespaces) if ns != DEFAULT_NAMESPACE_STRING]
    if named and not everywhere:
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


def _simple_query_string(
    search: str,
    types: Sequence[str],
    search_fields: Sequence[str],
    root_search_fields: Sequence[str] | None,
    default_operator: Operator | None,
) -> dict[str, Any]:
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
        fields.extend(f"{t}.{f}" for f in search_fields for t in types)
        query["fields"] = fields
    if default_operator is not None:
        query["default_operator"] = default_operator
    return {"simple_query_string": query}


def _parent_path(path: str) -> str:
    return path.rpartition(".")[0]


def _mapped_type(properties: Mapping[str, Any], path: str) -> Any:
    mapping = mapping_at(properties, path)
    return mapping.get("type") if mapping is not None else None


_BOOST_OR_WILDCARD_TAIL = re.compile(r"[*^].\Z")


@dataclass
class _SplitFields:
    """Search fields split the way Kibana splits them when some live under ``nested``."""

    types: list[str]
    """The types with at least one plain field, in the order searched."""
    plain: list[str]
    """Plain search fields as given (boost included), first seen first."""
    nested: dict[str, list[str]]
    """Nested path -> absolute paths of the fields searched inside it."""


def _split_nested_fields(
    properties: Mapping[str, Any], types: Sequence[str], search_fields: Sequence[str]
) -> _SplitFields:
    """Kibana's ``extractFieldsAndNestedFields``. A dotted field whose direct parent is
    mapped ``nested`` is searched inside that parent; one that is mapped elsewhere is a
    plain field; an unmapped one is dropped. An undotted field is plain when it is mapped
    (and not itself ``nested``), or when it carries a one-character boost or wildcard
    tail (``title^3``), which Kibana strips before looking it up."""
    plain: dict[str, None] = {}
    used_types: dict[str, None] = {}
    nested: dict[str, list[str]] = {}
    for type_name in types:
        for raw in search_fields:
            field = _BOOST_OR_WILDCARD_TAIL.sub("", raw, count=1)
            path = f"{type_name}.{field}"
            kind = _mapped_type(properties, path)
            parent = _parent_path(path)
            if "." in raw:
                if kind is None:
                    continue
                if _mapped_type(properties, parent) == "nested":
                    nested.setdefault(parent, []).append(path)
                    continue
            elif not (raw != field or (kind is not None and kind != "nested")):
                continue
            plain[raw] = None
            used_types[type_name] = None
    return _SplitFields(list(used_types), list(plain), nested)


def _prefix_clauses(
    registry: SavedObjectTypeRegistry,
    properties: Mapping[str, Any],
    types: Sequence[str],
    search: str,
    search_fields: Sequence[str],
) -> list[dict[str, Any]]:
    """``match_phrase_prefix`` clauses for a search ending in ``*``; fields under a
    ``nested`` parent are left out (a plain query cannot reach them)."""
    prefix = search[:-1] if search.endswith("*") else search
    candidates = [f for f in search_fields if f != "*" and not f.startswith("*")]
    if candidates:
        paths = [
            f"{t}.{f}"
            for f in candidates
            for t in types
            if _mapped_type(properties, _parent_path(f"{t}.{f}")) != "nested"
        ]
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
    clauses = []
    for path in paths:
        name, boost = _split_boost(path)
        clauses.append({"match_phrase_prefix": {name: {"query": prefix, "boost": boost}}})
    return clauses


def search_clauses(
    registry: SavedObjectTypeRegistry,
    types: Sequence[str],
    search: str,
    search_fields: Sequence[str] | None,
    root_search_fields: Sequence[str] | None,
    default_operator: Operator | None,
    properties: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """``{"must": [...]}`` or ``{"should": [...], "minimum_should_match": 1}`` (Kibana's
    ``getQueryParams`` search part, Kibana main).

    Search fields whose parent is mapped ``nested`` are searched with one ``nested`` query
    per nested path, since a plain ``simple_query_string`` never sees nested documents.
    Kibana does that only for a non-prefix search that names its fields; a prefix search
    keeps the plain query over all fields and leaves nested ones out of the
    ``match_phrase_prefix`` clauses.
    """
    if properties is None:
        properties = index_properties(registry)
    requested = list(search_fields or ())
    prefix = search.strip().endswith("*")
    everything = not requested or requested == ["*"]
    split = _split_nested_fields(properties, types, requested)
    use_nested = bool(split.nested) and not everything and not prefix
    plain_types, plain_fields = (split.types, split.plain) if use_nested else (types, requested)
    use_simple = everything or bool(plain_fields)
    simple = (
        [
            _simple_query_string(
                search, plain_types, plain_fields, root_search_fields, default_operator
            )
        ]
        if use_simple
        else []
    )
    nested = (
        [
            {
                "nested": {
                    "path": path,
                    "query": {"simple_query_string": {"query": search, "fields": fields}},
                }
            }
            for path, fields in split.nested.items()
        ]
        if use_nested
        else []
    )
    if not use_nested and not prefix:
        return {"must": simple}
    if not use_simple and not prefix:
        return {"must": nested}
    prefixes = (
        _prefix_clauses(registry, properties, plain_types, search, plain_fields) if prefix else []
    )
    return {"should": [*simple, *nested, *prefixes], "minimum_should_match": 1}


# Fields (§7) ----------------------------------------------------------------------------


def included_fields(types: Sequence[str], fields: Sequence[str]) -> list[str]:
    prefixes = list(types) or ["*"]
    return [f"{t}.{f}" for t in prefixes for f in fields] + list(ROOT_SOURCE_FIELDS)


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
    """The engine's point-in-time tiebreaker (``engine.flavors.point_in_time_tiebreaker``)."""
    runtime_fields: bool = True
    """Whether the engine takes ``runtime_mappings`` in a search (``EngineInfo``); without,
    a sort merged over several types is a script sort."""


def build_search_body(registry: SavedObjectTypeRegistry, spec: SearchBody) -> dict[str, Any]:
    """The ``_search`` body. A sort order without a sort field is refused first, before
    any clause is built, as Kibana's ``getSearchDsl`` does."""
    check_sort_order(spec.sort_field, spec.sort_order)
    properties = index_properties(registry)
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
                properties,
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
    sorting = sorting_params(
        properties, spec.types, spec.sort_field, spec.sort_order, has_pit=spec.pit is not None
    )
    sort_keys = sorting.body(runtime_fields=spec.runtime_fields)
    if spec.pit is not None and spec.pit_tiebreaker:
        sort = sort_keys.get("sort", [])
        sort_keys["sort"] = (
            list(spec.pit_tiebreaker) if sort == ["_shard_doc"] else [*sort, *spec.pit_tiebreaker]
        )
    body.update(sort_keys)
    if spec.pit is not None:
        # Kibana's getPitParams: keep_alive only when the caller gives one; without it
        # the search does not extend the point-in-time's life.
        pit: dict[str, Any] = {"id": spec.pit["id"]}
        if spec.pit.get("keep_alive"):
            pit["keep_alive"] = spec.pit["keep_alive"]
        body["pit"] = pit
    if spec.search_after is not None:
        body["search_after"] = list(spec.search_after)
    return body
