# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""collect_multi_namespace_references on the real engine: the reference graph, missing
objects, aliases and copies (spec 05 §3)."""

from __future__ import annotations

import pytest

from kbn_saved_objects.errors import BadRequestError, UnclassifiedError
from kbn_saved_objects.repository import SavedObjectsRepository
from kbn_saved_objects.repository.operations.collect_multi_namespace_references import (
    MAX_REFERENCE_GRAPH_DEPTH,
)
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE
from tests.repository.conftest import MULTIPLE, MULTIPLE_ISOLATED, SINGLE

pytestmark = pytest.mark.engine


def ref(type_name: str, object_id: str, name: str) -> dict[str, str]:
    return {"type": type_name, "id": object_id, "name": name}


def test_the_graph_in_both_directions(repository: SavedObjectsRepository) -> None:
    repo = repository
    repo.create(
        MULTIPLE,
        {"title": "d"},
        id="d1",
        initial_namespaces=["default", "a"],
        references=[ref(MULTIPLE, "v1", "panel_0"), ref(SINGLE, "ip1", "index")],
    )
    repo.create(
        MULTIPLE_ISOLATED, {"title": "v"}, id="v1-isolated", references=[ref(MULTIPLE, "d1", "x")]
    )
    repo.create(
        MULTIPLE, {"title": "v"}, id="v1", references=[ref(MULTIPLE_ISOLATED, "s9", "search_0")]
    )
    repo.create(SINGLE, {"title": "ip"}, id="ip1")

    response = repo.collect_multi_namespace_references([{"type": MULTIPLE, "id": "d1"}])
    assert response.model_dump(mode="json", exclude_none=True) == {
        "objects": [
            # for copying, an object is its own origin: its spaces are listed (as Kibana)
            {
                "type": MULTIPLE,
                "id": "d1",
                "spaces": ["default", "a"],
                "inboundReferences": [],
                "spacesWithMatchingOrigins": ["a", "default"],
            },
            {
                "type": MULTIPLE,
                "id": "v1",
                "spaces": ["default"],
                "inboundReferences": [{"type": MULTIPLE, "id": "d1", "name": "panel_0"}],
                "spacesWithMatchingOrigins": ["default"],
            },
            {
                "type": MULTIPLE_ISOLATED,
                "id": "s9",
                "spaces": [],
                "isMissing": True,
                "inboundReferences": [{"type": MULTIPLE, "id": "v1", "name": "search_0"}],
            },
        ]
    }


def test_purpose_update_objects_spaces_follows_shareable_types_only(
    repository: SavedObjectsRepository,
) -> None:
    repo = repository
    repo.create(MULTIPLE, {"title": "d"}, id="d2", references=[ref(MULTIPLE_ISOLATED, "i2", "r")])
    repo.create(MULTIPLE_ISOLATED, {"title": "i"}, id="i2")
    response = repo.collect_multi_namespace_references(
        [{"type": MULTIPLE, "id": "d2"}, {"type": SINGLE, "id": "whatever"}],
        purpose="updateObjectsSpaces",
    )
    dumped = response.model_dump(mode="json", exclude_none=True)["objects"]
    assert [(o["type"], o["id"]) for o in dumped] == [(MULTIPLE, "d2"), (SINGLE, "whatever")]
    # an input that cannot take part is listed, without spaces and not marked missing
    assert dumped[1] == {"type": SINGLE, "id": "whatever", "spaces": [], "inboundReferences": []}


def test_objects_of_other_spaces_are_missing(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(MULTIPLE, {"title": "b"}, id="only-b", namespace="b")
    response = repository.collect_multi_namespace_references(
        [{"type": MULTIPLE, "id": "only-b"}], namespace="a"
    )
    assert response.objects[0].is_missing is True
    assert response.objects[0].spaces == []


def test_spaces_with_matching_aliases_and_origins(
    repository: SavedObjectsRepository,
) -> None:
    repo = repository
    repo.create(MULTIPLE, {"title": "o"}, id="orig", namespace="a")
    repo.create(MULTIPLE, {"title": "copy"}, id="copy-1", namespace="b", origin_id="orig")
    repo.create(MULTIPLE, {"title": "copy"}, id="copy-2", namespace="c", origin_id="orig")
    for space, disabled in (("x", False), ("y", False), ("z", True)):
        repo.create(
            LEGACY_URL_ALIAS_TYPE,
            {
                "sourceId": "orig",
                "targetNamespace": space,
                "targetType": MULTIPLE,
                "targetId": "new",
                "disabled": disabled,
            },
            id=f"{space}:{MULTIPLE}:orig",
        )
    response = repo.collect_multi_namespace_references(
        [{"type": MULTIPLE, "id": "orig"}], namespace="a"
    )
    found = response.objects[0]
    assert found.spaces_with_matching_aliases == ["x", "y"]
    # copying: the object itself counts (its raw id matches)
    assert found.spaces_with_matching_origins == ["a", "b", "c"]

    sharing = repo.collect_multi_namespace_references(
        [{"type": MULTIPLE, "id": "orig"}], namespace="a", purpose="updateObjectsSpaces"
    )
    assert sharing.objects[0].spaces_with_matching_origins == ["b", "c"]

    copy = repo.collect_multi_namespace_references(
        [{"type": MULTIPLE, "id": "copy-1"}], namespace="b"
    )
    assert copy.objects[0].origin_id == "orig"
    assert copy.objects[0].spaces_with_matching_origins == ["a", "b", "c"]


def test_an_origin_shared_to_every_space_reports_star(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(MULTIPLE, {"title": "o"}, id="o2", initial_namespaces=["*"])
    repository.create(MULTIPLE, {"title": "c"}, id="c2", namespace="b", origin_id="o2")
    response = repository.collect_multi_namespace_references(
        [{"type": MULTIPLE, "id": "c2"}], namespace="b"
    )
    assert response.objects[0].spaces_with_matching_origins == ["*"]


def test_cycles_end(repository: SavedObjectsRepository) -> None:
    repository.create(MULTIPLE, {"title": "1"}, id="c-1", references=[ref(MULTIPLE, "c-2", "n")])
    repository.create(MULTIPLE, {"title": "2"}, id="c-2", references=[ref(MULTIPLE, "c-1", "n")])
    response = repository.collect_multi_namespace_references([{"type": MULTIPLE, "id": "c-1"}])
    assert [(o.id, [r.id for r in o.inbound_references]) for o in response.objects] == [
        ("c-1", ["c-2"]),
        ("c-2", ["c-1"]),
    ]


def test_nothing_in_nothing_out(repository: SavedObjectsRepository) -> None:
    assert (repository.collect_multi_namespace_references([])).objects == []


def test_a_graph_deeper_than_the_limit_is_refused(
    repository: SavedObjectsRepository,
) -> None:
    depth = MAX_REFERENCE_GRAPH_DEPTH + 1
    repository.bulk_create(
        [
            {
                "type": MULTIPLE,
                "id": f"chain-{n}",
                "attributes": {"title": str(n)},
                "references": [ref(MULTIPLE, f"chain-{n + 1}", "next")],
            }
            for n in range(depth)
        ]
    )
    with pytest.raises(UnclassifiedError, match="Exceeded maximum reference graph depth of 20"):
        repository.collect_multi_namespace_references([{"type": MULTIPLE, "id": "chain-0"}])
    # twenty reads are allowed: chain-2 ... chain-20, then the missing chain-21
    response = repository.collect_multi_namespace_references([{"type": MULTIPLE, "id": "chain-2"}])
    assert len(response.objects) == MAX_REFERENCE_GRAPH_DEPTH
    assert response.objects[-1].is_missing is True


def test_a_scoped_repository_learns_nothing_of_other_spaces(
    repository: SavedObjectsRepository,
) -> None:
    repo = repository
    repo.create(MULTIPLE, {"title": "o"}, id="s-orig", namespace="a")
    repo.create(MULTIPLE, {"title": "c"}, id="s-copy", namespace="b", origin_id="s-orig")
    for space in ("a", "x"):
        repo.create(
            LEGACY_URL_ALIAS_TYPE,
            {
                "sourceId": "s-orig",
                "targetNamespace": space,
                "targetType": MULTIPLE,
                "targetId": "new",
            },
            id=f"{space}:{MULTIPLE}:s-orig",
        )
    unscoped = repo.collect_multi_namespace_references(
        [{"type": MULTIPLE, "id": "s-orig"}], namespace="a"
    )
    assert unscoped.objects[0].spaces_with_matching_aliases == ["a", "x"]
    assert unscoped.objects[0].spaces_with_matching_origins == ["a", "b"]

    scoped = repo.as_scoped_to_namespace("a")
    seen = scoped.collect_multi_namespace_references([{"type": MULTIPLE, "id": "s-orig"}])
    assert seen.objects[0].spaces_with_matching_aliases == ["a"]
    assert seen.objects[0].spaces_with_matching_origins == ["a"]
    with pytest.raises(BadRequestError, match="scoped"):
        scoped.collect_multi_namespace_references(
            [{"type": MULTIPLE, "id": "s-orig"}], namespace="b"
        )
