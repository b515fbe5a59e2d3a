"""The errors of encrypted saved objects, with Kibana's texts.

Kibana raises them as plain ``Error``s (no ``SavedObjectsClient/<code>``), so they derive
from :class:`~kbn_saved_objects.errors.UnclassifiedError`: still ours, but no ``is_*``
predicate matches them and an HTTP layer would answer 500 with the text hidden.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from kbn_saved_objects.errors import UnclassifiedError

__all__ = ["EncryptionConfigError", "EncryptionError", "EncryptionErrorOperation"]


class EncryptionErrorOperation(StrEnum):
    DECRYPTION = "decryption"
    ENCRYPTION = "encryption"


class EncryptionError(UnclassifiedError):
    """One attribute of one object could not be encrypted or decrypted.

    ``attribute_name``, ``operation`` and ``__cause__`` say which and why; the message is
    Kibana's (``Unable to decrypt attribute "<attr>" of saved object "<descriptor>"``) and
    never contains the value or the key. :meth:`to_json` is what Kibana serialises into a
    response's ``error`` (only the message).
    """

    def __init__(
        self,
        message: str,
        attribute_name: str,
        operation: EncryptionErrorOperation,
        cause: BaseException | None = None,
    ) -> None:
        super().__init__(message, metadata={"attribute": attribute_name})
        self.attribute_name = attribute_name
        self.operation = operation
        self.__cause__ = cause

    def to_json(self) -> dict[str, Any]:
        return {"message": self.message}


class EncryptionConfigError(UnclassifiedError, ValueError):
    """Keys Kibana's config schema refuses (``[encryptionKey]: value has length [3] but it
    must have a minimum length of [32].``...)."""
