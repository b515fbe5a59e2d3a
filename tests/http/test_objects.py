"""Single-object routes over real HTTP: get, create, update, delete, resolve; and what
every route shares (kbn-xsrf, the space prefix, the deprecation header, authorization).

Ported from Kibana's API integration tests ``src/platform/test/api_integration/apis/
saved_objects/{get,create,update,delete,resolve}.ts`` and the security suites under
``x-pack/test/saved_object_api_integration/common/suites/`` (elastic/kibana ``main``,
late 2025, as summarised in spec 09 §4.3 and §4.6), run against a live uvicorn server
and the real engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import Request

from kbn_saved_objects.extensions.security import (
    RolePrivileges,
    enable_security,
    searchable_spaces_filter,
)
from kbn_saved_objects.extensions.spaces import enable_spaces
from kbn_saved_objects.repository.extensions import Principal
from tests.http.conftest import TYPES, LiveApp

App = Callable[..., LiveApp]
NOT_FOUND = {
    "error": "Not Found",
    "message": "Saved object [visualization/foobar] not found",
    "statusCode": 404,
}


@pytest.fixture
def http(live_app: App) -> httpx.Client:
    return live_app().client()


def create(http: httpx.Client, path: str, attributes: dict[str, Any], **body: Any) -> Any:
    response = http.post(f"/api/saved_objects/{path}", json={"attributes": attributes, **body})
    assert response.status_code == 200, response.text
    return response.json()


# --- get ---------------------------------------------------------------------------


def test_get_of_a_missing_object_is_kibanas_404(http: httpx.Client) -> None:
    response = http.get("/api/saved_objects/visualization/foobar")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_get_returns_the_whole_object(http: httpx.Client) -> None:
    create(http, "visualization/v1", {"title": "Count of requests"})
    body = http.get("/api/saved_objects/visualization/v1").json()
    assert body["namespaces"] == ["default"]
    assert body["coreMigrationVersion"] == "8.8.0"
    assert body["managed"] is False
    assert {"created_at", "updated_at", "version", "references"} <= set(body)
    assert body["attributes"] == {"title": "Count of requests"}


def test_get_of_a_type_hidden_from_http_is_refused(http: httpx.Client) -> None:
    response = http.get("/api/saved_objects/hidden-from-http/x")
    assert response.status_code == 400
    assert response.json() == {
        "statusCode": 400,
        "error": "Bad Request",
        "message": "Unsupported saved object type: 'hidden-from-http': Bad Request",
    }


def test_a_hidden_type_is_left_to_the_client_which_does_not_find_it(http: httpx.Client) -> None:
    response = http.get("/api/saved_objects/hiddentype/x")
    assert response.status_code == 404
    assert response.json()["message"] == "Saved object [hiddentype/x] not found"


def test_allow_http_api_access_serves_types_hidden_from_http(live_app: App) -> None:
    http = live_app(allow_http_api_access=True).client()
    create(http, "hidden-from-http/x", {"title": "served"})
    assert http.get("/api/saved_objects/hidden-from-http/x").status_code == 200


def test_an_unknown_query_parameter_is_refused(http: httpx.Client) -> None:
    response = http.get("/api/saved_objects/visualization/v1", params={"foo": "1"})
    assert response.status_code == 400
    assert response.json()["message"] == "[request query.foo]: definition for this key is missing"


# --- create ------------------------------------------------------------------------


def test_create_without_an_id_generates_a_uuid(http: httpx.Client) -> None:
    body = create(http, "visualization", {"title": "My favorite vis"}, coreMigrationVersion="8.8.0")
    assert re.fullmatch(r"[0-9a-f-]{36}", body["id"])
    assert re.fullmatch(r"[\d-]{10}T[\d:\.]{12}Z", body["updated_at"])
    assert body["references"] == []
    assert body["namespaces"] == ["default"]
    assert body["coreMigrationVersion"] == "8.8.0"


def test_create_of_an_existing_id_is_a_409_unless_overwrite(http: httpx.Client) -> None:
    create(http, "visualization/v1", {"title": "one"})
    response = http.post("/api/saved_objects/visualization/v1", json={"attributes": {"t": 2}})
    assert response.status_code == 409
    assert response.json() == {
        "statusCode": 409,
        "error": "Conflict",
        "message": "Saved object [visualization/v1] conflict",
    }
    response = http.post(
        "/api/saved_objects/visualization/v1",
        params={"overwrite": "true"},
        json={"attributes": {"title": "two"}},
    )
    assert response.status_code == 200
    assert response.json()["attributes"] == {"title": "two"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (None, "[request body]: expected a plain object value, but found [null] instead."),
        ({}, "[request body.attributes]: expected value of type [object] but got [undefined]"),
        (
            {"attributes": []},
            "[request body.attributes]: expected a plain object value, but found [Array] instead.",
        ),
        (
            {"attributes": {}, "managed": True},
            "[request body.managed]: definition for this key is missing",
        ),
        (
            {"attributes": {}, "references": [{"name": "a", "type": "b"}]},
            "[request body.references.0.id]: expected value of type [string] but got [undefined]",
        ),
        (
            {"attributes": {}, "initialNamespaces": []},
            "[request body.initialNamespaces]: array size is [0], but cannot be smaller than [1]",
        ),
    ],
)
def test_create_validation_messages(http: httpx.Client, body: Any, message: str) -> None:
    response = http.post("/api/saved_objects/visualization", json=body)
    assert response.status_code == 400
    assert response.json() == {"statusCode": 400, "error": "Bad Request", "message": message}


def test_create_of_a_hidden_from_http_type_is_refused(http: httpx.Client) -> None:
    response = http.post("/api/saved_objects/hidden-from-http", json={"attributes": {}})
    assert response.status_code == 400
    assert "Unsupported saved object type: 'hidden-from-http'" in response.json()["message"]


def test_an_overlong_id_is_refused(http: httpx.Client) -> None:
    response = http.get(f"/api/saved_objects/visualization/{'x' * 513}")
    assert response.status_code == 400
    assert response.json()["message"] == (
        "[request params.id]: value has length [513] but it must have a maximum length of [512]."
    )


# --- update ------------------------------------------------------------------------


def test_update_answers_the_partial_object(http: httpx.Client) -> None:
    create(
        http,
        "visualization/v1",
        {"title": "one", "version": 1},
        references=[{"name": "r", "type": "index-pattern", "id": "ip"}],
    )
    response = http.put("/api/saved_objects/visualization/v1", json={"attributes": {"title": "2"}})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "type", "updated_at", "version", "attributes", "namespaces"}
    assert body["attributes"] == {"title": "2"}
    stored = http.get("/api/saved_objects/visualization/v1").json()
    assert stored["attributes"] == {"title": "2", "version": 1}
    assert stored["references"] == [{"name": "r", "type": "index-pattern", "id": "ip"}]
    cleared = http.put(
        "/api/saved_objects/visualization/v1", json={"attributes": {}, "references": []}
    ).json()
    assert cleared["references"] == []
    assert http.get("/api/saved_objects/visualization/v1").json()["references"] == []


def test_update_with_upsert_creates_a_missing_object(http: httpx.Client) -> None:
    response = http.put(
        "/api/saved_objects/visualization/up",
        json={"attributes": {"title": "updated"}, "upsert": {"title": "upserted", "version": 9}},
    )
    assert response.status_code == 200
    assert http.get("/api/saved_objects/visualization/up").json()["attributes"] == {
        "title": "upserted",
        "version": 9,
    }
    http.put("/api/saved_objects/visualization/up", json={"attributes": {"title": "later"}})
    assert http.get("/api/saved_objects/visualization/up").json()["attributes"] == {
        "title": "later",
        "version": 9,
    }


def test_update_of_a_missing_object_is_a_404(http: httpx.Client) -> None:
    response = http.put("/api/saved_objects/visualization/not an id", json={"attributes": {}})
    assert response.status_code == 404
    assert response.json()["message"] == "Saved object [visualization/not an id] not found"


def test_update_with_a_stale_version_is_a_409(http: httpx.Client) -> None:
    first = create(http, "visualization/v1", {"title": "one"})
    http.put("/api/saved_objects/visualization/v1", json={"attributes": {"title": "two"}})
    response = http.put(
        "/api/saved_objects/visualization/v1",
        json={"attributes": {"title": "three"}, "version": first["version"]},
    )
    assert response.status_code == 409
    assert response.json()["error"] == "Conflict"


def test_update_refuses_an_unknown_body_key(http: httpx.Client) -> None:
    response = http.put(
        "/api/saved_objects/visualization/v1", json={"attributes": {}, "namespace": "x"}
    )
    assert response.status_code == 400
    assert response.json()["message"] == (
        "[request body.namespace]: definition for this key is missing"
    )


def test_update_of_a_hidden_from_http_type_is_refused(http: httpx.Client) -> None:
    response = http.put("/api/saved_objects/hidden-from-http/x", json={"attributes": {}})
    assert response.status_code == 400
    assert "Unsupported saved object type: 'hidden-from-http'" in response.json()["message"]


# --- delete ------------------------------------------------------------------------


def test_delete_answers_an_empty_object_then_404(http: httpx.Client) -> None:
    create(http, "visualization/v1", {"title": "one"})
    response = http.delete("/api/saved_objects/visualization/v1")
    assert response.status_code == 200
    assert response.json() == {}
    response = http.delete("/api/saved_objects/visualization/v1")
    assert response.status_code == 404
    assert response.json()["message"] == "Saved object [visualization/v1] not found"


def test_delete_of_an_object_in_several_spaces_needs_force(http: httpx.Client) -> None:
    create(http, "index-pattern/ip", {"title": "logs-*"}, initialNamespaces=["default", "s1"])
    response = http.delete("/api/saved_objects/index-pattern/ip")
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Unable to delete saved object that exists in multiple namespaces, use the `force` "
        "option to delete it anyway: Bad Request"
    )
    assert http.delete("/api/saved_objects/index-pattern/ip", params={"force": "true"}).json() == {}


def test_delete_of_a_hidden_from_http_type_is_refused(http: httpx.Client) -> None:
    response = http.delete("/api/saved_objects/hidden-from-http/x")
    assert response.status_code == 400


# --- resolve -----------------------------------------------------------------------


def test_resolve_finds_an_exact_match(http: httpx.Client) -> None:
    create(http, "visualization/v1", {"title": "one"})
    body = http.get("/api/saved_objects/resolve/visualization/v1").json()
    assert body["outcome"] == "exactMatch"
    assert body["saved_object"]["id"] == "v1"
    assert body["saved_object"]["attributes"] == {"title": "one"}


def test_resolve_of_a_missing_object_is_kibanas_404(http: httpx.Client) -> None:
    response = http.get("/api/saved_objects/resolve/visualization/foobar")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_resolve_of_a_hidden_from_http_type_is_refused(http: httpx.Client) -> None:
    response = http.get("/api/saved_objects/resolve/hidden-from-http/x")
    assert response.status_code == 400


# --- headers -----------------------------------------------------------------------


def test_a_write_without_kbn_xsrf_is_refused(live_app: App) -> None:
    app = live_app()
    bare = app.client(xsrf=False)
    for response in (
        bare.post("/api/saved_objects/visualization", json={"attributes": {}}),
        bare.put("/api/saved_objects/visualization/v1", json={"attributes": {}}),
        bare.delete("/api/saved_objects/visualization/v1"),
        bare.post("/api/saved_objects/_bulk_get", json=[]),
    ):
        assert response.status_code == 400
        assert response.json() == {
            "statusCode": 400,
            "error": "Bad Request",
            "message": "Request must contain a kbn-xsrf header.",
        }
    assert bare.get("/api/saved_objects/visualization/v1").status_code == 404
    osd = app.client(xsrf=False, headers={"osd-xsrf": "true"})
    assert osd.post("/api/saved_objects/visualization", json={"attributes": {}}).status_code == 200


def test_xsrf_false_disables_the_check(live_app: App) -> None:
    bare = live_app(xsrf=False).client(xsrf=False)
    assert bare.post("/api/saved_objects/visualization", json={"attributes": {}}).status_code == 200


def test_deprecated_routes_answer_kibanas_warning_header(live_app: App) -> None:
    http = live_app(kibana_version="9.1.0").client()
    for response in (
        http.get("/api/saved_objects/visualization/nope"),
        http.get("/api/saved_objects/_find"),
    ):
        assert response.headers["warning"] == '299 Kibana-9.1.0 "This%20endpoint%20is%20deprecated"'


# --- spaces ------------------------------------------------------------------------


def test_the_space_prefix_scopes_every_call(http: httpx.Client) -> None:
    response = http.post("/s/s1/api/saved_objects/note/n1", json={"attributes": {"title": "n"}})
    assert response.status_code == 200
    assert response.json()["namespaces"] == ["s1"]
    assert http.get("/s/s1/api/saved_objects/note/n1").status_code == 200
    assert http.get("/api/saved_objects/note/n1").status_code == 404
    assert http.get("/s/s2/api/saved_objects/note/n1").status_code == 404
    assert http.get("/s/default/api/saved_objects/note/n1").status_code == 404
    assert http.put("/s/s1/api/saved_objects/note/n1", json={"attributes": {}}).status_code == 200
    assert http.delete("/s/s1/api/saved_objects/note/n1").json() == {}


def test_a_space_id_kibana_does_not_recognise_matches_no_route(http: httpx.Client) -> None:
    response = http.get("/s/Marketing/api/saved_objects/note/n1")
    assert response.status_code == 404
    assert response.json() == {"statusCode": 404, "error": "Not Found", "message": "Not Found"}


# --- security ----------------------------------------------------------------------

PRIVILEGES = RolePrivileges(
    {
        "admin": {"*": ["all"]},
        "vis_editor": {"default": ["all:visualization"], "s1": ["read:visualization"]},
    }
)


def secured(service: Any) -> None:
    setup = service.setup()
    for definition in TYPES:
        setup.register_type(definition)
    enable_spaces(service, searchable_spaces=searchable_spaces_filter(PRIVILEGES))
    enable_security(service, PRIVILEGES)


def user_header(request: Request) -> Principal | None:
    """The test's authentication: ``x-user: <name>:<role>``."""
    value = request.headers.get("x-user")
    if value is None:
        return None
    name, role = value.split(":")
    return Principal(name, roles=(role,), profile_uid=f"u_{name}_0")


def test_the_security_extension_answers_403_through_http(live_app: App) -> None:
    app = live_app(secured, authenticate=user_header)
    editor = app.client(headers={"x-user": "eve:vis_editor"})
    assert (
        editor.post("/api/saved_objects/visualization/v1", json={"attributes": {}}).status_code
        == 200
    )
    response = editor.post("/api/saved_objects/dashboard/d1", json={"attributes": {}})
    assert response.status_code == 403
    assert response.json() == {
        "statusCode": 403,
        "error": "Forbidden",
        "message": "Unable to create dashboard",
    }
    response = editor.put("/s/s1/api/saved_objects/visualization/v1", json={"attributes": {}})
    assert response.status_code == 403
    assert response.json()["message"] == "Unable to update visualization"
    anonymous = app.client()
    assert anonymous.get("/api/saved_objects/visualization/v1").status_code == 403


async def refuse_everyone(request: Request) -> Principal | None:
    from kbn_saved_objects.errors import NotAuthorizedError

    raise NotAuthorizedError(reason="no credentials")


def test_an_authentication_hook_may_refuse_with_401(live_app: App) -> None:
    http = live_app(secured, authenticate=refuse_everyone).client()
    response = http.get("/api/saved_objects/visualization/v1")
    assert response.status_code == 401
    assert response.json()["error"] == "Unauthorized"
