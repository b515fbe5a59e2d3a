"""``migration_version_compatibility`` on every read (get, bulk_get, find, the
point-in-time finder, resolve, bulk_resolve), on the real engine.

Kibana's HTTP routes read with ``"compatible"`` so that clients written before 8.8 still
find the legacy ``migrationVersion`` map: a document stored without one reports
``{<type>: <stored typeMigrationVersion>}``. The default, ``"raw"``, reports only what is
stored (and current indices cannot store ``migrationVersion`` at all)."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.repository import AsyncSavedObjectsRepository
from kbn_saved_objects.serialization import MigrationVersionCompatibility, SavedObject
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE
from tests.repository.conftest import MULTIPLE, VALIDATED

pytestmark = pytest.mark.engine

VERSION = "10.1.0"  # VALIDATED has one model version
MODES: list[MigrationVersionCompatibility] = ["raw", "compatible"]


def legacy_version(saved_object: SavedObject[Any]) -> Any:
    return saved_object.model_dump(exclude_unset=True).get("migrationVersion")


def expected(mode: MigrationVersionCompatibility, version: str = VERSION) -> Any:
    return {VALIDATED: version} if mode == "compatible" else None


async def seed(repo: AsyncSavedObjectsRepository) -> None:
    await repo.create(VALIDATED, {"title": "v"}, id="v1")
    await repo.create(MULTIPLE, {"title": "m"}, id="m1")  # no migrations: no version


@pytest.mark.parametrize("mode", MODES)
async def test_get(async_repository: AsyncSavedObjectsRepository, mode: Any) -> None:
    await seed(async_repository)
    got = await async_repository.get(VALIDATED, "v1", migration_version_compatibility=mode)
    assert legacy_version(got) == expected(mode)
    assert got.type_migration_version == VERSION
    unversioned = await async_repository.get(MULTIPLE, "m1", migration_version_compatibility=mode)
    assert legacy_version(unversioned) is None


async def test_get_defaults_to_raw(async_repository: AsyncSavedObjectsRepository) -> None:
    await seed(async_repository)
    assert legacy_version(await async_repository.get(VALIDATED, "v1")) is None


@pytest.mark.parametrize("mode", MODES)
async def test_bulk_get(async_repository: AsyncSavedObjectsRepository, mode: Any) -> None:
    await seed(async_repository)
    found = await async_repository.bulk_get(
        [
            {"type": VALIDATED, "id": "v1"},
            {"type": VALIDATED, "id": "missing"},
            {"type": MULTIPLE, "id": "m1"},
        ],
        migration_version_compatibility=mode,
    )
    first, missing, unversioned = found.saved_objects
    assert legacy_version(first) == expected(mode)
    assert missing.error is not None
    assert legacy_version(missing) is None
    assert legacy_version(unversioned) is None


@pytest.mark.parametrize("mode", MODES)
async def test_find(async_repository: AsyncSavedObjectsRepository, mode: Any) -> None:
    await seed(async_repository)
    page = await async_repository.find(
        type=[VALIDATED, MULTIPLE], sort_field="type", migration_version_compatibility=mode
    )
    by_type = {so.type: so for so in page.saved_objects}
    assert legacy_version(by_type[VALIDATED]) == expected(mode)
    assert legacy_version(by_type[MULTIPLE]) is None


@pytest.mark.parametrize("mode", MODES)
async def test_point_in_time_finder(
    async_repository: AsyncSavedObjectsRepository, mode: Any
) -> None:
    for i in range(3):
        await async_repository.create(VALIDATED, {"title": f"v{i}"}, id=f"v{i}")
    finder = async_repository.create_point_in_time_finder(
        type=VALIDATED, per_page=2, migration_version_compatibility=mode
    )
    async with finder:
        objects = [so async for page in finder.find() for so in page.saved_objects]
    assert len(objects) == 3
    assert [legacy_version(so) for so in objects] == [expected(mode)] * 3
    documents = async_repository.create_point_in_time_finder(
        type=VALIDATED, per_page=2, migration_version_compatibility=mode
    )
    async with documents:
        docs = [d.doc async for page in documents.find_documents() for d in page.documents]
    assert [doc.get("migrationVersion") for doc in docs] == [expected(mode)] * 3


async def alias(repo: AsyncSavedObjectsRepository, source_id: str, target_id: str) -> None:
    await repo.create(
        LEGACY_URL_ALIAS_TYPE,
        {
            "sourceId": source_id,
            "targetNamespace": "default",
            "targetType": VALIDATED,
            "targetId": target_id,
            "purpose": "savedObjectConversion",
        },
        id=f"default:{VALIDATED}:{source_id}",
    )


@pytest.mark.parametrize("mode", MODES)
async def test_resolve(async_repository: AsyncSavedObjectsRepository, mode: Any) -> None:
    await seed(async_repository)
    await alias(async_repository, "old-v1", "v1")
    exact = await async_repository.resolve(VALIDATED, "v1", migration_version_compatibility=mode)
    assert exact.outcome == "exactMatch"
    assert legacy_version(exact.saved_object) == expected(mode)
    by_alias = await async_repository.resolve(
        VALIDATED, "old-v1", migration_version_compatibility=mode
    )
    assert (by_alias.outcome, by_alias.saved_object.id) == ("aliasMatch", "v1")
    assert legacy_version(by_alias.saved_object) == expected(mode)


@pytest.mark.parametrize("mode", MODES)
async def test_bulk_resolve(async_repository: AsyncSavedObjectsRepository, mode: Any) -> None:
    await seed(async_repository)
    await alias(async_repository, "old-v1", "v1")
    resolved = await async_repository.bulk_resolve(
        [
            {"type": VALIDATED, "id": "v1"},
            {"type": VALIDATED, "id": "old-v1"},
            {"type": VALIDATED, "id": "missing"},
            {"type": MULTIPLE, "id": "m1"},
        ],
        migration_version_compatibility=mode,
    )
    exact, by_alias, missing, unversioned = resolved.resolved_objects
    assert [r.outcome for r in resolved.resolved_objects[:2]] == ["exactMatch", "aliasMatch"]
    assert legacy_version(exact.saved_object) == expected(mode)
    assert legacy_version(by_alias.saved_object) == expected(mode)
    assert missing.saved_object.error is not None
    assert legacy_version(unversioned.saved_object) is None


async def test_compatible_reports_the_stored_version_of_a_document_migrated_on_read(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    """As Kibana: the legacy map is built from the stored ``typeMigrationVersion`` before
    the read migration; only core's 8.8.0 transform (for documents written before 8.8)
    would drop it again."""
    index = async_repository.context.index_for(VALIDATED)
    source = {
        "type": VALIDATED,
        VALIDATED: {"title": "old"},
        "references": [],
        "coreMigrationVersion": "8.8.0",
        "typeMigrationVersion": "10.0.0",
    }
    await async_repository.engine.perform(
        rq.index_document(index, source, id=f"{VALIDATED}:old", refresh=True)
    )
    got = await async_repository.get(VALIDATED, "old", migration_version_compatibility="compatible")
    assert got.type_migration_version == VERSION
    assert legacy_version(got) == {VALIDATED: "10.0.0"}
    raw = await async_repository.get(VALIDATED, "old")
    assert raw.type_migration_version == VERSION
    assert legacy_version(raw) is None
