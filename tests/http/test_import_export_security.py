"""Authorization of export and import through HTTP: the routes work through the request's
scoped client, so the security extension decides, as for a Python call.

Follows the export/import cases of Kibana's security suites
``x-pack/test/saved_object_api_integration/common/suites/{export,import}.ts`` (Kibana
``main``, late 2025, spec 09 §4.6): a user without the privilege is refused with 403
``Unable to <action> <types>``, and an export holds only what the user may read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.service import SavedObjectsServiceStart
from tests.http._live import serve_service, start_sync_service

NDJSON = "application/ndjson"
ADMIN = {"x-test-user": "root:admin"}
READER = {"x-test-user": "rita:reader"}
DASHBOARD_READER = {"x-test-user": "dora:dashboard_reader"}


@pytest.fixture
def so(kbn_engine: Engine, kbn_index_prefix: str) -> SavedObjectsServiceStart:
    start = start_sync_service(kbn_engine, kbn_index_prefix, security=True)
    repo = start.create_internal_repository()
    repo.create("index-pattern", {"title": "logs-*"}, id="ip-1")
    repo.create(
        "visualization",
        {"title": "Count"},
        id="vis-1",
        references=[{"type": "index-pattern", "id": "ip-1", "name": "ip"}],
    )
    repo.create("dashboard", {"title": "Requests"}, id="dash-1")
    return start


@pytest.fixture
def http(
    so: SavedObjectsServiceStart, kbn_engine_url: str, kbn_index_prefix: str
) -> Iterator[httpx.Client]:
    with serve_service(kbn_engine_url, kbn_index_prefix, security=True) as client:
        yield client


def export_lines(response: httpx.Response) -> list[dict[str, object]]:
    assert response.status_code == 200, response.text
    return [json.loads(line) for line in response.text.split("\n")]


def test_export_holds_only_what_the_user_may_read(http: httpx.Client) -> None:
    body = {"type": ["dashboard", "visualization", "index-pattern"]}
    everything = export_lines(http.post("/api/saved_objects/_export", json=body, headers=ADMIN))
    assert {o["id"] for o in everything[:-1]} == {"dash-1", "vis-1", "ip-1"}
    partial = export_lines(
        http.post("/api/saved_objects/_export", json=body, headers=DASHBOARD_READER)
    )
    assert [o["id"] for o in partial[:-1]] == ["dash-1"]


def test_export_of_objects_the_user_may_not_read_is_403(http: httpx.Client) -> None:
    response = http.post(
        "/api/saved_objects/_export",
        json={"objects": [{"type": "visualization", "id": "vis-1"}]},
        headers=DASHBOARD_READER,
    )
    assert response.status_code == 403
    assert response.json() == {
        "statusCode": 403,
        "error": "Forbidden",
        "message": "Unable to bulk_get visualization",
    }


def test_a_reader_cannot_import(http: httpx.Client, so: SavedObjectsServiceStart) -> None:
    line = {"type": "dashboard", "id": "new-1", "attributes": {"title": "New"}, "references": []}
    response = http.post(
        "/api/saved_objects/_import",
        files={"file": ("export.ndjson", json.dumps(line), NDJSON)},
        headers=READER,
    )
    assert response.status_code == 403
    assert response.json()["error"] == "Forbidden"
    assert response.json()["message"].startswith("Unable to ")
    assert "dashboard" in response.json()["message"]
    admin = http.post(
        "/api/saved_objects/_import",
        files={"file": ("export.ndjson", json.dumps(line), NDJSON)},
        headers=ADMIN,
    )
    assert admin.json()["success"] is True
    assert so.create_internal_repository().get("dashboard", "new-1").attributes == {"title": "New"}


def test_an_anonymous_request_is_refused(http: httpx.Client) -> None:
    response = http.post("/api/saved_objects/_export", json={"type": "dashboard"})
    assert response.status_code == 403


def test_resolve_import_errors_is_authorized_too(http: httpx.Client) -> None:
    line = {"type": "dashboard", "id": "dash-1", "attributes": {"title": "X"}, "references": []}
    response = http.post(
        "/api/saved_objects/_resolve_import_errors",
        files={"file": ("export.ndjson", json.dumps(line), NDJSON)},
        data={"retries": json.dumps([{"type": "dashboard", "id": "dash-1", "overwrite": True}])},
        headers=READER,
    )
    assert response.status_code == 403
    assert response.json()["message"].startswith("Unable to ")


def test_authentication_runs_before_the_upload_is_read(
    so: SavedObjectsServiceStart, kbn_engine_url: str, kbn_index_prefix: str
) -> None:
    """A refused caller is answered without the server reading (or spooling) the
    file: the hook's 401 comes first, even for an upload over the payload limit."""
    from kbn_saved_objects.errors import NotAuthorizedError

    def refuse(request: object) -> None:
        raise NotAuthorizedError("Unauthorized")

    with serve_service(
        kbn_engine_url,
        kbn_index_prefix,
        security=True,
        max_import_payload_bytes=10,
        app_options=lambda start: {"authenticate": refuse},
    ) as http:
        response = http.post(
            "/api/saved_objects/_import",
            files={"file": ("export.ndjson", b"x" * 100, NDJSON)},
        )
    assert response.status_code == 401
    assert response.json()["statusCode"] == 401
