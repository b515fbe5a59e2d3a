"""The setup half of the service: what plugins declare before the service starts (spec 08 §8).

Kibana's ``SavedObjectsService.setup()`` returns a contract through which plugins
register types, install the security/encryption/spaces extension factories, a custom
client factory and (7.x-8.6) client wrappers. Each extension can be set once, and nothing
can be declared after the service started: a type or an extension that arrived late would
silently apply to some requests and not others. The refusals carry Kibana's messages.

This half does no I/O and is shared by the sync and async services.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from kbn_saved_objects.errors import UnclassifiedError
from kbn_saved_objects.repository.extensions import (
    ENCRYPTION_EXTENSION_ID,
    SECURITY_EXTENSION_ID,
    SPACES_EXTENSION_ID,
    EncryptionExtension,
    RepositoryExtensions,
    SecurityExtension,
    SpacesExtension,
)
from kbn_saved_objects.service.context import RequestContext
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry

__all__ = [
    "ClientFactory",
    "ClientFactoryOptions",
    "ClientFactoryProvider",
    "ClientWrapperFactory",
    "ClientWrapperOptions",
    "EncryptionExtensionFactory",
    "ExtensionFactory",
    "SavedObjectsServiceSetup",
    "SecurityExtensionFactory",
    "SpacesExtensionFactory",
]

E = TypeVar("E")

ExtensionFactory = Callable[[SavedObjectTypeRegistry, RequestContext], E | None]
"""``(type_registry, request) -> extension | None``: called once per scoped client;
``None`` means the extension does not apply to that request (Kibana's security factory
returns nothing when RBAC is off)."""
SecurityExtensionFactory = ExtensionFactory[SecurityExtension]
EncryptionExtensionFactory = ExtensionFactory[EncryptionExtension]
SpacesExtensionFactory = ExtensionFactory[SpacesExtension]


@dataclass(frozen=True, slots=True)
class ClientWrapperOptions:
    """What a client wrapper factory receives (Kibana 7.x ``{client, request,
    typeRegistry}``)."""

    client: Any
    request: RequestContext
    type_registry: SavedObjectTypeRegistry


ClientWrapperFactory = Callable[[ClientWrapperOptions], Any]
"""Returns a client with the same methods as the one it wraps (usually delegating to it)."""


@dataclass(frozen=True, slots=True)
class ClientFactoryOptions:
    """What a client factory receives to build a request's client (Kibana's
    ``{request, includedHiddenTypes, extensions}``)."""

    request: RequestContext
    included_hidden_types: tuple[str, ...]
    extensions: RepositoryExtensions


ClientFactory = Callable[[ClientFactoryOptions], Any]
ClientFactoryProvider = Callable[[Any], ClientFactory]
"""``(start contract) -> client factory``: the start contract is the repository factory
(``create_scoped_repository``, ``create_internal_repository``)."""


def _after_startup(method: str) -> UnclassifiedError:
    return UnclassifiedError(f"cannot call `{method}` after service startup.")


@dataclass(frozen=True, slots=True)
class _Wrapper:
    priority: int
    id: str
    factory: ClientWrapperFactory


class SavedObjectsServiceSetup:
    """The setup contract. The service hands out one; once the service started every
    declaring method raises."""

    def __init__(self, registry: SavedObjectTypeRegistry, default_index: str) -> None:
        self._registry = registry
        self._default_index = default_index
        self._started = False
        self._security: SecurityExtensionFactory | None = None
        self._encryption: EncryptionExtensionFactory | None = None
        self._spaces: SpacesExtensionFactory | None = None
        self._client_factory_provider: ClientFactoryProvider | None = None
        self._wrappers: list[_Wrapper] = []

    # --- declaring ---------------------------------------------------------------------

    def register_type(self, definition: SavedObjectsType) -> None:
        """Register a saved-object type (the registry's own checks apply)."""
        if self._started:
            raise _after_startup("registerType")
        self._registry.register(definition)

    def set_security_extension(self, factory: SecurityExtensionFactory) -> None:
        if self._started:
            raise _after_startup("setSecurityExtension")
        if self._security is not None:
            raise UnclassifiedError("security extension is already set, and can only be set once")
        self._security = factory

    def set_encryption_extension(self, factory: EncryptionExtensionFactory) -> None:
        if self._started:
            raise _after_startup("setEncryptionExtension")
        if self._encryption is not None:
            raise UnclassifiedError("encryption extension is already set, and can only be set once")
        self._encryption = factory

    def set_spaces_extension(self, factory: SpacesExtensionFactory) -> None:
        if self._started:
            raise _after_startup("setSpacesExtension")
        if self._spaces is not None:
            raise UnclassifiedError("spaces extension is already set, and can only be set once")
        self._spaces = factory

    def set_client_factory_provider(self, provider: ClientFactoryProvider) -> None:
        """Replace how a scoped client is built from a request's repository (once)."""
        if self._started:
            raise _after_startup("setClientFactoryProvider")
        if self._client_factory_provider is not None:
            raise UnclassifiedError(
                "custom client factory is already set, and can only be set once"
            )
        self._client_factory_provider = provider

    def add_client_wrapper(self, priority: int, id: str, factory: ClientWrapperFactory) -> None:
        """Wrap every scoped client (Kibana 7.x-8.6). The highest priority wraps first, so
        it sits innermost, next to the repository; the lowest is what the caller holds.
        Ids and priorities are unique; ``excluded_wrappers`` names ids to skip."""
        if self._started:
            raise _after_startup("addClientWrapper")
        if any(wrapper.id == id for wrapper in self._wrappers):
            raise UnclassifiedError(f"wrapper factory with id {id} is already defined")
        if any(wrapper.priority == priority for wrapper in self._wrappers):
            raise UnclassifiedError("Already have entry with this priority")
        priorities = [wrapper.priority for wrapper in self._wrappers]
        self._wrappers.insert(bisect.bisect(priorities, priority), _Wrapper(priority, id, factory))

    # --- reading -----------------------------------------------------------------------

    def get_type_registry(self) -> SavedObjectTypeRegistry:
        return self._registry

    def get_default_index(self) -> str:
        return self._default_index

    @property
    def started(self) -> bool:
        return self._started

    @property
    def client_factory_provider(self) -> ClientFactoryProvider | None:
        return self._client_factory_provider

    @property
    def wrapper_ids(self) -> list[str]:
        """The wrapper ids by ascending priority (outermost first)."""
        return [wrapper.id for wrapper in self._wrappers]

    # --- used by the start contract -----------------------------------------------------

    def mark_started(self) -> None:
        self._started = True

    def extensions_for(
        self, request: RequestContext, excluded: Sequence[str] = ()
    ) -> RepositoryExtensions:
        """Each registered, non-excluded extension built for ``request`` (Kibana's
        ``SavedObjectsClientProvider.getExtensions``)."""
        return RepositoryExtensions(
            security=self._build(SECURITY_EXTENSION_ID, self._security, request, excluded),
            encryption=self._build(ENCRYPTION_EXTENSION_ID, self._encryption, request, excluded),
            spaces=self._build(SPACES_EXTENSION_ID, self._spaces, request, excluded),
        )

    def internal_extensions(self, excluded: Sequence[str] = ()) -> RepositoryExtensions:
        """Extensions of internal clients: never security (no user to authorize);
        encryption and spaces built for the synthetic internal request."""
        return self.extensions_for(RequestContext.internal(), [*excluded, SECURITY_EXTENSION_ID])

    def wrap(self, client: Any, request: RequestContext, excluded: Sequence[str] = ()) -> Any:
        """Fold the wrappers around ``client``, highest priority first (innermost)."""
        for wrapper in reversed(self._wrappers):
            if wrapper.id in excluded:
                continue
            client = wrapper.factory(ClientWrapperOptions(client, request, self._registry))
        return client

    def _build(
        self,
        extension_id: str,
        factory: ExtensionFactory[E] | None,
        request: RequestContext,
        excluded: Sequence[str],
    ) -> E | None:
        if factory is None or extension_id in excluded:
            return None
        return factory(self._registry, request)
