"""The ``accessControl`` root field: serializer, typed object, mappings.

The registry's side (its switch, the opt-in check) is in ``tests/types/test_access_control.py``.

Follows current Kibana ``main``:

* ``src/core/packages/saved-objects/base-server-internal/src/serialization/serializer.ts``
  (commit b7ff9eecf868b805260baba3a5f5150ff45a7e88) and its ``serializer.test.ts``
  (commit 04daf99fd27b81aa10830f191db75af3b2b1e419, ``describe('accessControl property')``
  and the ``#savedObjectToRaw`` accessControl cases): written when JS-truthy, read only
  while the registry has access control enabled -- a registry-wide switch, not the type's
  ``supportsAccessControl``;
* ``src/core/packages/saved-objects/migration-server-internal/src/core/build_active_mappings.ts``
  (commit 05c241b675745b0a0265d319e467efd5d8354fda): ``getBaseMappings`` ends with
  ``accessControl: {dynamic: 'false', properties: {owner: {type: 'keyword'}}}``.
"""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.mappings import EngineCapabilities, build_index_mappings
from kbn_saved_objects.serialization import (
    AccessControl,
    SavedObject,
    SavedObjectDoc,
    SavedObjectsSerializer,
    doc_to_raw,
    raw_to_doc,
    saved_object_from_doc,
)
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry

OWNED: AccessControl = {"owner": "my_user_id", "accessMode": "write_restricted"}


def registry(*, enabled: bool = True, **types: str) -> SavedObjectTypeRegistry:
    """``types``: name -> namespace type; ``multiple*`` types opt in to access control."""
    built = SavedObjectTypeRegistry(core_types=False, access_control_enabled=enabled)
    for name, namespace_type in (types or {"foo": "multiple"}).items():
        built.register(
            SavedObjectsType(
                name=name,
                namespace_type=namespace_type,  # type: ignore[arg-type]
                mappings={"dynamic": False, "properties": {}},
                supports_access_control=namespace_type.startswith("multiple"),
            )
        )
    return built.freeze()


def raw(source: dict[str, Any]) -> dict[str, Any]:
    return {"_id": "foo:bar", "_source": {"type": "foo", **source}}


# -- serializer.test.ts: #rawToSavedObject ----------------------------------------------


def test_read_when_access_control_is_enabled() -> None:
    doc = raw_to_doc(registry(enabled=True), raw({"accessControl": dict(OWNED)}))
    assert doc["accessControl"] == OWNED


def test_not_created_when_absent() -> None:
    assert "accessControl" not in raw_to_doc(registry(enabled=True), raw({}))


def test_stripped_when_access_control_is_disabled() -> None:
    doc = raw_to_doc(registry(enabled=False), raw({"accessControl": dict(OWNED)}))
    assert "accessControl" not in doc


@pytest.mark.parametrize("value", [None, "", 0, False])
def test_js_falsy_values_are_dropped(value: Any) -> None:
    assert "accessControl" not in raw_to_doc(registry(), raw({"accessControl": value}))


def test_an_empty_object_is_kept() -> None:
    # ``{}`` is truthy in JavaScript.
    assert raw_to_doc(registry(), raw({"accessControl": {}}))["accessControl"] == {}


def test_read_for_any_type_while_enabled() -> None:
    # Kibana asks the registry's switch, not the type: an unregistered or single type too.
    reg = registry(foo="multiple", solo="single")
    solo = {"_id": "solo:1", "_source": {"type": "solo", "accessControl": dict(OWNED)}}
    assert raw_to_doc(reg, solo)["accessControl"] == OWNED
    other = {"_id": "nope:1", "_source": {"type": "nope", "accessControl": dict(OWNED)}}
    assert raw_to_doc(reg, other)["accessControl"] == OWNED


def test_the_key_comes_last_after_version() -> None:
    source = {"accessControl": dict(OWNED), "updated_at": "T", "foo": {}}
    doc = raw_to_doc(registry(), {**raw(source), "_seq_no": 1, "_primary_term": 2})
    assert list(doc)[-2:] == ["version", "accessControl"]


# -- serializer.test.ts: #savedObjectToRaw ----------------------------------------------


def test_written_to_the_source() -> None:
    doc: SavedObjectDoc = {"id": "bar", "type": "foo", "attributes": {}, "accessControl": OWNED}
    source = doc_to_raw(registry(), doc)["_source"]
    assert source["accessControl"] == OWNED
    assert list(source)[-1] == "accessControl"


def test_not_written_when_unspecified() -> None:
    written = doc_to_raw(registry(), {"id": "bar", "type": "foo", "attributes": {}})
    assert "accessControl" not in written["_source"]
    assert "accessControl" not in written


def test_written_even_when_access_control_is_disabled() -> None:
    # Kibana's savedObjectToRaw does not consult the switch.
    doc: SavedObjectDoc = {"id": "bar", "type": "foo", "attributes": {}, "accessControl": OWNED}
    assert doc_to_raw(registry(enabled=False), doc)["_source"]["accessControl"] == OWNED


def test_round_trip() -> None:
    reg = registry()
    stored = raw({"foo": {"a": 1}, "references": [], "namespaces": ["default"]})
    stored["_source"]["accessControl"] = dict(OWNED)
    assert doc_to_raw(reg, raw_to_doc(reg, stored)) == stored


# -- the typed saved object --------------------------------------------------------------


def test_saved_object_carries_it_under_both_spellings() -> None:
    reg = registry()
    saved = SavedObjectsSerializer(reg).raw_to_saved_object(raw({"accessControl": dict(OWNED)}))
    assert saved.access_control == OWNED
    dumped = saved.model_dump(exclude_none=True)
    assert dumped["accessControl"] == OWNED
    assert list(saved.to_doc())[-1] == "accessControl"
    by_hand = SavedObject(id="1", type="foo", attributes={}, accessControl=OWNED)
    assert by_hand.access_control == OWNED
    assert SavedObjectsSerializer(reg).saved_object_to_raw(by_hand)["_source"]["accessControl"] == (
        OWNED
    )


def test_saved_object_from_doc_without_it() -> None:
    saved = saved_object_from_doc({"id": "1", "type": "foo", "attributes": {}})
    assert saved.access_control is None
    assert "accessControl" not in saved.to_doc()


# -- the root mapping, against the engine ------------------------------------------------


@pytest.mark.engine
def test_the_owner_is_indexed_and_the_access_mode_stored(
    kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    reg = registry(foo="multiple")
    capabilities = EngineCapabilities(supports_version_field=kbn_engine.info.supports_version_field)
    (mappings,) = build_index_mappings(reg, capabilities=capabilities).values()
    assert mappings["properties"]["accessControl"] == {
        "dynamic": "false",
        "properties": {"owner": {"type": "keyword"}},
    }
    index = f"{kbn_index_prefix}-so"
    kbn_engine.perform(rq.create_index(index, mappings=mappings))
    owned: SavedObjectDoc = {
        "id": "1",
        "type": "foo",
        "attributes": {},
        "namespaces": ["default"],
        "accessControl": OWNED,
    }
    written = doc_to_raw(reg, owned)
    kbn_engine.perform(
        rq.index_document(index, written["_source"], id=written["_id"], refresh=True)
    )

    def ids(query: dict[str, Any]) -> list[str]:
        found = kbn_engine.perform(rq.search({"query": query}, index=index))
        return [hit["_id"] for hit in found["hits"]["hits"]]

    assert ids({"term": {"accessControl.owner": "my_user_id"}}) == ["foo:1"]
    # ``dynamic: "false"``: the mode is kept in ``_source`` but not searchable.
    assert ids({"term": {"accessControl.accessMode": "write_restricted"}}) == []
    stored = kbn_engine.perform(rq.get_document(index, "foo:1"))
    assert raw_to_doc(reg, stored)["accessControl"] == OWNED
    live = kbn_engine.perform(rq.get_mapping(index))[index]["mappings"]
    assert live["properties"]["accessControl"] == mappings["properties"]["accessControl"]
