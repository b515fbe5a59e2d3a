# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""Spaces on the real engine: the spaces client's CRUD, deleting a space with what is in
it, and the spaces extension's searchable namespaces. (The async source of the generated
sync twin.)"""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.errors import BadRequestError, ConflictError, NotFoundError
from kbn_saved_objects.extensions.spaces import (
    SPACE_TYPE,
    SavedObjectsSpacesExtension,
    Space,
    SpacesClient,
)
from kbn_saved_objects.extensions.spaces._sync.client import MAX_SPACES_EXCEEDED
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.service import RequestContext, SavedObjectsServiceStart

pytestmark = pytest.mark.engine


def drive(engine: Engine, operation: Operation[Any]) -> Any:
    """Run a sub-operation against the engine, as a repository would."""
    try:
        request = next(operation)
        while True:
            request = operation.send(engine.perform(request))
    except StopIteration as stop:
        return stop.value


def test_get_all_lists_every_space_by_name(spaces_client: SpacesClient) -> None:
    spaces = spaces_client.get_all()
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
    assert [s.id for s in spaces_client.get_all("findSavedObjects")] == [
        "default",
        "s1",
        "s2",
    ]
    with pytest.raises(BadRequestError, match="unsupported space purpose: all"):
        spaces_client.get_all("all")


def test_create_get_update(spaces_client: SpacesClient) -> None:
    created = spaces_client.create(
        Space(id="ops", name="  Ops  ", color="#112233", disabled_features=("dev_tools",))
    )
    assert created == Space(id="ops", name="Ops", color="#112233", disabled_features=("dev_tools",))
    assert spaces_client.get("ops") == created

    updated = spaces_client.update("ops", Space(id="ops", name="Ops", description="d"))
    assert updated.description == "d"
    assert updated.color == "#112233"  # what the update does not mention stays
    assert spaces_client.get("ops") == updated
    renamed = spaces_client.update("ops", Space(id="ops", name=" New "))
    assert renamed.name == "New"


def test_create_refusals(spaces_client: SpacesClient) -> None:
    with pytest.raises(ConflictError) as conflict:
        spaces_client.create(Space(id="s1", name="again"))
    assert conflict.value.message == "A space with the identifier s1 already exists."
    assert (spaces_client.get("s1")).name == "S1"
    with pytest.raises(BadRequestError, match=r"^\[id\]: must be lower case"):
        spaces_client.create(Space(id="Bad", name="bad"))
    limited = SpacesClient(spaces_client.repository, max_spaces=3)
    with pytest.raises(BadRequestError) as too_many:
        limited.create(Space(id="s3", name="S3"))
    assert too_many.value.message == MAX_SPACES_EXCEEDED
    assert [s.id for s in spaces_client.get_all()] == ["default", "s1", "s2"]


def test_missing_spaces_are_not_found(spaces_client: SpacesClient) -> None:
    with pytest.raises(NotFoundError):
        spaces_client.get("ghost")
    with pytest.raises(NotFoundError):
        spaces_client.update("ghost", Space(id="ghost", name="G"))
    with pytest.raises(NotFoundError):
        spaces_client.delete("ghost")


def test_the_default_space_is_reserved(spaces_client: SpacesClient) -> None:
    with pytest.raises(BadRequestError) as caught:
        spaces_client.delete("default")
    assert caught.value.message == "The default space cannot be deleted because it is reserved."
    again = spaces_client.ensure_default_space()
    assert again.reserved
    assert [s.id for s in spaces_client.get_all()] == ["default", "s1", "s2"]


def test_deleting_a_space_deletes_its_objects(
    so_start: SavedObjectsServiceStart, spaces_client: SpacesClient
) -> None:
    s1 = so_start.get_scoped_client(RequestContext(space_id="s1"))
    s2 = so_start.get_scoped_client(RequestContext(space_id="s2"))
    s1.create("note", {"title": "s1 note"}, id="n1")
    s1.create("dashboard", {"title": "s1 dashboard"}, id="d1")
    s2.create("note", {"title": "s2 note"}, id="n1")
    internal = so_start.create_internal_repository()
    internal.create("shared", {"title": "both"}, id="sh", initial_namespaces=["s1", "s2"])

    spaces_client.delete("s1")

    with pytest.raises(NotFoundError):
        spaces_client.get("s1")
    with pytest.raises(NotFoundError):
        internal.get("note", "n1", namespace="s1")
    with pytest.raises(NotFoundError):
        internal.get("dashboard", "d1", namespace="s1")
    assert (s2.get("note", "n1")).attributes == {"title": "s2 note"}
    assert (internal.get("shared", "sh", namespace="s2")).namespaces == ["s2"]
    assert [s.id for s in spaces_client.get_all()] == ["default", "s2"]


def test_searchable_namespaces_are_the_spaces_that_exist(
    so_start: SavedObjectsServiceStart,
    spaces_client: SpacesClient,
    kbn_engine: Engine,
) -> None:
    client = so_start.get_scoped_client(RequestContext(space_id="s1"))
    spaces = client.context.extensions.spaces
    assert isinstance(spaces, SavedObjectsSpacesExtension)
    assert drive(kbn_engine, spaces.get_searchable_namespaces(["*"])) == [
        "default",
        "s1",
        "s2",
    ]
    asked = ["s2", "ghost", "s1"]
    assert drive(kbn_engine, spaces.get_searchable_namespaces(asked)) == ["s2", "s1"]
    spaces_client.delete("s2")
    assert drive(kbn_engine, spaces.get_searchable_namespaces(["*"])) == [
        "default",
        "s1",
    ]
    assert spaces.spaces_context.is_allowed(SPACE_TYPE)
