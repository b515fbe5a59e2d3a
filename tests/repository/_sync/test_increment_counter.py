# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""increment_counter on the real engine: script + upsert, validation (spec 03 §2.13)."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.errors import (
    BadRequestError,
    ConflictError,
    UnclassifiedError,
)
from kbn_saved_objects.repository import SavedObjectsRepository
from kbn_saved_objects.types import (
    LEGACY_URL_ALIAS_TYPE,
    SavedObjectsType,
    SavedObjectTypeRegistry,
)
from tests.repository.conftest import (
    AGNOSTIC,
    HIDDEN,
    MULTIPLE,
    MULTIPLE_ISOLATED,
    NAMESPACE_TYPES,
    SINGLE,
)

pytestmark = pytest.mark.engine

BAD_FIELDS = (
    '"counterFields" argument must be of type '
    "Array<string | { incrementBy?: number; fieldName: string }>"
)


@pytest.fixture
def registry() -> SavedObjectTypeRegistry:
    """The conftest's namespace types with ``dynamic: false`` attributes, so that counters
    of any name can be stored (the index itself is ``strict``)."""
    mappings = {"dynamic": False, "properties": {"title": {"type": "text"}}}
    registry = SavedObjectTypeRegistry()
    for name, namespace_type in NAMESPACE_TYPES.items():
        registry.register(
            SavedObjectsType(name=name, namespace_type=namespace_type, mappings=mappings)
        )
    registry.register(
        SavedObjectsType(name=HIDDEN, namespace_type="single", hidden=True, mappings=mappings)
    )
    return registry.freeze()


@pytest.mark.parametrize(
    ("type_name", "namespaces"),
    [(SINGLE, None), (MULTIPLE, ["a"]), (MULTIPLE_ISOLATED, ["a"]), (AGNOSTIC, None)],
)
def test_upsert_then_increment(
    repository: SavedObjectsRepository, type_name: str, namespaces: list[str] | None
) -> None:
    repo = repository
    first = repo.increment_counter(
        type_name,
        "c",
        ["hits", {"field_name": "bytes", "increment_by": 5}],
        namespace="a",
        upsert_attributes={"title": "counters", "hits": 100},
    )
    # counters override upsert attributes; a new counter starts at its increment
    assert first.attributes == {"title": "counters", "hits": 1, "bytes": 5}
    assert first.namespaces == namespaces
    assert first.managed is None
    assert first.references == []
    second = repo.increment_counter(
        type_name, "c", ["hits", {"fieldName": "bytes", "incrementBy": 10}, "new"], namespace="a"
    )
    assert second.attributes == {"title": "counters", "hits": 2, "bytes": 15, "new": 1}
    assert second.version != first.version
    got = repo.get(type_name, "c", namespace="a")
    assert got.attributes == second.attributes
    assert got.updated_at == second.updated_at


def test_kibana_example(repository: SavedObjectsRepository) -> None:
    repo = repository
    repo.create(SINGLE, {"buildNum": 8467}, id="one")
    result = repo.increment_counter(
        SINGLE, "one", ["buildNum", {"field_name": "apiCalls", "increment_by": 5}]
    )
    assert result.attributes == {"buildNum": 8468, "apiCalls": 5}


def test_initialize_creates_zeroes_and_keeps_counts(
    repository: SavedObjectsRepository,
) -> None:
    repo = repository
    created = repo.increment_counter(SINGLE, "i", ["a", "b"], initialize=True, managed=True)
    assert created.attributes == {"a": 0, "b": 0}
    assert created.managed is True
    repo.increment_counter(SINGLE, "i", ["a"])
    again = repo.increment_counter(SINGLE, "i", ["a", "b", "c"], initialize=True)
    assert again.attributes == {"a": 1, "b": 0, "c": 0}
    assert (repo.get(SINGLE, "i")).managed is True


def test_every_increment_is_counted(
    repository: SavedObjectsRepository,
) -> None:
    repo = repository
    for _ in range(10):
        repo.increment_counter(SINGLE, "n", ["n"], refresh=False)
    assert (repo.get(SINGLE, "n")).attributes == {"n": 10}


def test_shared_object_outside_the_namespace_conflicts(
    repository: SavedObjectsRepository,
) -> None:
    repo = repository
    repo.create(MULTIPLE, {"n": 1}, id="s", namespace="a")
    with pytest.raises(ConflictError) as caught:
        repo.increment_counter(MULTIPLE, "s", ["n"], namespace="b")
    assert caught.value.message == "Saved object [shared/s] conflict"
    shared = repo.increment_counter(MULTIPLE, "s", ["n"], namespace="a")
    assert shared.attributes == {"n": 2}


def test_alias_blocks_the_upsert(repository: SavedObjectsRepository) -> None:
    repo = repository
    repo.create(
        LEGACY_URL_ALIAS_TYPE,
        {"sourceId": "old", "targetNamespace": "a", "targetType": MULTIPLE, "targetId": "x"},
        id=f"a:{MULTIPLE}:old",
    )
    with pytest.raises(ConflictError):
        repo.increment_counter(MULTIPLE, "old", ["n"], namespace="a")


@pytest.mark.parametrize(
    ("type_name", "object_id", "fields", "options", "error", "message"),
    [
        (42, "x", ["n"], {}, UnclassifiedError, '"type" argument must be a string'),
        (SINGLE, "x", "n", {}, UnclassifiedError, BAD_FIELDS),
        (SINGLE, "x", [1], {}, UnclassifiedError, BAD_FIELDS),
        (SINGLE, "x", [{"incrementBy": 1}], {}, UnclassifiedError, BAD_FIELDS),
        (SINGLE, "x", [{"fieldName": "n", "incrementBy": "2"}], {}, UnclassifiedError, BAD_FIELDS),
        (SINGLE, "x", {"fieldName": "n"}, {}, UnclassifiedError, BAD_FIELDS),
        # field checks come before the type check
        ("unknown", "x", "n", {}, UnclassifiedError, BAD_FIELDS),
        (
            "unknown",
            "x",
            ["n"],
            {},
            BadRequestError,
            "Unsupported saved object type: 'unknown': Bad Request",
        ),
        (
            HIDDEN,
            "x",
            ["n"],
            {},
            BadRequestError,
            "Unsupported saved object type: 'hiddentype': Bad Request",
        ),
        (
            SINGLE,
            "a/b",
            ["n"],
            {},
            BadRequestError,
            "Invalid saved object ID: IDs cannot contain '/'.: Bad Request",
        ),
        (SINGLE, "", ["n"], {}, BadRequestError, "id cannot be empty: Bad Request"),
        (
            SINGLE,
            "x",
            ["n"],
            {"namespace": "*"},
            BadRequestError,
            '"options.namespace" cannot be "*": Bad Request',
        ),
    ],
)
def test_validation(
    repository: SavedObjectsRepository,
    type_name: Any,
    object_id: str,
    fields: Any,
    options: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error) as caught:
        repository.increment_counter(type_name, object_id, fields, **options)
    assert str(caught.value) == message
