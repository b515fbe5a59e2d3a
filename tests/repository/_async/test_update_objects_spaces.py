"""update_objects_spaces on the real engine: sharing, unsharing, deletion, aliases and
compare-and-set (spec 05 §2)."""

from __future__ import annotations

import pytest

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import BadRequestError, NotFoundError
from kbn_saved_objects.repository import AsyncSavedObjectsRepository
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE
from tests.repository.conftest import HIDDEN, MULTIPLE, MULTIPLE_ISOLATED, SINGLE

pytestmark = pytest.mark.engine


async def add_alias(
    repo: AsyncSavedObjectsRepository, space: str, source_id: str, target_id: str
) -> None:
    await repo.create(
        LEGACY_URL_ALIAS_TYPE,
        {
            "sourceId": source_id,
            "targetNamespace": space,
            "targetType": MULTIPLE,
            "targetId": target_id,
        },
        id=f"{space}:{MULTIPLE}:{source_id}",
    )


async def alias_spaces(repo: AsyncSavedObjectsRepository, source_id: str) -> list[str]:
    found = await repo.find(type=LEGACY_URL_ALIAS_TYPE, per_page=100)
    return sorted(
        o.attributes["targetNamespace"]
        for o in found.saved_objects
        if o.attributes["sourceId"] == source_id
    )


async def test_sharing_makes_the_object_visible_in_the_new_space(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    await async_repository.create(MULTIPLE, {"title": "t"}, id="s1")
    response = await async_repository.update_objects_spaces(
        [{"type": MULTIPLE, "id": "s1"}], ["a"], []
    )
    assert response.model_dump(exclude_none=True) == {
        "objects": [{"type": MULTIPLE, "id": "s1", "spaces": ["default", "a"]}]
    }
    seen = await async_repository.get(MULTIPLE, "s1", namespace="a")
    assert seen.namespaces == ["default", "a"]


async def test_unsharing_removes_the_space_and_its_aliases_only(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    await async_repository.create(
        MULTIPLE, {"title": "t"}, id="s2", initial_namespaces=["default", "a"]
    )
    await add_alias(async_repository, "a", "old-s2", "s2")
    await add_alias(async_repository, "default", "old-s2", "s2")

    response = await async_repository.update_objects_spaces(
        [{"type": MULTIPLE, "id": "s2"}], ["b"], ["a"]
    )
    assert response.objects[0].spaces == ["default", "b"]
    with pytest.raises(NotFoundError):
        await async_repository.get(MULTIPLE, "s2", namespace="a")
    await async_repository.engine.perform(
        rq.refresh(async_repository.context.index_for(LEGACY_URL_ALIAS_TYPE))
    )
    assert await alias_spaces(async_repository, "old-s2") == ["default"]


async def test_removing_every_space_deletes_the_object_and_its_aliases(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    await async_repository.create(MULTIPLE, {"title": "t"}, id="s3", namespace="a")
    await add_alias(async_repository, "a", "old-s3", "s3")
    response = await async_repository.update_objects_spaces(
        [{"type": MULTIPLE, "id": "s3"}], [], ["a"], namespace="a"
    )
    assert response.objects[0].spaces == []
    assert response.objects[0].error is None
    with pytest.raises(NotFoundError):
        await async_repository.get(MULTIPLE, "s3", namespace="a")
    await async_repository.engine.perform(
        rq.refresh(async_repository.context.index_for(LEGACY_URL_ALIAS_TYPE))
    )
    assert await alias_spaces(async_repository, "old-s3") == []


async def test_leaving_all_spaces_keeps_aliases_of_the_spaces_it_stays_in(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    await async_repository.create(MULTIPLE, {"title": "t"}, id="s4", initial_namespaces=["*"])
    for space in ("x", "y"):
        await add_alias(async_repository, space, "old-s4", "s4")
    response = await async_repository.update_objects_spaces(
        [{"type": MULTIPLE, "id": "s4"}], ["x"], ["*"]
    )
    assert response.objects[0].spaces == ["x"]
    await async_repository.engine.perform(
        rq.refresh(async_repository.context.index_for(LEGACY_URL_ALIAS_TYPE))
    )
    assert await alias_spaces(async_repository, "old-s4") == ["x"]


async def test_no_change_writes_nothing(async_repository: AsyncSavedObjectsRepository) -> None:
    created = await async_repository.create(MULTIPLE, {"title": "t"}, id="s5", namespace="a")
    response = await async_repository.update_objects_spaces(
        [{"type": MULTIPLE, "id": "s5"}], ["a"], ["z"], namespace="a"
    )
    assert response.objects[0].spaces == ["a"]
    after = await async_repository.get(MULTIPLE, "s5", namespace="a")
    assert after.version == created.version


async def test_per_object_errors(async_repository: AsyncSavedObjectsRepository) -> None:
    await async_repository.create(MULTIPLE, {"title": "t"}, id="elsewhere", namespace="b")
    stale = await async_repository.create(MULTIPLE, {"title": "t"}, id="moved")
    await async_repository.update(MULTIPLE, "moved", {"title": "changed"})
    response = await async_repository.update_objects_spaces(
        [
            {"type": "unknown", "id": "u"},
            {"type": HIDDEN, "id": "h"},
            {"type": SINGLE, "id": "i"},
            {"type": MULTIPLE_ISOLATED, "id": "m"},
            {"type": MULTIPLE, "id": "missing"},
            {"type": MULTIPLE, "id": "elsewhere"},
            {"type": MULTIPLE, "id": "moved", "version": stale.version},
        ],
        ["c"],
        [],
    )
    errors = [(o.id, o.spaces, o.error and o.error["statusCode"]) for o in response.objects]
    assert errors == [
        ("u", [], 404),
        ("h", [], 404),
        ("i", [], 400),
        ("m", [], 400),
        ("missing", [], 404),
        ("elsewhere", [], 404),
        ("moved", [], 409),
    ]
    assert response.objects[2].error == {
        "statusCode": 400,
        "error": "Bad Request",
        "message": f"{SINGLE} doesn't support multiple namespaces: Bad Request",
    }
    assert response.objects[6].error is not None
    assert response.objects[6].error["message"] == f"Saved object [{MULTIPLE}/moved] conflict"


@pytest.mark.parametrize(
    ("add", "remove", "message"),
    [
        ([], [], "spacesToAdd and/or spacesToRemove must be a non-empty array of strings"),
        (["a"], ["a"], "spacesToAdd and spacesToRemove cannot contain any of the same strings"),
    ],
)
async def test_invalid_space_lists_are_refused(
    async_repository: AsyncSavedObjectsRepository, add: list[str], remove: list[str], message: str
) -> None:
    with pytest.raises(BadRequestError, match=message):
        await async_repository.update_objects_spaces([{"type": MULTIPLE, "id": "x"}], add, remove)


async def test_namespace_star_is_refused(async_repository: AsyncSavedObjectsRepository) -> None:
    with pytest.raises(BadRequestError):
        await async_repository.update_objects_spaces(
            [{"type": MULTIPLE, "id": "x"}], ["a"], [], namespace="*"
        )


async def test_a_scoped_repository_cannot_share_to_or_unshare_from_other_spaces(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    await async_repository.create(MULTIPLE, {"title": "t"}, id="scoped", namespace="a")
    scoped = async_repository.as_scoped_to_namespace("a")
    for add, remove in ((["b"], []), (["*"], []), ([], ["b"])):
        with pytest.raises(BadRequestError, match="scoped"):
            await scoped.update_objects_spaces([{"type": MULTIPLE, "id": "scoped"}], add, remove)
    with pytest.raises(BadRequestError, match="scoped"):
        await scoped.update_objects_spaces(
            [{"type": MULTIPLE, "id": "scoped"}], ["a"], [], namespace="b"
        )
    assert (await async_repository.get(MULTIPLE, "scoped", namespace="a")).namespaces == ["a"]
    # its own space is its to manage: removing it deletes the object
    response = await scoped.update_objects_spaces([{"type": MULTIPLE, "id": "scoped"}], [], ["a"])
    assert response.objects[0].spaces == []
