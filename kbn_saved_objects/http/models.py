"""The response shapes of the HTTP API, for the OpenAPI document.

Routes answer with the client's own result models dumped to Kibana's wire names; these
models only *describe* those answers (each route lists them in ``responses``), so the
generated document tells a client what comes back and schemathesis can check that it
does. They are open (extra keys allowed) where Kibana's answers carry keys that depend
on the type or the extensions, and name every key our answers may carry.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

__all__ = [
    "BulkDeleteResponseBody",
    "BulkResolveResponseBody",
    "BulkSavedObjectsBody",
    "ErrorBody",
    "FindResponseBody",
    "ReferenceBody",
    "ResolveResponseBody",
    "SavedObjectBody",
    "error_responses",
]


class ErrorBody(BaseModel):
    """Kibana's error answer: ``{statusCode, error, message}``, ``attributes`` sometimes."""

    model_config = ConfigDict(extra="forbid")

    statusCode: int
    error: str
    message: str
    attributes: dict[str, Any] | None = None


class ObjectError(BaseModel):
    """A per-object failure inside a bulk answer (the full payload, ``metadata`` kept)."""

    model_config = ConfigDict(extra="allow")

    statusCode: int
    error: str
    message: str


class ReferenceBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    type: str
    id: str


class SavedObjectBody(BaseModel):
    """A saved object with Kibana's key names; keys without a value are left out. Update
    answers the partial object (``id, type, updated_at, version, attributes, namespaces``
    and ``references`` when sent); a failed bulk entry carries ``error`` instead of
    ``attributes``."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = None
    type: str
    attributes: Any = None
    references: list[ReferenceBody] | None = None
    namespaces: list[str] | None = None
    namespace: str | None = None
    originId: str | None = None
    managed: bool | None = None
    migrationVersion: dict[str, str] | None = None
    coreMigrationVersion: str | None = None
    typeMigrationVersion: str | None = None
    updated_at: str | None = None
    updated_by: str | None = None
    created_at: str | None = None
    created_by: str | None = None
    version: str | None = None
    accessControl: dict[str, Any] | None = None
    error: ObjectError | None = None


class FoundObjectBody(SavedObjectBody):
    score: float | None = None
    sort: list[Any] | None = None


class FindResponseBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    page: int
    per_page: int
    total: int
    saved_objects: list[FoundObjectBody]
    aggregations: dict[str, Any] | None = None
    pit_id: str | None = None


class BulkSavedObjectsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    saved_objects: list[SavedObjectBody]


class BulkDeleteStatusBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    type: str
    success: bool
    error: ObjectError | None = None


class BulkDeleteResponseBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    statuses: list[BulkDeleteStatusBody]


class ResolveResponseBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    saved_object: SavedObjectBody
    outcome: Literal["exactMatch", "aliasMatch", "conflict"]
    alias_target_id: str | None = None
    alias_purpose: str | None = None


class BulkResolveResponseBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resolved_objects: list[ResolveResponseBody]


class EmptyBody(BaseModel):
    """Delete answers ``{}``."""

    model_config = ConfigDict(extra="forbid")


_ERROR_TEXTS = {
    400: "Invalid request, unsupported type, or a client error such as a bad KQL filter",
    401: "The authentication hook refused the request",
    403: "The security extension refused the operation",
    404: "The object does not exist (or is outside the request's space)",
    409: "The object exists (create without overwrite) or its version differs",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` entries of a route's error statuses, all :class:`ErrorBody`."""
    return {
        status: {"model": ErrorBody, "description": _ERROR_TEXTS.get(status, "Error")}
        for status in (400, 401, 403, *statuses)
    }
