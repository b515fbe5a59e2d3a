"""The ASGI application: one FastAPI app serving Kibana's saved-objects routes.

FastAPI because the routes are declared with pydantic models, which gives request
validation and an OpenAPI 3.1 document generated from the same declarations (committed,
and checked in CI to be current), and because its dependency injection is where the
request-scoped client is built once per request.

Every router is mounted twice: at ``/api/...`` (the default space) and under
``/s/{space_id}/api/...``, as Kibana's spaces plugin serves every route in every space.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse

from kbn_saved_objects.extensions.encryption import AsyncEncryptionKeyRotation
from kbn_saved_objects.http.context import Authenticator
from kbn_saved_objects.http.errors import error_body, install_error_handlers
from kbn_saved_objects.service._async.service import AsyncSavedObjectsServiceStart

__all__ = ["XSRF_HEADERS", "create_app", "routers"]

XSRF_HEADERS = ("kbn-xsrf", "osd-xsrf")
"""Kibana refuses a state-changing request without ``kbn-xsrf`` (any value), which a
browser cannot add cross-site; OpenSearch Dashboards spells it ``osd-xsrf``."""
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
XSRF_MESSAGE = "Request must contain a kbn-xsrf header."


def routers() -> list[APIRouter]:
    """Every route group, each in its own module under ``http/routes``."""
    from kbn_saved_objects.http.routes import all_routers

    return all_routers()


def create_app(
    start: AsyncSavedObjectsServiceStart,
    *,
    authenticate: Authenticator | None = None,
    xsrf: bool = True,
    key_rotation: AsyncEncryptionKeyRotation | None = None,
) -> FastAPI:
    """An ASGI app serving the saved-objects API of ``start``'s service.

    ``authenticate`` turns a request into a principal (or raises a 401); without it every
    request is anonymous, which a service with the security extension refuses
    everything. ``xsrf=False`` drops the ``kbn-xsrf`` check (Kibana's
    ``server.xsrf.disableProtection``). ``key_rotation`` adds
    ``POST /api/encrypted_saved_objects/_rotate_key`` (absent without it).
    """
    app = FastAPI(
        title="Kibana saved objects API (kbn_saved_objects)",
        version="1",
        openapi_url="/api/saved_objects/_openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.saved_objects = start
    app.state.authenticate = authenticate
    app.state.key_rotation = key_rotation
    install_error_handlers(app)
    if xsrf:

        @app.middleware("http")
        async def require_xsrf(request: Request, call_next):  # type: ignore[no-untyped-def]
            if request.method not in _SAFE_METHODS and not any(
                header in request.headers for header in XSRF_HEADERS
            ):
                return JSONResponse(error_body(400, XSRF_MESSAGE), status_code=400)
            return await call_next(request)

    extra: list[APIRouter] = []
    if key_rotation is not None:
        from kbn_saved_objects.http.routes import encryption

        extra.append(encryption.router)
    for router in [*routers(), *extra]:
        app.include_router(router)
        app.include_router(router, prefix="/s/{space_id}", include_in_schema=False)
    return app
