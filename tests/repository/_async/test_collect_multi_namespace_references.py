"""collect_multi_namespace_references on the real engine: the reference graph, missing
objects, aliases and copies (spec 05 §3)."""

from __future__ import annotations

import pytest

from kbn_saved_objects.errors import BadRequestError, UnclassifiedError
from kbn_saved_objects.repository import AsyncSavedObjectsRepository
from kbn_saved_objects.repository.operations.collect_multi_namespace_references import (
    MAX_REFERENCE_GRAPH_DEPTH,
)
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE
from tests.repository.conftest import MULTIPLE, MULTIPLE_ISOLATED, SINGLE

pytestmark = pytest.mark.engine


def ref(type_name: str, object_id: str, name: str) -> dict[str, str]:
    return {"type": type_name, "id": object_id, "name": name}


async def test_the_graph_in_both_directions(async_repository: AsyncSavedObjectsRepository) -> None:
    repo = async_repository
    await repo.create(
        MULTIPLE,
        {"title": "d"},
        id="d1",
        initial_namespaces=["default", "a"],
        references=[ref(MULTIPLE, "v1", "panel_0"), ref(SINGLE, "ip1", "index")],
    )
    await repo.create(
        MULTIPLE_ISOLATED, {"title": "v"}, id="v1-isolated", references=[ref(MULTIPLE, "d1", "x")]
    )
    await repo.create(
        MULTIPLE, {"title": "v"}, id="v1", references=[ref(MULTIPLE_ISOLATED, "s9", "search_0")]
    )
    await repo.create(SINGLE, {"title": "ip"}, id="ip1")

    response = await repo.collect_multi_namespace_references([{"type": MULTIPLE, "id": "d1"}])
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


async def test_purpose_update_objects_spaces_follows_shareable_types_only(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    repo = async_repository
    await repo.create(
        MULTIPLE, {"title": "d"}, id="d2", references=[ref(MULTIPLE_ISOLATED, "i2", "r")]
    )
    await repo.create(MULTIPLE_ISOLATED, {"title": "i"}, id="i2")
    response = await repo.collect_multi_namespace_references(
        [{"type": MULTIPLE, "id": "d2"}, {"type": SINGLE, "id": "whatever"}],
        purpose="updateObjectsSpaces",
    )
    dumped = response.model_dump(mode="json", exclude_none=True)["objects"]
    assert [(o["type"], o["id"]) for o in dumped] == [(MULTIPLE, "d2"), (SINGLE, "whatever")]
    # an input that cannot take part is listed, without spaces and not marked missing
    assert dumped[1] == {"type": SINGLE, "id": "whatever", "spaces": [], "inboundReferences": []}


async def test_objects_of_other_spaces_are_missing(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    await async_repository.create(MULTIPLE, {"title": "b"}, id="only-b", namespace="b")
    response = await async_repository.collect_multi_namespace_references(
        [{"type": MULTIPLE, "id": "only-b"}], namespace="a"
    )
    assert response.objects[0].is_missing is True
    assert response.objects[0].spaces == []


async def test_spaces_with_matching_aliases_and_origins(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    repo = async_repository
    await repo.create(MULTIPLE, {"title": "o"}, id="orig", namespace="a")
    await repo.create(MULTIPLE, {"title": "copy"}, id="copy-1", namespace="b", origin_id="orig")
    await repo.create(MULTIPLE, {"title": "copy"}, id="copy-2", namespace="c", origin_id="orig")
    for space, disabled in (("x", False), ("y", False), ("z", True)):
        await repo.create(
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
    response = await repo.collect_multi_namespace_references(
        [{"type": MULTIPLE, "id": "orig"}], namespace="a"
    )
    found = response.objects[0]
    assert found.spaces_with_matching_aliases == ["x", "y"]
    # copying: the object itself counts (its raw id matches)
    assert found.spaces_with_matching_origins == ["a", "b", "c"]

    sharing = await repo.collect_multi_namespace_references(
        [{"type": MULTIPLE, "id": "orig"}], namespace="a", purpose="updateObjectsSpaces"
    )
    assert sharing.objects[0].spaces_with_matching_origins == ["b", "c"]

    copy = await repo.collect_multi_namespace_references(
        [{"type": MULTIPLE, "id": "copy-1"}], namespace="b"
    )
    assert copy.objects[0].origin_id == "orig"
    assert copy.objects[0].spaces_with_matching_origins == ["a", "b", "c"]


async def test_an_origin_shared_to_every_space_reports_star(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    await async_repository.create(MULTIPLE, {"title": "o"}, id="o2", initial_namespaces=["*"])
    await async_repository.create(MULTIPLE, {"title": "c"}, id="c2", namespace="b", origin_id="o2")
    response = await async_repository.collect_multi_namespace_references(
        [{"type": MULTIPLE, "id": "c2"}], namespace="b"
    )
    assert response.objects[0].spaces_with_matching_origins == ["*"]


async def test_cycles_end(async_repository: AsyncSavedObjectsRepository) -> None:
    await async_repository.create(
        MULTIPLE, {"title": "1"}, id="c-1", references=[ref(MULTIPLE, "c-2", "n")]
    )
    await async_repository.create(
        MULTIPLE, {"title": "2"}, id="c-2", references=[ref(MULTIPLE, "c-1", "n")]
    )
    response = await async_repository.collect_multi_namespace_references(
        [{"type": MULTIPLE, "id": "c-1"}]
    )
    assert [(o.id, [r.id for r in o.inbound_references]) for o in response.objects] == [
        ("c-1", ["c-2"]),
        ("c-2", ["c-1"]),
    ]


async def test_nothing_in_nothing_out(async_repository: AsyncSavedObjectsRepository) -> None:
    assert (await async_repository.collect_multi_namespace_references([])).objects == []


async def test_a_graph_deeper_than_the_limit_is_refused(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    depth = MAX_REFERENCE_GRAPH_DEPTH + 1
    await async_repository.bulk_create(
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
        await async_repository.collect_multi_namespace_references(
            [{"type": MULTIPLE, "id": "chain-0"}]
        )
    # twenty reads are allowed: chain-2 ... chain-20, then the missing chain-21
    response = await async_repository.collect_multi_namespace_references(
        [{"type": MULTIPLE, "id": "chain-2"}]
    )
    assert len(response.objects) == MAX_REFERENCE_GRAPH_DEPTH
    assert response.objects[-1].is_missing is True


async def test_a_scoped_repository_learns_nothing_of_other_spaces(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    repo = async_repository
    await repo.create(MULTIPLE, {"title": "o"}, id="s-orig", namespace="a")
    await repo.create(MULTIPLE, {"title": "c"}, id="s-copy", namespace="b", origin_id="s-orig")
    for space in ("a", "x"):
        await repo.create(
            LEGACY_URL_ALIAS_TYPE,
            {
                "sourceId": "s-orig",
                "targetNamespace": space,
                "targetType": MULTIPLE,
                "targetId": "new",
            },
            id=f"{space}:{MULTIPLE}:s-orig",
        )
    unscoped = await repo.collect_multi_namespace_references(
        [{"type": MULTIPLE, "id": "s-orig"}], namespace="a"
    )
    assert unscoped.objects[0].spaces_with_matching_aliases == ["a", "x"]
    assert unscoped.objects[0].spaces_with_matching_origins == ["a", "b"]

    scoped = repo.as_scoped_to_namespace("a")
    seen = await scoped.collect_multi_namespace_references([{"type": MULTIPLE, "id": "s-orig"}])
    assert seen.objects[0].spaces_with_matching_aliases == ["a"]
    assert seen.objects[0].spaces_with_matching_origins == ["a"]
    with pytest.raises(BadRequestError, match="scoped"):
        await scoped.collect_multi_namespace_references(
            [{"type": MULTIPLE, "id": "s-orig"}], namespace="b"
        )
