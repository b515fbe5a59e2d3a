"""The async importer and exporter (the source of the generated sync twin test)."""

from __future__ import annotations

import json

import pytest

from kbn_saved_objects.import_export._async.exporter import SavedObjectsExporter
from kbn_saved_objects.import_export._async.importer import SavedObjectsImporter
from kbn_saved_objects.import_export.errors import SavedObjectsExportError
from kbn_saved_objects.repository import AsyncSavedObjectsRepository

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


async def test_import_then_streamed_export(async_repository: AsyncSavedObjectsRepository) -> None:
    importer = SavedObjectsImporter(async_repository)
    result = await importer.import_([json.dumps(o) + "\n" for o in OBJECTS])
    assert result["success"]
    assert result["successCount"] == 2
    exporter = SavedObjectsExporter(async_repository, page_size=1)
    lines = [
        line async for line in exporter.export_by_types(["dashboard"], include_references_deep=True)
    ]
    assert [json.loads(line).get("id") for line in lines[:-1]] == ["ip", "d"]
    assert json.loads(lines[-1])["exportedCount"] == 2


async def test_export_refusal_comes_before_any_line(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    exporter = SavedObjectsExporter(async_repository)
    with pytest.raises(SavedObjectsExportError, match="non-exportable"):
        async for _ in exporter.export_by_types(["not-importable"]):
            pass


async def test_size_limit_stops_a_paged_export(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    # page by page, the next page already requested when the limit is crossed
    importer = SavedObjectsImporter(async_repository)
    objects = [{"type": "dashboard", "id": f"d{n}", "attributes": {"title": "D"}} for n in range(4)]
    assert (await importer.import_([json.dumps(o) + "\n" for o in objects]))["success"]
    exporter = SavedObjectsExporter(async_repository, export_size_limit=2, page_size=1)
    with pytest.raises(SavedObjectsExportError) as caught:
        async for _ in exporter.export_by_types(["dashboard"]):
            pass
    assert caught.value.type == "export-size-exceeded"
    lines = [line async for line in SavedObjectsExporter(async_repository).export_by_types(["*"])]
    assert [json.loads(line).get("id") for line in lines[:-1]] == ["d0", "d1", "d2", "d3"]
