# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""delete on the real engine: namespaces, force, legacy URL aliases (spec 03 §2.9)."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import BadRequestError, NotFoundError
from kbn_saved_objects.repository import SavedObjectsRepository
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE
from tests.repository.conftest import AGNOSTIC, HIDDEN, MULTIPLE, MULTIPLE_ISOLATED, SINGLE

pytestmark = pytest.mark.engine

FORCE_MESSAGE = (
    "Unable to delete saved object that exists in multiple namespaces, use the `force` "
    "option to delete it anyway: Bad Request"
)


def alias_ids(repo: SavedObjectsRepository) -> list[str]:
    index = repo.context.index_for(LEGACY_URL_ALIAS_TYPE)
    repo.engine.perform(rq.refresh(index))
    answer = repo.engine.perform(
        rq.search({"query": {"term": {"type": LEGACY_URL_ALIAS_TYPE}}, "size": 100}, index=index)
    )
    return sorted(hit["_id"] for hit in answer["hits"]["hits"])


def make_alias(
    repo: SavedObjectsRepository, space: str, source_id: str, target_id: str, **extra: Any
) -> None:
    repo.create(
        LEGACY_URL_ALIAS_TYPE,
        {
            "sourceId": source_id,
            "targetNamespace": space,
            "targetType": MULTIPLE,
            "targetId": target_id,
            **extra,
        },
        id=f"{space}:{MULTIPLE}:{source_id}",
    )


@pytest.mark.parametrize(
    ("type_name", "visible_from_b"),
    [(SINGLE, False), (MULTIPLE, False), (MULTIPLE_ISOLATED, False), (AGNOSTIC, True)],
)
def test_delete_only_sees_its_namespace(
    repository: SavedObjectsRepository, type_name: str, visible_from_b: bool
) -> None:
    repo = repository
    repo.create(type_name, {"title": "t"}, id="d", namespace="a")
    if not visible_from_b:
        with pytest.raises(NotFoundError) as caught:
            repo.delete(type_name, "d", namespace="b")
        assert caught.value.message == f"Saved object [{type_name}/d] not found"
        assert (repo.get(type_name, "d", namespace="a")).id == "d"
    assert repo.delete(type_name, "d", namespace="b" if visible_from_b else "a") is None
    with pytest.raises(NotFoundError):
        repo.get(type_name, "d", namespace="a")
    with pytest.raises(NotFoundError) as caught:
        repo.delete(type_name, "d", namespace="a")
    assert caught.value.message == f"Saved object [{type_name}/d] not found"


@pytest.mark.parametrize(
    ("type_name", "options", "error", "message"),
    [
        ("unknown", {}, NotFoundError, "Saved object [unknown/x] not found"),
        (HIDDEN, {}, NotFoundError, "Saved object [hiddentype/x] not found"),
        (
            SINGLE,
            {"namespace": "*"},
            BadRequestError,
            '"options.namespace" cannot be "*": Bad Request',
        ),
    ],
)
def test_delete_errors(
    repository: SavedObjectsRepository,
    type_name: str,
    options: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error) as caught:
        repository.delete(type_name, "x", **options)
    assert str(caught.value) == message


@pytest.mark.parametrize("namespaces", [["a", "b"], ["*"]])
def test_shared_object_needs_force(
    repository: SavedObjectsRepository, namespaces: list[str]
) -> None:
    repo = repository
    repo.create(MULTIPLE, {"title": "t"}, id="s", initial_namespaces=namespaces)
    with pytest.raises(BadRequestError) as caught:
        repo.delete(MULTIPLE, "s", namespace="a")
    assert caught.value.message == FORCE_MESSAGE
    assert (repo.get(MULTIPLE, "s", namespace="a")).id == "s"
    repo.delete(MULTIPLE, "s", namespace="a", force=True)
    with pytest.raises(NotFoundError):
        repo.get(MULTIPLE, "s", namespace="b")


def test_delete_removes_aliases_of_the_objects_spaces(
    repository: SavedObjectsRepository,
) -> None:
    repo = repository
    repo.create(MULTIPLE, {"title": "t"}, id="target", initial_namespaces=["a", "b"])
    make_alias(repo, "a", "old-a", "target")
    make_alias(repo, "b", "old-b", "target", disabled=True)
    make_alias(repo, "c", "old-c", "target")  # a space the object is not in
    make_alias(repo, "a", "other", "another-target")
    repo.delete(MULTIPLE, "target", namespace="a", force=True)
    assert alias_ids(repo) == [
        f"{LEGACY_URL_ALIAS_TYPE}:a:{MULTIPLE}:other",
        f"{LEGACY_URL_ALIAS_TYPE}:c:{MULTIPLE}:old-c",
    ]


def test_delete_of_object_in_all_spaces_removes_every_alias(
    repository: SavedObjectsRepository,
) -> None:
    repo = repository
    repo.create(MULTIPLE, {"title": "t"}, id="everywhere", initial_namespaces=["*"])
    make_alias(repo, "a", "old-a", "everywhere")
    make_alias(repo, "z", "old-z", "everywhere")
    make_alias(repo, "a", "other", "another-target")
    repo.delete(MULTIPLE, "everywhere", force=True)
    assert alias_ids(repo) == [f"{LEGACY_URL_ALIAS_TYPE}:a:{MULTIPLE}:other"]


def test_delete_of_single_namespace_object_leaves_aliases(
    repository: SavedObjectsRepository,
) -> None:
    repo = repository
    repo.create(SINGLE, {"title": "t"}, id="target", namespace="a")
    make_alias(repo, "a", "old", "target")
    repo.delete(SINGLE, "target", namespace="a")
    assert alias_ids(repo) == [f"{LEGACY_URL_ALIAS_TYPE}:a:{MULTIPLE}:old"]


def test_missing_index_is_not_found(repository: SavedObjectsRepository) -> None:
    repo = repository
    repo.engine.perform(rq.delete_index(repo.context.index_for(SINGLE) + "_001"))
    for type_name in (SINGLE, MULTIPLE):
        with pytest.raises(NotFoundError) as caught:
            repo.delete(type_name, "x")
        assert caught.value.message == f"Saved object [{type_name}/x] not found"


def test_refresh_false_is_passed(repository: SavedObjectsRepository) -> None:
    repo = repository
    repo.create(SINGLE, {"title": "t"}, id="r")
    repo.delete(SINGLE, "r", refresh=False)
    with pytest.raises(NotFoundError):
        repo.get(SINGLE, "r")
