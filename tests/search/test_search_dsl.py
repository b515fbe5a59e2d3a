"""The whole ``_search`` body: our port of Kibana's ``getSearchDsl`` and ``getPitParams``
checks that concern sorting and points in time.

Follows elastic/kibana ``src/core/packages/saved-objects/api-server-internal/src/lib/search/
search_dsl/search_dsl.ts`` (the version with ``semanticSearch``) and ``pit_params.ts`` /
``pit_params.test.ts`` at commit d43afeb21ebd, read on 2026-12-07, and
``apis/open_point_in_time.ts`` at commit 6d9ae1531b83 (``keepAlive`` defaults to ``5m``
there, and is always sent).
"""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.engine.flavors import EngineInfo
from kbn_saved_objects.search.query import (
    NotAcceptableError,
    SearchBody,
    build_search_body,
)
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry


def build_registry() -> SavedObjectTypeRegistry:
    registry = SavedObjectTypeRegistry()
    for name, kind in (("book", "long"), ("film", "float")):
        registry.register(
            SavedObjectsType(
                name=name,
                namespace_type="multiple",
                mappings={"properties": {"rank": {"type": kind}, "title": {"type": "text"}}},
            )
        )
    return registry.freeze()


REGISTRY = build_registry()


def body(**options: Any) -> dict[str, Any]:
    return build_search_body(REGISTRY, SearchBody(namespaces=["default"], **options))


def test_a_sort_order_without_a_field_is_refused_before_the_query_is_built() -> None:
    # An invalid rootSearchFields entry would fail while building the query; Kibana's
    # getSearchDsl checks the sort order first.
    with pytest.raises(NotAcceptableError) as caught:
        body(types=["book"], sort_order="asc", search="x", root_search_fields=["a.b"])
    assert str(caught.value) == "sortOrder requires a sortField"
    assert caught.value.status_code == 406


def test_without_a_sort_order_the_query_error_shows() -> None:
    with pytest.raises(ValueError, match="cannot contain"):
        body(types=["book"], search="x", root_search_fields=["a.b"])


def test_pit_without_keep_alive_sends_only_the_id() -> None:
    assert body(types=["book"], pit={"id": "abc123"})["pit"] == {"id": "abc123"}


def test_pit_with_keep_alive_sends_it() -> None:
    assert body(types=["book"], pit={"id": "abc123", "keep_alive": "2m"})["pit"] == {
        "id": "abc123",
        "keep_alive": "2m",
    }


def test_a_merged_sort_uses_runtime_fields_where_the_engine_has_them() -> None:
    found = body(types=["book", "film"], sort_field="rank", sort_order="desc")
    assert found["sort"] == [{"merged_rank": {"order": "desc"}}]
    assert found["runtime_mappings"]["merged_rank"]["type"] == "double"


def test_a_merged_sort_is_a_script_sort_elsewhere() -> None:
    found = body(types=["book", "film"], sort_field="rank", sort_order="desc", runtime_fields=False)
    assert "runtime_mappings" not in found
    assert found["sort"][0]["_script"]["type"] == "number"
    assert found["sort"][0]["_script"]["order"] == "desc"


def test_the_point_in_time_tiebreaker_follows_a_merged_sort() -> None:
    found = body(
        types=["book", "film"],
        sort_field="rank",
        pit={"id": "p"},
        pit_tiebreaker=[{"_shard_doc": "asc"}],
        runtime_fields=False,
    )
    assert list(found["sort"][0]) == ["_script"]
    assert found["sort"][1:] == [{"_shard_doc": "asc"}]


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        (EngineInfo("opensearch", "2.19.6"), False),
        (EngineInfo("opensearch", "3.9.0"), False),
        (EngineInfo("elasticsearch", "7.10.2"), False),
        (EngineInfo("elasticsearch", "7.11.0"), True),
        (EngineInfo("elasticsearch", "9.1.0"), True),
    ],
)
def test_which_engines_take_runtime_fields(info: EngineInfo, expected: bool) -> None:
    assert info.supports_runtime_fields is expected
