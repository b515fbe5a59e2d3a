"""Encryption key rotation, the decisions without the I/O (spec 08 §5.10).

After a new primary key is configured (the old one moved to the decryption-only keys),
existing objects still read -- every read tries the old keys -- but each one costs extra
key derivations until it is re-encrypted. Rotation re-encrypts them, as Kibana's
``POST /api/encrypted_saved_objects/_rotate_key`` does:

1. fetch the *first page* of encryptable objects, oldest ``updated_at`` first, raw (no
   encryption extension, so ciphertext comes back as stored) and across every space;
2. for each object not seen before, try the **decryption-only keys alone**: an object
   that opens is on an old key and is re-encrypted with the primary key; one that does
   not (already on the primary key, or on a key we do not have) is skipped;
3. write the re-encrypted objects with ``bulk_update``, each guarded by the version it
   was read at (a concurrent change wins and the object counts as ``failed``);
4. repeat until a page needs nothing, the first ``total`` fitted in one page, or
   ``ceil(2 * total / batch_size)`` pages were read (objects created meanwhile cannot make
   it loop forever).

A write bumps ``updated_at``, so re-encrypted objects leave the first page and the next
oldest ones come in. All progress lives in the data, never in memory: each object is
written whole or not at all, an object is only ever written re-encrypted from a value
that authenticated, and an object already on the primary key is simply skipped on the
next run. A rotation killed at any point therefore loses nothing, and running it again
finishes the job.

Differences from Kibana, all deliberate:

* objects are told apart by (type, id, the namespace bound into their AAD), not by id
  alone, so two objects sharing an id in different types or spaces are both rotated;
* a stored encrypted attribute that is not a string (not a ciphertext at all) is skipped
  like an undecryptable value; Kibana aborts the whole rotation, again on every run;
* an object with no encrypted value stored is left alone; Kibana rewrites it on every
  run and counts it as re-encrypted;
* the driver refreshes the indices before the first page, so writes of a run that was
  killed are seen (Kibana would count such an object as failed on a conflict).

This module is pure; ``_async/key_rotation.py`` (and its generated ``_sync`` twin) drives
it against a repository.
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from kbn_saved_objects.errors import BadRequestError, TooManyRequestsError
from kbn_saved_objects.extensions.encryption.errors import EncryptionError
from kbn_saved_objects.extensions.encryption.extension import SavedObjectsEncryptionExtension
from kbn_saved_objects.extensions.encryption.service import (
    NO_ENCRYPTION_KEY,
    EncryptedAttributeTypeError,
)
from kbn_saved_objects.repository.extensions import EncryptionDescriptor
from kbn_saved_objects.repository.operations.bulk_update import BulkUpdateObject
from kbn_saved_objects.serialization import ALL_NAMESPACES_STRING, SavedObject

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "MAX_BATCH_SIZE",
    "ROTATION_IN_PROGRESS",
    "ROTATION_NOT_CONFIGURED",
    "RotationProgress",
    "RotationResult",
    "RotationState",
    "check_rotation_request",
    "objects_to_reencrypt",
    "rotation_in_progress_guard",
    "rotation_types",
]

DEFAULT_BATCH_SIZE = 10_000
MAX_BATCH_SIZE = 10_000
"""Kibana's bounds for ``batch_size``: the engine's default result window."""

ROTATION_NOT_CONFIGURED = (
    "Kibana is not configured to support encryption key rotation. Update `kibana.yml` to "
    "include `xpack.encryptedSavedObjects.keyRotation.decryptionOnlyKeys` to rotate your "
    "encryption keys."
)
ROTATION_IN_PROGRESS = (
    "Encryption key rotation is in progress already. Please wait until it is completed and "
    "try again."
)


@dataclass(slots=True)
class RotationResult:
    """Kibana's answer: ``total`` (approximate count of encryptable objects, from the
    first page), ``successful`` (re-encrypted with the primary key) and ``failed``
    (on an old key, but the write failed)."""

    total: int = 0
    successful: int = 0
    failed: int = 0

    def to_dict(self) -> dict[str, int]:
        return {"total": self.total, "successful": self.successful, "failed": self.failed}


@dataclass(frozen=True, slots=True)
class RotationProgress:
    """Reported after each batch: how far the run got."""

    batch: int
    examined: int
    """Objects looked at so far (each once)."""
    result: RotationResult


def check_rotation_request(extension: SavedObjectsEncryptionExtension, batch_size: int) -> None:
    """Kibana's 400s: a batch size outside 1..10000 (its query validation), or no
    decryption-only key to rotate from; and no primary key to rotate to."""
    if batch_size < 1:
        raise BadRequestError(
            "[request query.batch_size]: Value must be equal to or greater than [1]."
        )
    if batch_size > MAX_BATCH_SIZE:
        raise BadRequestError(
            f"[request query.batch_size]: Value must be equal to or lower than [{MAX_BATCH_SIZE}]."
        )
    if not extension.service.keys.can_rotate:
        raise BadRequestError(ROTATION_NOT_CONFIGURED)
    if not extension.service.keys.can_encrypt:
        # Kibana would run and count every object as failed; nothing could succeed
        raise BadRequestError(NO_ENCRYPTION_KEY)


_rotation_lock = threading.Lock()


@contextlib.contextmanager
def rotation_in_progress_guard() -> Iterator[None]:
    """One rotation per process at a time (429 otherwise), as Kibana's route allows."""
    if not _rotation_lock.acquire(blocking=False):
        raise TooManyRequestsError(ROTATION_IN_PROGRESS)
    try:
        yield
    finally:
        _rotation_lock.release()


def rotation_types(
    extension: SavedObjectsEncryptionExtension, type_name: str | None = None
) -> tuple[list[str], frozenset[str]]:
    """The encryptable types to process (only ``type_name`` if given) and the hidden ones
    among them, which the reading repository must include explicitly."""
    names: list[str] = []
    hidden: set[str] = set()
    for definition in extension.type_registry.get_all_types():
        if not extension.is_encryptable_type(definition.name):
            continue
        if type_name is not None and definition.name != type_name:
            continue
        names.append(definition.name)
        if definition.hidden:
            hidden.add(definition.name)
    return names, frozenset(hidden)


def _identity(extension: SavedObjectsEncryptionExtension, obj: SavedObject[Any]) -> tuple[str, ...]:
    descriptor = extension.descriptor_for(obj)
    return (descriptor.type, descriptor.id, descriptor.namespace or "")


def objects_to_reencrypt(
    extension: SavedObjectsEncryptionExtension,
    objects: Sequence[SavedObject[Any]],
    seen: set[tuple[str, ...]],
) -> list[BulkUpdateObject]:
    """The ``bulk_update`` entries for the objects of a page that are still on an old key,
    their attributes re-encrypted with the primary key. Objects in ``seen`` are skipped;
    every other one is added to it."""
    updates: list[BulkUpdateObject] = []
    for obj in objects:
        identity = _identity(extension, obj)
        if identity in seen:
            continue
        seen.add(identity)
        definition = extension.service.types.get(obj.type)
        if definition is None or obj.attributes is None:
            continue
        if all(obj.attributes.get(name) is None for name in definition.attributes_to_encrypt):
            continue  # no secret stored: nothing to rotate
        descriptor = extension.descriptor_for(obj)
        try:
            plain = extension.service.decrypt_attributes(
                descriptor, obj.attributes, omit_primary_encryption_key=True
            )
        except (EncryptionError, EncryptedAttributeTypeError):
            continue  # on the primary key already, or on a key we do not hold
        first = obj.namespaces[0] if obj.namespaces else None
        attributes = extension.encrypt_attributes(
            EncryptionDescriptor(type=obj.type, id=obj.id, namespace=first), plain
        )
        update: BulkUpdateObject = {"type": obj.type, "id": obj.id, "attributes": attributes}
        if obj.version is not None:
            update["version"] = obj.version
        if first is not None and first != ALL_NAMESPACES_STRING:
            update["namespace"] = first
        updates.append(update)
    return updates


@dataclass(slots=True)
class RotationState:
    """The loop's bookkeeping: what was seen, the counts, when to stop."""

    batch_size: int
    result: RotationResult = field(default_factory=RotationResult)
    seen: set[tuple[str, ...]] = field(default_factory=set)
    batch: int = 0
    max_batches: int = 0

    def start_batch(self, total: int) -> None:
        """Called with each page's ``total``; the first one fixes the run's bounds."""
        if self.batch == 0:
            self.result.total = total
            self.max_batches = math.ceil(total * 2 / self.batch_size)

    def record_written(self, attempted: int, succeeded: int) -> None:
        self.result.successful += succeeded
        self.result.failed += attempted - succeeded

    def finish_batch(self, total: int) -> bool:
        """``True`` when the loop must stop after this batch (``total``: this page's)."""
        if total <= self.batch_size:
            return True
        self.batch += 1
        return self.batch >= self.max_batches

    def progress(self) -> RotationProgress:
        return RotationProgress(self.batch, len(self.seen), self.result)
