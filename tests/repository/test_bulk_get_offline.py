"""bulk_get's and check_conflicts' requests, driven with canned answers (spec 03 §2.3, §2.5)."""

from __future__ import annotations

from typing import Any

import orjson

from kbn_saved_objects.mappings.root_fields import ROOT_FIELD_NAMES
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.operation import run_offline
from kbn_saved_objects.repository.operations.bulk_get import bulk_get
from kbn_saved_objects.repository.operations.check_conflicts import check_conflicts
from kbn_saved_objects.search.query import included_fields
from tests.repository.conftest import AGNOSTIC, MULTIPLE, SINGLE


def test_included_fields_are_kibanas() -> None:
    # Kibana 9.x order, spec 04 §7 (accessControl is asked for although not mapped here)
    assert included_fields(["index-pattern"], ["title"]) == [
        "index-pattern.title",
        "namespace",
        "namespaces",
        "type",
        "references",
        "migrationVersion",
        "coreMigrationVersion",
        "typeMigrationVersion",
        "managed",
        "accessControl",
        "updated_at",
        "updated_by",
        "created_at",
        "created_by",
        "originId",
    ]
    assert set(ROOT_FIELD_NAMES) <= set(included_fields(["t"], []))


def test_bulk_get_reads_each_object_where_it_asked(offline_context: RepositoryContext) -> None:
    objects: list[Any] = [
        {"type": SINGLE, "id": "a"},
        {"type": SINGLE, "id": "b", "namespaces": ["other"]},
        {"type": MULTIPLE, "id": "c", "namespaces": ["*"], "fields": ["title"]},
        {"type": AGNOSTIC, "id": "d", "fields": []},
    ]
    operation = bulk_get(offline_context, objects, {"namespace": "space"})
    request = next(operation)
    assert (request.path, request.not_found_ok) == ("/_mget", True)
    docs = orjson.loads(request.body or b"")["docs"]
    assert [doc["_id"] for doc in docs] == [
        "space:isolated:a",
        "other:isolated:b",
        "shared:c",
        "global:d",
    ]
    assert "_source" not in docs[0]
    assert docs[2]["_source"][0] == "shared.title"
    assert docs[3]["_source"][0] == "namespace"


def test_bulk_get_without_valid_objects_sends_nothing(offline_context: RepositoryContext) -> None:
    result, sent = run_offline(bulk_get(offline_context, [], {}), [])
    assert (result.saved_objects, sent) == ([], [])
    objects: list[Any] = [
        {"type": "unknown", "id": "x"},
        {"type": AGNOSTIC, "id": "y", "namespaces": []},
    ]
    result, sent = run_offline(bulk_get(offline_context, objects, {}), [])
    assert sent == []
    assert [entry.error["statusCode"] for entry in result.saved_objects if entry.error] == [
        400,
        400,
    ]


def test_a_whole_mget_404_reads_as_not_found(offline_context: RepositoryContext) -> None:
    objects: list[Any] = [{"type": SINGLE, "id": "a"}, {"type": MULTIPLE, "id": "b"}]
    missing_index = {"error": {"type": "index_not_found_exception"}, "status": 404}
    result, _ = run_offline(bulk_get(offline_context, objects, {}), [missing_index])
    assert [entry.error for entry in result.saved_objects] == [
        {"statusCode": 404, "error": "Not Found", "message": "Saved object [isolated/a] not found"},
        {"statusCode": 404, "error": "Not Found", "message": "Saved object [shared/b] not found"},
    ]


def test_check_conflicts_reads_type_and_namespace_fields_only(
    offline_context: RepositoryContext,
) -> None:
    result, sent = run_offline(check_conflicts(offline_context, [], {}), [])
    assert (result.errors, sent) == ([], [])
    objects: list[Any] = [{"type": SINGLE, "id": "a"}, {"type": MULTIPLE, "id": "b"}]
    found = {"found": True, "_source": {"type": MULTIPLE, "namespaces": ["x"]}}
    result, sent = run_offline(
        check_conflicts(offline_context, objects, {"namespace": "space"}),
        [{"docs": [{"found": False}, found]}],
    )
    (request,) = sent
    assert request.not_found_ok
    assert orjson.loads(request.body or b"")["docs"] == [
        {
            "_id": "space:isolated:a",
            "_index": "offline-so_1",
            "_source": {"includes": ["type", "namespace", "namespaces"]},
        },
        {
            "_id": "shared:b",
            "_index": "offline-so_1",
            "_source": {"includes": ["type", "namespace", "namespaces"]},
        },
    ]
    assert result.model_dump() == {
        "errors": [
            {
                "id": "b",
                "type": MULTIPLE,
                "error": {
                    "statusCode": 409,
                    "error": "Conflict",
                    "message": "Saved object [shared/b] conflict",
                    "metadata": {"isNotOverwritable": True},
                },
            }
        ]
    }
