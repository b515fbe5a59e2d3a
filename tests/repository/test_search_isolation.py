"""``search`` never returns an object outside the caller's types and spaces, whatever
query it is given: a property test with adversarial queries, on the real engine.

The queries are built to escape: ``bool``/``should`` over ``namespace``, ``namespaces`` and
``type``, ``match_all``, ``ids`` and ``terms`` on raw ``_id`` (which spell the space of a
single-namespace object), ``must_not`` around the scope's own fields, nested bools,
``constant_score`` and ``dis_max``. Each answer is checked hit by hit against the seeded
data set, and a ``terms`` aggregation over ``type`` and ``namespaces`` must count only
what the caller may see.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.repository import SavedObjectsRepository
from tests.repository.conftest import AGNOSTIC, HIDDEN, MULTIPLE, OTHER_INDEX, SINGLE

pytestmark = pytest.mark.engine

SPACES = ["default", "space1", "space2"]
TYPES = [SINGLE, MULTIPLE, AGNOSTIC, OTHER_INDEX, HIDDEN]


def seed(repo: SavedObjectsRepository) -> dict[str, tuple[str, frozenset[str]]]:
    """Objects in every space; returns raw id -> (type, spaces it is visible in)."""
    hidden = SavedObjectsRepository(
        repo.engine,
        repo.context.registry,
        config=repo.context.config,
        include_hidden_types={HIDDEN},
    )
    seen: dict[str, tuple[str, frozenset[str]]] = {}
    for ns in SPACES:
        prefix = "" if ns == "default" else f"{ns}:"
        repo.create(SINGLE, {"title": f"{ns} single", "count": 1}, id="s", namespace=ns)
        seen[f"{prefix}{SINGLE}:s"] = (SINGLE, frozenset({ns}))
        hidden.create(HIDDEN, {"title": f"{ns} hidden", "count": 2}, id="h", namespace=ns)
        seen[f"{prefix}{HIDDEN}:h"] = (HIDDEN, frozenset({ns}))
    repo.create(MULTIPLE, {"title": "one", "count": 3}, id="m1", initial_namespaces=["space1"])
    seen[f"{MULTIPLE}:m1"] = (MULTIPLE, frozenset({"space1"}))
    repo.create(
        MULTIPLE, {"title": "two", "count": 4}, id="m2", initial_namespaces=["space2", "default"]
    )
    seen[f"{MULTIPLE}:m2"] = (MULTIPLE, frozenset({"space2", "default"}))
    repo.create(MULTIPLE, {"title": "all", "count": 5}, id="m3", initial_namespaces=["*"])
    seen[f"{MULTIPLE}:m3"] = (MULTIPLE, frozenset(SPACES))
    repo.create(AGNOSTIC, {"title": "global", "count": 6}, id="g")
    seen[f"{AGNOSTIC}:g"] = (AGNOSTIC, frozenset(SPACES))
    repo.create(OTHER_INDEX, {"title": "other", "count": 7}, id="o", namespace="space2")
    seen[f"{OTHER_INDEX}:o"] = (OTHER_INDEX, frozenset({"space2"}))
    repo.engine.perform(rq.refresh(repo.context.indices_for([SINGLE, OTHER_INDEX])))
    return seen


def leaf_queries(raw_ids: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    space = st.sampled_from([*SPACES, "*", "space9"])
    type_name = st.sampled_from(TYPES)
    return st.one_of(
        st.just({"match_all": {}}),
        space.map(lambda ns: {"term": {"namespace": ns}}),
        st.lists(space, min_size=1, max_size=3).map(lambda ns: {"terms": {"namespaces": ns}}),
        type_name.map(lambda t: {"term": {"type": t}}),
        st.lists(type_name, min_size=1, max_size=3).map(lambda t: {"terms": {"type": t}}),
        st.lists(st.sampled_from(raw_ids), min_size=1, max_size=4).map(
            lambda ids: {"ids": {"values": ids}}
        ),
        st.lists(st.sampled_from(raw_ids), min_size=1, max_size=4).map(
            lambda ids: {"terms": {"_id": ids}}
        ),
        st.sampled_from(["namespace", "namespaces", "type"]).map(
            lambda f: {"exists": {"field": f}}
        ),
        st.just({"range": {f"{SINGLE}.count": {"gte": 0}}}),
    )


def queries(raw_ids: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    def compound(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        clauses = st.lists(children, max_size=3)
        return st.one_of(
            st.fixed_dictionaries(
                {},
                optional={
                    "must": clauses,
                    "should": clauses,
                    "filter": clauses,
                    "must_not": clauses,
                    "minimum_should_match": st.sampled_from([0, 1]),
                },
            ).map(lambda b: {"bool": b}),
            children.map(lambda q: {"constant_score": {"filter": q}}),
            st.lists(children, min_size=1, max_size=3).map(lambda qs: {"dis_max": {"queries": qs}}),
        )

    return st.recursive(leaf_queries(raw_ids), compound, max_leaves=8)


def test_no_query_reaches_another_space_or_type(repository: SavedObjectsRepository) -> None:
    data = seed(repository)
    raw_ids = sorted(data)

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        query=queries(raw_ids),
        types=st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True),
        namespace=st.sampled_from(SPACES),
    )
    def check(query: dict[str, Any], types: list[str], namespace: str) -> None:
        answer = repository.search(
            types,
            {
                "query": query,
                "size": 100,
                "aggs": {
                    "types": {"terms": {"field": "type"}},
                    "spaces": {"terms": {"field": "namespaces"}},
                },
            },
            namespaces=[namespace],
        )
        visible = {
            raw_id
            for raw_id, (type_name, spaces) in data.items()
            if type_name in types and type_name != HIDDEN and namespace in spaces
        }
        got = {hit["_id"] for hit in answer["hits"]["hits"]}
        assert got <= visible, (query, types, namespace)
        if not visible and "aggregations" not in answer:
            # No allowed type: the empty answer (no request was made).
            assert got == set()
            return
        counted = {b["key"]: b["doc_count"] for b in answer["aggregations"]["types"]["buckets"]}
        assert sum(counted.values()) == len(got)
        assert set(counted) <= set(types) - {HIDDEN}
        for bucket in answer["aggregations"]["spaces"]["buckets"]:
            # A multi-namespace object may list other spaces it is shared to, but only
            # objects visible here are counted.
            assert bucket["doc_count"] <= len(got)

    check()
