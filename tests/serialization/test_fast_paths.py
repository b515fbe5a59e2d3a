"""The serializer's hot-path shortcuts give what the plain rules give, on any raw document.

``raw_to_doc`` tests JavaScript truthiness with Python's own where the two agree (strings,
lists, ``None``) and encodes the version of ``int`` sequence numbers directly;
``saved_object_from_doc`` maps a document's keys to fields once per key order. The oracles
below are the straightforward versions: every value through ``js_truthy``, every version
through ``encode_version``, every key looked up.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kbn_saved_objects.errors import InvalidRawDocumentError
from kbn_saved_objects.serialization import doc_to_raw, raw_to_doc, saved_object_from_doc
from kbn_saved_objects.serialization._js import js_truthy
from kbn_saved_objects.serialization.raw_ids import generate_raw_id, parse_id_prefix
from kbn_saved_objects.serialization.versions import encode_int_version, encode_version
from tests.serialization.conftest import registry_of

TYPES = {"single": "single", "multiple": "multiple", "agnostic": "agnostic"}
REGISTRY = registry_of(TYPES)

# values whose JavaScript truthiness differs from Python's, and the usual ones
ODD = st.sampled_from([None, "", "x", 0, 1, 0.0, 2.5, math.nan, [], {}, [0], {"a": 1}, True, False])
KEYS = [
    "namespace",
    "namespaces",
    "originId",
    "references",
    "managed",
    "migrationVersion",
    "coreMigrationVersion",
    "typeMigrationVersion",
    "updated_at",
    "updated_by",
    "created_at",
    "created_by",
    "accessControl",
]


def reference_raw_to_doc(raw: Mapping[str, Any], compatibility: str) -> dict[str, Any]:
    """``raw_to_doc`` as the plain rules state it (its first version)."""
    raw_id = raw.get("_id")
    source = raw.get("_source")
    type_name = source.get("type") if isinstance(source, Mapping) else None
    if not js_truthy(type_name):
        raise InvalidRawDocumentError(f"Raw document '{raw_id}' is missing _source.type field")
    if not isinstance(type_name, str):
        raise InvalidRawDocumentError(
            "Expected saved object type to be a string but given "
            f"[{type(type_name).__name__}] with [{type_name}] value."
        )
    if not isinstance(raw_id, str):
        raise InvalidRawDocumentError(
            "Expected document id to be a string but given "
            f"[{type(raw_id).__name__}] with [{raw_id}] value."
        )
    assert isinstance(source, Mapping)
    parsed = parse_id_prefix(REGISTRY, source.get("namespace"), type_name, raw_id)
    if not parsed.matches:
        raise InvalidRawDocumentError(
            f"Raw document '{raw_id}' does not start with expected prefix '{parsed.prefix}'"
        )
    seq_no, primary_term = raw.get("_seq_no"), raw.get("_primary_term")
    version = (
        encode_version(seq_no, primary_term)
        if seq_no is not None or primary_term is not None
        else None
    )
    doc: dict[str, Any] = {"type": type_name, "id": raw_id[len(parsed.prefix) :]}
    if parsed.namespace and REGISTRY.is_single_namespace(type_name):
        doc["namespace"] = parsed.namespace
    if "namespaces" in source and REGISTRY.is_multi_namespace(type_name):
        doc["namespaces"] = source["namespaces"]
    if js_truthy(source.get("originId")):
        doc["originId"] = source["originId"]
    if type_name in source:
        doc["attributes"] = source[type_name]
    references = source.get("references")
    doc["references"] = references if js_truthy(references) else []
    if source.get("managed") is not None:
        doc["managed"] = source["managed"]
    type_migration_version = source.get("typeMigrationVersion")
    if "migrationVersion" in source:
        migration_version = source["migrationVersion"]
    elif compatibility == "compatible" and js_truthy(type_migration_version):
        migration_version = {type_name: type_migration_version}
    else:
        migration_version = None
    if js_truthy(migration_version):
        doc["migrationVersion"] = migration_version
    if js_truthy(source.get("coreMigrationVersion")):
        doc["coreMigrationVersion"] = source["coreMigrationVersion"]
    if type_migration_version is not None:
        doc["typeMigrationVersion"] = type_migration_version
    for key in ("updated_at", "updated_by", "created_at", "created_by"):
        if js_truthy(source.get(key)):
            doc[key] = source[key]
    if version:
        doc["version"] = version
    if js_truthy(source.get("accessControl")) and REGISTRY.is_access_control_enabled():
        doc["accessControl"] = source["accessControl"]
    return doc


@st.composite
def raw_documents(draw: st.DrawFn) -> dict[str, Any]:
    type_name = draw(st.sampled_from([*TYPES, "", None, 3, "unknown"]))
    source: dict[str, Any] = {"type": type_name}
    if draw(st.booleans()) and isinstance(type_name, str):
        source[type_name] = {"title": "t"}
    for key in KEYS:
        if draw(st.booleans()):
            source[key] = draw(ODD | st.just("space-a"))
    prefix = draw(st.sampled_from(["", "space-a:", "default:"]))
    raw: dict[str, Any] = {
        "_id": draw(
            st.sampled_from([f"{prefix}{type_name}:an-id", f"{type_name}:", f"{type_name}x:a", 7])
        ),
        "_source": source,
    }
    for key in ("_seq_no", "_primary_term"):
        if draw(st.integers(0, 3)):
            raw[key] = draw(st.sampled_from([0, 1, 42, -1, 2.0, 2.5, True, "3", None]))
    return raw


def _outcome(call: Any) -> Any:
    try:
        return ("ok", call())
    except InvalidRawDocumentError as error:
        return ("error", str(error))


@settings(max_examples=500, deadline=None)
@given(raw_documents(), st.sampled_from(["raw", "compatible"]))
def test_raw_to_doc_follows_the_plain_rules(raw: dict[str, Any], compatibility: Any) -> None:
    got = _outcome(lambda: raw_to_doc(REGISTRY, raw, migration_version_compatibility=compatibility))
    assert got == _outcome(lambda: reference_raw_to_doc(raw, compatibility))
    if got[0] == "ok":
        assert list(got[1]) == list(reference_raw_to_doc(raw, compatibility))  # key order


@given(st.integers(-(2**63), 2**63), st.integers(-(2**63), 2**63))
def test_int_versions_encode_like_any_version(seq_no: int, primary_term: int) -> None:
    assert encode_int_version(seq_no, primary_term) == encode_version(seq_no, primary_term)


DOC_KEYS = ["type", "id", "namespace", "namespaces", "originId", "attributes", "references"]
DOC_KEYS += ["managed", "version", "updated_at", "coreMigrationVersion", "error", "unknown"]


@given(st.permutations(DOC_KEYS).flatmap(lambda keys: st.lists(st.sampled_from(keys), unique=True)))
def test_saved_objects_from_any_key_order(keys: list[str]) -> None:
    doc: Any = {key: f"value of {key}" for key in keys}
    for _ in range(2):  # the second one takes the cached key order
        saved = saved_object_from_doc(doc)
        expected = {
            name: value
            for name, value in {
                "type": doc.get("type"),
                "id": doc.get("id"),
                "namespace": doc.get("namespace"),
                "namespaces": doc.get("namespaces"),
                "origin_id": doc.get("originId"),
                "attributes": doc.get("attributes"),
                "managed": doc.get("managed"),
                "version": doc.get("version"),
                "updated_at": doc.get("updated_at"),
                "core_migration_version": doc.get("coreMigrationVersion"),
                "error": doc.get("error"),
            }.items()
        }
        assert {name: getattr(saved, name) for name in expected} == expected
        assert saved.references == doc.get("references", [])
        known = {key for key in keys if key != "unknown"}
        assert len(saved.model_fields_set) == len(known)


def reference_doc_to_raw(doc: Mapping[str, Any]) -> dict[str, Any]:
    """``doc_to_raw`` as the plain rules state it (its first version)."""
    type_name = doc["type"]
    single = REGISTRY.is_single_namespace(type_name)
    source: dict[str, Any] = {}
    if "attributes" in doc:
        source[type_name] = doc["attributes"]
    source["type"] = type_name
    if "references" in doc:
        source["references"] = doc["references"]
    if doc.get("managed") is not None:
        source["managed"] = doc["managed"]
    namespace = doc.get("namespace")
    if js_truthy(namespace) and single:
        source["namespace"] = namespace
    if js_truthy(doc.get("namespaces")) and REGISTRY.is_multi_namespace(type_name):
        source["namespaces"] = doc["namespaces"]
    for key in ("originId", "migrationVersion", "coreMigrationVersion"):
        if js_truthy(doc.get(key)):
            source[key] = doc[key]
    if doc.get("typeMigrationVersion") is not None:
        source["typeMigrationVersion"] = doc["typeMigrationVersion"]
    for key in ("updated_at", "updated_by", "created_at", "created_by"):
        if js_truthy(doc.get(key)):
            source[key] = doc[key]
    if js_truthy(doc.get("accessControl")):
        source["accessControl"] = doc["accessControl"]
    raw_id = generate_raw_id(REGISTRY, namespace, type_name, doc["id"])
    return {"_id": raw_id, "_source": source}


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    doc: dict[str, Any] = {"type": draw(st.sampled_from([*TYPES, "unknown"])), "id": "an-id"}
    for key in ["attributes", *KEYS]:
        if draw(st.booleans()):
            doc[key] = draw(ODD | st.just("space-a"))
    return doc


@settings(max_examples=300, deadline=None)
@given(documents())
def test_doc_to_raw_follows_the_plain_rules(doc: dict[str, Any]) -> None:
    raw = doc_to_raw(REGISTRY, doc)  # type: ignore[arg-type]
    expected = reference_doc_to_raw(doc)
    assert raw == expected
    assert list(raw["_source"]) == list(expected["_source"])  # key order
