"""The spaces plugin's routes over real HTTP, against the real engine: copy to spaces and
its conflict resolution, ``_update_objects_spaces`` and ``_get_shareable_references``.

Follows Kibana's spaces API integration suites ``x-pack/test/spaces_api_integration/
common/suites/{copy_to_space,resolve_copy_to_space_conflicts,update_objects_spaces,
get_shareable_references}.ts`` and the route schemas of ``x-pack/platform/plugins/shared/
spaces/server/routes/api/external/{copy_to_space,update_objects_spaces,
get_shareable_references}.ts`` (Kibana ``main``, late 2025; spec 09 §3.11-3.12, §4.6).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.service import SavedObjectsServiceStart
from tests.http._live import serve_service, start_sync_service

COPY = "/api/spaces/_copy_saved_objects"
RESOLVE_COPY = "/api/spaces/_resolve_copy_saved_objects_errors"
SHARE = "/api/spaces/_update_objects_spaces"
REFERENCES = "/api/spaces/_get_shareable_references"
DASHBOARD = [{"type": "dashboard", "id": "dash-1"}]


def seed(start: SavedObjectsServiceStart) -> None:
    repo = start.create_internal_repository()
    repo.create("index-pattern", {"title": "logs-*"}, id="ip-1")
    repo.create(
        "visualization",
        {"title": "Count"},
        id="vis-1",
        references=[{"type": "index-pattern", "id": "ip-1", "name": "ip"}],
    )
    repo.create(
        "dashboard",
        {"title": "Requests"},
        id="dash-1",
        references=[{"type": "visualization", "id": "vis-1", "name": "panel_0"}],
    )
    repo.create("dashboard", {"title": "In space 1"}, id="dash-s1", namespace="space_1")
    repo.create("sharedtype", {"title": "Shared"}, id="shared-1")
    repo.create(
        "sharedtype",
        {"title": "Uses shared-1"},
        id="shared-2",
        references=[{"type": "sharedtype", "id": "shared-1", "name": "uses"}],
    )
    repo.create("config", {"title": "Settings"}, id="cfg-1")


@pytest.fixture
def so(kbn_engine: Engine, kbn_index_prefix: str) -> SavedObjectsServiceStart:
    start = start_sync_service(kbn_engine, kbn_index_prefix)
    seed(start)
    return start


@pytest.fixture
def http(
    so: SavedObjectsServiceStart, kbn_engine_url: str, kbn_index_prefix: str
) -> Iterator[httpx.Client]:
    with serve_service(kbn_engine_url, kbn_index_prefix) as client:
        yield client


def ids_in(so: SavedObjectsServiceStart, space: str, type: str) -> set[str]:
    repo = so.create_internal_repository()
    found = repo.find(type=type, namespaces=[space], per_page=100)
    return {o.id for o in found.saved_objects}


# --- copy --------------------------------------------------------------------------------


def test_copy_with_references_makes_new_copies_by_default(
    http: httpx.Client, so: SavedObjectsServiceStart
) -> None:
    response = http.post(
        COPY, json={"spaces": ["space_1"], "objects": DASHBOARD, "includeReferences": True}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert list(body) == ["space_1"]
    assert body["space_1"]["success"] is True
    assert body["space_1"]["successCount"] == 3
    results = body["space_1"]["successResults"]
    assert {r["id"] for r in results} == {"dash-1", "vis-1", "ip-1"}
    new_dashboard = next(r["destinationId"] for r in results if r["type"] == "dashboard")
    assert new_dashboard != "dash-1"
    assert new_dashboard in ids_in(so, "space_1", "dashboard")


def test_copy_to_several_spaces_answers_each_even_a_missing_one(http: httpx.Client) -> None:
    body = http.post(
        COPY, json={"spaces": ["space_1", "space_2", "nowhere"], "objects": DASHBOARD}
    ).json()
    assert list(body) == ["space_1", "space_2", "nowhere"]
    assert all(body[space] == {**body[space], "success": True, "successCount": 1} for space in body)


def test_copy_from_the_space_of_the_url(http: httpx.Client, so: SavedObjectsServiceStart) -> None:
    body = http.post(
        "/s/space_1" + COPY,
        json={
            "spaces": ["default"],
            "objects": [{"type": "dashboard", "id": "dash-s1"}],
            "createNewCopies": False,
        },
    ).json()
    assert body["default"]["success"] is True, body
    assert body["default"]["successCount"] == 1


def test_copy_conflicts_then_resolve_with_overwrite(
    http: httpx.Client, so: SavedObjectsServiceStart
) -> None:
    request = {"spaces": ["space_2"], "objects": DASHBOARD, "createNewCopies": False}
    first = http.post(COPY, json=request).json()["space_2"]
    assert first["success"] is True
    copied = first["successResults"][0]["destinationId"]

    second = http.post(COPY, json=request).json()["space_2"]
    assert second["success"] is False
    assert second["successCount"] == 0
    [conflict] = second["errors"]
    assert conflict["error"] == {"type": "conflict", "destinationId": copied}
    assert conflict["meta"] == {"title": "Requests", "icon": "dashboardApp"}

    retry = {"type": "dashboard", "id": "dash-1", "overwrite": True, "destinationId": copied}
    resolved = http.post(
        RESOLVE_COPY,
        json={"objects": DASHBOARD, "retries": {"space_2": [retry]}, "createNewCopies": False},
    )
    assert resolved.status_code == 200, resolved.text
    answer = resolved.json()["space_2"]
    assert answer["success"] is True
    assert answer["successCount"] == 1
    assert answer["successResults"][0]["overwrite"] is True
    assert ids_in(so, "space_2", "dashboard") == {copied}


def test_copy_with_overwrite_into_a_space_that_has_the_object(http: httpx.Client) -> None:
    request = {"spaces": ["space_2"], "objects": DASHBOARD, "createNewCopies": False}
    http.post(COPY, json=request)
    body = http.post(COPY, json={**request, "overwrite": True}).json()["space_2"]
    assert body["success"] is True
    assert body["successResults"][0]["overwrite"] is True


def test_copy_of_an_importable_hidden_type(
    http: httpx.Client, so: SavedObjectsServiceStart
) -> None:
    so.create_internal_repository(["hidden-importable"]).create(
        "hidden-importable", {"title": "H"}, id="h-1"
    )
    body = http.post(
        COPY,
        json={"spaces": ["space_1"], "objects": [{"type": "hidden-importable", "id": "h-1"}]},
    ).json()
    assert body["space_1"]["success"] is True, body
    assert body["space_1"]["successCount"] == 1


def test_copy_of_a_missing_object_is_404(http: httpx.Client) -> None:
    response = http.post(
        COPY, json={"spaces": ["space_1"], "objects": [{"type": "dashboard", "id": "nope"}]}
    )
    assert response.status_code == 404
    assert response.json() == {
        "statusCode": 404,
        "error": "Not Found",
        "message": "Saved objects not found",
        "attributes": {"objects": [{"id": "nope", "type": "dashboard"}]},
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"spaces": ["Space 1"], "objects": DASHBOARD},
            '[request body.spaces.0]: lower case, a-z, 0-9, "_", and "-" are allowed',
        ),
        (
            {"spaces": ["space_1", "space_1"], "objects": DASHBOARD},
            "[request body.spaces]: duplicate space ids are not allowed",
        ),
        (
            {"spaces": ["space_1"], "objects": DASHBOARD + DASHBOARD},
            "[request body.objects]: duplicate objects are not allowed",
        ),
        (
            {"spaces": ["space_1"], "objects": DASHBOARD, "overwrite": True},
            "[request body]: cannot use [overwrite] with [createNewCopies]",
        ),
        (
            {"spaces": ["space_1"], "objects": DASHBOARD, "compatibilityMode": True},
            "[request body]: cannot use [compatibilityMode] with [createNewCopies]",
        ),
    ],
)
def test_copy_refusals(http: httpx.Client, body: dict[str, Any], message: str) -> None:
    response = http.post(COPY, json=body)
    assert response.status_code == 400
    assert response.json() == {"statusCode": 400, "error": "Bad Request", "message": message}


def test_copy_without_a_body(http: httpx.Client) -> None:
    response = http.post(COPY)
    assert response.status_code == 400
    assert response.json()["message"] == (
        "[request body]: expected a plain object value, but found [null] instead."
    )


def test_resolve_copy_refuses_a_bad_space_id(http: httpx.Client) -> None:
    response = http.post(
        RESOLVE_COPY,
        json={"objects": DASHBOARD, "retries": {"Bad Space": []}},
    )
    assert response.status_code == 400
    assert response.json()["message"] == (
        "[request body.retries.Bad Space]: Invalid space id: Bad Space"
    )


def test_copy_routes_need_kbn_xsrf(http: httpx.Client) -> None:
    bare = httpx.post(http.base_url.join(COPY), json={"spaces": ["space_1"], "objects": DASHBOARD})
    assert bare.status_code == 400
    assert bare.json()["message"] == "Request must contain a kbn-xsrf header."


# --- sharing -----------------------------------------------------------------------------


def test_update_objects_spaces_adds_and_removes(
    http: httpx.Client, so: SavedObjectsServiceStart
) -> None:
    response = http.post(
        SHARE,
        json={
            "objects": [
                {"type": "sharedtype", "id": "shared-1"},
                {"type": "sharedtype", "id": "missing"},
            ],
            "spacesToAdd": ["space_1", "space_2"],
            "spacesToRemove": [],
        },
    )
    assert response.status_code == 200, response.text
    first, missing = response.json()["objects"]
    assert first == {
        "type": "sharedtype",
        "id": "shared-1",
        "spaces": ["default", "space_1", "space_2"],
    }
    assert missing == {
        "type": "sharedtype",
        "id": "missing",
        "spaces": [],
        "error": {
            "statusCode": 404,
            "error": "Not Found",
            "message": "Saved object [sharedtype/missing] not found",
        },
    }
    removed = http.post(
        SHARE,
        json={
            "objects": [{"type": "sharedtype", "id": "shared-1"}],
            "spacesToAdd": [],
            "spacesToRemove": ["space_2"],
        },
    ).json()
    assert removed["objects"][0]["spaces"] == ["default", "space_1"]
    assert so.create_internal_repository().get("sharedtype", "shared-1").namespaces == [
        "default",
        "space_1",
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"objects": [], "spacesToAdd": ["Nope"], "spacesToRemove": []},
            '[request body.spacesToAdd.0]: lower case, a-z, 0-9, "_", and "-" are allowed, OR "*"',
        ),
        (
            {"objects": [], "spacesToAdd": [], "spacesToRemove": ["a", "a"]},
            "[request body.spacesToRemove]: duplicate space ids are not allowed",
        ),
    ],
)
def test_update_objects_spaces_refusals(
    http: httpx.Client, body: dict[str, Any], message: str
) -> None:
    response = http.post(SHARE, json=body)
    assert response.status_code == 400
    assert response.json()["message"] == message


def test_update_objects_spaces_to_every_space(http: httpx.Client) -> None:
    body = http.post(
        SHARE,
        json={
            "objects": [{"type": "sharedtype", "id": "shared-1"}],
            "spacesToAdd": ["*"],
            "spacesToRemove": [],
        },
    ).json()
    assert body["objects"][0]["spaces"] == ["default", "*"]


def test_get_shareable_references(http: httpx.Client) -> None:
    response = http.post(REFERENCES, json={"objects": [{"type": "sharedtype", "id": "shared-2"}]})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "objects": [
            {
                "type": "sharedtype",
                "id": "shared-2",
                "spaces": ["default"],
                "inboundReferences": [],
            },
            {
                "type": "sharedtype",
                "id": "shared-1",
                "spaces": ["default"],
                "inboundReferences": [{"type": "sharedtype", "id": "shared-2", "name": "uses"}],
            },
        ]
    }


def test_get_shareable_references_leaves_unshareable_types_unfetched(http: httpx.Client) -> None:
    """``purpose: updateObjectsSpaces``: a dashboard (multiple-isolated) cannot be shared,
    so it is listed without spaces and its references are not followed."""
    body = http.post(REFERENCES, json={"objects": DASHBOARD}).json()
    assert body == {
        "objects": [{"type": "dashboard", "id": "dash-1", "spaces": [], "inboundReferences": []}]
    }


def test_get_shareable_references_of_a_missing_object(http: httpx.Client) -> None:
    body = http.post(REFERENCES, json={"objects": [{"type": "sharedtype", "id": "nope"}]}).json()
    assert body["objects"] == [
        {
            "type": "sharedtype",
            "id": "nope",
            "spaces": [],
            "inboundReferences": [],
            "isMissing": True,
        }
    ]


# --- without the spaces extension -------------------------------------------------------


def test_without_spaces_the_routes_do_not_exist(
    kbn_engine: Engine, kbn_engine_url: str, kbn_index_prefix: str
) -> None:
    start_sync_service(kbn_engine, kbn_index_prefix, spaces=False)
    with serve_service(kbn_engine_url, kbn_index_prefix, spaces=False) as http:
        for path, body in [
            (COPY, {"spaces": ["space_1"], "objects": DASHBOARD}),
            (RESOLVE_COPY, {"objects": DASHBOARD, "retries": {}}),
            (SHARE, {"objects": [], "spacesToAdd": [], "spacesToRemove": []}),
            (REFERENCES, {"objects": []}),
        ]:
            response = http.post(path, json=body)
            assert response.status_code == 404, path
            assert response.json() == {
                "statusCode": 404,
                "error": "Not Found",
                "message": "Not Found",
            }
