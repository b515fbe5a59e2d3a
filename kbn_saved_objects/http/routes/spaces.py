"""The spaces plugin's saved-objects routes (spec 09 rows 16-19; Kibana
``x-pack/platform/plugins/shared/spaces/server/routes/api/external/{copy_to_space,
update_objects_spaces,get_shareable_references}.ts``).

Kibana's spaces plugin registers these routes; without it they do not exist. Here they
are mounted with the others, and a request whose client has no spaces extension (the
service was not given ``enable_spaces``) is answered 404 ``Not Found``, as Kibana
answers a route that is not registered.

Copying works as Kibana's does: through a client of the request *without* the spaces
extension (which would pin every call to the request's space) but with everything else
the request brings, its security checks and audit included, so a user copies only what
they may read and writes only where they may write (a refused destination is that
space's error, the other spaces go on).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from kbn_saved_objects.errors import BadRequestError, NotFoundError
from kbn_saved_objects.http.context import request_context, service_start
from kbn_saved_objects.http.models import error_responses
from kbn_saved_objects.http.routes.import_export import ObjectRef, importable_hidden_types
from kbn_saved_objects.import_export import AsyncSavedObjectsCopier, CopyRequestError
from kbn_saved_objects.serialization import DEFAULT_NAMESPACE_STRING
from kbn_saved_objects.service import AsyncSavedObjectsClient, RequestContext

__all__ = ["router"]

router = APIRouter(prefix="/api/spaces", tags=["spaces"])

MAX_SHARE_ITEMS = 1_000
_SPACE_ID = re.compile(r"^[a-z0-9_\-]+$")
_SHARE_SPACE_MESSAGE = 'lower case, a-z, 0-9, "_", and "-" are allowed, OR "*"'


async def _spaces_client(request: Request) -> tuple[RequestContext, AsyncSavedObjectsClient]:
    """The request's context and scoped client; 404 when the service has no spaces
    extension for it (Kibana without its spaces plugin has no such route)."""
    context = await request_context(request)
    client = service_start(request).get_scoped_client(context)
    if client.context.extensions.spaces is None:
        raise NotFoundError("Not Found")
    return context, client


def _request_body_error(error: CopyRequestError) -> BadRequestError:
    """The copier names fields as the schema does (``spaces.0``); the route prefixes
    them with ``request body`` as Kibana's validation does."""
    where = f"request body.{error.path}" if error.path else "request body"
    return BadRequestError(f"[{where}]: {error.detail}")


def _missing_body() -> BadRequestError:
    return BadRequestError(
        "[request body]: expected a plain object value, but found [null] instead."
    )


# --- copy ------------------------------------------------------------------------------


class CopyBody(BaseModel):
    """Kibana's closed copy body, with its defaults (new copies unless told otherwise)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    spaces: list[str]
    objects: list[ObjectRef]
    include_references: bool = Field(default=False, alias="includeReferences")
    overwrite: bool = False
    create_new_copies: bool = Field(default=True, alias="createNewCopies")
    compatibility_mode: bool = Field(default=False, alias="compatibilityMode")


class CopyRetry(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    type: str
    id: str
    overwrite: bool = False
    destination_id: str | None = Field(default=None, alias="destinationId")
    create_new_copy: bool | None = Field(default=None, alias="createNewCopy")
    ignore_missing_references: bool | None = Field(default=None, alias="ignoreMissingReferences")


class ResolveCopyBody(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    retries: dict[str, list[CopyRetry]]
    objects: list[ObjectRef]
    include_references: bool = Field(default=False, alias="includeReferences")
    create_new_copies: bool = Field(default=True, alias="createNewCopies")
    compatibility_mode: bool = Field(default=False, alias="compatibilityMode")


def _copier(
    request: Request, context: RequestContext
) -> tuple[AsyncSavedObjectsCopier, str | None]:
    """A copier over the request's client without the spaces extension (Kibana's
    ``getScopedClient(request, {excludedExtensions: [spaces]})``), reaching importable
    hidden types, and the source namespace (the request's space)."""
    start = service_start(request)
    client = start.get_scoped_client(
        context,
        included_hidden_types=importable_hidden_types(request),
        excluded_extensions=["spaces"],
    )
    limit = start.create_exporter(client).export_size_limit
    source = None if context.space_id == DEFAULT_NAMESPACE_STRING else context.space_id
    return AsyncSavedObjectsCopier(client, import_export_size_limit=limit), source


@router.post(
    "/_copy_saved_objects",
    summary="Copy saved objects between spaces",
    responses=error_responses(404),
)
async def copy_saved_objects(
    request: Request, body: Annotated[CopyBody | None, Body()] = None
) -> dict[str, Any]:
    """Export the objects from the request's space and import them into each space of
    ``spaces``: ``{<space>: {success, successCount, successResults?, errors?}}``."""
    context, _ = await _spaces_client(request)
    if body is None:
        raise _missing_body()
    copier, source = _copier(request, context)
    try:
        return await copier.copy_to_spaces(
            [ref.model_dump() for ref in body.objects],
            body.spaces,
            namespace=source,
            include_references=body.include_references,
            overwrite=body.overwrite,
            create_new_copies=body.create_new_copies,
            compatibility_mode=body.compatibility_mode,
        )
    except CopyRequestError as exc:
        raise _request_body_error(exc) from exc


@router.post(
    "/_resolve_copy_saved_objects_errors",
    summary="Resolve conflicts copying saved objects",
    responses=error_responses(404),
)
async def resolve_copy_saved_objects_errors(
    request: Request, body: Annotated[ResolveCopyBody | None, Body()] = None
) -> dict[str, Any]:
    """Copy again, writing in each space of ``retries`` only the objects retried there."""
    context, _ = await _spaces_client(request)
    if body is None:
        raise _missing_body()
    copier, source = _copier(request, context)
    retries = {
        space: [retry.model_dump(by_alias=True, exclude_none=True) for retry in space_retries]
        for space, space_retries in body.retries.items()
    }
    try:
        return await copier.resolve_copy_to_spaces_errors(
            [ref.model_dump() for ref in body.objects],
            retries,
            namespace=source,
            include_references=body.include_references,
            create_new_copies=body.create_new_copies,
            compatibility_mode=body.compatibility_mode,
        )
    except CopyRequestError as exc:
        raise _request_body_error(exc) from exc


# --- sharing ---------------------------------------------------------------------------


class UpdateObjectsSpacesBody(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    objects: list[ObjectRef]
    spaces_to_add: list[str] = Field(alias="spacesToAdd")
    spaces_to_remove: list[str] = Field(alias="spacesToRemove")


def _check_share_spaces(field: str, space_ids: list[str]) -> None:
    """Kibana's ``spacesToAdd`` / ``spacesToRemove`` schema: at most 1 000 ids, each a
    space id or ``*``, no duplicates."""
    if len(space_ids) > MAX_SHARE_ITEMS:
        raise BadRequestError(
            f"[request body.{field}]: array size is [{len(space_ids)}], "
            f"but cannot be greater than [{MAX_SHARE_ITEMS}]"
        )
    for position, space_id in enumerate(space_ids):
        if space_id != "*" and not _SPACE_ID.match(space_id):
            raise BadRequestError(f"[request body.{field}.{position}]: {_SHARE_SPACE_MESSAGE}")
    if len(set(space_ids)) != len(space_ids):
        raise BadRequestError(f"[request body.{field}]: duplicate space ids are not allowed")


def _check_objects(objects: list[ObjectRef]) -> None:
    if len(objects) > MAX_SHARE_ITEMS:
        raise BadRequestError(
            f"[request body.objects]: array size is [{len(objects)}], "
            f"but cannot be greater than [{MAX_SHARE_ITEMS}]"
        )


@router.post(
    "/_update_objects_spaces",
    summary="Update saved objects in spaces",
    responses=error_responses(404),
)
async def update_objects_spaces(
    request: Request, body: Annotated[UpdateObjectsSpacesBody | None, Body()] = None
) -> Any:
    """Share objects to (and remove them from) spaces: ``{objects: [{type, id, spaces,
    error?}]}``, per-object failures in place."""
    _, client = await _spaces_client(request)
    if body is None:
        raise _missing_body()
    _check_objects(body.objects)
    _check_share_spaces("spacesToAdd", body.spaces_to_add)
    _check_share_spaces("spacesToRemove", body.spaces_to_remove)
    result = await client.update_objects_spaces(
        [ref.model_dump() for ref in body.objects],  # type: ignore[misc]
        body.spaces_to_add,
        body.spaces_to_remove,
    )
    return JSONResponse(result.model_dump(mode="json", exclude_none=True))


class ShareableReferencesBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    objects: list[ObjectRef]


@router.post(
    "/_get_shareable_references",
    summary="Get shareable references",
    responses=error_responses(404),
)
async def get_shareable_references(
    request: Request, body: Annotated[ShareableReferencesBody | None, Body()] = None
) -> Any:
    """The objects and everything they reference that sharing would take along, with
    the spaces each is in (``collectMultiNamespaceReferences`` for sharing)."""
    _, client = await _spaces_client(request)
    if body is None:
        raise _missing_body()
    _check_objects(body.objects)
    result = await client.collect_multi_namespace_references(
        [ref.model_dump() for ref in body.objects],  # type: ignore[misc]
        purpose="updateObjectsSpaces",
    )
    return JSONResponse(result.model_dump(mode="json", by_alias=True, exclude_none=True))
