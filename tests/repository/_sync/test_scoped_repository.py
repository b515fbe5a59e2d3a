# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""A repository scoped to one space reaches that space and nothing else (issue 13 item 1).

Every namespace-bearing option goes through one check; each test below is a way a scoped
repository could reach another space (or every space with ``"*"``), and shows it refused
with a 400 -- per object in bulk calls, for the whole call otherwise -- with nothing read
from, or written to, the other space.
"""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.errors import BadRequestError
from kbn_saved_objects.repository import SavedObjectsRepository
from tests.repository.conftest import MULTIPLE, SINGLE

pytestmark = pytest.mark.engine

SCOPE = "mine"
VICTIM = "victim"


def refused(option: str, namespace: str, scope: str = SCOPE) -> dict[str, Any]:
    return {
        "statusCode": 400,
        "error": "Bad Request",
        "message": f"this repository is scoped to namespace {scope!r}; {option} cannot reach "
        f"{namespace!r}: Bad Request",
    }


def victim_objects(repo: SavedObjectsRepository) -> None:
    """Objects of the victim space, and one of the scope's own, written unscoped."""
    repo.create(SINGLE, {"title": "secret"}, id="s", namespace=VICTIM)
    repo.create(MULTIPLE, {"title": "secret"}, id="m", namespace=VICTIM)
    repo.create(SINGLE, {"title": "own"}, id="own", namespace=SCOPE)


def test_bulk_get_namespaces_are_refused_per_object(
    repository: SavedObjectsRepository,
) -> None:
    victim_objects(repository)
    scoped = repository.as_scoped_to_namespace(SCOPE)
    response = scoped.bulk_get(
        [
            {"type": SINGLE, "id": "s", "namespaces": [VICTIM]},
            {"type": MULTIPLE, "id": "m", "namespaces": ["*"]},
            {"type": MULTIPLE, "id": "m", "namespaces": [SCOPE, VICTIM]},
            {"type": SINGLE, "id": "own", "namespaces": [SCOPE]},
            {"type": SINGLE, "id": "own"},
        ]
    )
    single, everywhere, several, own, implicit = response.saved_objects
    assert single.error == refused('"namespaces"', VICTIM)
    assert everywhere.error == refused('"namespaces"', "*")
    assert several.error == refused('"namespaces"', VICTIM)
    assert (own.error, own.attributes) == (None, {"title": "own"})
    assert (implicit.error, implicit.attributes) == (None, {"title": "own"})


@pytest.mark.parametrize(
    ("namespaces", "shown"),
    [([VICTIM], VICTIM), ([SCOPE, VICTIM], VICTIM), (["*"], "*"), (["default"], "default")],
)
def test_find_namespaces_are_refused(
    repository: SavedObjectsRepository, namespaces: list[str], shown: str
) -> None:
    victim_objects(repository)
    scoped = repository.as_scoped_to_namespace(SCOPE)
    with pytest.raises(BadRequestError) as caught:
        scoped.find(type=[SINGLE, MULTIPLE], namespaces=namespaces)
    assert caught.value.payload() == refused("options.namespaces", shown)
    own = scoped.find(type=[SINGLE, MULTIPLE], namespaces=[SCOPE])
    assert [(o.type, o.id) for o in own.saved_objects] == [(SINGLE, "own")]


@pytest.mark.parametrize(
    ("type_map", "shown"),
    [
        ({SINGLE: [VICTIM]}, VICTIM),
        ({SINGLE: [SCOPE], MULTIPLE: ["*"]}, "*"),
        ({SINGLE: None}, "default"),
    ],
)
def test_find_type_to_namespaces_map_is_refused(
    repository: SavedObjectsRepository, type_map: dict[str, Any], shown: str
) -> None:
    victim_objects(repository)
    scoped = repository.as_scoped_to_namespace(SCOPE)
    with pytest.raises(BadRequestError) as caught:
        scoped.find(type=[SINGLE, MULTIPLE], type_to_namespaces_map=type_map)
    assert caught.value.payload() == refused("options.typeToNamespacesMap", shown)
    own = scoped.find(type=SINGLE, type_to_namespaces_map={SINGLE: [SCOPE]})
    assert [o.id for o in own.saved_objects] == ["own"]


def test_point_in_time_finder_namespaces_are_refused(
    repository: SavedObjectsRepository,
) -> None:
    victim_objects(repository)
    scoped = repository.as_scoped_to_namespace(SCOPE)
    finder = scoped.create_point_in_time_finder(type=SINGLE, namespaces=[VICTIM])
    with pytest.raises(BadRequestError) as caught:
        for _ in finder.find():
            pass
    assert caught.value.payload() == refused("options.namespaces", VICTIM)
    with pytest.raises(BadRequestError):
        scoped.open_point_in_time_for_type(SINGLE, namespaces=["*"])
    seen = []
    with scoped.create_point_in_time_finder(type=SINGLE, namespaces=[SCOPE]) as own:
        for page in own.find():
            seen += [o.id for o in page.saved_objects]
    assert seen == ["own"]


def test_bulk_update_namespace_is_refused_per_object(
    repository: SavedObjectsRepository,
) -> None:
    victim_objects(repository)
    scoped = repository.as_scoped_to_namespace(SCOPE)
    response = scoped.bulk_update(
        [
            {"type": SINGLE, "id": "s", "attributes": {"title": "pwned"}, "namespace": VICTIM},
            {"type": SINGLE, "id": "own", "attributes": {"title": "mine"}},
        ]
    )
    other, own = response.saved_objects
    assert other.error == refused('"namespace"', VICTIM)
    assert own.error is None
    still = repository.get(SINGLE, "s", namespace=VICTIM)
    assert still.attributes == {"title": "secret"}


def test_initial_namespaces_are_refused(
    repository: SavedObjectsRepository,
) -> None:
    victim_objects(repository)
    scoped = repository.as_scoped_to_namespace(SCOPE)
    for spaces in ([VICTIM], ["*"], [SCOPE, VICTIM]):
        with pytest.raises(BadRequestError, match="scoped to namespace"):
            scoped.create(
                MULTIPLE, {"title": "pwned"}, id="m", overwrite=True, initial_namespaces=spaces
            )
    with pytest.raises(BadRequestError) as caught:
        scoped.create(
            SINGLE, {"title": "pwned"}, id="s", overwrite=True, initial_namespaces=[VICTIM]
        )
    assert caught.value.payload() == refused('"initialNamespaces"', VICTIM)
    response = scoped.bulk_create(
        [
            {
                "type": MULTIPLE,
                "id": "m",
                "attributes": {"title": "pwned"},
                "initial_namespaces": [VICTIM],
            },
            {
                "type": SINGLE,
                "id": "s",
                "attributes": {"title": "pwned"},
                "initial_namespaces": ["default"],
            },
            {
                "type": SINGLE,
                "id": "n",
                "attributes": {"title": "new"},
                "initial_namespaces": [SCOPE],
            },
        ],
        overwrite=True,
    )
    multi, single, own = response.saved_objects
    assert multi.error == refused('"initialNamespaces"', VICTIM)
    assert single.error == refused('"initialNamespaces"', "default")
    assert (own.error, own.namespaces) == (None, [SCOPE])
    for type_name, object_id in ((SINGLE, "s"), (MULTIPLE, "m")):
        still = repository.get(type_name, object_id, namespace=VICTIM)
        assert still.attributes == {"title": "secret"}


def test_delete_by_namespace_of_another_space_is_refused(
    repository: SavedObjectsRepository,
) -> None:
    victim_objects(repository)
    scoped = repository.as_scoped_to_namespace(SCOPE)
    with pytest.raises(BadRequestError) as caught:
        scoped.delete_by_namespace(VICTIM, refresh=True)
    assert caught.value.payload() == refused("namespace", VICTIM)
    assert (repository.get(SINGLE, "s", namespace=VICTIM)).id == "s"
    scoped.delete_by_namespace(SCOPE, refresh=True)
    assert (repository.find(type=SINGLE, namespaces=[SCOPE])).total == 0


def test_every_call_refuses_another_namespace(
    repository: SavedObjectsRepository,
) -> None:
    victim_objects(repository)
    scoped = repository.as_scoped_to_namespace(SCOPE)
    calls = [
        lambda: scoped.get(SINGLE, "s", namespace=VICTIM),
        lambda: scoped.create(SINGLE, {}, id="s", namespace=VICTIM, overwrite=True),
        lambda: scoped.update(SINGLE, "s", {"title": "pwned"}, namespace=VICTIM),
        lambda: scoped.delete(SINGLE, "s", namespace=VICTIM),
        lambda: scoped.bulk_get([{"type": SINGLE, "id": "s"}], namespace=VICTIM),
        lambda: scoped.bulk_create(
            [{"type": SINGLE, "id": "s", "attributes": {}}], namespace=VICTIM
        ),
        lambda: scoped.bulk_update(
            [{"type": SINGLE, "id": "s", "attributes": {}}], namespace=VICTIM
        ),
        lambda: scoped.bulk_delete([{"type": SINGLE, "id": "s"}], namespace=VICTIM),
        lambda: scoped.check_conflicts([{"type": SINGLE, "id": "s"}], namespace=VICTIM),
        lambda: scoped.increment_counter(SINGLE, "s", ["count"], namespace=VICTIM),
        lambda: scoped.remove_references_to(SINGLE, "s", namespace=VICTIM),
    ]
    for call in calls:
        with pytest.raises(BadRequestError) as caught:
            call()
        assert caught.value.payload() == refused("options.namespace", VICTIM)
    still = repository.get(SINGLE, "s", namespace=VICTIM)
    assert still.attributes == {"title": "secret"}
    assert scoped.get_current_namespace() == SCOPE


def test_a_repository_scoped_to_the_default_space_stays_there(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(SINGLE, {"title": "d"}, id="d")
    scoped = repository.as_scoped_to_namespace("default")
    found = scoped.find(type=SINGLE, namespaces=["default"])
    assert [o.id for o in found.saved_objects] == ["d"]
    with pytest.raises(BadRequestError):
        scoped.find(type=SINGLE, namespaces=["*"])
    with pytest.raises(BadRequestError):
        scoped.get(SINGLE, "d", namespace=VICTIM)
    assert (scoped.get(SINGLE, "d", namespace="default")).id == "d"


def test_a_scoped_repository_cannot_be_rescoped_elsewhere(
    repository: SavedObjectsRepository,
) -> None:
    scoped = repository.as_scoped_to_namespace("a")
    for elsewhere in ("b", "*", None, "default"):
        with pytest.raises(BadRequestError, match="as_scoped_to_namespace cannot reach"):
            scoped.as_scoped_to_namespace(elsewhere)
    assert scoped.as_scoped_to_namespace("a").get_current_namespace() == "a"
    # the default space's scope is "default" or None alike
    default = repository.as_scoped_to_namespace("default")
    assert default.as_scoped_to_namespace(None).get_current_namespace() is None
