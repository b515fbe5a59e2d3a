"""The committed OpenAPI document is the one the routes generate, and it says what the
app does (pure: no engine, no server)."""

from __future__ import annotations

import json

from kbn_saved_objects.http.openapi import openapi_document, openapi_json
from tests.codegen.write_openapi import TARGET, main

ROUTES = {
    ("get", "/api/saved_objects/{type}/{id}"),
    ("post", "/api/saved_objects/{type}"),
    ("post", "/api/saved_objects/{type}/{id}"),
    ("put", "/api/saved_objects/{type}/{id}"),
    ("delete", "/api/saved_objects/{type}/{id}"),
    ("get", "/api/saved_objects/_find"),
    ("post", "/api/saved_objects/_bulk_create"),
    ("post", "/api/saved_objects/_bulk_get"),
    ("put", "/api/saved_objects/_bulk_update"),
    ("post", "/api/saved_objects/_bulk_delete"),
    ("post", "/api/saved_objects/_bulk_resolve"),
    ("get", "/api/saved_objects/resolve/{type}/{id}"),
}


def test_the_committed_document_is_current() -> None:
    assert TARGET.read_text(encoding="utf-8") == openapi_json(), (
        "docs/openapi.json is stale: run python tests/codegen/write_openapi.py"
    )
    assert main(["--check"]) == 0


def test_the_document_is_openapi_3_1_with_kibanas_routes() -> None:
    document = openapi_document()
    assert document["openapi"].startswith("3.1")
    served = {(m, p) for p, ops in document["paths"].items() for m in ops}
    assert served >= ROUTES
    assert not any(p.startswith("/s/") for p in document["paths"])


def test_operations_declare_kibanas_answers_not_fastapis() -> None:
    document = openapi_document()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "422" not in responses, (method, path)
            assert "200" in responses, (method, path)
            if (method, path) in ROUTES:
                assert operation["deprecated"] is True
                assert responses["400"]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ErrorBody"
                }
            if method in ("post", "put", "delete"):
                assert operation["parameters"][0]["name"] == "kbn-xsrf", (method, path)
    assert "HTTPValidationError" not in json.dumps(document)
