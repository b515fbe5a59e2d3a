"""Indices with replicas the cluster cannot place: a one-node cluster leaves a source with
``number_of_replicas: 1`` yellow. The migrator waits for yellow on the source, as Kibana's
WAIT_FOR_YELLOW_SOURCE does, and migrates it on both paths; the indices it creates itself
expand their replicas to what the cluster can hold (``auto_expand_replicas: 0-1``)."""

from __future__ import annotations

import pytest

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from tests.migrations.index._helpers import aliases, all_docs, run, seed, widgets
from tests.migrations.index._registries import registry_v1, registry_v2, registry_v3

pytestmark = pytest.mark.engine


def health(engine: Engine, index: str) -> str:
    return str(engine.perform(rq.cluster_health(index, timeout="5s"))["status"])


def yellow_source(engine: Engine, prefix: str) -> str:
    """The 1.0.0 index with 20 widgets and one replica that has nowhere to go."""
    assert run(engine, registry_v1(), prefix, "1.0.0").ok
    seed(engine, prefix, widgets(20))
    source = f"{prefix}_1.0.0_001"
    engine.perform(
        rq.put_settings(source, {"index": {"auto_expand_replicas": False, "number_of_replicas": 1}})
    )
    assert health(engine, source) == "yellow"
    return source


def test_a_yellow_source_is_migrated_in_place(kbn_engine: Engine, kbn_index_prefix: str) -> None:
    prefix = f"{kbn_index_prefix}-so"
    source = yellow_source(kbn_engine, prefix)
    steps: list[str] = []
    report = run(kbn_engine, registry_v2(), prefix, "2.0.0", steps, retry_timeout=10)
    assert report.ok, report.to_dict()
    assert report.results[0].kind == "compatible"
    assert "WAIT_FOR_YELLOW_SOURCE" not in steps[steps.index("WAIT_FOR_YELLOW_SOURCE") + 1 :]
    docs = all_docs(kbn_engine, prefix)
    assert len(docs) == 20
    assert all(d["typeMigrationVersion"] == "10.1.0" for d in docs.values())
    assert health(kbn_engine, source) == "yellow"  # its settings are the user's


def test_a_yellow_source_is_copied_to_an_index_that_fits_the_cluster(
    kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    prefix = f"{kbn_index_prefix}-so"
    yellow_source(kbn_engine, prefix)
    report = run(kbn_engine, registry_v3(), prefix, "3.0.0", retry_timeout=10)
    assert report.ok, report.to_dict()
    assert report.results[0].kind == "reindex"
    target = f"{prefix}_3.0.0_001"
    assert aliases(kbn_engine, prefix)[target] == [prefix, f"{prefix}_3.0.0"]
    assert health(kbn_engine, target) == "green"
    settings = kbn_engine.perform(rq.get_settings(target))[target]["settings"]["index"]
    assert settings["auto_expand_replicas"] == "0-1"
    docs = all_docs(kbn_engine, prefix)
    assert len(docs) == 20
    assert all(d["widget"]["upper"] == d["widget"]["title"].upper() for d in docs.values())
