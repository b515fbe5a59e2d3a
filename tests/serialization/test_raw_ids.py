"""Raw ids (spec 01 §6.2, §6.3) and the ids derived from them."""

from __future__ import annotations

import pytest

from kbn_saved_objects.errors import InvalidNamespaceError
from kbn_saved_objects.serialization import (
    IdPrefix,
    SavedObjectsSerializer,
    converted_object_id,
    generate_raw_id,
    legacy_url_alias_id,
    legacy_url_alias_raw_id,
    parse_id_prefix,
)
from kbn_saved_objects.types import SavedObjectTypeRegistry


@pytest.mark.parametrize(
    ("namespace", "type_name", "raw_id"),
    [
        (None, "single", "single:world"),
        ("", "single", "single:world"),
        ("foo", "single", "foo:single:world"),
        ("foo", "multiple", "multiple:world"),
        ("foo", "isolated", "isolated:world"),
        ("foo", "agnostic", "agnostic:world"),
        ("marketing", "unregistered", "marketing:unregistered:world"),
        ("a:b", "single", "a:b:single:world"),
    ],
)
def test_generate_raw_id(
    kinds_registry: SavedObjectTypeRegistry, namespace: str | None, type_name: str, raw_id: str
) -> None:
    assert generate_raw_id(kinds_registry, namespace, type_name, "world") == raw_id
    serializer = SavedObjectsSerializer(kinds_registry)
    assert serializer.generate_raw_id(namespace, type_name, "world") == raw_id


def test_legacy_url_alias_ids(serializer: SavedObjectsSerializer) -> None:
    assert legacy_url_alias_raw_id("foo", "bar", "baz") == "legacy-url-alias:foo:bar:baz"
    assert (
        serializer.generate_raw_legacy_url_alias_id(None, "dashboard", "abc")
        == "legacy-url-alias:default:dashboard:abc"
    )
    assert legacy_url_alias_id("space_1", "sharedtype", "x") == "space_1:sharedtype:x"
    assert legacy_url_alias_id(None, "sharedtype", "x") == "default:sharedtype:x"
    with pytest.raises(InvalidNamespaceError, match="namespace cannot be an empty string"):
        legacy_url_alias_raw_id("", "bar", "baz")


@pytest.mark.parametrize(
    ("namespace", "type_name", "object_id", "expected"),
    [
        (None, "type", "oldId", "oldId"),
        ("default", "type", "oldId", "oldId"),
        ("foo-namespace", "dog", "loud", "224f8923-5f80-51eb-ac95-1fc5e5a4a5b6"),
        ("marketing", "dashboard", "my-dash", "e5045a00-d354-57b7-bc97-a3a859d32e54"),
    ],
)
def test_converted_object_id(
    namespace: str | None, type_name: str, object_id: str, expected: str
) -> None:
    assert converted_object_id(namespace, type_name, object_id) == expected


@pytest.mark.parametrize(
    ("source_namespace", "type_name", "raw_id", "lax", "expected"),
    [
        (None, "single", "single:x", False, IdPrefix("single:", True, None)),
        ("ns", "single", "ns:single:x", False, IdPrefix("ns:single:", True, "ns")),
        ("ns", "single", "single:x", False, IdPrefix("ns:single:", False, "ns")),
        ("ns", "multiple", "multiple:x", False, IdPrefix("multiple:", True, None)),
        ("ns", "multiple", "ns:multiple:x", True, IdPrefix("ns:multiple:", True, "ns")),
        ("ns", "multiple", "multiple:x", True, IdPrefix("multiple:", True, None)),
        ("ns", "agnostic", "ns:agnostic:x", True, IdPrefix("agnostic:", False, None)),
        (None, "single", "single:", False, IdPrefix("single:", False, None)),
    ],
)
def test_parse_id_prefix(
    kinds_registry: SavedObjectTypeRegistry,
    source_namespace: str | None,
    type_name: str,
    raw_id: str,
    lax: bool,
    expected: IdPrefix,
) -> None:
    assert parse_id_prefix(kinds_registry, source_namespace, type_name, raw_id, lax=lax) == expected
