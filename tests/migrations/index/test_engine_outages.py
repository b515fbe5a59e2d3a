"""The migrator against an engine that goes away: it gives up within ``retry_timeout`` when
the engine stays gone, and goes on when it comes back (a restart loses the read's PIT)."""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from opensearchpy import OpenSearch

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine._sync.adapters import OpenSearchAdapter
from kbn_saved_objects.engine.local.node import LocalNode, free_port
from kbn_saved_objects.migrations.index import MigrationOptions, actions, migrate
from kbn_saved_objects.migrations.index.model import model
from kbn_saved_objects.migrations.index.state import ControlState, Left, State
from kbn_saved_objects.types import SavedObjectTypeRegistry
from tests.migrations.index._helpers import (
    all_docs,
    config,
    run,
    seed,
    target_mappings,
    widgets,
)
from tests.migrations.index._registries import registry_v1, registry_v2, registry_v3

pytestmark = pytest.mark.engine


def test_a_dead_engine_fails_the_run_within_retry_timeout(
    kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    """Nothing listens on the port: every step fails to connect. With the default 15
    attempts the run would wait ~12 minutes; the budget ends it after ~1.5 s."""
    dead = Engine(
        OpenSearchAdapter(OpenSearch(hosts=[f"http://127.0.0.1:{free_port()}"]), kbn_engine.info)
    )
    started = time.monotonic()
    report = run(
        dead,
        registry_v1(),
        f"{kbn_index_prefix}-so",
        "1.0.0",
        retry_base_delay=0.5,
        retry_timeout=1.5,
    )
    took = time.monotonic() - started
    assert not report.ok
    reason = report.results[0].reason or ""
    assert reason.startswith("Unable to complete the INIT step after retrying for 1.5 seconds")
    assert "The last failure message was:" in reason
    assert "onnect" in reason  # the connection error itself, as the client words it
    assert took < 10


@pytest.fixture(scope="module")
def own_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNode]:
    """A node of our own, on a kept data folder and port, so that it can be restarted."""
    node = LocalNode(data_dir=tmp_path_factory.mktemp("node"), port=free_port(), heap="512m")
    node.start(timeout=240)
    try:
        yield node
    finally:
        node.stop()
        shutil.rmtree(node.data_dir, ignore_errors=True)


@pytest.mark.parametrize(
    ("path", "registry", "version", "loop"),
    [
        ("reindex", registry_v3, "3.0.0", ("READ", "OPEN_PIT", "INDEX_BULK")),
        ("compatible", registry_v2, "2.0.0", ("SEARCH_READ", "SEARCH_OPEN_PIT", "BULK_INDEX")),
    ],
)
def test_an_engine_restart_mid_loop_loses_the_pit_and_the_run_goes_on(
    own_node: LocalNode,
    path: str,
    registry: Callable[[], SavedObjectTypeRegistry],
    version: str,
    loop: tuple[str, str, str],
) -> None:
    """The node is stopped after the third batch was written and started again on the same
    data: the read's point in time is gone. The run reopens it and finishes, with every
    document there exactly once, migrated."""
    prefix = f"kbn-so-test-restart-{path}"
    engine = Engine.connect(own_node.url)
    try:
        assert run(engine, registry_v1(), prefix, "1.0.0").ok
        seed(engine, prefix, widgets(600))
        stem = "REINDEX_SOURCE_TO_TEMP_" if path == "reindex" else "OUTDATED_DOCUMENTS_"
        read, open_pit = stem + loop[0], stem + loop[1]
        bulk = stem + loop[2] if path == "reindex" else "TRANSFORMED_DOCUMENTS_BULK_INDEX"
        stopped = threading.Event()
        steps: list[str] = []

        def restart_after_third_batch(old: Any, new: Any, took: float) -> None:
            steps.append(str(new.control_state))
            if steps.count(bulk) == 3 and not stopped.is_set():
                own_node.stop()  # the migrator goes on against a dead engine meanwhile
                stopped.set()

        with ThreadPoolExecutor(1) as pool:
            running = pool.submit(
                migrate,
                engine,
                registry(),
                config=config(prefix, version),
                options=MigrationOptions(batch_size=50, retry_base_delay=0.25),
                on_transition=restart_after_third_batch,
                raise_on_failure=False,
            )
            assert stopped.wait(120)
            own_node.start(timeout=240)
            report = running.result(timeout=300)
        assert report.ok, report.to_dict()
        # the read that found its point in time gone opened a new one and went on
        after_read = {steps[i + 1] for i, step in enumerate(steps[:-1]) if step == read}
        assert open_pit in after_read, steps
        docs = all_docs(engine, prefix)
        assert sorted(docs) == sorted(doc_id for doc_id, _ in widgets(600))
        assert engine.perform(rq.count(prefix, {"match_all": {}}))["count"] == 600
        for doc in docs.values():
            widget = doc["widget"]
            assert widget["size"] == len(widget["title"])
            if path == "reindex":
                assert doc["typeMigrationVersion"] == "10.2.0"
                assert widget["upper"] == widget["title"].upper()
            else:
                assert doc["typeMigrationVersion"] == "10.1.0"
        result = report.results[0]
        assert dict((t.name, t.migrated) for t in result.types)["widget"] == 600
    finally:
        engine.close()


def test_a_red_source_is_waited_for_then_given_up_on(
    own_node: LocalNode, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source whose primary cannot be allocated (red) is never touched: the run waits for
    it to turn yellow (Kibana's WAIT_FOR_YELLOW_SOURCE) and gives up once retry_timeout is
    spent, naming the timeout. On our own node: a red index turns the whole cluster red."""
    monkeypatch.setattr(actions, "HEALTH_TIMEOUT", "1s")
    prefix = "kbn-so-test-red"
    source = f"{prefix}_1.0.0_001"
    engine = Engine.connect(own_node.url)
    try:
        engine.perform(
            rq.create_index(
                source,
                mappings=target_mappings(engine, registry_v1(), prefix),
                settings={"index.routing.allocation.require._name": "nowhere"},
                aliases={prefix: {}, f"{prefix}_1.0.0": {}},
                wait_for_active_shards="0",
            )
        )
        assert engine.perform(rq.cluster_health(source, timeout="1s"))["status"] == "red"

        steps: list[str] = []
        report = run(
            engine, registry_v2(), prefix, "2.0.0", steps, retry_base_delay=0.5, retry_timeout=2
        )
        assert not report.ok
        reason = report.results[0].reason or ""
        assert reason.startswith("Unable to complete the WAIT_FOR_YELLOW_SOURCE step after")
        assert (
            f"[index_not_yellow_timeout] Timeout waiting for the status of the [{source}] index "
            "to become 'yellow'" in reason
        )
        assert set(steps) == {"WAIT_FOR_YELLOW_SOURCE", "FATAL"}
    finally:
        with contextlib.suppress(Exception):
            engine.perform(rq.delete_index(source))
        engine.close()


def test_bulk_items_refused_for_a_missing_primary_are_retried(own_node: LocalNode) -> None:
    """After a restart the primary may not be back yet: the engine waits ``timeout`` and
    fails each item with ``unavailable_shards_exception`` (503). That batch is retried as a
    whole (safe: in place its written documents then conflict, in a copy they are replaced
    by id), not a crash. The answer is the engine's own, to a red index on our own node."""
    index = "kbn-so-test-unassigned"
    engine = Engine.connect(own_node.url)
    try:
        engine.perform(
            rq.create_index(
                index,
                settings={"index.routing.allocation.require._name": "nowhere"},
                wait_for_active_shards="0",
            )
        )
        request = rq.bulk(
            [({"index": {"_id": "widget:a"}}, {"type": "widget"})], index=index, only_errors=True
        )
        answer = engine.perform(
            dataclasses.replace(request, params={**(request.params or {}), "timeout": "1s"})
        )
        assert answer["items"][0]["index"]["error"]["type"] == "unavailable_shards_exception"

        writing = State(
            control_state=ControlState.TRANSFORMED_DOCUMENTS_BULK_INDEX,
            prefix="app",
            version="2.0.0",
            target_mappings={},
            index_type_names=(),
            known_type_names=(),
            outdated_query={},
            target_index=index,
            batches=((rq.bulk_lines({"index": {"_id": "widget:a"}}, {"type": "widget"}),),),
            write_concurrency=1,
        )
        operation = actions._bulk(writing, index=index, require_alias=False)
        assert next(operation).path == f"/{index}/_bulk"
        with pytest.raises(StopIteration) as stop:
            operation.send(answer)
        result = stop.value.value
        assert result == Left("retryable_es_client_error", result.data)
        assert "unavailable_shards_exception" in result.data["message"]
        assert model(writing, result).control_state == ControlState.TRANSFORMED_DOCUMENTS_BULK_INDEX
    finally:
        with contextlib.suppress(Exception):
            engine.perform(rq.delete_index(index))
        engine.close()
