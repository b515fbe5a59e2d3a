"""What every route module shares: the router prefix, the scoped-client dependency, the
closed query check and the dumping of results to Kibana's wire shapes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from kbn_saved_objects.http.context import scoped_client
from kbn_saved_objects.http.errors import RequestValidation
from kbn_saved_objects.serialization import SavedObject
from kbn_saved_objects.service import AsyncSavedObjectsClient

__all__ = [
    "PREFIX",
    "TAGS",
    "Client",
    "Reference",
    "closed_query",
    "saved_object_body",
    "wire",
]

PREFIX = "/api/saved_objects"
TAGS: list[str | Any] = ["saved objects"]
Client = Annotated[AsyncSavedObjectsClient, Depends(scoped_client)]

MAX_TYPE_LENGTH = 256
MAX_ID_LENGTH = 512
MAX_NAME_LENGTH = 1024
MAX_VERSION_LENGTH = 256
MAX_REFERENCES = 1000
MAX_BULK_OBJECTS = 10_000
MAX_INITIAL_NAMESPACES = 100
"""Kibana's bounds (``MAX_SAVED_OBJECT_*`` of ``@kbn/core-saved-objects-server`` and the
route schemas, spec 09 §2.7)."""


class Reference(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=MAX_NAME_LENGTH)
    type: str = Field(max_length=MAX_TYPE_LENGTH)
    id: str = Field(max_length=MAX_ID_LENGTH)


def closed_query(request: Request, allowed: Iterable[str]) -> None:
    """Kibana's query schemas are closed objects: an unknown parameter is a 400."""
    known = set(allowed)
    for name in request.query_params:
        if name not in known:
            raise RequestValidation("query", [name], "definition for this key is missing")


def saved_object_body(obj: SavedObject[Any]) -> dict[str, Any]:
    """A saved object as Kibana's HTTP API writes it (camelCase keys, no empty ones)."""
    return obj.model_dump(mode="json", by_alias=True, exclude_none=True)


def wire(result: BaseModel) -> Response:
    """A client result (bulk, find, resolve...) as Kibana's JSON: the keys the repository
    marked as set, with their wire names; ``None`` values left out.

    Written straight to JSON bytes by pydantic: a route that returned the dict would have
    FastAPI walk every value of a 1000-object page again (``jsonable_encoder``), which
    cost more than the search itself."""
    return Response(
        result.model_dump_json(by_alias=True, exclude_unset=True, exclude_none=True),
        media_type="application/json",
    )
