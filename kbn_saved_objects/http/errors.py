"""Errors as Kibana's HTTP API answers them: ``{statusCode, error, message}``.

Typed library errors already carry that payload. Request validation failures become
Kibana's 400 with ``[request <part>.<field>]: <reason>`` messages whose reasons follow
``@kbn/config-schema``'s templates (spec 09 §2.4), so clients written against Kibana read
our refusals unchanged. An unexpected exception is a 500 with Kibana's fixed text and is
logged; its message never reaches the caller.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from kbn_saved_objects.errors import SavedObjectsError

__all__ = [
    "INTERNAL_ERROR_MESSAGE",
    "RequestValidation",
    "error_body",
    "install_error_handlers",
    "kibana_type_name",
    "validation_message",
]

logger = logging.getLogger("kbn_saved_objects.http")

INTERNAL_ERROR_MESSAGE = "An internal server error occurred. Check Kibana server logs for details."
_LABELS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    413: "Request Entity Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
_PARTS = {"body": "body", "query": "query", "path": "params", "header": "headers"}


class RequestValidation(Exception):
    """A validation failure found by a route itself (a JSON query value, a closed query):
    rendered exactly like a schema failure, ``[request <part>.<path>]: <reason>``."""

    def __init__(self, part: str, path: Sequence[str | int], reason: str) -> None:
        field = ".".join(str(p) for p in path)
        where = f"request {part}.{field}" if field else f"request {part}"
        super().__init__(f"[{where}]: {reason}")


def error_body(status: int, message: str) -> dict[str, Any]:
    return {"statusCode": status, "error": _LABELS.get(status, "Error"), "message": message}


def kibana_type_name(value: Any) -> str:
    """config-schema's name for a value's type (``typeDetect``): ``undefined``, ``null``,
    ``Array``, ``Object`` (in ``expected a plain object value`` only), ``string``..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "Array"
    if isinstance(value, dict):
        return "Object"
    return type(value).__name__


_EXPECTED = {
    "dict_type": "object",
    "model_type": "object",
    "model_attributes_type": "object",
    "list_type": "array",
    "string_type": "string",
    "bool_type": "boolean",
    "bool_parsing": "boolean",
    "int_type": "number",
    "int_parsing": "number",
    "int_from_float": "number",
    "float_type": "number",
    "float_parsing": "number",
}


def _reason(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing" and error.get("loc", ("",))[0] == "query":
        # the one required query parameter, find's ``type``, is a oneOf(string, array)
        return "expected at least one defined value but got [undefined]"
    if kind == "missing":
        return "expected value of type [" + _missing_type(error) + "] but got [undefined]"
    if kind == "extra_forbidden":
        return "definition for this key is missing"
    if kind in _EXPECTED:
        got = kibana_type_name(value)
        if _EXPECTED[kind] == "object" and isinstance(value, list):
            return "expected a plain object value, but found [Array] instead."
        return f"expected value of type [{_EXPECTED[kind]}] but got [{got}]"
    if kind == "too_long":
        if isinstance(value, str):
            return (
                f"value has length [{len(value)}] but it must have a maximum length of "
                f"[{ctx.get('max_length')}]."
            )
        return (
            f"array size is [{ctx.get('actual_length')}], but cannot be greater than "
            f"[{ctx.get('max_length')}]"
        )
    if kind == "string_too_long":
        return (
            f"value has length [{len(value) if isinstance(value, str) else '?'}] but it must "
            f"have a maximum length of [{ctx.get('max_length')}]."
        )
    if kind == "too_short":
        return (
            f"array size is [{ctx.get('actual_length')}], but cannot be smaller than "
            f"[{ctx.get('min_length')}]"
        )
    if kind == "string_too_short":
        return (
            f"value has length [{len(value) if isinstance(value, str) else '?'}] but it must "
            f"have a minimum length of [{ctx.get('min_length')}]."
        )
    if kind in ("greater_than_equal", "greater_than"):
        return f"Value must be equal to or greater than [{ctx.get('ge', ctx.get('gt'))}]."
    if kind == "literal_error":
        return f"expected value to equal {ctx.get('expected', '')}"
    if kind == "json_invalid":
        return "Invalid request payload JSON format"
    return str(error.get("msg", "invalid value"))


def _missing_type(error: dict[str, Any]) -> str:
    """The type a missing field should have had (the wire shapes of these routes)."""
    name = str(error.get("loc", ("",))[-1])
    if name in ("attributes", "upsert"):
        return "object"
    if name in ("references", "objects", "initialNamespaces", "namespaces", "fields"):
        return "array"
    return "string"


def validation_message(error: dict[str, Any]) -> str:
    """``[request <part>.<path>]: <reason>`` for one pydantic error of a request."""
    location = [str(part) for part in error.get("loc", ())]
    part = _PARTS.get(location[0], location[0]) if location else "body"
    path = location[1:]
    if error.get("type") == "json_invalid":
        return "Invalid request payload JSON format"
    if error.get("type") == "missing" and not path and part == "body":
        return "[request body]: expected a plain object value, but found [null] instead."
    if error.get("type") in ("dict_type", "model_attributes_type") and not path:
        found = kibana_type_name(error.get("input"))
        return f"[request {part}]: expected a plain object value, but found [{found}] instead."
    if error.get("type") == "list_type" and not path:
        found = kibana_type_name(error.get("input"))
        return f"[request {part}]: expected value of type [array] but got [{found}]"
    where = f"request {part}.{'.'.join(path)}" if path else f"request {part}"
    return f"[{where}]: {_reason(error)}"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SavedObjectsError)
    async def saved_objects_error(_: Request, error: SavedObjectsError) -> JSONResponse:
        if error.status_code == 500:
            logger.error("saved-objects request failed: %s", error, exc_info=error)
            return JSONResponse(error_body(500, INTERNAL_ERROR_MESSAGE), status_code=500)
        return JSONResponse(error.payload(), status_code=error.status_code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        errors = list(error.errors())
        message = validation_message(errors[0]) if errors else "[request body]: invalid"
        return JSONResponse(error_body(400, message), status_code=400)

    @app.exception_handler(RequestValidation)
    async def route_validation_error(_: Request, error: RequestValidation) -> JSONResponse:
        return JSONResponse(error_body(400, str(error)), status_code=400)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, error: HTTPException) -> JSONResponse:
        message = (
            error.detail
            if isinstance(error.detail, str)
            else _LABELS.get(error.status_code, "Error")
        )
        return JSONResponse(
            error_body(error.status_code, message),
            status_code=error.status_code,
            headers=getattr(error, "headers", None),
        )

    @app.exception_handler(Exception)
    async def unexpected_error(_: Request, error: Exception) -> JSONResponse:
        logger.error("unexpected error in a saved-objects route", exc_info=error)
        return JSONResponse(error_body(500, INTERNAL_ERROR_MESSAGE), status_code=500)
