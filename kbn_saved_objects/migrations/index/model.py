"""The pure model: ``model(state, result) -> next state`` (Kibana's ``model.ts``).

No I/O happens here, so each transition is testable from values. Actions
(:mod:`.actions`) do the engine calls and hand back a :class:`~.state.Right` or
:class:`~.state.Left`; the decisions -- which path, when to retry, when to give up, how to
cut write batches -- are all made here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import orjson

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine.flavors import as_sent
from kbn_saved_objects.mappings import ROOT_FIELD_NAMES
from kbn_saved_objects.migrations.index.state import (
    BulkOp,
    ControlState,
    Left,
    LogEntry,
    Result,
    Right,
    State,
)
from kbn_saved_objects.types._semver import parse_semver

S = ControlState

UNKNOWN_TYPE = "__UNKNOWN__"
_INDEX_VERSION = re.compile(r"^.+_(\d+\.\d+\.\d+)_\d+$")
_ALIAS_VERSION = re.compile(r"^.+_(\d+\.\d+\.\d+)$")
_MAX_LISTED_ERRORS = 10


Handler = Callable[[State, Result], State | None]


class UnexpectedActionResponse(RuntimeError):
    """A Left the current state has no rule for: a bug or an engine answer never seen."""


# -- helpers (pure, public for tests) --------------------------------------------------------


def version_from_index(name: str) -> str | None:
    match = _INDEX_VERSION.match(name)
    return match.group(1) if match else None


def version_from_alias(name: str) -> str | None:
    match = _ALIAS_VERSION.match(name)
    return match.group(1) if match else None


def _newer(a: str, b: str) -> bool:
    left, right = parse_semver(a), parse_semver(b)
    return left is not None and right is not None and left > right


def diff_mappings(
    stored: Mapping[str, Any] | None, target: Mapping[str, Any]
) -> tuple[str, tuple[str, ...]]:
    """How the stored mappings differ from the app's (Kibana's ``diffMappings`` plus
    ``checkTargetMappings``).

    Returns ``(verdict, types)``: ``"incomplete"`` (no usable ``_meta``, ``dynamic`` or a
    root field differs: every document needs a pickup), ``"types_changed"`` with the
    updated types, ``"types_added"`` with the new ones, or ``"match"``. A type counts as
    updated when its ``mappingVersions`` entry grew *or* its legacy property hash differs:
    the hash catches a mappings edit made without a new model version, which Kibana forbids
    but a Python registry cannot prevent. Types stored but not registered are ignored (a
    disabled plugin's types must survive).
    """
    if not stored:
        return "incomplete", ()
    stored_meta = stored.get("_meta") or {}
    stored_versions = stored_meta.get("mappingVersions")
    stored_hashes = stored_meta.get("migrationMappingPropertyHashes") or {}
    if stored_versions is None and not stored_hashes:
        return "incomplete", ()
    if stored.get("dynamic") != target.get("dynamic"):
        return "incomplete", ()
    stored_props = stored.get("properties") or {}
    target_props = target.get("properties") or {}
    for name in ROOT_FIELD_NAMES:
        if name in target_props and as_sent(stored_props.get(name)) != as_sent(target_props[name]):
            return "incomplete", ()
    target_meta = target.get("_meta") or {}
    target_hashes = target_meta.get("migrationMappingPropertyHashes") or {}
    added: list[str] = []
    changed: list[str] = []
    for type_name, version in (target_meta.get("mappingVersions") or {}).items():
        old = (stored_versions or {}).get(type_name)
        if type_name not in stored_props or (old is None and type_name not in stored_hashes):
            added.append(type_name)
        elif (old is not None and _newer(version, old)) or (
            type_name in stored_hashes
            and type_name in target_hashes
            and stored_hashes[type_name] != target_hashes[type_name]
        ):
            changed.append(type_name)
    if changed:
        return "types_changed", tuple(sorted(changed))
    if added:
        return "types_added", tuple(sorted(added))
    return "match", ()


def only_dynamic_differs(stored: Mapping[str, Any] | None, target: Mapping[str, Any]) -> bool:
    """The temp index's mappings: the app's ``_meta``, root fields and types, ``dynamic``
    aside.

    Type mappings are not compared field by field (the engine returns them normalised,
    ``"dynamic": "false"`` for ``false``); ``_meta`` stands for them, as everywhere in the
    migrator: it is only ever written together with, or after, the properties it hashes.
    """
    if not stored or stored.get("_meta") != target.get("_meta"):
        return False
    stored_props = stored.get("properties") or {}
    target_props = target.get("properties") or {}
    if not set(target_props) <= set(stored_props):
        return False
    return all(
        as_sent(stored_props[name]) == as_sent(target_props[name])
        for name in ROOT_FIELD_NAMES
        if name in target_props
    )


def unknown_types_filter(types: tuple[str, ...]) -> dict[str, Any]:
    """Matches the documents of the discarded unknown types (and typeless ones)."""
    should: list[dict[str, Any]] = [
        {"term": {"type": name}} for name in types if name != UNKNOWN_TYPE
    ]
    if UNKNOWN_TYPE in types:
        should.append({"bool": {"must_not": {"exists": {"field": "type"}}}})
    return {"bool": {"should": should}}


def excluded_query(state: State) -> dict[str, Any] | None:
    """Documents an upgrade drops: retired types, what the hooks returned, and unknown
    types when discarding them (Kibana's ``excludeOnUpgradeQuery`` plus the unknown ones);
    ``None`` when there are none."""
    should: list[dict[str, Any]] = [
        *({"term": {"type": name}} for name in state.removed_type_names),
        *state.exclude_filters,
    ]
    if state.excluded_unknown_types:
        should.append(unknown_types_filter(state.excluded_unknown_types))
    return {"bool": {"should": should}} if should else None


def op_size(op: BulkOp) -> int:
    """Bytes an operation adds to an NDJSON bulk body. The same figure as Kibana's sizing
    (``[action, source]`` as JSON minus the brackets plus a newline; a delete is its action
    plus a newline), so batch boundaries match."""
    return len(op)


def delete_op(raw_id: str) -> BulkOp:
    return rq.bulk_lines({"delete": {"_id": raw_id}}, None)


def create_batches(ops: Sequence[BulkOp], max_bytes: int) -> tuple[tuple[BulkOp, ...], ...] | str:
    """Greedy packing of ``ops`` into bulk bodies of at most ``max_bytes``; a message
    naming the document when one operation alone is too big."""
    batches: list[tuple[BulkOp, ...]] = []
    current: list[BulkOp] = []
    size = 0
    for op in ops:
        n = op_size(op)
        if n > max_bytes:
            doc_id = next(iter(orjson.loads(op.split(b"\n", 1)[0]).values())).get("_id")
            return (
                f'The document with _id "{doc_id}" is {n} bytes which exceeds the configured '
                f"maximum batch size of {max_bytes} bytes. To proceed, please increase the "
                "max_batch_bytes option and ensure that the engine's 'http.max_content_length' "
                "is set to an equal or larger value."
            )
        if current and size + n > max_bytes:
            batches.append(tuple(current))
            current, size = [], 0
        current.append(op)
        size += n
    if current:
        batches.append(tuple(current))
    return tuple(batches)


def unknown_documents_message(prefix: str, docs: Iterable[tuple[str, str]]) -> str:
    lines = "\n".join(f'- "{doc_id}" (type: "{type_name}")' for doc_id, type_name in docs)
    return (
        f"Migration failed because some documents were found which use unknown saved object "
        f"types: {lines and chr(10) + lines}\n"
        f"To proceed with the migration of [{prefix}] you can delete them, or run again with "
        "discard_unknown_objects (CLI: --discard-unknown-objects) to drop them."
    )


def document_problems_message(
    corrupt_ids: Sequence[str], transform_errors: Sequence[tuple[str, str]]
) -> str:
    parts = ["Migrations failed. Reason:"]
    if corrupt_ids:
        parts.append(
            f" {len(corrupt_ids)} corrupt saved object documents were found: "
            + ", ".join(corrupt_ids)
        )
    if transform_errors:
        more = (
            f" (showing the first {_MAX_LISTED_ERRORS} - check the logs for the full list)"
            if len(transform_errors) > _MAX_LISTED_ERRORS
            else ""
        )
        parts.append(f"\n {len(transform_errors)} transformation errors were encountered{more}:")
        for doc_id, error in transform_errors[:_MAX_LISTED_ERRORS]:
            parts.append(f"\n- {doc_id}: {error}")
    parts.append(
        "\n\nTo allow migrations to proceed, please delete or fix these documents.\n"
        "Note that you can run the migration with discard_corrupt_objects "
        "(CLI: --discard-corrupt-objects) to discard corrupt documents and transform errors."
    )
    return "".join(parts)


def _discard_warning(
    state: State, corrupt: Sequence[str], errors: Sequence[tuple[str, str]]
) -> State:
    if not corrupt and not errors:
        return state
    lines = [f'- "{doc_id}" (corrupt)' for doc_id in corrupt]
    lines += [f'- "{doc_id}" ({message})' for doc_id, message in errors]
    return log(
        state,
        "warning",
        "Configured to discard corrupt documents and documents that cause transform errors "
        "for this migration. Discarded:\n" + "\n".join(lines),
    )


def add_counts(
    pairs: tuple[tuple[str, int], ...], counts: Mapping[str, int]
) -> tuple[tuple[str, int], ...]:
    """Per-type tallies kept as sorted pairs (the state is immutable and hashable)."""
    total = dict(pairs)
    for name, n in counts.items():
        if n:
            total[name] = total.get(name, 0) + int(n)
    return tuple(sorted(total.items()))


def scope_filters(filters: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
    """Each hook only speaks for its own type: its query is scoped to it, so a hook
    returning a broad query cannot drop another type's documents."""
    return tuple(
        {"bool": {"filter": [{"term": {"type": name}}, filters[name]]}} for name in sorted(filters)
    )


def log(state: State, level: Any, message: str) -> State:
    return state.evolve(logs=(*state.logs, LogEntry(level, message)))


def fatal(state: State, reason: str) -> State:
    return state.evolve(control_state=S.FATAL, reason=reason)


def delay_retry(state: State, message: str, max_attempts: int | None) -> State:
    """Stay in the same state after ``1s * min(2^n, 64)`` (Kibana's schedule); FATAL once
    ``max_attempts`` retries have failed (``None`` = unlimited: a task still running) or
    once the back-off since the last success would exceed ``retry_timeout`` (the last
    delay is shortened to end exactly at the budget, so one more attempt is made then)."""
    if max_attempts is not None and state.retry_count >= max_attempts:
        return fatal(
            state,
            f"Unable to complete the {state.control_state} step after {max_attempts} attempts, "
            f"terminating. The last failure message was: {message}",
        )
    count = state.retry_count + 1
    delay = state.retry_base_delay * min(2**count, 64)
    if state.retry_timeout is not None:
        left = state.retry_timeout - state.retry_waited
        if left <= 0:
            return fatal(
                state,
                f"Unable to complete the {state.control_state} step after retrying for "
                f"{state.retry_waited:g} seconds (retry_timeout), terminating. The last failure "
                f"message was: {message}",
            )
        delay = min(delay, left)
    return log(
        state.evolve(retry_count=count, retry_delay=delay, retry_waited=state.retry_waited + delay),
        "error",
        f"Action failed with '{message}'. Retrying attempt {count} in {delay:g} seconds.",
    )


def aliases_of(indices: Mapping[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for index, body in indices.items():
        for alias in (body or {}).get("aliases") or {}:
            out.setdefault(alias, []).append(index)
    return out


# -- the model ------------------------------------------------------------------------------


def model(state: State, result: Result) -> State:
    """The next state; ``logs`` holds only what this transition has to say."""
    return step(_HANDLERS, state, result)


def step(handlers: Mapping[ControlState, Handler], state: State, result: Result) -> State:
    """One transition through ``handlers`` (v2's, or ZDT's): a retryable failure backs
    off in place whatever the state, a success resets the retry budget."""
    state = state.evolve(logs=())
    if isinstance(result, Left) and result.kind == "retryable_es_client_error":
        return delay_retry(state, str(result.data.get("message")), state.retry_attempts)
    if isinstance(result, Right):
        state = state.evolve(retry_count=0, retry_delay=0.0, retry_waited=0.0)
    handler = handlers.get(state.control_state)
    if handler is None:
        raise UnexpectedActionResponse(f"{state.control_state} is terminal")
    next_state = handler(state, result)
    if next_state is None:
        raise UnexpectedActionResponse(
            f"{state.control_state} received unexpected action response: {result!r}"
        )
    return next_state


def _init(state: State, result: Result) -> State | None:
    if not isinstance(result, Right):
        return None
    indices: Mapping[str, Any] = result.value or {}
    aliases = aliases_of(indices)
    for alias, names in sorted(aliases.items()):
        if len(names) > 1:
            return fatal(
                state,
                f"The {alias} alias is pointing to multiple indices: {','.join(sorted(names))}.",
            )
    source = aliases.get(state.prefix, [None])[0]
    if source is not None:
        source_version = version_from_index(source)
        if source_version and _newer(source_version, state.version):
            return fatal(
                state,
                f"The {state.prefix} alias is pointing to a newer version: v{source_version}",
            )
        # Semver over *all* version aliases (Kibana picks the lexicographically largest).
        source_aliases = (indices.get(source) or {}).get("aliases") or {}
        for alias in sorted(source_aliases):
            alias_version = version_from_alias(alias)
            if (
                alias.startswith(state.prefix + "_")
                and alias_version
                and _newer(alias_version, state.version)
            ):
                return fatal(
                    state, f"The {alias} alias refers to a newer version: v{alias_version}"
                )
        completed = aliases.get(state.version_alias, [None])[0] == source
        settings = ((indices.get(source) or {}).get("settings") or {}).get("index") or {}
        shards = settings.get("number_of_shards")
        return state.evolve(
            source_shards=int(shards) if shards is not None else None,
            control_state=S.WAIT_FOR_YELLOW_SOURCE,
            source_index=source,
            source_mappings=(indices.get(source) or {}).get("mappings") or {},
            source_aliases=tuple(sorted(source_aliases)),
            target_index=source,
            version_migration_completed=completed,
        )
    if state.prefix in indices:
        return fatal(
            state,
            f"[{state.prefix}] is a concrete index, not an alias: legacy (pre-alias) indices "
            "are not supported by this migrator.",
        )
    return state.evolve(
        control_state=S.CREATE_NEW_TARGET,
        kind="fresh",
        target_index=state.version_index,
        alias_actions=(
            {"add": {"index": state.version_index, "alias": state.prefix}},
            {"add": {"index": state.version_index, "alias": state.version_alias}},
        ),
    )


def _create_new_target(state: State, result: Result) -> State | None:
    if isinstance(result, Right):
        if result.value == "exists":
            # A crashed or concurrent fresh install: documents may exist, mappings unknown.
            return state.evolve(control_state=S.OUTDATED_DOCUMENTS_COUNT, source_mappings=None)
        return state.evolve(
            control_state=S.CHECK_VERSION_INDEX_READY_ACTIONS,
            source_mappings=state.target_mappings,
        )
    if result.kind == "index_not_green_timeout":
        return delay_retry(state, str(result.data.get("message")), state.retry_attempts)
    return None


def _wait_for_yellow_source(state: State, result: Result) -> State | None:
    if isinstance(result, Right):
        return state.evolve(control_state=S.UPDATE_SOURCE_MAPPINGS_PROPERTIES)
    if result.kind == "index_not_yellow_timeout":
        return delay_retry(state, str(result.data.get("message")), state.retry_attempts)
    return None


def _update_source_mappings(state: State, result: Result) -> State | None:
    compatible = isinstance(result, Right)
    if not compatible and result.kind != "incompatible_mapping_exception":  # type: ignore[union-attr]
        return None
    value = result.value if isinstance(result, Right) else None
    if isinstance(value, Mapping) and value.get("max_seq_no") is not None:
        state = state.evolve(mapped_after_seq_no=int(value["max_seq_no"]))
    if compatible and state.version_migration_completed:
        return state.evolve(control_state=S.OUTDATED_DOCUMENTS_COUNT, kind="unnecessary")
    if compatible:
        return state.evolve(control_state=S.CLEANUP_UNKNOWN_AND_EXCLUDED, kind="compatible")
    if state.version_migration_completed:
        return fatal(state, "Incompatible mappings change on already migrated instance.")
    return state.evolve(
        control_state=S.CHECK_UNKNOWN_DOCUMENTS,
        kind="reindex",
        target_index=state.version_index,
        source_mappings=None,
        alias_actions=(
            {"remove": {"index": state.source_index, "alias": state.prefix, "must_exist": True}},
            {"add": {"index": state.version_index, "alias": state.prefix}},
            {"add": {"index": state.version_index, "alias": state.version_alias}},
            {"remove_index": {"index": state.temp_index}},
        ),
    )


def unknown_found(state: State, result: Result) -> State | None:
    """Shared by both paths: FATAL when unknown documents were found, unless discarding."""
    if not isinstance(result, Right):
        return None
    docs = tuple((str(d), str(t)) for d, t in result.value)
    if not docs:
        return state
    if not state.discard_unknown_objects:
        return fatal(state.evolve(unknown_docs=docs), unknown_documents_message(state.prefix, docs))
    types = tuple(sorted({t for _, t in docs}))
    listing = "\n".join(f'- "{d}" (type: "{t}")' for d, t in docs)
    return log(
        state.evolve(unknown_docs=docs, excluded_unknown_types=types),
        "warning",
        "Configured to discard unknown documents for this migration. Discarded:\n" + listing,
    )


def with_exclude_filters(state: State, hooks: Mapping[str, Any]) -> State:
    state = state.evolve(exclude_filters=scope_filters(hooks.get("filters") or {}))
    for name, error in sorted((hooks.get("errors") or {}).items()):
        state = log(
            state,
            "warning",
            f'Ignored excludeOnUpgrade hook on type [{name}] that failed with error: "{error}"',
        )
    return state


def _cleanup_unknown(state: State, result: Result) -> State | None:
    if not isinstance(result, Right):
        return None
    next_state = unknown_found(state, Right(result.value["unknown"]))
    if next_state is None or next_state.control_state == S.FATAL:
        return next_state
    next_state = with_exclude_filters(next_state, result.value)
    if excluded_query(next_state) is not None:
        return next_state.evolve(control_state=S.CLEANUP_UNKNOWN_DELETE)
    return next_state.evolve(control_state=S.PREPARE_COMPATIBLE_MIGRATION)


def _cleanup_unknown_delete(state: State, result: Result) -> State | None:
    if isinstance(result, Right):
        deleted = result.value or {}
        return state.evolve(
            control_state=S.PREPARE_COMPATIBLE_MIGRATION,
            discarded_count=state.discarded_count + int(deleted.get("deleted") or 0),
            discarded_by_type=add_counts(state.discarded_by_type, deleted.get("by_type") or {}),
        )
    return None


def _prepare_compatible(state: State, result: Result) -> State | None:
    if isinstance(result, Right):
        return state.evolve(control_state=S.REFRESH_SOURCE)
    if result.kind == "alias_not_found_exception":
        # Another instance removed an old alias first; the atomic call also dropped our
        # "add", so the version alias is added (idempotently) at the end instead.
        return state.evolve(
            control_state=S.REFRESH_SOURCE,
            alias_actions=({"add": {"index": state.source_index, "alias": state.version_alias}},),
        )
    return None


def _refresh_source(state: State, result: Result) -> State | None:
    if isinstance(result, Right):
        return state.evolve(control_state=S.OUTDATED_DOCUMENTS_COUNT)
    return None


def _check_unknown_documents(state: State, result: Result) -> State | None:
    next_state = unknown_found(state, result)
    if next_state is None or next_state.control_state == S.FATAL:
        return next_state
    return next_state.evolve(control_state=S.SET_SOURCE_WRITE_BLOCK)


def _set_source_write_block(state: State, result: Result) -> State | None:
    if isinstance(result, Right):
        return state.evolve(control_state=S.CALCULATE_EXCLUDE_FILTERS)
    if result.kind == "set_write_block_failed":
        return delay_retry(state, "write block not acknowledged", state.retry_attempts)
    return None


def _calculate_exclude_filters(state: State, result: Result) -> State | None:
    if not isinstance(result, Right):
        return None
    state = with_exclude_filters(state, result.value)
    return state.evolve(
        control_state=S.CREATE_REINDEX_TEMP,
        discarded_by_type=add_counts(
            state.discarded_by_type, result.value.get("excluded_by_type") or {}
        ),
    )


def _create_reindex_temp(state: State, result: Result) -> State | None:
    if isinstance(result, Right):
        return state.evolve(
            control_state=S.REINDEX_SOURCE_TO_TEMP_CHECK
            if state.server_side_copy
            else S.REINDEX_SOURCE_TO_TEMP_OPEN_PIT
        )
    if result.kind == "index_not_green_timeout":
        return delay_retry(state, str(result.data.get("message")), state.retry_attempts)
    return None


def _reindex_check(state: State, result: Result) -> State | None:
    """No document needs a Python transform: let the engine copy (sliced ``_reindex``)."""
    if not isinstance(result, Right):
        return None
    outdated, total = int(result.value["outdated"]), int(result.value["total"])
    state = state.evolve(source_total=total)
    if outdated:
        return state.evolve(control_state=S.REINDEX_SOURCE_TO_TEMP_OPEN_PIT)
    return log(
        state.evolve(control_state=S.REINDEX_SOURCE_TO_TEMP_SERVER_SIDE),
        "info",
        f"No document needs a transform: copying {total} documents server-side.",
    )


def _reindex_server_side(state: State, result: Result) -> State | None:
    if isinstance(result, Right):
        return state.evolve(
            control_state=S.REINDEX_SOURCE_TO_TEMP_SERVER_SIDE_WAIT, task_id=str(result.value)
        )
    return None


def _reindex_server_side_wait(state: State, result: Result) -> State | None:
    if isinstance(result, Right):
        status = result.value
        state = state.evolve(task_id=None)
        if int(status.get("noops") or 0):
            # The script skipped documents whose id does not fit their type: copy through
            # the document migrator, which names them (or discards them when asked).
            return log(
                state.evolve(control_state=S.REINDEX_SOURCE_TO_TEMP_OPEN_PIT),
                "warning",
                f"{status['noops']} documents have an invalid raw id; copying through the "
                "document migrator to report them.",
            )
        copied = int(status.get("created") or 0) + int(status.get("updated") or 0)
        return state.evolve(
            control_state=S.SET_TEMP_WRITE_BLOCK,
            processed=int(status.get("total") or 0),
            written=state.written + copied,
        )
    if result.kind == "wait_for_task_completion_timeout":
        # the action already waited in the engine: ask again at once, no retry spent
        return state.evolve(retry_delay=0.0)
    if result.kind in ("target_index_had_write_block", "index_not_found_exception"):
        return state.evolve(
            control_state=S.SET_TEMP_WRITE_BLOCK, task_id=None, copy_interrupted=True
        )
    if result.kind == "task_failed":
        return delay_retry(
            state.evolve(control_state=S.REINDEX_SOURCE_TO_TEMP_SERVER_SIDE, task_id=None),
            str(result.data.get("message")),
            state.retry_attempts,
        )
    return None


_COPY_TALLIES = (
    "processed",
    "migrated_by_type",
    "discarded_count",
    "discarded_by_type",
    "corrupt_ids",
    "transform_errors",
)


def open_pit_handler(next_state: ControlState) -> Handler:
    def handler(state: State, result: Result) -> State | None:
        if not isinstance(result, Right):
            return None
        if state.pit_reopened:
            # The loop goes on where its tallies are; only the read starts over.
            return state.evolve(
                control_state=next_state,
                pit_id=str(result.value),
                search_after=None,
                pit_reopened=False,
            )
        state = state.evolve(
            control_state=next_state,
            pit_id=str(result.value),
            search_after=None,
            total=None,
            processed=0,
        )
        if next_state == S.REINDEX_SOURCE_TO_TEMP_READ:
            state = state.evolve(
                copy_tallies=tuple((name, getattr(state, name)) for name in _COPY_TALLIES)
            )
        return state

    return handler


def _reopen_pit(state: State, result: Left, open_pit: ControlState) -> State:
    """The engine lost the point in time (it restarted, or the PIT expired): open a new one
    and read from the start again, as pages of a new PIT cannot follow the old one's
    ``search_after`` (its ``_doc`` order is the old segments').

    Nothing is lost or doubled. The copy's source is write-blocked, so the new PIT holds the
    same documents; writing one again into the temp index replaces it by id, and the copy's
    tallies start over from where its read began. In place, every document already migrated
    no longer matches the outdated query, so the new read only finds what is left (one
    written but not yet visible is written again under ``if_seq_no``: a conflict, no
    write), and the tallies go on."""
    state = log(
        state,
        "warning",
        f"The point in time of {state.control_state} was lost "
        f"({result.data.get('message')}); opening a new one and reading from the start.",
    )
    state = state.evolve(
        control_state=open_pit, pit_id=None, search_after=None, hits=(), pit_reopened=True
    )
    if open_pit == S.REINDEX_SOURCE_TO_TEMP_OPEN_PIT and state.copy_tallies:
        state = state.evolve(**dict(state.copy_tallies))
    return state


def read_handler(transform: ControlState, close: ControlState, open_pit: ControlState) -> Handler:
    def handler(state: State, result: Result) -> State | None:
        if isinstance(result, Left) and result.kind == "search_context_missing":
            return _reopen_pit(state, result, open_pit)
        if not isinstance(result, Right):
            return None
        size = int(result.value.get("bytes") or 0)
        if size > state.max_read_batch_bytes:
            # Kibana halves on an oversize response; the same page is read again.
            if state.batch_size == 1:
                return fatal(
                    state,
                    "After reducing the read batch size to a single document, the response "
                    f"was {size} bytes which still exceeded max_read_batch_bytes "
                    f"({state.max_read_batch_bytes}). Increase it and try again.",
                )
            half = max(state.batch_size // 2, 1)
            return log(
                state.evolve(batch_size=half),
                "warning",
                f"Read a batch of {size} bytes which exceeds max_read_batch_bytes, retrying "
                f"by reducing the batch size in half to {half}.",
            )
        hits: tuple[dict[str, Any], ...] = tuple(result.value["hits"])
        if hits:
            grown = max(int(state.batch_size * 1.2), state.batch_size)
            state = state.evolve(batch_size=min(grown, state.max_batch_size))
        total = result.value.get("total")
        if total is not None and state.total is None:
            state = log(
                state.evolve(total=total), "info", f"Starting to process {total} documents."
            )
            if state.source_total is None and transform == S.REINDEX_SOURCE_TO_TEMP_TRANSFORM:
                state = state.evolve(source_total=total)
        sort = result.value.get("last_sort", hits[-1].get("sort") if hits else None)
        search_after = tuple(sort) if sort is not None else state.search_after
        skipped = int(result.value.get("skipped") or 0)
        if skipped:
            state = log(
                state,
                "info",
                f"Skipped {skipped} documents written by someone else since the point in time "
                "was opened (another migrator, most likely).",
            )
        if not hits and skipped:
            return state.evolve(control_state=state.control_state, search_after=search_after)
        if not hits:
            return state.evolve(control_state=close, hits=())
        return state.evolve(control_state=transform, hits=hits, search_after=search_after)

    return handler


def transform_handler(read: ControlState, bulk: ControlState) -> Handler:
    def handler(state: State, result: Result) -> State | None:
        if not isinstance(result, Right):
            return None
        ops: list[BulkOp] = list(result.value["ops"])
        corrupt: list[str] = list(result.value["corrupt_ids"])
        errors: list[tuple[str, str]] = list(result.value["transform_errors"])
        processed = state.processed + len(state.hits)
        if state.has_document_problems and (corrupt or errors):
            # A read started over (lost point in time) finds kept problems again.
            seen = {*state.corrupt_ids, *(doc_id for doc_id, _ in state.transform_errors)}
            corrupt = [doc_id for doc_id in corrupt if doc_id not in seen]
            errors = [(doc_id, message) for doc_id, message in errors if doc_id not in seen]
        state = state.evolve(
            hits=(),
            processed=processed,
            migrated_by_type=add_counts(
                state.migrated_by_type, result.value.get("migrated_by_type") or {}
            ),
            corrupt_ids=(*state.corrupt_ids, *corrupt),
            transform_errors=(*state.transform_errors, *errors),
        )
        state = log(state, "info", f"Processed {processed} documents out of {state.total}.")
        if state.has_document_problems and not state.discard_corrupt_objects:
            # Keep scanning to report every problem in one go, but write nothing more.
            return state.evolve(control_state=read)
        if state.discard_corrupt_objects:
            state = _discard_warning(state, corrupt, errors)
            state = state.evolve(
                discarded_count=state.discarded_count + len(corrupt) + len(errors),
                discarded_by_type=add_counts(
                    state.discarded_by_type, result.value.get("problem_types") or {}
                ),
            )
            if bulk == S.TRANSFORMED_DOCUMENTS_BULK_INDEX:
                # In place, a discarded document must go; in a copy it is simply not copied.
                ops += [delete_op(doc_id) for doc_id in corrupt]
                ops += [delete_op(doc_id) for doc_id, _ in errors]
        if not ops:
            return state.evolve(control_state=read)
        batches = create_batches(ops, state.max_batch_bytes)
        if isinstance(batches, str):
            return fatal(state, batches)
        return state.evolve(control_state=bulk, batches=batches, batch_index=0)

    return handler


def _after_bulk(state: State, read: ControlState, result: Right) -> State:
    """Next batch, or back to reading; ``written`` leaves out what the engine refused as a
    version conflict (someone else wrote the document first)."""
    conflicts = int((result.value or {}).get("conflicts") or 0)
    written = state.written + len(state.batches[state.batch_index]) - conflicts
    index = state.batch_index + 1
    if index < len(state.batches):
        return state.evolve(batch_index=index, written=written, wrote_any=True)
    return state.evolve(
        control_state=read, batches=(), batch_index=0, written=written, wrote_any=True
    )


def _reindex_bulk(state: State, result: Result) -> State | None:
    if isinstance(result, Right):
        return _after_bulk(state, S.REINDEX_SOURCE_TO_TEMP_READ, result)
    if result.kind in ("target_index_had_write_block", "index_not_found_exception"):
        # Another migrator finished copying and froze (or replaced) the temp index.
        return state.evolve(
            control_state=S.REINDEX_SOURCE_TO_TEMP_CLOSE_PIT, batches=(), copy_interrupted=True
        )
    if result.kind == "request_entity_too_large_exception":
        return fatal(state, _TOO_LARGE)
    return None


def outdated_bulk(state: State, result: Result) -> State | None:
    if isinstance(result, Right):
        return _after_bulk(state, S.OUTDATED_DOCUMENTS_SEARCH_READ, result)
    if result.kind == "request_entity_too_large_exception":
        return fatal(state, _TOO_LARGE)
    return None


_TOO_LARGE = (
    "While indexing a batch of saved objects, the engine returned a 413 Request Entity Too "
    "Large exception. Ensure that max_batch_bytes is lower than or equal to the engine's "
    "'http.max_content_length' setting."
)


def _reindex_close_pit(state: State, result: Result) -> State | None:
    if not isinstance(result, Right):
        return None
    state = state.evolve(pit_id=None)
    if state.has_document_problems and not state.discard_corrupt_objects:
        return fatal(state, document_problems_message(state.corrupt_ids, state.transform_errors))
    return state.evolve(control_state=S.SET_TEMP_WRITE_BLOCK)


def _set_temp_write_block(state: State, result: Result) -> State | None:
    if isinstance(result, Right) or result.kind == "index_not_found_exception":
        return state.evolve(control_state=S.CLONE_TEMP_TO_TARGET)
    if result.kind == "set_write_block_failed":
        return delay_retry(state, "write block not acknowledged", state.retry_attempts)
    return None


def _clone(state: State, result: Result) -> State | None:
    if isinstance(result, Right) or result.kind == "index_not_found_exception":
        return state.evolve(control_state=S.REFRESH_TARGET)
    if result.kind == "index_not_green_timeout":
        return delay_retry(state, str(result.data.get("message")), state.retry_attempts)
    return None


def _refresh_target(state: State, result: Result) -> State | None:
    if isinstance(result, Right):
        return state.evolve(control_state=S.CHECK_TARGET_COUNT)
    return None


def _check_target_count(state: State, result: Result) -> State | None:
    if not isinstance(result, Right):
        return None
    found = int(result.value)
    if state.source_total is not None and not state.copy_interrupted:
        expected = state.source_total - state.discarded_count
        if found < expected:
            return fatal(
                state,
                f"Document count check failed: the target index [{state.target_index}] holds "
                f"{found} documents, expected at least {expected} ({state.source_total} read "
                f"from [{state.source_index}], {state.discarded_count} discarded).",
            )
        state = log(state, "info", f"Document count check passed: {found} >= {expected}.")
    return state.evolve(control_state=S.OUTDATED_DOCUMENTS_COUNT)


def _outdated_count(state: State, result: Result) -> State | None:
    if not isinstance(result, Right):
        return None
    if int(result.value) == 0:
        return state.evolve(control_state=S.CHECK_TARGET_MAPPINGS)
    return state.evolve(control_state=S.OUTDATED_DOCUMENTS_SEARCH_OPEN_PIT)


def _outdated_close_pit(state: State, result: Result) -> State | None:
    if not isinstance(result, Right):
        return None
    state = state.evolve(pit_id=None)
    if state.has_document_problems and not state.discard_corrupt_objects:
        return fatal(state, document_problems_message(state.corrupt_ids, state.transform_errors))
    if state.wrote_any:
        return state.evolve(control_state=S.OUTDATED_DOCUMENTS_REFRESH)
    return state.evolve(control_state=S.CHECK_TARGET_MAPPINGS)


def _outdated_refresh(state: State, result: Result) -> State | None:
    if isinstance(result, Right):
        return state.evolve(control_state=S.CHECK_TARGET_MAPPINGS)
    return None


def _check_target_mappings(state: State, result: Result) -> State | None:
    if not isinstance(result, Right):
        return None
    stored = result.value  # the action answers the remembered mappings or reads them
    verdict, types = diff_mappings(stored, state.target_mappings)
    if verdict == "incomplete" and only_dynamic_differs(stored, state.target_mappings):
        # A clone of our temp index: documents were indexed for these mappings as they
        # were copied; only strictness (and the final _meta write) is left.
        return state.evolve(control_state=S.UPDATE_TARGET_MAPPINGS_META)
    if verdict == "incomplete":
        return state.evolve(
            control_state=S.UPDATE_TARGET_MAPPINGS_PROPERTIES, update_query=pickup_query(state, ())
        )
    if verdict == "types_changed":
        query = pickup_query(state, types)
        return log(
            state.evolve(control_state=S.UPDATE_TARGET_MAPPINGS_PROPERTIES, update_query=query),
            "info",
            f"Mappings of these types changed, picking up their documents: {', '.join(types)}",
        )
    if verdict == "types_added":
        return state.evolve(control_state=S.UPDATE_TARGET_MAPPINGS_META)
    return log(
        state.evolve(control_state=S.CHECK_VERSION_INDEX_READY_ACTIONS),
        "info",
        "There are no changes in the mappings of any of the SO types, skipping "
        "UPDATE_TARGET_MAPPINGS steps.",
    )


def pickup_query(state: State, types: Sequence[str]) -> dict[str, Any] | None:
    """The documents the pickup re-indexes: those of ``types`` (all when empty) -- and, when
    this run updated the mappings in place, only those last written before that: every
    later write (each document the loop migrated, for a start) already used the new
    mappings, so a migration that rewrote every document has nothing left to pick up."""
    clauses: dict[str, Any] = {}
    if types:
        clauses["should"] = [{"term": {"type": name}} for name in types]
        clauses["minimum_should_match"] = 1
    if state.mapped_after_seq_no is not None and state.target_index == state.source_index:
        clauses["filter"] = [{"range": {"_seq_no": {"lte": state.mapped_after_seq_no}}}]
    return {"bool": clauses} if clauses else None


def _update_target_mappings(state: State, result: Result) -> State | None:
    if isinstance(result, Right):
        return state.evolve(
            control_state=S.UPDATE_TARGET_MAPPINGS_PROPERTIES_WAIT_FOR_TASK,
            task_id=str(result.value),
        )
    return None


def wait_for_task_handler(done: ControlState, again: ControlState) -> Handler:
    """A wait for a background update-by-query (the mappings pickup): on to ``done``;
    a failed task is started again from ``again`` after a back-off."""

    def handler(state: State, result: Result) -> State | None:
        if isinstance(result, Right):
            return state.evolve(control_state=done, task_id=None)
        if result.kind == "wait_for_task_completion_timeout":
            # A long pickup never fails for taking long: the action already waited in the
            # engine, so ask again at once, without spending retries.
            return state.evolve(retry_delay=0.0)
        if result.kind == "task_failed":
            return delay_retry(
                state.evolve(control_state=again, task_id=None),
                str(result.data.get("message")),
                state.retry_attempts,
            )
        return None

    return handler


def _update_target_meta(state: State, result: Result) -> State | None:
    if isinstance(result, Right):
        return state.evolve(control_state=S.CHECK_VERSION_INDEX_READY_ACTIONS)
    return None


def _check_ready_actions(state: State, result: Result) -> State | None:
    if not isinstance(result, Right):
        return None
    if state.alias_actions:
        return state.evolve(control_state=S.MARK_VERSION_INDEX_READY)
    return state.evolve(control_state=S.DONE)


def _mark_ready(state: State, result: Result) -> State | None:
    if isinstance(result, Right):
        return state.evolve(control_state=S.DONE)
    if result.kind in ("alias_not_found_exception", "index_not_found_exception"):
        # Someone else switched the aliases first: find out whether they are on our side.
        return state.evolve(control_state=S.MARK_VERSION_INDEX_READY_CONFLICT)
    return None


def _mark_ready_conflict(state: State, result: Result) -> State | None:
    if not isinstance(result, Right):
        return None
    aliases = aliases_of(result.value or {})
    current = aliases.get(state.prefix, [None])[0]
    if current is not None and current == aliases.get(state.version_alias, [None])[0]:
        return state.evolve(control_state=S.DONE)
    other = version_from_index(current or "") or current
    return fatal(
        state,
        f"Multiple versions are attempting a migration in parallel. Another instance on version "
        f"{other} completed this migration (this instance is running {state.version}). Ensure "
        "that all instances are running on same version and try again.",
    )


_HANDLERS: dict[ControlState, Handler] = {
    S.INIT: _init,
    S.CREATE_NEW_TARGET: _create_new_target,
    S.WAIT_FOR_YELLOW_SOURCE: _wait_for_yellow_source,
    S.UPDATE_SOURCE_MAPPINGS_PROPERTIES: _update_source_mappings,
    S.CLEANUP_UNKNOWN_AND_EXCLUDED: _cleanup_unknown,
    S.CLEANUP_UNKNOWN_DELETE: _cleanup_unknown_delete,
    S.PREPARE_COMPATIBLE_MIGRATION: _prepare_compatible,
    S.REFRESH_SOURCE: _refresh_source,
    S.CHECK_UNKNOWN_DOCUMENTS: _check_unknown_documents,
    S.SET_SOURCE_WRITE_BLOCK: _set_source_write_block,
    S.CALCULATE_EXCLUDE_FILTERS: _calculate_exclude_filters,
    S.CREATE_REINDEX_TEMP: _create_reindex_temp,
    S.REINDEX_SOURCE_TO_TEMP_CHECK: _reindex_check,
    S.REINDEX_SOURCE_TO_TEMP_SERVER_SIDE: _reindex_server_side,
    S.REINDEX_SOURCE_TO_TEMP_SERVER_SIDE_WAIT: _reindex_server_side_wait,
    S.REINDEX_SOURCE_TO_TEMP_OPEN_PIT: open_pit_handler(S.REINDEX_SOURCE_TO_TEMP_READ),
    S.REINDEX_SOURCE_TO_TEMP_READ: read_handler(
        S.REINDEX_SOURCE_TO_TEMP_TRANSFORM,
        S.REINDEX_SOURCE_TO_TEMP_CLOSE_PIT,
        S.REINDEX_SOURCE_TO_TEMP_OPEN_PIT,
    ),
    S.REINDEX_SOURCE_TO_TEMP_TRANSFORM: transform_handler(
        S.REINDEX_SOURCE_TO_TEMP_READ, S.REINDEX_SOURCE_TO_TEMP_INDEX_BULK
    ),
    S.REINDEX_SOURCE_TO_TEMP_INDEX_BULK: _reindex_bulk,
    S.REINDEX_SOURCE_TO_TEMP_CLOSE_PIT: _reindex_close_pit,
    S.SET_TEMP_WRITE_BLOCK: _set_temp_write_block,
    S.CLONE_TEMP_TO_TARGET: _clone,
    S.REFRESH_TARGET: _refresh_target,
    S.CHECK_TARGET_COUNT: _check_target_count,
    S.OUTDATED_DOCUMENTS_COUNT: _outdated_count,
    S.OUTDATED_DOCUMENTS_SEARCH_OPEN_PIT: open_pit_handler(S.OUTDATED_DOCUMENTS_SEARCH_READ),
    S.OUTDATED_DOCUMENTS_SEARCH_READ: read_handler(
        S.OUTDATED_DOCUMENTS_TRANSFORM,
        S.OUTDATED_DOCUMENTS_SEARCH_CLOSE_PIT,
        S.OUTDATED_DOCUMENTS_SEARCH_OPEN_PIT,
    ),
    S.OUTDATED_DOCUMENTS_TRANSFORM: transform_handler(
        S.OUTDATED_DOCUMENTS_SEARCH_READ, S.TRANSFORMED_DOCUMENTS_BULK_INDEX
    ),
    S.TRANSFORMED_DOCUMENTS_BULK_INDEX: outdated_bulk,
    S.OUTDATED_DOCUMENTS_SEARCH_CLOSE_PIT: _outdated_close_pit,
    S.OUTDATED_DOCUMENTS_REFRESH: _outdated_refresh,
    S.CHECK_TARGET_MAPPINGS: _check_target_mappings,
    S.UPDATE_TARGET_MAPPINGS_PROPERTIES: _update_target_mappings,
    S.UPDATE_TARGET_MAPPINGS_PROPERTIES_WAIT_FOR_TASK: wait_for_task_handler(
        S.UPDATE_TARGET_MAPPINGS_META, S.UPDATE_TARGET_MAPPINGS_PROPERTIES
    ),
    S.UPDATE_TARGET_MAPPINGS_META: _update_target_meta,
    S.CHECK_VERSION_INDEX_READY_ACTIONS: _check_ready_actions,
    S.MARK_VERSION_INDEX_READY: _mark_ready,
    S.MARK_VERSION_INDEX_READY_CONFLICT: _mark_ready_conflict,
}
