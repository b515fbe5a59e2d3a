"""Kibana's ``SavedObjectsUtils`` helpers, as ``kbn_saved_objects`` exports them.

Ports ``src/core/packages/saved-objects/utils-server/src/saved_objects_utils.test.ts``
(commit 04eb32e8f47ff1406ec84edd35bbc3926fc47900) against ``saved_objects_utils.ts``
(commit 6d81b9b5de7724c2ce9a4bffb0c6437f4c20aeda). Kibana mocks the ``uuid`` module; here
the real values are checked instead. ``getName`` has no test in Kibana; its cases follow
the source. ``getMigrationFunction`` is not ported (see the module docstring).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from pydantic import BaseModel, Field

import kbn_saved_objects
from kbn_saved_objects import (
    InvalidNamespaceError,
    SavedObject,
    converted_object_id,
    create_empty_find_response,
    generate_id,
    is_random_id,
    namespace_id_to_string,
    namespace_string_to_id,
    saved_object_name,
)
from kbn_saved_objects.repository.results import FindResponse
from kbn_saved_objects.serialization.object_ids import FIND_DEFAULT_PAGE, FIND_DEFAULT_PER_PAGE

# -- #namespaceIdToString ----------------------------------------------------------------


def test_namespace_id_to_string() -> None:
    assert namespace_id_to_string(None) == "default"
    assert namespace_id_to_string("foo") == "foo"
    with pytest.raises(InvalidNamespaceError, match="namespace cannot be an empty string"):
        namespace_id_to_string("")


# -- #namespaceStringToId ----------------------------------------------------------------


def test_namespace_string_to_id() -> None:
    assert namespace_string_to_id("default") is None
    assert namespace_string_to_id("foo") == "foo"


@pytest.mark.parametrize("falsy", [None, ""])
def test_namespace_string_to_id_refuses_falsy_strings(falsy: str | None) -> None:
    with pytest.raises(InvalidNamespaceError, match="namespace must be a non-empty string"):
        namespace_string_to_id(falsy)


# -- #createEmptyFindResponse ------------------------------------------------------------


def test_create_empty_find_response() -> None:
    empty = create_empty_find_response()
    assert isinstance(empty, FindResponse)
    assert empty.model_dump(exclude_none=True) == {
        "page": 1,
        "per_page": 20,
        "total": 0,
        "saved_objects": [],
    }
    assert (FIND_DEFAULT_PAGE, FIND_DEFAULT_PER_PAGE) == (1, 20)


def test_create_empty_find_response_echoes_the_paging() -> None:
    assert create_empty_find_response(page=42).page == 42
    assert create_empty_find_response(per_page=42).per_page == 42


# -- #generateId / #isRandomId -----------------------------------------------------------


def test_generate_id_returns_a_v4_uuid() -> None:
    generated = generate_id()
    assert uuid.UUID(generated).version == 4
    assert str(uuid.UUID(generated)) == generated
    assert is_random_id(generated)
    assert generate_id() != generated


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        ("c4d82f66-3046-11eb-adc1-0242ac120002", True),  # Kibana's case (a v1 UUID)
        ("invalid", False),
        ("", False),
        (None, False),
        ("C4D82F66-3046-11EB-ADC1-0242AC120002", True),
        ("00000000-0000-0000-0000-000000000000", True),
        (str(uuid.uuid5(uuid.NAMESPACE_DNS, "x")), True),
        ("c4d82f66-3046-61eb-adc1-0242ac120002", False),  # version 6
        ("c4d82f66-3046-11eb-cdc1-0242ac120002", False),  # not the RFC 4122 variant
        ("c4d82f66304611ebadc10242ac120002", False),
        ("c4d82f66-3046-11eb-adc1-0242ac120002\n", False),
        (" c4d82f66-3046-11eb-adc1-0242ac120002", False),
        (uuid.UUID("c4d82f66-3046-11eb-adc1-0242ac120002"), False),  # not a string
    ],
)
def test_is_random_id(candidate: Any, expected: bool) -> None:
    assert is_random_id(candidate) is expected


# -- #getConvertedObjectId ---------------------------------------------------------------


@pytest.mark.parametrize("namespace", [None, "default"])
def test_converted_object_id_keeps_ids_of_the_default_space(namespace: str | None) -> None:
    assert converted_object_id(namespace, "type", "oldId") == "oldId"


def test_converted_object_id_elsewhere_is_the_uuid5_of_namespace_type_and_id() -> None:
    expected = str(uuid.uuid5(uuid.NAMESPACE_DNS, "namespace:type:oldId"))
    assert converted_object_id("namespace", "type", "oldId") == expected
    assert is_random_id(expected)


def test_converted_object_id_refuses_an_empty_namespace() -> None:
    with pytest.raises(InvalidNamespaceError, match="namespace cannot be an empty string"):
        converted_object_id("", "type", "oldId")


# -- getName -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attributes", "name_attribute", "expected"),
    [
        ({"name": "N", "title": "T"}, None, "N"),
        ({"title": "T"}, None, "T"),
        ({"name": None, "title": "T"}, None, "T"),
        ({}, None, ""),
        ({"label": "L", "name": "N"}, "label", "L"),
        ({"name": "N"}, "label", "N"),
        ({"label": None, "title": "T"}, "label", "T"),
        ({"label": ""}, "label", ""),  # an empty name is still the name (Kibana's ``??``)
        ({"name": "N"}, "", "N"),
        (None, None, ""),
    ],
)
def test_saved_object_name(
    attributes: dict[str, Any] | None, name_attribute: str | None, expected: str
) -> None:
    document = {"id": "1", "type": "t", "attributes": attributes}
    assert saved_object_name(document, name_attribute) == expected
    saved = SavedObject(id="1", type="t", attributes=attributes or {})
    assert saved_object_name(saved, name_attribute) == expected


def test_saved_object_name_reads_attribute_models_by_alias() -> None:
    class Attributes(BaseModel):
        display_name: str = Field(alias="displayName")

    saved = SavedObject[Attributes](id="1", type="t", attributes=Attributes(displayName="Shown"))
    assert saved_object_name(saved, "displayName") == "Shown"
    assert saved_object_name(saved) == ""


def test_the_helpers_are_public() -> None:
    for name in (
        "converted_object_id",
        "create_empty_find_response",
        "generate_id",
        "is_random_id",
        "namespace_id_to_string",
        "namespace_string_to_id",
        "saved_object_name",
    ):
        assert name in kbn_saved_objects.__all__
