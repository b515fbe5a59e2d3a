"""What a migration run produces: per-index results, the report, and its log lines."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from kbn_saved_objects.errors import SavedObjectsError, UnclassifiedError
from kbn_saved_objects.migrations.index.state import ControlState, MigrationKind, State

logger = logging.getLogger("kbn_saved_objects.migrations.index")

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
class TypeReport:
    """One type in one index after the run: documents there now (``total``), how many a
    transform moved forward (``migrated``), left as they were (``unchanged``) and dropped
    (``discarded``: corrupt, failing, unknown, retired or excluded by a hook)."""

    name: str
    total: int
    migrated: int
    unchanged: int
    discarded: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.name,
            "total": self.total,
            "migrated": self.migrated,
            "unchanged": self.unchanged,
            "discarded": self.discarded,
        }


def type_reports(state: State, totals: Mapping[str, int]) -> tuple[TypeReport, ...]:
    migrated = dict(state.migrated_by_type)
    discarded = dict(state.discarded_by_type)
    names = sorted({*state.index_type_names, *totals, *migrated, *discarded})
    return tuple(
        TypeReport(
            name=name,
            total=totals.get(name, 0),
            migrated=migrated.get(name, 0),
            unchanged=max(totals.get(name, 0) - migrated.get(name, 0), 0),
            discarded=discarded.get(name, 0),
        )
        for name in names
    )


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
    types: tuple[TypeReport, ...] = ()

    @property
    def docs_per_s(self) -> float:
        """Documents processed per second of the whole run (0 when none were)."""
        return self.processed / (self.elapsed_ms / 1000) if self.elapsed_ms else 0.0

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
            "docsPerSecond": round(self.docs_per_s, 1),
            "types": [t.to_dict() for t in self.types],
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


def log_transition(old: State, new: State, took_ms: float) -> None:
    """``[<prefix>] OLD -> NEW. took: Nms.`` plus the step's own messages; structured data
    rides in ``extra["kbn_migration"]`` for JSON log handlers."""
    for entry in new.logs:
        getattr(logger, entry.level)(
            f"[{new.prefix}] {entry.message}",
            extra={"kbn_migration": {"index": new.prefix, "event": "message"}},
        )
    if not logger.isEnabledFor(logging.INFO):
        return  # the redacted state lists every id of the page: not built for nobody
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


def index_result(
    state: State, elapsed_ms: int, totals: Mapping[str, int] | None = None
) -> IndexMigrationResult:
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
        types=type_reports(state, totals) if totals is not None else (),
    )


def crash(state: State, error: BaseException) -> State:
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


def finish(
    state: State, started: float, totals: Mapping[str, int] | None = None
) -> IndexMigrationResult:
    """The index's result (``totals``: documents per type in the target, when known)."""
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
    return index_result(state, elapsed, totals)


def build_report(results: tuple[IndexMigrationResult, ...], started: float) -> MigrationReport:
    elapsed = round((time.monotonic() - started) * 1000)
    logger.info(
        f"Completed all migrations in {elapsed}ms",
        extra={"kbn_migration": {"event": "completed", "tookMs": elapsed}},
    )
    return MigrationReport(results, elapsed)
