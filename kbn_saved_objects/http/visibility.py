"""Types a service keeps out of the HTTP API (``hidden_from_http_apis``): Kibana refuses
them in every route with ``Unsupported saved object type(s): <types>``."""

from __future__ import annotations

from collections.abc import Iterable

from kbn_saved_objects.errors import BadRequestError
from kbn_saved_objects.service import AsyncSavedObjectsClient

__all__ = ["check_http_types"]


def check_http_types(client: AsyncSavedObjectsClient, types: Iterable[str]) -> None:
    registry = client.context.registry
    hidden = sorted(
        {
            name
            for name in types
            if (definition := registry.get_type(name)) is not None
            and (
                definition.hidden_from_http_apis
                if definition.hidden_from_http_apis is not None
                else definition.hidden
            )
        }
    )
    if hidden:
        raise BadRequestError(reason=f"Unsupported saved object type(s): {', '.join(hidden)}")
