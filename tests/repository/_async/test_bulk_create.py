"""bulk_create on the real engine: per-object results and errors (spec 03 §2.2, 05 §4.1)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import (
    BadRequestError,
    DocumentVersionError,
    EngineUnavailableError,
    InvalidVersionError,
)
from kbn_saved_objects.repository import AsyncSavedObjectsRepository
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE
from tests.repository.conftest import (
    AGNOSTIC,
    HIDDEN,
    MULTIPLE,
    MULTIPLE_ISOLATED,
    OTHER_INDEX,
    SINGLE,
    VALIDATED,
)

pytestmark = pytest.mark.engine

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def conflict(type_name: str, object_id: str, **metadata: Any) -> dict[str, Any]:
    error: dict[str, Any] = {
        "statusCode": 409,
        "error": "Conflict",
        "message": f"Saved object [{type_name}/{object_id}] conflict",
    }
    if metadata:
        error["metadata"] = metadata
    return error


def bad_request(reason: str) -> dict[str, Any]:
    return {"statusCode": 400, "error": "Bad Request", "message": f"{reason}: Bad Request"}


async def stored(repo: AsyncSavedObjectsRepository, type_name: str, raw_id: str) -> Any:
    answer = await repo.engine.perform(rq.get_document(repo.context.index_for(type_name), raw_id))
    return answer["_source"] if answer.get("found") else None


async def count(repo: AsyncSavedObjectsRepository) -> int:
    indices = repo.context.indices_for([SINGLE, OTHER_INDEX])
    await repo.engine.perform(rq.refresh(indices))
    return int((await repo.engine.perform(rq.count(indices)))["count"])


@pytest.mark.parametrize(
    ("type_name", "raw_id", "namespaces"),
    [
        (SINGLE, "space1:isolated:a", ["space1"]),
        (MULTIPLE, "shared:a", ["space1"]),
        (MULTIPLE_ISOLATED, "isolated-multi:a", ["space1"]),
        (AGNOSTIC, "global:a", None),
        (OTHER_INDEX, "elsewhere:a", ["space1"]),
    ],
)
async def test_every_namespace_type_is_written_like_create(
    async_repository: AsyncSavedObjectsRepository,
    type_name: str,
    raw_id: str,
    namespaces: list[str] | None,
) -> None:
    response = await async_repository.bulk_create(
        [
            {"type": type_name, "id": "a", "attributes": {"title": "A"}},
            {"type": type_name, "attributes": {"title": "generated"}},
        ],
        namespace="space1",
    )
    first, second = response.saved_objects
    assert (first.id, first.type, first.error) == ("a", type_name, None)
    assert first.namespaces == namespaces
    assert first.attributes == {"title": "A"}
    assert first.references == []
    assert first.managed is False
    assert first.created_at == first.updated_at == second.created_at
    assert first.version
    assert second.version
    assert UUID4.match(second.id)
    source = await stored(async_repository, type_name, raw_id)
    assert source[type_name] == {"title": "A"}
    assert ("namespace" in source) == (type_name == SINGLE)
    assert source.get("namespaces") == (namespaces if type_name != SINGLE else None)
    got = await async_repository.get(type_name, "a", namespace="space1")
    assert got.version == first.version


async def test_results_keep_input_order_across_errors(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    await async_repository.create(SINGLE, {"title": "old"}, id="taken", refresh=True)
    response = await async_repository.bulk_create(
        [
            {"type": SINGLE, "id": "one", "attributes": {"title": "1"}},
            {"type": "unknownType", "id": "three", "attributes": {}},
            {"type": SINGLE, "id": "taken", "attributes": {"title": "new"}},
            {"type": AGNOSTIC, "id": "two", "attributes": {"title": "2"}},
            {"type": HIDDEN, "attributes": {}},
        ],
        refresh=True,
    )
    dumped = response.model_dump(mode="json", exclude_unset=True)["saved_objects"]
    assert [(entry.get("id"), entry["type"]) for entry in dumped] == [
        ("one", SINGLE),
        ("three", "unknownType"),
        ("taken", SINGLE),
        ("two", AGNOSTIC),
        (None, HIDDEN),
    ]
    assert dumped[1] == {
        "id": "three",
        "type": "unknownType",
        "error": bad_request("Unsupported saved object type: 'unknownType'"),
    }
    assert dumped[2] == {"id": "taken", "type": SINGLE, "error": conflict(SINGLE, "taken")}
    assert dumped[4] == {
        "type": HIDDEN,
        "error": bad_request("Unsupported saved object type: 'hiddentype'"),
    }
    assert "error" not in dumped[0]
    assert "error" not in dumped[3]
    assert dumped[3].keys() >= {"attributes", "version", "references", "managed"}
    assert "namespaces" not in dumped[3]  # agnostic: key absent, as Kibana's serializer
    assert (await async_repository.get(SINGLE, "taken")).attributes == {"title": "old"}


@pytest.mark.parametrize(
    ("type_name", "fields", "reason"),
    [
        (SINGLE, {"id": "a/b"}, "Invalid saved object ID: IDs cannot contain '/'."),
        (
            AGNOSTIC,
            {"initial_namespaces": []},
            '"initialNamespaces" cannot be used on space-agnostic types',
        ),
        (
            MULTIPLE,
            {"initial_namespaces": []},
            '"initialNamespaces" must be a non-empty array of strings',
        ),
        (
            SINGLE,
            {"initial_namespaces": ["a", "b"]},
            '"initialNamespaces" can only specify a single space when used with space-isolated '
            "types",
        ),
        (
            MULTIPLE_ISOLATED,
            {"initial_namespaces": ["*"]},
            '"initialNamespaces" can only specify a single space when used with space-isolated '
            "types",
        ),
        (SINGLE, {"origin_id": "o"}, '"originId" can only be set for multi-namespace object types'),
        (
            AGNOSTIC,
            {"origin_id": None},
            '"originId" can only be set for multi-namespace object types',
        ),
    ],
)
async def test_invalid_objects_are_error_entries_and_write_nothing(
    async_repository: AsyncSavedObjectsRepository,
    type_name: str,
    fields: dict[str, Any],
    reason: str,
) -> None:
    response = await async_repository.bulk_create(
        [{"type": type_name, "attributes": {"title": "x"}, **fields}]  # type: ignore[list-item]
    )
    (entry,) = response.saved_objects
    assert entry.type == type_name
    assert entry.id == fields.get("id")
    assert entry.error == bad_request(reason)
    assert await count(async_repository) == 0


async def test_namespace_star_and_bad_versions_fail_the_whole_call(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    objects: list[Any] = [{"type": SINGLE, "id": "v", "attributes": {}, "version": "nope"}]
    with pytest.raises(BadRequestError) as star:
        await async_repository.bulk_create(objects, namespace="*")
    assert star.value.message == '"options.namespace" cannot be "*": Bad Request'
    with pytest.raises(InvalidVersionError) as version:
        await async_repository.bulk_create(objects, overwrite=True)
    assert version.value.message == "Invalid version [nope]"
    assert await count(async_repository) == 0
    ignored = await async_repository.bulk_create(objects, refresh=True)
    assert ignored.saved_objects[0].error is None  # a version without overwrite is ignored


@pytest.mark.parametrize("type_name", [SINGLE, MULTIPLE, MULTIPLE_ISOLATED, AGNOSTIC])
async def test_existing_objects_conflict_unless_overwritten(
    async_repository: AsyncSavedObjectsRepository, type_name: str
) -> None:
    first = await async_repository.create(type_name, {"title": "1"}, id="dup", refresh=True)
    refused = await async_repository.bulk_create(
        [{"type": type_name, "id": "dup", "attributes": {"title": "2"}}]
    )
    assert refused.saved_objects[0].error == conflict(type_name, "dup")
    stale = await async_repository.bulk_create(
        [{"type": type_name, "id": "dup", "attributes": {"title": "2"}, "version": "Wzk5LDk5XQ=="}],
        overwrite=True,
    )
    assert stale.saved_objects[0].error == conflict(type_name, "dup")
    written = await async_repository.bulk_create(
        [
            {
                "type": type_name,
                "id": "dup",
                "attributes": {"title": "3"},
                "version": first.version,
            },
            # a version on a generated id is dropped: the engine refuses CAS on create
            {"type": type_name, "attributes": {"title": "fresh"}, "version": first.version},
        ],
        overwrite=True,
    )
    overwritten, fresh = written.saved_objects
    assert overwritten.error is None
    assert fresh.error is None
    assert overwritten.attributes == {"title": "3"}
    assert overwritten.version != first.version
    assert (await async_repository.get(type_name, "dup")).attributes == {"title": "3"}


@pytest.mark.parametrize("type_name", [MULTIPLE, MULTIPLE_ISOLATED])
async def test_multi_namespace_object_in_another_space_is_not_overwritable(
    async_repository: AsyncSavedObjectsRepository, type_name: str
) -> None:
    await async_repository.create(type_name, {"title": "a"}, id="m", namespace="a", refresh=True)
    for overwrite in (False, True):
        response = await async_repository.bulk_create(
            [{"type": type_name, "id": "m", "attributes": {"title": "b"}}],
            namespace="b",
            overwrite=overwrite,
        )
        assert response.saved_objects[0].error == conflict(type_name, "m", isNotOverwritable=True)
    assert (await async_repository.get(type_name, "m", namespace="a")).attributes == {"title": "a"}


async def test_single_namespace_objects_of_other_spaces_do_not_collide(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    await async_repository.create(SINGLE, {"title": "a"}, id="s", namespace="a", refresh=True)
    response = await async_repository.bulk_create(
        [{"type": SINGLE, "id": "s", "attributes": {"title": "b"}}], namespace="b"
    )
    assert response.saved_objects[0].error is None
    assert response.saved_objects[0].namespaces == ["b"]
    assert (await async_repository.get(SINGLE, "s", namespace="a")).attributes == {"title": "a"}


async def test_alias_conflicts_name_the_spaces(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    for space in ("b", "c"):
        await async_repository.create(
            LEGACY_URL_ALIAS_TYPE,
            {"sourceId": "x", "targetNamespace": space, "targetType": MULTIPLE, "targetId": "y"},
            id=f"{space}:{MULTIPLE}:x",
            refresh=True,
        )
    many = ["a", "b", "c", "d", "e"]  # more than three spaces: aliases are searched
    response = await async_repository.bulk_create(
        [
            {"type": MULTIPLE, "id": "x", "attributes": {}, "initial_namespaces": ["a", "b"]},
            {"type": MULTIPLE, "id": "x", "attributes": {}, "initial_namespaces": many},
            {"type": MULTIPLE, "id": "x", "attributes": {}, "initial_namespaces": ["*"]},
            {"type": MULTIPLE, "id": "x", "attributes": {}, "initial_namespaces": ["a"]},
        ]
    )
    errors = [entry.error for entry in response.saved_objects]
    assert errors[0] == conflict(MULTIPLE, "x", spacesWithConflictingAliases=["b"])
    assert errors[1] == conflict(MULTIPLE, "x", spacesWithConflictingAliases=["b", "c"])
    assert errors[2] is not None
    assert sorted(errors[2]["metadata"]["spacesWithConflictingAliases"]) == ["b", "c"]
    assert errors[3] is None


async def test_overwrite_keeps_stored_namespaces_and_origin_unless_given(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    await async_repository.create(
        MULTIPLE, {"title": "1"}, id="o", initial_namespaces=["a", "b"], origin_id="orig"
    )
    response = await async_repository.bulk_create(
        [
            {"type": MULTIPLE, "id": "o", "attributes": {"title": "2"}},
            {"type": MULTIPLE, "id": "p", "attributes": {}, "origin_id": "own"},
        ],
        namespace="a",
        overwrite=True,
    )
    kept, own = response.saved_objects
    assert (kept.namespaces, kept.origin_id) == (["a", "b"], "orig")
    assert (own.namespaces, own.origin_id) == (["a"], "own")
    cleared = await async_repository.bulk_create(
        [
            {
                "type": MULTIPLE,
                "id": "o",
                "attributes": {},
                "origin_id": None,
                "initial_namespaces": ["a"],
            }
        ],
        overwrite=True,
    )
    assert (cleared.saved_objects[0].namespaces, cleared.saved_objects[0].origin_id) == (
        ["a"],
        None,
    )
    assert "originId" not in await stored(async_repository, MULTIPLE, "shared:o")


async def test_initial_namespaces_place_each_object(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    response = await async_repository.bulk_create(
        [
            {"type": SINGLE, "id": "i", "attributes": {}, "initial_namespaces": ["x"]},
            {"type": SINGLE, "id": "d", "attributes": {}, "initial_namespaces": ["default"]},
            {"type": MULTIPLE, "id": "m", "attributes": {}, "initial_namespaces": ["x", "*"]},
        ],
        namespace="y",
    )
    assert [entry.namespaces for entry in response.saved_objects] == [
        ["x"],
        ["default"],
        ["x", "*"],
    ]
    assert await stored(async_repository, SINGLE, "x:isolated:i") is not None
    assert "namespace" not in await stored(async_repository, SINGLE, "isolated:d")


async def test_managed_option_overrides_every_object(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    objects: list[Any] = [
        {"type": SINGLE, "id": "m1", "attributes": {}, "managed": True},
        {"type": SINGLE, "id": "m2", "attributes": {}},
    ]
    own = await async_repository.bulk_create(objects)
    assert [entry.managed for entry in own.saved_objects] == [True, False]
    forced = await async_repository.bulk_create(objects, overwrite=True, managed=False)
    assert [entry.managed for entry in forced.saved_objects] == [False, False]


async def test_schema_validation_fails_only_its_object(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    response = await async_repository.bulk_create(
        [
            {"type": VALIDATED, "id": "bad", "attributes": {"title": 42}},
            {"type": VALIDATED, "id": "good", "attributes": {"title": "fine"}},
        ]
    )
    bad, good = response.saved_objects
    assert bad.error is not None
    assert (bad.id, bad.error["statusCode"], bad.error["error"]) == ("bad", 400, "Bad Request")
    assert bad.error["message"].startswith("[attributes.title]: ")
    assert bad.error["message"].endswith(": Bad Request")
    assert good.error is None
    assert good.attributes == {"title": "fine"}


async def test_engine_item_failures_are_mapped(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    response = await async_repository.bulk_create(
        [
            {"type": SINGLE, "id": "unparsable", "attributes": {"count": "not a number"}},
            {"type": SINGLE, "id": "fine", "attributes": {"count": 1}},
        ]
    )
    unparsable, fine = response.saved_objects
    assert unparsable.error is not None
    assert unparsable.error["statusCode"] == 500
    assert unparsable.error["message"].startswith(
        "Unexpected bulk response [400] mapper_parsing_exception: "
    )
    assert fine.error is None


async def test_missing_index_alias_is_a_hidden_500(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    concrete = async_repository.context.index_for(OTHER_INDEX) + "_001"
    await async_repository.engine.perform(rq.delete_index(concrete))
    response = await async_repository.bulk_create(
        [
            {"type": OTHER_INDEX, "attributes": {}},
            {"type": SINGLE, "id": "still", "attributes": {}},
        ]
    )
    lost, still = response.saved_objects
    assert lost.error == {
        "statusCode": 500,
        "error": "Internal Server Error",
        "message": "An internal server error occurred",
    }
    assert still.error is None
    assert await stored(async_repository, OTHER_INDEX, f"{OTHER_INDEX}:{lost.id}") is None


async def test_scoped_repository_references_and_migration_fields(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    scoped = async_repository.as_scoped_to_namespace("team")
    reference = {"name": "r", "type": MULTIPLE, "id": "z"}
    response = await scoped.bulk_create(
        [
            {"type": SINGLE, "id": "r", "attributes": {}, "references": [reference]},
            {"type": MULTIPLE, "id": "r", "attributes": {}, "type_migration_version": "0.0.0"},
        ]
    )
    with_ref, versioned = response.saved_objects
    assert with_ref.references == [reference]
    assert with_ref.namespaces == ["team"]
    assert versioned.type_migration_version == "0.0.0"
    # a version newer than the registry knows is refused by the document migrator
    with pytest.raises(DocumentVersionError):
        await scoped.bulk_create(
            [{"type": MULTIPLE, "id": "n", "attributes": {}, "type_migration_version": "1.0.0"}]
        )
    with pytest.raises(BadRequestError, match="scoped to namespace"):
        await scoped.bulk_create([], namespace="other")


async def test_bulk_create_batches_answer_each_batch_in_order(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    prepared: list[int] = []

    def batches() -> Iterator[list[Any]]:  # lazy: each batch built when it is needed
        for n, batch in enumerate(
            [
                [{"type": SINGLE, "id": "a", "attributes": {"title": "first"}}],
                [],  # no request at all
                [
                    {"type": "unknownType", "id": "u", "attributes": {}},
                    {"type": SINGLE, "id": "b", "attributes": {"title": "b"}},
                ],
                [{"type": SINGLE, "id": "a", "attributes": {"title": "last"}}],
            ]
        ):
            prepared.append(n)
            yield batch

    responses = []
    async for response in async_repository.bulk_create_batches(batches(), overwrite=True):
        responses.append([(o.id, o.error is None) for o in response.saved_objects])
    assert prepared == [0, 1, 2, 3]
    assert responses == [[("a", True)], [], [("u", False), ("b", True)], [("a", True)]]
    # one request in flight at a time: the later write of "a" landed last
    assert (await stored(async_repository, SINGLE, "isolated:a"))[SINGLE] == {"title": "last"}


class _FailingBulk:
    """The real engine, except that its ``fail_at``-th ``_bulk`` answers 503."""

    def __init__(self, engine: Any, fail_at: int) -> None:
        self._engine = engine
        self.info = engine.info
        self.bulks = 0
        self.fail_at = fail_at

    async def perform(self, request: Any) -> Any:
        if request.path.endswith("/_bulk"):
            self.bulks += 1
            if self.bulks == self.fail_at:
                raise EngineUnavailableError("engine unavailable")
        return await self._engine.perform(request)


async def test_bulk_create_batches_stop_at_a_failed_batch(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    engine = _FailingBulk(async_repository.engine, fail_at=2)
    repo = AsyncSavedObjectsRepository(
        engine,  # type: ignore[arg-type]
        async_repository.context.registry,
        config=async_repository.context.config,
    )
    batches = [[{"type": SINGLE, "id": f"o{n}", "attributes": {}}] for n in range(4)]
    responses = repo.bulk_create_batches(batches, refresh=True)
    assert (await anext(responses)).saved_objects[0].id == "o0"
    with pytest.raises(EngineUnavailableError):
        await anext(responses)
    assert engine.bulks == 2  # the batch after the failed one was never sent
    assert await count(async_repository) == 1
