"""End-to-end paths against a real engine: fresh install, no-op, compatible, reindex."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects._tasks import Tasks
from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine.requests import Request
from kbn_saved_objects.migrations.index import MigrationOptions, actions, check, migrate
from kbn_saved_objects.migrations.index._sync.driver import _drive
from kbn_saved_objects.migrations.index.state import Left, Right
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry
from tests.migrations.index._helpers import (
    aliases,
    all_docs,
    config,
    run,
    seed,
    target_mappings,
    widgets,
)
from tests.migrations.index._registries import (
    V1_MODEL,
    registry_v1,
    registry_v1_keyword,
    registry_v2,
    registry_v3,
)

pytestmark = pytest.mark.engine


def test_fresh_install_then_noop(kbn_engine: Engine, kbn_index_prefix: str) -> None:
    prefix = f"{kbn_index_prefix}-so"
    steps: list[str] = []
    report = run(kbn_engine, registry_v1(), prefix, "1.0.0", steps)
    assert report.ok, report.to_dict()
    assert [r.status for r in report.results] == ["patched"]
    assert steps == [
        "CREATE_NEW_TARGET",
        "CHECK_VERSION_INDEX_READY_ACTIONS",
        "MARK_VERSION_INDEX_READY",
        "DONE",
    ]
    assert aliases(kbn_engine, prefix) == {f"{prefix}_1.0.0_001": [prefix, f"{prefix}_1.0.0"]}

    steps.clear()
    report = run(kbn_engine, registry_v1(), prefix, "1.0.0", steps)
    assert report.ok
    # the "unnecessary" path: mappings hash/versions match, the outdated count is 0
    assert steps == [
        "WAIT_FOR_YELLOW_SOURCE",
        "UPDATE_SOURCE_MAPPINGS_PROPERTIES",
        "OUTDATED_DOCUMENTS_COUNT",
        "CHECK_TARGET_MAPPINGS",
        "CHECK_VERSION_INDEX_READY_ACTIONS",
        "DONE",
    ]
    assert all(
        c.up_to_date for c in check(kbn_engine, registry_v1(), config=config(prefix, "1.0.0"))
    )


def test_compatible_upgrade_updates_in_place(kbn_engine: Engine, kbn_index_prefix: str) -> None:
    prefix = f"{kbn_index_prefix}-so"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
    seed(kbn_engine, prefix, widgets(25))
    seed(kbn_engine, prefix, [("gadget:g1", {"type": "gadget", "gadget": {"name": "g"}})])

    before = check(kbn_engine, registry_v2(), config=config(prefix, "2.0.0"))
    assert not before[0].up_to_date
    assert before[0].outdated_documents == 25

    steps: list[str] = []
    report = run(
        kbn_engine, registry_v2(), prefix, "2.0.0", steps, batch_size=10, max_batch_bytes=600
    )
    assert report.ok, report.to_dict()
    result = report.results[0]
    assert result.kind == "compatible"
    assert result.processed == 25
    assert result.written == 25
    assert steps.count("OUTDATED_DOCUMENTS_SEARCH_READ") == 4  # 10 + 10 + 5 + empty
    # several bulk calls per read: the byte bound cut batches of 10 documents
    assert steps.count("TRANSFORMED_DOCUMENTS_BULK_INDEX") > 3
    assert "UPDATE_TARGET_MAPPINGS_PROPERTIES" in steps
    index = f"{prefix}_1.0.0_001"
    assert aliases(kbn_engine, prefix) == {index: [prefix, f"{prefix}_2.0.0"]}
    docs = all_docs(kbn_engine, prefix)
    assert docs["widget:w3"]["widget"] == {"title": "title 3", "size": 7}
    assert docs["widget:w3"]["typeMigrationVersion"] == "10.1.0"
    assert "gadget:g1" in docs
    # the new field is searchable (mappings updated in place)
    hits = kbn_engine.perform(rq.count(prefix, {"term": {"widget.size": 7}}))
    assert hits["count"] == 10
    assert all(
        c.up_to_date for c in check(kbn_engine, registry_v2(), config=config(prefix, "2.0.0"))
    )

    steps.clear()
    assert run(kbn_engine, registry_v2(), prefix, "2.0.0", steps).ok
    assert "TRANSFORMED_DOCUMENTS_BULK_INDEX" not in steps
    assert steps[-1] == "DONE"


def test_incompatible_upgrade_reindexes(kbn_engine: Engine, kbn_index_prefix: str) -> None:
    prefix = f"{kbn_index_prefix}-so"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
    seed(kbn_engine, prefix, widgets(30))
    steps: list[str] = []
    report = run(kbn_engine, registry_v3(), prefix, "3.0.0", steps, batch_size=7)
    assert report.ok, report.to_dict()
    result = report.results[0]
    assert result.status == "migrated"
    assert result.kind == "reindex"
    source, target = f"{prefix}_1.0.0_001", f"{prefix}_3.0.0_001"
    assert result.source_index == source
    assert result.dest_index == target
    assert aliases(kbn_engine, prefix) == {
        source: [f"{prefix}_1.0.0"],
        target: [prefix, f"{prefix}_3.0.0"],
    }  # temp index deleted in the alias switch
    settings = kbn_engine.perform(rq.get_settings(source))
    assert settings[source]["settings"]["index"]["blocks"]["write"] == "true"
    # the temp index's async translog does not carry over to the target
    target_settings = kbn_engine.perform(rq.get_settings(target))[target]["settings"]["index"]
    assert target_settings["translog"]["durability"] == "request"
    assert target_settings["refresh_interval"] == "1s"
    docs = all_docs(kbn_engine, prefix)
    assert len(docs) == 30
    assert docs["widget:w12"]["widget"] == {"title": "title 12", "size": 8, "upper": "TITLE 12"}
    assert docs["widget:w12"]["typeMigrationVersion"] == "10.2.0"
    # title is a keyword now
    assert (
        kbn_engine.perform(rq.count(prefix, {"term": {"widget.title": "title 12"}}))["count"] == 1
    )
    # the source was never changed (beyond the write block)
    assert all(
        s["widget"] == {"title": s["widget"]["title"]}
        for s in all_docs(kbn_engine, source).values()
    )
    assert "CHECK_TARGET_COUNT" in steps
    # the temp index carried the new mappings: no pickup after the clone, and the target
    # ends strict with the app's _meta
    assert "UPDATE_TARGET_MAPPINGS_PROPERTIES" not in steps
    stored = kbn_engine.perform(rq.get_mapping(target))[target]["mappings"]
    assert stored["dynamic"] == "strict"
    assert stored["_meta"] == target_mappings(kbn_engine, registry_v3(), prefix)["_meta"]

    steps.clear()
    assert run(kbn_engine, registry_v3(), prefix, "3.0.0", steps).ok
    assert steps[-1] == "DONE"
    assert "CLONE_TEMP_TO_TARGET" not in steps


def test_reindex_without_transforms_copies_server_side(
    kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    prefix = f"{kbn_index_prefix}-so"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
    seed(kbn_engine, prefix, widgets(30))
    steps: list[str] = []
    report = run(kbn_engine, registry_v1_keyword(), prefix, "1.1.0", steps)
    assert report.ok, report.to_dict()
    assert "REINDEX_SOURCE_TO_TEMP_SERVER_SIDE" in steps
    assert "REINDEX_SOURCE_TO_TEMP_OPEN_PIT" not in steps
    assert report.results[0].written == 30
    docs = all_docs(kbn_engine, prefix)
    assert len(docs) == 30
    assert kbn_engine.perform(rq.count(prefix, {"term": {"widget.title": "title 4"}}))["count"] == 1


def test_server_side_copy_falls_back_to_report_corrupt_documents(
    kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    prefix = f"{kbn_index_prefix}-so"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
    seed(kbn_engine, prefix, [*widgets(5), ("bad-id", {"type": "widget", "widget": {}})])
    steps: list[str] = []
    report = run(kbn_engine, registry_v1_keyword(), prefix, "1.1.0", steps)
    assert not report.ok
    assert report.results[0].corrupt_ids == ("bad-id",)
    assert steps.index("REINDEX_SOURCE_TO_TEMP_SERVER_SIDE") < steps.index(
        "REINDEX_SOURCE_TO_TEMP_OPEN_PIT"
    )
    report = run(kbn_engine, registry_v1_keyword(), prefix, "1.1.0", discard_corrupt_objects=True)
    assert report.ok, report.to_dict()
    assert sorted(all_docs(kbn_engine, prefix)) == [f"widget:w{i}" for i in range(5)]


def _app(gadget_fields: dict[str, Any], widget_versions: Any) -> SavedObjectTypeRegistry:
    registry = SavedObjectTypeRegistry()
    registry.register(
        SavedObjectsType(
            name="widget",
            namespace_type="single",
            mappings={"properties": {"title": {"type": "text"}, "size": {"type": "integer"}}},
            model_versions=widget_versions,
        )
    )
    registry.register(
        SavedObjectsType(
            name="gadget",
            namespace_type="agnostic",
            mappings={"dynamic": False, "properties": gadget_fields},
        )
    )
    return registry.freeze()


def test_pickup_skips_documents_the_migration_rewrote(
    kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    """In place, only documents last written before the mappings update are re-indexed:
    the migrated widgets are not visited twice, the untouched gadget is (its newly mapped
    field becomes searchable)."""
    prefix = f"{kbn_index_prefix}-so"
    name = {"name": {"type": "keyword"}}
    v1 = _app(name, None)
    assert run(kbn_engine, v1, prefix, "1.0.0").ok
    seed(kbn_engine, prefix, widgets(12))
    gadget = {"type": "gadget", "gadget": {"name": "g", "color": "red"}, "references": []}
    seed(kbn_engine, prefix, [("gadget:g1", gadget)])

    v2 = _app({**name, "color": {"type": "keyword"}}, {1: V1_MODEL})
    queries: list[Any] = []
    report = migrate(
        kbn_engine,
        v2,
        config=config(prefix, "2.0.0"),
        options=MigrationOptions(retry_base_delay=0.01),
        on_transition=lambda old, new, took: queries.append(new.update_query),
    )
    assert report.ok, report.to_dict()
    assert report.results[0].kind == "compatible"
    query = next(q for q in queries if q)
    assert query["bool"]["filter"][0]["range"]["_seq_no"]["lte"] >= 12
    body = kbn_engine.perform(
        rq.search({"size": 100, "version": True, "query": {"match_all": {}}}, index=prefix)
    )
    versions = {hit["_id"]: hit["_version"] for hit in body["hits"]["hits"]}
    assert versions["gadget:g1"] == 2  # seeded, picked up
    assert {versions[f"widget:w{i}"] for i in range(12)} == {2}  # seeded, migrated
    assert kbn_engine.perform(rq.count(prefix, {"term": {"gadget.color": "red"}}))["count"] == 1
    assert kbn_engine.perform(rq.count(prefix, {"term": {"widget.size": 7}}))["count"] == 10


def test_temp_write_block_flushes_first_and_tolerates_a_deleted_temp_index(
    kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    """SET_TEMP_WRITE_BLOCK flushes the async-translog temp index before blocking it; when
    another migrator already cloned and deleted it, both steps answer "not found"."""

    temp = f"{kbn_index_prefix}-temp"
    kbn_engine.perform(rq.create_index(temp, settings=actions.TEMP_INDEX_SETTINGS))
    kbn_engine.perform(rq.index_document(temp, {"type": "widget"}, id="a"))
    ctx: Any = None  # the action reads no context
    with Tasks() as tasks:
        assert _drive(kbn_engine, ctx, actions._flush_and_block(temp), tasks) == Right()
        missing = _drive(kbn_engine, ctx, actions._flush_and_block(f"{temp}-gone"), tasks)
    assert isinstance(missing, Left)
    assert missing.kind == "index_not_found_exception"
    stats = kbn_engine.perform(rq.shard_stats(temp, "flush"))
    assert stats["indices"][temp]["shards"]["0"][0]["flush"]["total"] == 1
    blocks = kbn_engine.perform(rq.get_settings(temp))[temp]["settings"]["index"]["blocks"]
    assert blocks["write"] == "true"


def test_task_waits_are_server_side_and_a_running_task_times_out_quietly(
    kbn_engine: Engine, kbn_index_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wait for an engine task happens in the engine (``wait_for_completion``) and a
    task still running after ``TASK_WAIT`` is "not yet", not an error."""

    source = f"{kbn_index_prefix}-slow"
    for n in range(4):
        kbn_engine.perform(rq.index_document(source, {"n": n}, id=str(n), refresh=True))

    def copy(per_second: int) -> str:
        body = {"source": {"index": source, "size": 1}, "dest": {"index": f"{source}-copy"}}
        params = {"wait_for_completion": "false", "requests_per_second": str(per_second)}
        answer = kbn_engine.perform(Request("POST", "/_reindex", params, rq.dumps(body)))
        return str(answer["task"])

    ctx: Any = None  # the actions read no context
    monkeypatch.setattr(actions, "TASK_WAIT", "200ms")
    slow = copy(1)  # throttled to a document per second: still running after 200 ms
    try:
        with Tasks() as tasks:
            waited = _drive(kbn_engine, ctx, actions.wait_for_task(slow), tasks)
            assert waited == Left("wait_for_task_completion_timeout")
            waited = _drive(kbn_engine, ctx, actions._wait_for_reindex(slow), tasks)
            assert waited == Left("wait_for_task_completion_timeout")
            monkeypatch.setattr(actions, "TASK_WAIT", "30s")
            assert _drive(kbn_engine, ctx, actions.wait_for_task(copy(10_000)), tasks) == Right()
    finally:
        kbn_engine.perform(Request("POST", f"/_tasks/{slow}/_cancel"))
