"""The runner without a cluster: retryable errors go through the model's backoff, other
errors end the run with a report, and the async runner migrates like the sync one."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.engine import AsyncEngine, Engine
from kbn_saved_objects.engine.flavors import EngineInfo
from kbn_saved_objects.errors import BadRequestError, EngineUnavailableError
from kbn_saved_objects.migrations.document import DocumentMigrator
from kbn_saved_objects.migrations.index import MigrationOptions, migrate_async
from kbn_saved_objects.migrations.index._sync.driver import run_state_machine
from kbn_saved_objects.migrations.index.actions import Context
from kbn_saved_objects.migrations.index.options import initial_states
from kbn_saved_objects.repository import RepositoryConfig
from tests.migrations.index._helpers import aliases, all_docs, seed, widgets
from tests.migrations.index._registries import registry_v1, registry_v2


class FlakyEngine:
    """Answers INIT with "nothing here", then fails the index creation ``failures`` times."""

    info = EngineInfo("opensearch", "2.19.0")

    def __init__(self, failures: int, error: Exception) -> None:
        self.failures = failures
        self.error = error
        self.calls: list[str] = []

    def perform(self, request: Any) -> Any:
        self.calls.append(f"{request.method} {request.path}")
        if request.method == "GET" and "_cluster/health" not in request.path:
            return {}
        if request.method == "PUT" and self.failures:
            self.failures -= 1
            raise self.error
        if "_cluster/health" in request.path:
            return {"status": "green", "timed_out": False}
        return {"acknowledged": True}


def _run(engine: FlakyEngine, attempts: int = 15) -> Any:
    registry = registry_v1()
    options = MigrationOptions(version="1.0.0", retry_attempts=attempts, retry_base_delay=0.001)
    migrator = DocumentMigrator(registry)
    state = initial_states(engine.info, registry, RepositoryConfig("app"), options, migrator)[0]
    ctx = Context(engine.info, registry, migrator)
    return run_state_machine(engine, ctx, state)  # type: ignore[arg-type]


def test_retryable_errors_are_retried() -> None:
    engine = FlakyEngine(3, EngineUnavailableError("down", metadata={"engine_status": None}))
    result = _run(engine)
    assert result.status == "patched"
    assert engine.calls.count("PUT /app_1.0.0_001") == 4


def test_retries_run_out() -> None:
    engine = FlakyEngine(10, EngineUnavailableError("down", metadata={"engine_status": 503}))
    result = _run(engine, attempts=2)
    assert result.status == "failed"
    assert "Unable to complete the CREATE_NEW_TARGET step after 2 attempts" in result.reason


def test_other_errors_end_the_run_with_a_report() -> None:
    error = BadRequestError("nope", metadata={"engine_status": 400, "engine_error_type": "x"})
    result = _run(FlakyEngine(1, error))
    assert result.status == "failed"
    assert "Unexpected engine error" in result.reason
    assert "CREATE_NEW_TARGET" in result.reason


@pytest.mark.engine
async def test_async_runner(
    kbn_async_engine: AsyncEngine, kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    prefix = f"{kbn_index_prefix}-so"
    config = RepositoryConfig(default_index=prefix, index_suffix="_1.0.0")
    report = await migrate_async(kbn_async_engine, registry_v1(), config=config)
    assert report.ok
    seed(kbn_engine, prefix, widgets(5))
    report = await migrate_async(
        kbn_async_engine,
        registry_v2(),
        config=RepositoryConfig(default_index=prefix, index_suffix="_2.0.0"),
    )
    assert report.ok
    assert report.results[0].processed == 5
    assert all("size" in d["widget"] for d in all_docs(kbn_engine, prefix).values())
    assert aliases(kbn_engine, prefix) == {f"{prefix}_1.0.0_001": [prefix, f"{prefix}_2.0.0"]}
