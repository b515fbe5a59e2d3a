"""Root fields: Kibana's exact mapping, and the one engine difference."""

from __future__ import annotations

from kbn_saved_objects.mappings import (
    ELASTICSEARCH_CAPABILITIES,
    ROOT_FIELD_NAMES,
    EngineCapabilities,
    root_field_mappings,
)
from kbn_saved_objects.types import RESERVED_TYPE_NAMES

KIBANA_ROOT_FIELDS = {
    "type": {"type": "keyword"},
    "namespace": {"type": "keyword"},
    "namespaces": {"type": "keyword"},
    "originId": {"type": "keyword"},
    "updated_at": {"type": "date"},
    "updated_by": {"type": "keyword"},
    "created_at": {"type": "date"},
    "created_by": {"type": "keyword"},
    "references": {
        "type": "nested",
        "properties": {
            "name": {"type": "keyword"},
            "type": {"type": "keyword"},
            "id": {"type": "keyword"},
        },
    },
    "coreMigrationVersion": {"type": "keyword"},
    "typeMigrationVersion": {"type": "version"},
    "managed": {"type": "boolean"},
    "accessControl": {"dynamic": "false", "properties": {"owner": {"type": "keyword"}}},
}


def test_root_fields_are_kibanas() -> None:
    fields = root_field_mappings()
    assert fields == KIBANA_ROOT_FIELDS
    assert list(fields) == list(KIBANA_ROOT_FIELDS)
    assert root_field_mappings(ELASTICSEARCH_CAPABILITIES) == KIBANA_ROOT_FIELDS


def test_without_the_version_field_type_type_migration_version_is_a_keyword() -> None:
    fields = root_field_mappings(EngineCapabilities(supports_version_field=False))
    assert fields["typeMigrationVersion"] == {"type": "keyword"}
    assert {k: v for k, v in fields.items() if k != "typeMigrationVersion"} == {
        k: v for k, v in KIBANA_ROOT_FIELDS.items() if k != "typeMigrationVersion"
    }


def test_each_call_returns_a_fresh_copy() -> None:
    fields = root_field_mappings()
    fields["references"]["properties"].clear()
    assert root_field_mappings() == KIBANA_ROOT_FIELDS


def test_root_field_names() -> None:
    assert tuple(KIBANA_ROOT_FIELDS) == ROOT_FIELD_NAMES
    assert set(ROOT_FIELD_NAMES) <= RESERVED_TYPE_NAMES
    assert RESERVED_TYPE_NAMES - set(ROOT_FIELD_NAMES) == {"migrationVersion"}
