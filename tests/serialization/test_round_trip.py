"""Property: raw -> saved object -> raw gives back the same bytes (spec 01 §6.7).

For every namespace type, in the default space and in others, with ids, type names and
namespaces that contain ``:`` and non-ASCII text. Generated documents hold only known keys
and non-empty values (the property's precondition); ``references`` is always present since
the serializer defaults it.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kbn_saved_objects.serialization import SavedObjectsSerializer
from tests.serialization.conftest import registry_of

TYPES = {
    "single": "single",
    "endpoint:user-artifact-ü": "single",
    "multiple": "multiple",
    "shared:型": "multiple",
    "isolated": "multiple-isolated",
    "agnostic": "agnostic",
    "global:space": "agnostic",
}
SERIALIZER = SavedObjectsSerializer(registry_of(TYPES))


def dumps(value: Any) -> str:
    """The JSON text sent to the engine: key order included."""
    return json.dumps(value, ensure_ascii=False)


text = st.text(min_size=1, max_size=12)
colon_text = st.one_of(text, st.builds(lambda a, b: f"{a}:{b}", text, text))
json_leaf = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
json_value = st.recursive(
    json_leaf,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
reference = st.fixed_dictionaries({"name": st.text(), "type": colon_text, "id": colon_text})


@st.composite
def raw_documents(draw: st.DrawFn) -> dict[str, Any]:
    type_name = draw(st.sampled_from(sorted(TYPES)))
    kind = TYPES[type_name]
    object_id = draw(colon_text)
    source: dict[str, Any] = {
        type_name: draw(st.dictionaries(st.text(max_size=8), json_value, max_size=4)),
        "type": type_name,
        "references": draw(st.lists(reference, max_size=3)),
    }
    if draw(st.booleans()):
        source["managed"] = draw(st.booleans())
    namespace = draw(st.none() | colon_text) if kind == "single" else None
    if namespace is not None:
        source["namespace"] = namespace
    if kind in ("multiple", "multiple-isolated"):
        source["namespaces"] = draw(st.lists(st.sampled_from(["default", "*"]) | text, max_size=3))
    optional = {
        "originId": colon_text,
        "migrationVersion": st.dictionaries(text, text, max_size=2),
        "coreMigrationVersion": text,
        "typeMigrationVersion": st.text(max_size=8),
        "updated_at": text,
        "updated_by": text,
        "created_at": text,
        "created_by": text,
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            source[key] = draw(strategy)
    raw_id = f"{namespace}:{type_name}:{object_id}" if namespace else f"{type_name}:{object_id}"
    raw: dict[str, Any] = {"_id": raw_id, "_source": source}
    if draw(st.booleans()):
        raw["_seq_no"] = draw(st.integers(min_value=0, max_value=2**53))
        raw["_primary_term"] = draw(st.integers(min_value=1, max_value=2**31))
    return raw


@settings(max_examples=200)
@given(raw_documents())
def test_raw_to_doc_to_raw_is_byte_identical(raw: dict[str, Any]) -> None:
    assert SERIALIZER.is_raw_saved_object(raw)
    doc = SERIALIZER.raw_to_doc(raw)
    assert dumps(SERIALIZER.doc_to_raw(doc)) == dumps(raw)


@settings(max_examples=100)
@given(raw_documents())
def test_raw_to_saved_object_to_raw(raw: dict[str, Any]) -> None:
    saved = SERIALIZER.raw_to_saved_object(raw)
    assert saved.type == raw["_source"]["type"]
    assert saved.attributes is raw["_source"][saved.type]
    assert dumps(SERIALIZER.saved_object_to_raw(saved)) == dumps(raw)


@settings(max_examples=100)
@given(raw_documents())
def test_ids_and_namespaces_come_back(raw: dict[str, Any]) -> None:
    doc = SERIALIZER.raw_to_doc(raw)
    source = raw["_source"]
    namespace = source.get("namespace")
    assert SERIALIZER.generate_raw_id(namespace, doc["type"], doc["id"]) == raw["_id"]
    assert doc.get("namespace") == namespace
    assert doc.get("namespaces") == source.get("namespaces")
