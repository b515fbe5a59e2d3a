# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""The async importer and exporter (the source of the generated sync twin test)."""

from __future__ import annotations

import json

import pytest

from kbn_saved_objects.import_export._sync.exporter import SavedObjectsExporter
from kbn_saved_objects.import_export._sync.importer import SavedObjectsImporter
from kbn_saved_objects.import_export.errors import SavedObjectsExportError
from kbn_saved_objects.repository import SavedObjectsRepository

pytestmark = pytest.mark.engine

OBJECTS = [
    {"type": "index-pattern", "id": "ip", "attributes": {"title": "logs-*"}},
    {
        "type": "dashboard",
        "id": "d",
        "attributes": {"title": "D"},
        "references": [{"name": "r", "type": "index-pattern", "id": "ip"}],
    },
]


def test_import_then_streamed_export(repository: SavedObjectsRepository) -> None:
    importer = SavedObjectsImporter(repository)
    result = importer.import_([json.dumps(o) + "\n" for o in OBJECTS])
    assert result["success"]
    assert result["successCount"] == 2
    exporter = SavedObjectsExporter(repository, page_size=1)
    lines = [line for line in exporter.export_by_types(["dashboard"], include_references_deep=True)]
    assert [json.loads(line).get("id") for line in lines[:-1]] == ["ip", "d"]
    assert json.loads(lines[-1])["exportedCount"] == 2


def test_export_refusal_comes_before_any_line(
    repository: SavedObjectsRepository,
) -> None:
    exporter = SavedObjectsExporter(repository)
    with pytest.raises(SavedObjectsExportError, match="non-exportable"):
        for _ in exporter.export_by_types(["not-importable"]):
            pass


def test_size_limit_stops_a_paged_export(
    repository: SavedObjectsRepository,
) -> None:
    # page by page, the next page already requested when the limit is crossed
    importer = SavedObjectsImporter(repository)
    objects = [{"type": "dashboard", "id": f"d{n}", "attributes": {"title": "D"}} for n in range(4)]
    assert (importer.import_([json.dumps(o) + "\n" for o in objects]))["success"]
    exporter = SavedObjectsExporter(repository, export_size_limit=2, page_size=1)
    with pytest.raises(SavedObjectsExportError) as caught:
        for _ in exporter.export_by_types(["dashboard"]):
            pass
    assert caught.value.type == "export-size-exceeded"
    lines = [line for line in SavedObjectsExporter(repository).export_by_types(["*"])]
    assert [json.loads(line).get("id") for line in lines[:-1]] == ["d0", "d1", "d2", "d3"]
