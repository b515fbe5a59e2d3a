"""Single-object routes: get and create (spec 09; Kibana ``routes/get.ts``,
``routes/create.ts``). The pattern every route follows: validate the request with
pydantic, refuse types hidden from the HTTP APIs, call the request-scoped client, answer
the saved object with Kibana's key names."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from kbn_saved_objects.http.context import scoped_client
from kbn_saved_objects.http.visibility import check_http_types
from kbn_saved_objects.serialization import SavedObject
from kbn_saved_objects.service import AsyncSavedObjectsClient

__all__ = ["router", "saved_object_body"]

router = APIRouter(prefix="/api/saved_objects", tags=["saved objects"])
Client = Annotated[AsyncSavedObjectsClient, Depends(scoped_client)]


def saved_object_body(obj: SavedObject[Any]) -> dict[str, Any]:
    """A saved object as Kibana's HTTP API writes it (camelCase keys, no empty ones)."""
    return obj.model_dump(mode="json", by_alias=True, exclude_none=True)


class Reference(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    type: str
    id: str


class CreateBody(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    attributes: dict[str, Any]
    references: list[Reference] | None = None
    initial_namespaces: list[str] | None = Field(default=None, alias="initialNamespaces")
    migration_version: dict[str, str] | None = Field(default=None, alias="migrationVersion")
    core_migration_version: str | None = Field(default=None, alias="coreMigrationVersion")
    type_migration_version: str | None = Field(default=None, alias="typeMigrationVersion")


@router.get("/{type}/{id}", summary="Get a saved object")
async def get_object(type: str, id: str, client: Client) -> dict[str, Any]:
    check_http_types(client, [type])
    return saved_object_body(await client.get(type, id))


async def _create(
    type: str, id: str | None, body: CreateBody, overwrite: bool, client: AsyncSavedObjectsClient
) -> dict[str, Any]:
    check_http_types(client, [type])
    options: dict[str, Any] = {"overwrite": overwrite}
    if id is not None:
        options["id"] = id
    if body.references is not None:
        options["references"] = [ref.model_dump() for ref in body.references]
    if body.initial_namespaces is not None:
        options["initial_namespaces"] = body.initial_namespaces
    if body.migration_version is not None:
        options["migration_version"] = body.migration_version
    if body.core_migration_version is not None:
        options["core_migration_version"] = body.core_migration_version
    if body.type_migration_version is not None:
        options["type_migration_version"] = body.type_migration_version
    return saved_object_body(await client.create(type, body.attributes, **options))


@router.post("/{type}", summary="Create a saved object with a generated id")
async def create_object(
    type: str, body: CreateBody, client: Client, overwrite: Annotated[bool, Query()] = False
) -> dict[str, Any]:
    return await _create(type, None, body, overwrite, client)


@router.post("/{type}/{id}", summary="Create a saved object")
async def create_object_with_id(
    type: str,
    id: str,
    body: CreateBody,
    client: Client,
    overwrite: Annotated[bool, Query()] = False,
) -> dict[str, Any]:
    return await _create(type, id, body, overwrite, client)
