"""What the service knows of one request (Kibana's ``KibanaRequest``, as extensions use it).

Extensions are built per request from this value: the security extension needs who acts
(``principal``) and what audit records carry (request id, session, client address,
headers); the spaces extension needs the active space. It is deliberately plain: an HTTP
framework, a queue consumer or a CLI builds one from whatever it has.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from kbn_saved_objects.repository.extensions import Principal
from kbn_saved_objects.serialization import DEFAULT_NAMESPACE_STRING

__all__ = ["RequestContext"]


@dataclass(frozen=True, kw_only=True)
class RequestContext:
    """One request: who acts, in which space, and what audit records about it.

    ``principal`` is ``None`` for an anonymous or internal caller (no security extension
    then authorizes anything: see the service). ``space_id`` is the active space (Kibana
    takes it from the ``/s/<id>`` URL prefix; ``"default"`` without one). ``headers``
    are kept read-only.
    """

    principal: Principal | None = None
    space_id: str = DEFAULT_NAMESPACE_STRING
    headers: Mapping[str, str] = field(default_factory=dict)
    request_id: str | None = None
    """Kibana's ``trace.id`` in audit records (the ``x-opaque-id`` of the request)."""
    session_id: str | None = None
    client_ip: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.space_id, str) or not self.space_id:
            raise ValueError("space_id must be a non-empty string")
        object.__setattr__(self, "headers", MappingProxyType(dict(self.headers)))

    @classmethod
    def internal(cls) -> RequestContext:
        """The synthetic request of internal clients: nobody, in the default space
        (Kibana builds a minimal fake request for the same purpose)."""
        return cls()
