"""The spaces routes under the security extension, through HTTP: a copy is authorized
per destination space (a refused space is that space's error, the others go on), and
sharing needs the privilege in every space it touches.

Follows Kibana's ``x-pack/test/spaces_api_integration/common/suites/copy_to_space.ts``
("unauthorized destination" cases) and ``update_objects_spaces.ts`` (Kibana ``main``,
late 2025; spec 09 §4.6).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.service import SavedObjectsServiceStart
from tests.http._live import serve_service, start_sync_service

COPY = "/api/spaces/_copy_saved_objects"
SHARE = "/api/spaces/_update_objects_spaces"
WRITER = {"x-test-user": "wendy:space_1_writer"}
READER = {"x-test-user": "rita:reader"}
DASHBOARD = [{"type": "dashboard", "id": "dash-1"}]


@pytest.fixture
def so(kbn_engine: Engine, kbn_index_prefix: str) -> SavedObjectsServiceStart:
    start = start_sync_service(kbn_engine, kbn_index_prefix, security=True)
    repo = start.create_internal_repository()
    repo.create("dashboard", {"title": "Requests"}, id="dash-1")
    repo.create("sharedtype", {"title": "Shared"}, id="shared-1")
    return start


@pytest.fixture
def http(
    so: SavedObjectsServiceStart, kbn_engine_url: str, kbn_index_prefix: str
) -> Iterator[httpx.Client]:
    with serve_service(kbn_engine_url, kbn_index_prefix, security=True) as client:
        yield client


def test_copy_into_an_unauthorized_space_fails_only_there(
    http: httpx.Client, so: SavedObjectsServiceStart
) -> None:
    response = http.post(
        COPY, json={"spaces": ["space_1", "space_2"], "objects": DASHBOARD}, headers=WRITER
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["space_1"]["success"] is True
    assert body["space_1"]["successCount"] == 1
    assert body["space_2"] == {
        "success": False,
        "successCount": 0,
        "errors": [
            {"statusCode": 403, "error": "Forbidden", "message": "Unable to bulk_create dashboard"}
        ],
    }
    found = so.create_internal_repository().find(type="dashboard", namespaces=["space_2"])
    assert found.total == 0


def test_copy_of_what_the_user_cannot_read_is_refused(http: httpx.Client) -> None:
    response = http.post(
        "/s/space_2" + COPY,
        json={"spaces": ["space_1"], "objects": DASHBOARD},
        headers=WRITER,
    )
    assert response.status_code == 403
    assert response.json()["message"] == "Unable to bulk_get dashboard"


def test_a_reader_cannot_share(http: httpx.Client) -> None:
    response = http.post(
        SHARE,
        json={
            "objects": [{"type": "sharedtype", "id": "shared-1"}],
            "spacesToAdd": ["space_1"],
            "spacesToRemove": [],
        },
        headers=READER,
    )
    assert response.status_code == 403
    assert response.json()["error"] == "Forbidden"
    assert response.json()["message"].startswith("Unable to share_to_space sharedtype")
