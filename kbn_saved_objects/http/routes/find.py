"""``GET _find`` (spec 09 §3.6; Kibana ``routes/find.ts``).

Every query parameter of Kibana's route, with its coercions: a list parameter may be
given once (a string) or repeated; ``has_reference`` / ``has_no_reference`` are JSON
(an object or an array of them) or repeated JSON objects; ``aggs`` is a JSON string.
The page comes back as Kibana writes it: ``{page, per_page, total, saved_objects}``,
plus ``aggregations`` when asked for. Unknown types, unknown search fields and empty
spaces answer an empty page; a filter or aggregation the client refuses is its 400.

Beyond Kibana's route, ``sort_order`` (``asc``/``desc``) is accepted: the client takes
it, and clients of older Kibana versions send it.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from starlette.exceptions import HTTPException

from kbn_saved_objects.http.errors import RequestValidation, kibana_type_name
from kbn_saved_objects.http.models import FindResponseBody, error_responses
from kbn_saved_objects.http.routes._shared import PREFIX, TAGS, Client, closed_query, wire
from kbn_saved_objects.http.visibility import check_http_types

__all__ = ["router"]

router = APIRouter(prefix=PREFIX, tags=TAGS)

MAX_LIST = 100
_PARAMETERS = (
    "per_page",
    "page",
    "type",
    "search",
    "default_search_operator",
    "search_fields",
    "sort_field",
    "sort_order",
    "has_reference",
    "has_reference_operator",
    "has_no_reference",
    "has_no_reference_operator",
    "fields",
    "filter",
    "aggs",
    "namespaces",
)
Operator = Literal["OR", "AND"]
StringList = Annotated[list[str] | None, Query(max_length=MAX_LIST)]


def _references(name: str, values: list[str] | None) -> Any:
    """``has_reference``: one JSON value (an object or an array of objects), or a
    repeated parameter of JSON objects; ``{type, id}`` each, nothing else."""
    if not values:
        return None
    parsed: list[Any] = []
    for value in values:
        try:
            parsed.append(json.loads(value))
        except ValueError:
            raise RequestValidation(
                "query", [name], "could not parse object value from json input"
            ) from None
    single = parsed[0] if len(parsed) == 1 else parsed
    items = single if isinstance(single, list) else [single]
    if isinstance(single, list) and len(single) > MAX_LIST:
        raise RequestValidation(
            "query",
            [name],
            f"array size is [{len(single)}], but cannot be greater than [{MAX_LIST}]",
        )
    for index, item in enumerate(items):
        where: list[str | int] = [name, index] if isinstance(single, list) else [name]
        if not isinstance(item, dict):
            raise RequestValidation(
                "query",
                where,
                f"expected a plain object value, but found [{kibana_type_name(item)}] instead.",
            )
        for key in ("type", "id"):
            if not isinstance(item.get(key), str):
                got = "undefined" if key not in item else kibana_type_name(item[key])
                raise RequestValidation(
                    "query", [*where, key], f"expected value of type [string] but got [{got}]"
                )
        for key in item:
            if key not in ("type", "id"):
                raise RequestValidation(
                    "query", [*where, key], "definition for this key is missing"
                )
    return single


@router.get(
    "/_find",
    summary="Search for saved objects",
    description=(
        "WARNING: This API is intended to be removed in a future version; consider the "
        "export API.\n\nRetrieve a paginated set of saved objects of the given types, "
        "optionally searched (`search`, `search_fields`), filtered (`filter`, KQL), "
        "restricted by references, and aggregated (`aggs`, a JSON string)."
    ),
    deprecated=True,
    response_model=None,
    responses={200: {"model": FindResponseBody}, **error_responses()},
)
async def find(
    request: Request,
    client: Client,
    type: Annotated[
        list[str],
        Query(
            min_length=1,
            max_length=MAX_LIST,
            description="The saved object types to include (repeat for several).",
        ),
    ],
    per_page: Annotated[int, Query(ge=0, description="Objects per page.")] = 20,
    page: Annotated[int, Query(ge=0, description="The page to return.")] = 1,
    search: Annotated[str | None, Query(description="A simple_query_string query.")] = None,
    default_search_operator: Annotated[Operator, Query()] = "OR",
    search_fields: StringList = None,
    sort_field: Annotated[str | None, Query(description="The field to sort by.")] = None,
    sort_order: Annotated[Literal["asc", "desc"] | None, Query()] = None,
    has_reference: Annotated[
        list[str] | None,
        Query(description='A reference as JSON, `{"type": "...", "id": "..."}`, or an array.'),
    ] = None,
    has_reference_operator: Annotated[Operator, Query()] = "OR",
    has_no_reference: Annotated[
        list[str] | None, Query(description="References the objects must not have (JSON).")
    ] = None,
    has_no_reference_operator: Annotated[Operator, Query()] = "OR",
    fields: StringList = None,
    filter: Annotated[
        str | None,
        Query(description="A KQL filter, e.g. `dashboard.attributes.title:Sales`."),
    ] = None,
    aggs: Annotated[str | None, Query(description="Aggregations as a JSON string.")] = None,
    namespaces: StringList = None,
) -> Any:
    closed_query(request, _PARAMETERS)
    options: dict[str, Any] = {
        "type": type,
        "per_page": per_page,
        "page": page,
        "default_search_operator": default_search_operator,
        "has_reference_operator": has_reference_operator,
        "has_no_reference_operator": has_no_reference_operator,
        "migration_version_compatibility": "compatible",
    }
    references = _references("has_reference", has_reference)
    no_references = _references("has_no_reference", has_no_reference)
    if aggs is not None and aggs != "":
        try:
            options["aggs"] = json.loads(aggs)
        except ValueError:
            raise HTTPException(400, "invalid aggs value") from None
    check_http_types(request, client, type)
    for key, value in (
        ("search", search),
        ("search_fields", search_fields),
        ("sort_field", sort_field),
        ("sort_order", sort_order),
        ("has_reference", references),
        ("has_no_reference", no_references),
        ("fields", fields),
        ("filter", filter),
        ("namespaces", namespaces),
    ):
        if value is not None:
            options[key] = value
    return wire(await client.find(**options))
