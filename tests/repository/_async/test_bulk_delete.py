"""bulk_delete on the real engine: per-object statuses in input order (spec 03 §2.10)."""

from __future__ import annotations

import pytest

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import NotFoundError
from kbn_saved_objects.repository import AsyncSavedObjectsRepository
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE
from tests.repository.conftest import AGNOSTIC, HIDDEN, MULTIPLE, MULTIPLE_ISOLATED, SINGLE

pytestmark = pytest.mark.engine

FORCE_MESSAGE = (
    "Unable to delete saved object that exists in multiple namespaces, use the `force` "
    "option to delete it anyway: Bad Request"
)


def not_found(type_name: str, object_id: str) -> dict[str, object]:
    return {
        "statusCode": 404,
        "error": "Not Found",
        "message": f"Saved object [{type_name}/{object_id}] not found",
    }


async def test_statuses_in_input_order(async_repository: AsyncSavedObjectsRepository) -> None:
    repo = async_repository
    for type_name in (SINGLE, MULTIPLE, MULTIPLE_ISOLATED, AGNOSTIC):
        await repo.create(type_name, {"title": "t"}, id="x", namespace="a")
    await repo.create(MULTIPLE, {"title": "t"}, id="shared2", initial_namespaces=["a", "b"])
    await repo.create(MULTIPLE, {"title": "t"}, id="elsewhere", namespace="b")
    response = await repo.bulk_delete(
        [
            {"type": SINGLE, "id": "x"},
            {"type": "unknown", "id": "u"},
            {"type": MULTIPLE, "id": "x"},
            {"type": HIDDEN, "id": "h"},
            {"type": MULTIPLE, "id": "shared2"},
            {"type": MULTIPLE, "id": "elsewhere"},
            {"type": MULTIPLE_ISOLATED, "id": "x"},
            {"type": AGNOSTIC, "id": "x"},
            {"type": SINGLE, "id": "missing"},
            {"type": MULTIPLE, "id": "missing"},
        ],
        namespace="a",
    )
    assert response.model_dump(exclude_unset=True) == {
        "statuses": [
            {"id": "x", "type": SINGLE, "success": True},
            {
                "id": "u",
                "type": "unknown",
                "success": False,
                "error": {
                    "statusCode": 400,
                    "error": "Bad Request",
                    "message": "Unsupported saved object type: 'unknown': Bad Request",
                },
            },
            {"id": "x", "type": MULTIPLE, "success": True},
            {
                "id": "h",
                "type": HIDDEN,
                "success": False,
                "error": {
                    "statusCode": 400,
                    "error": "Bad Request",
                    "message": "Unsupported saved object type: 'hiddentype': Bad Request",
                },
            },
            {
                "id": "shared2",
                "type": MULTIPLE,
                "success": False,
                "error": {"statusCode": 400, "error": "Bad Request", "message": FORCE_MESSAGE},
            },
            {
                "id": "elsewhere",
                "type": MULTIPLE,
                "success": False,
                "error": not_found(MULTIPLE, "elsewhere"),
            },
            {"id": "x", "type": MULTIPLE_ISOLATED, "success": True},
            {"id": "x", "type": AGNOSTIC, "success": True},
            {
                "id": "missing",
                "type": SINGLE,
                "success": False,
                "error": not_found(SINGLE, "missing"),
            },
            {
                "id": "missing",
                "type": MULTIPLE,
                "success": False,
                "error": not_found(MULTIPLE, "missing"),
            },
        ]
    }
    for type_name in (SINGLE, MULTIPLE, MULTIPLE_ISOLATED, AGNOSTIC):
        with pytest.raises(NotFoundError):
            await repo.get(type_name, "x", namespace="a")
    assert (await repo.get(MULTIPLE, "shared2", namespace="b")).id == "shared2"
    assert (await repo.get(MULTIPLE, "elsewhere", namespace="b")).id == "elsewhere"


async def test_force_applies_to_all_objects(async_repository: AsyncSavedObjectsRepository) -> None:
    repo = async_repository
    await repo.create(MULTIPLE, {"title": "t"}, id="ab", initial_namespaces=["a", "b"])
    await repo.create(MULTIPLE, {"title": "t"}, id="all", initial_namespaces=["*"])
    response = await repo.bulk_delete(
        [{"type": MULTIPLE, "id": "ab"}, {"type": MULTIPLE, "id": "all"}], namespace="a", force=True
    )
    assert [status.success for status in response.statuses] == [True, True]


async def test_empty_and_all_invalid_inputs_send_nothing(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    assert (await async_repository.bulk_delete([])).statuses == []
    response = await async_repository.bulk_delete([{"type": "nope", "id": "1"}])
    assert [status.success for status in response.statuses] == [False]


async def test_aliases_of_deleted_shared_objects_are_removed(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    repo = async_repository
    await repo.create(MULTIPLE, {"title": "t"}, id="one", initial_namespaces=["a", "b"])
    await repo.create(MULTIPLE, {"title": "t"}, id="two", initial_namespaces=["*"])
    await repo.create(MULTIPLE, {"title": "t"}, id="kept", namespace="a")
    for space, source, target in [
        ("a", "old-one", "one"),
        ("c", "old-one-c", "one"),
        ("z", "old-two", "two"),
        ("a", "old-kept", "kept"),
    ]:
        await repo.create(
            LEGACY_URL_ALIAS_TYPE,
            {
                "sourceId": source,
                "targetNamespace": space,
                "targetType": MULTIPLE,
                "targetId": target,
            },
            id=f"{space}:{MULTIPLE}:{source}",
        )
    response = await repo.bulk_delete(
        [{"type": MULTIPLE, "id": "one"}, {"type": MULTIPLE, "id": "two"}],
        namespace="a",
        force=True,
    )
    assert all(status.success for status in response.statuses)
    index = repo.context.index_for(LEGACY_URL_ALIAS_TYPE)
    await repo.engine.perform(rq.refresh(index))
    hits = await repo.engine.perform(
        rq.search({"query": {"term": {"type": LEGACY_URL_ALIAS_TYPE}}}, index=index)
    )
    assert sorted(hit["_id"] for hit in hits["hits"]["hits"]) == [
        f"{LEGACY_URL_ALIAS_TYPE}:a:{MULTIPLE}:old-kept",
        f"{LEGACY_URL_ALIAS_TYPE}:c:{MULTIPLE}:old-one-c",
    ]


async def test_missing_index_items(async_repository: AsyncSavedObjectsRepository) -> None:
    repo = async_repository
    await repo.engine.perform(rq.delete_index(repo.context.index_for(SINGLE) + "_001"))
    response = await repo.bulk_delete([{"type": MULTIPLE, "id": "m"}, {"type": SINGLE, "id": "s"}])
    statuses = response.model_dump(exclude_unset=True)["statuses"]
    assert statuses[0]["error"] == not_found(MULTIPLE, "m")
    assert statuses[1]["success"] is False
    assert statuses[1]["error"]["statusCode"] in (404, 500)
