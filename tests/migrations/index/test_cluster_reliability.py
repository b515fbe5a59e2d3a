"""An index migration on a real 3-node cluster survives losing a data node midway.

The saved-objects indices are created with ``auto_expand_replicas: 0-1``, so on three
nodes every shard has one replica. The migration below takes the reindex path (``title``
becomes a keyword, and a backfill transforms every document client-side), and a node that
holds a primary of the temporary index is SIGKILLed between two bulk writes of the copy.
The run must either finish or fail with a clear reason; a second run must finish; and
every document must be in the new index exactly once, transformed.
"""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine.local.node import LocalCluster, http_get_json
from kbn_saved_objects.migrations.index import MigrationOptions, migrate
from tests.migrations.index._helpers import FAST, aliases, config, run, seed, widgets
from tests.migrations.index._registries import registry_v1, registry_v2, registry_v3

DOCS = 2000
BATCH = 200
KILL_AT = ("REINDEX_SOURCE_TO_TEMP_INDEX_BULK", 3)
# every retry waits at most 0.25 s x 64, 8 times: a run on a broken cluster ends in minutes
OPTIONS: dict[str, Any] = {"batch_size": BATCH, "retry_base_delay": 0.25, "retry_attempts": 8}


def shard_nodes(url: str, index: str) -> list[tuple[str, str]]:
    """(``p`` or ``r``, node name) for every started copy of ``index``'s shards."""
    rows = http_get_json(f"{url}/_cat/shards/{index}?format=json", timeout=30)
    return [(row["prirep"], row["node"]) for row in rows if row.get("state") == "STARTED"]


def victim(cluster: LocalCluster, index: str) -> int:
    """A node other than the one clients talk to, holding a primary of ``index`` if one
    does (else any copy of it)."""
    copies = shard_nodes(cluster.url, index)
    names = [node.name for node in cluster.nodes]
    for wanted in ("p", "r"):
        for kind, name in copies:
            if kind == wanted and name in names and names.index(name) != 0:
                return names.index(name)
    raise AssertionError(f"no copy of {index} outside node 0: {copies}")


@pytest.mark.local_engine
def test_migration_survives_a_sigkilled_data_node(kbn_cluster: LocalCluster) -> None:
    prefix = "kbn-so-cluster-so"
    with Engine.connect(kbn_cluster.url) as engine:
        first = run(engine, registry_v1(), prefix, "1.0.0", **OPTIONS)
        assert first.ok, first.to_dict()
        created = f"{prefix}_1.0.0_001"
        settings = engine.perform(rq.get_index(created))[created]["settings"]["index"]
        assert settings["auto_expand_replicas"] == "0-1"
        health = engine.perform(rq.cluster_health(created))
        assert (health["status"], health["active_shards"]) == ("green", 2), health
        seed(engine, prefix, widgets(DOCS))

        temp = f"{prefix}_3.0.0_reindex_temp"
        killed: list[str] = []
        transitions: list[str] = []
        seen = 0

        def kill_midway(old: Any, new: Any, took: float) -> None:
            nonlocal seen
            transitions.append(str(new.control_state))
            if str(new.control_state) != KILL_AT[0]:
                return
            seen += 1
            if seen == KILL_AT[1]:
                index = victim(kbn_cluster, temp)
                killed.append(kbn_cluster.nodes[index].name)
                kbn_cluster.kill(index)
                transitions.append("<killed>")

        second = migrate(
            engine,
            registry_v3(),
            config=config(prefix, "3.0.0"),
            options=MigrationOptions(**{**FAST, **OPTIONS}),
            on_transition=kill_midway,
            raise_on_failure=False,
        )
        assert killed, f"the migration never reached {KILL_AT}: {transitions}"
        for result in second.results:
            # a failed run says why in words; it never escapes as a stray exception
            assert result.status != "failed" or len(result.reason or "") > 20, second.to_dict()
        print(f"killed {killed[0]}; the run went on to: {second.to_dict()['indices']}")
        print("transitions after the kill:", transitions[transitions.index("<killed>") + 1 :])

        third = run(engine, registry_v3(), prefix, "3.0.0", **OPTIONS)
        assert third.ok, third.to_dict()

        assert aliases(engine, prefix)[f"{prefix}_3.0.0_001"] == [prefix, f"{prefix}_3.0.0"]
        engine.perform(rq.refresh(prefix))
        body = engine.perform(
            rq.search(
                {"size": DOCS + 100, "query": {"match_all": {}}, "seq_no_primary_term": False},
                index=prefix,
            )
        )
        assert body["hits"]["total"]["value"] == DOCS
        hits = body["hits"]["hits"]
        ids = [hit["_id"] for hit in hits]
        assert len(ids) == len(set(ids)) == DOCS
        expected = {doc_id: source for doc_id, source in widgets(DOCS)}
        assert set(ids) == set(expected)
        for hit in hits:
            widget = hit["_source"]["widget"]
            title = expected[hit["_id"]]["widget"]["title"]
            assert widget["title"] == title, hit
            assert widget["upper"] == title.upper(), hit
            assert widget["size"] == len(title), hit
        # the two surviving nodes still hold a primary and a replica of the new index
        health = engine.perform(rq.cluster_health(f"{prefix}_3.0.0_001", wait_for_status="green"))
        assert health["number_of_nodes"] == 2, health
        assert health["status"] == "green", health


ZDT_KILL_AT = ("TRANSFORMED_DOCUMENTS_BULK_INDEX", 3)


@pytest.mark.local_engine
def test_zdt_conversion_survives_a_sigkilled_data_node(kbn_cluster: LocalCluster) -> None:
    """The zero-downtime conversion rewrites documents in place: a node holding a primary
    of the index dies between two bulk writes; the conversion finishes (now or on the next
    run) and every document is there once, converted."""
    prefix = "kbn-so-cluster-zdt"
    zdt = {**OPTIONS, "algorithm": "zdt"}
    with Engine.connect(kbn_cluster.url) as engine:
        assert run(engine, registry_v1(), prefix, "1.0.0", **zdt).ok
        index = f"{prefix}_1"
        health = engine.perform(rq.cluster_health(index, wait_for_status="green"))
        assert health["active_shards"] == 2, health
        seed(engine, prefix, widgets(DOCS))

        killed: list[str] = []
        seen = 0

        def kill_midway(old: Any, new: Any, took: float) -> None:
            nonlocal seen
            if str(new.control_state) == ZDT_KILL_AT[0]:
                seen += 1
                if seen == ZDT_KILL_AT[1]:
                    target = victim(kbn_cluster, index)
                    killed.append(kbn_cluster.nodes[target].name)
                    kbn_cluster.kill(target)

        first = migrate(
            engine,
            registry_v2(),
            config=config(prefix, "2.0.0"),
            options=MigrationOptions(**{**FAST, **zdt}),
            on_transition=kill_midway,
            raise_on_failure=False,
        )
        assert killed, "the conversion never reached its third bulk write"
        for result in first.results:
            assert result.status != "failed" or len(result.reason or "") > 20, first.to_dict()

        again = run(engine, registry_v2(), prefix, "2.0.0", **zdt)
        assert again.ok, again.to_dict()

        engine.perform(rq.refresh(prefix))
        body = engine.perform(rq.search({"size": DOCS + 100}, index=prefix))
        hits = body["hits"]["hits"]
        assert len({hit["_id"] for hit in hits}) == len(hits) == DOCS
        for hit in hits:
            assert hit["_source"]["typeMigrationVersion"] == "10.1.0", hit
            widget = hit["_source"]["widget"]
            assert widget["size"] == len(widget["title"]), hit
        meta = engine.perform(rq.get_mapping(index))[index]["mappings"]["_meta"]
        assert meta["docVersions"]["widget"] == "10.1.0"
        assert meta["migrationState"] == {"convertingDocuments": False}
