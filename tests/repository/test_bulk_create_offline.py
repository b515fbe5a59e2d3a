"""bulk_create's requests and result mapping, driven with canned answers (spec 03 §2.2)."""

from __future__ import annotations

import dataclasses
from typing import Any

import orjson
import pytest

from kbn_saved_objects.engine.requests import Request
from kbn_saved_objects.errors import EngineUnavailableError, InvalidNamespaceError
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.operation import run_offline
from kbn_saved_objects.repository.operations.bulk_create import bulk_create
from kbn_saved_objects.serialization import encode_version
from tests.repository.conftest import AGNOSTIC, HIDDEN, MULTIPLE, MULTIPLE_ISOLATED, SINGLE

NOW = "2024-05-01T10:00:00.000Z"


def bulk_answer(count: int, action: str = "create") -> dict[str, Any]:
    return {
        "errors": False,
        "items": [
            {action: {"status": 201, "_seq_no": i, "_primary_term": 1}} for i in range(count)
        ],
    }


def ndjson(request: Request) -> list[dict[str, Any]]:
    assert request.body is not None
    return [orjson.loads(line) for line in request.body.splitlines() if line]


def not_found_docs(request: Request) -> dict[str, Any]:
    assert request.body is not None
    return {"docs": [{"found": False} for _ in orjson.loads(request.body)["docs"]]}


def test_one_bulk_call_for_many_objects(offline_context: RepositoryContext) -> None:
    objects: list[Any] = [
        {"type": (SINGLE, AGNOSTIC, MULTIPLE)[i % 3], "attributes": {"n": i}} for i in range(3000)
    ]
    result, sent = run_offline(bulk_create(offline_context, objects, {}), [bulk_answer(3000)])
    assert [request.path for request in sent] == ["/_bulk"]
    assert sent[0].params == {"refresh": "wait_for", "require_alias": "true"}
    lines = ndjson(sent[0])
    assert len(lines) == 6000
    assert all(list(action) == ["create"] for action in lines[::2])
    assert [entry.attributes for entry in result.saved_objects] == [{"n": i} for i in range(3000)]
    assert [entry.version for entry in result.saved_objects[:2]] == [
        encode_version(0, 1),
        encode_version(1, 1),
    ]


def test_only_multi_namespace_objects_with_their_own_id_are_preflighted(
    offline_context: RepositoryContext,
) -> None:
    objects: list[Any] = [
        {"type": SINGLE, "id": "s", "attributes": {}},
        {"type": MULTIPLE, "attributes": {}},
        {"type": MULTIPLE, "id": "m", "attributes": {}},
        {"type": MULTIPLE_ISOLATED, "id": "i", "attributes": {}, "initial_namespaces": ["x"]},
    ]
    operation = bulk_create(offline_context, objects, {"namespace": "space"})
    preflight = next(operation)
    assert preflight.path == "/_mget"
    assert orjson.loads(preflight.body or b"")["docs"] == [
        {
            "_index": "offline-so_1",
            "_id": "shared:m",
            "_source": ["type", "namespaces", "originId"],
        },
        {
            "_index": "offline-so_1",
            "_id": "legacy-url-alias:space:shared:m",
            "_source": ["legacy-url-alias.disabled"],
        },
        {
            "_index": "offline-so_1",
            "_id": "isolated-multi:i",
            "_source": ["type", "namespaces", "originId"],
        },
        {
            "_index": "offline-so_1",
            "_id": "legacy-url-alias:x:isolated-multi:i",
            "_source": ["legacy-url-alias.disabled"],
        },
    ]
    write = operation.send(not_found_docs(preflight))
    assert write.path == "/_bulk"
    assert len(ndjson(write)) == 8


def test_actions_index_only_named_objects_and_guard_only_with_overwrite(
    offline_context: RepositoryContext,
) -> None:
    version = encode_version(7, 3)
    objects: list[Any] = [
        {"type": SINGLE, "id": "named", "attributes": {}, "version": version},
        {"type": SINGLE, "attributes": {}, "version": version},
        {"type": AGNOSTIC, "id": "plain", "attributes": {}},
    ]
    _, sent = run_offline(
        bulk_create(offline_context, objects, {"overwrite": True, "refresh": False}),
        [bulk_answer(3, "index")],
    )
    actions = ndjson(sent[0])[::2]
    assert actions[0] == {
        "index": {
            "_id": "isolated:named",
            "_index": "offline-so_1",
            "if_seq_no": 7,
            "if_primary_term": 3,
        }
    }
    # a generated id never overwrites, and the engine refuses compare-and-set on create
    assert actions[1] == {"create": {"_id": actions[1]["create"]["_id"], "_index": "offline-so_1"}}
    assert actions[2] == {"index": {"_id": "global:plain", "_index": "offline-so_1"}}
    assert sent[0].params == {"refresh": "false", "require_alias": "true"}
    _, without_overwrite = run_offline(bulk_create(offline_context, objects, {}), [bulk_answer(3)])
    actions = ndjson(without_overwrite[0])[::2]
    assert all(list(action) == ["create"] for action in actions)
    assert not any("if_seq_no" in action["create"] for action in actions)


def test_documents_carry_one_time_stamp_and_the_user(
    offline_context: RepositoryContext,
) -> None:
    calls: list[int] = []

    def clock() -> str:
        calls.append(1)
        return NOW

    config = dataclasses.replace(offline_context.config, clock=clock, current_user=lambda: "u1")
    ctx = RepositoryContext(offline_context.registry, config, offline_context.engine)
    objects: list[Any] = [{"type": SINGLE, "attributes": {}} for _ in range(5)]
    result, sent = run_offline(bulk_create(ctx, objects, {}), [bulk_answer(5)])
    assert len(calls) == 1
    for source in ndjson(sent[0])[1::2]:
        assert (source["created_at"], source["updated_at"]) == (NOW, NOW)
        assert (source["created_by"], source["updated_by"]) == ("u1", "u1")
    assert result.saved_objects[0].created_by == "u1"


def test_nothing_valid_means_no_request(offline_context: RepositoryContext) -> None:
    objects: list[Any] = [
        {"type": "unknown", "attributes": {}},
        {"type": HIDDEN, "id": "h", "attributes": {}},
        {"type": SINGLE, "id": "a/b", "attributes": {}},
    ]
    result, sent = run_offline(bulk_create(offline_context, objects, {}), [])
    assert sent == []
    assert [entry.error["statusCode"] for entry in result.saved_objects if entry.error] == [
        400,
        400,
        400,
    ]
    empty, sent = run_offline(bulk_create(offline_context, [], {}), [])
    assert (empty.saved_objects, sent) == ([], [])


def test_preflight_conflicts_skip_the_write(offline_context: RepositoryContext) -> None:
    objects: list[Any] = [{"type": MULTIPLE, "id": "m", "attributes": {}}]
    stored = {"found": True, "_source": {"type": MULTIPLE, "namespaces": ["default"]}}
    result, sent = run_offline(
        bulk_create(offline_context, objects, {}), [{"docs": [stored, {"found": False}]}]
    )
    assert [request.path for request in sent] == ["/_mget"]
    assert result.saved_objects[0].error == {
        "statusCode": 409,
        "error": "Conflict",
        "message": "Saved object [shared/m] conflict",
    }


def test_item_errors_are_mapped_per_object(offline_context: RepositoryContext) -> None:
    objects: list[Any] = [
        {"type": SINGLE, "id": "a", "attributes": {}},
        {"type": SINGLE, "id": "b", "attributes": {}},
    ]
    answer = {
        "errors": True,
        "items": [
            {"create": {"status": 409, "error": {"type": "version_conflict_engine_exception"}}},
            {"create": {"status": 201, "_seq_no": 4, "_primary_term": 2}},
        ],
    }
    result, _ = run_offline(bulk_create(offline_context, objects, {}), [answer])
    failed, written = result.saved_objects
    assert failed.model_dump(exclude_unset=True) == {
        "id": "a",
        "type": SINGLE,
        "error": {
            "statusCode": 409,
            "error": "Conflict",
            "message": "Saved object [isolated/a] conflict",
        },
    }
    assert (written.id, written.version, written.namespaces) == ("b", "WzQsMl0=", ["default"])


def test_a_failed_bulk_call_raises(offline_context: RepositoryContext) -> None:
    objects: list[Any] = [{"type": SINGLE, "attributes": {}}]
    with pytest.raises(EngineUnavailableError):
        run_offline(bulk_create(offline_context, objects, {}), [EngineUnavailableError()])


def test_an_empty_initial_namespace_is_a_programming_error(
    offline_context: RepositoryContext,
) -> None:
    objects: list[Any] = [{"type": SINGLE, "attributes": {}, "initial_namespaces": [""]}]
    with pytest.raises(InvalidNamespaceError):
        run_offline(bulk_create(offline_context, objects, {}), [])
