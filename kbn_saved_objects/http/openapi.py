"""The OpenAPI 3.1 document of the HTTP API, generated from the route declarations.

FastAPI writes the document; this module adjusts it to what the app really does: no
422 answers (validation failures are Kibana's 400 ``{statusCode, error, message}``), and
the ``kbn-xsrf`` header every state-changing operation needs. :func:`openapi_document`
builds it without an engine, which is how ``docs/openapi.json`` is written (and checked
to be current) by ``tests/codegen/write_openapi.py``.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from kbn_saved_objects.engine import AsyncEngine
from kbn_saved_objects.engine.flavors import EngineInfo
from kbn_saved_objects.engine.requests import Request
from kbn_saved_objects.repository import RepositoryConfig

__all__ = ["install_openapi", "openapi_document", "openapi_json"]

_UNSAFE = ("post", "put", "patch", "delete")
_XSRF_PARAMETER = {
    "name": "kbn-xsrf",
    "in": "header",
    "required": True,
    "description": "Any value; refuses cross-site requests (Kibana's XSRF protection).",
    "schema": {"type": "string"},
}


def install_openapi(app: FastAPI, *, xsrf: bool) -> None:
    """Make ``app.openapi()`` return the adjusted document (built once, then cached)."""

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                tags=[
                    {
                        "name": "saved objects",
                        "description": "Manage Kibana saved objects (Kibana's core routes).",
                    }
                ],
            )
            _adjust(schema, xsrf=xsrf)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = document  # type: ignore[method-assign]


_REFERENCE = {
    "type": "object",
    "properties": {"type": {"type": "string"}, "id": {"type": "string"}},
    "required": ["type", "id"],
    "additionalProperties": False,
}
_JSON_QUERY = {
    "has_reference": {
        "anyOf": [_REFERENCE, {"type": "array", "items": _REFERENCE, "maxItems": 100}]
    },
    "has_no_reference": {
        "anyOf": [_REFERENCE, {"type": "array", "items": _REFERENCE, "maxItems": 100}]
    },
}
"""Query parameters whose value is JSON: declared with ``content`` so that the document
says what the string holds (FastAPI can only say "a string")."""


def _adjust(schema: dict[str, Any], *, xsrf: bool) -> None:
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            operation.get("responses", {}).pop("422", None)
            for parameter in operation.get("parameters", []):
                json_schema = _JSON_QUERY.get(parameter["name"])
                if parameter["in"] == "query" and json_schema is not None:
                    parameter.pop("schema", None)
                    parameter["content"] = {"application/json": {"schema": json_schema}}
            if xsrf and method in _UNSAFE:
                operation.setdefault("parameters", []).insert(0, dict(_XSRF_PARAMETER))
    schemas = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)


class _OfflineAdapter:
    """An engine that is never called: the document needs the routes, not the data."""

    info = EngineInfo("opensearch", "2.19.0")

    async def perform(self, request: Request) -> Any:
        raise RuntimeError(f"offline engine: {request.method} {request.path}")

    async def close(self) -> None:
        return None


def openapi_document() -> dict[str, Any]:
    """The document of :func:`~kbn_saved_objects.http.create_app`'s app (default
    options), built over a service with no types and an offline engine."""
    from kbn_saved_objects.http.app import create_app
    from kbn_saved_objects.service import AsyncSavedObjectsService

    service = AsyncSavedObjectsService(
        AsyncEngine(_OfflineAdapter()), config=RepositoryConfig(default_index="openapi")
    )
    return create_app(service.start(), kibana_version="0").openapi()


def openapi_json() -> str:
    """:func:`openapi_document` as the committed file's text (stable, ends in a newline)."""
    return json.dumps(openapi_document(), indent=2, ensure_ascii=False) + "\n"
