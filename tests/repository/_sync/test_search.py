# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""``search`` on the real engine: the caller's DSL, only the caller's types and spaces.

Follows Kibana ``main``'s ``apis/search/search.ts`` (elastic/kibana, read 2026-12-07 at
33cbf65533578ef466b449133c641b7c0622028f) where it is safe, and the differences listed in
``repository/operations/search.py`` where it is not.
"""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.engine import flavors
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import BadRequestError
from kbn_saved_objects.repository import SavedObjectsRepository
from tests.repository.conftest import AGNOSTIC, HIDDEN, MULTIPLE, OTHER_INDEX, SINGLE, VALIDATED

pytestmark = pytest.mark.engine


def seed(repo: SavedObjectsRepository) -> None:
    hidden = SavedObjectsRepository(
        repo.engine,
        repo.context.registry,
        config=repo.context.config,
        include_hidden_types={HIDDEN},
    )
    for ns in ("default", "space1", "space2"):
        for i in range(3):
            repo.create(SINGLE, {"title": f"{ns} single {i}", "count": i}, id=f"s{i}", namespace=ns)
        hidden.create(HIDDEN, {"title": f"{ns} hidden", "count": 5}, id="h", namespace=ns)
    repo.create(
        MULTIPLE, {"title": "shared one", "count": 10}, id="m1", initial_namespaces=["space1"]
    )
    repo.create(MULTIPLE, {"title": "shared all", "count": 11}, id="m2", initial_namespaces=["*"])
    repo.create(AGNOSTIC, {"title": "global", "count": 20}, id="g1")
    repo.create(OTHER_INDEX, {"title": "elsewhere", "count": 30}, id="o1", namespace="space1")
    repo.engine.perform(rq.refresh(repo.context.indices_for([SINGLE, OTHER_INDEX])))


def hit_keys(answer: dict[str, Any]) -> list[str]:
    return sorted(hit["_id"] for hit in answer["hits"]["hits"])


def test_a_match_all_sees_only_the_requested_types_in_the_requested_space(
    repository: SavedObjectsRepository,
) -> None:
    seed(repository)
    answer = repository.search(
        [SINGLE, MULTIPLE, AGNOSTIC],
        {"query": {"match_all": {}}, "size": 100},
        namespaces=["space1"],
    )
    assert hit_keys(answer) == [
        f"{AGNOSTIC}:g1",
        f"{MULTIPLE}:m1",
        f"{MULTIPLE}:m2",
        f"space1:{SINGLE}:s0",
        f"space1:{SINGLE}:s1",
        f"space1:{SINGLE}:s2",
    ]
    assert answer["hits"]["total"] == {"value": 6, "relation": "eq"}
    source = answer["hits"]["hits"][0]["_source"]
    assert source["type"] in (SINGLE, MULTIPLE, AGNOSTIC)


def test_the_default_namespace_is_the_repository_s(
    repository: SavedObjectsRepository,
) -> None:
    seed(repository)
    answer = repository.search(SINGLE, {"size": 100})
    assert hit_keys(answer) == [f"{SINGLE}:s0", f"{SINGLE}:s1", f"{SINGLE}:s2"]
    scoped = repository.as_scoped_to_namespace("space2")
    answer = scoped.search(SINGLE, {"size": 100})
    assert hit_keys(answer) == [f"space2:{SINGLE}:s0", f"space2:{SINGLE}:s1", f"space2:{SINGLE}:s2"]
    with pytest.raises(BadRequestError, match="scoped to namespace 'space2'"):
        scoped.search(SINGLE, {}, namespaces=["space1"])
    with pytest.raises(BadRequestError, match="scoped to namespace 'space2'"):
        scoped.search(SINGLE, {}, namespaces=["*"])


def test_a_query_that_targets_other_spaces_and_types_still_sees_only_its_own(
    repository: SavedObjectsRepository,
) -> None:
    seed(repository)
    escape = {
        "bool": {
            "should": [
                {"term": {"namespace": "space2"}},
                {"terms": {"namespaces": ["space2", "default"]}},
                {"term": {"type": HIDDEN}},
                {"ids": {"values": [f"space2:{SINGLE}:s0", f"{HIDDEN}:h"]}},
                {"match_all": {}},
            ]
        }
    }
    answer = repository.search([SINGLE], {"query": escape, "size": 100}, namespaces=["space1"])
    assert hit_keys(answer) == [f"space1:{SINGLE}:s0", f"space1:{SINGLE}:s1", f"space1:{SINGLE}:s2"]


def test_aggregations_count_only_the_caller_s_objects(
    repository: SavedObjectsRepository,
) -> None:
    seed(repository)
    answer = repository.search(
        [SINGLE, MULTIPLE],
        {
            "size": 0,
            "aggs": {
                "types": {"terms": {"field": "type"}},
                "total": {"sum": {"field": f"{SINGLE}.count"}},
            },
        },
        namespaces=["space2"],
    )
    buckets = {b["key"]: b["doc_count"] for b in answer["aggregations"]["types"]["buckets"]}
    assert buckets == {SINGLE: 3, MULTIPLE: 1}
    assert answer["aggregations"]["total"]["value"] == 3  # 0 + 1 + 2 in space2 only
    assert answer["hits"]["hits"] == []


def test_hidden_types_are_not_searched_unless_included(
    repository: SavedObjectsRepository,
    kbn_engine: Any,
    registry: Any,
    so_config: Any,
) -> None:
    seed(repository)
    answer = repository.search(HIDDEN, {"size": 100}, namespaces=["space1"])
    assert answer["hits"]["hits"] == []
    assert answer["hits"]["total"]["value"] == 0
    mixed = repository.search(
        [SINGLE, HIDDEN], {"size": 100, "query": {"term": {"type": HIDDEN}}}, namespaces=["*"]
    )
    assert mixed["hits"]["hits"] == []
    included = SavedObjectsRepository(
        kbn_engine, registry, config=so_config, include_hidden_types={HIDDEN}
    )
    answer = included.search(HIDDEN, {"size": 100}, namespaces=["space1"])
    assert hit_keys(answer) == [f"space1:{HIDDEN}:h"]


def test_hits_are_migrated_on_read(repository: SavedObjectsRepository) -> None:
    index = repository.context.index_for(VALIDATED)
    source = {
        "type": VALIDATED,
        VALIDATED: {"title": "old"},
        "references": [],
        "coreMigrationVersion": "8.8.0",
        "typeMigrationVersion": "10.0.0",
    }
    repository.engine.perform(rq.index_document(index, source, id=f"{VALIDATED}:old", refresh=True))
    answer = repository.search(VALIDATED, {"query": {"match": {"validated.title": "old"}}})
    (hit,) = answer["hits"]["hits"]
    assert hit["_id"] == f"{VALIDATED}:old"
    assert hit["_source"]["typeMigrationVersion"] == "10.1.0"
    assert hit["_source"][VALIDATED] == {"title": "old"}
    assert "_score" in hit
    assert hit["_index"].startswith(repository.context.index_for(VALIDATED))
    filtered = repository.search(VALIDATED, {"_source": [f"{VALIDATED}.title"]})
    (hit,) = filtered["hits"]["hits"]
    assert hit["_source"] == {VALIDATED: {"title": "old"}}
    with_fields = repository.search(VALIDATED, {"fields": ["typeMigrationVersion"]})
    (hit,) = with_fields["hits"]["hits"]
    assert hit["_source"]["typeMigrationVersion"] == "10.0.0"


def test_point_in_time_and_search_after_page_through_the_scope(
    repository: SavedObjectsRepository,
) -> None:
    seed(repository)
    pit_id = repository.open_point_in_time_for_type([SINGLE, MULTIPLE], namespaces=["space1"])
    try:
        seen: list[str] = []
        search_after = None
        while True:
            body: dict[str, Any] = {
                "size": 2,
                "pit": {"id": pit_id, "keep_alive": "1m"},
                "sort": [
                    {"updated_at": "asc"},
                    *flavors.point_in_time_tiebreaker(repository.context.engine),
                ],
            }
            if search_after is not None:
                body["search_after"] = search_after
            answer = repository.search([SINGLE, MULTIPLE], body, namespaces=["space1"])
            hits = answer["hits"]["hits"]
            if not hits:
                break
            seen.extend(hit["_id"] for hit in hits)
            search_after = hits[-1]["sort"]
        assert sorted(seen) == [
            f"{MULTIPLE}:m1",
            f"{MULTIPLE}:m2",
            f"space1:{SINGLE}:s0",
            f"space1:{SINGLE}:s1",
            f"space1:{SINGLE}:s2",
        ]
    finally:
        repository.close_point_in_time(pit_id)


def test_a_point_in_time_over_other_indices_brings_none_of_their_documents(
    repository: SavedObjectsRepository, kbn_index_prefix: str
) -> None:
    """A point-in-time names no index, so the scope also pins the indices."""
    seed(repository)
    foreign = f"{kbn_index_prefix}-foreign"
    repository.engine.perform(
        rq.index_document(
            foreign, {"type": SINGLE, SINGLE: {"title": "intruder"}}, id=f"{SINGLE}:x", refresh=True
        )
    )
    info = repository.context.engine
    opened = repository.engine.perform(
        flavors.open_point_in_time(
            info, [foreign, repository.context.index_for(SINGLE)], keep_alive="1m"
        )
    )
    pit_id = flavors.point_in_time_id(info, opened)
    answer = repository.search(SINGLE, {"size": 100, "pit": {"id": pit_id}}, namespaces=["default"])
    assert hit_keys(answer) == [f"{SINGLE}:s0", f"{SINGLE}:s1", f"{SINGLE}:s2"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"aggs": {"all": {"global": {}, "aggs": {"n": {"value_count": {"field": "type"}}}}}},
            "global",
        ),
        (
            {
                "aggs": {
                    "t": {
                        "terms": {"field": "type"},
                        "aggs": {"s": {"significant_terms": {"field": "type"}}},
                    }
                }
            },
            "significant_terms",
        ),
        ({"suggest": {"s": {"text": "x", "term": {"field": "type"}}}}, "'suggest'"),
        (
            {"runtime_mappings": {"type": {"type": "keyword", "script": "emit('x')"}}},
            "cannot define type",
        ),
        ({"runtime_mappings": {"namespaces": {"type": "keyword"}}}, "cannot define namespaces"),
        ({"query": "match_all"}, "query must be an object"),
        ({"knn": {"field": "v", "query_vector": [1.0], "k": 1}}, "'knn'"),
    ],
)
def test_body_parts_that_read_outside_the_query_are_refused(
    repository: SavedObjectsRepository, body: dict[str, Any], message: str
) -> None:
    with pytest.raises(BadRequestError, match=message) as caught:
        repository.search(SINGLE, body, namespaces=["default"])
    assert caught.value.status_code == 400


def test_empty_types_and_namespaces_are_refused_as_kibana_does(
    repository: SavedObjectsRepository,
) -> None:
    with pytest.raises(BadRequestError, match=r"options\.type must be a string or an array"):
        repository.search([], {})
    with pytest.raises(BadRequestError, match=r"options\.namespaces cannot be an empty array"):
        repository.search(SINGLE, {}, namespaces=[])


def test_an_engine_error_in_the_body_is_a_bad_request(
    repository: SavedObjectsRepository,
) -> None:
    seed(repository)
    with pytest.raises(BadRequestError):
        repository.search(SINGLE, {"query": {"no_such_query": {}}})


def test_a_should_only_query_keeps_its_meaning(
    repository: SavedObjectsRepository,
) -> None:
    """Kibana merges its filter into the caller's ``bool``, which makes a ``should``-only
    query optional (every object matches); wrapping keeps it a condition."""
    seed(repository)
    answer = repository.search(
        SINGLE,
        {"query": {"bool": {"should": [{"match": {f"{SINGLE}.title": "single 1"}}]}}},
        namespaces=["space1"],
    )
    hits = {hit["_id"]: hit["_score"] for hit in answer["hits"]["hits"]}
    assert f"space1:{SINGLE}:s1" in hits
    assert max(hits, key=lambda key: hits[key]) == f"space1:{SINGLE}:s1"
    exact = repository.search(
        SINGLE,
        {"query": {"bool": {"should": [{"term": {f"{SINGLE}.count": 2}}]}}},
        namespaces=["space1"],
    )
    assert hit_keys(exact) == [f"space1:{SINGLE}:s2"]
