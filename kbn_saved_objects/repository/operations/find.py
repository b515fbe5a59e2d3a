"""``find``: a page of objects matching type, namespaces, text, references and a KQL
filter (spec 04). The request body is built by :mod:`kbn_saved_objects.search.query`;
this module validates the options in Kibana's order and turns hits into results.

A page is made in three steps, so that a point-in-time finder can ask for the next page
before it converts the current one: :func:`find_hits` (the search), :func:`found_documents`
(hits -> migrated documents) and :func:`find_response` (documents -> results).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine.flavors import point_in_time_tiebreaker
from kbn_saved_objects.errors import BadRequestError, NotFoundError
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.extensions import (
    AuthorizationStatus,
    AuthorizeObjectWithExistingSpaces,
)
from kbn_saved_objects.repository.helpers.documents import migrate_for_read, result_document
from kbn_saved_objects.repository.helpers.extensions import (
    decrypt_and_redact_document,
    find_type_to_namespaces,
    object_name,
    reads_through_extensions,
    searchable_namespaces,
)
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.repository.results import (
    FindDocumentsResponse,
    FindResponse,
    FoundDocument,
)
from kbn_saved_objects.search.aggregations import validate_aggregations
from kbn_saved_objects.search.filters import filter_to_dsl
from kbn_saved_objects.search.kql import Node
from kbn_saved_objects.search.query import (
    Operator,
    SearchBody,
    SortOrder,
    as_references,
    build_search_body,
)
from kbn_saved_objects.serialization import (
    DEFAULT_NAMESPACE_STRING,
    MigrationVersionCompatibility,
)

MAX_RESULT_WINDOW = 10_000


class PointInTime(TypedDict, total=False):
    id: str
    keep_alive: str


class FindOptions(TypedDict, total=False):
    type: str | Sequence[str]
    page: int
    per_page: int
    sort_field: str
    sort_order: SortOrder
    fields: Sequence[str]
    search: str
    search_fields: Sequence[str]
    root_search_fields: Sequence[str]
    default_search_operator: Operator
    has_reference: Any
    has_reference_operator: Operator
    has_no_reference: Any
    has_no_reference_operator: Operator
    filter: str | Node
    aggs: Mapping[str, Any]
    namespaces: Sequence[str]
    type_to_namespaces_map: Mapping[str, Sequence[str] | None]
    preference: str
    pit: PointInTime
    search_after: Sequence[Any]
    migration_version_compatibility: MigrationVersionCompatibility
    """``"compatible"``: every hit also reports the legacy ``migrationVersion``."""


def _namespaces(ctx: RepositoryContext, options: FindOptions) -> list[str]:
    """The spaces to search; a scoped repository searches its own space only."""
    type_map = options.get("type_to_namespaces_map")
    if type_map is not None:
        for spaces in type_map.values():
            reached = [DEFAULT_NAMESPACE_STRING] if spaces is None else spaces
            error = ctx.scope_error(reached, "options.typeToNamespacesMap")
            if error is not None:
                raise error
    namespaces = options.get("namespaces")
    if namespaces is None:
        return [ctx.namespace or DEFAULT_NAMESPACE_STRING]
    if not namespaces:
        if ctx.extensions.spaces is not None:
            return []  # no space to search: an empty page, as the spaces extension answers
        raise BadRequestError(reason="options.namespaces cannot be an empty array")
    error = ctx.scope_error(namespaces, "options.namespaces")
    if error is not None:
        raise error
    return list(namespaces)


def find(ctx: RepositoryContext, options: FindOptions) -> Operation[FindResponse]:
    return find_response(found_documents(ctx, (yield from find_hits(ctx, options))))


@dataclass(slots=True)
class FoundHits:
    """A page as the engine answered it, before any hit is read."""

    page: int
    per_page: int
    total: int
    hits: list[dict[str, Any]]
    migrate: bool
    """Whether hits go through the document migrator (not when ``fields`` narrowed them)."""
    pit_id: str | None = None
    aggregations: dict[str, Any] | None = None
    migration_version_compatibility: MigrationVersionCompatibility = "raw"
    """How the hits are read (the ``find`` option of that name)."""
    authorized_namespaces: list[str] | None = None
    """The spaces the security extension checked the find in (``None``: no extension);
    the hits' spaces it did not are re-checked before the hits are redacted."""


def found_documents(ctx: RepositoryContext, found: FoundHits) -> FindDocumentsResponse:
    """Read the hits of a page: raw document -> saved-object document, migrated."""
    documents = []
    for hit in found.hits:
        doc = ctx.serializer.raw_to_doc(
            hit, migration_version_compatibility=found.migration_version_compatibility
        )
        if found.migrate:
            doc = migrate_for_read(ctx, doc)
        documents.append(
            FoundDocument(result_document(ctx, doc), hit.get("_score"), hit.get("sort"))
        )
    if reads_through_extensions(ctx):
        documents = _decrypted_and_redacted(ctx, found, documents)
    return FindDocumentsResponse(
        page=found.page,
        per_page=found.per_page,
        total=found.total,
        documents=documents,
        pit_id=found.pit_id,
        aggregations=found.aggregations,
    )


def _decrypted_and_redacted(
    ctx: RepositoryContext, found: FoundHits, documents: list[FoundDocument]
) -> list[FoundDocument]:
    """The hits as the caller may see them (spec 08 §2.8 steps 4-5): the security
    extension audits each hit and returns the type map to redact with, then every hit is
    decrypted (or stripped) and redacted."""
    security = ctx.extensions.security
    type_map = None
    if security is not None and found.authorized_namespaces is not None:
        type_map = security.get_find_redact_type_map(
            found.authorized_namespaces,
            [
                AuthorizeObjectWithExistingSpaces(
                    type=document.doc["type"],
                    id=document.doc["id"],
                    name=object_name(ctx, document.doc["type"], document.doc.get("attributes")),
                    existing_namespaces=tuple(document.doc.get("namespaces") or ()),
                )
                for document in documents
            ],
        )
    return [
        document._replace(doc=decrypt_and_redact_document(ctx, document.doc, type_map))
        for document in documents
    ]


def find_response(found: FindDocumentsResponse) -> FindResponse:
    """The page ``find`` returns for a page of documents."""
    return FindResponse(
        page=found.page,
        per_page=found.per_page,
        total=found.total,
        saved_objects=[found_document.to_result() for found_document in found.documents],
        pit_id=found.pit_id,
        aggregations=found.aggregations,
    )


def find_hits(ctx: RepositoryContext, options: FindOptions) -> Operation[FoundHits]:
    namespaces = _namespaces(ctx, options)
    requested = options.get("type")
    if requested is None or requested == "" or not isinstance(requested, (str, list, tuple)):
        raise BadRequestError(reason="options.type must be a string or an array of strings")
    if options.get("preference") and options.get("pit"):
        raise BadRequestError(reason="options.preference must be excluded when options.pit is used")
    page = options.get("page", 1)
    per_page = options.get("per_page", 20)
    empty = FoundHits(page=page, per_page=per_page, total=0, hits=[], migrate=False)
    type_map = options.get("type_to_namespaces_map")
    names = (
        list(type_map)
        if type_map is not None
        else ([requested] if isinstance(requested, str) else list(requested))
    )
    types = ctx.allowed_types(names)
    if not types:
        return empty
    for option in ("search_fields", "fields"):
        value = options.get(option)
        if value is not None and not isinstance(value, (list, tuple)):
            kibana = "searchFields" if option == "search_fields" else "fields"
            raise BadRequestError(reason=f"options.{kibana} must be an array")
    search_after = options.get("search_after")
    if search_after is None and per_page * page > MAX_RESULT_WINDOW:
        raise BadRequestError(
            reason=f"page {page} of {per_page} objects is past the engine's result window "
            f"({MAX_RESULT_WINDOW}); page through large results with a point-in-time "
            "finder (create_point_in_time_finder)"
        )
    filter_option = options.get("filter")
    filter_dsl = filter_to_dsl(ctx.registry, types, filter_option) if filter_option else None
    aggs = options.get("aggs")
    validated_aggs = validate_aggregations(ctx.registry, types, aggs) if aggs else None
    authorized_namespaces: list[str] | None = None
    if ctx.extensions.spaces is not None:
        searchable = yield from searchable_namespaces(ctx, options.get("namespaces"))
        if searchable is None:
            return empty
        namespaces = searchable
    security = ctx.extensions.security
    if security is not None:
        # first the spaces x types the caller may find in, to build the query from
        authorization = security.authorize_find(namespaces, names)
        if authorization.status == AuthorizationStatus.UNAUTHORIZED:
            return empty
        allowed = find_type_to_namespaces(authorization, namespaces, types, type_map)
        if allowed is not None:
            if not allowed:
                return empty
            type_map = allowed
        authorized_namespaces = namespaces
    pit = options.get("pit")
    body = build_search_body(
        ctx.registry,
        SearchBody(
            types=types,
            namespaces=namespaces,
            page=page,
            per_page=per_page,
            search=options.get("search"),
            search_fields=options.get("search_fields"),
            root_search_fields=options.get("root_search_fields"),
            default_search_operator=options.get("default_search_operator", "OR"),
            has_reference=as_references(options.get("has_reference")),
            has_reference_operator=options.get("has_reference_operator", "OR"),
            has_no_reference=as_references(options.get("has_no_reference")),
            has_no_reference_operator=options.get("has_no_reference_operator", "OR"),
            filter_dsl=filter_dsl,
            fields=options.get("fields"),
            sort_field=options.get("sort_field"),
            sort_order=options.get("sort_order"),
            aggs=validated_aggs,
            pit=dict(pit) if pit else None,
            search_after=search_after,
            type_to_namespaces=type_map,
            pit_tiebreaker=point_in_time_tiebreaker(ctx.engine),
            runtime_fields=ctx.engine.supports_runtime_fields,
        ),
    )
    try:
        answer = yield rq.search(
            body,
            index=None if pit else ctx.indices_for(types),
            preference=options.get("preference"),
            rest_total_hits_as_int=True,
            ignore_unavailable=None if pit else True,
        )
    except NotFoundError:
        return empty
    total = answer["hits"]["total"]
    return FoundHits(
        page=page,
        per_page=per_page,
        total=total if isinstance(total, int) else total.get("value", 0),
        hits=answer["hits"]["hits"],
        migrate=options.get("fields") is None,
        pit_id=answer.get("pit_id"),
        aggregations=answer.get("aggregations"),
        migration_version_compatibility=options.get("migration_version_compatibility", "raw"),
        authorized_namespaces=authorized_namespaces,
    )
