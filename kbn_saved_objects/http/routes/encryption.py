"""Encryption key rotation over HTTP (spec 09 row 20, spec 08 §5.10; Kibana
``encrypted_saved_objects/server/routes/key_rotation.ts``).

The route exists only when the app is given a key rotation
(``create_app(..., key_rotation=AsyncEncryptionKeyRotation(...))``): a service without
encrypted attributes has nothing to rotate, as Kibana without its encrypted-saved-objects
plugin has no such route. Kibana reserves it to superusers; with an authentication hook
the principal needs the ``superuser`` role (without one every caller is anonymous and
trusted, as Kibana with security disabled).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from kbn_saved_objects.errors import ForbiddenError
from kbn_saved_objects.extensions.encryption import AsyncEncryptionKeyRotation
from kbn_saved_objects.extensions.encryption.key_rotation import DEFAULT_BATCH_SIZE
from kbn_saved_objects.http.context import request_context
from kbn_saved_objects.http.models import error_responses
from kbn_saved_objects.http.routes.import_export import check_query

__all__ = ["SUPERUSER_ROLE", "router"]

router = APIRouter(prefix="/api/encrypted_saved_objects", tags=["saved objects"])

SUPERUSER_ROLE = "superuser"


@router.post(
    "/_rotate_key",
    summary="Rotate a key for encrypted saved objects",
    responses=error_responses(429),
)
async def rotate_key(
    request: Request,
    batch_size: Annotated[int, Query()] = DEFAULT_BATCH_SIZE,
    type: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    """Re-encrypt with the primary key every object still on a decryption-only key:
    200 ``{total, successful, failed}``; 400 when no decryption-only key is configured
    (or ``batch_size`` is outside 1..10 000); 429 while another rotation runs in this
    process."""
    check_query(request, {"batch_size", "type"})
    if request.app.state.authenticate is not None:
        context = await request_context(request)
        roles = context.principal.roles if context.principal is not None else ()
        if SUPERUSER_ROLE not in roles:
            raise ForbiddenError(
                f"API [POST {request.url.path}] is unauthorized for user, this action is "
                f"granted by the Kibana privileges [{SUPERUSER_ROLE}]"
            )
    rotation: AsyncEncryptionKeyRotation = request.app.state.key_rotation
    result = await rotation.rotate(batch_size=batch_size, type=type)
    return result.to_dict()
