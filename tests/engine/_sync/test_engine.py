# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""Every engine-layer call, round-tripped on the real engine (async source of the sync twin)."""

from __future__ import annotations

import pytest

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import BadRequestError, ConflictError, ForbiddenError, NotFoundError

pytestmark = pytest.mark.engine

MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "type": {"type": "keyword"},
        "title": {"type": "text"},
        "n": {"type": "integer"},
    },
}


def make_index(engine: Engine, name: str) -> str:
    engine.perform(
        rq.create_index(
            name, mappings=MAPPINGS, settings={"number_of_shards": 1, "number_of_replicas": 0}
        )
    )
    return name


def test_info_reports_distribution_and_version(kbn_engine: Engine) -> None:
    info = kbn_engine.info
    assert info.distribution in ("elasticsearch", "opensearch")
    assert info.major >= 2
    root = kbn_engine.perform(rq.info())
    assert root["version"]["number"] == info.version


def test_document_round_trip(kbn_engine: Engine, kbn_index_prefix: str) -> None:
    index = make_index(kbn_engine, f"{kbn_index_prefix}-docs")
    created = kbn_engine.perform(
        rq.index_document(index, {"type": "a", "title": "é:x", "n": 1}, id="a:1", refresh=True)
    )
    assert created["result"] == "created"
    kbn_engine.perform(rq.create_document(index, "a:2", {"type": "a", "n": 2}))
    got = kbn_engine.perform(rq.get_document(index, "a:1"))
    assert got["found"] is True
    assert got["_source"]["title"] == "é:x"
    assert got["_seq_no"] == created["_seq_no"]

    many = kbn_engine.perform(
        rq.mget([{"_index": index, "_id": "a:1"}, {"_index": index, "_id": "missing"}])
    )
    assert [d["found"] for d in many["docs"]] == [True, False]

    updated = kbn_engine.perform(
        rq.update_document(index, "a:1", {"doc": {"n": 5}}, refresh=True, source=True)
    )
    assert updated["result"] == "updated"
    assert updated["get"]["_source"]["n"] == 5

    found = kbn_engine.perform(
        rq.search({"query": {"term": {"n": 5}}, "seq_no_primary_term": True}, index=index)
    )
    assert [hit["_id"] for hit in found["hits"]["hits"]] == ["a:1"]
    assert "_primary_term" in found["hits"]["hits"][0]

    kbn_engine.perform(rq.refresh(index))
    counted = kbn_engine.perform(rq.count(index, {"term": {"type": "a"}}))
    assert counted["count"] == 2

    deleted = kbn_engine.perform(rq.delete_document(index, "a:2", refresh=True))
    assert deleted["result"] == "deleted"
    missing = kbn_engine.perform(rq.get_document(index, "a:2"))
    assert missing["found"] is False
    again = kbn_engine.perform(rq.delete_document(index, "a:2"))
    assert again["result"] == "not_found"


def test_stale_version_is_a_conflict(kbn_engine: Engine, kbn_index_prefix: str) -> None:
    index = make_index(kbn_engine, f"{kbn_index_prefix}-occ")
    first = kbn_engine.perform(rq.index_document(index, {"n": 1}, id="x"))
    kbn_engine.perform(rq.index_document(index, {"n": 2}, id="x"))
    with pytest.raises(ConflictError) as caught:
        kbn_engine.perform(
            rq.index_document(
                index,
                {"n": 3},
                id="x",
                if_seq_no=first["_seq_no"],
                if_primary_term=first["_primary_term"],
            )
        )
    assert caught.value.status_code == 409
    assert caught.value.metadata["engine_error_type"] == "version_conflict_engine_exception"
    with pytest.raises(ConflictError):
        kbn_engine.perform(rq.create_document(index, "x", {"n": 4}))


def test_missing_index_is_a_generic_not_found(kbn_engine: Engine, kbn_index_prefix: str) -> None:
    missing = f"{kbn_index_prefix}-nope"
    with pytest.raises(NotFoundError) as caught:
        kbn_engine.perform(rq.search({"query": {"match_all": {}}}, index=missing))
    assert caught.value.message == "Not Found"
    with pytest.raises(NotFoundError):
        kbn_engine.perform(rq.get_mapping(missing))
    assert kbn_engine.perform(rq.index_exists(missing)) is False
    answer = kbn_engine.perform(rq.get_document(missing, "x"))
    assert answer["error"]["type"] == "index_not_found_exception"


def test_bad_request_is_typed(kbn_engine: Engine, kbn_index_prefix: str) -> None:
    index = make_index(kbn_engine, f"{kbn_index_prefix}-strict")
    with pytest.raises(BadRequestError) as caught:
        kbn_engine.perform(rq.index_document(index, {"unknown_field": 1}, id="1"))
    assert caught.value.metadata["engine_error_type"] == "strict_dynamic_mapping_exception"


def test_bulk_reports_mixed_item_results(kbn_engine: Engine, kbn_index_prefix: str) -> None:
    index = make_index(kbn_engine, f"{kbn_index_prefix}-bulk")
    kbn_engine.perform(rq.index_document(index, {"n": 0}, id="exists"))
    body = rq.bulk_body(
        [
            ({"index": {"_index": index, "_id": "new"}}, {"n": 1}),
            ({"create": {"_index": index, "_id": "exists"}}, {"n": 2}),
            ({"index": {"_index": index, "_id": "bad"}}, {"nope": 3}),
            ({"delete": {"_index": index, "_id": "absent"}}, None),
            ({"update": {"_index": index, "_id": "new"}}, {"doc": {"n": 7}}),
        ]
    )
    result = kbn_engine.perform(rq.bulk(body, refresh=True))
    assert result["errors"] is True
    items = [next(iter(item.values())) for item in result["items"]]
    assert [item["status"] for item in items] == [201, 409, 400, 404, 200]
    assert items[1]["error"]["type"] == "version_conflict_engine_exception"
    assert items[2]["error"]["type"] == "strict_dynamic_mapping_exception"
    got = kbn_engine.perform(rq.get_document(index, "new"))
    assert got["_source"] == {"n": 7}


def test_bulk_only_errors_keeps_just_the_failures(
    kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    index = make_index(kbn_engine, f"{kbn_index_prefix}-bulk")
    clean = rq.bulk_body([({"index": {"_index": index, "_id": "a"}}, {"n": 1})])
    assert kbn_engine.perform(rq.bulk(clean, only_errors=True)) == {"errors": False}
    body = rq.bulk_body(
        [
            ({"index": {"_index": index, "_id": "b"}}, {"n": 1}),
            ({"create": {"_index": index, "_id": "a"}}, {"n": 2}),
        ]
    )
    result = kbn_engine.perform(rq.bulk(body, only_errors=True))
    assert result["errors"] is True
    assert [list(item) for item in result["items"]] == [["create"]]
    assert result["items"][0]["create"]["error"]["type"] == "version_conflict_engine_exception"


def test_by_query_reindex_and_tasks(kbn_engine: Engine, kbn_index_prefix: str) -> None:
    source = make_index(kbn_engine, f"{kbn_index_prefix}-src")
    dest = make_index(kbn_engine, f"{kbn_index_prefix}-dest")
    body = rq.bulk_body(
        ({"index": {"_index": source, "_id": str(i)}}, {"type": "t", "n": i}) for i in range(50)
    )
    kbn_engine.perform(rq.bulk(body, refresh=True))

    updated = kbn_engine.perform(
        rq.update_by_query(
            source,
            {
                "query": {"range": {"n": {"lt": 10}}},
                "script": {"source": "ctx._source.n += 1000", "lang": "painless"},
            },
            refresh=True,
            conflicts="proceed",
        )
    )
    assert updated["updated"] == 10

    started = kbn_engine.perform(
        rq.reindex(
            {"source": {"index": source}, "dest": {"index": dest, "op_type": "create"}},
            wait_for_completion=False,
            refresh=True,
        )
    )
    task = kbn_engine.wait_for_task(started["task"], poll_interval=0.1)
    assert task["response"]["created"] == 50

    started = kbn_engine.perform(
        rq.delete_by_query(
            dest, {"query": {"range": {"n": {"gte": 1000}}}}, wait_for_completion=False
        )
    )
    task = kbn_engine.wait_for_task(started["task"], poll_interval=0.1)
    assert task["response"]["deleted"] == 10
    kbn_engine.perform(rq.refresh(dest))
    assert (kbn_engine.perform(rq.count(dest)))["count"] == 40


def test_point_in_time_paging(kbn_engine: Engine, kbn_index_prefix: str) -> None:
    index = make_index(kbn_engine, f"{kbn_index_prefix}-pit")
    body = rq.bulk_body(
        ({"index": {"_index": index, "_id": f"{i:03}"}}, {"n": i}) for i in range(25)
    )
    kbn_engine.perform(rq.bulk(body, refresh=True))
    pit = kbn_engine.open_point_in_time(index, keep_alive="1m")
    # written after the PIT opened: invisible to it
    kbn_engine.perform(rq.index_document(index, {"n": 99}, id="late", refresh=True))
    seen: list[str] = []
    search_after = None
    while True:
        request: dict[str, object] = {
            "size": 10,
            "sort": [{"n": "asc"}],
            "pit": {"id": pit, "keep_alive": "1m"},
        }
        if search_after is not None:
            request["search_after"] = search_after
        page = kbn_engine.perform(rq.search(request))
        hits = page["hits"]["hits"]
        if not hits:
            break
        seen.extend(hit["_id"] for hit in hits)
        search_after = hits[-1]["sort"]
        pit = page.get("pit_id", pit)
    assert seen == [f"{i:03}" for i in range(25)]
    kbn_engine.close_point_in_time(pit)
    # closing twice is harmless
    kbn_engine.close_point_in_time(pit)


def test_indices_settings_mappings_clone_and_block(
    kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    index = make_index(kbn_engine, f"{kbn_index_prefix}-ix")
    assert kbn_engine.perform(rq.index_exists(index)) is True
    kbn_engine.perform(rq.put_mapping(index, {"properties": {"extra": {"type": "keyword"}}}))
    mapping = kbn_engine.perform(rq.get_mapping(index))
    assert mapping[index]["mappings"]["properties"]["extra"] == {"type": "keyword"}
    kbn_engine.perform(rq.put_settings(index, {"index": {"refresh_interval": "2s"}}))
    settings = kbn_engine.perform(rq.get_settings(index))
    assert settings[index]["settings"]["index"]["refresh_interval"] == "2s"
    kbn_engine.perform(rq.index_document(index, {"n": 1}, id="1", refresh=True))

    kbn_engine.perform(rq.add_write_block(index))
    with pytest.raises(ForbiddenError) as blocked:
        kbn_engine.perform(rq.index_document(index, {"n": 2}, id="2"))
    assert blocked.value.metadata["engine_error_type"] == "cluster_block_exception"

    clone = f"{kbn_index_prefix}-ix-clone"
    kbn_engine.perform(rq.clone_index(index, clone))
    kbn_engine.perform(rq.refresh(clone))
    assert (kbn_engine.perform(rq.count(clone)))["count"] == 1
    health = kbn_engine.perform(rq.cluster_health(clone, wait_for_status="yellow", timeout="30s"))
    assert health["status"] in ("green", "yellow")
    described = kbn_engine.perform(rq.get_index(clone))
    assert clone in described


def test_alias_actions_are_atomic(kbn_engine: Engine, kbn_index_prefix: str) -> None:
    alias = f"{kbn_index_prefix}-alias"
    first = make_index(kbn_engine, f"{kbn_index_prefix}-v1")
    second = make_index(kbn_engine, f"{kbn_index_prefix}-v2")
    kbn_engine.perform(rq.update_aliases([{"add": {"index": first, "alias": alias}}]))
    with pytest.raises(NotFoundError):
        # one bad action fails the whole call: the alias must not move
        kbn_engine.perform(
            rq.update_aliases(
                [
                    {"remove": {"index": first, "alias": alias}},
                    {"add": {"index": second, "alias": alias}},
                    {"remove_index": {"index": f"{kbn_index_prefix}-missing"}},
                ]
            )
        )
    assert list(kbn_engine.perform(rq.get_alias(alias))) == [first]
    kbn_engine.perform(
        rq.update_aliases(
            [
                {"remove": {"index": first, "alias": alias}},
                {"add": {"index": second, "alias": alias}},
            ]
        )
    )
    assert list(kbn_engine.perform(rq.get_alias(alias))) == [second]
