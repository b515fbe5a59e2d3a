"""Export, import and resolve-import-errors over real HTTP, against the real engine.

Follows Kibana's API integration tests ``src/platform/test/api_integration/apis/
saved_objects/{export,import,resolve_import_errors}.ts`` and the route tests
``src/core/server/integration_tests/saved_objects/routes/import.test.ts`` (Kibana
``main``, late 2025, as summarised in spec 09 §4.5), on a small fixture of our own in
the shape of Kibana's ``basic`` archive: an index pattern, a visualization using it and
a dashboard using the visualization.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.service import SavedObjectsServiceStart
from tests.http._live import serve_service, start_sync_service

NDJSON = "application/ndjson"


@pytest.fixture
def so(kbn_engine: Engine, kbn_index_prefix: str) -> SavedObjectsServiceStart:
    start = start_sync_service(kbn_engine, kbn_index_prefix)
    repo = start.create_internal_repository()
    repo.create("index-pattern", {"title": "logs-*"}, id="ip-1")
    repo.create(
        "visualization",
        {"title": "Count of requests"},
        id="vis-1",
        references=[{"type": "index-pattern", "id": "ip-1", "name": "ip"}],
    )
    repo.create(
        "dashboard",
        {"title": "Requests"},
        id="dash-1",
        references=[{"type": "visualization", "id": "vis-1", "name": "panel_0"}],
    )
    repo.create("dashboard", {"title": "Elsewhere"}, id="dash-s1", namespace="space_1")
    return start


@pytest.fixture
def http(
    so: SavedObjectsServiceStart, kbn_engine_url: str, kbn_index_prefix: str
) -> Iterator[httpx.Client]:
    with serve_service(kbn_engine_url, kbn_index_prefix) as client:
        yield client


@pytest.fixture
def limited(
    so: SavedObjectsServiceStart, kbn_engine_url: str, kbn_index_prefix: str
) -> Iterator[httpx.Client]:
    """The same service with ``maxImportExportSize: 3`` and ``maxImportPayloadBytes:
    2000``."""
    with serve_service(
        kbn_engine_url,
        kbn_index_prefix,
        max_import_export_size=3,
        max_import_payload_bytes=2000,
    ) as client:
        yield client


def lines_of(response: httpx.Response) -> list[dict[str, Any]]:
    return [json.loads(line) for line in response.text.split("\n")]


def export_file(http: httpx.Client, **body: Any) -> str:
    response = http.post("/api/saved_objects/_export", json=body)
    assert response.status_code == 200, response.text
    return response.text


def upload(
    http: httpx.Client,
    path: str,
    content: str | bytes,
    *,
    filename: str = "export.ndjson",
    params: dict[str, Any] | None = None,
    data: dict[str, str] | None = None,
) -> httpx.Response:
    return http.post(
        path, files={"file": (filename, content, NDJSON)}, params=params or {}, data=data
    )


# --- export ------------------------------------------------------------------------------


def test_export_by_types_streams_ndjson_with_the_details_line(http: httpx.Client) -> None:
    response = http.post(
        "/api/saved_objects/_export", json={"type": ["index-pattern", "visualization", "dashboard"]}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == NDJSON
    assert response.headers["content-disposition"] == 'attachment; filename="export.ndjson"'
    assert not response.text.endswith("\n")
    objects = lines_of(response)
    assert [(o["type"], o["id"]) for o in objects[:-1]] == [
        ("index-pattern", "ip-1"),
        ("visualization", "vis-1"),
        ("dashboard", "dash-1"),
    ]
    assert objects[-1] == {
        "excludedObjects": [],
        "excludedObjectsCount": 0,
        "exportedCount": 3,
        "missingRefCount": 0,
        "missingReferences": [],
    }
    # each line is key-sorted JSON without spaces, as Kibana writes it
    first = response.text.split("\n")[0]
    assert first == json.dumps(objects[0], sort_keys=True, separators=(",", ":"))


def test_export_type_as_a_string_with_references_deep(http: httpx.Client) -> None:
    objects = lines_of(
        http.post(
            "/api/saved_objects/_export",
            json={"type": "dashboard", "includeReferencesDeep": True},
        )
    )
    assert [o["id"] for o in objects[:-1]] == ["ip-1", "vis-1", "dash-1"]
    assert objects[-1]["exportedCount"] == 3


def test_export_by_objects_deep_and_without_details(http: httpx.Client) -> None:
    body = {
        "objects": [{"type": "dashboard", "id": "dash-1"}],
        "includeReferencesDeep": True,
        "excludeExportDetails": True,
    }
    objects = lines_of(http.post("/api/saved_objects/_export", json=body))
    assert sorted(o["id"] for o in objects) == ["dash-1", "ip-1", "vis-1"]
    assert all("exportedCount" not in o for o in objects)


def test_export_all_types_with_a_star(http: httpx.Client) -> None:
    objects = lines_of(http.post("/api/saved_objects/_export", json={"type": ["*"]}))
    assert {o["id"] for o in objects[:-1]} == {"dash-1", "ip-1", "vis-1"}


def test_export_by_reference_and_by_search(http: httpx.Client) -> None:
    by_reference = lines_of(
        http.post(
            "/api/saved_objects/_export",
            json={
                "type": ["visualization", "dashboard"],
                "hasReference": {"type": "index-pattern", "id": "ip-1"},
            },
        )
    )
    assert [o["id"] for o in by_reference[:-1]] == ["vis-1"]
    as_list = lines_of(
        http.post(
            "/api/saved_objects/_export",
            json={
                "type": ["visualization", "dashboard"],
                "hasReference": [
                    {"type": "index-pattern", "id": "ip-1"},
                    {"type": "visualization", "id": "vis-1"},
                ],
            },
        )
    )
    assert sorted(o["id"] for o in as_list[:-1]) == ["dash-1", "vis-1"]
    searched = lines_of(
        http.post(
            "/api/saved_objects/_export",
            json={"type": "visualization", "search": "Count*", "includeReferencesDeep": True},
        )
    )
    assert [o["id"] for o in searched[:-1]] == ["ip-1", "vis-1"]


def test_export_reads_the_space_of_the_url(http: httpx.Client) -> None:
    objects = lines_of(
        http.post("/s/space_1/api/saved_objects/_export", json={"type": "dashboard"})
    )
    assert [o["id"] for o in objects[:-1]] == ["dash-s1"]


def test_export_of_a_missing_object_is_kibanas_400_with_attributes(http: httpx.Client) -> None:
    response = http.post(
        "/api/saved_objects/_export", json={"objects": [{"type": "dashboard", "id": "1"}]}
    )
    assert response.status_code == 400
    assert response.json() == {
        "statusCode": 400,
        "error": "Bad Request",
        "message": "Error fetching objects to export",
        "attributes": {
            "objects": [
                {
                    "id": "1",
                    "type": "dashboard",
                    "error": {
                        "error": "Not Found",
                        "message": "Saved object [dashboard/1] not found",
                        "statusCode": 404,
                    },
                }
            ]
        },
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"type": ["wigwags"]}, "Trying to export non-exportable type(s): wigwags"),
        (
            {"objects": [{"type": "wigwags", "id": "1"}]},
            "Trying to export object(s) with non-exportable types: wigwags:1",
        ),
        (
            {"type": "dashboard", "objects": [{"type": "dashboard", "id": "dash-1"}]},
            'Can\'t specify both "types" and "objects" properties when exporting',
        ),
        (
            {"search": "x", "objects": [{"type": "dashboard", "id": "dash-1"}]},
            'Can\'t specify both "search" and "objects" properties when exporting',
        ),
        ({}, "Either `type` or `objects` are required."),
        ({"type": "not-exportable"}, "Trying to export non-exportable type(s): not-exportable"),
    ],
)
def test_export_refusals(http: httpx.Client, body: dict[str, Any], message: str) -> None:
    response = http.post("/api/saved_objects/_export", json=body)
    assert response.status_code == 400
    assert response.json() == {"statusCode": 400, "error": "Bad Request", "message": message}


def test_export_without_a_body(http: httpx.Client) -> None:
    response = http.post("/api/saved_objects/_export")
    assert response.status_code == 400
    assert response.json()["message"] == (
        "[request body]: expected a plain object value, but found [null] instead."
    )


def test_export_over_the_size_limit(limited: httpx.Client, so: SavedObjectsServiceStart) -> None:
    so.create_internal_repository().create("dashboard", {"title": "Fourth"}, id="dash-2")
    response = limited.post("/api/saved_objects/_export", json={"type": ["*"]})
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Can't export more than 3 objects. If your server has enough memory, this limit can "
        'be increased by adjusting the "savedObjects.maxImportExportSize" setting.'
    )
    too_many = [{"type": "dashboard", "id": f"d{n}"} for n in range(4)]
    response = limited.post("/api/saved_objects/_export", json={"objects": too_many})
    assert response.status_code == 400
    assert response.json()["message"] == (
        "[request body.objects]: array size is [4], but cannot be greater than [3]"
    )


def test_export_needs_kbn_xsrf(http: httpx.Client) -> None:
    response = http.post(
        "/api/saved_objects/_export", json={"type": "dashboard"}, headers={"kbn-xsrf": ""}
    )
    assert response.status_code == 200  # any value, even empty
    bare = httpx.post(http.base_url.join("/api/saved_objects/_export"), json={"type": "dashboard"})
    assert bare.status_code == 400
    assert bare.json()["message"] == "Request must contain a kbn-xsrf header."


# --- import ------------------------------------------------------------------------------


def test_import_into_a_space_then_conflicts_then_overwrite(http: httpx.Client) -> None:
    exported = export_file(http, type="dashboard", includeReferencesDeep=True)
    response = upload(http, "/s/space_2/api/saved_objects/_import", exported)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True
    assert body["successCount"] == 3
    assert body["warnings"] == []
    assert {(r["type"], r["id"]) for r in body["successResults"]} == {
        ("index-pattern", "ip-1"),
        ("visualization", "vis-1"),
        ("dashboard", "dash-1"),
    }
    assert "errors" not in body
    found = lines_of(http.post("/s/space_2/api/saved_objects/_export", json={"type": ["*"]}))
    assert len(found) == 4

    # the ids exist in the default space: the copies in space_2 got new ids, and keep
    # the originals as their origin
    destinations = {r["id"]: r["destinationId"] for r in body["successResults"]}
    assert set(destinations) == {"ip-1", "vis-1", "dash-1"}

    again = upload(http, "/s/space_2/api/saved_objects/_import", exported).json()
    assert again["success"] is False
    assert again["successCount"] == 0
    dashboard_error = next(e for e in again["errors"] if e["type"] == "dashboard")
    assert dashboard_error == {
        "id": "dash-1",
        "type": "dashboard",
        "meta": {"title": "Requests", "icon": "dashboardApp"},
        "error": {"type": "conflict", "destinationId": destinations["dash-1"]},
        "managed": False,
    }

    overwritten = upload(
        http, "/s/space_2/api/saved_objects/_import", exported, params={"overwrite": "true"}
    ).json()
    assert overwritten["success"] is True
    assert overwritten["successCount"] == 3
    assert all(r["overwrite"] is True for r in overwritten["successResults"])


def test_import_over_existing_ids_in_the_same_space_conflicts(http: httpx.Client) -> None:
    exported = export_file(http, type="dashboard", includeReferencesDeep=True)
    body = upload(http, "/api/saved_objects/_import", exported).json()
    assert body["success"] is False
    assert body["successCount"] == 0
    assert body["warnings"] == []
    assert sorted((e["id"], e["error"]["type"]) for e in body["errors"]) == [
        ("dash-1", "conflict"),
        ("ip-1", "conflict"),
        ("vis-1", "conflict"),
    ]
    assert all("destinationId" not in e["error"] for e in body["errors"])


def test_import_create_new_copies_gives_new_ids(http: httpx.Client) -> None:
    exported = export_file(http, type="dashboard", includeReferencesDeep=True)
    body = upload(
        http, "/api/saved_objects/_import", exported, params={"createNewCopies": "true"}
    ).json()
    assert body["success"] is True
    assert body["successCount"] == 3
    assert all(r["destinationId"] != r["id"] for r in body["successResults"])


def test_import_keeps_managed_and_overwrite_keeps_it_too(
    http: httpx.Client, so: SavedObjectsServiceStart
) -> None:
    line = json.dumps(
        {
            "type": "config",
            "id": "managed-1",
            "attributes": {"title": "Managed"},
            "references": [],
            "managed": True,
        }
    )
    body = upload(http, "/api/saved_objects/_import", line).json()
    assert body["successResults"] == [
        {
            "type": "config",
            "id": "managed-1",
            "meta": {"title": "Managed", "icon": "settingsApp"},
            "managed": True,
        }
    ]
    again = upload(http, "/api/saved_objects/_import", line, params={"overwrite": "true"}).json()
    assert again["successResults"][0]["overwrite"] is True
    assert again["successResults"][0]["managed"] is True
    assert so.create_internal_repository().get("config", "managed-1").managed is True


def test_import_in_compatibility_mode_keeps_the_old_id_reachable(http: httpx.Client) -> None:
    exported = export_file(http, objects=[{"type": "index-pattern", "id": "ip-1"}])
    body = upload(
        http,
        "/s/space_1/api/saved_objects/_import",
        exported,
        params={"compatibilityMode": "true"},
    ).json()
    assert body["success"] is True, body
    [result] = body["successResults"]
    new_id = result["destinationId"]
    response = http.get("/s/space_1/api/saved_objects/resolve/index-pattern/ip-1")
    assert response.status_code == 200, response.text
    resolved = response.json()
    assert resolved["outcome"] == "aliasMatch"
    assert resolved["alias_target_id"] == new_id


def test_import_reports_missing_references_and_unsupported_types(http: httpx.Client) -> None:
    lines = [
        {
            "type": "visualization",
            "id": "vis-x",
            "attributes": {"title": "Orphan"},
            "references": [{"type": "index-pattern", "id": "nope", "name": "ip"}],
        },
        {"type": "not-exportable", "id": "ne-1", "attributes": {"title": "No"}, "references": []},
        {"type": "wigwags", "id": "w-1", "attributes": {"title": "Wig"}, "references": []},
    ]
    content = "\n".join(json.dumps(line) for line in lines)
    body = upload(http, "/api/saved_objects/_import", content).json()
    assert body["success"] is False
    assert body["successCount"] == 0
    by_id = {error["id"]: error for error in body["errors"]}
    assert by_id["vis-x"]["error"] == {
        "type": "missing_references",
        "references": [{"type": "index-pattern", "id": "nope"}],
    }
    assert by_id["ne-1"]["error"] == {"type": "unsupported_type"}
    assert by_id["ne-1"]["meta"]["title"] == "No"
    assert by_id["w-1"]["error"] == {"type": "unsupported_type"}


def test_import_of_an_importable_hidden_type(
    http: httpx.Client, so: SavedObjectsServiceStart
) -> None:
    line = {
        "type": "hidden-importable",
        "id": "h-1",
        "attributes": {"title": "H"},
        "references": [],
    }
    body = upload(http, "/api/saved_objects/_import", json.dumps(line)).json()
    assert body["success"] is True, body
    repo = so.create_internal_repository(["hidden-importable"])
    assert repo.get("hidden-importable", "h-1").attributes == {"title": "H"}


def test_import_skips_blank_lines_and_the_details_line(http: httpx.Client) -> None:
    empty = upload(http, "/api/saved_objects/_import", "").json()
    assert empty == {"success": True, "successCount": 0, "warnings": []}
    exported = export_file(http, type="index-pattern")  # ends with the details line
    body = upload(http, "/s/space_1/api/saved_objects/_import", "\n\n" + exported + "\n\n").json()
    assert body["successCount"] == 1


def test_import_without_a_multipart_body_is_415(http: httpx.Client) -> None:
    expected = {
        "statusCode": 415,
        "error": "Unsupported Media Type",
        "message": "Unsupported Media Type",
    }
    for response in (
        http.post("/api/saved_objects/_import"),
        http.post("/api/saved_objects/_import", json={"file": "x"}),
    ):
        assert response.status_code == 415
        assert response.json() == expected


def test_import_without_the_file_field(http: httpx.Client) -> None:
    response = http.post("/api/saved_objects/_import", files={"other": ("a.ndjson", b"{}", NDJSON)})
    assert response.status_code == 400
    assert response.json()["message"] == (
        "[request body.file]: expected value of type [Stream] but got [undefined]"
    )


@pytest.mark.parametrize(("filename", "ext"), [("export.txt", ".txt"), ("export", "")])
def test_import_refuses_other_file_extensions(http: httpx.Client, filename: str, ext: str) -> None:
    response = upload(http, "/api/saved_objects/_import", "", filename=filename)
    assert response.status_code == 400
    assert response.json() == {
        "statusCode": 400,
        "error": "Bad Request",
        "message": f"Invalid file extension {ext}",
    }


def test_import_extension_check_ignores_case(http: httpx.Client) -> None:
    response = upload(http, "/api/saved_objects/_import", "", filename="EXPORT.NDJSON")
    assert response.status_code == 200


def test_import_of_invalid_ndjson_is_400(http: httpx.Client) -> None:
    response = upload(http, "/api/saved_objects/_import", '{"type": "dashboard"\n')
    assert response.status_code == 400
    assert response.json()["message"].startswith("Invalid NDJSON at line 1")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"overwrite": "true", "createNewCopies": "true"},
            "[request query]: cannot use [overwrite] with [createNewCopies]",
        ),
        (
            {"createNewCopies": "true", "compatibilityMode": "true"},
            "[request query]: cannot use [createNewCopies] with [compatibilityMode]",
        ),
        ({"wat": "1"}, "[request query.wat]: definition for this key is missing"),
    ],
)
def test_import_query_refusals(http: httpx.Client, params: dict[str, str], message: str) -> None:
    response = upload(http, "/api/saved_objects/_import", "", params=params)
    assert response.status_code == 400
    assert response.json()["message"] == message


def test_import_over_the_object_limit_is_kibanas_400(limited: httpx.Client) -> None:
    content = "\n".join(
        json.dumps({"type": "dashboard", "id": f"d{n}", "attributes": {}, "references": []})
        for n in range(4)
    )
    response = upload(limited, "/api/saved_objects/_import", content)
    assert response.status_code == 400
    assert response.json() == {
        "statusCode": 400,
        "error": "Bad Request",
        "message": "Can't import more than 3 objects",
    }


def test_import_over_the_payload_limit_is_413(limited: httpx.Client) -> None:
    line = json.dumps({"type": "dashboard", "id": "big", "attributes": {"title": "x" * 3000}})
    response = upload(limited, "/api/saved_objects/_import", line)
    assert response.status_code == 413
    assert response.json() == {
        "statusCode": 413,
        "error": "Request Entity Too Large",
        "message": "Payload content length greater than maximum allowed: 2000",
    }


def test_import_over_the_payload_limit_without_a_content_length(limited: httpx.Client) -> None:
    """A chunked upload has no length to check up front: it is cut off while read."""
    boundary = "b0undary"
    line = json.dumps({"type": "dashboard", "id": "big", "attributes": {"title": "x" * 3000}})
    payload = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="export.ndjson"\r\nContent-Type: {NDJSON}\r\n\r\n{line}\r\n--{boundary}--\r\n'
    ).encode()

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(payload), 500):
            yield payload[start : start + 500]

    response = limited.post(
        "/api/saved_objects/_import",
        content=chunks(),
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413


def test_import_needs_kbn_xsrf(http: httpx.Client) -> None:
    response = httpx.post(
        http.base_url.join("/api/saved_objects/_import"),
        files={"file": ("export.ndjson", b"", NDJSON)},
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Request must contain a kbn-xsrf header."


# --- resolve import errors ---------------------------------------------------------------


def test_resolve_with_no_retries_writes_nothing(http: httpx.Client) -> None:
    exported = export_file(http, type="dashboard", includeReferencesDeep=True)
    response = upload(
        http,
        "/s/space_2/api/saved_objects/_resolve_import_errors",
        exported,
        data={"retries": "[]"},
    )
    assert response.json() == {"success": True, "successCount": 0, "warnings": []}
    found = lines_of(http.post("/s/space_2/api/saved_objects/_export", json={"type": ["*"]}))
    assert found[-1]["exportedCount"] == 0


def test_resolve_overwrites_one_conflict(http: httpx.Client) -> None:
    exported = export_file(http, type="dashboard", includeReferencesDeep=True)
    assert upload(http, "/s/space_2/api/saved_objects/_import", exported).json()["success"]
    retries = [{"type": "dashboard", "id": "dash-1", "overwrite": True}]
    body = upload(
        http,
        "/s/space_2/api/saved_objects/_resolve_import_errors",
        exported,
        data={"retries": json.dumps(retries)},
    ).json()
    assert body["success"] is True
    assert body["successCount"] == 1
    assert body["successResults"][0]["id"] == "dash-1"
    assert body["successResults"][0]["overwrite"] is True


def test_resolve_replaces_references(http: httpx.Client, so: SavedObjectsServiceStart) -> None:
    line = {
        "type": "visualization",
        "id": "vis-r",
        "attributes": {"title": "Rewired"},
        "references": [{"type": "index-pattern", "id": "missing", "name": "ip"}],
    }
    first = upload(http, "/api/saved_objects/_import", json.dumps(line)).json()
    assert first["errors"][0]["error"]["type"] == "missing_references"
    retries = [
        {
            "type": "visualization",
            "id": "vis-r",
            "replaceReferences": [{"type": "index-pattern", "from": "missing", "to": "ip-1"}],
        }
    ]
    body = upload(
        http,
        "/api/saved_objects/_resolve_import_errors",
        json.dumps(line),
        data={"retries": json.dumps(retries)},
    ).json()
    assert body["success"] is True, body
    stored = so.create_internal_repository().get("visualization", "vis-r")
    assert [ref["id"] for ref in stored.references] == ["ip-1"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "[request body.retries]: expected value of type [array] but got [undefined]"),
        (
            {"retries": "[nope"},
            "[request body.retries]: could not parse array value from json input",
        ),
        (
            {"retries": '{"type": "x"}'},
            "[request body.retries]: expected value of type [array] but got [Object]",
        ),
        (
            {"retries": '[{"type": "dashboard", "id": "a", "wat": 1}]'},
            "[request body.retries.0.wat]: definition for this key is missing",
        ),
    ],
)
def test_resolve_refuses_bad_retries(
    http: httpx.Client, data: dict[str, str], message: str
) -> None:
    response = upload(http, "/api/saved_objects/_resolve_import_errors", "", data=data)
    assert response.status_code == 400
    assert response.json()["message"] == message


def test_resolve_refuses_new_copies_with_compatibility_mode(http: httpx.Client) -> None:
    response = upload(
        http,
        "/api/saved_objects/_resolve_import_errors",
        "",
        data={"retries": "[]"},
        params={"createNewCopies": "true", "compatibilityMode": "true"},
    )
    assert response.status_code == 400
    assert response.json()["message"] == (
        "[request query]: cannot use [createNewCopies] with [compatibilityMode]"
    )
    refused = upload(
        http,
        "/api/saved_objects/_resolve_import_errors",
        "",
        data={"retries": "[]"},
        params={"overwrite": "true"},
    )
    assert refused.json()["message"] == (
        "[request query.overwrite]: definition for this key is missing"
    )


def test_resolve_refuses_other_file_extensions_and_non_multipart(http: httpx.Client) -> None:
    response = upload(
        http,
        "/api/saved_objects/_resolve_import_errors",
        "",
        filename="x.json",
        data={"retries": "[]"},
    )
    assert response.json()["message"] == "Invalid file extension .json"
    assert http.post("/api/saved_objects/_resolve_import_errors").status_code == 415


def test_import_of_a_malformed_multipart_body(http: httpx.Client) -> None:
    response = http.post(
        "/api/saved_objects/_import",
        content=b"--x\r\n",
        headers={"content-type": "multipart/form-data"},
    )
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Invalid multipart payload format: Missing boundary in multipart."
    )


def test_a_large_import_answer_is_streamed_and_a_small_one_sent_whole(
    http: httpx.Client,
) -> None:
    count = 1_200  # from 1,000 success entries on, the answer is streamed from a spool
    objects = [
        {"type": "index-pattern", "id": f"many-{n:04}", "attributes": {"title": f"p{n}-*"}}
        for n in range(count)
    ]
    content = "\n".join(json.dumps(o) for o in objects)
    response = upload(http, "/api/saved_objects/_import", content)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert "content-length" not in response.headers
    assert response.headers["transfer-encoding"] == "chunked"
    body = response.json()
    assert list(body) == ["successCount", "success", "warnings", "successResults"]
    assert body["successCount"] == count
    assert [r["id"] for r in body["successResults"]] == [o["id"] for o in objects]
    assert body["successResults"][0] == {
        "type": "index-pattern",
        "id": "many-0000",
        "meta": {"title": "p0-*", "icon": "indexPatternApp"},
        "managed": False,
    }

    single = {**objects[0], "id": "single"}
    small = upload(http, "/api/saved_objects/_import", json.dumps(single))
    assert small.status_code == 200
    assert int(small.headers["content-length"]) == len(small.content)
    assert small.json()["successCount"] == 1
