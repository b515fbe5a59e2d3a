"""Encrypt and decrypt one value exactly as ``@elastic/node-crypto`` does (spec 08 §5.3).

Kibana stores each encrypted attribute as one base64 string, so a Python service and a
Kibana must agree on every byte of it to read each other's objects:

* the plaintext is the value's ``JSON.stringify`` text (UTF-8);
* a fresh 64-byte random salt derives the key: PBKDF2-HMAC-SHA512 over the passphrase,
  10,000 iterations, 32 bytes (a passphrase is never used as a key directly);
* AES-256-GCM with a fresh 12-byte IV, authenticating the AAD (UTF-8) when one is given;
* stored text: ``base64(salt ‖ iv ‖ 16-byte tag ‖ ciphertext)``.

Pure: no I/O beyond the operating system's random bytes. A wrong key, a different AAD or
one altered byte all fail the same way (:class:`CryptoError`), since GCM cannot tell them
apart -- which is the point.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from kbn_saved_objects._js_json import js_stringify

__all__ = [
    "IV_LENGTH",
    "KEY_ITERATIONS",
    "KEY_LENGTH",
    "SALT_LENGTH",
    "TAG_LENGTH",
    "CryptoError",
    "NodeCrypto",
]

IV_LENGTH = 12
SALT_LENGTH = 64
KEY_LENGTH = 32
TAG_LENGTH = 16
KEY_ITERATIONS = 10_000

_AUTH_FAILED = "Unsupported state or unable to authenticate data"
"""Node's message when GCM refuses the tag (wrong key, AAD or ciphertext)."""


class CryptoError(ValueError):
    """A value node-crypto refuses to encrypt or decrypt, with node's message."""


def _validate_aad(aad: str | None) -> bytes | None:
    if aad is None:
        return None
    if not isinstance(aad, str):
        raise CryptoError("AAD must be a string")
    if aad == "":
        raise CryptoError("AAD cannot be an empty string")
    return aad.encode("utf-8")


class NodeCrypto:
    """One passphrase's ``encrypt``/``decrypt`` (node-crypto's ``makeCryptoWith``)."""

    __slots__ = ("_key",)

    def __init__(self, encryption_key: str | bytes) -> None:
        if not encryption_key:
            raise CryptoError("encryptionKey is required")
        self._key = (
            encryption_key.encode("utf-8") if isinstance(encryption_key, str) else encryption_key
        )

    def _derive(self, salt: bytes) -> AESGCM:
        kdf = PBKDF2HMAC(
            algorithm=hashes.SHA512(), length=KEY_LENGTH, salt=salt, iterations=KEY_ITERATIONS
        )
        return AESGCM(kdf.derive(self._key))

    def encrypt(self, value: Any, aad: str | None = None) -> str:
        """The stored text of ``value`` (anything ``JSON.stringify`` accepts)."""
        aad_bytes = _validate_aad(aad)
        try:
            plaintext = js_stringify(value).encode("utf-8")
        except TypeError as exc:
            raise CryptoError("Object to be encrypted must be serializable") from exc
        salt = os.urandom(SALT_LENGTH)
        iv = os.urandom(IV_LENGTH)
        sealed = self._derive(salt).encrypt(iv, plaintext, aad_bytes)
        # cryptography appends the tag; node-crypto stores it before the ciphertext
        ciphertext, tag = sealed[:-TAG_LENGTH], sealed[-TAG_LENGTH:]
        return base64.b64encode(salt + iv + tag + ciphertext).decode("ascii")

    def decrypt(self, encrypted: str | bytes, aad: str | None = None) -> Any:
        """The value ``encrypted`` holds; :class:`CryptoError` if it does not authenticate
        under this key and ``aad``. ``bytes`` are the raw (already decoded) layout."""
        aad_bytes = _validate_aad(aad)
        if isinstance(encrypted, str):
            try:
                raw = base64.b64decode(encrypted)
            except (binascii.Error, ValueError) as exc:
                raise CryptoError(_AUTH_FAILED) from exc
        else:
            raw = bytes(encrypted)
        head = SALT_LENGTH + IV_LENGTH
        salt, iv = raw[:SALT_LENGTH], raw[SALT_LENGTH:head]
        tag, ciphertext = raw[head : head + TAG_LENGTH], raw[head + TAG_LENGTH :]
        if len(iv) != IV_LENGTH or len(tag) != TAG_LENGTH:
            raise CryptoError(_AUTH_FAILED)
        try:
            plaintext = self._derive(salt).decrypt(iv, ciphertext + tag, aad_bytes)
        except InvalidTag as exc:
            raise CryptoError(_AUTH_FAILED) from exc
        return json.loads(plaintext.decode("utf-8"))
