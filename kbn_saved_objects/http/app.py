"""The ASGI application: one FastAPI app serving Kibana's saved-objects routes.

FastAPI because the routes are declared with pydantic models, which gives request
validation and an OpenAPI 3.1 document generated from the same declarations (committed
as ``docs/openapi.json`` and checked to be current), and because its dependency
injection is where the request-scoped client is built once per request.

Every router is mounted twice: at ``/api/...`` (the default space) and under
``/s/{space_id}/api/...``, as Kibana's spaces plugin serves every route in every space.
Literal paths (``_find``, ``_bulk_create``, ``_export``...) are matched before the
``{type}`` / ``{type}/{id}`` patterns, as hapi's specificity rule does, whatever order
the route modules are listed in.
"""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.routing import BaseRoute

from kbn_saved_objects.extensions.encryption import AsyncEncryptionKeyRotation
from kbn_saved_objects.http.context import Authenticator
from kbn_saved_objects.http.errors import error_body, install_error_handlers
from kbn_saved_objects.http.openapi import install_openapi
from kbn_saved_objects.service._async.service import AsyncSavedObjectsServiceStart

__all__ = [
    "API_VERSION",
    "DEPRECATION_MESSAGE",
    "MAX_PAYLOAD_BYTES",
    "XSRF_HEADERS",
    "XSRF_MESSAGE",
    "create_app",
    "deprecation_warning",
    "routers",
]

XSRF_HEADERS = ("kbn-xsrf", "osd-xsrf")
"""Kibana refuses a state-changing request without ``kbn-xsrf`` (any value), which a
browser cannot add cross-site; OpenSearch Dashboards spells it ``osd-xsrf``. Kibana also
lets ``kbn-version`` stand in for it."""
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
XSRF_MESSAGE = "Request must contain a kbn-xsrf header."
DEPRECATION_MESSAGE = "This endpoint is deprecated"
API_VERSION = "2023-10-31"
"""The ``elastic-api-version`` Kibana puts on every answer of its public routes."""
MAX_PAYLOAD_BYTES = 1_048_576
"""Kibana's ``server.maxPayload``: the largest JSON body a route takes."""
_MAX_WARNING_LENGTH = 1000
_PATTERN_SEGMENT = re.compile(r"^/(?:s/\{space_id\}/)?api/saved_objects/\{")


def _package_version() -> str:
    try:
        return version("kbn-saved-objects")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0.0.0"


def deprecation_warning(kibana_version: str, message: str = DEPRECATION_MESSAGE) -> str:
    """The ``Warning`` header Kibana adds to every answer of a deprecated route
    (``299 Kibana-<version> "<url-encoded message>"``, at most 1000 characters)."""
    prefix = f'299 Kibana-{kibana_version} "'
    encoded = quote(message, safe="-_.!~*'()")
    room = _MAX_WARNING_LENGTH - len(prefix) - 1
    if len(encoded) > room:
        encoded = encoded[: room - 3] + "..."
    return f'{prefix}{encoded}"'


def routers() -> list[APIRouter]:
    """Every route group, each in its own module under ``http/routes``."""
    from kbn_saved_objects.http.routes import all_routers

    return all_routers()


def _literal_paths_first(routes: list[BaseRoute]) -> list[BaseRoute]:
    """Routes whose first segment after ``/api/saved_objects/`` is a parameter go last."""
    return sorted(routes, key=lambda r: bool(_PATTERN_SEGMENT.match(getattr(r, "path", ""))))


def _too_large(request: Request, limit: int) -> str | None:
    """hapi's refusal of a body over the limit, or ``None``."""
    if request.headers.get("content-type", "").startswith("multipart/"):
        return None
    try:
        length = int(request.headers.get("content-length", "0"))
    except ValueError:
        return None
    if length > limit:
        return f"Payload content length greater than maximum allowed: {limit}"
    return None


def create_app(
    start: AsyncSavedObjectsServiceStart,
    *,
    authenticate: Authenticator | None = None,
    xsrf: bool = True,
    allow_http_api_access: bool = False,
    kibana_version: str | None = None,
    max_payload_bytes: int = MAX_PAYLOAD_BYTES,
    key_rotation: AsyncEncryptionKeyRotation | None = None,
) -> FastAPI:
    """An ASGI app serving the saved-objects API of ``start``'s service.

    ``authenticate`` turns a request into a principal (or raises a 401); without it every
    request is anonymous, which a service with the security extension refuses
    everything. ``xsrf=False`` drops the ``kbn-xsrf`` check (Kibana's
    ``server.xsrf.disableProtection``). ``allow_http_api_access=True`` serves types
    registered with ``hidden_from_http_apis`` too (Kibana's
    ``savedObjects.allowHttpApiAccess``). ``kibana_version`` is the version named in the
    ``Warning`` header of deprecated routes (default: this package's version).
    ``max_payload_bytes`` bounds a request body by its ``Content-Length`` (Kibana's
    ``server.maxPayload``; multipart uploads are left to their routes): larger is a 413.
    ``key_rotation`` adds ``POST /api/encrypted_saved_objects/_rotate_key`` (absent
    without it).
    """
    app = FastAPI(
        title="Kibana saved objects API (kbn_saved_objects)",
        version=_package_version(),
        description=(
            "Kibana's saved-objects HTTP API served by kbn_saved_objects. Every path is "
            "also served under `/s/{space_id}` for the space `space_id`."
        ),
        openapi_url="/api/saved_objects/_openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.saved_objects = start
    app.state.authenticate = authenticate
    app.state.allow_http_api_access = allow_http_api_access
    app.state.key_rotation = key_rotation
    warning = deprecation_warning(kibana_version or _package_version())
    install_error_handlers(app)

    @app.middleware("http")
    async def kibana_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        if (
            xsrf
            and request.method not in _SAFE_METHODS
            and not any(header in request.headers for header in (*XSRF_HEADERS, "kbn-version"))
        ):
            return JSONResponse(error_body(400, XSRF_MESSAGE), status_code=400)
        too_large = _too_large(request, max_payload_bytes)
        if too_large is not None:
            return JSONResponse(error_body(413, too_large), status_code=413)
        response = await call_next(request)
        route = request.scope.get("route")
        if route is not None:
            response.headers.setdefault("elastic-api-version", API_VERSION)
        if getattr(route, "deprecated", False) and "warning" not in response.headers:
            response.headers["warning"] = warning
        return response

    extra: list[APIRouter] = []
    if key_rotation is not None:
        from kbn_saved_objects.http.routes import encryption

        extra.append(encryption.router)
    for router in [*routers(), *extra]:
        app.include_router(router)
        app.include_router(router, prefix="/s/{space_id}", include_in_schema=False)
    app.router.routes[:] = _literal_paths_first(list(app.router.routes))
    install_openapi(app, xsrf=xsrf)
    return app
