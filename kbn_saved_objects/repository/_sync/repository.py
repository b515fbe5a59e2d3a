# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""The saved-objects repository: a thin dispatcher that drives operation generators.

Each public method hands its arguments to the operation module that holds the logic
(``repository/operations/<name>.py``) and drives the generator it returns against the
engine: requests go out, answers (or typed errors) come back in. Idempotent reads are
retried with backoff when the engine is unavailable or pushes back (429); writes never
are, since a write that timed out may still have landed.

This module is the async source; ``repository/_sync/repository.py`` is generated from it.
"""

from __future__ import annotations

import time
from typing import Any, TypeVar, Unpack

from kbn_saved_objects.engine._sync.engine import Engine
from kbn_saved_objects.engine.requests import Request
from kbn_saved_objects.errors import EngineUnavailableError, TooManyRequestsError
from kbn_saved_objects.repository.config import RepositoryConfig
from kbn_saved_objects.repository.context import (
    DocumentMigration,
    NoMigration,
    RepositoryContext,
)
from kbn_saved_objects.repository.helpers.namespaces import current_namespace
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.repository.operations import create as create_op
from kbn_saved_objects.repository.operations import get as get_op
from kbn_saved_objects.repository.setup import ensure_indices
from kbn_saved_objects.serialization import SavedObject
from kbn_saved_objects.types import SavedObjectTypeRegistry

T = TypeVar("T")

_RETRYABLE = (EngineUnavailableError, TooManyRequestsError)


def is_idempotent(request: Request) -> bool:
    if request.method in ("GET", "HEAD"):
        return True
    return request.method == "POST" and request.path.endswith(("/_search", "/_mget", "/_count"))


class SavedObjectsRepository:
    """Create, read, update, delete and query saved objects in one engine.

    Build it from an engine and a *frozen* type registry. ``namespace`` scopes the
    repository: every call without an explicit namespace runs there, and a call that
    names another namespace is refused.
    """

    def __init__(
        self,
        engine: Engine,
        registry: SavedObjectTypeRegistry,
        *,
        config: RepositoryConfig | None = None,
        migration: DocumentMigration | None = None,
        include_hidden_types: frozenset[str] | set[str] = frozenset(),
        namespace: str | None = None,
    ) -> None:
        self.engine = engine
        self.context = RepositoryContext(
            registry,
            config or RepositoryConfig(),
            engine.info,
            migration or NoMigration(),
            frozenset(include_hidden_types),
            namespace,
        )

    @classmethod
    def _from_context(cls, engine: Engine, context: RepositoryContext) -> SavedObjectsRepository:
        repository = cls.__new__(cls)
        repository.engine = engine
        repository.context = context
        return repository

    def as_scoped_to_namespace(self, namespace: str | None) -> SavedObjectsRepository:
        """The same repository, acting in ``namespace`` by default."""
        return self._from_context(self.engine, self.context.scoped_to(namespace))

    def get_current_namespace(self, namespace: str | None = None) -> str | None:
        """The namespace id a call with ``namespace`` would act in (``None``: default)."""
        return current_namespace(self.context.namespace_option(namespace))

    def _perform(self, request: Request) -> Any:
        attempts = 1 + (self.context.config.max_retries if is_idempotent(request) else 0)
        delay = 0.1
        for attempt in range(attempts):
            try:
                return self.engine.perform(request)
            except _RETRYABLE:
                if attempt + 1 >= attempts:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 2.0)
        raise AssertionError("unreachable")

    def _run(self, operation: Operation[T]) -> T:
        """Drive an operation: send each request it yields, feed the answer back."""
        try:
            request = next(operation)
            while True:
                try:
                    answer = self._perform(request)
                except Exception as exc:
                    request = operation.throw(exc)
                else:
                    request = operation.send(answer)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]

    def setup_indices(self) -> dict[str, str]:
        """Create the registry's indices if missing, or add new fields to their mappings.

        Returns ``{alias: "created" | "updated"}``. Upgrades that change documents or
        incompatible mappings need the index migrator instead.
        """
        return self._run(ensure_indices(self.context))

    # --- single objects ------------------------------------------------------------

    def create(
        self, type: str, attributes: Any, **options: Unpack[create_op.CreateOptions]
    ) -> SavedObject[Any]:
        """Create an object (or overwrite one with ``overwrite=True``)."""
        return self._run(create_op.create(self.context, type, attributes, options))

    def get(self, type: str, id: str, **options: Unpack[get_op.GetOptions]) -> SavedObject[Any]:
        """Read one object; not found (anywhere it is not visible) raises NotFoundError."""
        return self._run(get_op.get(self.context, type, id, options))

    # --- bulk create, check_conflicts, bulk_get (group A) ----------------------------

    # --- update, delete, counters, references (group B) ------------------------------
