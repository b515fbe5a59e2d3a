"""Forward-compatibility schemas (spec 02 §2.3; Kibana's
``backward_conversion_schema.test.ts``): how a process reads a newer document."""

from __future__ import annotations

import re
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, BeforeValidator, ConfigDict, TypeAdapter
from typing_extensions import TypedDict

from kbn_saved_objects.errors import DocumentMigrationError, TypeRegistrationError
from kbn_saved_objects.migrations.document import DocumentMigrator
from kbn_saved_objects.migrations.document.forward_compatibility import (
    forward_compatibility_fn,
    pick_values_based_on_structure,
)
from kbn_saved_objects.types import ModelVersion, ModelVersionSchemas
from tests.migrations.document._registry import a_type, migrator_of, registry_of


def fc(schema: object) -> Any:
    return forward_compatibility_fn(schema, type_name="foo", model_version=1)


class Foo(BaseModel):
    foo: str | None = None


class StrictFoo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    foo: str | None = None


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "kb": 2**10, "mb": 2**20, "gb": 2**30}


def _parse_unit(value: Any) -> int:
    match = re.fullmatch(r"(\d+)([a-z]+)", value)
    assert match, value
    return int(match[1]) * _UNITS[match[2]]


Duration = Annotated[int, BeforeValidator(_parse_unit)]
ByteSize = Annotated[int, BeforeValidator(_parse_unit)]


class Sizes(BaseModel):
    durations: list[Duration]
    byteSize: ByteSize


def test_a_function_replaces_the_attributes() -> None:
    assert fc(lambda attrs: {"foo": attrs["foo"]})({"foo": "bar", "hello": "dolly"}) == {
        "foo": "bar"
    }


def test_a_model_keeps_known_fields() -> None:
    assert fc(Foo)({"foo": "bar", "hello": "dolly"}) == {"foo": "bar"}


def test_a_model_returns_original_values_not_coerced_ones() -> None:
    attributes = {"durations": ["1m", "4d"], "byteSize": "1gb", "excluded": True}
    assert fc(Sizes)(attributes) == {"durations": ["1m", "4d"], "byteSize": "1gb"}


def test_a_model_does_not_add_defaults() -> None:
    assert fc(Foo)({"hello": "dolly"}) == {}


def test_a_type_adapter_works_like_a_model() -> None:
    class Attributes(TypedDict, total=False):
        foo: str

    assert fc(TypeAdapter(Attributes))({"foo": "bar", "hello": "dolly"}) == {"foo": "bar"}


def test_nested_models_and_lists() -> None:
    class Panel(BaseModel):
        id: str

    class Dashboard(BaseModel):
        title: str
        panels: list[Panel]

    attributes = {"title": "t", "panels": [{"id": "1", "x": 0}, {"id": "2"}], "extra": 1}
    assert fc(Dashboard)(attributes) == {"title": "t", "panels": [{"id": "1"}, {"id": "2"}]}


def test_pick_values_based_on_structure() -> None:
    structure = {"a": 1, "b": [{"a": 1}, {"a": 2}]}
    original = {"a": 2, "b": [{"a": 2, "b": 3}, {"a": 3, "b": 4}]}
    assert pick_values_based_on_structure(structure, original) == {
        "a": 2,
        "b": [{"a": 2}, {"a": 3}],
    }


def test_empty_containers_are_leaves() -> None:
    assert pick_values_based_on_structure({"a": {}, "b": []}, {"a": {"x": 1}, "b": [1]}) == {
        "a": {},
        "b": [],
    }


def test_unknown_schema_forms_are_refused_when_the_migrator_is_built() -> None:
    definition = a_type(
        "foo",
        model_versions={
            1: ModelVersion(schemas=ModelVersionSchemas(forward_compatibility={"type": "object"}))
        },
    )
    with pytest.raises(TypeRegistrationError) as caught:
        DocumentMigrator(registry_of(definition))
    assert caught.value.message == (
        "Type foo: unknown forward compatibility schema for model version 1. Must be a "
        "pydantic model, a pydantic TypeAdapter or a function of the attributes."
    )


# -- applied by the migrator when it reads a newer document ------------------------------


def reader(schema: object) -> DocumentMigrator:
    return migrator_of(
        a_type(
            "foo",
            model_versions={
                1: ModelVersion(schemas=ModelVersionSchemas(forward_compatibility=schema))
            },
        )
    )


NEWER = {
    "id": "smelly",
    "type": "foo",
    "attributes": {"foo": "bar", "hello": "dolly"},
    "typeMigrationVersion": "10.2.0",
    "coreMigrationVersion": "8.8.0",
}


@pytest.mark.parametrize("schema", [Foo, lambda attrs: {"foo": attrs["foo"]}])
def test_reading_a_newer_document(schema: object) -> None:
    read = reader(schema).migrate(NEWER, allow_downgrade=True)  # type: ignore[arg-type]
    assert read == {**NEWER, "attributes": {"foo": "bar"}, "typeMigrationVersion": "10.1.0"}
    assert NEWER["attributes"] == {"foo": "bar", "hello": "dolly"}


def test_a_forbidding_model_fails_with_the_field_path() -> None:
    with pytest.raises(DocumentMigrationError) as caught:
        reader(StrictFoo).migrate(NEWER, allow_downgrade=True)  # type: ignore[arg-type]
    error = caught.value
    assert error.message == "[hello]: Extra inputs are not permitted"
    assert (error.type_name, error.object_id, error.version) == ("foo", "smelly", "10.1.0")
    assert error.__cause__ is error.original_error


def test_a_failing_function_propagates_its_message() -> None:
    def dang(attributes: Any) -> Any:
        raise ValueError("dang")

    with pytest.raises(DocumentMigrationError, match=r"^dang$") as caught:
        reader(dang).migrate(NEWER, allow_downgrade=True)  # type: ignore[arg-type]
    assert isinstance(caught.value.__cause__, ValueError)


def test_a_function_cannot_change_the_callers_attributes() -> None:
    def destructive(attributes: dict[str, Any]) -> dict[str, Any]:
        attributes.pop("hello")
        return attributes

    document = {**NEWER, "attributes": dict(NEWER["attributes"])}  # type: ignore[dict-item]
    read = reader(destructive).migrate(document, allow_downgrade=True)  # type: ignore[arg-type]
    assert read["attributes"] == {"foo": "bar"}
    assert document["attributes"] == {"foo": "bar", "hello": "dolly"}
