"""The encryption keys: one primary, any number of decryption-only (spec 08 §5.9).

Kibana's ``xpack.encryptedSavedObjects.encryptionKey`` and
``keyRotation.decryptionOnlyKeys``. The primary key encrypts every write and is tried
first on reads; decryption-only keys are former primaries, kept so that objects written
before a rotation still read until :mod:`.key_rotation` re-encrypts them. Without a
primary key nothing can be encrypted (reads of plain types still work), as in a Kibana
distribution started without ``encryptionKey``.

Keys are passphrases, not raw keys (node-crypto derives a key per value), so Kibana's only
rule is a minimum length of 32 characters. The validation errors carry Kibana's config
texts so that a message found in Kibana's docs or forums matches.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kbn_saved_objects.extensions.encryption.crypto import NodeCrypto
from kbn_saved_objects.extensions.encryption.errors import EncryptionConfigError

__all__ = ["MIN_KEY_LENGTH", "EncryptionKeys"]

MIN_KEY_LENGTH = 32


def _check_length(path: str, key: object) -> str:
    if not isinstance(key, str):
        kind = "null" if key is None else type(key).__name__
        raise EncryptionConfigError(f"[{path}]: expected value of type [string] but got [{kind}]")
    if len(key) < MIN_KEY_LENGTH:
        raise EncryptionConfigError(
            f"[{path}]: value has length [{len(key)}] but it must have a minimum length "
            f"of [{MIN_KEY_LENGTH}]."
        )
    return key


class EncryptionKeys:
    """A validated key set. ``repr`` never shows a key: only the hashes Kibana logs."""

    __slots__ = ("_decryption_only", "_primary")

    def __init__(
        self, encryption_key: str | None = None, decryption_only_keys: Iterable[str] = ()
    ) -> None:
        primary = None if encryption_key is None else _check_length("encryptionKey", encryption_key)
        old = tuple(decryption_only_keys)
        for index, key in enumerate(old):
            _check_length(f"keyRotation.decryptionOnlyKeys.{index}", key)
        if primary is not None and primary in old:
            raise EncryptionConfigError(
                "`keyRotation.decryptionOnlyKeys` cannot contain primary encryption key "
                "specified in `encryptionKey`."
            )
        self._primary = primary
        self._decryption_only = old

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> EncryptionKeys:
        """Keys from Kibana's settings shape: ``{"encryptionKey": ..., "keyRotation":
        {"decryptionOnlyKeys": [...]}}`` (the ``xpack.encryptedSavedObjects`` block)."""
        rotation = config.get("keyRotation") or {}
        if not isinstance(rotation, Mapping):
            raise EncryptionConfigError(
                "[keyRotation]: expected a plain object value, but found "
                f"[{type(rotation).__name__}] instead."
            )
        old = rotation.get("decryptionOnlyKeys", [])
        if not isinstance(old, Sequence) or isinstance(old, str):
            raise EncryptionConfigError(
                "[keyRotation.decryptionOnlyKeys]: expected value of type [array] but got "
                f"[{type(old).__name__}]"
            )
        if "encryptionKey" in config and config["encryptionKey"] is None:
            _check_length("encryptionKey", None)
        return cls(config.get("encryptionKey"), old)

    @property
    def can_encrypt(self) -> bool:
        return self._primary is not None

    @property
    def can_rotate(self) -> bool:
        """Rotation needs something to rotate from."""
        return bool(self._decryption_only)

    def primary_crypto(self) -> NodeCrypto | None:
        return None if self._primary is None else NodeCrypto(self._primary)

    def decryption_only_cryptos(self) -> list[NodeCrypto]:
        return [NodeCrypto(key) for key in self._decryption_only]

    def hashes(self) -> dict[str, Any]:
        """SHA3-256 (base64) of each key, what Kibana logs at startup to tell keys apart
        without revealing them."""

        def digest(key: str) -> str:
            return base64.b64encode(hashlib.sha3_256(key.encode("utf-8")).digest()).decode()

        return {
            "encryptionKey": None if self._primary is None else digest(self._primary),
            "decryptionOnlyKeys": [digest(k) for k in self._decryption_only],
        }

    def __repr__(self) -> str:
        return f"EncryptionKeys({self.hashes()!r})"
