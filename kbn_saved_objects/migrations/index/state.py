"""The migration state: an immutable value the pure model turns into the next one.

Everything a step needs is in :class:`State`, so the model is a function of (state, action
result) and every transition can be unit-tested from a table, without an engine. Nothing
here lives only in the process that must survive a crash: the machine always starts at
``INIT`` and re-derives where it is from what the cluster holds (aliases, indices,
mappings ``_meta``), which is what makes a killed run resumable.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Literal


class ControlState(StrEnum):
    """The control states this port implements (names as in Kibana, so logs grep alike):
    v2's, then those only the zero-downtime algorithm visits (:mod:`.zdt`). The two share
    ``INIT``, the outdated-documents loop, ``DONE`` and ``FATAL``."""

    INIT = "INIT"
    CREATE_NEW_TARGET = "CREATE_NEW_TARGET"
    WAIT_FOR_YELLOW_SOURCE = "WAIT_FOR_YELLOW_SOURCE"
    UPDATE_SOURCE_MAPPINGS_PROPERTIES = "UPDATE_SOURCE_MAPPINGS_PROPERTIES"
    CLEANUP_UNKNOWN_AND_EXCLUDED = "CLEANUP_UNKNOWN_AND_EXCLUDED"
    CLEANUP_UNKNOWN_DELETE = "CLEANUP_UNKNOWN_DELETE"
    PREPARE_COMPATIBLE_MIGRATION = "PREPARE_COMPATIBLE_MIGRATION"
    REFRESH_SOURCE = "REFRESH_SOURCE"
    CHECK_UNKNOWN_DOCUMENTS = "CHECK_UNKNOWN_DOCUMENTS"
    SET_SOURCE_WRITE_BLOCK = "SET_SOURCE_WRITE_BLOCK"
    CALCULATE_EXCLUDE_FILTERS = "CALCULATE_EXCLUDE_FILTERS"
    CREATE_REINDEX_TEMP = "CREATE_REINDEX_TEMP"
    REINDEX_SOURCE_TO_TEMP_CHECK = "REINDEX_SOURCE_TO_TEMP_CHECK"
    REINDEX_SOURCE_TO_TEMP_SERVER_SIDE = "REINDEX_SOURCE_TO_TEMP_SERVER_SIDE"
    REINDEX_SOURCE_TO_TEMP_SERVER_SIDE_WAIT = "REINDEX_SOURCE_TO_TEMP_SERVER_SIDE_WAIT"
    REINDEX_SOURCE_TO_TEMP_OPEN_PIT = "REINDEX_SOURCE_TO_TEMP_OPEN_PIT"
    REINDEX_SOURCE_TO_TEMP_READ = "REINDEX_SOURCE_TO_TEMP_READ"
    REINDEX_SOURCE_TO_TEMP_TRANSFORM = "REINDEX_SOURCE_TO_TEMP_TRANSFORM"
    REINDEX_SOURCE_TO_TEMP_INDEX_BULK = "REINDEX_SOURCE_TO_TEMP_INDEX_BULK"
    REINDEX_SOURCE_TO_TEMP_CLOSE_PIT = "REINDEX_SOURCE_TO_TEMP_CLOSE_PIT"
    SET_TEMP_WRITE_BLOCK = "SET_TEMP_WRITE_BLOCK"
    CLONE_TEMP_TO_TARGET = "CLONE_TEMP_TO_TARGET"
    REFRESH_TARGET = "REFRESH_TARGET"
    CHECK_TARGET_COUNT = "CHECK_TARGET_COUNT"
    OUTDATED_DOCUMENTS_COUNT = "OUTDATED_DOCUMENTS_COUNT"
    OUTDATED_DOCUMENTS_SEARCH_OPEN_PIT = "OUTDATED_DOCUMENTS_SEARCH_OPEN_PIT"
    OUTDATED_DOCUMENTS_SEARCH_READ = "OUTDATED_DOCUMENTS_SEARCH_READ"
    OUTDATED_DOCUMENTS_TRANSFORM = "OUTDATED_DOCUMENTS_TRANSFORM"
    TRANSFORMED_DOCUMENTS_BULK_INDEX = "TRANSFORMED_DOCUMENTS_BULK_INDEX"
    OUTDATED_DOCUMENTS_SEARCH_CLOSE_PIT = "OUTDATED_DOCUMENTS_SEARCH_CLOSE_PIT"
    OUTDATED_DOCUMENTS_REFRESH = "OUTDATED_DOCUMENTS_REFRESH"
    CHECK_TARGET_MAPPINGS = "CHECK_TARGET_MAPPINGS"
    UPDATE_TARGET_MAPPINGS_PROPERTIES = "UPDATE_TARGET_MAPPINGS_PROPERTIES"
    UPDATE_TARGET_MAPPINGS_PROPERTIES_WAIT_FOR_TASK = (
        "UPDATE_TARGET_MAPPINGS_PROPERTIES_WAIT_FOR_TASK"
    )
    UPDATE_TARGET_MAPPINGS_META = "UPDATE_TARGET_MAPPINGS_META"
    CHECK_VERSION_INDEX_READY_ACTIONS = "CHECK_VERSION_INDEX_READY_ACTIONS"
    MARK_VERSION_INDEX_READY = "MARK_VERSION_INDEX_READY"
    MARK_VERSION_INDEX_READY_CONFLICT = "MARK_VERSION_INDEX_READY_CONFLICT"
    # zero-downtime (ZDT) only
    CREATE_TARGET_INDEX = "CREATE_TARGET_INDEX"
    UPDATE_INDEX_MAPPINGS = "UPDATE_INDEX_MAPPINGS"
    UPDATE_INDEX_MAPPINGS_WAIT_FOR_TASK = "UPDATE_INDEX_MAPPINGS_WAIT_FOR_TASK"
    UPDATE_MAPPING_MODEL_VERSIONS = "UPDATE_MAPPING_MODEL_VERSIONS"
    UPDATE_ALIASES = "UPDATE_ALIASES"
    INDEX_STATE_UPDATE_DONE = "INDEX_STATE_UPDATE_DONE"
    DOCUMENTS_UPDATE_INIT = "DOCUMENTS_UPDATE_INIT"
    SET_DOC_MIGRATION_STARTED = "SET_DOC_MIGRATION_STARTED"
    SET_DOC_MIGRATION_STARTED_WAIT_FOR_INSTANCES = "SET_DOC_MIGRATION_STARTED_WAIT_FOR_INSTANCES"
    CLEANUP_UNKNOWN_AND_EXCLUDED_DOCS = "CLEANUP_UNKNOWN_AND_EXCLUDED_DOCS"
    CLEANUP_UNKNOWN_AND_EXCLUDED_DOCS_DELETE = "CLEANUP_UNKNOWN_AND_EXCLUDED_DOCS_DELETE"
    UPDATE_DOCUMENT_MODEL_VERSIONS = "UPDATE_DOCUMENT_MODEL_VERSIONS"
    UPDATE_DOCUMENT_MODEL_VERSIONS_WAIT_FOR_INSTANCES = (
        "UPDATE_DOCUMENT_MODEL_VERSIONS_WAIT_FOR_INSTANCES"
    )
    DONE = "DONE"
    FATAL = "FATAL"


TERMINAL = frozenset({ControlState.DONE, ControlState.FATAL})

MigrationKind = Literal["fresh", "unnecessary", "compatible", "reindex"]
Algorithm = Literal["v2", "zdt"]

# A bulk operation as the NDJSON it adds to a _bulk body (engine.requests.bulk_lines):
# encoded once, where the document is transformed, since its length bounds the batches
# and its bytes are the body (sizing from objects serialized every document twice).
BulkOp = bytes


@dataclass(frozen=True)
class Right:
    """An action that did what the state asked; ``value`` is what the model needs of it."""

    value: Any = None


@dataclass(frozen=True)
class Left:
    """An expected failure the model decides about (``kind`` as Kibana's Left types)."""

    kind: str
    data: dict[str, Any] = field(default_factory=dict)


Result = Right | Left


@dataclass(frozen=True)
class LogEntry:
    level: Literal["debug", "info", "warning", "error"]
    message: str


@dataclass(frozen=True)
class State:
    """One index's migration at one step.

    Fixed inputs come first (names, mappings, queries, options), then what the run learned.
    Documents are kept only as the current batch; :meth:`redacted` drops them for logs.
    """

    control_state: ControlState
    prefix: str
    version: str
    target_mappings: dict[str, Any]
    index_type_names: tuple[str, ...]
    known_type_names: tuple[str, ...]
    outdated_query: dict[str, Any]
    removed_type_names: tuple[str, ...] = ()
    """Retired types (the registry's ``legacy_types``): neither unknown nor kept."""
    batch_size: int = 1000
    max_batch_size: int = 1000
    max_batch_bytes: int = 100 * 1024 * 1024
    max_read_batch_bytes: int = 512 * 1024 * 1024
    retry_attempts: int = 15
    retry_base_delay: float = 1.0
    retry_timeout: float | None = 300.0
    """Seconds of back-off one failing step may spend before the run gives up."""
    discard_unknown_objects: bool = False
    discard_corrupt_objects: bool = False
    server_side_copy: bool = True
    write_concurrency: int = 2
    algorithm: Algorithm = "v2"
    doc_versions: tuple[tuple[str, str], ...] = ()
    """ZDT: each registered type's latest document version (``_meta.docVersions``)."""
    convert_documents: bool = True
    """ZDT: this run converts documents (Kibana's ``migrations.zdt.runOnRoles``); one
    without the role stops once the index state is updated."""
    sync_delay: float = 0.0
    """ZDT: seconds to wait after each ``_meta`` write that other instances must see."""
    # learned ----------------------------------------------------------------------------
    kind: MigrationKind | None = None
    source_index: str | None = None
    source_mappings: dict[str, Any] | None = None
    source_aliases: tuple[str, ...] = ()
    source_shards: int | None = None
    target_index: str = ""
    version_migration_completed: bool = False
    alias_actions: tuple[dict[str, Any], ...] = ()
    retry_count: int = 0
    retry_delay: float = 0.0
    retry_waited: float = 0.0
    """Back-off scheduled since the last step that succeeded (bounded by retry_timeout)."""
    pit_id: str | None = None
    pit_reopened: bool = False
    """The point in time is being opened again after the engine lost it (a restart)."""
    copy_tallies: tuple[tuple[str, Any], ...] = ()
    """The copy's tallies as they were when its read began: a copy that must read the source
    again from the start (its point in time was lost) starts them over from these."""
    search_after: tuple[Any, ...] | None = None
    hits: tuple[dict[str, Any], ...] = ()
    batches: tuple[tuple[BulkOp, ...], ...] = ()
    batch_index: int = 0
    total: int | None = None
    processed: int = 0
    written: int = 0
    wrote_any: bool = False
    copy_interrupted: bool = False
    source_total: int | None = None
    discarded_count: int = 0
    corrupt_ids: tuple[str, ...] = ()
    transform_errors: tuple[tuple[str, str], ...] = ()
    unknown_docs: tuple[tuple[str, str], ...] = ()
    excluded_unknown_types: tuple[str, ...] = ()
    exclude_filters: tuple[dict[str, Any], ...] = ()
    migrated_by_type: tuple[tuple[str, int], ...] = ()
    """Documents whose version a transform moved forward, per type (for the report)."""
    discarded_by_type: tuple[tuple[str, int], ...] = ()
    """Documents dropped, per type: corrupt, failing, unknown, retired or excluded."""
    update_query: dict[str, Any] | None = None
    mapped_after_seq_no: int | None = None
    task_id: str | None = None
    stored_meta: dict[str, Any] | None = None
    """ZDT: the index ``_meta`` as this run last wrote or read it (each write replaces it)."""
    previous_algorithm: Algorithm | None = None
    skip_documents: bool = False
    """ZDT: no document conversion (this run created the index)."""
    additive_properties: dict[str, Any] | None = None
    """ZDT: the root properties the mappings update puts (changed types, root fields)."""
    reason: str | None = None
    logs: tuple[LogEntry, ...] = ()

    @property
    def version_alias(self) -> str:
        return f"{self.prefix}_{self.version}"

    @property
    def version_index(self) -> str:
        return f"{self.prefix}_{self.version}_001"

    @property
    def temp_index(self) -> str:
        return f"{self.prefix}_{self.version}_reindex_temp"

    @property
    def temp_alias(self) -> str:
        return f"{self.temp_index}_alias"

    def reads_one_shard(self, control_state: ControlState) -> bool:
        """Whether the index the read loop of ``control_state`` pages through has exactly
        one shard: the copy reads the source; the outdated-documents loop reads the source
        in place, or an index this migrator created (always one shard)."""
        if control_state == ControlState.REINDEX_SOURCE_TO_TEMP_READ or self.kind in (
            "compatible",
            "unnecessary",
        ):
            return self.source_shards == 1
        return True

    @property
    def has_document_problems(self) -> bool:
        return bool(self.corrupt_ids or self.transform_errors)

    def evolve(self, **changes: Any) -> State:
        return replace(self, **changes)

    def redacted(self) -> dict[str, Any]:
        """The state for a log line: document bodies replaced by their ids, as Kibana does
        (content must not leak into logs, and batches would bloat them)."""
        return {
            "controlState": str(self.control_state),
            "prefix": self.prefix,
            "sourceIndex": self.source_index,
            "targetIndex": self.target_index,
            "kind": self.kind,
            "retryCount": self.retry_count,
            "processed": self.processed,
            "total": self.total,
            "hits": [hit.get("_id") for hit in self.hits],
            "batches": [len(batch) for batch in self.batches],
            "corruptIds": list(self.corrupt_ids),
            "transformErrors": [doc_id for doc_id, _ in self.transform_errors],
        }
