"""The typed ``SavedObject[AttributesT]`` model and its cheap construction path."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from kbn_saved_objects.serialization import (
    SavedObject,
    SavedObjectsSerializer,
    saved_object_from_doc,
)


class DashboardAttributes(BaseModel):
    title: str
    hits: int = 0


RAW: dict[str, Any] = {
    "_id": "space_1:single:dash-1",
    "_seq_no": 4,
    "_primary_term": 1,
    "_source": {
        "single": {"title": "My dashboard", "hits": 3},
        "type": "single",
        "references": [{"name": "panel_0", "type": "visualization", "id": "vis-1"}],
        "namespace": "space_1",
        "originId": "orig",
        "managed": False,
        "typeMigrationVersion": "10.2.0",
        "coreMigrationVersion": "8.8.0",
        "updated_at": "2024-01-01T00:00:00.000Z",
    },
}


def test_raw_to_saved_object(serializer: SavedObjectsSerializer) -> None:
    saved = serializer.raw_to_saved_object(RAW)
    assert type(saved) is SavedObject
    assert saved.id == "dash-1"
    assert saved.type == "single"
    assert saved.namespace == "space_1"
    assert saved.origin_id == "orig"
    assert saved.managed is False
    assert saved.type_migration_version == "10.2.0"
    assert saved.core_migration_version == "8.8.0"
    assert saved.version == "WzQsMV0="
    assert saved.references == RAW["_source"]["references"]
    assert saved.attributes is RAW["_source"]["single"]  # no copy
    assert saved.namespaces is None
    assert saved.migration_version is None


def test_attributes_model_validates_only_the_attributes(serializer: SavedObjectsSerializer) -> None:
    saved = serializer.raw_to_saved_object(RAW, attributes_model=DashboardAttributes)
    assert saved.attributes == DashboardAttributes(title="My dashboard", hits=3)
    assert saved.attributes.title == "My dashboard"
    assert type(saved) is SavedObject[DashboardAttributes]
    assert serializer.saved_object_to_raw(saved) == RAW
    bad = {**RAW, "_source": {**RAW["_source"], "single": {"hits": "many"}}}
    with pytest.raises(ValidationError):
        serializer.raw_to_saved_object(bad, attributes_model=DashboardAttributes)


def test_raw_without_attributes(serializer: SavedObjectsSerializer) -> None:
    raw = {"_id": "single:x", "_source": {"type": "single"}}
    saved = serializer.raw_to_saved_object(raw)
    assert saved.attributes is None
    assert "attributes" not in saved.model_fields_set
    assert serializer.saved_object_to_raw(saved) == {
        "_id": "single:x",
        "_source": {"type": "single", "references": []},
    }
    typed = serializer.raw_to_saved_object(raw, attributes_model=DashboardAttributes)
    assert typed.attributes is None


def test_construction_by_hand_validates_and_accepts_both_spellings() -> None:
    saved = SavedObject[DashboardAttributes].model_validate(
        {
            "id": "1",
            "type": "dashboard",
            "attributes": {"title": "t"},
            "originId": "a",
            "type_migration_version": "10.1.0",
        }
    )
    assert saved.attributes == DashboardAttributes(title="t")
    assert saved.origin_id == "a"
    assert saved.type_migration_version == "10.1.0"
    assert saved.references == []
    with pytest.raises(ValidationError):
        SavedObject[DashboardAttributes](id="1", type="d", attributes={"hits": 1})  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        SavedObject(id="1", type="d", attributes={}, unknown_field=1)  # type: ignore[call-arg]


def test_to_doc_uses_kibana_keys_and_drops_unset_values() -> None:
    saved = SavedObject[DashboardAttributes](
        id="1",
        type="dashboard",
        attributes=DashboardAttributes(title="t"),
        namespaces=[],
        migration_version={},
        managed=False,
    )
    assert saved.to_doc() == {
        "type": "dashboard",
        "id": "1",
        "namespaces": [],
        "attributes": {"title": "t", "hits": 0},
        "references": [],
        "managed": False,
        "migrationVersion": {},
    }


def test_explicit_none_attributes_are_written_as_null(serializer: SavedObjectsSerializer) -> None:
    saved = SavedObject[Any](id="x", type="single", attributes=None)
    assert saved.to_doc() == {"type": "single", "id": "x", "attributes": None, "references": []}
    assert serializer.saved_object_to_raw(saved)["_source"] == {
        "single": None,
        "type": "single",
        "references": [],
    }


def test_dump_by_alias() -> None:
    saved = saved_object_from_doc({"id": "1", "type": "t", "originId": "o", "attributes": {}})
    dumped = saved.model_dump(exclude_unset=True)
    assert dumped == {"id": "1", "type": "t", "originId": "o", "attributes": {}}
    assert saved == SavedObject(id="1", type="t", origin_id="o", attributes={})


def test_fast_construction_behaves_like_a_model() -> None:
    saved = saved_object_from_doc({"id": "1", "type": "t", "attributes": {"a": 1}})
    copy = saved.model_copy(update={"id": "2"})
    assert copy.id == "2"
    assert saved.id == "1"
    saved.namespace = "ns"
    assert "namespace" in saved.model_fields_set
    assert repr(saved).startswith(
        "SavedObject(id='1', type='t', attributes={'a': 1}, references=[]"
    )
    other = saved_object_from_doc({"id": "1", "type": "t", "attributes": {"a": 1}})
    other.references.append({"name": "n", "type": "t", "id": "i"})
    assert saved.references == []  # defaults are not shared
