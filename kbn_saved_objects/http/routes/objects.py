"""Single-object routes: get, create, update, delete (spec 09 §3.1-3.5; Kibana
``routes/{get,create,update,delete}.ts``).

The pattern every route follows: validate the request with pydantic (closed bodies and
queries, Kibana's bounds), refuse types hidden from the HTTP APIs, call the
request-scoped client, answer with Kibana's key names. All four are deprecated in Kibana
(use export/import or type-specific APIs): they are marked so in the OpenAPI document and
answer with Kibana's ``Warning`` header.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from kbn_saved_objects.http.models import EmptyBody, SavedObjectBody, error_responses
from kbn_saved_objects.http.routes._shared import (
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
    saved_object_body,
)
from kbn_saved_objects.http.visibility import check_http_type
from kbn_saved_objects.service import AsyncSavedObjectsClient

__all__ = ["router", "saved_object_body"]

router = APIRouter(prefix=PREFIX, tags=TAGS)

TypeParam = Annotated[str, Path(max_length=MAX_TYPE_LENGTH, description="The saved object type.")]
IdParam = Annotated[str, Path(max_length=MAX_ID_LENGTH, description="The saved object identifier.")]
_WARNING = (
    "WARNING: This API is deprecated. This is a legacy Saved Objects API and may be "
    "removed in a future version. For transferring or backing up saved objects, prefer "
    "the import and export APIs."
)


class CreateBody(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    attributes: dict[str, Any]
    references: list[Reference] | None = Field(default=None, max_length=MAX_REFERENCES)
    initial_namespaces: list[str] | None = Field(
        default=None, alias="initialNamespaces", min_length=1, max_length=MAX_INITIAL_NAMESPACES
    )
    migration_version: dict[str, str] | None = Field(default=None, alias="migrationVersion")
    core_migration_version: str | None = Field(default=None, alias="coreMigrationVersion")
    type_migration_version: str | None = Field(default=None, alias="typeMigrationVersion")


class UpdateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    attributes: dict[str, Any]
    version: str | None = Field(default=None, max_length=MAX_VERSION_LENGTH)
    references: list[Reference] | None = Field(default=None, max_length=MAX_REFERENCES)
    upsert: dict[str, Any] | None = None


@router.get(
    "/{type}/{id}",
    summary="Get a saved object",
    description=f"{_WARNING}\n\nRetrieve a single saved object by type and id.",
    deprecated=True,
    response_model=None,
    responses={200: {"model": SavedObjectBody}, **error_responses(404)},
)
async def get_object(request: Request, type: TypeParam, id: IdParam, client: Client) -> Any:
    closed_query(request, ())
    check_http_type(request, client, type)
    found = await client.get(type, id, migration_version_compatibility="compatible")
    return saved_object_body(found)


async def _create(
    request: Request,
    type: str,
    id: str | None,
    body: CreateBody,
    overwrite: bool,
    client: AsyncSavedObjectsClient,
) -> dict[str, Any]:
    closed_query(request, ("overwrite",))
    check_http_type(request, client, type)
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


_CREATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": SavedObjectBody},
    **error_responses(409),
}
Overwrite = Annotated[bool, Query(description="Overwrite an object that has the same id.")]


@router.post(
    "/{type}",
    summary="Create a saved object",
    description=f"{_WARNING}\n\nCreate a saved object with a generated id (a UUID v4).",
    deprecated=True,
    response_model=None,
    responses=_CREATE_RESPONSES,
)
async def create_object(
    request: Request,
    type: TypeParam,
    body: CreateBody,
    client: Client,
    overwrite: Overwrite = False,
) -> Any:
    return await _create(request, type, None, body, overwrite, client)


@router.post(
    "/{type}/{id}",
    summary="Create a saved object",
    description=f"{_WARNING}\n\nCreate a saved object with the given id.",
    deprecated=True,
    response_model=None,
    responses=_CREATE_RESPONSES,
)
async def create_object_with_id(
    request: Request,
    type: TypeParam,
    id: IdParam,
    body: CreateBody,
    client: Client,
    overwrite: Overwrite = False,
) -> Any:
    return await _create(request, type, id, body, overwrite, client)


@router.put(
    "/{type}/{id}",
    summary="Update a saved object",
    description=(
        f"{_WARNING}\n\nUpdate the attributes of a saved object (merged into the stored "
        "ones). `references` replace the stored ones when given; `upsert` creates the "
        "object from those attributes when it does not exist. The answer is the partial "
        "object: `references` only when sent."
    ),
    deprecated=True,
    response_model=None,
    responses={200: {"model": SavedObjectBody}, **error_responses(404, 409)},
)
async def update_object(
    request: Request, type: TypeParam, id: IdParam, body: UpdateBody, client: Client
) -> Any:
    closed_query(request, ())
    check_http_type(request, client, type)
    options: dict[str, Any] = {}
    if body.version is not None:
        options["version"] = body.version
    if body.references is not None:
        options["references"] = [ref.model_dump() for ref in body.references]
    if body.upsert is not None:
        options["upsert"] = body.upsert
    updated = saved_object_body(await client.update(type, id, body.attributes, **options))
    if body.references is None:
        updated.pop("references", None)  # Kibana answers references only when sent
    return updated


@router.delete(
    "/{type}/{id}",
    summary="Delete a saved object",
    description=(
        f"{_WARNING}\n\nDelete a saved object. An object shared to several spaces needs "
        "`force=true`."
    ),
    deprecated=True,
    response_model=None,
    responses={200: {"model": EmptyBody}, **error_responses(404)},
)
async def delete_object(
    request: Request,
    type: TypeParam,
    id: IdParam,
    client: Client,
    force: Annotated[
        bool | None, Query(description="Delete an object that exists in several spaces.")
    ] = None,
) -> Any:
    closed_query(request, ("force",))
    check_http_type(request, client, type)
    if force is None:
        await client.delete(type, id)
    else:
        await client.delete(type, id, force=force)
    return {}
