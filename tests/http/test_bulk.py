"""Bulk routes over real HTTP: ``_bulk_create``, ``_bulk_get``, ``_bulk_update``,
``_bulk_delete``, ``_bulk_resolve``.

Ported from Kibana's ``src/platform/test/api_integration/apis/saved_objects/
bulk_{create,get,update,delete,resolve}.ts`` and
``x-pack/test/saved_object_api_integration/common/suites/bulk_get.ts`` (elastic/kibana
``main``, late 2025; spec 09 §3.7 and §4.4), against a live server and the real engine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.http.conftest import LiveApp
from tests.http.test_objects import secured, user_header

App = Callable[..., LiveApp]


@pytest.fixture
def http(live_app: App) -> httpx.Client:
    client = live_app().client()
    seed = [
        {
            "type": "visualization",
            "id": "v1",
            "attributes": {"title": "one"},
            "references": [{"name": "r", "type": "index-pattern", "id": "ip"}],
        },
        {"type": "dashboard", "id": "d1", "attributes": {"title": "dash"}},
    ]
    assert client.post("/api/saved_objects/_bulk_create", json=seed).status_code == 200
    return client


def test_bulk_get_keeps_order_and_reports_each_failure(http: httpx.Client) -> None:
    response = http.post(
        "/api/saved_objects/_bulk_get",
        json=[
            {"type": "dashboard", "id": "does not exist"},
            {"type": "visualization", "id": "v1"},
            {"type": "hiddentype", "id": "h"},
        ],
    )
    assert response.status_code == 200
    missing, found, hidden = response.json()["saved_objects"]
    assert missing == {
        "id": "does not exist",
        "type": "dashboard",
        "error": {
            "error": "Not Found",
            "message": "Saved object [dashboard/does not exist] not found",
            "statusCode": 404,
        },
    }
    assert found["id"] == "v1"
    assert found["managed"] is False
    assert found["attributes"] == {"title": "one"}
    assert hidden == {
        "id": "h",
        "type": "hiddentype",
        "error": {
            "message": "Unsupported saved object type: 'hiddentype': Bad Request",
            "statusCode": 400,
            "error": "Bad Request",
        },
    }


def test_bulk_get_with_fields_and_namespaces(http: httpx.Client) -> None:
    http.post(
        "/s/s1/api/saved_objects/visualization/v2",
        json={"attributes": {"title": "t", "version": 3}},
    )
    body = http.post(
        "/api/saved_objects/_bulk_get",
        json=[{"type": "visualization", "id": "v2", "fields": ["title"], "namespaces": ["s1"]}],
    ).json()
    (found,) = body["saved_objects"]
    assert found["attributes"] == {"title": "t"}
    assert found["namespaces"] == ["s1"]


def test_bulk_create_in_a_space_reports_conflicts_per_object(http: httpx.Client) -> None:
    http.post("/s/s1/api/saved_objects/visualization/taken", json={"attributes": {}})
    response = http.post(
        "/s/s1/api/saved_objects/_bulk_create",
        json=[
            {"type": "visualization", "id": "taken", "attributes": {"title": "again"}},
            {"type": "dashboard", "attributes": {"title": "new"}},
        ],
    )
    assert response.status_code == 200
    conflict, created = response.json()["saved_objects"]
    assert conflict == {
        "type": "visualization",
        "id": "taken",
        "error": {
            "error": "Conflict",
            "message": "Saved object [visualization/taken] conflict",
            "statusCode": 409,
        },
    }
    assert created["namespaces"] == ["s1"]
    assert created["managed"] is False
    assert "dashboard" not in created["id"]
    overwritten = http.post(
        "/s/s1/api/saved_objects/_bulk_create",
        params={"overwrite": "true"},
        json=[{"type": "visualization", "id": "taken", "attributes": {"title": "again"}}],
    ).json()["saved_objects"]
    assert overwritten[0]["attributes"] == {"title": "again"}


def test_bulk_update_references_and_unknown_ids(http: httpx.Client) -> None:
    response = http.put(
        "/api/saved_objects/_bulk_update",
        json=[
            {"type": "visualization", "id": "v1", "attributes": {"title": "two"}},
            {"type": "dashboard", "id": "d1", "attributes": {"title": "d"}, "references": []},
            {"type": "visualization", "id": "not an id", "attributes": {}},
        ],
    )
    assert response.status_code == 200
    kept, cleared, missing = response.json()["saved_objects"]
    assert "references" not in kept
    assert cleared["references"] == []
    assert missing == {
        "type": "visualization",
        "id": "not an id",
        "error": {
            "statusCode": 404,
            "error": "Not Found",
            "message": "Saved object [visualization/not an id] not found",
        },
    }
    stored = http.get("/api/saved_objects/visualization/v1").json()
    assert stored["references"] == [{"name": "r", "type": "index-pattern", "id": "ip"}]
    assert stored["attributes"] == {"title": "two"}


def test_bulk_update_in_another_namespace(http: httpx.Client) -> None:
    http.post("/s/s1/api/saved_objects/note/n1", json={"attributes": {"title": "a"}})
    body = http.put(
        "/api/saved_objects/_bulk_update",
        json=[{"type": "note", "id": "n1", "attributes": {"title": "b"}, "namespace": "s1"}],
    ).json()
    assert "error" not in body["saved_objects"][0]
    assert http.get("/s/s1/api/saved_objects/note/n1").json()["attributes"] == {"title": "b"}


def test_bulk_delete_reports_each_object(http: httpx.Client) -> None:
    response = http.post(
        "/api/saved_objects/_bulk_delete",
        json=[{"type": "dashboard", "id": "d1"}, {"type": "dashboard", "id": "nope"}],
    )
    assert response.status_code == 200
    assert response.json() == {
        "statuses": [
            {"success": True, "type": "dashboard", "id": "d1"},
            {
                "success": False,
                "type": "dashboard",
                "id": "nope",
                "error": {
                    "statusCode": 404,
                    "error": "Not Found",
                    "message": "Saved object [dashboard/nope] not found",
                },
            },
        ]
    }


def test_bulk_delete_of_shared_objects_needs_force(http: httpx.Client) -> None:
    http.post(
        "/api/saved_objects/index-pattern/ip",
        json={"attributes": {}, "initialNamespaces": ["default", "s1"]},
    )
    body = http.post(
        "/api/saved_objects/_bulk_delete", json=[{"type": "index-pattern", "id": "ip"}]
    )
    (status,) = body.json()["statuses"]
    assert status["success"] is False
    assert status["error"]["statusCode"] == 400
    forced = http.post(
        "/api/saved_objects/_bulk_delete",
        params={"force": "true"},
        json=[{"type": "index-pattern", "id": "ip"}],
    ).json()
    assert forced == {"statuses": [{"success": True, "type": "index-pattern", "id": "ip"}]}


def test_bulk_resolve(http: httpx.Client) -> None:
    body = http.post(
        "/api/saved_objects/_bulk_resolve",
        json=[{"type": "visualization", "id": "v1"}, {"type": "visualization", "id": "zz"}],
    ).json()
    found, missing = body["resolved_objects"]
    assert found["outcome"] == "exactMatch"
    assert found["saved_object"]["id"] == "v1"
    assert missing == {
        "saved_object": {
            "id": "zz",
            "type": "visualization",
            "error": {
                "statusCode": 404,
                "error": "Not Found",
                "message": "Saved object [visualization/zz] not found",
            },
        },
        "outcome": "exactMatch",
    }


@pytest.mark.parametrize(
    ("method", "path", "item"),
    [
        ("POST", "_bulk_create", {"type": "hidden-from-http", "attributes": {}}),
        ("POST", "_bulk_get", {"type": "hidden-from-http", "id": "x"}),
        ("PUT", "_bulk_update", {"type": "hidden-from-http", "id": "x", "attributes": {}}),
        ("POST", "_bulk_delete", {"type": "hidden-from-http", "id": "x"}),
        ("POST", "_bulk_resolve", {"type": "hidden-from-http", "id": "x"}),
    ],
)
def test_a_type_hidden_from_http_refuses_the_whole_request(
    http: httpx.Client, method: str, path: str, item: dict[str, Any]
) -> None:
    other = {**item, "type": "visualization", "id": "v1"}
    response = http.request(method, f"/api/saved_objects/{path}", json=[other, item, item])
    assert response.status_code == 400
    assert response.json() == {
        "statusCode": 400,
        "error": "Bad Request",
        "message": "Unsupported saved object type(s): hidden-from-http: Bad Request",
    }


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("_bulk_get", {}, "[request body]: expected value of type [array] but got [Object]"),
        (
            "_bulk_get",
            [{"type": "visualization"}],
            "[request body.0.id]: expected value of type [string] but got [undefined]",
        ),
        (
            "_bulk_create",
            [{"type": "visualization", "attributes": {}, "namespace": "x"}],
            "[request body.0.namespace]: definition for this key is missing",
        ),
        (
            "_bulk_delete",
            [{"type": "a", "id": "b"}] * 10_001,
            "[request body]: array size is [10001], but cannot be greater than [10000]",
        ),
    ],
)
def test_bulk_validation(http: httpx.Client, path: str, body: Any, message: str) -> None:
    response = http.post(f"/api/saved_objects/{path}", json=body)
    assert response.status_code == 400
    assert response.json()["message"] == message


def test_bulk_get_of_an_unauthorized_type_is_a_403(live_app: App) -> None:
    http = live_app(secured, authenticate=user_header).client(headers={"x-user": "eve:vis_editor"})
    response = http.post(
        "/api/saved_objects/_bulk_get",
        json=[{"type": "dashboard", "id": "a"}, {"type": "visualization", "id": "b"}],
    )
    assert response.status_code == 403
    assert response.json() == {
        "statusCode": 403,
        "error": "Forbidden",
        "message": "Unable to bulk_get dashboard",
    }
