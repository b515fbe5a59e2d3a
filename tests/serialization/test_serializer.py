"""Kibana's serializer rules, case by case (spec 01 §6.4-6.6, from serializer.test.ts)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kbn_saved_objects.errors import InvalidRawDocumentError, InvalidVersionError
from kbn_saved_objects.serialization import (
    NamespaceTreatment,
    SavedObjectDoc,
    SavedObjectsSerializer,
    doc_to_raw,
    is_raw_saved_object,
    raw_to_doc,
)
from kbn_saved_objects.serialization._js import js_truthy
from kbn_saved_objects.types import SavedObjectTypeRegistry
from tests.serialization.conftest import registry_of


def registry_with(kind: str, name: str = "hello") -> SavedObjectTypeRegistry:
    return registry_of({name: kind})


# (kind of `hello`, _id, _source without attributes, lax, expected) -- spec 01 §6.4.
IS_RAW_SAVED_OBJECT = [
    ("single", "hello:world", {"type": "hello"}, False, True),
    ("single", "world", {"type": "hello"}, False, False),
    ("single", "helloworld", {"type": "hello"}, False, False),
    ("single", "hello:world", {}, False, False),
    ("single", "hello:world", {"type": "jam"}, False, False),
    ("single", "foo:hello:world", {"type": "hello", "namespace": "foo"}, False, True),
    ("single", "hello:world", {"type": "hello", "namespace": "foo"}, False, False),
    ("single", "foo:world", {"type": "hello", "namespace": "foo"}, False, False),
    ("single", "bar:jam:world", {"type": "jam", "namespace": "foo"}, False, False),
    ("multiple", "hello:world", {"type": "hello", "namespace": "foo"}, False, True),
    ("multiple", "foo:hello:world", {"type": "hello", "namespace": "foo"}, False, False),
    ("multiple", "foo:hello:world", {"type": "hello", "namespace": "foo"}, True, True),
    ("multiple-isolated", "foo:hello:world", {"type": "hello", "namespace": "foo"}, True, True),
    ("agnostic", "hello:world", {"type": "hello", "namespace": "foo"}, False, True),
    ("agnostic", "foo:hello:world", {"type": "hello", "namespace": "foo"}, False, False),
    ("agnostic", "foo:hello:world", {"type": "hello", "namespace": "foo"}, True, False),
]


@pytest.mark.parametrize(("kind", "raw_id", "source", "lax", "expected"), IS_RAW_SAVED_OBJECT)
def test_is_raw_saved_object(
    kind: str, raw_id: str, source: dict[str, Any], lax: bool, expected: bool
) -> None:
    raw = {"_id": raw_id, "_source": {**source, "hello": {}}}
    treatment: NamespaceTreatment = "lax" if lax else "strict"
    registry = registry_with(kind)
    assert is_raw_saved_object(registry, raw, namespace_treatment=treatment) is expected
    assert (
        SavedObjectsSerializer(registry).is_raw_saved_object(raw, namespace_treatment=treatment)
        is expected
    )


def test_attributes_are_not_required() -> None:
    assert is_raw_saved_object(
        registry_with("single"), {"_id": "hello:world", "_source": {"type": "hello"}}
    )


@pytest.mark.parametrize(
    "raw",
    [
        {},
        {"_id": "hello:world"},
        {"_id": "hello:world", "_source": None},
        {"_id": 5, "_source": {"type": "hello"}},
    ],
)
def test_is_raw_saved_object_never_raises(raw: dict[str, Any]) -> None:
    assert is_raw_saved_object(registry_with("single"), raw) is False


FULL_RAW: dict[str, Any] = {
    "_id": "hello:world",
    "_seq_no": 3,
    "_primary_term": 1,
    "_source": {
        "type": "hello",
        "hello": {"a": "b", "c": "d"},
        "migrationVersion": {"hello": "1.2.3", "acl": "33.3.5"},
        "updated_at": "2024-01-01T00:00:00.000Z",
        "banjo": "ignored",
    },
}


def test_raw_to_doc_full_example() -> None:
    doc = raw_to_doc(registry_with("single"), FULL_RAW)
    assert doc == {
        "type": "hello",
        "id": "world",
        "attributes": {"a": "b", "c": "d"},
        "references": [],
        "migrationVersion": {"hello": "1.2.3", "acl": "33.3.5"},
        "updated_at": "2024-01-01T00:00:00.000Z",
        "version": "WzMsMV0=",
    }
    assert list(doc) == [
        "type",
        "id",
        "attributes",
        "references",
        "migrationVersion",
        "updated_at",
        "version",
    ]
    assert doc["attributes"] is FULL_RAW["_source"]["hello"]  # passed through, not copied


def test_single_namespace_document() -> None:
    raw = {"_id": "baz:foo:bar", "_source": {"type": "foo", "namespace": "baz"}}
    assert raw_to_doc(registry_with("single", "foo"), raw) == {
        "type": "foo",
        "id": "bar",
        "namespace": "baz",
        "references": [],
    }


ALL_ROOT_FIELDS: dict[str, Any] = {
    "originId": "origin",
    "managed": False,
    "coreMigrationVersion": "8.8.0",
    "typeMigrationVersion": "10.1.0",
    "updated_at": "U",
    "updated_by": "u1",
    "created_at": "C",
    "created_by": "u2",
    "references": [{"name": "r", "type": "t", "id": "1"}],
}


@pytest.mark.parametrize(
    ("kind", "namespace_kept", "namespaces_kept"),
    [
        ("single", True, False),
        ("multiple", False, True),
        ("multiple-isolated", False, True),
        ("agnostic", False, False),
    ],
)
def test_namespace_fields_follow_the_namespace_type(
    kind: str, namespace_kept: bool, namespaces_kept: bool
) -> None:
    raw_id = "ns:hello:world" if kind == "single" else "hello:world"
    source = {"type": "hello", "namespace": "ns", "namespaces": ["ns"], **ALL_ROOT_FIELDS}
    doc = raw_to_doc(registry_with(kind), {"_id": raw_id, "_source": source})
    assert ("namespace" in doc) is namespace_kept
    assert ("namespaces" in doc) is namespaces_kept
    assert {k: v for k, v in doc.items() if k in ALL_ROOT_FIELDS} == ALL_ROOT_FIELDS
    assert "attributes" not in doc


@pytest.mark.parametrize(
    ("source_extra", "expected_extra"),
    [
        ({"references": None}, {"references": []}),
        ({"references": ""}, {"references": []}),
        ({"references": []}, {"references": []}),
        ({"migrationVersion": {}}, {"references": [], "migrationVersion": {}}),
        ({"migrationVersion": None}, {"references": []}),
        ({"coreMigrationVersion": ""}, {"references": []}),
        ({"typeMigrationVersion": ""}, {"references": [], "typeMigrationVersion": ""}),
        ({"typeMigrationVersion": None}, {"references": []}),
        ({"managed": False}, {"references": [], "managed": False}),
        ({"managed": None}, {"references": []}),
        ({"originId": ""}, {"references": []}),
        ({"updated_at": ""}, {"references": []}),
        ({"hello": None}, {"attributes": None, "references": []}),
        ({"hello": {}}, {"attributes": {}, "references": []}),
    ],
)
def test_raw_to_doc_uses_javascript_truthiness(
    source_extra: dict[str, Any], expected_extra: dict[str, Any]
) -> None:
    raw = {"_id": "hello:world", "_source": {"type": "hello", **source_extra}}
    doc = raw_to_doc(registry_with("single"), raw)
    assert doc == {"type": "hello", "id": "world", **expected_extra}


def test_multi_namespace_keeps_namespaces_as_stored() -> None:
    registry = registry_with("multiple")
    for namespaces in ([], ["*"], None):
        raw = {"_id": "hello:world", "_source": {"type": "hello", "namespaces": namespaces}}
        assert raw_to_doc(registry, raw)["namespaces"] == namespaces


@pytest.mark.parametrize(
    ("source", "compatibility", "expected"),
    [
        ({"typeMigrationVersion": "1.2.3"}, "compatible", {"foo": "1.2.3"}),
        ({"typeMigrationVersion": "1.2.3"}, "raw", None),
        (
            {"typeMigrationVersion": "1.2.3", "migrationVersion": {"foo": "1.0.0"}},
            "compatible",
            {"foo": "1.0.0"},
        ),
        ({}, "compatible", None),
        ({"typeMigrationVersion": ""}, "compatible", None),
        ({"typeMigrationVersion": "1.2.3", "migrationVersion": None}, "compatible", None),
    ],
)
def test_migration_version_compatibility(
    source: dict[str, Any], compatibility: Any, expected: dict[str, str] | None
) -> None:
    raw = {"_id": "foo:bar", "_source": {"type": "foo", **source}}
    doc = raw_to_doc(
        registry_with("single", "foo"), raw, migration_version_compatibility=compatibility
    )
    assert doc.get("migrationVersion") == expected


@pytest.mark.parametrize(
    ("raw_id", "namespace", "expected_id", "expected_namespace"),
    [
        ("foo:bar", None, "bar", None),
        ("baz:foo:bar", "baz", "bar", "baz"),
        ("foo:foo:bar", "foo", "bar", "foo"),
        ("foo:foo:", "foo", "foo:", None),
    ],
)
def test_lax_mode_for_multi_namespace_types(
    raw_id: str, namespace: str | None, expected_id: str, expected_namespace: str | None
) -> None:
    source: dict[str, Any] = {"type": "foo", "namespace": namespace or "baz"}
    if namespace is None:
        source["namespace"] = "baz"
    doc = raw_to_doc(
        registry_with("multiple", "foo"),
        {"_id": raw_id, "_source": source},
        namespace_treatment="lax",
    )
    assert doc["id"] == expected_id
    assert doc.get("namespace") == expected_namespace


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"_id": "foo:bar", "_seq_no": 4, "_source": {"type": "foo"}},
            "_primary_term from elasticsearch must be an integer",
        ),
        (
            {"_id": "foo:bar", "_primary_term": 1, "_source": {"type": "foo"}},
            "_seq_no from elasticsearch must be an integer",
        ),
        (
            {"_id": "universe", "_source": {"type": "foo"}},
            "Raw document 'universe' does not start with expected prefix 'foo:'",
        ),
        (
            {"_id": "foo:universe", "_source": {"foo": {}}},
            "Raw document 'foo:universe' is missing _source.type field",
        ),
        (
            {"_id": "foo:universe", "_source": {"type": ""}},
            "Raw document 'foo:universe' is missing _source.type field",
        ),
        ({"_id": "foo:universe"}, "Raw document 'foo:universe' is missing _source.type field"),
        (
            {"_id": "5:x", "_source": {"type": 5}},
            "Expected saved object type to be a string but given [int] with [5] value.",
        ),
        (
            {"_id": None, "_source": {"type": "foo"}},
            "Expected document id to be a string but given [NoneType] with [None] value.",
        ),
        (
            {"_id": "", "_source": {"type": "foo"}},
            "Raw document '' does not start with expected prefix 'foo:'",
        ),
        (
            {"_id": "foo:bar", "_source": {"type": "foo", "namespace": "baz"}},
            "Raw document 'foo:bar' does not start with expected prefix 'baz:foo:'",
        ),
    ],
)
def test_raw_to_doc_errors(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidRawDocumentError) as caught:
        raw_to_doc(registry_with("single", "foo"), raw)
    assert caught.value.message == message


def test_doc_to_raw_single_namespace_example() -> None:
    doc: SavedObjectDoc = {
        "id": "bar",
        "type": "foo",
        "namespace": "foo-namespace",
        "attributes": {"meaning": 42},
        "references": [],
        "migrationVersion": {"foo": "1.2.3"},
        "coreMigrationVersion": "4.5.6",
        "originId": "baz",
        "updated_at": "T",
        "version": "WzQyLDI0XQ==",
    }
    raw = doc_to_raw(registry_with("single", "foo"), doc)
    assert raw == {
        "_id": "foo-namespace:foo:bar",
        "_seq_no": 42,
        "_primary_term": 24,
        "_source": {
            "foo": {"meaning": 42},
            "type": "foo",
            "references": [],
            "namespace": "foo-namespace",
            "originId": "baz",
            "migrationVersion": {"foo": "1.2.3"},
            "coreMigrationVersion": "4.5.6",
            "updated_at": "T",
        },
    }
    assert list(raw["_source"]) == [
        "foo",
        "type",
        "references",
        "namespace",
        "originId",
        "migrationVersion",
        "coreMigrationVersion",
        "updated_at",
    ]


def test_doc_to_raw_multi_and_agnostic_examples() -> None:
    registry = registry_of({"index-pattern": "multiple", "space": "agnostic"})
    multi = doc_to_raw(
        registry,
        {
            "id": "1",
            "type": "index-pattern",
            "namespace": "bar",
            "namespaces": ["default", "marketing"],
            "attributes": {},
            "references": [],
        },
    )
    assert multi["_id"] == "index-pattern:1"
    assert multi["_source"]["namespaces"] == ["default", "marketing"]
    assert "namespace" not in multi["_source"]
    agnostic = doc_to_raw(
        registry,
        {
            "id": "marketing",
            "type": "space",
            "namespace": "x",
            "namespaces": ["x"],
            "attributes": {},
        },
    )
    assert agnostic == {"_id": "space:marketing", "_source": {"space": {}, "type": "space"}}


@pytest.mark.parametrize(
    ("doc_extra", "expected_source"),
    [
        ({}, {"type": "hello"}),  # absent attributes and references stay absent
        (
            {"attributes": None, "references": None},
            {"hello": None, "type": "hello", "references": None},
        ),
        ({"namespaces": []}, {"type": "hello"}),  # single type: namespaces dropped
        ({"migrationVersion": {}}, {"type": "hello", "migrationVersion": {}}),
        ({"typeMigrationVersion": ""}, {"type": "hello", "typeMigrationVersion": ""}),
        ({"coreMigrationVersion": ""}, {"type": "hello"}),
        ({"managed": False}, {"type": "hello", "managed": False}),
        ({"managed": None}, {"type": "hello"}),
        ({"originId": ""}, {"type": "hello"}),
        ({"namespace": ""}, {"type": "hello"}),
        (
            {"updated_at": "U", "updated_by": "a", "created_at": "C", "created_by": "b"},
            {
                "type": "hello",
                "updated_at": "U",
                "updated_by": "a",
                "created_at": "C",
                "created_by": "b",
            },
        ),
        ({"version": None}, {"type": "hello"}),
    ],
)
def test_doc_to_raw_uses_javascript_truthiness(
    doc_extra: dict[str, Any], expected_source: dict[str, Any]
) -> None:
    doc: Any = {"id": "world", "type": "hello", **doc_extra}
    raw = doc_to_raw(registry_with("single"), doc)
    assert raw == {"_id": "hello:world", "_source": expected_source}
    assert list(raw["_source"]) == list(expected_source)


def test_multi_namespace_empty_namespaces_are_kept() -> None:
    raw = doc_to_raw(registry_with("multiple"), {"id": "w", "type": "hello", "namespaces": []})
    assert raw["_source"]["namespaces"] == []


@pytest.mark.parametrize("version", ["", "foo", "[1,4]"])
def test_doc_to_raw_rejects_invalid_versions(version: str) -> None:
    with pytest.raises(InvalidVersionError, match=rf"^Invalid version \[{re.escape(version)}\]$"):
        doc_to_raw(registry_with("single"), {"id": "w", "type": "hello", "version": version})


def test_complementary_with_saved_object_to_raw() -> None:
    registry = registry_with("single", "foo")
    raw = {
        "_id": "foo-namespace:foo:bar",
        "_seq_no": 42,
        "_primary_term": 24,
        "_source": {
            "foo": {"meaning": 42},
            "type": "foo",
            "references": [{"name": "a", "type": "b", "id": "c"}],
            "namespace": "foo-namespace",
            "originId": "baz",
            "migrationVersion": {"foo": "1.2.3"},
            "coreMigrationVersion": "4.5.6",
            "updated_at": "T",
        },
    }
    assert doc_to_raw(registry, raw_to_doc(registry, raw)) == raw


@pytest.mark.parametrize(
    ("value", "truthy"),
    [
        (None, False),
        (False, False),
        (0, False),
        (0.0, False),
        (float("nan"), False),
        ("", False),
        (True, True),
        (1, True),
        ("0", True),
        ({}, True),
        ([], True),
    ],
)
def test_js_truthy(value: object, truthy: bool) -> None:
    assert js_truthy(value) is truthy
