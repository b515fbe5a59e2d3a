"""Objects that parse but that the engine's JSON encoder cannot write (issue 13, item 3).

Attributes nested past orjson's encoder limit (~253 levels) and strings holding a lone
surrogate (read by the ``json`` fallback from ``"\\ud800"``) used to reach the bulk body
encoder and end the whole import with a bare ``TypeError``. Each is now an error of its
own object, nothing is written for it, and the rest of the file is imported.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from kbn_saved_objects.import_export._async.importer import SavedObjectsImporter
from kbn_saved_objects.import_export.errors import SavedObjectsImportError
from kbn_saved_objects.repository import AsyncSavedObjectsRepository

pytestmark = pytest.mark.engine


def nested(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(levels):
        value = {"a": value}
    return value


def line(object_id: str, **fields: Any) -> str:
    return json.dumps({"type": "dashboard", "id": object_id, **fields}) + "\n"


# json.dumps escapes the surrogate as \ud800, which orjson refuses and json then reads
UNWRITABLE = {
    "deep": line("deep", attributes={"title": "Deep", "panels": nested(300)}),
    "lone-surrogate": line("lone-surrogate", attributes={"title": "bad \ud800 title"}),
    "surrogate-reference": line(
        "surrogate-reference",
        attributes={"title": "Refers"},
        references=[{"name": "r", "type": "index-pattern", "id": "\udfff"}],
    ),
}
GOOD = [line("good-1", attributes={"title": "One"}), line("good-2", attributes={"title": "Two"})]


async def stored_ids(repository: AsyncSavedObjectsRepository) -> set[str]:
    page = await repository.find(type=["dashboard", "index-pattern"], per_page=100)
    return {so.id for so in page.saved_objects}


def unwritable_errors(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e["error"] for e in result.get("errors", [])}


async def test_import_reports_unwritable_objects_and_writes_the_rest(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    importer = SavedObjectsImporter(async_repository)
    result = await importer.import_([GOOD[0], *UNWRITABLE.values(), GOOD[1]])
    assert result["successCount"] == 2
    assert not result["success"]
    errors = unwritable_errors(result)
    assert set(errors) == set(UNWRITABLE)
    for error in errors.values():
        assert error["type"] == "unknown"
        assert error["statusCode"] == 400
        assert error["error"] == "Bad Request"
    assert "line 3" in errors["lone-surrogate"]["message"]
    assert "nested too deeply" in errors["deep"]["message"]
    assert "lone UTF-16 surrogate" in errors["lone-surrogate"]["message"]
    assert "lone UTF-16 surrogate" in errors["surrogate-reference"]["message"]
    assert await stored_ids(async_repository) == {"good-1", "good-2"}


async def test_overwrite_and_copies_modes_refuse_them_too(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    importer = SavedObjectsImporter(async_repository)
    for options in ({"overwrite": True}, {"create_new_copies": True}):
        result = await importer.import_([*UNWRITABLE.values()], **options)  # type: ignore[arg-type]
        assert set(unwritable_errors(result)) == set(UNWRITABLE)
    assert await stored_ids(async_repository) == set()


async def test_resolve_import_errors_reports_unwritable_retries(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    importer = SavedObjectsImporter(async_repository)
    retries: list[Any] = [
        {"type": "dashboard", "id": object_id, "overwrite": True}
        for object_id in ("good-1", *UNWRITABLE)
    ]
    result = await importer.resolve_import_errors([GOOD[0], *UNWRITABLE.values()], retries)
    assert result["successCount"] == 1
    assert set(unwritable_errors(result)) == set(UNWRITABLE)
    assert await stored_ids(async_repository) == {"good-1"}


@pytest.mark.parametrize(
    ("retry", "message"),
    [
        ("dashboard:good-1", "must be an object"),
        ({"type": "dashboard", "id": "good-1", "overwrite": "yes"}, "`overwrite` must be a"),
        ({"type": "dashboard", "id": "good-1", "destinationId": 7}, "`destinationId` must be"),
        ({"type": "dashboard", "id": "good-1", "replaceReferences": [{"type": "x"}]}, "{type,"),
        ({"type": "dashboard", "id": "good-1", "destinationId": "\ud800"}, "lone UTF-16"),
    ],
)
async def test_malformed_retries_refuse_the_request(
    async_repository: AsyncSavedObjectsRepository, retry: Any, message: str
) -> None:
    importer = SavedObjectsImporter(async_repository)
    with pytest.raises(SavedObjectsImportError, match="Retry 0: ") as caught:
        await importer.resolve_import_errors([GOOD[0]], [retry])
    assert message in caught.value.message
    assert caught.value.type == "invalid-retry"
    assert await stored_ids(async_repository) == set()
