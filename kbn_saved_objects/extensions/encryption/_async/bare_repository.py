"""The repository encryption reads and writes through: no extensions, some hidden types.

Rotation and the internal client must see values as stored (ciphertext in, ciphertext
they prepared out) and reach hidden encryptable types, whatever extensions the caller's
repository runs with. They build a sibling with the same engine, types, configuration,
migrations and scope, as Kibana builds its clients with ``excludedExtensions``.

This module is the async source; ``_sync/bare_repository.py`` is generated from it.
"""

from __future__ import annotations

from collections.abc import Iterable

from kbn_saved_objects.repository._async.repository import AsyncSavedObjectsRepository

__all__ = ["bare_repository"]


def bare_repository(
    repository: AsyncSavedObjectsRepository, include_hidden_types: Iterable[str] = ()
) -> AsyncSavedObjectsRepository:
    context = repository.context
    return AsyncSavedObjectsRepository(
        repository.engine,
        context.registry,
        config=context.config,
        migration=context.migration,
        include_hidden_types=context.include_hidden_types | frozenset(include_hidden_types),
        namespace=context.namespace,
    )
