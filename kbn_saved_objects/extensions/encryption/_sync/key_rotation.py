# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""Key rotation against a repository (spec 08 §5.10); the decisions are in
:mod:`..key_rotation`.

This module is the async source; ``_sync/key_rotation.py`` is generated from it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.extensions.encryption._sync.bare_repository import bare_repository
from kbn_saved_objects.extensions.encryption.extension import SavedObjectsEncryptionExtension
from kbn_saved_objects.extensions.encryption.key_rotation import (
    DEFAULT_BATCH_SIZE,
    RotationProgress,
    RotationResult,
    RotationState,
    check_rotation_request,
    objects_to_reencrypt,
    rotation_in_progress_guard,
    rotation_types,
)
from kbn_saved_objects.repository._sync.repository import SavedObjectsRepository
from kbn_saved_objects.repository.operations.bulk_update import BulkUpdateObject
from kbn_saved_objects.repository.results import FindResponse

__all__ = ["EncryptionKeyRotation"]

logger = logging.getLogger("kbn_saved_objects.encryption")


class EncryptionKeyRotation:
    """Re-encrypt every object still on a decryption-only key with the primary key.

    ``repository`` only lends its engine, type registry and configuration: rotation reads
    and writes through a copy of it *without extensions* (the ciphertext as stored; the
    writes carry what :class:`SavedObjectsEncryptionExtension` re-encrypted, so no hook
    encrypts twice) that includes the hidden encryptable types. A repository scoped to
    one space keeps its scope, and the cross-space read is refused (400): rotation is an
    administrator's operation over every space.
    """

    def __init__(
        self,
        repository: SavedObjectsRepository,
        extension: SavedObjectsEncryptionExtension,
    ) -> None:
        self.repository = repository
        self.extension = extension

    def rotate(
        self,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        type: str | None = None,
        on_batch: Callable[[RotationProgress], None] | None = None,
    ) -> RotationResult:
        """Run one rotation; ``{total, successful, failed}`` as Kibana answers.

        Raises ``BadRequestError`` (bad ``batch_size``, no decryption-only keys) or
        ``TooManyRequestsError`` (a rotation already runs in this process) before
        touching anything. ``on_batch`` is told after each batch, for progress bars.
        """
        check_rotation_request(self.extension, batch_size)
        with rotation_in_progress_guard():
            types, hidden = rotation_types(self.extension, type)
            state = RotationState(batch_size)
            if not types:
                if type:
                    logger.info(
                        'Saved Object type "%s" is not registered, encryption key rotation '
                        "is not needed.",
                        type,
                    )
                else:
                    logger.info(
                        "There are no registered Saved Object types that can have encrypted "
                        "attributes, encryption key rotation is not needed."
                    )
                return state.result
            repository = bare_repository(self.repository, hidden)
            self._refresh(repository, types)
            while True:
                page = self._find_page(repository, types, batch_size)
                state.start_batch(page.total)
                updates = objects_to_reencrypt(self.extension, page.saved_objects, state.seen)
                if updates:
                    succeeded = self._write(repository, updates, state.batch)
                    state.record_written(len(updates), succeeded)
                stop = not updates or state.finish_batch(page.total)
                if on_batch is not None:
                    on_batch(state.progress())
                if stop:
                    break
            result = state.result
            logger.info(
                "Encryption key rotation is completed. %d objects out of %d were successfully "
                "re-encrypted with the primary encryption key and %d objects failed.",
                result.successful,
                result.total,
                result.failed,
            )
            return result

    def _refresh(self, repository: SavedObjectsRepository, types: Sequence[str]) -> None:
        """Make every acknowledged write searchable before the first page is read.

        A previous run killed in the middle of a ``wait_for`` write leaves an object
        written but maybe not yet searchable; read stale, its old version would make this
        run's write a conflict, counted as failed although the object is already done.
        (Kibana does not do this; it only changes that count, never the data.)"""
        indices = repository.context.indices_for(types)
        repository.engine.perform(
            rq.Request(
                "POST",
                f"/{rq.index_list(indices)}/_refresh",
                rq.query_params(ignore_unavailable=True, allow_no_indices=True),
            )
        )

    def _find_page(
        self, repository: SavedObjectsRepository, types: Sequence[str], batch_size: int
    ) -> FindResponse:
        """Always the first page, oldest first: re-encrypted objects move to the end."""
        return repository.find(
            type=list(types),
            per_page=batch_size,
            namespaces=["*"],
            sort_field="updated_at",
            sort_order="asc",
        )

    def _write(
        self,
        repository: SavedObjectsRepository,
        updates: list[BulkUpdateObject],
        batch: int,
    ) -> int:
        """How many of ``updates`` were written. A failed call fails them all (and the
        rotation goes on, as Kibana's), since each object's write is all or nothing."""
        try:
            # wait_for: the next first page must see the new updated_at values
            response = repository.bulk_update(updates, refresh="wait_for")
        except Exception as exc:
            logger.error("Failed to re-encrypt saved objects (batch #%d): %s", batch, exc)
            return 0
        return sum(1 for entry in response.saved_objects if entry.error is None)
