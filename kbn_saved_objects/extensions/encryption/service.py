"""Encrypt, decrypt and strip the attributes of one object (Kibana's
``EncryptedSavedObjectsService``, spec 08 §5.4-5.5).

The service knows the registered types and the keys; it works on an object's attribute
dict and its :class:`~kbn_saved_objects.repository.extensions.EncryptionDescriptor`
(namespace already normalised by :mod:`.aad`). The repository-facing shape (saved objects
in, saved objects out) is :mod:`.extension`; key rotation uses this module directly.

* Encrypting: every registered attribute that is not ``None`` is encrypted with the
  primary key under one AAD; unregistered types and objects with nothing to encrypt come
  back unchanged.
* Decrypting: the primary key then each decryption-only key, each with every candidate
  AAD; the first that authenticates wins, otherwise the *primary* key's failure is
  reported, wrapped in an :class:`EncryptionError` naming attribute and object.
* Stripping: attributes registered without ``dangerously_expose_value`` never leave.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from kbn_saved_objects.errors import UnclassifiedError
from kbn_saved_objects.extensions.encryption.aad import build_aad, descriptor_label
from kbn_saved_objects.extensions.encryption.crypto import NodeCrypto
from kbn_saved_objects.extensions.encryption.errors import (
    EncryptionConfigError,
    EncryptionError,
    EncryptionErrorOperation,
)
from kbn_saved_objects.extensions.encryption.keys import EncryptionKeys
from kbn_saved_objects.extensions.encryption.registry import (
    EncryptedTypeDefinition,
    EncryptedTypeRegistry,
)
from kbn_saved_objects.repository.extensions import EncryptionDescriptor

__all__ = ["EncryptedAttributeTypeError", "EncryptedSavedObjectsService"]

logger = logging.getLogger("kbn_saved_objects.encryption")

NO_ENCRYPTION_KEY = "Encryption is disabled because of missing encryption key."
NO_DECRYPTION_KEYS = "Decryption is disabled because of missing decryption keys."
NO_SECONDARY_KEYS = (
    '"omitPrimaryEncryptionKey" cannot be set when secondary keys aren\'t configured.'
)


class EncryptedAttributeTypeError(UnclassifiedError, TypeError):
    """A stored encrypted attribute that is not a string: not a ciphertext at all.

    Kibana throws it as a plain ``Error`` (not an ``EncryptionError``); reads still turn
    it into the object's ``error``."""


def _js_kind(value: object) -> str:
    """``type-detect``'s name for a JSON value."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list | tuple):
        return "Array"
    if isinstance(value, Mapping):
        return "Object"
    return type(value).__name__


class EncryptedSavedObjectsService:
    def __init__(self, types: EncryptedTypeRegistry, keys: EncryptionKeys) -> None:
        self.types = types
        self.keys = keys
        self._primary = keys.primary_crypto()
        self._decryption_only = keys.decryption_only_cryptos()

    def is_registered(self, type_name: str) -> bool:
        return self.types.is_registered(type_name)

    def should_enforce_random_id(self, type_name: str) -> bool:
        return self.types.should_enforce_random_id(type_name)

    # --- encrypting ---------------------------------------------------------------

    def encrypt_attributes(
        self, descriptor: EncryptionDescriptor, attributes: Mapping[str, Any]
    ) -> dict[str, Any]:
        """``attributes`` with every registered attribute encrypted (a new dict).

        Raises :class:`EncryptionError` -- with the missing-key reason as its cause when
        there is no primary key -- only if something needed encrypting."""
        definition = self.types.get(descriptor.type)
        if definition is None:
            return dict(attributes)
        aad: str | None = None
        encrypted: dict[str, str] = {}
        for name in sorted(definition.attributes_to_encrypt):
            value = attributes.get(name)
            if value is None:
                continue
            if aad is None:
                aad = build_aad(definition, descriptor, attributes)
            try:
                if self._primary is None:
                    raise EncryptionConfigError(NO_ENCRYPTION_KEY)
                encrypted[name] = self._primary.encrypt(value, aad)
            except ValueError as exc:
                label = descriptor_label(descriptor)
                logger.error(
                    'Failed to encrypt "%s" attribute of saved object "%s": %s', name, label, exc
                )
                raise EncryptionError(
                    f'Unable to encrypt attribute "{name}" of saved object "{label}"',
                    name,
                    EncryptionErrorOperation.ENCRYPTION,
                    exc,
                ) from exc
        return {**attributes, **encrypted}

    # --- decrypting ---------------------------------------------------------------

    def _decrypters(self, omit_primary: bool) -> list[NodeCrypto]:
        if omit_primary:
            if not self._decryption_only:
                raise EncryptionConfigError(NO_SECONDARY_KEYS)
            return list(self._decryption_only)
        return [*([self._primary] if self._primary else []), *self._decryption_only]

    def _candidate_aads(
        self,
        definition: EncryptedTypeDefinition,
        descriptor: EncryptionDescriptor,
        attributes: Mapping[str, Any],
        is_type_being_converted: bool,
        origin_id: str | None,
    ) -> list[str]:
        if not is_type_being_converted:
            return [build_aad(definition, descriptor, attributes)]
        # A type converted to multi-namespace: written with or without the namespace,
        # under its old id (originId) or its new one, depending on when it was migrated.
        descriptors = [replace(descriptor, id=origin_id), descriptor] if origin_id else [descriptor]
        aads = []
        for candidate in descriptors:
            aads.append(build_aad(definition, candidate, attributes))
            if descriptor.namespace:
                aads.append(build_aad(definition, replace(candidate, namespace=None), attributes))
        return aads

    def decrypt_attributes(
        self,
        descriptor: EncryptionDescriptor,
        attributes: Mapping[str, Any],
        *,
        omit_primary_encryption_key: bool = False,
        is_type_being_converted: bool = False,
        origin_id: str | None = None,
    ) -> dict[str, Any]:
        """``attributes`` with every registered attribute decrypted (a new dict).

        ``omit_primary_encryption_key``: try the decryption-only keys alone (rotation's
        question "is this still on an old key?"). Raises :class:`EncryptionError` for a
        value no key opens, :class:`EncryptedAttributeTypeError` for one that is not a
        string."""
        definition = self.types.get(descriptor.type)
        if definition is None:
            return dict(attributes)
        decrypters = self._decrypters(omit_primary_encryption_key)
        aads: list[str] = []
        decrypted: dict[str, Any] = {}
        for name in sorted(definition.attributes_to_encrypt):
            value = attributes.get(name)
            if value is None:
                continue
            if not isinstance(value, str):
                raise EncryptedAttributeTypeError(
                    f'Encrypted "{name}" attribute should be a string, but found {_js_kind(value)}'
                )
            if not aads:
                aads = self._candidate_aads(
                    definition, descriptor, attributes, is_type_being_converted, origin_id
                )
            first_error: Exception | None = (
                None if decrypters else EncryptionConfigError(NO_DECRYPTION_KEYS)
            )
            opened = False
            for decrypter in decrypters:
                for aad in aads:
                    try:
                        decrypted[name] = decrypter.decrypt(value, aad)
                    except ValueError as exc:
                        first_error = first_error or exc
                        continue
                    opened = True
                    break
                if opened:
                    break
            if not opened:
                label = descriptor_label(descriptor)
                logger.log(
                    logging.DEBUG if omit_primary_encryption_key else logging.ERROR,
                    'Failed to decrypt attribute "%s" of saved object "%s": %s',
                    name,
                    label,
                    first_error,
                )
                raise EncryptionError(
                    f'Unable to decrypt attribute "{name}" of saved object "{label}"',
                    name,
                    EncryptionErrorOperation.DECRYPTION,
                    first_error,
                )
        return {**attributes, **decrypted}

    def strip_or_decrypt_attributes(
        self,
        descriptor: EncryptionDescriptor,
        attributes: Mapping[str, Any],
        original_attributes: Mapping[str, Any] | None = None,
    ) -> tuple[dict[str, Any], Exception | None]:
        """What a reader may see of ``attributes``: stripped attributes left out, exposed
        ones decrypted (or taken from ``original_attributes``, the plaintext a write was
        given). Never raises for a value it cannot open: the error is returned next to the
        attributes without any encrypted one, for the caller to report."""
        definition = self.types.get(descriptor.type)
        if definition is None:
            return dict(attributes), None
        kept: dict[str, Any] = {}
        needs_decryption = False
        for name, value in attributes.items():
            if definition.should_be_stripped(name):
                continue
            if not definition.should_be_encrypted(name):
                kept[name] = value
            elif original_attributes is not None:
                if name in original_attributes:
                    kept[name] = original_attributes[name]
            else:
                needs_decryption = True
        if not needs_decryption:
            return kept, None
        readable = {k: v for k, v in attributes.items() if not definition.should_be_stripped(k)}
        try:
            decrypted = self.decrypt_attributes(descriptor, readable)
        except (EncryptionError, EncryptedAttributeTypeError, EncryptionConfigError) as exc:
            return kept, exc
        return {**kept, **decrypted}, None

    def decrypt_all_or_strip(
        self, descriptor: EncryptionDescriptor, attributes: Mapping[str, Any]
    ) -> tuple[dict[str, Any], Exception | None]:
        """Every secret decrypted, stripped ones included (server-side readers, Kibana's
        ``__dangerousClone`` with every attribute exposed); on failure the attributes
        without any encrypted one, and the error."""
        definition = self.types.get(descriptor.type)
        if definition is None:
            return dict(attributes), None
        try:
            return self.decrypt_attributes(descriptor, attributes), None
        except (EncryptionError, EncryptedAttributeTypeError, EncryptionConfigError) as exc:
            plain = {k: v for k, v in attributes.items() if not definition.should_be_encrypted(k)}
            return plain, exc
