# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
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
from kbn_saved_objects.repository import SavedObjectsRepository
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


def seed(repo: SavedObjectsRepository) -> None:
    repo.create(VALIDATED, {"title": "v"}, id="v1")
    repo.create(MULTIPLE, {"title": "m"}, id="m1")  # no migrations: no version


@pytest.mark.parametrize("mode", MODES)
def test_get(repository: SavedObjectsRepository, mode: Any) -> None:
    seed(repository)
    got = repository.get(VALIDATED, "v1", migration_version_compatibility=mode)
    assert legacy_version(got) == expected(mode)
    assert got.type_migration_version == VERSION
    unversioned = repository.get(MULTIPLE, "m1", migration_version_compatibility=mode)
    assert legacy_version(unversioned) is None


def test_get_defaults_to_raw(repository: SavedObjectsRepository) -> None:
    seed(repository)
    assert legacy_version(repository.get(VALIDATED, "v1")) is None


@pytest.mark.parametrize("mode", MODES)
def test_bulk_get(repository: SavedObjectsRepository, mode: Any) -> None:
    seed(repository)
    found = repository.bulk_get(
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
def test_find(repository: SavedObjectsRepository, mode: Any) -> None:
    seed(repository)
    page = repository.find(
        type=[VALIDATED, MULTIPLE], sort_field="type", migration_version_compatibility=mode
    )
    by_type = {so.type: so for so in page.saved_objects}
    assert legacy_version(by_type[VALIDATED]) == expected(mode)
    assert legacy_version(by_type[MULTIPLE]) is None


@pytest.mark.parametrize("mode", MODES)
def test_point_in_time_finder(repository: SavedObjectsRepository, mode: Any) -> None:
    for i in range(3):
        repository.create(VALIDATED, {"title": f"v{i}"}, id=f"v{i}")
    finder = repository.create_point_in_time_finder(
        type=VALIDATED, per_page=2, migration_version_compatibility=mode
    )
    with finder:
        objects = [so for page in finder.find() for so in page.saved_objects]
    assert len(objects) == 3
    assert [legacy_version(so) for so in objects] == [expected(mode)] * 3
    documents = repository.create_point_in_time_finder(
        type=VALIDATED, per_page=2, migration_version_compatibility=mode
    )
    with documents:
        docs = [d.doc for page in documents.find_documents() for d in page.documents]
    assert [doc.get("migrationVersion") for doc in docs] == [expected(mode)] * 3


def alias(repo: SavedObjectsRepository, source_id: str, target_id: str) -> None:
    repo.create(
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
def test_resolve(repository: SavedObjectsRepository, mode: Any) -> None:
    seed(repository)
    alias(repository, "old-v1", "v1")
    exact = repository.resolve(VALIDATED, "v1", migration_version_compatibility=mode)
    assert exact.outcome == "exactMatch"
    assert legacy_version(exact.saved_object) == expected(mode)
    by_alias = repository.resolve(VALIDATED, "old-v1", migration_version_compatibility=mode)
    assert (by_alias.outcome, by_alias.saved_object.id) == ("aliasMatch", "v1")
    assert legacy_version(by_alias.saved_object) == expected(mode)


@pytest.mark.parametrize("mode", MODES)
def test_bulk_resolve(repository: SavedObjectsRepository, mode: Any) -> None:
    seed(repository)
    alias(repository, "old-v1", "v1")
    resolved = repository.bulk_resolve(
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


def test_compatible_reports_the_stored_version_of_a_document_migrated_on_read(
    repository: SavedObjectsRepository,
) -> None:
    """As Kibana: the legacy map is built from the stored ``typeMigrationVersion`` before
    the read migration; only core's 8.8.0 transform (for documents written before 8.8)
    would drop it again."""
    index = repository.context.index_for(VALIDATED)
    source = {
        "type": VALIDATED,
        VALIDATED: {"title": "old"},
        "references": [],
        "coreMigrationVersion": "8.8.0",
        "typeMigrationVersion": "10.0.0",
    }
    repository.engine.perform(rq.index_document(index, source, id=f"{VALIDATED}:old", refresh=True))
    got = repository.get(VALIDATED, "old", migration_version_compatibility="compatible")
    assert got.type_migration_version == VERSION
    assert legacy_version(got) == {VALIDATED: "10.0.0"}
    raw = repository.get(VALIDATED, "old")
    assert raw.type_migration_version == VERSION
    assert legacy_version(raw) is None
