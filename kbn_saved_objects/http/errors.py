"""Errors as Kibana's HTTP API answers them: ``{statusCode, error, message}``.

Typed library errors already carry that payload; request validation failures become
Kibana's 400 with ``[request <part>.<field>]: <what>`` messages, so clients written
against Kibana read our refusals unchanged.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from kbn_saved_objects.errors import SavedObjectsError

__all__ = ["error_body", "install_error_handlers"]

_LABELS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Request Entity Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
}
_PARTS = {"body": "body", "query": "query", "path": "params", "header": "headers"}


def error_body(status: int, message: str) -> dict[str, Any]:
    return {"statusCode": status, "error": _LABELS.get(status, "Error"), "message": message}


def _validation_message(error: dict[str, Any]) -> str:
    location = [str(part) for part in error.get("loc", ())]
    part = _PARTS.get(location[0], location[0]) if location else "body"
    field = ".".join(location[1:])
    where = f"request {part}.{field}" if field else f"request {part}"
    return f"[{where}]: {error.get('msg', 'invalid value')}"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SavedObjectsError)
    async def saved_objects_error(_: Request, error: SavedObjectsError) -> JSONResponse:
        return JSONResponse(error.payload(), status_code=error.status_code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        errors = list(error.errors())
        message = _validation_message(errors[0]) if errors else "[request body]: invalid"
        return JSONResponse(error_body(400, message), status_code=400)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, error: HTTPException) -> JSONResponse:
        message = (
            error.detail
            if isinstance(error.detail, str)
            else _LABELS.get(error.status_code, "Error")
        )
        return JSONResponse(error_body(error.status_code, message), status_code=error.status_code)
