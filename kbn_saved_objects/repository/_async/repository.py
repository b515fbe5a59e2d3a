"""The saved-objects repository: a thin dispatcher that drives operation generators.

Each public method hands its arguments to the operation module that holds the logic
(``repository/operations/<name>.py``) and drives the generator it returns against the
engine: requests go out, answers (or typed errors) come back in. Idempotent reads are
retried with backoff when the engine is unavailable or pushes back (429); writes never
are, since a write that timed out may still have landed.

This module is the async source; ``repository/_sync/repository.py`` is generated from it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, Unpack

from kbn_saved_objects._tasks import AsyncTasks
from kbn_saved_objects.engine._async.engine import AsyncEngine
from kbn_saved_objects.engine.requests import Request
from kbn_saved_objects.errors import EngineUnavailableError, TooManyRequestsError
from kbn_saved_objects.migrations import DocumentMigrator
from kbn_saved_objects.repository._async.point_in_time_finder import AsyncPointInTimeFinder
from kbn_saved_objects.repository.config import RepositoryConfig
from kbn_saved_objects.repository.context import (
    DocumentMigration,
    MigratorHooks,
    RepositoryContext,
)
from kbn_saved_objects.repository.extensions import RepositoryExtensions
from kbn_saved_objects.repository.helpers.extensions import active_namespace
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.repository.operations import bulk_create as bulk_create_op
from kbn_saved_objects.repository.operations import bulk_delete as bulk_delete_op
from kbn_saved_objects.repository.operations import bulk_get as bulk_get_op
from kbn_saved_objects.repository.operations import bulk_update as bulk_update_op
from kbn_saved_objects.repository.operations import change_access_control as access_control_op
from kbn_saved_objects.repository.operations import check_conflicts as check_conflicts_op
from kbn_saved_objects.repository.operations import (
    collect_multi_namespace_references as references_op,
)
from kbn_saved_objects.repository.operations import create as create_op
from kbn_saved_objects.repository.operations import delete as delete_op
from kbn_saved_objects.repository.operations import delete_by_namespace as delete_by_namespace_op
from kbn_saved_objects.repository.operations import disable_legacy_url_aliases as disable_aliases_op
from kbn_saved_objects.repository.operations import find as find_op
from kbn_saved_objects.repository.operations import get as get_op
from kbn_saved_objects.repository.operations import increment_counter as increment_counter_op
from kbn_saved_objects.repository.operations import point_in_time as pit_op
from kbn_saved_objects.repository.operations import remove_references_to as remove_references_op
from kbn_saved_objects.repository.operations import resolve as resolve_op
from kbn_saved_objects.repository.operations import search as search_op
from kbn_saved_objects.repository.operations import update as update_op
from kbn_saved_objects.repository.operations import update_objects_spaces as spaces_op
from kbn_saved_objects.repository.results import (
    BulkDeleteResponse,
    CheckConflictsResponse,
    CollectMultiNamespaceReferencesResponse,
    FindResponse,
    RemoveReferencesToResponse,
    ResolveResponse,
    SavedObjectsBulkResolveResponse,
    SavedObjectsBulkResponse,
    UpdateObjectsSpacesResponse,
)
from kbn_saved_objects.repository.setup import ensure_indices
from kbn_saved_objects.serialization import SavedObject
from kbn_saved_objects.types import SavedObjectTypeRegistry

T = TypeVar("T")

_RETRYABLE = (EngineUnavailableError, TooManyRequestsError)


def is_idempotent(request: Request) -> bool:
    if request.method in ("GET", "HEAD"):
        return True
    return request.method == "POST" and request.path.endswith(("/_search", "/_mget", "/_count"))


@dataclass(frozen=True, slots=True)
class _Answer:
    value: Any


@dataclass(frozen=True, slots=True)
class _Failure:
    error: Exception


_Outcome = _Answer | _Failure


class AsyncSavedObjectsRepository:
    """Create, read, update, delete and query saved objects in one engine.

    Build it from an engine and a *frozen* type registry. ``namespace`` scopes the
    repository: every call without an explicit namespace runs there, and a call that
    names another namespace is refused. ``extensions`` are the security, encryption and
    spaces hooks its operations call (none: the caller is trusted, as Kibana's internal
    repository trusts it).
    """

    def __init__(
        self,
        engine: AsyncEngine,
        registry: SavedObjectTypeRegistry,
        *,
        config: RepositoryConfig | None = None,
        migration: DocumentMigration | None = None,
        include_hidden_types: frozenset[str] | set[str] = frozenset(),
        namespace: str | None = None,
        extensions: RepositoryExtensions | None = None,
    ) -> None:
        self.engine = engine
        self.context = RepositoryContext(
            registry,
            config or RepositoryConfig(),
            engine.info,
            migration or MigratorHooks(DocumentMigrator(registry)),
            frozenset(include_hidden_types),
            namespace,
            extensions or RepositoryExtensions(),
        )

    @classmethod
    def _from_context(
        cls, engine: AsyncEngine, context: RepositoryContext
    ) -> AsyncSavedObjectsRepository:
        repository = cls.__new__(cls)
        repository.engine = engine
        repository.context = context
        return repository

    def as_scoped_to_namespace(self, namespace: str | None) -> AsyncSavedObjectsRepository:
        """The same repository, acting in ``namespace`` by default.

        A repository that is already scoped can only be scoped to its own namespace again
        (``BadRequestError`` otherwise): whoever holds a scoped repository cannot widen or
        move its scope, so handing one to code is a promise about where that code acts."""
        refusal = self.context.scope_error([namespace], "as_scoped_to_namespace")
        if refusal is not None:
            raise refusal
        return self._from_context(self.engine, self.context.scoped_to(namespace))

    def get_current_namespace(self, namespace: str | None = None) -> str | None:
        """The namespace id a call with ``namespace`` would act in (``None``: default);
        with a spaces extension, the request's space."""
        return active_namespace(self.context, namespace)

    async def _perform(self, request: Request) -> Any:
        attempts = 1 + (self.context.config.max_retries if is_idempotent(request) else 0)
        delay = 0.1
        for attempt in range(attempts):
            try:
                return await self.engine.perform(request)
            except _RETRYABLE:
                if attempt + 1 >= attempts:
                    raise
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
        raise AssertionError("unreachable")

    async def _run(self, operation: Operation[T]) -> T:
        """Drive an operation: send each request it yields, feed the answer back."""
        try:
            request = next(operation)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        return await self._resume(operation, await self._outcome(request))

    async def _outcome(self, request: Request) -> _Outcome:
        try:
            return _Answer(await self._perform(request))
        except Exception as exc:
            return _Failure(exc)

    async def _resume(self, operation: Operation[T], outcome: _Outcome) -> T:
        """Feed the outcome of the operation's last request in and drive it to its end."""
        try:
            while True:
                if isinstance(outcome, _Answer):
                    request = operation.send(outcome.value)
                else:
                    request = operation.throw(outcome.error)
                outcome = await self._outcome(request)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]

    async def _run_overlapped(self, operations: Iterable[Operation[T]]) -> AsyncIterator[T]:
        """Drive ``operations`` in order, their results in order, and the engine busy while
        Python works: each operation is prepared (up to its first request) while the
        engine answers the previous one's request, and finished while the engine answers
        the next one's. One request is in flight at a time, so writes land in order; any
        further request of an operation is sent while the next one's is in flight. A
        failed request is handed to its operation before the next request goes out: when
        the error ends the run, nothing after it was sent."""
        async with AsyncTasks() as tasks:
            pending: tuple[Operation[T], Any] | None = None  # an operation, its request
            for operation in operations:
                try:
                    request = next(operation)
                except StopIteration as stop:  # nothing to send: its result is ready
                    if pending is not None:
                        yield await self._resume(pending[0], await tasks.result(pending[1]))
                    pending = None
                    yield stop.value
                    continue
                if pending is None:
                    pending = (operation, await tasks.start(self._outcome, request))
                    continue
                previous, outcome = pending[0], await tasks.result(pending[1])
                if isinstance(outcome, _Failure):  # handled (or raised) before sending more
                    done = await self._resume(previous, outcome)
                    pending = (operation, await tasks.start(self._outcome, request))
                else:
                    pending = (operation, await tasks.start(self._outcome, request))
                    done = await self._resume(previous, outcome)
                yield done
            if pending is not None:
                yield await self._resume(pending[0], await tasks.result(pending[1]))

    async def setup_indices(self) -> dict[str, str]:
        """Create the registry's indices if missing, or add new fields to their mappings.

        Returns ``{alias: "created" | "updated"}``. Upgrades that change documents or
        incompatible mappings need the index migrator instead.
        """
        return await self._run(ensure_indices(self.context))

    # --- single objects ------------------------------------------------------------

    async def create(
        self, type: str, attributes: Any, **options: Unpack[create_op.CreateOptions]
    ) -> SavedObject[Any]:
        """Create an object (or overwrite one with ``overwrite=True``)."""
        return await self._run(create_op.create(self.context, type, attributes, options))

    async def get(
        self, type: str, id: str, **options: Unpack[get_op.GetOptions]
    ) -> SavedObject[Any]:
        """Read one object; not found (anywhere it is not visible) raises NotFoundError."""
        return await self._run(get_op.get(self.context, type, id, options))

    async def resolve(
        self, type: str, id: str, **options: Unpack[resolve_op.ResolveOptions]
    ) -> ResolveResponse:
        """Read one object by an id that may be a legacy one: the exact object, or the
        target of an enabled legacy URL alias of that id in the namespace
        (``outcome``: ``exactMatch``, ``aliasMatch`` or ``conflict``). Neither raises
        NotFoundError; the alias counts the resolve."""
        return await self._run(resolve_op.resolve(self.context, type, id, options))

    async def bulk_resolve(
        self,
        objects: Sequence[resolve_op.BulkResolveObject],
        **options: Unpack[resolve_op.ResolveOptions],
    ) -> SavedObjectsBulkResolveResponse:
        """:meth:`resolve` for many objects in two requests; errors are per object."""
        return await self._run(resolve_op.bulk_resolve(self.context, objects, options))

    # --- find and point-in-time -----------------------------------------------------

    async def find(self, **options: Unpack[find_op.FindOptions]) -> FindResponse:
        """One page of the objects matching ``options`` (type, namespaces, search, KQL
        ``filter``, references, sorting, aggregations, point-in-time paging)."""
        return await self._run(find_op.find(self.context, options))

    async def search(
        self,
        type: str | Sequence[str],
        body: Mapping[str, Any],
        *,
        namespaces: Sequence[str] | None = None,
        **options: Unpack[search_op.SearchOptions],
    ) -> dict[str, Any]:
        """The engine's own search ``body`` (query DSL, aggregations, runtime fields,
        collapse, highlight, point-in-time...) over the objects of ``type`` in
        ``namespaces`` (default: the repository's namespace). The answer is the engine's,
        with each whole-object hit migrated; nothing outside the types and spaces asked
        for can match, whatever the body says (see docs/find.md)."""
        return await self._run(search_op.search(self.context, type, namespaces, body, options))

    async def _find_hits(self, options: find_op.FindOptions) -> find_op.FoundHits:
        """``find``'s search alone, for the point-in-time finder: it reads the hits
        itself, after it has asked for the next page."""
        return await self._run(find_op.find_hits(self.context, options))

    async def open_point_in_time_for_type(
        self, type: str | Sequence[str], **options: Unpack[pit_op.OpenPointInTimeOptions]
    ) -> str:
        """Open a point-in-time over the indices of ``type``; returns its id."""
        return await self._run(pit_op.open_point_in_time_for_type(self.context, type, options))

    async def close_point_in_time(self, id: str) -> dict[str, Any]:
        return await self._run(pit_op.close_point_in_time(self.context, id))

    def create_point_in_time_finder(
        self, *, keep_alive: str = "2m", **options: Unpack[find_op.FindOptions]
    ) -> AsyncPointInTimeFinder:
        """A finder that pages through every match (``per_page`` defaults to 1000)."""
        return AsyncPointInTimeFinder(self, options, keep_alive=keep_alive)

    # --- bulk create, check_conflicts, bulk_get (group A) ----------------------------

    async def bulk_create(
        self,
        objects: Sequence[bulk_create_op.BulkCreateObject],
        **options: Unpack[bulk_create_op.BulkCreateOptions],
    ) -> SavedObjectsBulkResponse[Any]:
        """Create (or overwrite) many objects with one ``_bulk`` call; per-object errors
        come back as entries with ``error`` set, in input order."""
        return await self._run(bulk_create_op.bulk_create(self.context, objects, options))

    def bulk_create_batches(
        self,
        batches: Iterable[Sequence[bulk_create_op.BulkCreateObject]],
        **options: Unpack[bulk_create_op.BulkCreateOptions],
    ) -> AsyncIterator[SavedObjectsBulkResponse[Any]]:
        """:meth:`bulk_create` for each batch, one response per batch, in order, written
        one after the other -- but each batch is prepared (migrated, serialized) while the
        engine writes the one before, and its results built while the engine writes the
        next, so long runs of batches (an import) keep both busy. ``batches`` may be lazy."""
        operations = (bulk_create_op.bulk_create(self.context, b, options) for b in batches)
        return self._run_overlapped(operations)

    async def check_conflicts(
        self,
        objects: Sequence[check_conflicts_op.CheckConflictsObject],
        **options: Unpack[check_conflicts_op.CheckConflictsOptions],
    ) -> CheckConflictsResponse:
        """Which objects a create in this namespace would collide with (409 entries)."""
        return await self._run(check_conflicts_op.check_conflicts(self.context, objects, options))

    def check_conflicts_batches(
        self,
        batches: Iterable[Sequence[check_conflicts_op.CheckConflictsObject]],
        **options: Unpack[check_conflicts_op.CheckConflictsOptions],
    ) -> AsyncIterator[CheckConflictsResponse]:
        """:meth:`check_conflicts` for each batch, one response per batch, in order, each
        batch's lookup prepared and its answer read while the engine looks up the next
        (as :meth:`bulk_create_batches` does for writes)."""
        operations = (check_conflicts_op.check_conflicts(self.context, b, options) for b in batches)
        return self._run_overlapped(operations)

    async def bulk_get(
        self,
        objects: Sequence[bulk_get_op.BulkGetObject],
        **options: Unpack[bulk_get_op.BulkGetOptions],
    ) -> SavedObjectsBulkResponse[Any]:
        """Read many objects with one ``_mget``; what is not visible is a 404 entry."""
        return await self._run(bulk_get_op.bulk_get(self.context, objects, options))

    # --- update, delete, counters, references (group B) ------------------------------

    async def update(
        self, type: str, id: str, attributes: Any, **options: Unpack[update_op.UpdateOptions]
    ) -> SavedObject[Any]:
        """Merge ``attributes`` into an object (compare-and-set; retried on a lost race
        unless ``version`` is given), or create it from ``upsert``."""
        return await self._run(update_op.update(self.context, type, id, attributes, options))

    async def bulk_update(
        self,
        objects: Sequence[bulk_update_op.BulkUpdateObject],
        **options: Unpack[bulk_update_op.BulkUpdateOptions],
    ) -> SavedObjectsBulkResponse[Any]:
        """Update many objects; every write is compare-and-set, failures are per object."""
        return await self._run(bulk_update_op.bulk_update(self.context, objects, options))

    async def delete(self, type: str, id: str, **options: Unpack[delete_op.DeleteOptions]) -> None:
        """Delete an object; one shared to several spaces needs ``force=True``."""
        await self._run(delete_op.delete(self.context, type, id, options))

    async def bulk_delete(
        self,
        objects: Sequence[bulk_delete_op.BulkDeleteObject],
        **options: Unpack[bulk_delete_op.BulkDeleteOptions],
    ) -> BulkDeleteResponse:
        """Delete many objects; one status per object, in input order."""
        return await self._run(bulk_delete_op.bulk_delete(self.context, objects, options))

    async def delete_by_namespace(
        self, namespace: str, **options: Unpack[delete_by_namespace_op.DeleteByNamespaceOptions]
    ) -> dict[str, Any]:
        """Remove a space's objects (for deleting the space); returns the engine's
        update-by-query answer. ``"default"`` and ``"*"`` are refused."""
        return await self._run(
            delete_by_namespace_op.delete_by_namespace(self.context, namespace, options)
        )

    async def increment_counter(
        self,
        type: str,
        id: str,
        counter_fields: Sequence[str | increment_counter_op.CounterField | dict[str, Any]],
        **options: Unpack[increment_counter_op.IncrementCounterOptions],
    ) -> SavedObject[Any]:
        """Atomically add to numeric attributes, creating the object if needed."""
        return await self._run(
            increment_counter_op.increment_counter(self.context, type, id, counter_fields, options)
        )

    async def remove_references_to(
        self, type: str, id: str, **options: Unpack[remove_references_op.RemoveReferencesToOptions]
    ) -> RemoveReferencesToResponse:
        """Remove every reference to ``type``/``id`` held by objects of the namespace."""
        return await self._run(
            remove_references_op.remove_references_to(self.context, type, id, options)
        )

    # --- sharing across spaces -------------------------------------------------------

    async def update_objects_spaces(
        self,
        objects: Sequence[spaces_op.UpdateObjectsSpacesObject],
        spaces_to_add: Sequence[str],
        spaces_to_remove: Sequence[str],
        **options: Unpack[spaces_op.UpdateObjectsSpacesOptions],
    ) -> UpdateObjectsSpacesResponse:
        """Share objects of ``multiple`` types to ``spaces_to_add`` and unshare them from
        ``spaces_to_remove`` (compare-and-set per object; one left in no space is
        deleted, and the legacy URL aliases of the spaces it leaves go with it)."""
        return await self._run(
            spaces_op.update_objects_spaces(
                self.context, objects, spaces_to_add, spaces_to_remove, options
            )
        )

    async def collect_multi_namespace_references(
        self,
        objects: Sequence[references_op.CollectMultiNamespaceReferencesObject],
        **options: Unpack[references_op.CollectMultiNamespaceReferencesOptions],
    ) -> CollectMultiNamespaceReferencesResponse:
        """The objects and, transitively, the multi-namespace objects they reference, each
        with its spaces, who references it, and the spaces where sharing it would meet a
        legacy URL alias or a copy of it: what a user needs to see before sharing."""
        return await self._run(
            references_op.collect_multi_namespace_references(self.context, objects, options)
        )

    async def disable_legacy_url_aliases(
        self, aliases: Sequence[disable_aliases_op.LegacyUrlAliasTarget]
    ) -> SavedObjectsBulkResponse[Any]:
        """Disable legacy URL aliases (``{target_space, target_type, source_id}``): resolve,
        the create preflight and collect_multi_namespace_references then ignore them."""
        return await self._run(disable_aliases_op.disable_legacy_url_aliases(self.context, aliases))

    # --- object access control -------------------------------------------------------

    async def change_ownership(
        self,
        objects: Sequence[access_control_op.ChangeAccessControlObject],
        **options: Unpack[access_control_op.ChangeOwnershipOptions],
    ) -> access_control_op.ChangeAccessControlResponse:
        """Make ``new_owner_profile_uid`` the owner of each object (types that support
        access control only). Needs a security extension: it decides who may (owners
        with ``update``, anyone else with ``manage_access_control``)."""
        return await self._run(access_control_op.change_ownership(self.context, objects, options))

    async def change_access_mode(
        self,
        objects: Sequence[access_control_op.ChangeAccessControlObject],
        **options: Unpack[access_control_op.ChangeAccessModeOptions],
    ) -> access_control_op.ChangeAccessControlResponse:
        """Set each object's access mode (``default`` or ``write_restricted``, where only
        the owner or holders of ``manage_access_control`` may change it); needs a security
        extension."""
        return await self._run(access_control_op.change_access_mode(self.context, objects, options))
