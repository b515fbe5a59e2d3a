"""Legacy URL aliases are cleaned up on every path that makes them point at nothing, on
the real engine: disabled aliases included, since a disabled alias is still an alias
that names the object (spec 05 §5.4). The registry brings the alias type itself."""

from __future__ import annotations

import pytest

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.repository import AsyncSavedObjectsRepository
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE
from tests.repository.conftest import MULTIPLE

pytestmark = pytest.mark.engine


async def add_disabled_alias(repo: AsyncSavedObjectsRepository, space: str, target: str) -> None:
    await repo.create(
        LEGACY_URL_ALIAS_TYPE,
        {
            "sourceId": f"old-{target}",
            "targetNamespace": space,
            "targetType": MULTIPLE,
            "targetId": target,
            "purpose": "savedObjectConversion",
            "disabled": True,
        },
        id=f"{space}:{MULTIPLE}:old-{target}",
    )


async def alias_spaces(repo: AsyncSavedObjectsRepository, target: str) -> list[str]:
    index = repo.context.index_for(LEGACY_URL_ALIAS_TYPE)
    await repo.engine.perform(rq.refresh(index))
    query = {"term": {f"{LEGACY_URL_ALIAS_TYPE}.targetId": target}}
    hits = await repo.engine.perform(rq.search({"query": query, "size": 100}, index=index))
    return sorted(
        h["_source"][LEGACY_URL_ALIAS_TYPE]["targetNamespace"] for h in hits["hits"]["hits"]
    )


async def test_the_registry_brings_the_alias_type(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    assert LEGACY_URL_ALIAS_TYPE in async_repository.context.registry
    await add_disabled_alias(async_repository, "a", "x")
    assert await alias_spaces(async_repository, "x") == ["a"]


async def test_disabled_aliases_leave_on_unshare_space_delete_and_object_delete(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    repo = async_repository
    await repo.create(MULTIPLE, {"title": "t"}, id="x", initial_namespaces=["a", "b", "c"])
    for space in ("a", "b", "c", "d"):
        await add_disabled_alias(repo, space, "x")

    unshared = await repo.update_objects_spaces(
        [{"type": MULTIPLE, "id": "x"}], [], ["b"], namespace="a"
    )
    assert unshared.objects[0].spaces == ["a", "c"]
    assert await alias_spaces(repo, "x") == ["a", "c", "d"]

    await repo.delete_by_namespace("c", refresh=True)
    assert await alias_spaces(repo, "x") == ["a", "d"]

    await repo.delete(MULTIPLE, "x", namespace="a")
    assert await alias_spaces(repo, "x") == ["d"]  # the object never lived in d


async def test_bulk_delete_of_an_object_in_every_space_takes_every_alias(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    repo = async_repository
    await repo.create(MULTIPLE, {"title": "t"}, id="y", initial_namespaces=["*"])
    await repo.create(MULTIPLE, {"title": "t"}, id="z", namespace="a")
    for space in ("a", "far"):
        await add_disabled_alias(repo, space, "y")
    await add_disabled_alias(repo, "a", "z")
    response = await repo.bulk_delete([{"type": MULTIPLE, "id": "y"}], namespace="a", force=True)
    assert [status.success for status in response.statuses] == [True]
    assert await alias_spaces(repo, "y") == []
    assert await alias_spaces(repo, "z") == ["a"]
