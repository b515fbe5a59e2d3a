"""bulk_update on the real engine: per-object results, merge, compare-and-set (spec 03 §2.8)."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import BadRequestError
from kbn_saved_objects.repository import AsyncSavedObjectsRepository
from kbn_saved_objects.repository.operations import bulk_update as bulk_update_op
from tests.repository.conftest import AGNOSTIC, HIDDEN, MULTIPLE, MULTIPLE_ISOLATED, SINGLE

pytestmark = pytest.mark.engine


def payload(status: int, label: str, message: str) -> dict[str, Any]:
    return {"statusCode": status, "error": label, "message": message}


async def test_results_in_input_order(async_repository: AsyncSavedObjectsRepository) -> None:
    repo = async_repository
    for type_name in (SINGLE, MULTIPLE, MULTIPLE_ISOLATED, AGNOSTIC):
        await repo.create(type_name, {"title": "t", "count": 1}, id="x", namespace="a")
    await repo.create(SINGLE, {"title": "in b"}, id="y", namespace="b")
    refs = [{"name": "r", "type": "t", "id": "1"}]
    response = await repo.bulk_update(
        [
            {"type": SINGLE, "id": "x", "attributes": {"title": "u"}},
            {"type": "unknown", "id": "u", "attributes": {}},
            {"type": MULTIPLE, "id": "x", "attributes": {"title": "u"}, "references": refs},
            {"type": HIDDEN, "id": "h", "attributes": {}},
            {"type": MULTIPLE_ISOLATED, "id": "x", "attributes": {"title": "u"}},
            {"type": AGNOSTIC, "id": "x", "attributes": {"title": "u"}},
            {"type": SINGLE, "id": "missing", "attributes": {}},
            {"type": SINGLE, "id": "x", "attributes": {}, "namespace": "*"},
            {"type": SINGLE, "id": "y", "attributes": {"title": "b!"}, "namespace": "b"},
            {"type": MULTIPLE, "id": "x", "attributes": {}, "namespace": "b"},
        ],
        namespace="a",
    )
    entries = response.model_dump(exclude_unset=True)["saved_objects"]
    assert [e.get("namespaces") for e in entries] == [
        ["a"],
        None,
        ["a"],
        None,
        ["a"],
        None,
        None,
        None,
        ["b"],
        None,
    ]
    assert [e.get("error") for e in entries] == [
        None,
        payload(404, "Not Found", "Saved object [unknown/u] not found"),
        None,
        payload(404, "Not Found", "Saved object [hiddentype/h] not found"),
        None,
        None,
        payload(404, "Not Found", "Saved object [isolated/missing] not found"),
        payload(400, "Bad Request", '"namespace" cannot be "*": Bad Request'),
        None,
        payload(404, "Not Found", "Saved object [shared/x] not found"),
    ]
    assert entries[0]["attributes"] == {"title": "u"}  # as passed, not merged
    assert entries[2]["references"] == refs
    assert "version" in entries[0]
    assert "updated_at" in entries[0]
    assert (await repo.get(SINGLE, "x", namespace="a")).attributes == {"title": "u", "count": 1}
    assert (await repo.get(MULTIPLE, "x", namespace="a")).references == refs
    assert (await repo.get(SINGLE, "y", namespace="b")).attributes == {"title": "b!"}
    got = await repo.get(SINGLE, "x", namespace="a")
    assert got.version == entries[0]["version"]


async def test_merge_attributes_false_and_versions(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    repo = async_repository
    first = await repo.create(SINGLE, {"title": "t", "count": 1}, id="m")
    await repo.create(SINGLE, {"title": "t"}, id="n")
    stale = first.version
    await repo.update(SINGLE, "m", {"count": 2})
    response = await repo.bulk_update(
        [
            {"type": SINGLE, "id": "m", "attributes": {"count": 3}, "version": stale},
            {"type": SINGLE, "id": "n", "attributes": {"count": 9}, "merge_attributes": False},
            {"type": SINGLE, "id": "n", "attributes": {}, "version": "garbage"},
        ]
    )
    entries = response.model_dump(exclude_unset=True)["saved_objects"]
    assert entries[0]["error"] == payload(409, "Conflict", "Saved object [isolated/m] conflict")
    assert "error" not in entries[1]
    assert entries[2]["error"] == payload(400, "Bad Request", "Invalid version [garbage]")
    assert (await repo.get(SINGLE, "m")).attributes == {"title": "t", "count": 2}
    assert (await repo.get(SINGLE, "n")).attributes == {"count": 9}


async def test_namespace_star_option_is_refused(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    with pytest.raises(BadRequestError) as caught:
        await async_repository.bulk_update([], namespace="*")
    assert caught.value.message == '"options.namespace" cannot be "*": Bad Request'
    assert (await async_repository.bulk_update([])).saved_objects == []


async def test_no_lost_update_without_version(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    """The improvement over Kibana: a write landing between the ``_mget`` and the ``_bulk``
    turns the object's entry into a 409 instead of being silently overwritten."""
    repo = async_repository
    await repo.create(SINGLE, {"title": "t"}, id="race")
    await repo.create(SINGLE, {"title": "t"}, id="calm")
    operation = bulk_update_op.bulk_update(
        repo.context,
        [
            {"type": SINGLE, "id": "race", "attributes": {"count": 1}},
            {"type": SINGLE, "id": "calm", "attributes": {"count": 1}},
        ],
        {},
    )
    fetched = await repo.engine.perform(next(operation))
    await repo.update(SINGLE, "race", {"title": "concurrent"})
    bulk = operation.send(fetched)
    try:
        operation.send(await repo.engine.perform(bulk))
    except StopIteration as stop:
        response = stop.value
    race, calm = response.model_dump(exclude_unset=True)["saved_objects"]
    assert race["error"] == payload(409, "Conflict", "Saved object [isolated/race] conflict")
    assert "error" not in calm
    assert (await repo.get(SINGLE, "race")).attributes == {"title": "concurrent"}
    assert (await repo.get(SINGLE, "calm")).attributes == {"title": "t", "count": 1}


async def test_missing_index_is_not_found(async_repository: AsyncSavedObjectsRepository) -> None:
    repo = async_repository
    await repo.engine.perform(rq.delete_index(repo.context.index_for(SINGLE) + "_001"))
    response = await repo.bulk_update([{"type": SINGLE, "id": "x", "attributes": {}}])
    (entry,) = response.model_dump(exclude_unset=True)["saved_objects"]
    assert entry["error"] == payload(404, "Not Found", "Saved object [isolated/x] not found")
