"""Resolve routes: ``resolve/{type}/{id}`` and ``_bulk_resolve`` (spec 09 §3.3, §3.7;
Kibana ``routes/resolve.ts``, ``routes/bulk_resolve.ts``).

Resolve follows a legacy URL alias when the id was rewritten by a space conversion and
says how it found the object (``exactMatch``, ``aliasMatch``, ``conflict``). Both are
deprecated Kibana routes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from kbn_saved_objects.http.models import (
    BulkResolveResponseBody,
    ResolveResponseBody,
    error_responses,
)
from kbn_saved_objects.http.routes._shared import (
    MAX_BULK_OBJECTS,
    MAX_ID_LENGTH,
    MAX_TYPE_LENGTH,
    PREFIX,
    TAGS,
    Client,
    closed_query,
    wire,
)
from kbn_saved_objects.http.visibility import check_http_type, check_http_types

__all__ = ["router"]

router = APIRouter(prefix=PREFIX, tags=TAGS)


class ObjectId(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: str = Field(max_length=MAX_TYPE_LENGTH)
    id: str = Field(max_length=MAX_ID_LENGTH)


@router.get(
    "/resolve/{type}/{id}",
    summary="Resolve a saved object",
    description=(
        "WARNING: This API is deprecated. Retrieve a single saved object by its id, or by "
        "the id it had before it was converted to a multi-space object (a legacy URL "
        "alias); `outcome` says which."
    ),
    deprecated=True,
    response_model=None,
    responses={200: {"model": ResolveResponseBody}, **error_responses(404)},
)
async def resolve_object(
    request: Request,
    type: Annotated[str, Path(max_length=MAX_TYPE_LENGTH)],
    id: Annotated[str, Path(max_length=MAX_ID_LENGTH)],
    client: Client,
) -> Any:
    closed_query(request, ())
    check_http_type(request, client, type)
    resolved = await client.resolve(type, id, migration_version_compatibility="compatible")
    return wire(resolved)


@router.post(
    "/_bulk_resolve",
    summary="Resolve saved objects",
    description=(
        "WARNING: This API is deprecated. Resolve several objects; an object that cannot "
        "be resolved is an entry whose `saved_object` carries an `error`."
    ),
    deprecated=True,
    response_model=None,
    responses={200: {"model": BulkResolveResponseBody}, **error_responses()},
)
async def bulk_resolve(
    request: Request,
    body: Annotated[list[ObjectId], Body(max_length=MAX_BULK_OBJECTS)],
    client: Client,
) -> Any:
    closed_query(request, ())
    check_http_types(request, client, [obj.type for obj in body])
    resolved = await client.bulk_resolve(
        [{"type": obj.type, "id": obj.id} for obj in body],
        migration_version_compatibility="compatible",
    )
    return wire(resolved)
