"""A type converted to a shared one, end to end on the real engine: the index migration
gives objects outside the default space new ids and writes the legacy URL aliases that
keep their old links working; the repository then resolves through those aliases and
deletes them with the object (spec 05 §1.4, §5.3, §5.4).

The registries here never register the alias type: the registry brings it, as Kibana
core does, so the aliases the conversion makes are documents of a known type."""

from __future__ import annotations

import pytest

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from kbn_saved_objects.serialization import converted_object_id
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE, SavedObjectsType, SavedObjectTypeRegistry
from tests.migrations.index._helpers import all_docs, run, seed

pytestmark = pytest.mark.engine

MAPPINGS = {"properties": {"title": {"type": "text"}}}


def registry(*, converted: bool) -> SavedObjectTypeRegistry:
    types = SavedObjectTypeRegistry()
    if converted:
        note = SavedObjectsType(
            name="note",
            namespace_type="multiple-isolated",
            convert_to_multi_namespace_type_version="8.0.0",
            mappings=MAPPINGS,
        )
    else:
        note = SavedObjectsType(name="note", namespace_type="single", mappings=MAPPINGS)
    types.register(note)
    return types.freeze()


def test_conversion_writes_aliases_that_resolve_and_leave_with_the_object(
    kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    prefix = kbn_index_prefix
    assert run(kbn_engine, registry(converted=False), prefix, "7.17.0").ok
    seed(
        kbn_engine,
        prefix,
        [
            (
                "marketing:note:n1",
                {
                    "type": "note",
                    "namespace": "marketing",
                    "note": {"title": "in marketing"},
                    "references": [],
                    "typeMigrationVersion": "7.17.0",
                },
            ),
            (
                "note:n2",
                {
                    "type": "note",
                    "note": {"title": "in default"},
                    "references": [],
                    "typeMigrationVersion": "7.17.0",
                },
            ),
        ],
    )

    shared = registry(converted=True)
    report = run(kbn_engine, shared, prefix, "8.0.0")
    assert report.ok, report
    new_id = converted_object_id("marketing", "note", "n1")
    stored = all_docs(kbn_engine, prefix)
    alias = stored[f"{LEGACY_URL_ALIAS_TYPE}:marketing:note:n1"]
    assert alias[LEGACY_URL_ALIAS_TYPE] == {
        "sourceId": "n1",
        "targetNamespace": "marketing",
        "targetType": "note",
        "targetId": new_id,
        "purpose": "savedObjectConversion",
    }
    assert f"note:{new_id}" in stored
    assert "note:n2" in stored  # the default space keeps its ids and gets no alias
    assert not any(key.startswith(f"{LEGACY_URL_ALIAS_TYPE}:default:") for key in stored)

    repo = SavedObjectsRepository(
        kbn_engine, shared, config=RepositoryConfig(default_index=prefix, refresh=True)
    )
    resolved = repo.resolve("note", "n1", namespace="marketing")
    assert (resolved.outcome, resolved.saved_object.id) == ("aliasMatch", new_id)
    assert resolved.alias_purpose == "savedObjectConversion"
    assert resolved.saved_object.origin_id == "n1"
    assert repo.resolve("note", "n2").outcome == "exactMatch"

    repo.delete("note", new_id, namespace="marketing")
    assert f"{LEGACY_URL_ALIAS_TYPE}:marketing:note:n1" not in all_docs(kbn_engine, prefix)
