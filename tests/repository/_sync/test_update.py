# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""update on the real engine: merge, compare-and-set, retries, upsert (spec 03 §2.7)."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import (
    BadRequestError,
    ConflictError,
    InvalidVersionError,
    NotFoundError,
)
from kbn_saved_objects.repository import SavedObjectsRepository
from kbn_saved_objects.repository.operations import update as update_op
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE
from tests.repository.conftest import (
    AGNOSTIC,
    HIDDEN,
    MULTIPLE,
    MULTIPLE_ISOLATED,
    SINGLE,
    VALIDATED,
)

pytestmark = pytest.mark.engine


def stored(repo: SavedObjectsRepository, type_name: str, raw_id: str) -> dict[str, Any]:
    answer = repo.engine.perform(rq.get_document(repo.context.index_for(type_name), raw_id))
    assert answer["found"], raw_id
    return dict(answer["_source"])


@pytest.mark.parametrize(
    ("type_name", "raw_id", "namespaces"),
    [
        (SINGLE, "a:isolated:u", ["a"]),
        (MULTIPLE, "shared:u", ["a"]),
        (MULTIPLE_ISOLATED, "isolated-multi:u", ["a"]),
        (AGNOSTIC, "global:u", []),
    ],
)
def test_update_merges_and_keeps_the_rest(
    repository: SavedObjectsRepository,
    type_name: str,
    raw_id: str,
    namespaces: list[str],
) -> None:
    references = [{"name": "r", "type": "x", "id": "1"}]
    created = repository.create(
        type_name,
        {"title": "T", "nested": {"a": "1", "b": "2"}},
        id="u",
        namespace="a",
        references=references,
    )
    updated = repository.update(type_name, "u", {"count": 3, "nested": {"a": "9"}}, namespace="a")
    # the result reports the attributes as passed, not merged (as Kibana does)
    assert updated.attributes == {"count": 3, "nested": {"a": "9"}}
    assert updated.namespaces == namespaces
    assert updated.version != created.version
    assert updated.updated_at is not None
    assert updated.created_at is None
    source = stored(repository, type_name, raw_id)
    assert source[type_name] == {"title": "T", "count": 3, "nested": {"a": "9", "b": "2"}}
    assert source["references"] == references
    assert source["created_at"] == created.created_at
    assert source["updated_at"] == updated.updated_at
    got = repository.get(type_name, "u", namespace="a")
    assert got.version == updated.version


def test_merge_attributes_false_replaces(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(SINGLE, {"title": "T", "count": 1}, id="r")
    repository.update(SINGLE, "r", {"count": 2}, merge_attributes=False)
    assert (repository.get(SINGLE, "r")).attributes == {"count": 2}


def test_references_replace_only_when_given(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(SINGLE, {"title": "T"}, id="refs", references=[])
    new_refs = [{"name": "n", "type": "t", "id": "i"}]
    result = repository.update(SINGLE, "refs", {}, references=new_refs)
    assert result.references == new_refs
    repository.update(SINGLE, "refs", {"title": "U"})
    assert (repository.get(SINGLE, "refs")).references == new_refs
    repository.update(SINGLE, "refs", {}, references=[])
    assert (repository.get(SINGLE, "refs")).references == []


def test_update_keeps_shared_namespaces_and_origin(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(
        MULTIPLE, {"title": "T"}, id="s", initial_namespaces=["a", "b"], origin_id="o"
    )
    updated = repository.update(MULTIPLE, "s", {"title": "U"}, namespace="b")
    assert updated.namespaces == ["a", "b"]
    assert updated.origin_id == "o"
    source = stored(repository, MULTIPLE, "shared:s")
    assert source["namespaces"] == ["a", "b"]
    assert source["originId"] == "o"


def test_stale_version_conflicts_and_writes_nothing(
    repository: SavedObjectsRepository,
) -> None:
    first = repository.create(SINGLE, {"title": "1"}, id="v")
    second = repository.update(SINGLE, "v", {"title": "2"}, version=first.version)
    with pytest.raises(ConflictError):
        repository.update(SINGLE, "v", {"title": "3"}, version=first.version)
    got = repository.get(SINGLE, "v")
    assert got.attributes == {"title": "2"}
    assert got.version == second.version
    with pytest.raises(InvalidVersionError) as caught:
        repository.update(SINGLE, "v", {"title": "4"}, version="nope")
    assert caught.value.message == "Invalid version [nope]"


@pytest.mark.parametrize(
    ("type_name", "object_id", "options", "error", "message"),
    [
        (SINGLE, "", {}, BadRequestError, "id cannot be empty: Bad Request"),
        ("unknown", "x", {}, NotFoundError, "Saved object [unknown/x] not found"),
        (HIDDEN, "x", {}, NotFoundError, "Saved object [hiddentype/x] not found"),
        (SINGLE, "missing", {}, NotFoundError, "Saved object [isolated/missing] not found"),
        (MULTIPLE, "missing", {}, NotFoundError, "Saved object [shared/missing] not found"),
        (
            SINGLE,
            "x",
            {"namespace": "*"},
            BadRequestError,
            '"options.namespace" cannot be "*": Bad Request',
        ),
        (
            SINGLE,
            "a/b",
            {"upsert": {"title": "u"}},
            BadRequestError,
            "Invalid saved object ID: IDs cannot contain '/'.: Bad Request",
        ),
        # the empty-id check comes before the type check
        ("unknown", "", {}, BadRequestError, "id cannot be empty: Bad Request"),
    ],
)
def test_update_errors(
    repository: SavedObjectsRepository,
    type_name: str,
    object_id: str,
    options: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error) as caught:
        repository.update(type_name, object_id, {"title": "x"}, **options)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("type_name", "visible_from_b"),
    [(SINGLE, False), (MULTIPLE, False), (MULTIPLE_ISOLATED, False), (AGNOSTIC, True)],
)
def test_update_from_another_namespace(
    repository: SavedObjectsRepository, type_name: str, visible_from_b: bool
) -> None:
    repository.create(type_name, {"title": "a"}, id="o", namespace="a")
    if visible_from_b:
        repository.update(type_name, "o", {"title": "b"}, namespace="b")
        assert (repository.get(type_name, "o", namespace="a")).attributes == {"title": "b"}
        return
    with pytest.raises(NotFoundError):
        repository.update(type_name, "o", {"title": "b"}, namespace="b")
    # a multi-namespace object outside the namespace is a 404 even with upsert
    if type_name != SINGLE:
        with pytest.raises(NotFoundError):
            repository.update(type_name, "o", {"title": "b"}, namespace="b", upsert={"title": "u"})
    assert (repository.get(type_name, "o", namespace="a")).attributes == {"title": "a"}


@pytest.mark.parametrize(
    ("type_name", "raw_id", "namespaces"),
    [
        (SINGLE, "b:isolated:new", ["b"]),
        (MULTIPLE, "shared:new", ["b"]),
        (AGNOSTIC, "global:new", []),
    ],
)
def test_upsert_creates_from_upsert_only(
    repository: SavedObjectsRepository,
    type_name: str,
    raw_id: str,
    namespaces: list[str],
) -> None:
    result = repository.update(
        type_name, "new", {"title": "ignored"}, namespace="b", upsert={"title": "fresh"}
    )
    assert result.attributes == {"title": "fresh"}
    assert result.namespaces == namespaces
    assert result.created_at == result.updated_at
    source = stored(repository, type_name, raw_id)
    assert source[type_name] == {"title": "fresh"}
    again = repository.update(
        type_name, "new", {"count": 1}, namespace="b", upsert={"title": "not used"}
    )
    assert again.attributes == {"count": 1}
    source = stored(repository, type_name, raw_id)
    assert source[type_name] == {"title": "fresh", "count": 1}


def test_upsert_is_validated(repository: SavedObjectsRepository) -> None:
    with pytest.raises(BadRequestError) as caught:
        repository.update(VALIDATED, "v", {}, upsert={"title": 42})
    assert caught.value.message.startswith("[attributes.title]: ")
    ok = repository.update(VALIDATED, "v", {}, upsert={"title": "fine"})
    assert ok.attributes == {"title": "fine"}
    # plain updates are not validated (as in Kibana)
    repository.update(VALIDATED, "v", {"title": 42})


def test_upsert_with_version_of_a_missing_object_conflicts(
    repository: SavedObjectsRepository,
) -> None:
    created = repository.create(SINGLE, {"title": "t"}, id="gone")
    repository.delete(SINGLE, "gone")
    with pytest.raises(ConflictError) as caught:
        repository.update(SINGLE, "gone", {}, upsert={"title": "u"}, version=created.version)
    assert caught.value.message == "Saved object [isolated/gone] conflict"
    with pytest.raises(NotFoundError):
        repository.get(SINGLE, "gone")


def test_upsert_blocked_by_an_enabled_alias(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(
        LEGACY_URL_ALIAS_TYPE,
        {"sourceId": "old", "targetNamespace": "b", "targetType": MULTIPLE, "targetId": "new"},
        id=f"b:{MULTIPLE}:old",
    )
    with pytest.raises(ConflictError) as caught:
        repository.update(MULTIPLE, "old", {}, namespace="b", upsert={"title": "u"})
    assert caught.value.message == "Saved object [shared/old] conflict"
    # the alias only applies to its own space
    created = repository.update(MULTIPLE, "old", {}, namespace="c", upsert={"title": "u"})
    assert created.namespaces == ["c"]


def test_retry_reads_again_after_a_lost_race(
    repository: SavedObjectsRepository,
) -> None:
    """Drive the operation by hand and let another write land between its read and its
    write: the compare-and-set write fails, and the retry merges into the new state."""
    repo = repository
    repo.create(SINGLE, {"title": "t"}, id="race")
    operation = update_op.update(repo.context, SINGLE, "race", {"count": 1}, {})
    read = next(operation)
    answer = repo.engine.perform(read)
    repo.update(SINGLE, "race", {"title": "concurrent"})
    write = operation.send(answer)
    assert write.params is not None
    assert write.params["if_seq_no"] == str(answer["_seq_no"])
    requests = 0
    try:
        failure = None
        try:
            answer = repo.engine.perform(write)
        except ConflictError as exc:
            failure = exc
        assert failure is not None
        request = operation.throw(failure)
        while True:
            requests += 1
            request = operation.send(repo.engine.perform(request))
    except StopIteration as stop:
        result = stop.value
    assert requests == 2  # read again, write again
    assert result.attributes == {"count": 1}
    got = repo.get(SINGLE, "race")
    assert got.attributes == {"title": "concurrent", "count": 1}


def test_no_retry_when_retry_on_conflict_is_zero(
    repository: SavedObjectsRepository,
) -> None:
    repo = repository
    repo.create(SINGLE, {"title": "t"}, id="once")
    operation = update_op.update(
        repo.context, SINGLE, "once", {"count": 1}, {"retry_on_conflict": 0}
    )
    answer = repo.engine.perform(next(operation))
    repo.update(SINGLE, "once", {"title": "concurrent"})
    write = operation.send(answer)
    with pytest.raises(ConflictError) as caught:
        repo.engine.perform(write)
    with pytest.raises(ConflictError):
        operation.throw(caught.value)
    assert (repo.get(SINGLE, "once")).attributes == {"title": "concurrent"}


def test_missing_index_is_not_found(repository: SavedObjectsRepository) -> None:
    repo = repository
    repo.engine.perform(rq.delete_index(repo.context.index_for(SINGLE) + "_001"))
    with pytest.raises(NotFoundError):
        repo.update(SINGLE, "x", {"title": "t"})
