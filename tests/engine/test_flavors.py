"""Engine differences, decided from what the server reports."""

from __future__ import annotations

import orjson
import pytest

from kbn_saved_objects.engine import flavors
from kbn_saved_objects.engine.flavors import EngineInfo

OPENSEARCH = EngineInfo("opensearch", "2.19.6")
OPENSEARCH_3_2 = EngineInfo("opensearch", "3.2.0")
ES8 = EngineInfo("elasticsearch", "8.17.0")
ES9 = EngineInfo("elasticsearch", "9.1.0-SNAPSHOT")


def test_from_root_reads_distribution_and_version() -> None:
    root = {"cluster_name": "c", "version": {"distribution": "opensearch", "number": "2.19.6"}}
    assert EngineInfo.from_root(root) == EngineInfo("opensearch", "2.19.6", "c")
    assert EngineInfo.from_root({"version": {"number": "8.1.0"}}).distribution == "elasticsearch"
    assert str(ES9) == "Elasticsearch 9.1.0-SNAPSHOT"
    assert ES9.version_tuple == (9, 1, 0)


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        (OPENSEARCH, False),
        (OPENSEARCH_3_2, True),
        (ES8, True),
        (EngineInfo("elasticsearch", "7.9.0"), False),
    ],
)
def test_version_field_support(info: EngineInfo, expected: bool) -> None:
    assert info.supports_version_field is expected


def test_product_header_checked_only_on_elasticsearch() -> None:
    assert ES8.checks_product_header
    assert not OPENSEARCH.checks_product_header


def test_compatibility_headers_follow_the_server_major() -> None:
    assert flavors.compatibility_headers(OPENSEARCH) == {}
    assert flavors.compatibility_headers(ES8)["accept"].endswith("compatible-with=8")
    assert flavors.compatibility_headers(ES9)["content-type"].endswith("compatible-with=9")
    assert flavors.ndjson_content_type(OPENSEARCH) == "application/x-ndjson"
    assert "x-ndjson; compatible-with=8" in flavors.ndjson_content_type(ES8)


def test_point_in_time_endpoints_differ() -> None:
    os_open = flavors.open_point_in_time(OPENSEARCH, "i", keep_alive="1m")
    es_open = flavors.open_point_in_time(ES8, "i", keep_alive="1m")
    assert (os_open.method, os_open.path) == ("POST", "/i/_search/point_in_time")
    assert (es_open.method, es_open.path) == ("POST", "/i/_pit")
    assert es_open.params == {"keep_alive": "1m"}
    assert flavors.point_in_time_id(OPENSEARCH, {"pit_id": "a"}) == "a"
    assert flavors.point_in_time_id(ES8, {"id": "b"}) == "b"
    os_close = flavors.close_point_in_time(OPENSEARCH, "a")
    es_close = flavors.close_point_in_time(ES8, "b")
    assert orjson.loads(os_close.body or b"") == {"pit_id": ["a"]}
    assert orjson.loads(es_close.body or b"") == {"id": "b"}
    assert os_close.not_found_ok
    assert es_close.not_found_ok


OPENSEARCH_3 = EngineInfo("opensearch", "3.9.0")


def test_opensearch_3_keeps_the_opensearch_ways() -> None:
    """3.x changes none of what the adapters choose for 2.x: same PIT endpoints and id
    key, ``_id`` as the PIT tiebreaker (3.x also knows ``_shard_doc``, but ``_id`` is
    correct on every OpenSearch), plain JSON without compatibility headers."""
    assert OPENSEARCH_3.major == 3
    assert OPENSEARCH_3.supports_version_field
    assert not OPENSEARCH_3.checks_product_header
    assert flavors.compatibility_headers(OPENSEARCH_3) == {}
    assert flavors.ndjson_content_type(OPENSEARCH_3) == "application/x-ndjson"
    opened = flavors.open_point_in_time(OPENSEARCH_3, "i", keep_alive="1m")
    assert opened.path == "/i/_search/point_in_time"
    assert flavors.point_in_time_id(OPENSEARCH_3, {"pit_id": "a"}) == "a"
    assert flavors.point_in_time_tiebreaker(OPENSEARCH_3) == [{"_id": "asc"}]


@pytest.mark.parametrize(
    ("stored", "sent"),
    [
        ({"type": "version", "index": True}, {"type": "version"}),  # OpenSearch 3 echo
        ({"type": "version"}, {"type": "version"}),  # Elasticsearch
        ({"type": "keyword"}, {"type": "keyword"}),
        (None, None),
    ],
)
def test_echoed_defaults_compare_equal(stored: object, sent: object) -> None:
    assert flavors.as_sent(stored) == sent


def test_a_real_difference_still_differs() -> None:
    assert flavors.as_sent({"type": "version", "index": False}) != {"type": "version"}
    assert flavors.as_sent({"type": "keyword", "index": True}) != {"type": "keyword"}
