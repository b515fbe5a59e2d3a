"""get: the generic not-found rule for every namespace type (spec 03 §2.4)."""

from __future__ import annotations

import pytest

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import NotFoundError
from kbn_saved_objects.repository import AsyncSavedObjectsRepository
from tests.repository.conftest import AGNOSTIC, HIDDEN, MULTIPLE, MULTIPLE_ISOLATED, SINGLE

pytestmark = pytest.mark.engine


@pytest.mark.parametrize(
    ("type_name", "visible_from_b", "namespaces"),
    [
        (SINGLE, False, ["a"]),
        (MULTIPLE, False, ["a"]),
        (MULTIPLE_ISOLATED, False, ["a"]),
        (AGNOSTIC, True, []),
    ],
)
async def test_get_sees_only_its_namespace(
    async_repository: AsyncSavedObjectsRepository,
    type_name: str,
    visible_from_b: bool,
    namespaces: list[str],
) -> None:
    created = await async_repository.create(
        type_name,
        {"title": "t"},
        id="g",
        namespace="a",
        references=[{"name": "r", "type": "x", "id": "1"}],
    )
    got = await async_repository.get(type_name, "g", namespace="a")
    assert got.attributes == {"title": "t"}
    assert got.version == created.version
    assert got.namespaces == namespaces
    assert got.references == [{"name": "r", "type": "x", "id": "1"}]
    assert got.managed is False
    if visible_from_b:
        assert (await async_repository.get(type_name, "g", namespace="b")).id == "g"
    else:
        with pytest.raises(NotFoundError) as caught:
            await async_repository.get(type_name, "g", namespace="b")
        assert caught.value.message == f"Saved object [{type_name}/g] not found"


async def test_shared_to_all_spaces_is_visible_everywhere(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    await async_repository.create(MULTIPLE, {"title": "t"}, id="star", initial_namespaces=["*"])
    got = await async_repository.get(MULTIPLE, "star", namespace="anything")
    assert got.namespaces == ["*"]


@pytest.mark.parametrize("type_name", ["unknown", HIDDEN])
async def test_unknown_or_hidden_type_is_not_found(
    async_repository: AsyncSavedObjectsRepository, type_name: str
) -> None:
    with pytest.raises(NotFoundError) as caught:
        await async_repository.get(type_name, "x")
    assert caught.value.message == f"Saved object [{type_name}/x] not found"


async def test_missing_object_and_missing_index_look_the_same(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    with pytest.raises(NotFoundError) as missing_doc:
        await async_repository.get(SINGLE, "nope")
    concrete = async_repository.context.index_for(SINGLE) + "_001"
    await async_repository.engine.perform(rq.delete_index(concrete))
    with pytest.raises(NotFoundError) as missing_index:
        await async_repository.get(SINGLE, "nope")
    assert missing_doc.value.message == missing_index.value.message
