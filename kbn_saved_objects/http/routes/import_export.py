"""Export, import and resolve-import-errors (spec 09 rows 13-15; Kibana ``routes/export.ts``,
``routes/import.ts``, ``routes/resolve_import_errors.ts``; semantics in spec 07).

The three routes run the start contract's exporter and importer over a request-scoped
client that also reaches the importable hidden types, as Kibana's routes do, so the
request's authorization, audit, encryption and space apply exactly as to a Python call.

Nothing here holds a whole file in memory: an export is sent line by line as the
exporter reads its spill file back, and an upload is parsed as it arrives into a spooled
temporary file (on disk past 1 MiB) that the importer then reads line by line. The upload
is cut off with Kibana's 413 as soon as it passes ``savedObjects.maxImportPayloadBytes``
(``app.state.max_import_payload_bytes``, 26 214 400 by default).
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from typing import IO, Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from kbn_saved_objects.errors import (
    BadRequestError,
    RequestEntityTooLargeError,
    SavedObjectsError,
)
from kbn_saved_objects.http.context import request_context, service_start
from kbn_saved_objects.http.errors import error_body
from kbn_saved_objects.http.models import error_responses
from kbn_saved_objects.import_export.errors import ImportSizeExceededError
from kbn_saved_objects.import_export.export import validate_export_request
from kbn_saved_objects.import_export.importing import ImportOutcome
from kbn_saved_objects.service import AsyncSavedObjectsClient, RequestContext

__all__ = [
    "DEFAULT_MAX_IMPORT_PAYLOAD_BYTES",
    "ImportUpload",
    "check_query",
    "import_client",
    "importable_hidden_types",
    "read_upload",
    "router",
]

router = APIRouter(prefix="/api/saved_objects", tags=["saved objects"])

DEFAULT_MAX_IMPORT_PAYLOAD_BYTES = 26_214_400
"""Kibana's ``savedObjects.maxImportPayloadBytes``; an app overrides it with
``app.state.max_import_payload_bytes``."""
MAX_RETRIES = 10_000
MAX_REPLACE_REFERENCES = 100
_CHUNK_BYTES = 64 * 1024
_RETRY_KEYS = {
    "type",
    "id",
    "overwrite",
    "destinationId",
    "replaceReferences",
    "createNewCopy",
    "ignoreMissingReferences",
}


class UnsupportedMediaTypeError(SavedObjectsError):
    """hapi's 415 for a body that is not ``multipart/form-data`` (or no body at all)."""

    code = "unsupportedMediaType"
    status_code = 415
    label = "Unsupported Media Type"


# --- shared pieces -------------------------------------------------------------------


def check_query(request: Request, allowed: set[str]) -> None:
    """config-schema's closed query objects: an unknown key is refused by name."""
    for key in request.query_params:
        if key not in allowed:
            raise BadRequestError(f"[request query.{key}]: definition for this key is missing")


def importable_hidden_types(request: Request) -> list[str]:
    """The hidden types that take part in import and export: Kibana's routes build their
    client with them (``getClient({includedHiddenTypes})``)."""
    registry = service_start(request).get_type_registry()
    return [t.name for t in registry.get_importable_and_exportable_types() if t.hidden]


def import_client(request: Request, context: RequestContext) -> AsyncSavedObjectsClient:
    """The request's client, reaching the importable hidden types as well."""
    return service_start(request).get_scoped_client(
        context, included_hidden_types=importable_hidden_types(request)
    )


def _max_payload(request: Request) -> int:
    limit: int = getattr(request.app.state, "max_import_payload_bytes", None) or (
        DEFAULT_MAX_IMPORT_PAYLOAD_BYTES
    )
    return limit


class ImportUpload:
    """The parsed multipart body: the ``file`` part spooled to a temporary file, and the
    other (text) fields. Close it when done."""

    def __init__(self, file: UploadFile | None, fields: dict[str, str]) -> None:
        self.file = file
        self.fields = fields

    def lines(self) -> Iterator[bytes]:
        """The file's lines, read back from the spool one at a time."""
        assert self.file is not None
        spool: IO[bytes] = self.file.file
        spool.seek(0)
        yield from spool

    async def close(self) -> None:
        if self.file is not None:
            await self.file.close()


async def read_upload(request: Request) -> ImportUpload:
    """Parse the multipart body as it arrives, refusing Kibana's way: 415 for anything
    but ``multipart/form-data``, 413 once the body passes the payload limit, 400
    ``Invalid file extension <ext>`` when the file part's name does not end in
    ``.ndjson`` (case-insensitive)."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise UnsupportedMediaTypeError("Unsupported Media Type")
    limit = _max_payload(request)
    # hapi's answer to a body over the route's ``maxBytes`` (Boom ``entityTooLarge``)
    too_large = RequestEntityTooLargeError(
        f"Payload content length greater than maximum allowed: {limit}"
    )
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large

    async def limited() -> AsyncGenerator[bytes, None]:
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise too_large
            yield chunk

    parser = MultiPartParser(
        request.headers, limited(), max_files=1, max_fields=16, max_part_size=limit
    )
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise BadRequestError(f"Invalid multipart payload format: {exc.message}") from exc
    file: UploadFile | None = None
    fields: dict[str, str] = {}
    for name, value in form.multi_items():
        if isinstance(value, UploadFile):
            if name == "file":
                file = value
            else:
                await value.close()
        else:
            fields[name] = value
    upload = ImportUpload(file, fields)
    if file is None:
        raise BadRequestError(
            "[request body.file]: expected value of type [Stream] but got [undefined]"
        )
    extension = os.path.splitext(file.filename or "")[1].lower()
    if extension != ".ndjson":
        await upload.close()
        raise BadRequestError(f"Invalid file extension {extension}")
    return upload


_STREAMED_FROM = 1000
"""Success entries from which an import's answer is streamed rather than sent whole."""


def outcome_response(outcome: ImportOutcome) -> Response:
    """The importer's answer as Kibana's JSON body. A large one is streamed from the
    outcome's spool (chunked), so a 100,000-object import never holds its answer in
    memory; a small one is sent whole, with its ``content-length``."""
    if outcome.success_count < _STREAMED_FROM:
        with outcome:
            return Response(b"".join(outcome.iter_json()), media_type="application/json")

    def body() -> Iterator[bytes]:  # iterated in a worker thread: it reads the spool
        with outcome:
            yield from outcome.iter_json()

    return StreamingResponse(body(), media_type="application/json")


def _size_exceeded(error: ImportSizeExceededError) -> JSONResponse:
    """Kibana answers the importer's object limit with 400 (``Can't import more than N
    objects``); the library raises it as a 413, its own choice, not Kibana's."""
    return JSONResponse(error_body(400, error.message), status_code=400)


# --- export --------------------------------------------------------------------------


class ObjectRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: str
    id: str


class ExportBody(BaseModel):
    """Kibana's closed export body."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    type: str | list[str] | None = None
    objects: list[ObjectRef] | None = None
    has_reference: ObjectRef | list[ObjectRef] | None = Field(default=None, alias="hasReference")
    search: str | None = None
    include_references_deep: bool = Field(default=False, alias="includeReferencesDeep")
    exclude_export_details: bool = Field(default=False, alias="excludeExportDetails")


async def _chunks(first: str, rest: AsyncIterator[str]) -> AsyncIterator[bytes]:
    """Lines joined by ``\\n`` (no trailing newline), sent in chunks of about 64 KiB."""
    buffer = [first]
    size = len(first)
    try:
        async for line in rest:
            buffer.append(line)
            size += len(line) + 1
            if size >= _CHUNK_BYTES:
                yield "\n".join(buffer).encode()
                buffer = [""]
                size = 0
        yield "\n".join(buffer).encode()
    finally:
        await rest.aclose()  # type: ignore[attr-defined]


_IMPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Kibana's import answer",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["success", "successCount", "warnings"],
                    "properties": {
                        "success": {"type": "boolean"},
                        "successCount": {"type": "integer"},
                        "successResults": {"type": "array", "items": {"type": "object"}},
                        "errors": {"type": "array", "items": {"type": "object"}},
                        "warnings": {"type": "array", "items": {"type": "object"}},
                    },
                }
            }
        },
    },
    **error_responses(413, 415),
}


@router.post(
    "/_export",
    summary="Export saved objects",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The objects as NDJSON, then the export details line",
            "content": {"application/ndjson": {"schema": {"type": "string"}}},
        },
        **error_responses(),
    },
)
async def export_objects(
    request: Request, body: Annotated[ExportBody | None, Body()] = None
) -> StreamingResponse:
    """Stream the export as ``application/ndjson``. The exporter validates and collects
    everything before its first line, so every refusal (unknown or non-exportable
    types, size limit, missing objects) is a 400 before any byte is sent."""
    if body is None:
        raise BadRequestError(
            "[request body]: expected a plain object value, but found [null] instead."
        )
    context = await request_context(request)
    client = import_client(request, context)
    exporter = service_start(request).create_exporter(client)
    limit = exporter.export_size_limit
    if body.objects is not None and len(body.objects) > limit:
        raise BadRequestError(
            f"[request body.objects]: array size is [{len(body.objects)}], "
            f"but cannot be greater than [{limit}]"
        )
    has_reference: Any = None
    if body.has_reference is not None:
        has_reference = (
            [ref.model_dump() for ref in body.has_reference]
            if isinstance(body.has_reference, list)
            else body.has_reference.model_dump()
        )
    types = [body.type] if isinstance(body.type, str) else body.type
    objects = [ref.model_dump() for ref in body.objects] if body.objects is not None else None
    # Kibana's option checks, in its order, over the whole body (the exporter's own
    # methods each see only their part of it)
    validate_export_request(
        client.context.registry,
        types=types,
        objects=objects,
        search=body.search,
        has_reference=has_reference,
        limit=limit,
    )
    lines: AsyncIterator[str]
    if objects:
        lines = exporter.export_by_objects(
            objects,
            include_references_deep=body.include_references_deep,
            exclude_export_details=body.exclude_export_details,
            request=context,
        )
    else:
        lines = exporter.export_by_types(
            types or [],
            search=body.search,
            has_reference=has_reference,
            include_references_deep=body.include_references_deep,
            exclude_export_details=body.exclude_export_details,
            request=context,
        )
    try:
        first = await lines.__anext__()
    except StopAsyncIteration:
        first = None
    headers = {"Content-Disposition": 'attachment; filename="export.ndjson"'}
    if first is None:
        return StreamingResponse(iter([b""]), media_type="application/ndjson", headers=headers)
    return StreamingResponse(
        _chunks(first, lines), media_type="application/ndjson", headers=headers
    )


# --- import --------------------------------------------------------------------------


def _flag_conflicts(overwrite: bool, create_new_copies: bool, compatibility_mode: bool) -> None:
    if overwrite and create_new_copies:
        raise BadRequestError("[request query]: cannot use [overwrite] with [createNewCopies]")
    if create_new_copies and compatibility_mode:
        raise BadRequestError(
            "[request query]: cannot use [createNewCopies] with [compatibilityMode]"
        )


@router.post(
    "/_import",
    summary="Import saved objects",
    responses=_IMPORT_RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                }
            },
        }
    },
)
async def import_objects(
    request: Request,
    overwrite: Annotated[bool, Query()] = False,
    create_new_copies: Annotated[bool, Query(alias="createNewCopies")] = False,
    compatibility_mode: Annotated[bool, Query(alias="compatibilityMode")] = False,
) -> Any:
    """Import an NDJSON file (multipart field ``file``); Kibana's answer ``{success,
    successCount, successResults?, errors?, warnings}``."""
    check_query(request, {"overwrite", "createNewCopies", "compatibilityMode"})
    _flag_conflicts(overwrite, create_new_copies, compatibility_mode)
    context = await request_context(request)  # authenticate before reading the upload
    upload = await read_upload(request)
    try:
        importer = service_start(request).create_importer(import_client(request, context))
        try:
            outcome = await importer.import_outcome(
                upload.lines(),
                overwrite=overwrite,
                create_new_copies=create_new_copies,
                compatibility_mode=compatibility_mode,
            )
        except ImportSizeExceededError as exc:
            return _size_exceeded(exc)
    finally:
        await upload.close()
    return outcome_response(outcome)


def parse_retries(raw: str | None) -> list[dict[str, Any]]:
    """The multipart ``retries`` field, validated as Kibana's schema does (a JSON array
    of at most 10 000 closed retry objects, at most 100 ``replaceReferences`` each);
    the importer checks the values themselves."""
    if raw is None:
        raise BadRequestError(
            "[request body.retries]: expected value of type [array] but got [undefined]"
        )
    try:
        retries = json.loads(raw)
    except ValueError as exc:
        raise BadRequestError(
            "[request body.retries]: could not parse array value from json input"
        ) from exc
    if not isinstance(retries, list):
        kind = "Object" if isinstance(retries, dict) else type(retries).__name__
        raise BadRequestError(
            f"[request body.retries]: expected value of type [array] but got [{kind}]"
        )
    if len(retries) > MAX_RETRIES:
        raise BadRequestError(
            f"[request body.retries]: array size is [{len(retries)}], "
            f"but cannot be greater than [{MAX_RETRIES}]"
        )
    for position, retry in enumerate(retries):
        if not isinstance(retry, dict):
            raise BadRequestError(
                f"[request body.retries.{position}]: expected a plain object value, "
                f"but found [{type(retry).__name__}] instead."
            )
        for key in retry:
            if key not in _RETRY_KEYS:
                raise BadRequestError(
                    f"[request body.retries.{position}.{key}]: definition for this key is missing"
                )
        replace = retry.get("replaceReferences")
        if isinstance(replace, list) and len(replace) > MAX_REPLACE_REFERENCES:
            raise BadRequestError(
                f"[request body.retries.{position}.replaceReferences]: array size is "
                f"[{len(replace)}], but cannot be greater than [{MAX_REPLACE_REFERENCES}]"
            )
        retry.setdefault("overwrite", False)
        retry.setdefault("replaceReferences", [])
    return retries


@router.post(
    "/_resolve_import_errors",
    summary="Resolve import errors",
    responses=_IMPORT_RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file", "retries"],
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "retries": {"type": "string", "description": "a JSON array"},
                        },
                    }
                }
            },
        }
    },
)
async def resolve_import_errors(
    request: Request,
    create_new_copies: Annotated[bool, Query(alias="createNewCopies")] = False,
    compatibility_mode: Annotated[bool, Query(alias="compatibilityMode")] = False,
) -> Any:
    """Retry an import for the objects named in ``retries`` only (spec 07 §6)."""
    check_query(request, {"createNewCopies", "compatibilityMode"})
    _flag_conflicts(False, create_new_copies, compatibility_mode)
    context = await request_context(request)
    upload = await read_upload(request)
    try:
        retries = parse_retries(upload.fields.get("retries"))
        importer = service_start(request).create_importer(import_client(request, context))
        try:
            outcome = await importer.resolve_import_errors_outcome(
                upload.lines(),
                retries,  # type: ignore[arg-type]
                create_new_copies=create_new_copies,
                compatibility_mode=compatibility_mode,
            )
        except ImportSizeExceededError as exc:
            return _size_exceeded(exc)
    finally:
        await upload.close()
    return outcome_response(outcome)
