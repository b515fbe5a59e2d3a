# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""Secrets for server-side code (spec 08 §5.8, Kibana's ``encryptedSavedObjects.getClient()``).

The repository strips or hides secrets from every reader; code that must *use* a secret
(call the API a key is for) reads through this client instead. It reads as the system --
a copy of the repository without extensions, hidden types included -- and decrypts every
encrypted attribute, exposed or not:

* :meth:`get_decrypted_as_internal_user` raises :class:`EncryptionError` when a secret does
  not open (the caller asked for it; there is nothing to give);
* :meth:`find_decrypted_as_internal_user` pages through a point-in-time finder and, like
  Kibana's ``createPointInTimeFinderDecryptedAsInternalUser``, returns an object whose
  secrets do not open without them and with ``error`` set, so one bad object does not
  stop a sweep.

Never hand what it returns to an end user.

This module is the async source; ``_sync/internal_client.py`` is generated from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Unpack

from kbn_saved_objects.extensions.encryption._sync.bare_repository import bare_repository
from kbn_saved_objects.extensions.encryption.extension import SavedObjectsEncryptionExtension
from kbn_saved_objects.repository._sync.repository import SavedObjectsRepository
from kbn_saved_objects.repository.operations.find import FindOptions
from kbn_saved_objects.repository.results import FindResponse
from kbn_saved_objects.serialization import SavedObject

__all__ = ["EncryptedSavedObjectsClient"]


class EncryptedSavedObjectsClient:
    def __init__(
        self,
        repository: SavedObjectsRepository,
        extension: SavedObjectsEncryptionExtension,
        *,
        include_hidden_types: Iterable[str] = (),
    ) -> None:
        self.repository = bare_repository(repository, include_hidden_types)
        self.extension = extension

    def get_decrypted_as_internal_user(
        self, type: str, id: str, *, namespace: str | None = None
    ) -> SavedObject[Any]:
        """The object with every secret decrypted; ``NotFoundError`` if absent,
        ``EncryptionError`` if a secret does not open."""
        if namespace is None:
            obj = self.repository.get(type, id)
        else:
            obj = self.repository.get(type, id, namespace=namespace)
        attributes = self.extension.get_decrypted_attributes(obj)
        return obj.model_copy(update={"attributes": attributes})

    def find_decrypted_as_internal_user(
        self, **options: Unpack[FindOptions]
    ) -> Iterator[FindResponse]:
        """Every matching object, page by page, secrets decrypted (or stripped with
        ``error``)."""
        with self.repository.create_point_in_time_finder(**options) as finder:
            for page in finder.find():
                decrypted = [self.extension.decrypt_all_or_strip(o) for o in page.saved_objects]
                yield page.model_copy(update={"saved_objects": decrypted})
