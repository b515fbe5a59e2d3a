"""Model version <-> virtual version arithmetic (spec 02 §2.4, §5.1) and change records."""

from __future__ import annotations

import pytest

from kbn_saved_objects.errors import TypeRegistrationError, UnclassifiedError
from kbn_saved_objects.types import (
    DataBackfill,
    DataRemoval,
    MappingsAddition,
    MappingsDeprecation,
    ModelVersion,
    ModelVersionSchemas,
    UnsafeTransform,
    assert_valid_model_version,
    assert_valid_virtual_version,
    is_virtual_model_version,
    latest_mappings_model_version,
    latest_model_version,
    model_version_to_virtual_version,
    virtual_version_to_model_version,
)


@pytest.mark.parametrize(
    ("model_version", "virtual"), [(5, "10.5.0"), ("3", "10.3.0"), (0, "10.0.0"), (12, "10.12.0")]
)
def test_model_version_to_virtual_version(model_version: int | str, virtual: str) -> None:
    assert model_version_to_virtual_version(model_version) == virtual


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (9.4, "Model version must be an integer"),
        ("7.6", "Model version must be an integer"),
        ("foo", "Model version must be an integer"),
        (None, "Model version must be an integer"),
        (-4, "Model version cannot be negative"),
        ("-3", "Model version cannot be negative"),
    ],
)
def test_invalid_model_versions(value: object, message: str) -> None:
    with pytest.raises(TypeRegistrationError, match=f"^{message}$"):
        assert_valid_model_version(value)


def test_assert_valid_model_version() -> None:
    assert assert_valid_model_version("7") == 7
    assert assert_valid_model_version(0) == 0


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("10.0.0", True),
        ("10.7.0", True),
        ("10.12.0", True),
        ("9.2.0", False),
        ("10.7.1", False),
        ("11.2.0", False),
    ],
)
def test_is_virtual_model_version(version: str, expected: bool) -> None:
    assert is_virtual_model_version(version) is expected


@pytest.mark.parametrize("version", ["9.-2.0", "12.3.5.6.7", "dolly"])
def test_is_virtual_model_version_rejects_invalid_semver(version: str) -> None:
    with pytest.raises(UnclassifiedError, match=f"^Invalid semver: {version}$"):
        is_virtual_model_version(version)


@pytest.mark.parametrize(("version", "expected"), [("10.0.0", 0), ("10.7.0", 7), ("10.12.0", 12)])
def test_virtual_version_to_model_version(version: str, expected: int) -> None:
    assert virtual_version_to_model_version(version) == expected


@pytest.mark.parametrize("version", ["9.2.0", "11.3.0", "10.3.42"])
def test_virtual_version_to_model_version_rejects(version: str) -> None:
    with pytest.raises(UnclassifiedError, match=r"^Version is not a virtual model version$"):
        virtual_version_to_model_version(version)


def test_assert_valid_virtual_version() -> None:
    assert assert_valid_virtual_version("7.17.5") == "7.17.5"
    assert assert_valid_virtual_version("10.3.0") == "10.3.0"
    for invalid in ("foooo", "1.2.3.4.5.6.7"):
        with pytest.raises(UnclassifiedError, match=r"^Virtual versions must be valid semver"):
            assert_valid_virtual_version(invalid)


def test_latest_versions() -> None:
    addition = MappingsAddition(added_mappings={"a": {"type": "keyword"}})
    removal = DataRemoval(removed_attribute_paths=["b"])
    versions = {
        1: ModelVersion(),
        2: ModelVersion(changes=(addition,)),
        3: ModelVersion(changes=(removal,)),
    }
    assert latest_model_version(versions) == 3
    assert latest_model_version(None) == 0
    assert latest_model_version({}) == 0
    assert latest_mappings_model_version(versions) == 2
    assert latest_mappings_model_version({1: ModelVersion()}) == 0
    assert latest_mappings_model_version(None) == 0


def test_change_records_are_frozen_and_tagged() -> None:
    def backfill(doc: object, context: object) -> dict[str, object]:
        return {"attributes": {}}

    changes = (
        MappingsAddition(added_mappings={"a": {"type": "keyword", "copy_to": ["b"]}}),
        MappingsDeprecation(deprecated_mappings=["a.b"]),
        DataBackfill(backfill_fn=backfill),
        DataRemoval(removed_attribute_paths=["x.y"]),
        UnsafeTransform(transform_fn=backfill),
    )
    assert [change.kind for change in changes] == [
        "mappings_addition",
        "mappings_deprecation",
        "data_backfill",
        "data_removal",
        "unsafe_transform",
    ]
    addition = changes[0]
    assert isinstance(addition, MappingsAddition)
    assert addition.added_mappings["a"]["copy_to"] == ("b",)
    with pytest.raises(TypeError):
        addition.added_mappings["z"] = {}  # type: ignore[index]
    assert changes[1].deprecated_mappings == ("a.b",)
    version = ModelVersion(
        changes=list(changes),
        schemas=ModelVersionSchemas(forward_compatibility=dict, create={"type": "object"}),
    )
    assert version.changes == changes
    assert version.schemas is not None
    assert version.schemas.forward_compatibility is dict
