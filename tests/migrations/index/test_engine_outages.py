"""The migrator against an engine that goes away: it gives up within ``retry_timeout`` when
the engine stays gone, and goes on when it comes back (a restart loses the read's PIT)."""

from __future__ import annotations

import time

import pytest
from opensearchpy import OpenSearch

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine._sync.adapters import OpenSearchAdapter
from kbn_saved_objects.engine.local.node import free_port
from tests.migrations.index._helpers import run
from tests.migrations.index._registries import registry_v1

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
