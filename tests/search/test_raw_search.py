"""The body checks of ``search``, without an engine."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kbn_saved_objects.engine.flavors import EngineInfo
from kbn_saved_objects.errors import BadRequestError
from kbn_saved_objects.search.raw_search import (
    ALLOWED_BODY_KEYS,
    attribute_field,
    runtime_field,
    runtime_fields,
    scoped_query,
    terms_aggregation,
    validate_search_body,
)

SCOPE = {"term": {"type": "dashboard"}}


def test_the_caller_s_query_is_wrapped_under_the_scope_filter() -> None:
    query = {"bool": {"should": [{"term": {"namespace": "other"}}]}}
    assert scoped_query(query, SCOPE) == {"bool": {"filter": [SCOPE], "must": [query]}}
    assert scoped_query(None, SCOPE) == {"bool": {"filter": [SCOPE]}}
    assert scoped_query({}, SCOPE) == {"bool": {"filter": [SCOPE]}}


@given(
    st.dictionaries(
        st.sampled_from(
            sorted(
                ALLOWED_BODY_KEYS - {"aggs", "aggregations", "runtime_mappings", "derived", "query"}
            )
        ),
        st.integers(),
    )
)
def test_allowed_keys_pass_through_unchanged(body: dict[str, Any]) -> None:
    assert validate_search_body(body) == body


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "must be an object"),
        ({"suggest": {}}, "'suggest' cannot be used"),
        ({"retriever": {}, "rank": {}}, "'rank', 'retriever' cannot be used"),
        ({"aggs": []}, "aggs must be an object"),
        ({"aggs": {"a": 1}}, "aggs.a must be an object"),
        ({"aggregations": {"a": {"global": {}}}}, "aggregations.a is a 'global'"),
        (
            {"aggs": {"a": {"terms": {"field": "x"}, "aggs": {"b": {"significant_text": {}}}}}},
            "aggs.a.aggs.b is a 'significant_text'",
        ),
        ({"runtime_mappings": []}, "runtime_mappings must be an object"),
        ({"runtime_mappings": {"namespace": {"type": "keyword"}}}, "cannot define namespace"),
        (
            {"runtime_mappings": {"references.id": {"type": "keyword"}}},
            "cannot define references.id",
        ),
        ({"query": []}, "query must be an object"),
    ],
)
def test_refusals_name_the_part(body: Any, message: str) -> None:
    with pytest.raises(BadRequestError, match=message) as caught:
        validate_search_body(body)
    assert caught.value.status_code == 400


def test_runtime_fields_over_attributes_are_allowed() -> None:
    body = {"runtime_mappings": {"dashboard.len": {"type": "long", "script": "emit(1)"}}}
    assert validate_search_body(body) == body


def test_attribute_field() -> None:
    assert attribute_field("dashboard", "title") == "dashboard.title"
    with pytest.raises(ValueError, match="required"):
        attribute_field("", "title")


def test_derived_fields_are_checked_like_runtime_fields() -> None:
    with pytest.raises(BadRequestError, match="derived cannot define namespaces, type"):
        validate_search_body({"derived": {"type": {}, "namespaces": {}}})
    with pytest.raises(BadRequestError, match="derived must be an object"):
        validate_search_body({"derived": 1})


def test_runtime_fields_use_each_engine_s_key() -> None:
    field = runtime_field("long", "emit(1)")
    assert field == {"type": "long", "script": {"source": "emit(1)"}}
    elastic = runtime_fields(EngineInfo("elasticsearch", "9.1.0"), {"dashboard.n": field})
    assert elastic == {"runtime_mappings": {"dashboard.n": field}}
    opensearch = runtime_fields(EngineInfo("opensearch", "2.19.0"), {"dashboard.n": field})
    assert opensearch == {"derived": {"dashboard.n": field}}


def test_terms_aggregation() -> None:
    assert terms_aggregation("dashboard", "kind", size=3) == {
        "terms": {"field": "dashboard.kind", "size": 3}
    }
