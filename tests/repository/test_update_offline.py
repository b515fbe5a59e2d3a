"""update and bulk_update driven with canned answers: CAS values, the retry loop."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from kbn_saved_objects.engine.requests import Request
from kbn_saved_objects.errors import (
    ConflictError,
    EngineUnavailableError,
    GeneralError,
    NotFoundError,
)
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.operation import run_offline
from kbn_saved_objects.repository.operations.bulk_update import bulk_update
from kbn_saved_objects.repository.operations.update import update
from kbn_saved_objects.serialization import encode_version
from tests.repository.conftest import MULTIPLE, SINGLE

NOW = "2024-05-01T10:00:00.000Z"


def found(seq_no: int, type_name: str = SINGLE, **source: Any) -> dict[str, Any]:
    return {
        "found": True,
        "_id": f"{type_name}:u",
        "_seq_no": seq_no,
        "_primary_term": 1,
        "_source": {"type": type_name, type_name: {"title": "t"}, **source},
    }


def written(seq_no: int) -> dict[str, Any]:
    return {"result": "updated", "_seq_no": seq_no, "_primary_term": 1}


def conflict() -> ConflictError:
    return ConflictError("version_conflict_engine_exception", reason="version conflict")


def cas(request: Request) -> tuple[str | None, str | None]:
    params = request.params or {}
    return params.get("if_seq_no"), params.get("if_primary_term")


def test_without_version_the_read_is_the_guard(offline_context: RepositoryContext) -> None:
    result, sent = run_offline(
        update(offline_context, SINGLE, "u", {"count": 1}, {}), [found(7), written(8)]
    )
    assert [r.method for r in sent] == ["GET", "PUT"]
    assert sent[1].path.endswith("/_doc/isolated%3Au")
    assert cas(sent[1]) == ("7", "1")
    assert sent[1].params is not None
    assert sent[1].params["require_alias"] == "true"
    assert sent[1].params["refresh"] == "wait_for"
    body = orjson.loads(sent[1].body or b"")
    assert body[SINGLE] == {"title": "t", "count": 1}
    assert body["updated_at"] == NOW
    assert result.version == encode_version(8, 1)


def test_with_version_the_token_is_the_guard(offline_context: RepositoryContext) -> None:
    version = encode_version(3, 2)
    _, sent = run_offline(
        update(offline_context, SINGLE, "u", {}, {"version": version}), [found(7), written(8)]
    )
    assert cas(sent[1]) == ("3", "2")


def test_lost_races_are_retried_three_times(offline_context: RepositoryContext) -> None:
    answers: list[Any] = []
    for seq_no in range(4):
        answers += [found(seq_no), conflict()]
    with pytest.raises(ConflictError):
        run_offline(update(offline_context, SINGLE, "u", {}, {}), list(answers))
    # 1 + 3 attempts, each a read and a write
    answers[-1] = written(9)
    result, sent = run_offline(update(offline_context, SINGLE, "u", {}, {}), answers)
    assert len(sent) == 8
    assert [cas(r)[0] for r in sent if r.method == "PUT"] == ["0", "1", "2", "3"]
    assert result.version == encode_version(9, 1)


@pytest.mark.parametrize(
    ("options", "attempts"),
    [
        ({"version": encode_version(0, 1)}, 1),
        ({"retry_on_conflict": 0}, 1),
        ({"retry_on_conflict": 5}, 6),
        ({"version": encode_version(0, 1), "retry_on_conflict": 2}, 3),
    ],
)
def test_retry_on_conflict_is_honoured(
    offline_context: RepositoryContext, options: dict[str, Any], attempts: int
) -> None:
    answers: list[Any] = []
    for seq_no in range(attempts + 1):
        answers += [found(seq_no), conflict()]
    operation = update(offline_context, SINGLE, "u", {}, options)  # type: ignore[arg-type]
    with pytest.raises(ConflictError):
        run_offline(operation, answers)
    assert len(answers) == 2  # exactly `attempts` rounds were consumed


def test_only_write_conflicts_are_retried(offline_context: RepositoryContext) -> None:
    alias_found = {
        "docs": [
            {"found": False},
            {"found": True, "_source": {"legacy-url-alias": {"disabled": False}}},
        ]
    }
    with pytest.raises(ConflictError) as caught:
        run_offline(
            update(offline_context, MULTIPLE, "u", {}, {"upsert": {"title": "n"}}),
            [{"found": False}, alias_found],
        )
    assert caught.value.message == "Saved object [shared/u] conflict"


@pytest.mark.parametrize(
    ("failure", "expected", "message"),
    [
        (NotFoundError(), NotFoundError, "Saved object [isolated/u] not found"),
        (EngineUnavailableError(), EngineUnavailableError, "Service Unavailable"),
        (GeneralError("alias missing"), GeneralError, "alias missing"),
    ],
)
def test_write_step_errors(
    offline_context: RepositoryContext,
    failure: Exception,
    expected: type[Exception],
    message: str,
) -> None:
    with pytest.raises(expected) as caught:
        run_offline(update(offline_context, SINGLE, "u", {}, {}), [found(1), failure])
    assert str(caught.value) == message


def test_upsert_sends_a_create(offline_context: RepositoryContext) -> None:
    result, sent = run_offline(
        update(offline_context, SINGLE, "u", {"x": 1}, {"upsert": {"title": "n"}}),
        [{"found": False}, {"result": "created", "_seq_no": 0, "_primary_term": 1}],
    )
    assert sent[1].path.endswith("/_create/isolated%3Au")
    assert cas(sent[1]) == (None, None)
    body = orjson.loads(sent[1].body or b"")
    assert body[SINGLE] == {"title": "n"}
    assert body["created_at"] == body["updated_at"] == NOW
    assert result.attributes == {"title": "n"}


def test_bulk_update_guards_every_write(offline_context: RepositoryContext) -> None:
    version = encode_version(40, 2)
    mget = {"docs": [found(5), found(6)]}
    items = {
        "items": [
            {"index": {"status": 200, "_seq_no": 50 + i, "_primary_term": 1}} for i in range(2)
        ]
    }
    response, sent = run_offline(
        bulk_update(
            offline_context,
            [
                {"type": SINGLE, "id": "u", "attributes": {"count": 1}},
                {"type": SINGLE, "id": "u", "attributes": {"count": 2}, "version": version},
            ],
            {},
        ),
        [mget, items],
    )
    lines = [orjson.loads(line) for line in (sent[1].body or b"").splitlines() if line]
    assert lines[0]["index"]["if_seq_no"] == 5
    assert lines[0]["index"]["if_primary_term"] == 1
    assert lines[2]["index"]["if_seq_no"] == 40
    assert lines[2]["index"]["if_primary_term"] == 2
    assert [entry.version for entry in response.saved_objects] == [
        encode_version(50, 1),
        encode_version(51, 1),
    ]


def test_bulk_update_sends_nothing_when_nothing_is_valid(
    offline_context: RepositoryContext,
) -> None:
    response, sent = run_offline(
        bulk_update(offline_context, [{"type": "nope", "id": "1", "attributes": {}}], {}), []
    )
    assert sent == []
    assert response.saved_objects[0].error is not None
