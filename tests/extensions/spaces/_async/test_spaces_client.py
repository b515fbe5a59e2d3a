"""Spaces on the real engine: the spaces client's CRUD, deleting a space with what is in
it, and the spaces extension's searchable namespaces. (The async source of the generated
sync twin.)"""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.engine import AsyncEngine
from kbn_saved_objects.errors import BadRequestError, ConflictError, NotFoundError
from kbn_saved_objects.extensions.spaces import (
    SPACE_TYPE,
    AsyncSpacesClient,
    SavedObjectsSpacesExtension,
    Space,
)
from kbn_saved_objects.extensions.spaces._async.client import MAX_SPACES_EXCEEDED
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.service import AsyncSavedObjectsServiceStart, RequestContext

pytestmark = pytest.mark.engine


async def drive(engine: AsyncEngine, operation: Operation[Any]) -> Any:
    """Run a sub-operation against the engine, as a repository would."""
    try:
        request = next(operation)
        while True:
            request = operation.send(await engine.perform(request))
    except StopIteration as stop:
        return stop.value


async def test_get_all_lists_every_space_by_name(async_spaces_client: AsyncSpacesClient) -> None:
    spaces = await async_spaces_client.get_all()
    assert [s.id for s in spaces] == ["default", "s1", "s2"]
    default = spaces[0]
    assert default.reserved
    assert default.to_dict() == {
        "id": "default",
        "name": "Default",
        "description": "This is your default space!",
        "color": "#00bfb3",
        "disabledFeatures": [],
        "_reserved": True,
    }
    assert [s.id for s in await async_spaces_client.get_all("findSavedObjects")] == [
        "default",
        "s1",
        "s2",
    ]
    with pytest.raises(BadRequestError, match="unsupported space purpose: all"):
        await async_spaces_client.get_all("all")


async def test_create_get_update(async_spaces_client: AsyncSpacesClient) -> None:
    created = await async_spaces_client.create(
        Space(id="ops", name="  Ops  ", color="#112233", disabled_features=("dev_tools",))
    )
    assert created == Space(id="ops", name="Ops", color="#112233", disabled_features=("dev_tools",))
    assert await async_spaces_client.get("ops") == created

    updated = await async_spaces_client.update("ops", Space(id="ops", name="Ops", description="d"))
    assert updated.description == "d"
    assert updated.color == "#112233"  # what the update does not mention stays
    assert await async_spaces_client.get("ops") == updated
    renamed = await async_spaces_client.update("ops", Space(id="ops", name=" New "))
    assert renamed.name == "New"


async def test_create_refusals(async_spaces_client: AsyncSpacesClient) -> None:
    with pytest.raises(ConflictError) as conflict:
        await async_spaces_client.create(Space(id="s1", name="again"))
    assert conflict.value.message == "A space with the identifier s1 already exists."
    assert (await async_spaces_client.get("s1")).name == "S1"
    with pytest.raises(BadRequestError, match=r"^\[id\]: must be lower case"):
        await async_spaces_client.create(Space(id="Bad", name="bad"))
    limited = AsyncSpacesClient(async_spaces_client.repository, max_spaces=3)
    with pytest.raises(BadRequestError) as too_many:
        await limited.create(Space(id="s3", name="S3"))
    assert too_many.value.message == MAX_SPACES_EXCEEDED
    assert [s.id for s in await async_spaces_client.get_all()] == ["default", "s1", "s2"]


async def test_missing_spaces_are_not_found(async_spaces_client: AsyncSpacesClient) -> None:
    with pytest.raises(NotFoundError):
        await async_spaces_client.get("ghost")
    with pytest.raises(NotFoundError):
        await async_spaces_client.update("ghost", Space(id="ghost", name="G"))
    with pytest.raises(NotFoundError):
        await async_spaces_client.delete("ghost")


async def test_the_default_space_is_reserved(async_spaces_client: AsyncSpacesClient) -> None:
    with pytest.raises(BadRequestError) as caught:
        await async_spaces_client.delete("default")
    assert caught.value.message == "The default space cannot be deleted because it is reserved."
    again = await async_spaces_client.ensure_default_space()
    assert again.reserved
    assert [s.id for s in await async_spaces_client.get_all()] == ["default", "s1", "s2"]


async def test_deleting_a_space_deletes_its_objects(
    async_so_start: AsyncSavedObjectsServiceStart, async_spaces_client: AsyncSpacesClient
) -> None:
    s1 = async_so_start.get_scoped_client(RequestContext(space_id="s1"))
    s2 = async_so_start.get_scoped_client(RequestContext(space_id="s2"))
    await s1.create("note", {"title": "s1 note"}, id="n1")
    await s1.create("dashboard", {"title": "s1 dashboard"}, id="d1")
    await s2.create("note", {"title": "s2 note"}, id="n1")
    internal = async_so_start.create_internal_repository()
    await internal.create("shared", {"title": "both"}, id="sh", initial_namespaces=["s1", "s2"])

    await async_spaces_client.delete("s1")

    with pytest.raises(NotFoundError):
        await async_spaces_client.get("s1")
    with pytest.raises(NotFoundError):
        await internal.get("note", "n1", namespace="s1")
    with pytest.raises(NotFoundError):
        await internal.get("dashboard", "d1", namespace="s1")
    assert (await s2.get("note", "n1")).attributes == {"title": "s2 note"}
    assert (await internal.get("shared", "sh", namespace="s2")).namespaces == ["s2"]
    assert [s.id for s in await async_spaces_client.get_all()] == ["default", "s2"]


async def test_searchable_namespaces_are_the_spaces_that_exist(
    async_so_start: AsyncSavedObjectsServiceStart,
    async_spaces_client: AsyncSpacesClient,
    kbn_async_engine: AsyncEngine,
) -> None:
    client = async_so_start.get_scoped_client(RequestContext(space_id="s1"))
    spaces = client.context.extensions.spaces
    assert isinstance(spaces, SavedObjectsSpacesExtension)
    assert await drive(kbn_async_engine, spaces.get_searchable_namespaces(["*"])) == [
        "default",
        "s1",
        "s2",
    ]
    asked = ["s2", "ghost", "s1"]
    assert await drive(kbn_async_engine, spaces.get_searchable_namespaces(asked)) == ["s2", "s1"]
    await async_spaces_client.delete("s2")
    assert await drive(kbn_async_engine, spaces.get_searchable_namespaces(["*"])) == [
        "default",
        "s1",
    ]
    assert spaces.spaces_context.is_allowed(SPACE_TYPE)
