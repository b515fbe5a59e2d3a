"""Turning encrypted attributes on for a service, as Kibana's encrypted-saved-objects
plugin does at setup."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from kbn_saved_objects.extensions.encryption.extension import SavedObjectsEncryptionExtension
from kbn_saved_objects.extensions.encryption.keys import EncryptionKeys
from kbn_saved_objects.extensions.encryption.registry import EncryptedTypeRegistry
from kbn_saved_objects.types import SavedObjectTypeRegistry

if TYPE_CHECKING:
    from kbn_saved_objects.service.context import RequestContext
    from kbn_saved_objects.service.setup import SavedObjectsServiceSetup

__all__ = ["enable_encryption"]


class _Service(Protocol):
    def setup(self) -> SavedObjectsServiceSetup: ...


def enable_encryption(
    service: _Service, encrypted_types: EncryptedTypeRegistry, keys: EncryptionKeys
) -> None:
    """Encrypt the registered attributes on every write of the service's clients and
    decrypt (or strip) them on every read. The extension holds no per-request state, so
    one is built per type registry and shared by every request."""
    built: dict[int, SavedObjectsEncryptionExtension] = {}

    def factory(
        registry: SavedObjectTypeRegistry, request: RequestContext
    ) -> SavedObjectsEncryptionExtension:
        extension = built.get(id(registry))
        if extension is None or extension.type_registry is not registry:
            extension = SavedObjectsEncryptionExtension(registry, encrypted_types, keys)
            built[id(registry)] = extension
        return extension

    service.setup().set_encryption_extension(factory)
