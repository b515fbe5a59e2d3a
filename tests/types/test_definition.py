"""The type definition value: coercions, immutability, and the core legacy-url-alias type."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.types import (
    LEGACY_URL_ALIAS_TYPE,
    NamespaceType,
    SavedObjectsType,
    SavedObjectTypeRegistry,
    legacy_url_alias_type,
)
from kbn_saved_objects.types.json_values import freeze_json, thaw_json


def test_namespace_type_strings_become_the_enum() -> None:
    definition = SavedObjectsType(
        name="foo", namespace_type="multiple-isolated", mappings={"properties": {}}
    )
    assert definition.namespace_type is NamespaceType.MULTIPLE_ISOLATED
    assert definition.namespace_type.value == "multiple-isolated"


def test_defaults() -> None:
    definition = SavedObjectsType(name="foo", mappings={"properties": {}})
    assert definition.namespace_type is NamespaceType.SINGLE
    assert definition.hidden is False
    assert definition.hidden_from_http_apis is None
    assert definition.management is None


def test_definition_keeps_a_frozen_copy_of_its_data() -> None:
    mappings: dict[str, Any] = {"properties": {"title": {"type": "text", "copy_to": ["all"]}}}
    migrations = {"7.0.0": lambda doc, ctx: doc}
    definition = SavedObjectsType(name="foo", mappings=mappings, migrations=migrations)
    mappings["properties"]["title"]["type"] = "keyword"
    migrations.clear()
    assert definition.mappings["properties"]["title"]["type"] == "text"
    assert definition.mappings["properties"]["title"]["copy_to"] == ("all",)
    assert "7.0.0" in definition.migrations  # type: ignore[operator]
    with pytest.raises(TypeError):
        definition.mappings["dynamic"] = "strict"  # type: ignore[index]
    with pytest.raises(AttributeError):
        definition.hidden = True  # type: ignore[misc]


def test_definitions_compare_by_value() -> None:
    assert SavedObjectsType(name="a", mappings={"properties": {}}) == SavedObjectsType(
        name="a", mappings={"properties": {}}
    )


def test_thaw_returns_plain_json() -> None:
    value = {"a": [1, {"b": (2, 3)}], "c": None}
    frozen = freeze_json(value)
    assert thaw_json(frozen) == {"a": [1, {"b": [2, 3]}], "c": None}
    assert type(thaw_json(frozen)["a"]) is list


def test_legacy_url_alias_type_matches_kibana() -> None:
    registry = SavedObjectTypeRegistry()
    registry.register(legacy_url_alias_type)
    registry.freeze()
    assert registry.is_namespace_agnostic(LEGACY_URL_ALIAS_TYPE)
    assert not registry.is_hidden(LEGACY_URL_ALIAS_TYPE)
    assert thaw_json(legacy_url_alias_type.mappings) == {
        "dynamic": False,
        "properties": {
            "sourceId": {"type": "keyword"},
            "targetNamespace": {"type": "keyword"},
            "targetType": {"type": "keyword"},
            "targetId": {"type": "keyword"},
            "resolveCounter": {"type": "long"},
            "disabled": {"type": "boolean"},
        },
    }
    assert legacy_url_alias_type.migrations is not None
    migration = legacy_url_alias_type.migrations["8.2.0"]  # type: ignore[index]
    doc = {"id": "a:b:c", "type": LEGACY_URL_ALIAS_TYPE, "attributes": {"sourceId": "c"}}
    assert migration(doc, None) == {  # type: ignore[operator]
        "id": "a:b:c",
        "type": LEGACY_URL_ALIAS_TYPE,
        "attributes": {"sourceId": "c", "purpose": "savedObjectConversion"},
    }
    assert doc["attributes"] == {"sourceId": "c"}  # the input is not mutated


def test_definitions_hash_by_name() -> None:
    definition = SavedObjectsType(name="a", mappings={"properties": {}})
    assert hash(definition) == hash("a")
    assert len({definition, SavedObjectsType(name="a", mappings={"properties": {}})}) == 1
