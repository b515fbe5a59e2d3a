"""The pure model: transitions from values, no engine."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.migrations.index.actions import max_seq_no
from kbn_saved_objects.migrations.index.model import (
    UnexpectedActionResponse,
    create_batches,
    diff_mappings,
    excluded_query,
    model,
    op_size,
    pickup_query,
)
from kbn_saved_objects.migrations.index.state import ControlState as S
from kbn_saved_objects.migrations.index.state import Left, Right, State

MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {"type": {"type": "keyword"}, "widget": {"properties": {}}},
    "_meta": {"mappingVersions": {"widget": "10.1.0"}},
}


def state(control: S = S.INIT, **changes: Any) -> State:
    base = State(
        control_state=S.INIT,
        prefix="app",
        version="2.0.0",
        target_mappings=MAPPINGS,
        index_type_names=("widget",),
        known_type_names=("widget",),
        outdated_query={"match_none": {}},
    )
    return base.evolve(control_state=control, **changes)


def index(aliases: list[str], mappings: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"aliases": {a: {} for a in aliases}, "mappings": mappings or MAPPINGS}


def test_init_fresh_install_plans_both_aliases() -> None:
    new = model(state(), Right({}))
    assert new.control_state == S.CREATE_NEW_TARGET
    assert new.kind == "fresh"
    assert new.target_index == "app_2.0.0_001"
    assert [a["add"]["alias"] for a in new.alias_actions] == ["app", "app_2.0.0"]


def test_init_existing_alias_goes_to_source() -> None:
    new = model(state(), Right({"app_1.0.0_001": index(["app", "app_1.0.0"])}))
    assert new.control_state == S.WAIT_FOR_YELLOW_SOURCE
    assert new.source_index == new.target_index == "app_1.0.0_001"
    assert not new.version_migration_completed


@pytest.mark.parametrize(
    ("indices", "message"),
    [
        ({"a_1": index(["app"]), "b_1": index(["app"])}, "pointing to multiple indices"),
        ({"app_3.0.0_001": index(["app"])}, "newer version: v3.0.0"),
        ({"app_1.0.0_001": index(["app", "app_10.0.0"])}, "app_10.0.0 alias refers to a newer"),
        ({"app": index([])}, "legacy"),
    ],
)
def test_init_fatal(indices: dict[str, Any], message: str) -> None:
    new = model(state(), Right(indices))
    assert new.control_state == S.FATAL
    assert message in (new.reason or "")


@pytest.mark.parametrize(
    ("result", "completed", "expected", "kind"),
    [
        (Right("unchanged"), True, S.OUTDATED_DOCUMENTS_COUNT, "unnecessary"),
        (Right("updated"), False, S.CLEANUP_UNKNOWN_AND_EXCLUDED, "compatible"),
        (Left("incompatible_mapping_exception"), False, S.CHECK_UNKNOWN_DOCUMENTS, "reindex"),
        (Left("incompatible_mapping_exception"), True, S.FATAL, None),
    ],
)
def test_choosing_the_path(result: Any, completed: bool, expected: S, kind: str | None) -> None:
    start = state(
        S.UPDATE_SOURCE_MAPPINGS_PROPERTIES,
        source_index="app_1.0.0_001",
        version_migration_completed=completed,
    )
    new = model(start, result)
    assert new.control_state == expected
    if kind:
        assert new.kind == kind
    if kind == "reindex":
        assert new.target_index == "app_2.0.0_001"
        assert new.alias_actions[0] == {
            "remove": {"index": "app_1.0.0_001", "alias": "app", "must_exist": True}
        }
        assert new.alias_actions[-1] == {"remove_index": {"index": "app_2.0.0_reindex_temp"}}


def test_retry_backoff_then_fatal() -> None:
    current = state(S.WAIT_FOR_YELLOW_SOURCE, retry_attempts=3)
    delays = []
    for _ in range(3):
        current = model(current, Left("retryable_es_client_error", {"message": "503"}))
        delays.append(current.retry_delay)
        assert current.control_state == S.WAIT_FOR_YELLOW_SOURCE
    assert delays == [2, 4, 8]
    assert "Retrying attempt 3 in 8 seconds" in current.logs[0].message
    current = model(current, Left("retryable_es_client_error", {"message": "503"}))
    assert current.control_state == S.FATAL
    assert "after 3 attempts" in (current.reason or "")


def test_a_right_resets_the_retry_counter() -> None:
    current = model(state(S.REFRESH_SOURCE), Left("retryable_es_client_error", {"message": "x"}))
    assert current.retry_count == 1
    current = model(current, Right())
    assert current.retry_count == 0
    assert current.retry_delay == 0


def test_retry_timeout_bounds_the_total_back_off() -> None:
    """15 attempts back off ~12 minutes; the budget stops it first, the last delay cut to
    end at the budget, and the reason names the last engine error."""
    current = state(S.REFRESH_SOURCE, retry_timeout=20.0)
    failure = Left("retryable_es_client_error", {"message": "connect ECONNREFUSED"})
    delays = []
    while True:
        current = model(current, failure)
        if current.control_state == S.FATAL:
            break
        delays.append(current.retry_delay)
    assert delays == [2, 4, 8, 6]
    assert sum(delays) == current.retry_waited == 20
    assert "after retrying for 20 seconds (retry_timeout)" in (current.reason or "")
    assert "connect ECONNREFUSED" in (current.reason or "")


def test_retry_timeout_counts_from_the_last_success() -> None:
    current = state(S.REFRESH_SOURCE, retry_timeout=5.0)
    failure = Left("retryable_es_client_error", {"message": "503"})
    current = model(model(current, failure), failure)
    assert current.retry_waited == 5
    current = model(current, Right())  # the engine is back: a later outage gets a new budget
    assert current.retry_waited == 0
    current = model(current.evolve(control_state=S.REFRESH_SOURCE), failure)
    assert current.control_state == S.REFRESH_SOURCE
    assert current.retry_delay == 2


def test_no_retry_timeout_leaves_only_the_attempts() -> None:
    current = state(S.REFRESH_SOURCE, retry_timeout=None, retry_attempts=15)
    for _ in range(15):
        current = model(current, Left("retryable_es_client_error", {"message": "503"}))
    assert current.control_state == S.REFRESH_SOURCE
    assert current.retry_waited == 2 + 4 + 8 + 16 + 32 + 64 * 10  # Kibana's ~12 minutes


LOST_PIT = Left("search_context_missing", {"message": "search_phase_execution_exception"})


def test_a_lost_pit_in_the_copy_reads_the_source_again_from_the_start() -> None:
    """The temp index is written by id, so the copy starts over; its tallies too."""
    opened = model(state(S.REINDEX_SOURCE_TO_TEMP_OPEN_PIT, kind="reindex"), Right("pit-1"))
    assert opened.copy_tallies
    reading = opened.evolve(
        processed=100,
        search_after=(99,),
        migrated_by_type=(("widget", 100),),
        corrupt_ids=("widget:bad",),
        total=500,
    )
    lost = model(reading, LOST_PIT)
    assert lost.control_state == S.REINDEX_SOURCE_TO_TEMP_OPEN_PIT
    assert lost.pit_id is None
    assert lost.search_after is None
    assert (lost.processed, lost.migrated_by_type, lost.corrupt_ids) == (0, (), ())
    assert "point in time of REINDEX_SOURCE_TO_TEMP_READ was lost" in lost.logs[0].message
    again = model(lost, Right("pit-2"))
    assert again.control_state == S.REINDEX_SOURCE_TO_TEMP_READ
    assert (again.pit_id, again.search_after, again.pit_reopened) == ("pit-2", None, False)
    assert again.total == 500  # not announced a second time


def test_a_lost_pit_in_place_reads_what_is_left_and_keeps_the_tallies() -> None:
    """Migrated documents no longer match the outdated query: the new read finds only what
    is left, so the tallies go on; a kept problem found again is listed once."""
    reading = state(
        S.OUTDATED_DOCUMENTS_SEARCH_READ,
        pit_id="pit-1",
        search_after=(99,),
        processed=100,
        total=500,
        migrated_by_type=(("widget", 99),),
        corrupt_ids=("widget:bad",),
    )
    lost = model(reading, LOST_PIT)
    assert lost.control_state == S.OUTDATED_DOCUMENTS_SEARCH_OPEN_PIT
    again = model(lost, Right("pit-2"))
    assert again.control_state == S.OUTDATED_DOCUMENTS_SEARCH_READ
    assert (again.pit_id, again.search_after) == ("pit-2", None)
    assert (again.processed, again.total, again.migrated_by_type) == (100, 500, (("widget", 99),))
    hit = {"_id": "widget:bad", "_source": {}}
    transformed = model(
        again.evolve(control_state=S.OUTDATED_DOCUMENTS_TRANSFORM, hits=(hit,)),
        Right(
            {"ops": [], "corrupt_ids": ["widget:bad"], "transform_errors": [], "problem_types": {}}
        ),
    )
    assert transformed.corrupt_ids == ("widget:bad",)


def test_a_page_another_run_already_migrated_is_skipped_not_ended() -> None:
    reading = state(S.OUTDATED_DOCUMENTS_SEARCH_READ, pit_id="p", search_after=(9,))
    skipped = model(reading, Right({"hits": [], "bytes": 10, "last_sort": [59], "skipped": 50}))
    assert skipped.control_state == S.OUTDATED_DOCUMENTS_SEARCH_READ
    assert skipped.search_after == (59,)
    assert "Skipped 50 documents" in skipped.logs[0].message
    hit = {"_id": "widget:a", "sort": [60]}
    partly = model(reading, Right({"hits": [hit], "bytes": 10, "last_sort": [99], "skipped": 1}))
    assert partly.control_state == S.OUTDATED_DOCUMENTS_TRANSFORM
    assert partly.search_after == (99,)  # past the skipped ones too
    ended = model(reading, Right({"hits": [], "bytes": 2, "last_sort": None, "skipped": 0}))
    assert ended.control_state == S.OUTDATED_DOCUMENTS_SEARCH_CLOSE_PIT


def test_written_leaves_out_what_the_engine_refused_as_a_conflict() -> None:
    writing = state(S.TRANSFORMED_DOCUMENTS_BULK_INDEX, batches=((b"a", b"b", b"c"),))
    done = model(writing, Right({"conflicts": 2}))
    assert done.control_state == S.OUTDATED_DOCUMENTS_SEARCH_READ
    assert done.written == 1


def test_unhandled_left_is_unexpected() -> None:
    with pytest.raises(UnexpectedActionResponse):
        model(state(S.REFRESH_SOURCE), Left("something_else"))


def test_unknown_documents_fatal_or_discarded() -> None:
    docs = [("mystery:1", "mystery")]
    fatal = model(state(S.CHECK_UNKNOWN_DOCUMENTS), Right(docs))
    assert fatal.control_state == S.FATAL
    assert '"mystery:1" (type: "mystery")' in (fatal.reason or "")
    kept = model(state(S.CHECK_UNKNOWN_DOCUMENTS, discard_unknown_objects=True), Right(docs))
    assert kept.control_state == S.SET_SOURCE_WRITE_BLOCK
    assert kept.excluded_unknown_types == ("mystery",)


def _transformed(ops: int = 1, corrupt: tuple[str, ...] = (), errors: tuple[Any, ...] = ()) -> Any:
    return Right(
        {
            "ops": [
                rq.bulk_lines({"index": {"_id": f"widget:{i}"}}, {"type": "widget"})
                for i in range(ops)
            ],
            "corrupt_ids": list(corrupt),
            "transform_errors": list(errors),
        }
    )


def test_problems_stop_writing_but_scanning_continues() -> None:
    start = state(S.OUTDATED_DOCUMENTS_TRANSFORM, hits=({"_id": "x"}, {"_id": "y"}), total=2)
    new = model(start, _transformed(1, corrupt=("y",)))
    assert new.control_state == S.OUTDATED_DOCUMENTS_SEARCH_READ  # no bulk
    assert new.corrupt_ids == ("y",)
    assert new.processed == 2
    closed = model(new.evolve(control_state=S.OUTDATED_DOCUMENTS_SEARCH_CLOSE_PIT), Right())
    assert closed.control_state == S.FATAL
    assert "1 corrupt saved object documents" in (closed.reason or "")


def test_discarding_in_place_deletes_the_bad_documents() -> None:
    start = state(
        S.OUTDATED_DOCUMENTS_TRANSFORM, hits=({"_id": "x"},), discard_corrupt_objects=True
    )
    new = model(start, _transformed(1, corrupt=("y",), errors=(("z", "boom"),)))
    assert new.control_state == S.TRANSFORMED_DOCUMENTS_BULK_INDEX
    ops = [op for batch in new.batches for op in batch]
    assert ops[-2:] == [b'{"delete":{"_id":"y"}}\n', b'{"delete":{"_id":"z"}}\n']
    assert new.discarded_count == 2


def test_discarding_in_a_copy_skips_the_bad_documents() -> None:
    start = state(
        S.REINDEX_SOURCE_TO_TEMP_TRANSFORM, hits=({"_id": "x"},), discard_corrupt_objects=True
    )
    new = model(start, _transformed(1, corrupt=("y",)))
    assert [op for batch in new.batches for op in batch] == [
        b'{"index":{"_id":"widget:0"}}\n{"type":"widget"}\n'
    ]


def test_byte_batches_follow_the_spec_example() -> None:
    def op_of(size: int, doc_id: str) -> Any:
        # pad the source so that the operation is exactly `size` bytes
        pad = size - op_size(rq.bulk_lines({"index": {"_id": doc_id}}, {"p": ""}))
        return rq.bulk_lines({"index": {"_id": doc_id}}, {"p": "x" * pad})

    def kibana_size(action: Any, source: Any) -> int:  # Kibana's formula, independently
        if source is None:
            return len(json.dumps(action, separators=(",", ":"))) + 1
        return len(json.dumps([action, source], separators=(",", ":"))) - 2 + 1

    ops = [op_of(40, "a"), op_of(50, "b"), op_of(35, "c"), op_of(95, "d")]
    ops.append(rq.bulk_lines({"delete": {"_id": "e" * 3}}, None))  # 21 + 3 + 1 = 25 bytes
    assert op_size(ops[1]) == kibana_size({"index": {"_id": "b"}}, {"p": "x" * 19})
    assert op_size(ops[4]) == kibana_size({"delete": {"_id": "eee"}}, None)
    assert [op_size(op) for op in ops] == [40, 50, 35, 95, 25]
    batches = create_batches(ops, 100)
    assert isinstance(batches, tuple)
    assert [[op_size(op) for op in batch] for batch in batches] == [[40, 50], [35], [95], [25]]
    too_big = create_batches([op_of(101, "big")], 100)
    assert isinstance(too_big, str)
    assert 'The document with _id "big" is 101 bytes' in too_big


def test_bulk_interrupted_by_temp_write_block_moves_on() -> None:
    start = state(S.REINDEX_SOURCE_TO_TEMP_INDEX_BULK, batches=((),))
    new = model(start, Left("target_index_had_write_block"))
    assert new.control_state == S.REINDEX_SOURCE_TO_TEMP_CLOSE_PIT
    assert new.copy_interrupted


def test_count_check() -> None:
    start = state(S.CHECK_TARGET_COUNT, source_total=10, discarded_count=2)
    assert model(start, Right(8)).control_state == S.OUTDATED_DOCUMENTS_COUNT
    assert model(start, Right(7)).control_state == S.FATAL


@pytest.mark.parametrize(
    ("stored", "verdict"),
    [
        (None, "incomplete"),
        ({"dynamic": "strict", "properties": {}, "_meta": {}}, "incomplete"),
        ({**MAPPINGS, "dynamic": False}, "incomplete"),
        (MAPPINGS, "match"),
        ({**MAPPINGS, "_meta": {"mappingVersions": {"widget": "10.0.0"}}}, "types_changed"),
        ({**MAPPINGS, "_meta": {"mappingVersions": {}}}, "types_added"),
    ],
)
def test_diff_mappings(stored: Any, verdict: str) -> None:
    assert diff_mappings(stored, MAPPINGS)[0] == verdict


def test_mark_ready_conflict() -> None:
    start = state(S.MARK_VERSION_INDEX_READY, alias_actions=({"add": {}},))
    conflict = model(start, Left("alias_not_found_exception"))
    assert conflict.control_state == S.MARK_VERSION_INDEX_READY_CONFLICT
    won = model(conflict, Right({"app_2.0.0_001": index(["app", "app_2.0.0"])}))
    assert won.control_state == S.DONE
    lost = model(conflict, Right({"app_3.0.0_001": index(["app", "app_3.0.0"])}))
    assert lost.control_state == S.FATAL
    assert "Multiple versions" in (lost.reason or "")


def _page(n: int, size: int) -> Any:
    hits = [{"_id": f"widget:{i}", "sort": [i]} for i in range(n)]
    return Right({"hits": hits, "total": None, "bytes": size})


def test_read_batch_halves_on_oversize_pages_then_grows() -> None:
    start = state(
        S.OUTDATED_DOCUMENTS_SEARCH_READ, batch_size=1000, max_read_batch_bytes=100, total=5
    )
    sizes = []
    current = model(start, _page(1000, 500))  # too big: same page again, half the size
    assert current.control_state == S.OUTDATED_DOCUMENTS_SEARCH_READ
    assert current.search_after is None
    sizes.append(current.batch_size)
    for _ in range(4):
        current = model(current, _page(3, 50)).evolve(
            control_state=S.OUTDATED_DOCUMENTS_SEARCH_READ
        )
        sizes.append(current.batch_size)
    assert sizes == [500, 600, 720, 864, 1000]  # the spec's example sequence


def test_single_document_too_big_is_fatal() -> None:
    start = state(S.REINDEX_SOURCE_TO_TEMP_READ, batch_size=1, max_read_batch_bytes=10)
    new = model(start, _page(1, 11))
    assert new.control_state == S.FATAL
    assert "single document" in (new.reason or "")


def test_server_side_copy_when_nothing_needs_a_transform() -> None:
    start = state(S.REINDEX_SOURCE_TO_TEMP_CHECK)
    assert model(start, Right({"outdated": 0, "total": 7})).control_state == (
        S.REINDEX_SOURCE_TO_TEMP_SERVER_SIDE
    )
    python = model(start, Right({"outdated": 1, "total": 7}))
    assert python.control_state == S.REINDEX_SOURCE_TO_TEMP_OPEN_PIT
    assert python.source_total == 7
    wait = state(S.REINDEX_SOURCE_TO_TEMP_SERVER_SIDE_WAIT, task_id="t")
    done = model(wait, Right({"total": 7, "created": 7, "noops": 0}))
    assert done.control_state == S.SET_TEMP_WRITE_BLOCK
    assert done.written == 7
    corrupt = model(wait, Right({"total": 7, "created": 6, "noops": 1}))
    assert corrupt.control_state == S.REINDEX_SOURCE_TO_TEMP_OPEN_PIT
    still = model(wait, Left("wait_for_task_completion_timeout"))
    assert still.control_state == S.REINDEX_SOURCE_TO_TEMP_SERVER_SIDE_WAIT
    assert still.retry_count == 0
    assert still.retry_delay == 0  # the action waited in the engine already
    pickup = state(S.UPDATE_TARGET_MAPPINGS_PROPERTIES_WAIT_FOR_TASK, task_id="t")
    again = model(pickup, Left("wait_for_task_completion_timeout"))
    assert again.control_state == S.UPDATE_TARGET_MAPPINGS_PROPERTIES_WAIT_FOR_TASK
    assert (again.retry_count, again.retry_delay) == (0, 0)


def test_prepare_compatible_race_adds_the_version_alias_at_the_end() -> None:
    start = state(S.PREPARE_COMPATIBLE_MIGRATION, source_index="app_1.0.0_001")
    assert model(start, Right()).alias_actions == ()
    raced = model(start, Left("alias_not_found_exception"))
    assert raced.control_state == S.REFRESH_SOURCE
    assert raced.alias_actions == ({"add": {"index": "app_1.0.0_001", "alias": "app_2.0.0"}},)


def test_init_learns_the_source_shard_count_for_the_read_order() -> None:
    body = {**index(["app"]), "settings": {"index": {"number_of_shards": "1"}}}
    one = model(state(), Right({"app_1.0.0_001": body}))
    assert one.source_shards == 1
    assert one.evolve(kind="compatible").reads_one_shard(S.OUTDATED_DOCUMENTS_SEARCH_READ)
    body["settings"]["index"]["number_of_shards"] = "3"
    three = model(state(), Right({"app_1.0.0_001": body})).evolve(kind="reindex")
    assert not three.reads_one_shard(S.REINDEX_SOURCE_TO_TEMP_READ)
    # the clone that the outdated-documents loop reads is ours: one shard
    assert three.reads_one_shard(S.OUTDATED_DOCUMENTS_SEARCH_READ)


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        # a clone of our temp index: same properties and _meta, only dynamic differs
        ({**MAPPINGS, "dynamic": False}, S.UPDATE_TARGET_MAPPINGS_META),
        # a temp index with minimal mappings: every document needs the pickup
        (
            {"dynamic": False, "properties": {"type": {"type": "keyword"}}},
            (S.UPDATE_TARGET_MAPPINGS_PROPERTIES),
        ),
        (MAPPINGS, S.CHECK_VERSION_INDEX_READY_ACTIONS),
    ],
)
def test_check_target_mappings_of_a_clone(stored: dict[str, Any], expected: S) -> None:
    new = model(state(S.CHECK_TARGET_MAPPINGS, kind="reindex"), Right(stored))
    assert new.control_state == expected


def test_pickup_query_is_bounded_by_the_mappings_update_in_place() -> None:
    in_place = state(source_index="app_1", target_index="app_1", mapped_after_seq_no=41)
    assert pickup_query(in_place, ("widget",)) == {
        "bool": {
            "should": [{"term": {"type": "widget"}}],
            "minimum_should_match": 1,
            "filter": [{"range": {"_seq_no": {"lte": 41}}}],
        }
    }
    assert pickup_query(in_place, ()) == {"bool": {"filter": [{"range": {"_seq_no": {"lte": 41}}}]}}
    # a clone was written by the copy, not updated in place: no bound
    clone = in_place.evolve(target_index="app_2")
    assert pickup_query(clone, ()) is None
    assert pickup_query(clone, ("widget",)) == {
        "bool": {"should": [{"term": {"type": "widget"}}], "minimum_should_match": 1}
    }


def test_the_bound_is_learned_from_the_mappings_update() -> None:
    start = state(S.UPDATE_SOURCE_MAPPINGS_PROPERTIES, source_index="app_1")
    new = model(start, Right({"outcome": "updated", "max_seq_no": 7}))
    assert new.mapped_after_seq_no == 7
    assert (
        max_seq_no(
            {
                "indices": {
                    "app_1": {
                        "shards": {
                            "0": [{"seq_no": {"max_seq_no": 7}}],
                            "1": [{"seq_no": {"max_seq_no": 9}}],
                        }
                    }
                }
            }
        )
        == 9
    )
    assert max_seq_no({"indices": {}}) is None


def test_compatible_cleanup_deletes_retired_and_hook_excluded_documents() -> None:
    start = state(
        S.CLEANUP_UNKNOWN_AND_EXCLUDED, kind="compatible", removed_type_names=("retired",)
    )
    hooks = {"filters": {"widget": {"match_all": {}}}, "errors": {"gadget": "boom"}}
    new = model(start, Right({"unknown": [], **hooks}))
    assert new.control_state == S.CLEANUP_UNKNOWN_DELETE
    assert excluded_query(new) == {
        "bool": {
            "should": [
                {"term": {"type": "retired"}},
                {"bool": {"filter": [{"term": {"type": "widget"}}, {"match_all": {}}]}},
            ]
        }
    }
    assert any("[gadget] that failed" in entry.message for entry in new.logs)
    # nothing to drop: straight on
    bare = model(state(S.CLEANUP_UNKNOWN_AND_EXCLUDED), Right({"unknown": [], "filters": {}}))
    assert bare.control_state == S.PREPARE_COMPATIBLE_MIGRATION


def test_reindex_computes_exclude_filters_after_the_write_block() -> None:
    blocked = model(state(S.SET_SOURCE_WRITE_BLOCK, kind="reindex"), Right())
    assert blocked.control_state == S.CALCULATE_EXCLUDE_FILTERS
    new = model(blocked, Right({"filters": {"widget": {"term": {"widget.title": "x"}}}}))
    assert new.control_state == S.CREATE_REINDEX_TEMP
    assert len(new.exclude_filters) == 1


def test_transforms_tally_migrated_and_discarded_documents_per_type() -> None:
    hits = ({"_id": "widget:1"}, {"_id": "widget:2"}, {"_id": "bad"})
    start = state(S.OUTDATED_DOCUMENTS_TRANSFORM, hits=hits, discard_corrupt_objects=True)
    value = {
        "ops": [],
        "corrupt_ids": ["bad"],
        "transform_errors": [],
        "migrated_by_type": {"widget": 2},
        "problem_types": {"__UNKNOWN__": 1},
    }
    new = model(start, Right(value))
    assert new.migrated_by_type == (("widget", 2),)
    assert new.discarded_by_type == (("__UNKNOWN__", 1),)
    again = model(new.evolve(control_state=S.OUTDATED_DOCUMENTS_TRANSFORM, hits=hits), Right(value))
    assert again.migrated_by_type == (("widget", 4),)
