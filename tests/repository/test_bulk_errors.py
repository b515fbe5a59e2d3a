"""The bulk item error table (spec 03 §2.2), without an engine."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.repository.helpers.bulk_errors import (
    bulk_item_error,
    bulk_item_result,
    error_entry,
)

HIDDEN_500 = {
    "statusCode": 500,
    "error": "Internal Server Error",
    "message": "An internal server error occurred",
}


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"status": 201, "_seq_no": 0, "_primary_term": 1}, None),
        ({"status": 200, "result": "updated"}, None),
        ({"status": 404, "result": "not_found"}, None),  # a delete miss carries no error
        ({"status": 409, "error": None}, None),
        (
            {
                "status": 404,
                "error": {
                    "type": "index_not_found_exception",
                    "reason": "no such index [so_1] and [require_alias] request flag is [true] "
                    "and [so_1] is not an alias",
                    "index": "so_1",
                },
            },
            HIDDEN_500,
        ),
        (
            {"status": 404, "error": {"type": "document_missing_exception", "reason": "x"}},
            {
                "statusCode": 404,
                "error": "Not Found",
                "message": "Saved object [dash/d1] not found",
            },
        ),
        (
            {"status": 409, "error": {"type": "version_conflict_engine_exception", "reason": "x"}},
            {"statusCode": 409, "error": "Conflict", "message": "Saved object [dash/d1] conflict"},
        ),
        (
            {"status": 400, "error": {"type": "mapper_parsing_exception", "reason": "bad field"}},
            {
                "statusCode": 500,
                "error": "Internal Server Error",
                "message": "Unexpected bulk response [400] mapper_parsing_exception: bad field",
            },
        ),
        (
            {"status": 429, "error": {"type": "es_rejected_execution_exception"}},
            {
                "statusCode": 500,
                "error": "Internal Server Error",
                "message": "Unexpected bulk response [429] es_rejected_execution_exception: "
                "undefined",
            },
        ),
        (
            {"status": 500, "error": {"type": "x", "reason": None}},
            {
                "statusCode": 500,
                "error": "Internal Server Error",
                "message": "Unexpected bulk response [500] x: null",
            },
        ),
        (
            {"error": "plain text"},
            {
                "statusCode": 500,
                "error": "Internal Server Error",
                "message": "Unexpected bulk response [undefined] undefined: plain text",
            },
        ),
    ],
)
def test_bulk_item_error_table(item: dict[str, Any], expected: dict[str, Any] | None) -> None:
    assert bulk_item_error(item, "dash", "d1") == expected


def test_missing_id_reads_like_javascript() -> None:
    item = {"status": 409, "error": {"type": "version_conflict_engine_exception"}}
    assert bulk_item_error(item, "dash", None) == {
        "statusCode": 409,
        "error": "Conflict",
        "message": "Saved object [dash/undefined] conflict",
    }


def test_bulk_item_result_unwraps_any_action() -> None:
    for action in ("create", "index", "update", "delete"):
        assert bulk_item_result({action: {"status": 201}}) == {"status": 201}
    assert bulk_item_result({}) == {}


def test_error_entries_dump_as_kibana_entries() -> None:
    error = {"statusCode": 400, "error": "Bad Request", "message": "m"}
    with_id = error_entry("dash", "d1", error)
    assert (with_id.id, with_id.type, with_id.error) == ("d1", "dash", error)
    assert with_id.model_dump(exclude_unset=True) == {"id": "d1", "type": "dash", "error": error}
    without_id = error_entry("dash", None, error)
    assert without_id.model_dump(mode="json", exclude_unset=True) == {
        "type": "dash",
        "error": error,
    }
