# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""The legacy URL aliases an import in ``compatibility_mode`` writes, through their whole
life on the real engine: created for the registry's own alias type, followed by
``resolve``, removed with the object (spec 05 §5.3, §5.4)."""

from __future__ import annotations

import json

import pytest

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.import_export._sync.importer import SavedObjectsImporter
from kbn_saved_objects.repository import SavedObjectsRepository
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE
from tests.import_export.conftest import sequence_ids

pytestmark = pytest.mark.engine

DASH = {"type": "dashboard", "id": "dash-1", "attributes": {"title": "Dash"}}


def alias_found(repo: SavedObjectsRepository, space: str) -> bool:
    index = repo.context.index_for(LEGACY_URL_ALIAS_TYPE)
    raw_id = f"{LEGACY_URL_ALIAS_TYPE}:{space}:dashboard:dash-1"
    return bool((repo.engine.perform(rq.get_document(index, raw_id))).get("found"))


def test_an_import_alias_resolves_and_leaves_with_its_object(
    repository: SavedObjectsRepository,
) -> None:
    repo = repository
    line = [json.dumps(DASH) + "\n"]
    assert (SavedObjectsImporter(repo).import_(line))["success"]  # dash-1 in default
    importer = SavedObjectsImporter(repo, id_generator=sequence_ids())
    result = importer.import_(line, namespace="marketing", compatibility_mode=True)
    assert result["success"], result
    assert result["successResults"][0]["destinationId"] == "new-0"

    resolved = repo.resolve("dashboard", "dash-1", namespace="marketing")
    assert (resolved.outcome, resolved.saved_object.id) == ("aliasMatch", "new-0")
    assert (resolved.alias_target_id, resolved.alias_purpose) == ("new-0", "savedObjectImport")
    assert (repo.resolve("dashboard", "dash-1")).outcome == "exactMatch"

    repo.delete("dashboard", "new-0", namespace="marketing")
    assert not alias_found(repo, "marketing")
    assert (repo.resolve("dashboard", "dash-1")).outcome == "exactMatch"


def test_an_import_alias_leaves_with_its_space(
    repository: SavedObjectsRepository,
) -> None:
    repo = repository
    line = [json.dumps(DASH) + "\n"]
    assert (SavedObjectsImporter(repo).import_(line))["success"]
    importer = SavedObjectsImporter(repo, id_generator=sequence_ids())
    assert (importer.import_(line, namespace="sales", compatibility_mode=True))["success"]
    assert alias_found(repo, "sales")
    repo.delete_by_namespace("sales", refresh=True)
    assert not alias_found(repo, "sales")


def test_a_managed_import_writes_managed_aliases(
    repository: SavedObjectsRepository,
) -> None:
    repo = repository
    line = [json.dumps(DASH) + "\n"]
    assert (SavedObjectsImporter(repo).import_(line))["success"]
    importer = SavedObjectsImporter(repo, id_generator=sequence_ids())
    result = importer.import_(line, namespace="marketing", compatibility_mode=True, managed=True)
    assert result["success"], result
    alias = repo.get(LEGACY_URL_ALIAS_TYPE, "marketing:dashboard:dash-1")
    assert alias.managed is True


def test_objects_sharing_an_origin_leave_one_alias(
    repository: SavedObjectsRepository,
) -> None:
    """Kibana keys the aliases of an import by id: the last object wins, no 409."""
    repo = repository
    objects = [
        {"type": "dashboard", "id": id_, "originId": "origin", "attributes": {"title": id_}}
        for id_ in ("first", "second")
    ]
    result = SavedObjectsImporter(repo).import_(
        [json.dumps(o) + "\n" for o in objects], namespace="sales", compatibility_mode=True
    )
    assert result["success"], result
    assert result["successCount"] == 2
    alias = repo.get(LEGACY_URL_ALIAS_TYPE, "sales:dashboard:origin")
    assert alias.attributes["targetId"] == "second"
    assert alias.managed is False
