"""What each engine call sends, checked without a server."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kbn_saved_objects.engine import requests as rq


def test_ids_are_percent_encoded_as_one_path_segment() -> None:
    request = rq.get_document(".kibana", "space:dashboard:a/b c")
    assert request.path == "/.kibana/_doc/space%3Adashboard%3Aa%2Fb%20c"
    assert request.method == "GET"
    assert request.not_found_ok is True


@given(st.text(min_size=1))
def test_any_id_stays_in_its_segment(doc_id: str) -> None:
    path = rq.get_document("i", doc_id).path
    assert path.count("/") == 3


def test_params_render_booleans_lists_and_drop_none() -> None:
    request = rq.index_document(
        "idx", {"a": 1}, id="1", op_type="create", if_seq_no=0, if_primary_term=1, refresh=True
    )
    assert request.method == "PUT"
    assert request.params == {
        "op_type": "create",
        "if_seq_no": "0",
        "if_primary_term": "1",
        "refresh": "true",
    }
    assert rq.index_document("idx", {}, refresh="wait_for").params == {"refresh": "wait_for"}
    assert rq.index_document("idx", {}).method == "POST"
    assert rq.index_document("idx", {}).params is None


def test_body_is_compact_utf8_json() -> None:
    request = rq.update_document("idx", "1", {"doc": {"title": "é"}})
    assert request.body == '{"doc":{"title":"é"}}'.encode()


def test_bulk_body_is_ndjson_with_trailing_newline_and_no_source_for_deletes() -> None:
    body = rq.bulk_body(
        [
            ({"index": {"_index": "i", "_id": "1"}}, {"a": 1}),
            ({"delete": {"_index": "i", "_id": "2"}}, None),
        ]
    )
    lines = body.split(b"\n")
    assert lines[-1] == b""
    assert [orjson.loads(line) for line in lines[:-1]] == [
        {"index": {"_index": "i", "_id": "1"}},
        {"a": 1},
        {"delete": {"_index": "i", "_id": "2"}},
    ]
    request = rq.bulk(body, refresh="wait_for", require_alias=True)
    assert request.ndjson
    assert request.body is body
    assert request.params == {"refresh": "wait_for", "require_alias": "true"}
    assert rq.bulk([({"delete": {"_id": "x"}}, None)], index="i").path == "/i/_bulk"


def test_search_targets_several_indices_or_none_for_pit() -> None:
    assert rq.search({}, index=["a", "b"]).path == "/a,b/_search"
    assert rq.search({"pit": {"id": "x"}}).path == "/_search"
    assert rq.search({}, index="a", preference="p", seq_no_primary_term=True).params == {
        "preference": "p",
        "seq_no_primary_term": "true",
    }


@pytest.mark.parametrize(
    ("request_", "method", "path"),
    [
        (rq.count("i"), "POST", "/i/_count"),
        (rq.update_by_query("i", {}, conflicts="proceed"), "POST", "/i/_update_by_query"),
        (rq.delete_by_query("i", {}, slices="auto"), "POST", "/i/_delete_by_query"),
        (rq.reindex({}, wait_for_completion=False), "POST", "/_reindex"),
        (rq.get_task("node:1"), "GET", "/_tasks/node%3A1"),
        (rq.create_index("i"), "PUT", "/i"),
        (rq.delete_index(["a", "b"]), "DELETE", "/a,b"),
        (rq.index_exists("i"), "HEAD", "/i"),
        (rq.get_mapping("i"), "GET", "/i/_mapping"),
        (rq.put_mapping("i", {}), "PUT", "/i/_mapping"),
        (rq.get_settings("i"), "GET", "/i/_settings"),
        (rq.put_settings("i", {}), "PUT", "/i/_settings"),
        (rq.clone_index("a", "b"), "POST", "/a/_clone/b"),
        (rq.refresh("i"), "POST", "/i/_refresh"),
        (rq.add_write_block("i"), "PUT", "/i/_block/write"),
        (rq.flush("i"), "POST", "/i/_flush"),
        (rq.update_aliases([]), "POST", "/_aliases"),
        (rq.get_alias("x"), "GET", "/_alias/x"),
        (rq.get_alias("x", index="i"), "GET", "/i/_alias/x"),
        (rq.cluster_health(), "GET", "/_cluster/health"),
        (rq.info(), "GET", "/"),
        (rq.mget([]), "POST", "/_mget"),
        (rq.create_document("i", "1", {}), "PUT", "/i/_create/1"),
        (rq.delete_document("i", "1"), "DELETE", "/i/_doc/1"),
    ],
)
def test_paths_and_methods(request_: rq.Request, method: str, path: str) -> None:
    assert (request_.method, request_.path) == (method, path)


def test_by_query_params() -> None:
    request = rq.update_by_query(
        "i",
        {"query": {}},
        refresh=True,
        conflicts="proceed",
        wait_for_completion=False,
        slices="auto",
        scroll_size=500,
    )
    assert request.params == {
        "refresh": "true",
        "conflicts": "proceed",
        "wait_for_completion": "false",
        "slices": "auto",
        "scroll_size": "500",
    }


def test_create_index_body_holds_only_what_is_given() -> None:
    request = rq.create_index("i", mappings={"dynamic": "strict"}, aliases={"a": {}})
    assert orjson.loads(request.body or b"") == {
        "mappings": {"dynamic": "strict"},
        "aliases": {"a": {}},
    }


def test_migrator_parameters() -> None:
    assert rq.get_index(["a", "b"], ignore_unavailable=True).params == {
        "ignore_unavailable": "true"
    }
    assert rq.search({}, allow_partial_search_results=False).params == {
        "allow_partial_search_results": "false"
    }
    assert rq.reindex({}, slices="auto", require_alias=True).params == {
        "slices": "auto",
        "require_alias": "true",
    }
