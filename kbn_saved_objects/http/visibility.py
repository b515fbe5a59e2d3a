"""Types a service keeps out of the HTTP API (``hidden_from_http_apis``).

Kibana's rule (``routes/utils.ts``, ``throwIfTypeNotVisibleByAPI`` and
``throwIfAnyTypeNotVisibleByAPI``): a type is refused when it is registered, *not*
``hidden`` and ``hidden_from_http_apis``. ``hidden`` types and unknown types pass: the
client decides about them (a 404 or a per-object 400, as for a Python call). The check
is skipped when the app allows HTTP access to every type (Kibana's
``savedObjects.allowHttpApiAccess``).

Single-object routes answer ``Unsupported saved object type: '<type>'``; bulk routes and
``_find`` refuse the whole request with ``Unsupported saved object type(s): <t1>, <t2>``
(the distinct types in request order).
"""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import Request

from kbn_saved_objects.errors import BadRequestError, create_unsupported_type_error
from kbn_saved_objects.service import AsyncSavedObjectsClient

__all__ = ["check_http_type", "check_http_types", "hidden_from_http"]


def hidden_from_http(client: AsyncSavedObjectsClient, name: str) -> bool:
    definition = client.context.registry.get_type(name)
    return (
        definition is not None and not definition.hidden and bool(definition.hidden_from_http_apis)
    )


def _allowed(request: Request) -> bool:
    return bool(getattr(request.app.state, "allow_http_api_access", False))


def check_http_type(request: Request, client: AsyncSavedObjectsClient, name: str) -> None:
    """Refuse one type hidden from the HTTP APIs (single-object routes)."""
    if not _allowed(request) and name and hidden_from_http(client, name):
        raise create_unsupported_type_error(name)


def check_http_types(
    request: Request, client: AsyncSavedObjectsClient, types: Iterable[str]
) -> None:
    """Refuse a whole request naming a type hidden from the HTTP APIs (bulk, find)."""
    if _allowed(request):
        return
    refused = [name for name in dict.fromkeys(types) if hidden_from_http(client, name)]
    if refused:
        raise BadRequestError(reason=f"Unsupported saved object type(s): {', '.join(refused)}")
