"""remove_references_to on the real engine: only the current namespace (spec 03 §2.14)."""

from __future__ import annotations

import pytest

from kbn_saved_objects.errors import BadRequestError
from kbn_saved_objects.repository import AsyncSavedObjectsRepository
from tests.repository.conftest import AGNOSTIC, MULTIPLE, OTHER_INDEX, SINGLE

pytestmark = pytest.mark.engine

TAG = {"name": "tag_0", "type": "tag", "id": "t1"}
OTHER_TAG = {"name": "tag_1", "type": "tag", "id": "t2"}
SAME_ID_OTHER_TYPE = {"name": "ip", "type": "index-pattern", "id": "t1"}


async def test_removes_matching_references_in_the_namespace(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    repo = async_repository
    refs = [TAG, OTHER_TAG, SAME_ID_OTHER_TYPE]
    await repo.create(SINGLE, {"title": "a"}, id="s", namespace="a", references=refs)
    await repo.create(SINGLE, {"title": "b"}, id="s", namespace="b", references=refs)
    await repo.create(
        MULTIPLE, {"title": "ab"}, id="m", initial_namespaces=["a", "b"], references=refs
    )
    await repo.create(MULTIPLE, {"title": "b"}, id="mb", namespace="b", references=refs)
    await repo.create(OTHER_INDEX, {"title": "o"}, id="o", namespace="a", references=[TAG])
    await repo.create(AGNOSTIC, {"title": "g"}, id="g", references=[TAG])
    await repo.create(SINGLE, {"title": "none"}, id="n", namespace="a", references=[OTHER_TAG])

    result = await repo.remove_references_to("tag", "t1", namespace="a")
    # s@a, m (visible from a), o, and the agnostic g (visible from every space)
    assert result.updated == 4
    assert result.model_dump() == {"updated": 4}
    kept = [OTHER_TAG, SAME_ID_OTHER_TYPE]
    assert (await repo.get(SINGLE, "s", namespace="a")).references == kept
    assert (await repo.get(MULTIPLE, "m", namespace="a")).references == kept
    assert (await repo.get(OTHER_INDEX, "o", namespace="a")).references == []
    assert (await repo.get(AGNOSTIC, "g")).references == []
    assert (await repo.get(SINGLE, "n", namespace="a")).references == [OTHER_TAG]
    # objects of other spaces are untouched
    assert (await repo.get(SINGLE, "s", namespace="b")).references == refs
    assert (await repo.get(MULTIPLE, "mb", namespace="b")).references == refs


async def test_default_space_and_unregistered_type(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    repo = async_repository
    await repo.create(SINGLE, {"title": "d"}, id="d", references=[TAG])
    await repo.create(SINGLE, {"title": "a"}, id="d", namespace="a", references=[TAG])
    # "tag" is not a registered type: it is not checked
    assert (await repo.remove_references_to("tag", "t1")).updated == 1
    assert (await repo.get(SINGLE, "d")).references == []
    assert (await repo.get(SINGLE, "d", namespace="a")).references == [TAG]
    assert (await repo.remove_references_to("tag", "t1", refresh=False)).updated == 0


async def test_namespace_star_is_refused(async_repository: AsyncSavedObjectsRepository) -> None:
    with pytest.raises(BadRequestError):
        await async_repository.remove_references_to("tag", "t1", namespace="*")
