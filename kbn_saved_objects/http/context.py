"""From an HTTP request to the request context and scoped client every route uses.

The space comes from the ``/s/{space_id}`` URL prefix (Kibana's spaces plugin rewrites
it the same way), the principal from the pluggable authentication hook, and what audit
records carry from the request itself.
"""

from __future__ import annotations

import inspect
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from starlette.exceptions import HTTPException

from kbn_saved_objects.errors import NotAuthorizedError
from kbn_saved_objects.repository.extensions import Principal
from kbn_saved_objects.serialization import DEFAULT_NAMESPACE_STRING
from kbn_saved_objects.service import AsyncSavedObjectsClient, RequestContext
from kbn_saved_objects.service._async.service import AsyncSavedObjectsServiceStart

__all__ = ["Authenticator", "request_context", "scoped_client", "service_start"]

Authenticator = Callable[[Request], "Awaitable[Principal | None] | Principal | None"]
"""Turns a request into its principal (``None``: anonymous), or raises
:class:`~kbn_saved_objects.errors.NotAuthorizedError` (401) to refuse it."""


def service_start(request: Request) -> AsyncSavedObjectsServiceStart:
    start: AsyncSavedObjectsServiceStart = request.app.state.saved_objects
    return start


async def _principal(request: Request) -> Principal | None:
    authenticate: Authenticator | None = request.app.state.authenticate
    if authenticate is None:
        return None
    principal: Any = authenticate(request)
    if inspect.isawaitable(principal):
        principal = await principal
    if principal is not None and not isinstance(principal, Principal):
        raise NotAuthorizedError(reason="the authentication hook returned no principal")
    return principal


SPACE_ID = re.compile(r"^[a-z0-9_\-]+$")
"""The space ids Kibana's spaces plugin recognises in ``/s/<id>``: another prefix (say
``/s/Marketing``) matches no route, so it is a 404."""


async def request_context(request: Request) -> RequestContext:
    """The :class:`RequestContext` of an HTTP request (a FastAPI dependency)."""
    space_id = request.path_params.get("space_id") or DEFAULT_NAMESPACE_STRING
    if not SPACE_ID.match(space_id):
        raise HTTPException(404, "Not Found")
    forwarded = request.headers.get("x-forwarded-for")
    headers = {key: value for key, value in request.headers.items()}
    if forwarded is not None:
        headers["x-forwarded-for"] = forwarded
    return RequestContext(
        principal=await _principal(request),
        space_id=space_id,
        headers=headers,
        request_id=request.headers.get("x-request-id") or uuid.uuid4().hex,
        session_id=request.headers.get("x-session-id"),
        client_ip=request.client.host if request.client else None,
    )


async def scoped_client(request: Request) -> AsyncSavedObjectsClient:
    """The request-scoped client a route works through (a FastAPI dependency)."""
    return service_start(request).get_scoped_client(await request_context(request))


ClientFactory = Callable[[Request], Awaitable[AsyncSavedObjectsClient]]
