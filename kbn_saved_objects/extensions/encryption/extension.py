"""The encryption extension the repository calls (spec 08 §5, Kibana's
``SavedObjectsEncryptionExtension``).

It implements :class:`~kbn_saved_objects.repository.extensions.EncryptionExtension`:
the repository asks it which types are encryptable, whether a predefined id must be
refused, to encrypt attributes just before a write, and to decrypt-or-strip every object
it returns. Its own job is the translation between saved objects and the service:
which namespace the AAD binds (:func:`.aad.descriptor_namespace`), and how a failure to
decrypt is reported -- the read *succeeds*, without the encrypted attributes, and the
object's ``error`` is ``{"message": "Unable to decrypt attribute ..."}``, so that a
consumer can tell and recover (re-enter a secret) instead of losing the whole object.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kbn_saved_objects.extensions.encryption.aad import descriptor_namespace, normalized_descriptor
from kbn_saved_objects.extensions.encryption.errors import EncryptionError
from kbn_saved_objects.extensions.encryption.keys import EncryptionKeys
from kbn_saved_objects.extensions.encryption.registry import EncryptedTypeRegistry
from kbn_saved_objects.extensions.encryption.service import EncryptedSavedObjectsService
from kbn_saved_objects.repository.extensions import EncryptionDescriptor
from kbn_saved_objects.serialization import SavedObject
from kbn_saved_objects.types import SavedObjectTypeRegistry

__all__ = ["SavedObjectsEncryptionExtension"]


def _with_outcome(
    obj: SavedObject[Any], attributes: dict[str, Any], error: Exception | None
) -> SavedObject[Any]:
    """``obj`` with ``attributes``, and ``error`` as Kibana serialises it (``{message}``)."""
    update: dict[str, Any] = {"attributes": attributes}
    if error is not None:
        update["error"] = (
            error.to_json() if isinstance(error, EncryptionError) else {"message": str(error)}
        )
    return obj.model_copy(update=update)


class SavedObjectsEncryptionExtension:
    """Encrypted attributes for one type registry, one set of registrations and keys.

    Stateless between calls, so one instance serves every request and both the sync and
    async repositories.
    """

    def __init__(
        self,
        type_registry: SavedObjectTypeRegistry,
        encrypted_types: EncryptedTypeRegistry,
        keys: EncryptionKeys,
    ) -> None:
        self.type_registry = type_registry
        self.service = EncryptedSavedObjectsService(encrypted_types, keys)

    def is_encryptable_type(self, type_name: str) -> bool:
        return self.service.is_registered(type_name)

    def should_enforce_random_id(self, type_name: str) -> bool:
        return self.service.should_enforce_random_id(type_name)

    def get_encrypted_attributes(self, type_name: str) -> frozenset[str] | None:
        """The encrypted attribute names of a type (``None`` if it has none): what an
        audit diff must redact, since stored values are ciphertext (Kibana's
        ``getEncryptedAttributes``)."""
        definition = self.service.types.get(type_name)
        return None if definition is None else definition.attributes_to_encrypt

    def descriptor_for(self, obj: SavedObject[Any]) -> EncryptionDescriptor:
        """The descriptor a stored object was encrypted under: its first namespace."""
        if obj.namespaces:
            namespace: str | None = obj.namespaces[0]
        else:
            namespace = obj.namespace
        return EncryptionDescriptor(
            type=obj.type,
            id=obj.id,
            namespace=descriptor_namespace(self.type_registry, obj.type, namespace),
        )

    def encrypt_attributes(
        self, descriptor: EncryptionDescriptor, attributes: Mapping[str, Any]
    ) -> dict[str, Any]:
        """The attributes to store; raises :class:`EncryptionError` if a registered
        attribute cannot be encrypted (no primary key)."""
        if not self.service.is_registered(descriptor.type):
            return dict(attributes)
        normalized = normalized_descriptor(self.type_registry, descriptor)
        return self.service.encrypt_attributes(normalized, attributes)

    def decrypt_or_strip_response_attributes(
        self,
        obj: SavedObject[Any],
        original_attributes: Mapping[str, Any] | None = None,
    ) -> SavedObject[Any]:
        if obj.attributes is None or not self.service.is_registered(obj.type):
            return obj
        attributes, error = self.service.strip_or_decrypt_attributes(
            self.descriptor_for(obj), obj.attributes, original_attributes
        )
        return _with_outcome(obj, attributes, error)

    def get_decrypted_attributes(self, obj: SavedObject[Any]) -> dict[str, Any]:
        """Every encrypted attribute decrypted, stripped ones included (Kibana's
        ``getDecryptedAsInternalUser``, for server-side code that needs the secret).

        Unlike reads, a failure raises (:class:`EncryptionError`): the caller asked for
        the secret and there is none to give."""
        if obj.attributes is None:
            return {}
        return self.service.decrypt_attributes(self.descriptor_for(obj), obj.attributes)

    def decrypt_all_or_strip(self, obj: SavedObject[Any]) -> SavedObject[Any]:
        """Every secret decrypted, or (if one does not open) none and ``error`` set: what
        the internal finder returns per object."""
        if obj.attributes is None or not self.service.is_registered(obj.type):
            return obj
        attributes, error = self.service.decrypt_all_or_strip(
            self.descriptor_for(obj), obj.attributes
        )
        return _with_outcome(obj, attributes, error)
