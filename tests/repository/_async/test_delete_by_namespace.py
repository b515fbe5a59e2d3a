"""delete_by_namespace on the real engine: what a deleted space takes along (spec 03 §2.11)."""

from __future__ import annotations

import pytest

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import InvalidNamespaceError, NotFoundError
from kbn_saved_objects.repository import AsyncSavedObjectsRepository
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE
from tests.repository.conftest import (
    AGNOSTIC,
    MULTIPLE,
    MULTIPLE_ISOLATED,
    OTHER_INDEX,
    SINGLE,
)

pytestmark = pytest.mark.engine

REFUSED = "namespace is required, and must be a string that is not equal to '*'"


async def test_space_contents_go_shared_objects_stay(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    repo = async_repository
    await repo.create(SINGLE, {"title": "t"}, id="s", namespace="gone")
    await repo.create(SINGLE, {"title": "t"}, id="s", namespace="other")
    await repo.create(SINGLE, {"title": "t"}, id="s")  # default space
    await repo.create(MULTIPLE_ISOLATED, {"title": "t"}, id="mi", namespace="gone")
    await repo.create(MULTIPLE, {"title": "t"}, id="only-gone", namespace="gone")
    await repo.create(MULTIPLE, {"title": "t"}, id="both", initial_namespaces=["gone", "other"])
    await repo.create(MULTIPLE, {"title": "t"}, id="star", initial_namespaces=["*"])
    await repo.create(OTHER_INDEX, {"title": "t"}, id="o", namespace="gone")
    await repo.create(AGNOSTIC, {"title": "t"}, id="g")
    for space in ("gone", "other"):
        await repo.create(
            LEGACY_URL_ALIAS_TYPE,
            {
                "sourceId": "old",
                "targetNamespace": space,
                "targetType": MULTIPLE,
                "targetId": "both",
            },
            id=f"{space}:{MULTIPLE}:old",
        )

    answer = await repo.delete_by_namespace("gone", refresh=True)
    assert answer["failures"] == []
    # deleted: s@gone, mi, only-gone, o, alias@gone; updated: both; untouched-but-matched: star
    assert answer["deleted"] == 5
    assert answer["updated"] == 2

    for type_name, object_id in [
        (SINGLE, "s"),
        (MULTIPLE_ISOLATED, "mi"),
        (MULTIPLE, "only-gone"),
        (OTHER_INDEX, "o"),
    ]:
        with pytest.raises(NotFoundError):
            await repo.get(type_name, object_id, namespace="gone")
    assert (await repo.get(SINGLE, "s", namespace="other")).id == "s"
    assert (await repo.get(SINGLE, "s")).id == "s"
    assert (await repo.get(MULTIPLE, "both", namespace="other")).namespaces == ["other"]
    assert (await repo.get(MULTIPLE, "star", namespace="gone")).namespaces == ["*"]
    assert (await repo.get(AGNOSTIC, "g")).id == "g"
    alias_index = repo.context.index_for(LEGACY_URL_ALIAS_TYPE)
    gone_alias = await repo.engine.perform(
        rq.get_document(alias_index, f"{LEGACY_URL_ALIAS_TYPE}:gone:{MULTIPLE}:old")
    )
    assert not gone_alias.get("found")
    other_alias = await repo.engine.perform(
        rq.get_document(alias_index, f"{LEGACY_URL_ALIAS_TYPE}:other:{MULTIPLE}:old")
    )
    assert other_alias["found"]


@pytest.mark.parametrize(
    ("namespace", "message"),
    [
        ("*", REFUSED),
        ("", REFUSED),
        (None, REFUSED),
        (
            "default",
            "namespace 'default' cannot be deleted: its single-namespace objects have no "
            "namespace field, so every one of them would match",
        ),
    ],
)
async def test_refused_namespaces(
    async_repository: AsyncSavedObjectsRepository, namespace: str, message: str
) -> None:
    repo = async_repository
    await repo.create(SINGLE, {"title": "t"}, id="keep")
    with pytest.raises(InvalidNamespaceError) as caught:
        await repo.delete_by_namespace(namespace)
    assert caught.value.message == message
    assert (await repo.get(SINGLE, "keep")).id == "keep"
