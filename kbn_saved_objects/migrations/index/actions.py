"""The engine actions, one per control state (Kibana's ``actions/`` and ``next.ts``).

Each action is an :data:`~kbn_saved_objects.repository.operation.Operation`: a generator
that yields :class:`~kbn_saved_objects.engine.requests.Request` values and receives the
answers, so its logic exists once and both the sync and the async runner drive it. Engine
errors are thrown into the generator; an action turns the *expected* ones into a
:class:`~.state.Left` for the model and lets the rest propagate (the runner then treats a
retryable one as ``retryable_es_client_error`` and anything else as a crash).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from typing import Any

from kbn_saved_objects.engine import flavors
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine.flavors import EngineInfo
from kbn_saved_objects.errors import InvalidRawDocumentError, SavedObjectsError
from kbn_saved_objects.migrations.document import DocumentMigrator
from kbn_saved_objects.migrations.index.model import (
    UNKNOWN_TYPE,
    diff_mappings,
    excluded_query,
    scope_filters,
)
from kbn_saved_objects.migrations.index.state import (
    BulkOp,
    ControlState,
    Left,
    Result,
    Right,
    State,
)
from kbn_saved_objects.serialization import doc_to_raw, raw_to_doc
from kbn_saved_objects.types import SavedObjectTypeRegistry

S = ControlState

PIT_KEEP_ALIVE = "10m"
ENGINE_TIMEOUT = "300s"
HEALTH_TIMEOUT = "60s"
# How long one poll of an engine task waits for it server-side: well below any client
# request timeout, so that a long task is a series of waits, not a failed request.
TASK_WAIT = "5s"
INDEX_SETTINGS: dict[str, Any] = {
    "number_of_shards": 1,
    "auto_expand_replicas": "0-1",
    "refresh_interval": "1s",
    "priority": 10,
    "mapping": {"total_fields": {"limit": 1500}},
}
_RETRYABLE_STATUS = frozenset({401, 403, 408, 410, 429, 503, 504})
# Item failures of a _bulk that a later attempt can fix (the answer is filtered to the
# errors, so they are told by type, not by status).
_RETRYABLE_ITEM_ERRORS = frozenset(
    {"es_rejected_execution_exception", "unavailable_shards_exception"}
)
INCOMPATIBLE_MAPPING = frozenset(
    {"illegal_argument_exception", "strict_dynamic_mapping_exception", "mapper_parsing_exception"}
)


@dataclass(frozen=True)
class Concurrently:
    """Requests an action wants sent at the same time; it receives their answers as a list,
    in order (or the first engine error, thrown in once all have answered)."""

    requests: tuple[rq.Request, ...]


@dataclass(frozen=True)
class ExcludeHooks:
    """Run these ``exclude_on_upgrade`` hooks (type name -> hook; user code with engine
    access, so the runner does it); the answer is ``{"filters": {type: query}, "errors":
    {type: message}}``. A retryable engine error from a hook is raised, making the step
    retry."""

    hooks: Mapping[str, Callable[[Any], Any]]
    index: str


Action = Generator[rq.Request | Concurrently | ExcludeHooks, Any, Result]
"""An :data:`~kbn_saved_objects.repository.operation.Operation` that may also yield
:class:`Concurrently` and :class:`ExcludeHooks`."""


@dataclass(frozen=True)
class Context:
    """What actions need besides the state: the engine description (PIT flavor, field
    capabilities), the registry and the document migrator."""

    info: EngineInfo
    registry: SavedObjectTypeRegistry
    migrator: DocumentMigrator


def error_type(error: SavedObjectsError) -> str | None:
    value = error.metadata.get("engine_error_type")
    return str(value) if value else None


def error_status(error: SavedObjectsError) -> int | None:
    value = error.metadata.get("engine_status")
    return int(value) if value is not None else None


def is_retryable(error: SavedObjectsError) -> bool:
    """Kibana's ``isRetryableEsClientError``: no answer, a transient status, or a snapshot
    in progress (the engine answers 400 while one runs)."""
    if "engine_status" not in error.metadata:
        return False
    status = error_status(error)
    return (
        status is None
        or status in _RETRYABLE_STATUS
        or error_type(error) == "snapshot_in_progress_exception"
    )


def is_lost_pit(error: SavedObjectsError) -> bool:
    """The engine no longer knows the point in time a search named: every shard answered
    "no search context found" (404), as after a restart or when the PIT expired."""
    return error_status(error) == 404 and error_type(error) in (
        "search_phase_execution_exception",
        "search_context_missing_exception",
    )


def get_indices(names: list[str]) -> rq.Request:
    """``GET /a,b?ignore_unavailable``: whatever of the names exists, with aliases and mappings."""
    return rq.get_index(names, ignore_unavailable=True)


def _wait_for_health(index: str, status: str) -> Action:
    """Kibana's ``waitForIndexStatus``. The engine answers a wait that timed out with HTTP
    408, which as an error would be retried as a transient failure under the health body's
    JSON; it is the expected ``index_not_<status>_timeout`` instead, with a message a user
    can act on (Kibana asks its client to ignore 408 for the same reason)."""
    kind = f"index_not_{status}_timeout"
    timed_out = Left(
        kind,
        {
            "message": f"[{kind}] Timeout waiting for the status of the [{index}] index to "
            f"become '{status}': check that the cluster can allocate its shards (disk "
            "watermarks, allocation filters, number_of_replicas above the number of nodes)"
        },
    )
    try:
        body = yield rq.cluster_health(
            index,
            wait_for_status=status,  # type: ignore[arg-type]
            timeout=HEALTH_TIMEOUT,
        )
    except SavedObjectsError as error:
        if error_status(error) == 408:
            return timed_out
        raise
    return timed_out if body.get("timed_out") else Right()


# The temp index is rebuilt from the source whenever a run finds it unfinished, so it
# need not fsync each bulk (async translog: +6-12% copy throughput measured): it is flushed
# before its write block, the only point from which its content counts (_flush_and_block),
# and the clone goes back to per-request durability. Refreshes stay on: with them off
# (-1) the whole indexing buffer was written by that final flush, serially, after the
# copy (~10% of a 100k copy; medians of 4 alternating runs 9.05 s vs 8.1 s).
TEMP_INDEX_SETTINGS: dict[str, Any] = {**INDEX_SETTINGS, "translog": {"durability": "async"}}


def create_index(
    index: str,
    mappings: Mapping[str, Any],
    aliases: Mapping[str, Any] | None = None,
    settings: Mapping[str, Any] = INDEX_SETTINGS,
) -> Action:
    """Create and wait green; "already exists" is success too (someone, maybe a crashed
    run of ours, created it): the caller learns which through ``Right.value``."""
    outcome = "created"
    try:
        yield rq.create_index(
            index,
            mappings=mappings,
            settings=settings,
            aliases=aliases,
            wait_for_active_shards="all",
            timeout=ENGINE_TIMEOUT,
        )
    except SavedObjectsError as error:
        if error_type(error) != "resource_already_exists_exception":
            raise
        outcome = "exists"
    health = yield from _wait_for_health(index, "green")
    return health if isinstance(health, Left) else Right(outcome)


def _write_block(index: str) -> Action:
    try:
        body = yield rq.add_write_block(index)
    except SavedObjectsError as error:
        if error_type(error) == "index_not_found_exception":
            return Left("index_not_found_exception", {"index": index})
        raise
    if not body.get("acknowledged"):
        return Left("set_write_block_failed")
    return Right()


def _flush_and_block(index: str) -> Action:
    """The temp index's write block says "the copy is complete" to every later run, so what
    it holds must be on disk first (its translog is async)."""
    try:
        yield rq.flush(index)
    except SavedObjectsError as error:
        if error_type(error) == "index_not_found_exception":
            return Left("index_not_found_exception", {"index": index})
        raise
    return (yield from _write_block(index))


def temp_mappings(state: State) -> dict[str, Any]:
    """The target mappings with ``dynamic: false``: every copied document is indexed for
    the new release as it is written, so the clone needs no pickup (Kibana's temp index
    is minimal and re-indexes every document after the clone, about a third of a copy's
    time). ``dynamic: false`` keeps a copy from failing on a field no mapping declares;
    the target turns strict with ``_meta`` (which says "every document is indexed for
    these mappings", true here from the first write)."""
    target = state.target_mappings
    return {"dynamic": False, "properties": target["properties"], "_meta": target["_meta"]}


def unknown_documents_query(state: State) -> dict[str, Any]:
    return {
        "size": 0,
        "query": {
            "bool": {
                "must_not": [
                    {"term": {"type": name}}
                    for name in (*state.removed_type_names, *state.known_type_names)
                ]
            }
        },
        "aggs": {
            "typesAggregation": {
                "terms": {"field": "type", "missing": UNKNOWN_TYPE, "size": 1000},
                "aggs": {"docs": {"top_hits": {"size": 100, "_source": {"excludes": ["*"]}}}},
            }
        },
    }


def unknown_documents(index: str, state: State) -> Generator[rq.Request, Any, Right]:
    """``(raw id, type)`` of documents of types neither known nor retired (up to the
    aggregation's sample per type); also what ``kbn-so migrate check`` reports."""
    body = yield rq.search(unknown_documents_query(state), index=index)
    docs: list[tuple[str, str]] = []
    for bucket in body.get("aggregations", {}).get("typesAggregation", {}).get("buckets", []):
        for hit in bucket["docs"]["hits"]["hits"]:
            docs.append((hit["_id"], str(bucket["key"])))
    return Right(docs)


def cleanup_unknown_and_excluded(ctx: Context, state: State) -> Action:
    """Kibana's ``cleanupUnknownAndExcluded`` up to the delete: what is unknown, and what
    the types' ``exclude_on_upgrade`` hooks want gone."""
    unknown = yield from unknown_documents(state.source_index or "", state)
    hooks = yield ExcludeHooks(exclude_hooks_of(ctx, state), state.source_index or "")
    assert isinstance(unknown, Right)
    return Right({"unknown": unknown.value, **hooks})


def _calculate_exclude_filters(ctx: Context, state: State) -> Action:
    hooks = yield ExcludeHooks(exclude_hooks_of(ctx, state), state.source_index or "")
    # What the copy will leave behind, per type, for the report (the source keeps it).
    excluded = excluded_query(state.evolve(exclude_filters=scope_filters(hooks["filters"])))
    by_type = yield from _count_by_type(state.source_index or "", excluded)
    return Right({**hooks, "excluded_by_type": by_type})


TYPES_AGGREGATION = {"types": {"terms": {"field": "type", "missing": UNKNOWN_TYPE, "size": 10000}}}


def _count_by_type(
    index: str, query: Mapping[str, Any] | None
) -> Generator[rq.Request, Any, dict[str, int]]:
    if query is None:
        return {}
    answer = yield rq.search({"size": 0, "query": query, "aggs": TYPES_AGGREGATION}, index=index)
    return type_counts(answer)


def type_counts(answer: Mapping[str, Any]) -> dict[str, int]:
    buckets = ((answer.get("aggregations") or {}).get("types") or {}).get("buckets") or []
    return {str(b["key"]): int(b["doc_count"]) for b in buckets}


def count_types(state: State) -> Action:
    """Documents per type in the target, for the report."""
    by_type = yield from _count_by_type(state.target_index, {"match_all": {}})
    return Right(by_type)


def exclude_hooks_of(ctx: Context, state: State) -> dict[str, Callable[[Any], Any]]:
    """The ``exclude_on_upgrade`` hooks of this index's types, by type name."""
    hooks: dict[str, Callable[[Any], Any]] = {}
    for name in state.index_type_names:
        definition = ctx.registry.get_type(name)
        if definition is not None and definition.exclude_on_upgrade is not None:
            hooks[name] = definition.exclude_on_upgrade
    return hooks


def reindex_query(state: State) -> dict[str, Any]:
    """Every document is copied except the excluded ones."""
    excluded = excluded_query(state)
    return {"match_all": {}} if excluded is None else {"bool": {"must_not": [excluded]}}


def read_sort(info: EngineInfo, one_shard: bool) -> list[Any]:
    """A total order to page a PIT with ``search_after``.

    Elasticsearch has ``_shard_doc``. OpenSearch 2 has none: on a single-shard index the
    Lucene doc id (``_doc``) is a total order within the PIT's frozen reader and reads about
    twice as fast as the ``_id`` order that a multi-shard index needs.
    """
    if not info.is_opensearch:
        return [{"_shard_doc": "asc"}]
    return [{"_doc": "asc"}] if one_shard else [{"_id": "asc"}]


def _read(ctx: Context, state: State, query: Mapping[str, Any], occ: bool) -> Action:
    body: dict[str, Any] = {
        "pit": {"id": state.pit_id, "keep_alive": PIT_KEEP_ALIVE},
        "size": state.batch_size,
        "sort": read_sort(ctx.info, state.reads_one_shard(state.control_state)),
        "track_total_hits": state.search_after is None,
        "query": query,
    }
    if state.search_after is not None:
        body["search_after"] = list(state.search_after)
    if occ:
        # Only on the in-place read: seq numbers of a *source* index would make every write
        # into the temp index a version conflict.
        body["seq_no_primary_term"] = True
    try:
        answer = yield rq.search(body, allow_partial_search_results=False)
    except SavedObjectsError as error:
        if is_lost_pit(error):
            reason = f"{error_type(error)}: {error.metadata.get('engine_reason')}"
            return Left("search_context_missing", {"message": reason})
        raise
    hits = answer["hits"]["hits"]
    total = answer["hits"].get("total")
    if isinstance(total, Mapping):
        total = total.get("value")
    # The parsed answer is measured (the transport has no abort-at-N-bytes hook): the model
    # halves the next reads when a page was too big, as Kibana does on an aborted read.
    size = len(rq.dumps(hits))
    last_sort = hits[-1].get("sort") if hits else None
    skipped = 0
    if occ and hits and size <= state.max_read_batch_bytes:
        kept = yield from _still_outdated(state.target_index, hits)
        skipped, hits = len(hits) - len(kept), kept
    return Right(
        {
            "hits": hits,
            "total": total if state.search_after is None else None,
            "bytes": size,
            "last_sort": last_sort,
            "skipped": skipped,
        }
    )


def _still_outdated(
    index: str, hits: list[dict[str, Any]]
) -> Generator[rq.Request, Any, list[dict[str, Any]]]:
    """The hits no one has written since the point in time was opened.

    A point in time is a snapshot: migrators started together all see every document as
    outdated, and each would transform it and send it, only for the engine to refuse all
    but the first write (``if_seq_no``). A real-time ``_mget`` without sources tells which
    documents changed meanwhile -- migrated by another run, or written or deleted by a
    user -- and those are dropped here: the same outcome as the refused write, without the
    transform and the bulk traffic. (Another run migrating the same page at the same moment
    still races; ``if_seq_no`` keeps that to one write.)
    """
    answer = yield rq.mget([{"_id": hit["_id"], "_source": False} for hit in hits], index=index)
    live = {
        doc["_id"]: (doc.get("_seq_no"), doc.get("_primary_term"))
        for doc in answer.get("docs", ())
        if doc.get("found")
    }
    return [
        hit
        for hit in hits
        if "_seq_no" not in hit or live.get(hit["_id"]) == (hit["_seq_no"], hit["_primary_term"])
    ]


def transform_hits(ctx: Context, state: State, occ: bool) -> Result:
    """Migrate one batch (Kibana's ``migrateRawDocsSafely``): corrupt documents and throwing
    transforms are collected by raw id instead of failing the batch."""
    ops: list[BulkOp] = []
    corrupt: list[str] = []
    errors: list[tuple[str, str]] = []
    migrated: dict[str, int] = {}
    problems: dict[str, int] = {}
    for hit in state.hits:
        raw_id = str(hit.get("_id"))
        source = hit.get("_source") or {}
        type_name = str(source.get("type") or UNKNOWN_TYPE)
        try:
            doc: dict[str, Any] = dict(raw_to_doc(ctx.registry, hit, namespace_treatment="lax"))
        except InvalidRawDocumentError:
            corrupt.append(raw_id)
            problems[type_name] = problems.get(type_name, 0) + 1
            continue
        doc.pop("version", None)
        if "typeMigrationVersion" not in source and "migrationVersion" not in source:
            doc["typeMigrationVersion"] = ""  # never migrated: run every transform
        before = doc.get("typeMigrationVersion")
        try:
            result = ctx.migrator.migrate_and_convert(doc)  # type: ignore[arg-type]
            raws = [doc_to_raw(ctx.registry, item) for item in result]
        except Exception as error:
            cause = error.__cause__ or error.__context__
            message = f"{type(error).__name__}: {error}"
            if cause is not None:  # the migrator wraps the transform's own exception
                message += f" ({type(cause).__name__}: {cause})"
            errors.append((raw_id, message))
            problems[type_name] = problems.get(type_name, 0) + 1
            continue
        if result and result[0].get("typeMigrationVersion") != before:
            migrated[type_name] = migrated.get(type_name, 0) + 1
        for raw in raws:
            action: dict[str, Any] = {"_id": raw["_id"]}
            if occ and raw["_id"] == raw_id and "_seq_no" in hit:
                action["if_seq_no"] = hit["_seq_no"]
                action["if_primary_term"] = hit["_primary_term"]
            ops.append(rq.bulk_lines({"index": action}, raw["_source"]))
    return Right(
        {
            "ops": ops,
            "corrupt_ids": corrupt,
            "transform_errors": errors,
            "migrated_by_type": migrated,
            "problem_types": problems,
        }
    )


def split_evenly(ops: tuple[BulkOp, ...], parts: int) -> list[tuple[BulkOp, ...]]:
    """Contiguous slices of nearly equal length (fewer when there are fewer ops)."""
    parts = max(1, min(parts, len(ops)))
    size, extra = divmod(len(ops), parts)
    out, start = [], 0
    for part in range(parts):
        end = start + size + (1 if part < extra else 0)
        out.append(ops[start:end])
        start = end
    return out


def _bulk(state: State, *, index: str, require_alias: bool) -> Action:
    """Write one batch, cut in ``write_concurrency`` bulk requests sent at once: a single
    shard indexes each request on one write thread, so two in flight keep two cores busy
    (the same reason the server-side copy runs two slices)."""
    requests = tuple(
        rq.bulk(
            b"".join(part),
            index=index,
            refresh=False,
            require_alias=require_alias or None,
            only_errors=True,
        )
        for part in split_evenly(state.batches[state.batch_index], state.write_concurrency)
    )
    try:
        if len(requests) == 1:
            answer = yield requests[0]
        else:
            answers = yield Concurrently(requests)
            answer = {
                "errors": any(a.get("errors") for a in answers),
                "items": [item for a in answers for item in a.get("items", ())],
            }
    except SavedObjectsError as error:
        if error_status(error) == 413:
            return Left("request_entity_too_large_exception")
        if error_type(error) == "index_not_found_exception":
            return Left("index_not_found_exception")
        raise
    if not answer.get("errors"):
        return Right()
    failures = []
    conflicts = 0
    for item in answer.get("items", []):
        outcome = next(iter(item.values()))
        failure = outcome.get("error")
        if failure and failure.get("type") == "version_conflict_engine_exception":
            conflicts += 1  # someone else (a user, a twin migrator) changed it: theirs wins
        elif failure:
            failures.append(failure)
    if not failures:
        return Right({"conflicts": conflicts})
    if all(failure.get("type") in _RETRYABLE_ITEM_ERRORS for failure in failures):
        # A full write queue (429) or a primary not yet back after a restart (503): the
        # whole batch is sent again, which is safe -- in place its written documents now
        # conflict, in a copy they are replaced by id.
        message = f"bulk items failed: {rq.dumps(failures[:3]).decode()}"
        return Left("retryable_es_client_error", {"message": message})
    if all(_is_write_block(failure) for failure in failures):
        return Left("target_index_had_write_block")
    if all(failure.get("type") == "index_not_found_exception" for failure in failures):
        return Left("index_not_found_exception")
    raise BulkWriteError(failures)


def _is_write_block(error: Mapping[str, Any]) -> bool:
    reason = str(error.get("reason", ""))
    return error.get("type") == "cluster_block_exception" and "blocked by: [FORBIDDEN/8/" in reason


class BulkWriteError(RuntimeError):
    """Bulk items failed for a reason that is neither a conflict nor a block: a crash."""

    def __init__(self, failures: list[Any]) -> None:
        super().__init__(f"Bulk write failed: {rq.dumps(failures[:10]).decode()}")
        self.failures = failures


def update_aliases(actions: tuple[dict[str, Any], ...]) -> Action:
    try:
        yield rq.update_aliases(list(actions))
    except SavedObjectsError as error:
        kind = error_type(error)
        if kind in (
            "aliases_not_found_exception",
            "resource_not_found_exception",
            "alias_not_found",
        ):
            return Left("alias_not_found_exception")
        if kind == "index_not_found_exception":
            return Left("index_not_found_exception")
        if error_status(error) == 404:
            return Left("alias_not_found_exception")
        raise
    return Right()


def _pickup(state: State) -> Action:
    properties = state.target_mappings
    yield rq.put_mapping(
        state.target_index,
        {"dynamic": properties["dynamic"], "properties": properties["properties"]},
    )
    body = {"query": state.update_query} if state.update_query else {}
    answer = yield rq.update_by_query(
        state.target_index,
        body,
        conflicts="proceed",
        refresh=True,
        wait_for_completion=False,
        scroll_size=state.batch_size,
    )
    return Right(answer["task"])


def _task_answer(task_id: str) -> Generator[rq.Request, Any, dict[str, Any] | None]:
    """The task's status once it completed, waiting for it server-side up to
    ``TASK_WAIT`` (a task that ends in 50 ms is seen after 50 ms, not at the next poll);
    ``None`` while it still runs."""
    try:
        answer = yield rq.get_task(task_id, wait_for_completion=True, timeout=TASK_WAIT)
    except SavedObjectsError as error:
        if error_type(error) == "timeout_exception":  # OpenSearch 500, Elasticsearch 408
            return None
        raise
    return answer if answer.get("completed") else None


def wait_for_task(task_id: str) -> Action:
    answer = yield from _task_answer(task_id)
    if answer is None:
        return Left("wait_for_task_completion_timeout")
    failures = (answer.get("response") or {}).get("failures") or []
    if answer.get("error") or failures:
        return Left("task_failed", {"message": rq.dumps(answer.get("error") or failures).decode()})
    return Right()


def _merged_meta(state: State) -> dict[str, Any]:
    """Target ``_meta`` with the versions of stored types the app does not register kept
    (a disabled plugin's types must not look "new" when it comes back)."""
    meta = dict(state.target_mappings.get("_meta") or {})
    stored = ((state.source_mappings or {}).get("_meta") or {}) if state.kind != "reindex" else {}
    for key in ("mappingVersions", "migrationMappingPropertyHashes"):
        if key in meta and isinstance(stored.get(key), Mapping):
            meta[key] = {**stored[key], **meta[key]}
    return meta


# Skips (noop) a document whose raw id does not carry its type's prefix, so a corrupt
# document is never copied blindly; the task's ``noops`` count reveals that there were some.
_VALID_ID_SCRIPT = (
    "String t = ctx._source.type; String ns = ctx._source.namespace; "
    "if (t == null || !(ctx._id.startsWith(t + ':') || "
    "(ns != null && ctx._id.startsWith(ns + ':' + t + ':')))) { ctx.op = 'noop'; }"
)


def _reindex_counts(state: State) -> Action:
    query = reindex_query(state)
    outdated = yield rq.count(
        state.source_index or "", {"bool": {"must": [query, state.outdated_query]}}
    )
    total = yield rq.count(state.source_index or "", query)
    return Right({"outdated": outdated["count"], "total": total["count"]})


def _reindex_server_side(state: State) -> Action:
    body = {
        "conflicts": "proceed",
        "source": {
            "index": state.source_index,
            "size": state.batch_size,
            "query": reindex_query(state),
        },
        "dest": {"index": state.temp_alias, "op_type": "index"},
        "script": {"lang": "painless", "source": _VALID_ID_SCRIPT},
    }
    # The id check needs a script, and a script makes the engine parse and re-serialize
    # every source (about 1.7x the time of a plain copy): two slices win that back by
    # indexing into the single shard from two write threads.
    answer = yield rq.reindex(
        body,
        wait_for_completion=False,
        slices=max(2, state.source_shards or 1),
        refresh=True,
        require_alias=True,
    )
    return Right(answer["task"])


def _wait_for_reindex(task_id: str) -> Action:
    answer = yield from _task_answer(task_id)
    if answer is None:
        return Left("wait_for_task_completion_timeout")
    response = answer.get("response") or {}
    failures = response.get("failures") or []
    error = answer.get("error")
    if error or failures:
        causes = [f.get("cause", f) for f in failures] or [error]
        if all(_is_write_block(c) for c in causes):
            return Left("target_index_had_write_block")
        if all(c.get("type") == "index_not_found_exception" for c in causes):
            return Left("index_not_found_exception")
        return Left("task_failed", {"message": rq.dumps(error or failures[:5]).decode()})
    return Right(response)


def no_engine(result: Result) -> Action:
    return result
    yield  # pragma: no cover - makes this a generator


def _update_source_mappings(state: State) -> Action:
    verdict, _ = diff_mappings(state.source_mappings, state.target_mappings)
    if verdict == "match":
        return Right("unchanged")
    target = state.target_mappings
    try:
        yield rq.put_mapping(
            state.source_index or "",
            {"dynamic": target["dynamic"], "properties": target["properties"]},
        )
    except SavedObjectsError as error:
        if error_status(error) == 400 and error_type(error) in INCOMPATIBLE_MAPPING:
            return Left("incompatible_mapping_exception", {"message": error.message})
        raise
    # Every write with a higher sequence number is indexed with the new mappings: the
    # pickup only has to visit documents at or below this one.
    stats = yield rq.shard_stats(state.source_index or "")
    return Right({"outcome": "updated", "max_seq_no": max_seq_no(stats)})


def max_seq_no(stats: Mapping[str, Any]) -> int | None:
    """The highest ``max_seq_no`` over every shard copy in a ``_stats?level=shards`` answer
    (over all shards: a conservative bound when there are several)."""
    found = [
        int(copy["seq_no"]["max_seq_no"])
        for index in (stats.get("indices") or {}).values()
        for copies in (index.get("shards") or {}).values()
        for copy in copies
        if "seq_no" in copy
    ]
    return max(found) if found else None


def to_result(error: SavedObjectsError) -> Result:
    """An engine error no action handled: retryable ones go to the model (which backs off),
    anything else is a crash."""
    if is_retryable(error):
        return Left("retryable_es_client_error", {"message": error.message})
    raise error


NextAction = Callable[[Context, State], Action]


def run_local(ctx: Context, state: State, actions: NextAction | None = None) -> Result:
    """An action that sends no request (a transform), run to its result; ``actions`` is
    the algorithm's table (v2's by default)."""
    operation = (actions or next_action)(ctx, state)
    try:
        request = next(operation)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    raise RuntimeError(f"{state.control_state} unexpectedly sent {request}")


def next_action(ctx: Context, state: State) -> Action:
    """The action the state calls for (Kibana's ``next``)."""
    factory = _ACTIONS[state.control_state]
    return factory(ctx, state)


def _target_mappings(state: State) -> Action:
    """The mappings the model compares with the app's: remembered from INIT, or read now
    when the target is a clone or was created by another run."""
    if state.source_mappings is not None:
        return Right(state.source_mappings)
    answer = yield rq.get_mapping(state.target_index)
    body: Mapping[str, Any] = next(iter(answer.values()), {}) if answer else {}
    return Right(body.get("mappings") or {})


def _pit(index: str, ctx: Context) -> Action:
    body = yield flavors.open_point_in_time(ctx.info, index, keep_alive=PIT_KEEP_ALIVE)
    return Right(flavors.point_in_time_id(ctx.info, body))


def close_pit(state: State, ctx: Context) -> Action:
    if state.pit_id:
        yield flavors.close_point_in_time(ctx.info, state.pit_id)
    return Right()


def simple(request: Callable[[], rq.Request]) -> Action:
    answer = yield request()
    return Right(answer)


def count(index: str, query: Mapping[str, Any]) -> Action:
    answer = yield rq.count(index, query)
    return Right(int(answer["count"]))


def delete_excluded(state: State) -> Action:
    excluded = excluded_query(state) or {"match_none": {}}
    by_type = yield from _count_by_type(state.source_index or "", excluded)
    answer = yield rq.delete_by_query(
        state.source_index or "", {"query": excluded}, conflicts="proceed", refresh=True
    )
    return Right({"deleted": int(answer.get("deleted", 0)), "by_type": by_type})


def _clone(state: State) -> Action:
    try:
        yield rq.clone_index(
            state.temp_index,
            state.target_index,
            settings={
                "index.blocks.write": False,
                "index.translog.durability": "request",
                **{f"index.{k}": v for k, v in INDEX_SETTINGS.items() if k != "mapping"},
            },
            wait_for_active_shards="all",
            timeout=ENGINE_TIMEOUT,
        )
    except SavedObjectsError as error:
        kind = error_type(error)
        if kind == "index_not_found_exception":
            return Left("index_not_found_exception")
        if kind != "resource_already_exists_exception":
            raise
    return (yield from _wait_for_health(state.target_index, "green"))


_ACTIONS: dict[ControlState, Callable[[Context, State], Action]] = {
    S.INIT: lambda ctx, st: simple(lambda: get_indices([st.prefix, st.version_alias])),
    S.CREATE_NEW_TARGET: lambda ctx, st: create_index(st.target_index, st.target_mappings),
    S.WAIT_FOR_YELLOW_SOURCE: lambda ctx, st: _wait_for_health(st.source_index or "", "yellow"),
    S.UPDATE_SOURCE_MAPPINGS_PROPERTIES: lambda ctx, st: _update_source_mappings(st),
    S.CLEANUP_UNKNOWN_AND_EXCLUDED: cleanup_unknown_and_excluded,
    S.CLEANUP_UNKNOWN_DELETE: lambda ctx, st: delete_excluded(st),
    S.PREPARE_COMPATIBLE_MIGRATION: lambda ctx, st: update_aliases(
        (
            {"add": {"index": st.source_index, "alias": st.version_alias}},
            *(
                {"remove": {"index": st.source_index, "alias": alias, "must_exist": True}}
                for alias in sorted(_source_aliases(st))
                if alias not in (st.prefix, st.version_alias)
            ),
        )
    ),
    S.REFRESH_SOURCE: lambda ctx, st: simple(lambda: rq.refresh(st.source_index or "")),
    S.CHECK_UNKNOWN_DOCUMENTS: lambda ctx, st: unknown_documents(st.source_index or "", st),
    S.SET_SOURCE_WRITE_BLOCK: lambda ctx, st: _write_block(st.source_index or ""),
    S.CALCULATE_EXCLUDE_FILTERS: _calculate_exclude_filters,
    S.CREATE_REINDEX_TEMP: lambda ctx, st: create_index(
        st.temp_index, temp_mappings(st), {st.temp_alias: {}}, TEMP_INDEX_SETTINGS
    ),
    S.REINDEX_SOURCE_TO_TEMP_CHECK: lambda ctx, st: _reindex_counts(st),
    S.REINDEX_SOURCE_TO_TEMP_SERVER_SIDE: lambda ctx, st: _reindex_server_side(st),
    S.REINDEX_SOURCE_TO_TEMP_SERVER_SIDE_WAIT: lambda ctx, st: _wait_for_reindex(st.task_id or ""),
    S.REINDEX_SOURCE_TO_TEMP_OPEN_PIT: lambda ctx, st: _pit(st.source_index or "", ctx),
    S.REINDEX_SOURCE_TO_TEMP_READ: lambda ctx, st: _read(ctx, st, reindex_query(st), occ=False),
    S.REINDEX_SOURCE_TO_TEMP_TRANSFORM: lambda ctx, st: no_engine(
        transform_hits(ctx, st, occ=False)
    ),
    S.REINDEX_SOURCE_TO_TEMP_INDEX_BULK: lambda ctx, st: _bulk(
        st, index=st.temp_alias, require_alias=True
    ),
    S.REINDEX_SOURCE_TO_TEMP_CLOSE_PIT: lambda ctx, st: close_pit(st, ctx),
    S.SET_TEMP_WRITE_BLOCK: lambda ctx, st: _flush_and_block(st.temp_index),
    S.CLONE_TEMP_TO_TARGET: lambda ctx, st: _clone(st),
    S.REFRESH_TARGET: lambda ctx, st: simple(lambda: rq.refresh(st.target_index)),
    S.CHECK_TARGET_COUNT: lambda ctx, st: count(st.target_index, {"match_all": {}}),
    S.OUTDATED_DOCUMENTS_COUNT: lambda ctx, st: count(st.target_index, st.outdated_query),
    S.OUTDATED_DOCUMENTS_SEARCH_OPEN_PIT: lambda ctx, st: _pit(st.target_index, ctx),
    S.OUTDATED_DOCUMENTS_SEARCH_READ: lambda ctx, st: _read(ctx, st, st.outdated_query, occ=True),
    S.OUTDATED_DOCUMENTS_TRANSFORM: lambda ctx, st: no_engine(transform_hits(ctx, st, occ=True)),
    S.TRANSFORMED_DOCUMENTS_BULK_INDEX: lambda ctx, st: _bulk(
        st, index=st.target_index, require_alias=False
    ),
    S.OUTDATED_DOCUMENTS_SEARCH_CLOSE_PIT: lambda ctx, st: close_pit(st, ctx),
    S.OUTDATED_DOCUMENTS_REFRESH: lambda ctx, st: simple(lambda: rq.refresh(st.target_index)),
    S.CHECK_TARGET_MAPPINGS: lambda ctx, st: _target_mappings(st),
    S.UPDATE_TARGET_MAPPINGS_PROPERTIES: lambda ctx, st: _pickup(st),
    S.UPDATE_TARGET_MAPPINGS_PROPERTIES_WAIT_FOR_TASK: lambda ctx, st: wait_for_task(
        st.task_id or ""
    ),
    S.UPDATE_TARGET_MAPPINGS_META: lambda ctx, st: simple(
        lambda: rq.put_mapping(
            st.target_index, {"dynamic": st.target_mappings["dynamic"], "_meta": _merged_meta(st)}
        )
    ),
    S.CHECK_VERSION_INDEX_READY_ACTIONS: lambda ctx, st: no_engine(Right()),
    S.MARK_VERSION_INDEX_READY: lambda ctx, st: update_aliases(st.alias_actions),
    S.MARK_VERSION_INDEX_READY_CONFLICT: lambda ctx, st: simple(
        lambda: get_indices([st.prefix, st.version_alias])
    ),
}


def _source_aliases(state: State) -> list[str]:
    """The aliases INIT found on the source (older version aliases are dropped here)."""
    return list(state.source_aliases)
