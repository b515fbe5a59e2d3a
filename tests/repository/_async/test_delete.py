"""delete on the real engine: namespaces, force, legacy URL aliases (spec 03 §2.9)."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import BadRequestError, NotFoundError
from kbn_saved_objects.repository import AsyncSavedObjectsRepository
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE
from tests.repository.conftest import AGNOSTIC, HIDDEN, MULTIPLE, MULTIPLE_ISOLATED, SINGLE

pytestmark = pytest.mark.engine

FORCE_MESSAGE = (
    "Unable to delete saved object that exists in multiple namespaces, use the `force` "
    "option to delete it anyway: Bad Request"
)


async def alias_ids(repo: AsyncSavedObjectsRepository) -> list[str]:
    index = repo.context.index_for(LEGACY_URL_ALIAS_TYPE)
    await repo.engine.perform(rq.refresh(index))
    answer = await repo.engine.perform(
        rq.search({"query": {"term": {"type": LEGACY_URL_ALIAS_TYPE}}, "size": 100}, index=index)
    )
    return sorted(hit["_id"] for hit in answer["hits"]["hits"])


async def make_alias(
    repo: AsyncSavedObjectsRepository, space: str, source_id: str, target_id: str, **extra: Any
) -> None:
    await repo.create(
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
async def test_delete_only_sees_its_namespace(
    async_repository: AsyncSavedObjectsRepository, type_name: str, visible_from_b: bool
) -> None:
    repo = async_repository
    await repo.create(type_name, {"title": "t"}, id="d", namespace="a")
    if not visible_from_b:
        with pytest.raises(NotFoundError) as caught:
            await repo.delete(type_name, "d", namespace="b")
        assert caught.value.message == f"Saved object [{type_name}/d] not found"
        assert (await repo.get(type_name, "d", namespace="a")).id == "d"
    assert await repo.delete(type_name, "d", namespace="b" if visible_from_b else "a") is None
    with pytest.raises(NotFoundError):
        await repo.get(type_name, "d", namespace="a")
    with pytest.raises(NotFoundError) as caught:
        await repo.delete(type_name, "d", namespace="a")
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
async def test_delete_errors(
    async_repository: AsyncSavedObjectsRepository,
    type_name: str,
    options: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error) as caught:
        await async_repository.delete(type_name, "x", **options)
    assert str(caught.value) == message


@pytest.mark.parametrize("namespaces", [["a", "b"], ["*"]])
async def test_shared_object_needs_force(
    async_repository: AsyncSavedObjectsRepository, namespaces: list[str]
) -> None:
    repo = async_repository
    await repo.create(MULTIPLE, {"title": "t"}, id="s", initial_namespaces=namespaces)
    with pytest.raises(BadRequestError) as caught:
        await repo.delete(MULTIPLE, "s", namespace="a")
    assert caught.value.message == FORCE_MESSAGE
    assert (await repo.get(MULTIPLE, "s", namespace="a")).id == "s"
    await repo.delete(MULTIPLE, "s", namespace="a", force=True)
    with pytest.raises(NotFoundError):
        await repo.get(MULTIPLE, "s", namespace="b")


async def test_delete_removes_aliases_of_the_objects_spaces(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    repo = async_repository
    await repo.create(MULTIPLE, {"title": "t"}, id="target", initial_namespaces=["a", "b"])
    await make_alias(repo, "a", "old-a", "target")
    await make_alias(repo, "b", "old-b", "target", disabled=True)
    await make_alias(repo, "c", "old-c", "target")  # a space the object is not in
    await make_alias(repo, "a", "other", "another-target")
    await repo.delete(MULTIPLE, "target", namespace="a", force=True)
    assert await alias_ids(repo) == [
        f"{LEGACY_URL_ALIAS_TYPE}:a:{MULTIPLE}:other",
        f"{LEGACY_URL_ALIAS_TYPE}:c:{MULTIPLE}:old-c",
    ]


async def test_delete_of_object_in_all_spaces_removes_every_alias(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    repo = async_repository
    await repo.create(MULTIPLE, {"title": "t"}, id="everywhere", initial_namespaces=["*"])
    await make_alias(repo, "a", "old-a", "everywhere")
    await make_alias(repo, "z", "old-z", "everywhere")
    await make_alias(repo, "a", "other", "another-target")
    await repo.delete(MULTIPLE, "everywhere", force=True)
    assert await alias_ids(repo) == [f"{LEGACY_URL_ALIAS_TYPE}:a:{MULTIPLE}:other"]


async def test_delete_of_single_namespace_object_leaves_aliases(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    repo = async_repository
    await repo.create(SINGLE, {"title": "t"}, id="target", namespace="a")
    await make_alias(repo, "a", "old", "target")
    await repo.delete(SINGLE, "target", namespace="a")
    assert await alias_ids(repo) == [f"{LEGACY_URL_ALIAS_TYPE}:a:{MULTIPLE}:old"]


async def test_missing_index_is_not_found(async_repository: AsyncSavedObjectsRepository) -> None:
    repo = async_repository
    await repo.engine.perform(rq.delete_index(repo.context.index_for(SINGLE) + "_001"))
    for type_name in (SINGLE, MULTIPLE):
        with pytest.raises(NotFoundError) as caught:
            await repo.delete(type_name, "x")
        assert caught.value.message == f"Saved object [{type_name}/x] not found"


async def test_refresh_false_is_passed(async_repository: AsyncSavedObjectsRepository) -> None:
    repo = async_repository
    await repo.create(SINGLE, {"title": "t"}, id="r")
    await repo.delete(SINGLE, "r", refresh=False)
    with pytest.raises(NotFoundError):
        await repo.get(SINGLE, "r")
