# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""update_objects_spaces on the real engine: sharing, unsharing, deletion, aliases and
compare-and-set (spec 05 §2)."""

from __future__ import annotations

import pytest

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import BadRequestError, NotFoundError
from kbn_saved_objects.repository import SavedObjectsRepository
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE
from tests.repository.conftest import HIDDEN, MULTIPLE, MULTIPLE_ISOLATED, SINGLE

pytestmark = pytest.mark.engine


def add_alias(repo: SavedObjectsRepository, space: str, source_id: str, target_id: str) -> None:
    repo.create(
        LEGACY_URL_ALIAS_TYPE,
        {
            "sourceId": source_id,
            "targetNamespace": space,
            "targetType": MULTIPLE,
            "targetId": target_id,
        },
        id=f"{space}:{MULTIPLE}:{source_id}",
    )


def alias_spaces(repo: SavedObjectsRepository, source_id: str) -> list[str]:
    found = repo.find(type=LEGACY_URL_ALIAS_TYPE, per_page=100)
    return sorted(
        o.attributes["targetNamespace"]
        for o in found.saved_objects
        if o.attributes["sourceId"] == source_id
    )


def test_sharing_makes_the_object_visible_in_the_new_space(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(MULTIPLE, {"title": "t"}, id="s1")
    response = repository.update_objects_spaces([{"type": MULTIPLE, "id": "s1"}], ["a"], [])
    assert response.model_dump(exclude_none=True) == {
        "objects": [{"type": MULTIPLE, "id": "s1", "spaces": ["default", "a"]}]
    }
    seen = repository.get(MULTIPLE, "s1", namespace="a")
    assert seen.namespaces == ["default", "a"]


def test_unsharing_removes_the_space_and_its_aliases_only(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(MULTIPLE, {"title": "t"}, id="s2", initial_namespaces=["default", "a"])
    add_alias(repository, "a", "old-s2", "s2")
    add_alias(repository, "default", "old-s2", "s2")

    response = repository.update_objects_spaces([{"type": MULTIPLE, "id": "s2"}], ["b"], ["a"])
    assert response.objects[0].spaces == ["default", "b"]
    with pytest.raises(NotFoundError):
        repository.get(MULTIPLE, "s2", namespace="a")
    repository.engine.perform(rq.refresh(repository.context.index_for(LEGACY_URL_ALIAS_TYPE)))
    assert alias_spaces(repository, "old-s2") == ["default"]


def test_removing_every_space_deletes_the_object_and_its_aliases(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(MULTIPLE, {"title": "t"}, id="s3", namespace="a")
    add_alias(repository, "a", "old-s3", "s3")
    response = repository.update_objects_spaces(
        [{"type": MULTIPLE, "id": "s3"}], [], ["a"], namespace="a"
    )
    assert response.objects[0].spaces == []
    assert response.objects[0].error is None
    with pytest.raises(NotFoundError):
        repository.get(MULTIPLE, "s3", namespace="a")
    repository.engine.perform(rq.refresh(repository.context.index_for(LEGACY_URL_ALIAS_TYPE)))
    assert alias_spaces(repository, "old-s3") == []


def test_leaving_all_spaces_keeps_aliases_of_the_spaces_it_stays_in(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(MULTIPLE, {"title": "t"}, id="s4", initial_namespaces=["*"])
    for space in ("x", "y"):
        add_alias(repository, space, "old-s4", "s4")
    response = repository.update_objects_spaces([{"type": MULTIPLE, "id": "s4"}], ["x"], ["*"])
    assert response.objects[0].spaces == ["x"]
    repository.engine.perform(rq.refresh(repository.context.index_for(LEGACY_URL_ALIAS_TYPE)))
    assert alias_spaces(repository, "old-s4") == ["x"]


def test_no_change_writes_nothing(repository: SavedObjectsRepository) -> None:
    created = repository.create(MULTIPLE, {"title": "t"}, id="s5", namespace="a")
    response = repository.update_objects_spaces(
        [{"type": MULTIPLE, "id": "s5"}], ["a"], ["z"], namespace="a"
    )
    assert response.objects[0].spaces == ["a"]
    after = repository.get(MULTIPLE, "s5", namespace="a")
    assert after.version == created.version


def test_per_object_errors(repository: SavedObjectsRepository) -> None:
    repository.create(MULTIPLE, {"title": "t"}, id="elsewhere", namespace="b")
    stale = repository.create(MULTIPLE, {"title": "t"}, id="moved")
    repository.update(MULTIPLE, "moved", {"title": "changed"})
    response = repository.update_objects_spaces(
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
def test_invalid_space_lists_are_refused(
    repository: SavedObjectsRepository, add: list[str], remove: list[str], message: str
) -> None:
    with pytest.raises(BadRequestError, match=message):
        repository.update_objects_spaces([{"type": MULTIPLE, "id": "x"}], add, remove)


def test_namespace_star_is_refused(repository: SavedObjectsRepository) -> None:
    with pytest.raises(BadRequestError):
        repository.update_objects_spaces([{"type": MULTIPLE, "id": "x"}], ["a"], [], namespace="*")


def test_a_scoped_repository_cannot_share_to_or_unshare_from_other_spaces(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(MULTIPLE, {"title": "t"}, id="scoped", namespace="a")
    scoped = repository.as_scoped_to_namespace("a")
    for add, remove in ((["b"], []), (["*"], []), ([], ["b"])):
        with pytest.raises(BadRequestError, match="scoped"):
            scoped.update_objects_spaces([{"type": MULTIPLE, "id": "scoped"}], add, remove)
    with pytest.raises(BadRequestError, match="scoped"):
        scoped.update_objects_spaces([{"type": MULTIPLE, "id": "scoped"}], ["a"], [], namespace="b")
    assert (repository.get(MULTIPLE, "scoped", namespace="a")).namespaces == ["a"]
    # its own space is its to manage: removing it deletes the object
    response = scoped.update_objects_spaces([{"type": MULTIPLE, "id": "scoped"}], [], ["a"])
    assert response.objects[0].spaces == []
