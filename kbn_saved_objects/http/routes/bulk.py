"""Bulk routes: ``_bulk_create``, ``_bulk_get``, ``_bulk_update``, ``_bulk_delete``
(spec 09 §3.7; Kibana ``routes/bulk_{create,get,update,delete}.ts``).

A per-object failure never fails the request: it is an entry with an ``error`` payload,
in input order. Only validation and a type hidden from the HTTP APIs (anywhere in the
body) refuse the whole request. All four are deprecated Kibana routes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from kbn_saved_objects.http.models import (
    BulkDeleteResponseBody,
    BulkSavedObjectsBody,
    error_responses,
)
from kbn_saved_objects.http.routes._shared import (
    MAX_BULK_OBJECTS,
    MAX_ID_LENGTH,
    MAX_INITIAL_NAMESPACES,
    MAX_REFERENCES,
    MAX_TYPE_LENGTH,
    MAX_VERSION_LENGTH,
    PREFIX,
    TAGS,
    Client,
    Reference,
    closed_query,
    wire,
)
from kbn_saved_objects.http.visibility import check_http_types

__all__ = ["router"]

router = APIRouter(prefix=PREFIX, tags=TAGS)

_WARNING = "WARNING: This API is deprecated and may be removed in a future version."
TypeField = Annotated[str, Field(max_length=MAX_TYPE_LENGTH)]
IdField = Annotated[str, Field(max_length=MAX_ID_LENGTH)]


class BulkCreateItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: TypeField
    id: IdField | None = None
    attributes: dict[str, Any]
    version: str | None = Field(default=None, max_length=MAX_VERSION_LENGTH)
    migrationVersion: dict[str, str] | None = None
    coreMigrationVersion: str | None = None
    typeMigrationVersion: str | None = None
    references: list[Reference] | None = Field(default=None, max_length=MAX_REFERENCES)
    initialNamespaces: list[str] | None = Field(
        default=None, min_length=1, max_length=MAX_INITIAL_NAMESPACES
    )


class BulkGetItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: TypeField
    id: IdField
    fields: list[str] | None = Field(default=None, max_length=100)
    namespaces: list[str] | None = Field(default=None, max_length=100)


class BulkUpdateItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: TypeField
    id: IdField
    attributes: dict[str, Any]
    version: str | None = Field(default=None, max_length=MAX_VERSION_LENGTH)
    references: list[Reference] | None = Field(default=None, max_length=MAX_REFERENCES)
    namespace: str | None = Field(default=None, min_length=1)


class BulkDeleteItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: TypeField
    id: IdField


_MAX = Body(max_length=MAX_BULK_OBJECTS)
BulkCreateBody = Annotated[list[BulkCreateItem], _MAX]
BulkGetBody = Annotated[list[BulkGetItem], _MAX]
BulkUpdateBody = Annotated[list[BulkUpdateItem], _MAX]
BulkDeleteBody = Annotated[list[BulkDeleteItem], _MAX]


@router.post(
    "/_bulk_create",
    summary="Create saved objects",
    description=(
        f"{_WARNING}\n\nCreate several objects. An object whose id exists is a 409 entry "
        "unless `overwrite=true`."
    ),
    deprecated=True,
    response_model=None,
    responses={200: {"model": BulkSavedObjectsBody}, **error_responses()},
)
async def bulk_create(
    request: Request,
    body: BulkCreateBody,
    client: Client,
    overwrite: Annotated[bool, Query(description="Overwrite existing objects.")] = False,
) -> Any:
    closed_query(request, ("overwrite",))
    items = body
    check_http_types(request, client, [item.type for item in items])
    objects: list[Any] = []
    for item in items:
        obj: dict[str, Any] = {"type": item.type, "attributes": item.attributes}
        if item.id is not None:
            obj["id"] = item.id
        if item.version is not None:
            obj["version"] = item.version
        if item.references is not None:
            obj["references"] = [ref.model_dump() for ref in item.references]
        if item.initialNamespaces is not None:
            obj["initial_namespaces"] = item.initialNamespaces
        if item.migrationVersion is not None:
            obj["migration_version"] = item.migrationVersion
        if item.coreMigrationVersion is not None:
            obj["core_migration_version"] = item.coreMigrationVersion
        if item.typeMigrationVersion is not None:
            obj["type_migration_version"] = item.typeMigrationVersion
        objects.append(obj)
    return wire(await client.bulk_create(objects, overwrite=overwrite))


@router.post(
    "/_bulk_get",
    summary="Get saved objects",
    description=(
        f"{_WARNING}\n\nRetrieve several objects, in request order; a missing one is a "
        "404 entry. `namespaces` looks in other spaces for that object."
    ),
    deprecated=True,
    response_model=None,
    responses={200: {"model": BulkSavedObjectsBody}, **error_responses()},
)
async def bulk_get(
    request: Request,
    body: BulkGetBody,
    client: Client,
) -> Any:
    closed_query(request, ())
    items = body
    check_http_types(request, client, [item.type for item in items])
    objects: list[Any] = [item.model_dump(exclude_none=True) for item in items]
    return wire(await client.bulk_get(objects, migration_version_compatibility="compatible"))


@router.put(
    "/_bulk_update",
    summary="Update saved objects",
    description=(
        f"{_WARNING}\n\nUpdate several objects; each answer is the partial object "
        "(`references` only when sent). `namespace` updates that object in another space."
    ),
    deprecated=True,
    response_model=None,
    responses={200: {"model": BulkSavedObjectsBody}, **error_responses()},
)
async def bulk_update(
    request: Request,
    body: BulkUpdateBody,
    client: Client,
) -> Any:
    closed_query(request, ())
    items = body
    check_http_types(request, client, [item.type for item in items])
    objects: list[Any] = []
    for item in items:
        obj = item.model_dump(exclude_none=True)
        if item.references is not None:
            obj["references"] = [ref.model_dump() for ref in item.references]
        objects.append(obj)
    return wire(await client.bulk_update(objects))


@router.post(
    "/_bulk_delete",
    summary="Delete saved objects",
    description=(
        f"{_WARNING}\n\nDelete several objects; each gets a status. Objects shared to "
        "several spaces need `force=true`."
    ),
    deprecated=True,
    response_model=None,
    responses={200: {"model": BulkDeleteResponseBody}, **error_responses()},
)
async def bulk_delete(
    request: Request,
    body: BulkDeleteBody,
    client: Client,
    force: Annotated[
        bool | None, Query(description="Delete objects that exist in several spaces.")
    ] = None,
) -> Any:
    closed_query(request, ("force",))
    items = body
    check_http_types(request, client, [item.type for item in items])
    objects: list[Any] = [{"type": item.type, "id": item.id} for item in items]
    options: dict[str, Any] = {"force": force} if force is not None else {}
    return wire(await client.bulk_delete(objects, **options))
