# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""create on the real engine, for every namespace type and error case (spec 03 §2.1)."""

from __future__ import annotations

import base64
import re

import orjson
import pytest

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import (
    BadRequestError,
    ConflictError,
    InvalidVersionError,
)
from kbn_saved_objects.repository import SavedObjectsRepository
from tests.repository.conftest import (
    AGNOSTIC,
    HIDDEN,
    MULTIPLE,
    MULTIPLE_ISOLATED,
    OTHER_INDEX,
    SINGLE,
    VALIDATED,
)

pytestmark = pytest.mark.engine

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def raw(repo: SavedObjectsRepository, type_name: str, raw_id: str) -> dict[str, object]:
    answer = repo.engine.perform(rq.get_document(repo.context.index_for(type_name), raw_id))
    assert answer["found"], raw_id
    return dict(answer["_source"])


@pytest.mark.parametrize(
    ("type_name", "raw_id", "namespaces"),
    [
        (SINGLE, "space1:isolated:a", ["space1"]),
        (MULTIPLE, "shared:a", ["space1"]),
        (MULTIPLE_ISOLATED, "isolated-multi:a", ["space1"]),
        (AGNOSTIC, "global:a", None),
    ],
)
def test_create_stores_kibanas_raw_document(
    repository: SavedObjectsRepository,
    type_name: str,
    raw_id: str,
    namespaces: list[str] | None,
) -> None:
    created = repository.create(
        type_name, {"title": "A"}, id="a", namespace="space1", references=[]
    )
    assert created.id == "a"
    assert created.type == type_name
    assert created.namespaces == namespaces
    assert created.attributes == {"title": "A"}
    assert created.managed is False
    assert created.created_at == created.updated_at
    seq_term = orjson.loads(base64.b64decode(created.version or ""))
    assert len(seq_term) == 2
    source = raw(repository, type_name, raw_id)
    assert source["type"] == type_name
    assert source[type_name] == {"title": "A"}
    assert source["references"] == []
    assert ("namespace" in source) == (type_name == SINGLE)
    assert ("namespaces" in source) == (type_name in (MULTIPLE, MULTIPLE_ISOLATED))


def test_default_namespace_stores_no_namespace_field(
    repository: SavedObjectsRepository,
) -> None:
    created = repository.create(SINGLE, {"title": "d"}, id="d")
    assert created.namespaces == ["default"]
    source = raw(repository, SINGLE, "isolated:d")
    assert "namespace" not in source
    again = repository.create(SINGLE, {"title": "d"}, id="d2", namespace="default")
    assert again.namespaces == ["default"]


def test_generated_ids_are_uuid4(repository: SavedObjectsRepository) -> None:
    created = repository.create(MULTIPLE, {"title": "x"})
    assert UUID4.match(created.id)
    empty = repository.create(MULTIPLE, {"title": "x"}, id="")
    assert UUID4.match(empty.id)


def test_existing_object_is_a_conflict_unless_overwritten(
    repository: SavedObjectsRepository,
) -> None:
    for type_name in (SINGLE, MULTIPLE, AGNOSTIC):
        first = repository.create(type_name, {"title": "1"}, id="dup")
        with pytest.raises(ConflictError) as caught:
            repository.create(type_name, {"title": "2"}, id="dup")
        if type_name == MULTIPLE:
            assert caught.value.message == f"Saved object [{type_name}/dup] conflict"
        second = repository.create(type_name, {"title": "2"}, id="dup", overwrite=True)
        assert second.attributes == {"title": "2"}
        assert second.version != first.version


def test_overwrite_with_stale_version_conflicts(
    repository: SavedObjectsRepository,
) -> None:
    first = repository.create(SINGLE, {"title": "1"}, id="v")
    repository.create(SINGLE, {"title": "2"}, id="v", overwrite=True)
    with pytest.raises(ConflictError):
        repository.create(SINGLE, {"title": "3"}, id="v", overwrite=True, version=first.version)
    got = repository.get(SINGLE, "v")
    assert got.attributes == {"title": "2"}
    with pytest.raises(InvalidVersionError):
        repository.create(SINGLE, {"title": "4"}, id="v", overwrite=True, version="x")


def test_multi_namespace_object_elsewhere_is_not_overwritable(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(MULTIPLE, {"title": "1"}, id="m", namespace="a")
    with pytest.raises(ConflictError):
        repository.create(MULTIPLE, {"title": "2"}, id="m", namespace="b", overwrite=True)
    kept = repository.get(MULTIPLE, "m", namespace="a")
    assert kept.attributes == {"title": "1"}


def test_overwrite_keeps_stored_namespaces_and_origin(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(
        MULTIPLE, {"title": "1"}, id="o", initial_namespaces=["a", "b"], origin_id="orig"
    )
    again = repository.create(MULTIPLE, {"title": "2"}, id="o", namespace="a", overwrite=True)
    assert again.namespaces == ["a", "b"]
    assert again.origin_id == "orig"
    narrowed = repository.create(
        MULTIPLE, {"title": "3"}, id="o", initial_namespaces=["a"], overwrite=True
    )
    assert narrowed.namespaces == ["a"]


def test_single_namespace_initial_namespace(
    repository: SavedObjectsRepository,
) -> None:
    created = repository.create(SINGLE, {"title": "i"}, id="i", initial_namespaces=["x"])
    assert created.namespaces == ["x"]
    raw(repository, SINGLE, "x:isolated:i")


@pytest.mark.parametrize(
    ("type_name", "options", "message"),
    [
        ("unknown", {}, "Unsupported saved object type: 'unknown': Bad Request"),
        (HIDDEN, {}, "Unsupported saved object type: 'hiddentype': Bad Request"),
        (SINGLE, {"namespace": "*"}, '"options.namespace" cannot be "*": Bad Request'),
        (
            AGNOSTIC,
            {"initial_namespaces": []},
            '"initialNamespaces" cannot be used on space-agnostic types: Bad Request',
        ),
        (
            MULTIPLE,
            {"initial_namespaces": []},
            '"initialNamespaces" must be a non-empty array of strings: Bad Request',
        ),
        (
            SINGLE,
            {"initial_namespaces": ["a", "b"]},
            '"initialNamespaces" can only specify a single space when used with space-isolated '
            "types: Bad Request",
        ),
        (
            MULTIPLE_ISOLATED,
            {"initial_namespaces": ["*"]},
            '"initialNamespaces" can only specify a single space when used with space-isolated '
            "types: Bad Request",
        ),
        (
            SINGLE,
            {"origin_id": "x"},
            '"originId" can only be set for multi-namespace object types: Bad Request',
        ),
        (SINGLE, {"id": "a/b"}, "Invalid saved object ID: IDs cannot contain '/'.: Bad Request"),
    ],
)
def test_bad_requests_write_nothing(
    repository: SavedObjectsRepository,
    type_name: str,
    options: dict[str, object],
    message: str,
) -> None:
    with pytest.raises(BadRequestError) as caught:
        repository.create(type_name, {"title": "x"}, **options)  # type: ignore[arg-type]
    assert caught.value.message == message
    repository.engine.perform(rq.refresh(repository.context.index_for(SINGLE)))
    counted = repository.engine.perform(rq.count(repository.context.index_for(SINGLE)))
    assert counted["count"] == 0


def test_create_schema_validation_names_the_field(
    repository: SavedObjectsRepository,
) -> None:
    with pytest.raises(BadRequestError) as caught:
        repository.create(VALIDATED, {"title": 42}, id="bad")
    assert caught.value.message.startswith("[attributes.title]: ")
    assert caught.value.message.endswith(": Bad Request")
    ok = repository.create(VALIDATED, {"title": "fine"}, id="good")
    assert ok.attributes == {"title": "fine"}


def test_types_route_to_their_own_index(
    repository: SavedObjectsRepository,
) -> None:
    created = repository.create(OTHER_INDEX, {"title": "o"}, id="o")
    assert created.namespaces == ["default"]
    index = repository.context.index_for(OTHER_INDEX)
    assert index != repository.context.index_for(SINGLE)
    raw(repository, OTHER_INDEX, "elsewhere:o")
