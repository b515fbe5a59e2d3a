"""Encrypted saved objects: Kibana's ``encryptedSavedObjects`` plugin, byte-compatible.

Register which attributes of which types are secret
(:class:`EncryptedTypeRegistry` of :class:`EncryptedSavedObjectTypeRegistration`), give
the keys (:class:`EncryptionKeys`), and hand the :class:`SavedObjectsEncryptionExtension`
to a repository: attributes are encrypted on write, decrypted (or stripped) on read.
:class:`EncryptionKeyRotation` / :class:`AsyncEncryptionKeyRotation` re-encrypt objects
left on an old key (``kbn-so encryption rotate-key``). Values written here open in
Kibana and the other way round (``@elastic/node-crypto`` format, same AAD).
:class:`EncryptedSavedObjectsClient` gives server-side code the secrets themselves.
"""

from kbn_saved_objects.extensions.encryption._async.internal_client import (
    AsyncEncryptedSavedObjectsClient,
)
from kbn_saved_objects.extensions.encryption._async.key_rotation import (
    AsyncEncryptionKeyRotation,
)
from kbn_saved_objects.extensions.encryption._sync.internal_client import (
    EncryptedSavedObjectsClient,
)
from kbn_saved_objects.extensions.encryption._sync.key_rotation import EncryptionKeyRotation
from kbn_saved_objects.extensions.encryption.crypto import CryptoError, NodeCrypto
from kbn_saved_objects.extensions.encryption.errors import (
    EncryptionConfigError,
    EncryptionError,
    EncryptionErrorOperation,
)
from kbn_saved_objects.extensions.encryption.extension import SavedObjectsEncryptionExtension
from kbn_saved_objects.extensions.encryption.key_rotation import (
    ROTATION_IN_PROGRESS,
    ROTATION_NOT_CONFIGURED,
    RotationProgress,
    RotationResult,
)
from kbn_saved_objects.extensions.encryption.keys import EncryptionKeys
from kbn_saved_objects.extensions.encryption.registry import (
    AttributeToEncrypt,
    EncryptedSavedObjectTypeRegistration,
    EncryptedTypeRegistry,
)
from kbn_saved_objects.extensions.encryption.service import (
    EncryptedAttributeTypeError,
    EncryptedSavedObjectsService,
)
from kbn_saved_objects.extensions.encryption.setup import enable_encryption

__all__ = [
    "ROTATION_IN_PROGRESS",
    "ROTATION_NOT_CONFIGURED",
    "AsyncEncryptedSavedObjectsClient",
    "AsyncEncryptionKeyRotation",
    "AttributeToEncrypt",
    "CryptoError",
    "EncryptedAttributeTypeError",
    "EncryptedSavedObjectTypeRegistration",
    "EncryptedSavedObjectsClient",
    "EncryptedSavedObjectsService",
    "EncryptedTypeRegistry",
    "EncryptionConfigError",
    "EncryptionError",
    "EncryptionErrorOperation",
    "EncryptionKeyRotation",
    "EncryptionKeys",
    "NodeCrypto",
    "RotationProgress",
    "RotationResult",
    "SavedObjectsEncryptionExtension",
    "enable_encryption",
]
