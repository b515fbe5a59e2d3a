"""Run the state machine against an engine: one migrator per index of the registry.

The loop is Kibana's: apply the state's retry delay, run its action, feed the result to the
pure model, log the transition, until ``DONE`` or ``FATAL``. Actions are generators of
requests (:mod:`.actions`), so the sync and the async loops below are the only code that
exists twice; both are a dozen lines.

Public API::

    report = migrate(engine, registry, config=RepositoryConfig(index_suffix="_1.2.0"))
    report = await migrate_async(async_engine, registry, config=...)
    report = check(engine, registry, config=...)   # read-only: what a migration would do
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Hashable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Literal

from kbn_saved_objects._gc import paused_gc
from kbn_saved_objects.engine import AsyncEngine, Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine.flavors import EngineInfo
from kbn_saved_objects.errors import SavedObjectsError, UnclassifiedError
from kbn_saved_objects.mappings import EngineCapabilities, build_index_mappings
from kbn_saved_objects.migrations.document import DocumentMigrator, outdated_documents_clause
from kbn_saved_objects.migrations.index import actions, readahead
from kbn_saved_objects.migrations.index.exclude_hooks import run_hooks, run_hooks_async
from kbn_saved_objects.migrations.index.model import diff_mappings, model
from kbn_saved_objects.migrations.index.readahead import Prefetched
from kbn_saved_objects.migrations.index.state import (
    TERMINAL,
    ControlState,
    Left,
    MigrationKind,
    Result,
    State,
)
from kbn_saved_objects.repository.config import RepositoryConfig
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.types import SavedObjectTypeRegistry
from kbn_saved_objects.types._semver import parse_semver

logger = logging.getLogger("kbn_saved_objects.migrations.index")

Step = rq.Request | actions.Concurrently | actions.ExcludeHooks
Transition = Callable[[State, State, float], None]
"""Called after every step with (old state, new state, milliseconds the step took)."""


class MigrationFailedError(UnclassifiedError):
    """At least one index could not be migrated; ``report`` says which and why."""

    def __init__(self, report: MigrationReport) -> None:
        failed = [r for r in report.results if r.status == "failed"]
        super().__init__(
            "; ".join(
                f"Unable to complete saved object migrations for the [{r.prefix}] index: {r.reason}"
                for r in failed
            )
        )
        self.report = report


@dataclass(frozen=True)
class MigrationOptions:
    """Kibana's ``migrations.*`` settings that this port honours.

    ``version`` names the target (``<prefix>_<version>_001``, alias ``<prefix>_<version>``);
    by default it is read from ``RepositoryConfig.index_suffix`` (``"_1.2.0"``), then from the
    registry's ``stack_version``. The discard flags are booleans, not Kibana's version
    strings: a CLI run is already a one-off decision for one version.
    """

    version: str | None = None
    batch_size: int = 1000
    max_batch_bytes: int = 100 * 1024 * 1024
    max_read_batch_bytes: int = 512 * 1024 * 1024
    retry_attempts: int = 15
    retry_base_delay: float = 1.0
    discard_unknown_objects: bool = False
    discard_corrupt_objects: bool = False
    server_side_copy: bool = True
    """Copy with a sliced ``_reindex`` when no document of the source needs a transform."""
    write_concurrency: int = 2
    """Bulk requests sent at once for one batch (each is indexed on its own write thread)."""
    pause_gc: bool = False
    """Pause Python's cyclic garbage collector during the run (process-wide, so opt-in:
    ``kbn-so migrate`` does it); about a quarter less Python time per document."""


@dataclass(frozen=True)
class IndexMigrationResult:
    prefix: str
    status: Literal["migrated", "patched", "failed"]
    kind: MigrationKind | None
    source_index: str | None
    dest_index: str
    elapsed_ms: int
    processed: int = 0
    written: int = 0
    discarded: int = 0
    reason: str | None = None
    unknown_documents: tuple[tuple[str, str], ...] = ()
    corrupt_ids: tuple[str, ...] = ()
    transform_errors: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.prefix,
            "status": self.status,
            "kind": self.kind,
            "sourceIndex": self.source_index,
            "destIndex": self.dest_index,
            "elapsedMs": self.elapsed_ms,
            "processed": self.processed,
            "written": self.written,
            "discarded": self.discarded,
            "reason": self.reason,
            "unknownDocuments": [list(d) for d in self.unknown_documents],
            "corruptIds": list(self.corrupt_ids),
            "transformErrors": [list(e) for e in self.transform_errors],
        }


@dataclass(frozen=True)
class MigrationReport:
    results: tuple[IndexMigrationResult, ...]
    elapsed_ms: int

    @property
    def ok(self) -> bool:
        return all(r.status != "failed" for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "elapsedMs": self.elapsed_ms,
            "indices": [r.to_dict() for r in self.results],
        }


# -- setting up -------------------------------------------------------------------------------


def resolve_version(
    registry: SavedObjectTypeRegistry, config: RepositoryConfig, options: MigrationOptions
) -> str:
    candidates = [options.version, config.index_suffix.lstrip("_") or None, registry.stack_version]
    for candidate in candidates:
        if candidate:
            if parse_semver(candidate) is None:
                raise ValueError(f"migration version {candidate!r} is not X.Y.Z")
            return candidate
    raise ValueError(
        "no migration version: pass MigrationOptions(version=...), set "
        "RepositoryConfig.index_suffix to '_<version>' or give the registry a stack_version"
    )


def outdated_query_for(migrator: DocumentMigrator, type_names: Iterable[str]) -> dict[str, Any]:
    """The outdated-documents query restricted to one index's types.

    A type without any transform never makes a document outdated; with no such type at all
    the query is ``match_none`` (an empty ``bool.should`` would match every document).
    """
    type_versions = migrator.migration_versions(include_deferred=False)
    core_versions = migrator.migration_versions(include_deferred=False, kind="core")
    clauses = [
        outdated_documents_clause(
            name, type_version=type_versions.get(name), core_version=core_versions.get(name)
        )
        for name in type_names
        if name in type_versions or name in core_versions
    ]
    return {"bool": {"should": clauses}} if clauses else {"match_none": {}}


def initial_states(
    info: EngineInfo,
    registry: SavedObjectTypeRegistry,
    config: RepositoryConfig,
    options: MigrationOptions,
    migrator: DocumentMigrator,
) -> list[State]:
    version = resolve_version(registry, config, options)
    capabilities = EngineCapabilities(supports_version_field=info.supports_version_field)
    all_mappings = build_index_mappings(
        registry, capabilities=capabilities, main_index=config.default_index
    )
    known = tuple(sorted(t.name for t in registry.get_all_types()))
    states = []
    for prefix, mappings in all_mappings.items():
        config.check_index_name(prefix)
        type_names = tuple(sorted(mappings["_meta"]["mappingVersions"]))
        states.append(
            State(
                control_state=ControlState.INIT,
                prefix=prefix,
                version=version,
                target_mappings=mappings,
                index_type_names=type_names,
                known_type_names=known,
                removed_type_names=tuple(registry.get_legacy_types()),
                outdated_query=outdated_query_for(migrator, type_names),
                batch_size=options.batch_size,
                max_batch_size=options.batch_size,
                max_batch_bytes=options.max_batch_bytes,
                max_read_batch_bytes=options.max_read_batch_bytes,
                retry_attempts=options.retry_attempts,
                retry_base_delay=options.retry_base_delay,
                discard_unknown_objects=options.discard_unknown_objects,
                discard_corrupt_objects=options.discard_corrupt_objects,
                server_side_copy=options.server_side_copy,
                write_concurrency=max(1, options.write_concurrency),
            )
        )
    return states


# -- logging and results ------------------------------------------------------------------------


def log_transition(old: State, new: State, took_ms: float) -> None:
    """``[<prefix>] OLD -> NEW. took: Nms.`` plus the step's own messages; structured data
    rides in ``extra["kbn_migration"]`` for JSON log handlers."""
    for entry in new.logs:
        getattr(logger, entry.level)(
            f"[{new.prefix}] {entry.message}",
            extra={"kbn_migration": {"index": new.prefix, "event": "message"}},
        )
    logger.info(
        f"[{new.prefix}] {old.control_state} -> {new.control_state}. took: {took_ms:.0f}ms.",
        extra={
            "kbn_migration": {
                "index": new.prefix,
                "event": "transition",
                "from": str(old.control_state),
                "to": str(new.control_state),
                "tookMs": round(took_ms),
                "state": new.redacted(),
            }
        },
    )


def _result(state: State, elapsed_ms: int) -> IndexMigrationResult:
    if state.control_state == ControlState.DONE:
        status: Literal["migrated", "patched", "failed"] = (
            "migrated" if state.kind == "reindex" else "patched"
        )
    else:
        status = "failed"
    return IndexMigrationResult(
        prefix=state.prefix,
        status=status,
        kind=state.kind,
        source_index=state.source_index,
        dest_index=state.target_index,
        elapsed_ms=elapsed_ms,
        processed=state.processed,
        written=state.written,
        discarded=state.discarded_count,
        reason=state.reason,
        unknown_documents=state.unknown_docs,
        corrupt_ids=state.corrupt_ids,
        transform_errors=state.transform_errors,
    )


def _crash(state: State, error: BaseException) -> State:
    """An unexpected exception ends the run like FATAL, with the error as the reason."""
    if isinstance(error, SavedObjectsError):
        reason = (
            "Please check the health of your cluster and try again. Unexpected engine error: "
            f"{error.message} (status {error.metadata.get('engine_status')}, "
            f"type {error.metadata.get('engine_error_type')}) in {state.control_state}"
        )
    else:
        reason = f"{type(error).__name__}: {error} in {state.control_state}"
    return state.evolve(control_state=ControlState.FATAL, reason=reason, logs=())


def _to_result(error: SavedObjectsError) -> Result:
    if actions.is_retryable(error):
        return Left("retryable_es_client_error", {"message": error.message})
    raise error


# -- sync ---------------------------------------------------------------------------------------


def _perform(engine: Engine, ctx: actions.Context, pool: ThreadPoolExecutor, request: Step) -> Any:
    if isinstance(request, actions.ExcludeHooks):
        return run_hooks(engine, ctx.registry, request.index, request.types)
    if not isinstance(request, actions.Concurrently):
        return engine.perform(request)
    first, *rest = request.requests
    futures = [pool.submit(engine.perform, other) for other in rest]
    try:
        head = engine.perform(first)
    finally:
        wait(futures)  # every request has its answer before the action hears of a failure
    return [head, *(future.result() for future in futures)]


def _drive(
    engine: Engine, ctx: actions.Context, operation: actions.Action, pool: ThreadPoolExecutor
) -> Result:
    try:
        request = next(operation)
        while True:
            try:
                answer = _perform(engine, ctx, pool, request)
            except SavedObjectsError as error:
                request = operation.throw(error)
            else:
                request = operation.send(answer)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    except SavedObjectsError as error:
        return _to_result(error)


def _run_local(ctx: actions.Context, state: State) -> Result:
    """An action that sends no request (a transform), run to its result."""
    operation = actions.next_action(ctx, state)
    try:
        request = next(operation)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    raise RuntimeError(f"{state.control_state} unexpectedly sent {request}")


def _prefetch(
    engine: Engine, ctx: actions.Context, read_state: State, pool: ThreadPoolExecutor
) -> Prefetched:
    read = _drive(engine, ctx, actions.next_action(ctx, read_state), pool)
    follow = readahead.transform_state(read_state, read)
    if follow is None:
        return Prefetched(readahead.read_key(read_state), read)
    return Prefetched(readahead.read_key(read_state), read, follow.hits, _run_local(ctx, follow))


def run_state_machine(
    engine: Engine, ctx: actions.Context, state: State, on_transition: Transition | None = None
) -> IndexMigrationResult:
    started = time.monotonic()
    # One worker: the read (and transform) of the next page while this one is written.
    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="kbn-so-readahead") as pool,
        ThreadPoolExecutor(
            max_workers=max(1, state.write_concurrency - 1), thread_name_prefix="kbn-so-bulk"
        ) as writers,
    ):
        ahead: tuple[Hashable, Future[Prefetched]] | None = None
        page: Prefetched | None = None
        while state.control_state not in TERMINAL:
            if state.retry_delay > 0:
                time.sleep(state.retry_delay)
            step = time.monotonic()
            try:
                result: Result | None = None
                if state.control_state in readahead.READ_STATES and ahead is not None:
                    key, future = ahead
                    ahead, page = None, None
                    if key == readahead.read_key(state):
                        page = future.result()
                        result = page.read
                elif state.control_state in readahead.TRANSFORM_STATES and page is not None:
                    result = page.transform_for(state)
                    page = None
                if result is None:
                    result = _drive(engine, ctx, actions.next_action(ctx, state), writers)
                new = model(state, result)
            except Exception as error:
                new = _crash(state, error)
            took = (time.monotonic() - step) * 1000
            log_transition(state, new, took)
            if on_transition is not None:
                on_transition(state, new, took)
            state = new
            read_state = readahead.next_read(state)
            if read_state is not None and ahead is None:
                ahead = (
                    readahead.read_key(read_state),
                    pool.submit(_prefetch, engine, ctx, read_state, writers),
                )
    if state.pit_id:
        with contextlib.suppress(Exception):  # best effort: the PIT expires anyway
            _drive(engine, ctx, actions.close_pit(state, ctx), writers)
    return _finish(state, started)


def _finish(state: State, started: float) -> IndexMigrationResult:
    elapsed = round((time.monotonic() - started) * 1000)
    if state.control_state == ControlState.FATAL:
        logger.error(
            f"[{state.prefix}] Unable to complete saved object migrations for the "
            f"[{state.prefix}] index: {state.reason}",
            extra={"kbn_migration": {"index": state.prefix, "event": "fatal"}},
        )
    else:
        logger.info(
            f"[{state.prefix}] Migration completed after {elapsed}ms",
            extra={"kbn_migration": {"index": state.prefix, "event": "done", "tookMs": elapsed}},
        )
    return _result(state, elapsed)


def migrate(
    engine: Engine,
    registry: SavedObjectTypeRegistry,
    *,
    config: RepositoryConfig | None = None,
    options: MigrationOptions | None = None,
    on_transition: Transition | None = None,
    raise_on_failure: bool = True,
) -> MigrationReport:
    """Migrate every index of ``registry`` (one after the other); see the module doc."""
    config = config or RepositoryConfig()
    options = options or MigrationOptions()
    migrator = DocumentMigrator(registry, logger=logger)
    ctx = actions.Context(engine.info, registry, migrator)
    started = time.monotonic()
    with paused_gc(options.pause_gc):
        results = tuple(
            run_state_machine(engine, ctx, state, on_transition)
            for state in initial_states(engine.info, registry, config, options, migrator)
        )
    report = _report(results, started)
    if raise_on_failure and not report.ok:
        raise MigrationFailedError(report)
    return report


def _report(results: tuple[IndexMigrationResult, ...], started: float) -> MigrationReport:
    elapsed = round((time.monotonic() - started) * 1000)
    logger.info(
        f"Completed all migrations in {elapsed}ms",
        extra={"kbn_migration": {"event": "completed", "tookMs": elapsed}},
    )
    return MigrationReport(results, elapsed)


# -- async --------------------------------------------------------------------------------------


async def _perform_async(engine: AsyncEngine, ctx: actions.Context, request: Step) -> Any:
    if isinstance(request, actions.ExcludeHooks):
        return await run_hooks_async(engine, ctx.registry, request.index, request.types)
    if not isinstance(request, actions.Concurrently):
        return await engine.perform(request)
    outcomes = await asyncio.gather(
        *(engine.perform(r) for r in request.requests), return_exceptions=True
    )
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return outcomes


async def _drive_async(
    engine: AsyncEngine, ctx: actions.Context, operation: actions.Action
) -> Result:
    try:
        request = next(operation)
        while True:
            try:
                answer = await _perform_async(engine, ctx, request)
            except SavedObjectsError as error:
                request = operation.throw(error)
            else:
                request = operation.send(answer)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    except SavedObjectsError as error:
        return _to_result(error)


async def _prefetch_async(
    engine: AsyncEngine, ctx: actions.Context, read_state: State
) -> Prefetched:
    read = await _drive_async(engine, ctx, actions.next_action(ctx, read_state))
    follow = readahead.transform_state(read_state, read)
    if follow is None:
        return Prefetched(readahead.read_key(read_state), read)
    transformed = await asyncio.to_thread(_run_local, ctx, follow)
    return Prefetched(readahead.read_key(read_state), read, follow.hits, transformed)


async def run_state_machine_async(
    engine: AsyncEngine,
    ctx: actions.Context,
    state: State,
    on_transition: Transition | None = None,
) -> IndexMigrationResult:
    started = time.monotonic()
    ahead: tuple[Hashable, asyncio.Task[Prefetched]] | None = None
    page: Prefetched | None = None
    try:
        while state.control_state not in TERMINAL:
            if state.retry_delay > 0:
                await asyncio.sleep(state.retry_delay)
            step = time.monotonic()
            try:
                result: Result | None = None
                if state.control_state in readahead.READ_STATES and ahead is not None:
                    key, task = ahead
                    ahead, page = None, None
                    if key == readahead.read_key(state):
                        page = await task
                        result = page.read
                elif state.control_state in readahead.TRANSFORM_STATES:
                    result = page.transform_for(state) if page is not None else None
                    page = None
                    if result is None:
                        # CPU-bound document transforms run in a worker thread so that the
                        # other indices' migrators keep talking to the engine meanwhile.
                        result = await asyncio.to_thread(_run_local, ctx, state)
                if result is None:
                    result = await _drive_async(engine, ctx, actions.next_action(ctx, state))
                new = model(state, result)
            except Exception as error:
                new = _crash(state, error)
            took = (time.monotonic() - step) * 1000
            log_transition(state, new, took)
            if on_transition is not None:
                on_transition(state, new, took)
            state = new
            read_state = readahead.next_read(state)
            if read_state is not None and ahead is None:
                ahead = (
                    readahead.read_key(read_state),
                    asyncio.create_task(_prefetch_async(engine, ctx, read_state)),
                )
    finally:
        if ahead is not None:  # a guess the loop never used: let it finish, ignore it
            with contextlib.suppress(Exception):
                await ahead[1]
    if state.pit_id:
        with contextlib.suppress(Exception):  # best effort: the PIT expires anyway
            await _drive_async(engine, ctx, actions.close_pit(state, ctx))
    return _finish(state, started)


async def migrate_async(
    engine: AsyncEngine,
    registry: SavedObjectTypeRegistry,
    *,
    config: RepositoryConfig | None = None,
    options: MigrationOptions | None = None,
    on_transition: Transition | None = None,
    raise_on_failure: bool = True,
) -> MigrationReport:
    """:func:`migrate` with the indices migrated concurrently, as Kibana does."""
    config = config or RepositoryConfig()
    options = options or MigrationOptions()
    migrator = DocumentMigrator(registry, logger=logger)
    ctx = actions.Context(engine.info, registry, migrator)
    started = time.monotonic()
    states = initial_states(engine.info, registry, config, options, migrator)
    with paused_gc(options.pause_gc):
        results = tuple(
            await asyncio.gather(
                *(run_state_machine_async(engine, ctx, s, on_transition) for s in states)
            )
        )
    report = _report(results, started)
    if raise_on_failure and not report.ok:
        raise MigrationFailedError(report)
    return report


# -- read-only: check and status -----------------------------------------------------------------


@dataclass(frozen=True)
class IndexCheck:
    """What a migration of one index would do, found without writing anything."""

    prefix: str
    version: str
    current_index: str | None
    version_alias_done: bool
    mappings: str  # "missing" | "match" | "types_added" | "types_changed" | "incomplete"
    changed_types: tuple[str, ...] = ()
    outdated_documents: int = 0
    unknown_documents: tuple[tuple[str, str], ...] = ()
    write_blocked: bool = False
    documents: int = 0
    aliases: tuple[str, ...] = ()
    other_indices: tuple[str, ...] = field(default_factory=tuple)

    @property
    def up_to_date(self) -> bool:
        return (
            self.current_index is not None
            and self.version_alias_done
            and self.mappings == "match"
            and self.outdated_documents == 0
            and not self.unknown_documents
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.prefix,
            "version": self.version,
            "currentIndex": self.current_index,
            "versionAliasDone": self.version_alias_done,
            "mappings": self.mappings,
            "changedTypes": list(self.changed_types),
            "outdatedDocuments": self.outdated_documents,
            "unknownDocuments": [list(d) for d in self.unknown_documents],
            "writeBlocked": self.write_blocked,
            "documents": self.documents,
            "aliases": list(self.aliases),
            "otherIndices": list(self.other_indices),
            "upToDate": self.up_to_date,
        }


def _check_index(state: State) -> Operation[IndexCheck]:
    indices: Mapping[str, Any] = yield actions.get_indices([state.prefix, f"{state.prefix}_*"])
    current = None
    for name, body in (indices or {}).items():
        if state.prefix in ((body or {}).get("aliases") or {}):
            current = name
    others = tuple(sorted(name for name in indices or {} if name != current))
    if current is None:
        return IndexCheck(state.prefix, state.version, None, False, "missing", other_indices=others)
    body = indices[current]
    aliases = tuple(sorted(body.get("aliases") or {}))
    verdict, types = diff_mappings(body.get("mappings") or {}, state.target_mappings)
    outdated = yield rq.count(current, state.outdated_query)
    total = yield rq.count(current)
    unknown: Mapping[str, Any] = yield rq.search(
        actions.unknown_documents_query(state), index=current
    )
    docs = tuple(
        (hit["_id"], str(bucket["key"]))
        for bucket in unknown.get("aggregations", {}).get("typesAggregation", {}).get("buckets", [])
        for hit in bucket["docs"]["hits"]["hits"]
    )
    blocks = ((body.get("settings") or {}).get("index") or {}).get("blocks") or {}
    return IndexCheck(
        prefix=state.prefix,
        version=state.version,
        current_index=current,
        version_alias_done=state.version_alias in aliases,
        mappings=verdict,
        changed_types=types,
        outdated_documents=int(outdated["count"]),
        unknown_documents=docs,
        write_blocked=str(blocks.get("write")).lower() == "true",
        documents=int(total["count"]),
        aliases=aliases,
        other_indices=others,
    )


def check(
    engine: Engine,
    registry: SavedObjectTypeRegistry,
    *,
    config: RepositoryConfig | None = None,
    options: MigrationOptions | None = None,
) -> list[IndexCheck]:
    """Per index: is it up to date, and if not, why. Sends only reads."""
    config = config or RepositoryConfig()
    options = options or MigrationOptions()
    migrator = DocumentMigrator(registry, logger=logger)
    out = []
    for state in initial_states(engine.info, registry, config, options, migrator):
        operation = _check_index(state)
        try:
            request = next(operation)
            while True:
                request = operation.send(engine.perform(request))
        except StopIteration as stop:
            out.append(stop.value)
    return out


async def check_async(
    engine: AsyncEngine,
    registry: SavedObjectTypeRegistry,
    *,
    config: RepositoryConfig | None = None,
    options: MigrationOptions | None = None,
) -> list[IndexCheck]:
    config = config or RepositoryConfig()
    options = options or MigrationOptions()
    migrator = DocumentMigrator(registry, logger=logger)
    out = []
    for state in initial_states(engine.info, registry, config, options, migrator):
        operation = _check_index(state)
        try:
            request = next(operation)
            while True:
                request = operation.send(await engine.perform(request))
        except StopIteration as stop:
            out.append(stop.value)
    return out
