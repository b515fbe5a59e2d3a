"""Migrators started together on the same in-place migration: the work one of them did is
not done again by the others (each document is sent to the engine once)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

import pytest

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.migrations.index import MigrationOptions, MigrationReport, migrate
from tests.migrations.index._helpers import all_docs, config, run, seed, widgets
from tests.migrations.index._registries import registry_v1, registry_v2

pytestmark = pytest.mark.engine

DOCS = 400


class BulkCounter:
    """The real engine, counting the index operations each ``_bulk`` sends."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.info = engine.info
        self.sent = 0
        self._lock = threading.Lock()

    def perform(self, request: rq.Request) -> Any:
        if request.path.endswith("/_bulk") and request.body:
            ops = sum(1 for line in request.body.splitlines() if line.startswith(b'{"index"'))
            with self._lock:
                self.sent += ops
        return self.engine.perform(request)


def test_runs_that_opened_their_pit_early_skip_what_another_run_migrated(
    kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    """Three runs open their point in time and wait; a fourth migrates every document; then
    the three go on. Their snapshots still show every document as outdated, yet none of
    them transforms or sends one again: 400 index operations in all, not 1,600."""
    prefix = f"{kbn_index_prefix}-so"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
    seed(kbn_engine, prefix, widgets(DOCS))
    counter = BulkCounter(kbn_engine)
    engine = cast(Engine, counter)
    at_first_read = threading.Barrier(4)
    first_done = threading.Event()

    def late(_: int) -> MigrationReport:
        paused = False

        def pause_at_first_read(old: Any, new: Any, took: float) -> None:
            nonlocal paused
            if str(new.control_state) == "OUTDATED_DOCUMENTS_SEARCH_READ" and not paused:
                paused = True
                at_first_read.wait(60)
                assert first_done.wait(120)

        return migrate(
            engine,
            registry_v2(),
            config=config(prefix, "2.0.0"),
            options=MigrationOptions(batch_size=50, retry_base_delay=0.01),
            on_transition=pause_at_first_read,
            raise_on_failure=False,
        )

    with ThreadPoolExecutor(3) as pool:
        waiting = [pool.submit(late, i) for i in range(3)]
        at_first_read.wait(60)  # all three hold a point in time from before any write
        first = migrate(
            engine,
            registry_v2(),
            config=config(prefix, "2.0.0"),
            options=MigrationOptions(batch_size=50, retry_base_delay=0.01),
            raise_on_failure=False,
        )
        first_done.set()
        reports = [first, *(future.result(120) for future in waiting)]

    assert all(r.ok for r in reports), [r.to_dict() for r in reports]
    assert counter.sent == DOCS
    assert [r.results[0].written for r in reports] == [DOCS, 0, 0, 0]
    docs = all_docs(kbn_engine, prefix)
    assert len(docs) == DOCS
    assert kbn_engine.perform(rq.count(prefix, {"match_all": {}}))["count"] == DOCS
    for doc in docs.values():
        assert doc["typeMigrationVersion"] == "10.1.0"
        assert doc["widget"]["size"] == len(doc["widget"]["title"])


def test_runs_in_lockstep_write_each_document_once(
    kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    """Four runs at once: the engine accepts one write per document, and the reports' written
    counts add up to the documents, whoever won each one."""
    prefix = f"{kbn_index_prefix}-so"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
    seed(kbn_engine, prefix, widgets(DOCS))
    with ThreadPoolExecutor(4) as pool:
        reports = list(
            pool.map(
                lambda _: run(kbn_engine, registry_v2(), prefix, "2.0.0", batch_size=50), range(4)
            )
        )
    assert all(r.ok for r in reports), [r.to_dict() for r in reports]
    assert sum(r.results[0].written for r in reports) == DOCS
    docs = all_docs(kbn_engine, prefix)
    assert len(docs) == DOCS
    assert all(doc["typeMigrationVersion"] == "10.1.0" for doc in docs.values())
