"""resolve and bulk_resolve on the real engine: the three outcomes, legacy URL aliases
and their counters, and per-object errors (spec 05 §6)."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.errors import BadRequestError, NotFoundError
from kbn_saved_objects.repository import AsyncSavedObjectsRepository
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE
from tests.repository.conftest import HIDDEN, MULTIPLE, SINGLE

pytestmark = pytest.mark.engine


async def add_alias(
    repo: AsyncSavedObjectsRepository,
    space: str,
    type_name: str,
    source_id: str,
    target_id: str,
    **extra: Any,
) -> None:
    await repo.create(
        LEGACY_URL_ALIAS_TYPE,
        {
            "sourceId": source_id,
            "targetNamespace": space,
            "targetType": type_name,
            "targetId": target_id,
            "purpose": "savedObjectConversion",
            **extra,
        },
        id=f"{space}:{type_name}:{source_id}",
    )


async def alias_attributes(
    repo: AsyncSavedObjectsRepository, space: str, type_name: str, source_id: str
) -> dict[str, Any]:
    alias = await repo.get(LEGACY_URL_ALIAS_TYPE, f"{space}:{type_name}:{source_id}")
    return dict(alias.attributes)


async def test_exact_match(async_repository: AsyncSavedObjectsRepository) -> None:
    await async_repository.create(MULTIPLE, {"title": "t"}, id="one", namespace="a")
    result = await async_repository.resolve(MULTIPLE, "one", namespace="a")
    assert result.outcome == "exactMatch"
    assert result.saved_object.id == "one"
    assert result.saved_object.namespaces == ["a"]
    assert result.alias_target_id is None
    assert "alias_target_id" not in result.model_dump(exclude_unset=True)


async def test_alias_match_returns_the_target_and_counts_the_resolve(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    await async_repository.create(MULTIPLE, {"title": "new"}, id="new-id", namespace="a")
    await add_alias(async_repository, "a", MULTIPLE, "old-id", "new-id")

    result = await async_repository.resolve(MULTIPLE, "old-id", namespace="a")
    assert result.outcome == "aliasMatch"
    assert result.saved_object.id == "new-id"
    assert result.saved_object.attributes == {"title": "new"}
    assert result.alias_target_id == "new-id"
    assert result.alias_purpose == "savedObjectConversion"
    first = await alias_attributes(async_repository, "a", MULTIPLE, "old-id")
    assert first["resolveCounter"] == 1
    assert first["lastResolved"]

    await async_repository.resolve(MULTIPLE, "old-id", namespace="a")
    assert (await alias_attributes(async_repository, "a", MULTIPLE, "old-id"))[
        "resolveCounter"
    ] == 2


async def test_conflict_returns_the_exact_object(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    await async_repository.create(MULTIPLE, {"title": "exact"}, id="dup", namespace="a")
    await async_repository.create(MULTIPLE, {"title": "target"}, id="moved", namespace="a")
    await add_alias(async_repository, "a", MULTIPLE, "dup", "moved")

    result = await async_repository.resolve(MULTIPLE, "dup", namespace="a")
    assert result.outcome == "conflict"
    assert result.saved_object.attributes == {"title": "exact"}
    assert result.alias_target_id == "moved"
    assert result.alias_purpose == "savedObjectConversion"


async def test_a_disabled_alias_is_ignored_and_not_counted(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    await async_repository.create(MULTIPLE, {"title": "t"}, id="target", namespace="a")
    await add_alias(async_repository, "a", MULTIPLE, "gone", "target", disabled=True)
    with pytest.raises(NotFoundError, match=r"Saved object \[shared/gone\] not found"):
        await async_repository.resolve(MULTIPLE, "gone", namespace="a")
    attributes = await alias_attributes(async_repository, "a", MULTIPLE, "gone")
    assert "resolveCounter" not in attributes

    await async_repository.create(MULTIPLE, {"title": "e"}, id="gone", namespace="a")
    result = await async_repository.resolve(MULTIPLE, "gone", namespace="a")
    assert result.outcome == "exactMatch"


async def test_aliases_and_objects_of_other_spaces_are_not_followed(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    # the alias lives in space a; its target only in space b
    await async_repository.create(MULTIPLE, {"title": "t"}, id="in-b", namespace="b")
    await add_alias(async_repository, "a", MULTIPLE, "old", "in-b")
    with pytest.raises(NotFoundError):
        await async_repository.resolve(MULTIPLE, "old", namespace="a")
    with pytest.raises(NotFoundError):
        await async_repository.resolve(MULTIPLE, "old", namespace="b")


async def test_single_namespace_types_resolve_by_their_space(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    await async_repository.create(SINGLE, {"title": "t"}, id="x", namespace="a")
    result = await async_repository.resolve(SINGLE, "x", namespace="a")
    assert (result.outcome, result.saved_object.namespaces) == ("exactMatch", ["a"])
    with pytest.raises(NotFoundError):
        await async_repository.resolve(SINGLE, "x")


async def test_unsupported_types_are_refused(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    for type_name in ("nope", HIDDEN):
        with pytest.raises(BadRequestError, match="Unsupported saved object type"):
            await async_repository.resolve(type_name, "x")


async def test_bulk_resolve_keeps_input_order_and_reports_errors_per_object(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    await async_repository.create(MULTIPLE, {"title": "t"}, id="here", namespace="a")
    await async_repository.create(MULTIPLE, {"title": "n"}, id="new", namespace="a")
    await add_alias(async_repository, "a", MULTIPLE, "old", "new")

    response = await async_repository.bulk_resolve(
        [
            {"type": "nope", "id": "1"},
            {"type": MULTIPLE, "id": "old"},
            {"type": MULTIPLE, "id": "missing"},
            {"type": MULTIPLE, "id": "here"},
        ],
        namespace="a",
    )
    dumped = response.model_dump(mode="json", exclude_unset=True)["resolved_objects"]
    assert dumped[0] == {
        "saved_object": {
            "type": "nope",
            "id": "1",
            "error": {
                "statusCode": 400,
                "error": "Bad Request",
                "message": "Unsupported saved object type: 'nope': Bad Request",
            },
        },
        "outcome": "exactMatch",
    }
    assert dumped[1]["outcome"] == "aliasMatch"
    assert dumped[1]["saved_object"]["id"] == "new"
    assert dumped[2]["saved_object"]["error"]["statusCode"] == 404
    assert dumped[2]["outcome"] == "exactMatch"
    assert (dumped[3]["outcome"], dumped[3]["saved_object"]["id"]) == ("exactMatch", "here")


async def test_bulk_resolve_of_nothing(async_repository: AsyncSavedObjectsRepository) -> None:
    assert (await async_repository.bulk_resolve([])).resolved_objects == []


async def test_a_scoped_repository_resolves_in_its_own_space_only(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    await async_repository.create(MULTIPLE, {"title": "t"}, id="s", namespace="a")
    scoped = async_repository.as_scoped_to_namespace("a")
    assert (await scoped.resolve(MULTIPLE, "s")).outcome == "exactMatch"
    with pytest.raises(Exception, match="scoped"):
        await scoped.resolve(MULTIPLE, "s", namespace="b")


async def test_disable_legacy_url_aliases(async_repository: AsyncSavedObjectsRepository) -> None:
    await async_repository.create(MULTIPLE, {"title": "t"}, id="to", namespace="a")
    await add_alias(async_repository, "a", MULTIPLE, "from", "to")
    assert (await async_repository.resolve(MULTIPLE, "from", namespace="a")).outcome == (
        "aliasMatch"
    )
    response = await async_repository.disable_legacy_url_aliases(
        [
            {"target_space": "a", "target_type": MULTIPLE, "source_id": "from"},
            {"target_space": "a", "target_type": MULTIPLE, "source_id": "never"},
        ]
    )
    assert response.saved_objects[0].error is None
    assert response.saved_objects[1].error is not None
    assert response.saved_objects[1].error["statusCode"] == 404
    with pytest.raises(NotFoundError):
        await async_repository.resolve(MULTIPLE, "from", namespace="a")
    attributes = await alias_attributes(async_repository, "a", MULTIPLE, "from")
    assert attributes["disabled"] is True
    assert attributes["resolveCounter"] == 1

    scoped = async_repository.as_scoped_to_namespace("b")
    with pytest.raises(Exception, match="scoped"):
        await scoped.disable_legacy_url_aliases(
            [{"target_space": "a", "target_type": MULTIPLE, "source_id": "from"}]
        )


async def test_an_object_of_another_type_sharing_the_raw_id_is_not_resolved(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    # "<space>:<type>:<id>" of a single-namespace object in space `shared` is also the raw
    # id of the default-space `shared` object whose id is "<type>:<id>"
    await async_repository.create(SINGLE, {"title": "victim"}, id="victim", namespace=MULTIPLE)
    with pytest.raises(NotFoundError):
        await async_repository.resolve(MULTIPLE, f"{SINGLE}:victim")
    response = await async_repository.bulk_resolve([{"type": MULTIPLE, "id": f"{SINGLE}:victim"}])
    assert response.resolved_objects[0].saved_object.error is not None
