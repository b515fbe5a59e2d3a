"""An over-long raw id is an error of its own object, not of the whole import (issue 13,
item 4). The check itself is the repository's (``bulk_create``, which the importer
writes through): this test holds the importer to the per-object promise of
docs/import-export.md."""

from __future__ import annotations

import json

import pytest

from kbn_saved_objects.import_export import SavedObjectsImporter
from kbn_saved_objects.repository import SavedObjectsRepository

pytestmark = pytest.mark.engine

SPACE = "space-a"


def test_an_over_long_raw_id_fails_only_its_object(repository: SavedObjectsRepository) -> None:
    # a single-namespace object's raw id is "<space>:<type>:<id>": 521 bytes here, past
    # the engine's 512-byte limit on _id, while the id alone is within it
    long_id = "x" * 500
    lines = [
        json.dumps({"type": "isolatedtype", "id": long_id, "attributes": {"title": "Long"}}),
        json.dumps({"type": "isolatedtype", "id": "short", "attributes": {"title": "Short"}}),
    ]
    result = SavedObjectsImporter(repository).import_(lines, namespace=SPACE)
    assert result["successCount"] == 1
    assert [s["id"] for s in result["successResults"]] == ["short"]
    [error] = result["errors"]
    assert error["id"] == long_id
    assert error["error"]["type"] == "unknown"
    found = repository.find(type="isolatedtype", namespaces=[SPACE])
    assert [so.id for so in found.saved_objects] == ["short"]
