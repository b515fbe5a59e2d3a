"""Turning the security extension on for a service, as Kibana's security plugin does at
setup: a factory that builds the extension for each request, and the spaces filter that
keeps ``*`` to the spaces the user may enter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from kbn_saved_objects.extensions.security.actions import LOGIN_ACTION
from kbn_saved_objects.extensions.security.audit import AuditLogger
from kbn_saved_objects.extensions.security.extension import RbacSecurityExtension
from kbn_saved_objects.extensions.security.privileges import PrivilegeSource
from kbn_saved_objects.types import SavedObjectTypeRegistry

if TYPE_CHECKING:
    from kbn_saved_objects.service.context import RequestContext
    from kbn_saved_objects.service.setup import SavedObjectsServiceSetup

__all__ = ["enable_security", "searchable_spaces_filter"]


class _Service(Protocol):
    def setup(self) -> SavedObjectsServiceSetup: ...


def enable_security(
    service: _Service,
    privileges: PrivilegeSource,
    *,
    audit_logger: AuditLogger | None = None,
    spaces_enabled: bool = True,
) -> None:
    """Authorize and audit every scoped client of ``service``.

    Each request gets its own extension, acting for the request's principal in its
    space and auditing with the request's id, session and address. A request without a
    principal is not trusted: it holds no privilege, so it is refused everything (only
    the service's internal clients run without security, as Kibana's do).
    ``spaces_enabled=False`` checks privileges globally, as Kibana does without the
    spaces plugin.
    """
    logger = audit_logger or AuditLogger()

    def factory(
        registry: SavedObjectTypeRegistry, request: RequestContext
    ) -> RbacSecurityExtension:
        return RbacSecurityExtension(
            request.principal,
            privileges,
            logger.for_request(
                request_id=request.request_id,
                session_id=request.session_id,
                client_ip=request.client_ip,
                forwarded_for=request.headers.get("x-forwarded-for"),
            ),
            registry,
            space_id=request.space_id,
            spaces_enabled=spaces_enabled,
        )

    service.setup().set_security_extension(factory)


def searchable_spaces_filter(privileges: PrivilegeSource) -> _SearchableSpaces:
    """The ``searchable_spaces`` filter of ``enable_spaces``: of the spaces asked for
    (``*`` expanded to every existing one), those where the principal holds ``login:``.

    Kibana's ``findSavedObjects`` purpose also asks for ``saved_object:config/find``,
    since every Kibana space has a ``config`` object; a service's registry need not have
    that type, so entering a space is what counts here.
    """
    return _SearchableSpaces(privileges)


class _SearchableSpaces:
    def __init__(self, privileges: PrivilegeSource) -> None:
        self.privileges = privileges

    def __call__(self, request: RequestContext, space_ids: Sequence[str]) -> Sequence[str]:
        if not space_ids:
            return []
        answer = self.privileges.check(request.principal, [LOGIN_ACTION], list(space_ids))
        allowed = {
            entry.resource
            for entry in answer.privileges
            if entry.authorized and entry.privilege == LOGIN_ACTION
        }
        return [space for space in space_ids if space in allowed]
