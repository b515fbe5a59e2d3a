"""Golden test: mappings built from a registry vs a real Kibana ``.kibana`` index.

The fixture (es_archiver ``saved_objects/references/mappings.json``) is a 6.x/7.x-era
``.kibana_1`` index behind the ``.kibana`` alias. A registry of the same types must produce
the same top level, the same type mappings and the same root fields -- where Kibana's
current root fields exist there. Intentional differences, all from Kibana's own evolution:

* current Kibana adds root fields the old index lacks: ``namespaces``, ``originId``,
  ``updated_by``, ``created_at``, ``created_by``, ``coreMigrationVersion``,
  ``typeMigrationVersion``, ``managed``;
* the old index has no ``_meta`` (hashes came later); ours always has one.
"""

from __future__ import annotations

import json
from typing import Any

from kbn_saved_objects.mappings import MAIN_SAVED_OBJECT_INDEX, build_index_mappings
from kbn_saved_objects.mappings.root_fields import ROOT_FIELD_NAMES
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry
from tests._paths import KIBANA_FIXTURES, require_fixtures

ADDED_SINCE = {
    "namespaces",
    "originId",
    "updated_by",
    "created_at",
    "created_by",
    "coreMigrationVersion",
    "typeMigrationVersion",
    "managed",
    "accessControl",
}


def load_fixture() -> dict[str, Any]:
    require_fixtures()
    path = KIBANA_FIXTURES / "es_archiver/api_integration/saved_objects/references/mappings.json"
    archive: dict[str, dict[str, Any]] = json.loads(path.read_text())
    return archive["value"]


def test_mappings_match_a_kibana_index() -> None:
    index = load_fixture()
    expected = index["mappings"]
    type_names = [name for name in expected["properties"] if name not in ROOT_FIELD_NAMES]
    registry = SavedObjectTypeRegistry(core_types=False)  # the archived index has no aliases
    for name in type_names:
        registry.register(SavedObjectsType(name=name, mappings=expected["properties"][name]))
    built = build_index_mappings(registry.freeze())

    assert list(index["aliases"]) == [MAIN_SAVED_OBJECT_INDEX]
    assert list(built) == [MAIN_SAVED_OBJECT_INDEX]
    actual = built[MAIN_SAVED_OBJECT_INDEX]
    assert actual["dynamic"] == expected["dynamic"] == "strict"
    assert "_meta" not in expected
    for name in type_names:
        assert actual["properties"][name] == expected["properties"][name], name
    shared_root_fields = set(ROOT_FIELD_NAMES) & set(expected["properties"])
    assert shared_root_fields == {"type", "namespace", "updated_at", "references"}
    for name in shared_root_fields:
        assert actual["properties"][name] == expected["properties"][name], name
    assert set(ROOT_FIELD_NAMES) - shared_root_fields == ADDED_SINCE
    assert set(actual["properties"]) == set(expected["properties"]) | ADDED_SINCE
