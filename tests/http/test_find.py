"""``GET /api/saved_objects/_find`` over real HTTP.

Ported from Kibana's ``src/platform/test/api_integration/apis/saved_objects/find.ts``,
the route test ``src/core/server/integration_tests/saved_objects/routes/find.test.ts``
and ``x-pack/test/saved_object_api_integration/common/suites/find.ts`` (elastic/kibana
``main``, late 2025; spec 09 §3.6 and §4.2), against a live server and the real engine.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.http.conftest import LiveApp

App = Callable[..., LiveApp]
EMPTY = {"page": 1, "per_page": 20, "total": 0, "saved_objects": []}
IP1 = {"type": "index-pattern", "id": "ip-1"}
IP2 = {"type": "index-pattern", "id": "ip-2"}


def ref(target: dict[str, str]) -> dict[str, str]:
    return {"name": f"ref-{target['id']}", **target}


OBJECTS: list[dict[str, Any]] = [
    {
        "type": "visualization",
        "id": "vis-1",
        "attributes": {"title": "Count of requests", "version": 1},
        "references": [ref(IP1)],
    },
    {
        "type": "visualization",
        "id": "vis-2",
        "attributes": {"title": "my-vis", "version": 1},
        "references": [ref(IP1), ref(IP2)],
    },
    {
        "type": "visualization",
        "id": "vis-3",
        "attributes": {"title": "some-vis-title", "version": 1},
        "references": [ref(IP2)],
    },
    {
        "type": "visualization",
        "id": "vis-4",
        "attributes": {"title": "visualization-title", "version": 1},
    },
    {"type": "dashboard", "id": "dash-1", "attributes": {"title": "my-dashboard", "version": 2}},
]


@pytest.fixture
def http(live_app: App) -> httpx.Client:
    client = live_app().client()
    response = client.post("/api/saved_objects/_bulk_create", json=OBJECTS)
    assert response.status_code == 200
    assert not any("error" in o for o in response.json()["saved_objects"])
    space_object = {"type": "visualization", "id": "in-s1", "attributes": {"title": "in s1"}}
    assert (
        client.post("/s/s1/api/saved_objects/_bulk_create", json=[space_object]).status_code == 200
    )
    return client


def find(http: httpx.Client, path: str = "/api/saved_objects/_find", **params: Any) -> Any:
    response = http.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def ids(body: Any) -> list[str]:
    return sorted(o["id"] for o in body["saved_objects"])


def bad_request(response: httpx.Response) -> str:
    assert response.status_code == 400, response.text
    body = response.json()
    assert set(body) == {"statusCode", "error", "message"}
    assert body["error"] == "Bad Request"
    message: str = body["message"]
    return message


def test_a_space_prefixed_find_with_fields_sees_only_that_space(http: httpx.Client) -> None:
    body = find(http, "/s/s1/api/saved_objects/_find", type="visualization", fields="title")
    assert body["total"] == 1
    (hit,) = body["saved_objects"]
    assert hit["id"] == "in-s1"
    assert hit["attributes"] == {"title": "in s1"}
    assert hit["namespaces"] == ["s1"]
    assert "score" in hit


def test_the_page_shape_and_defaults(http: httpx.Client) -> None:
    body = find(http, type="visualization")
    assert set(body) == {"page", "per_page", "total", "saved_objects"}
    assert (body["page"], body["per_page"], body["total"]) == (1, 20, 4)


@pytest.mark.parametrize(
    "params",
    [
        {"type": "wigwags"},
        {"type": "visualization", "search_fields": "a", "search": "x"},
        {"type": "visualization", "namespaces": "foo"},
    ],
    ids=["unknown type", "unknown search field", "unknown space"],
)
def test_nothing_to_find_is_an_empty_page(http: httpx.Client, params: dict[str, str]) -> None:
    assert find(http, **params) == EMPTY


def test_namespaces_searches_other_spaces(http: httpx.Client) -> None:
    body = find(http, type="visualization", namespaces="s1")
    assert ids(body) == ["in-s1"]
    assert body["saved_objects"][0]["namespaces"] == ["s1"]
    everywhere = find(http, type="visualization", namespaces="*")
    assert ids(everywhere) == ["in-s1", "vis-1", "vis-2", "vis-3", "vis-4"]
    repeated = http.get(
        "/api/saved_objects/_find?type=visualization&namespaces=s1&namespaces=default"
    ).json()
    assert repeated["total"] == 5


def test_repeated_type_parameters_search_several_types(http: httpx.Client) -> None:
    body = http.get("/api/saved_objects/_find?type=visualization&type=dashboard").json()
    assert body["total"] == 5


def test_a_kql_filter_matches(http: httpx.Client) -> None:
    body = find(
        http, type="visualization", filter='visualization.attributes.title:"Count of requests"'
    )
    assert ids(body) == ["vis-1"]


def test_a_filter_on_a_type_not_searched_is_kibanas_400(http: httpx.Client) -> None:
    response = http.get(
        "/api/saved_objects/_find",
        params={"type": "visualization", "filter": 'dashboard.attributes.title:"x"'},
    )
    assert response.json() == {
        "error": "Bad Request",
        "message": "This type dashboard is not allowed: Bad Request",
        "statusCode": 400,
    }


def test_a_kql_syntax_error_is_a_400(http: httpx.Client) -> None:
    response = http.get(
        "/api/saved_objects/_find",
        params={"type": "visualization", "filter": "visualization.attributes.title:("},
    )
    assert re.search(r"KQLSyntaxError[\s\S]+Bad Request", bad_request(response))


def test_a_max_aggregation(http: httpx.Client) -> None:
    aggs = {"type_count": {"max": {"field": "dashboard.attributes.version"}}}
    body = find(http, type="dashboard", per_page=0, aggs=json.dumps(aggs))
    assert body == {
        "aggregations": {"type_count": {"value": 2}},
        "page": 1,
        "per_page": 0,
        "saved_objects": [],
        "total": 1,
    }


@pytest.mark.parametrize(
    ("aggs", "message"),
    [
        (
            {"type_count": {"max": {"field": "dashboard.attributes.version"}}},
            "Invalid aggregation: [type_count.max.field] Invalid attribute path: "
            "dashboard.attributes.version: Bad Request",
        ),
        (
            {"type_count": {"max": {"field": "visualization.attributes.version", "script": "x"}}},
            "Invalid aggregation: [type_count.max.script]: definition for this key is missing: "
            "Bad Request",
        ),
    ],
)
def test_invalid_aggregations(http: httpx.Client, aggs: Any, message: str) -> None:
    response = http.get(
        "/api/saved_objects/_find",
        params={"type": "visualization", "per_page": 0, "aggs": json.dumps(aggs)},
    )
    assert bad_request(response) == message


def test_aggs_that_are_not_json_is_invalid_aggs_value(http: httpx.Client) -> None:
    response = http.get("/api/saved_objects/_find", params={"type": "visualization", "aggs": "{"})
    assert bad_request(response) == "invalid aggs value"


def test_has_reference_as_an_object_and_as_arrays_with_operators(http: httpx.Client) -> None:
    assert ids(find(http, type="visualization", has_reference=json.dumps(IP1))) == [
        "vis-1",
        "vis-2",
    ]
    both = json.dumps([IP1, IP2])
    assert ids(find(http, type="visualization", has_reference=both)) == ["vis-1", "vis-2", "vis-3"]
    assert ids(
        find(http, type="visualization", has_reference=both, has_reference_operator="AND")
    ) == ["vis-2"]
    repeated = http.get(
        "/api/saved_objects/_find",
        params=[
            ("type", "visualization"),
            ("has_reference", json.dumps(IP1)),
            ("has_reference", json.dumps(IP2)),
            ("has_reference_operator", "AND"),
        ],
    ).json()
    assert ids(repeated) == ["vis-2"]


def test_has_no_reference_and_both_together(http: httpx.Client) -> None:
    assert ids(find(http, type="visualization", has_no_reference=json.dumps(IP1))) == [
        "vis-3",
        "vis-4",
    ]
    both = json.dumps([IP1, IP2])
    assert ids(
        find(http, type="visualization", has_no_reference=both, has_no_reference_operator="AND")
    ) == ["vis-1", "vis-3", "vis-4"]
    assert ids(
        find(
            http,
            type="visualization",
            has_reference=json.dumps(IP2),
            has_no_reference=json.dumps(IP1),
        )
    ) == ["vis-3"]
    assert (
        find(
            http,
            type="visualization",
            has_reference=json.dumps(IP1),
            has_no_reference=json.dumps(IP1),
        )["total"]
        == 0
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{", "[request query.has_reference]: could not parse object value from json input"),
        (
            '{"type": "index-pattern"}',
            "[request query.has_reference.id]: expected value of type [string] but got [undefined]",
        ),
        (
            '{"type": "a", "id": "b", "name": "c"}',
            "[request query.has_reference.name]: definition for this key is missing",
        ),
        (
            "[1]",
            "[request query.has_reference.0]: expected a plain object value, but found [number] "
            "instead.",
        ),
    ],
)
def test_has_reference_validation(http: httpx.Client, value: str, message: str) -> None:
    response = http.get(
        "/api/saved_objects/_find", params={"type": "visualization", "has_reference": value}
    )
    assert bad_request(response) == message


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("my-vis*", ["vis-2"]),
        ("my-*", ["vis-2"]),
        ("some*vi*", ["vis-3"]),
        ("visuali*", ["vis-4"]),
    ],
)
def test_search_with_wildcards(http: httpx.Client, search: str, expected: list[str]) -> None:
    assert ids(find(http, type="visualization", search_fields="title", search=search)) == expected


def test_a_page_beyond_the_total_is_empty(http: httpx.Client) -> None:
    body = find(http, type="dashboard", page=100, per_page=100)
    assert body == {"page": 100, "per_page": 100, "total": 1, "saved_objects": []}


def test_sorting(http: httpx.Client) -> None:
    body = find(http, type="visualization", sort_field="title.keyword", sort_order="desc")
    assert [o["id"] for o in body["saved_objects"]] == ["vis-4", "vis-3", "vis-2", "vis-1"]


def test_a_missing_type_is_a_400(http: httpx.Client) -> None:
    response = http.get("/api/saved_objects/_find")
    assert bad_request(response) == (
        "[request query.type]: expected at least one defined value but got [undefined]"
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"per_page": "-1"},
            "[request query.per_page]: Value must be equal to or greater than [0].",
        ),
        ({"page": "x"}, "[request query.page]: expected value of type [number] but got [string]"),
        ({"nope": "1"}, "[request query.nope]: definition for this key is missing"),
    ],
)
def test_query_validation(http: httpx.Client, params: dict[str, str], message: str) -> None:
    response = http.get("/api/saved_objects/_find", params={"type": "visualization", **params})
    assert bad_request(response) == message


def test_a_type_hidden_from_http_refuses_the_request(http: httpx.Client) -> None:
    response = http.get("/api/saved_objects/_find", params={"type": "hidden-from-http"})
    assert response.json() == {
        "error": "Bad Request",
        "message": "Unsupported saved object type(s): hidden-from-http: Bad Request",
        "statusCode": 400,
    }
    mixed = http.get(
        "/api/saved_objects/_find?type=visualization&type=hidden-from-http&type=hidden-from-http"
    )
    assert bad_request(mixed) == "Unsupported saved object type(s): hidden-from-http: Bad Request"


def test_a_hidden_type_is_an_empty_page(http: httpx.Client) -> None:
    assert find(http, type="hiddentype") == EMPTY
