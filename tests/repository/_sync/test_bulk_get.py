# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""bulk_get on the real engine: per-object namespaces and the not-found rule (spec 03 §2.5)."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import BadRequestError
from kbn_saved_objects.repository import SavedObjectsRepository
from tests.repository.conftest import (
    AGNOSTIC,
    HIDDEN,
    MULTIPLE,
    MULTIPLE_ISOLATED,
    OTHER_INDEX,
    SINGLE,
)

pytestmark = pytest.mark.engine


def not_found(type_name: str, object_id: str) -> dict[str, Any]:
    return {
        "statusCode": 404,
        "error": "Not Found",
        "message": f"Saved object [{type_name}/{object_id}] not found",
    }


def bad_request(reason: str) -> dict[str, Any]:
    return {"statusCode": 400, "error": "Bad Request", "message": f"{reason}: Bad Request"}


ISOLATED_MESSAGE = (
    '"namespaces" can only specify a single space when used with space-isolated types'
)


@pytest.mark.parametrize(
    ("type_name", "namespaces", "visible_from_b"),
    [
        (SINGLE, ["a"], False),
        (MULTIPLE, ["a"], False),
        (MULTIPLE_ISOLATED, ["a"], False),
        (OTHER_INDEX, ["a"], False),
        (AGNOSTIC, [], True),
    ],
)
def test_objects_are_seen_only_from_their_namespace(
    repository: SavedObjectsRepository,
    type_name: str,
    namespaces: list[str],
    visible_from_b: bool,
) -> None:
    created = repository.create(
        type_name,
        {"title": "t"},
        id="g",
        namespace="a",
        references=[{"name": "r", "type": "x", "id": "1"}],
        refresh=True,
    )
    objects: list[Any] = [{"type": type_name, "id": "g"}, {"type": type_name, "id": "missing"}]
    here = (repository.bulk_get(objects, namespace="a")).saved_objects
    assert (here[0].id, here[0].error, here[0].version) == ("g", None, created.version)
    assert here[0].namespaces == namespaces
    assert here[0].attributes == {"title": "t"}
    assert here[0].references == [{"name": "r", "type": "x", "id": "1"}]
    assert here[0].managed is False
    assert here[1].model_dump(exclude_unset=True) == {
        "id": "missing",
        "type": type_name,
        "error": not_found(type_name, "missing"),
    }
    elsewhere = (repository.bulk_get(objects, namespace="b")).saved_objects
    if visible_from_b:
        assert elsewhere[0].error is None
    else:
        assert elsewhere[0].error == not_found(type_name, "g")


def test_per_object_namespaces_override_the_current_one(
    repository: SavedObjectsRepository,
) -> None:
    repository.bulk_create(
        [
            {"type": SINGLE, "id": "s", "attributes": {}, "initial_namespaces": ["a"]},
            {"type": MULTIPLE, "id": "m", "attributes": {}, "initial_namespaces": ["a", "c"]},
            {"type": MULTIPLE_ISOLATED, "id": "i", "attributes": {}, "initial_namespaces": ["a"]},
        ],
        refresh=True,
    )
    response = repository.bulk_get(
        [
            {"type": SINGLE, "id": "s", "namespaces": ["a"]},
            {"type": MULTIPLE, "id": "m", "namespaces": ["x", "c"]},
            {"type": MULTIPLE, "id": "m", "namespaces": ["*"]},
            {"type": MULTIPLE, "id": "m", "namespaces": ["x", "y"]},
            {"type": MULTIPLE_ISOLATED, "id": "i", "namespaces": ["a"]},
            {"type": SINGLE, "id": "s", "namespaces": ["default"]},
        ],
        namespace="b",
    )
    errors = [entry.error for entry in response.saved_objects]
    assert errors == [None, None, None, not_found(MULTIPLE, "m"), None, not_found(SINGLE, "s")]
    assert response.saved_objects[0].namespaces == ["a"]
    assert response.saved_objects[1].namespaces == ["a", "c"]


@pytest.mark.parametrize(
    ("type_name", "namespaces", "error"),
    [
        (
            AGNOSTIC,
            ["a"],
            bad_request('"namespaces" cannot be used on space-agnostic types'),
        ),
        (AGNOSTIC, [], bad_request('"namespaces" cannot be used on space-agnostic types')),
        (MULTIPLE, [], not_found(MULTIPLE, "x")),
        (SINGLE, [], not_found(SINGLE, "x")),
        (SINGLE, ["a", "b"], bad_request(ISOLATED_MESSAGE)),
        (SINGLE, ["*"], bad_request(ISOLATED_MESSAGE)),
        (MULTIPLE_ISOLATED, ["a", "b"], bad_request(ISOLATED_MESSAGE)),
        (MULTIPLE_ISOLATED, ["*"], bad_request(ISOLATED_MESSAGE)),
        ("unknown", None, bad_request("Unsupported saved object type: 'unknown'")),
        (HIDDEN, None, bad_request("Unsupported saved object type: 'hiddentype'")),
        (HIDDEN, ["a", "b"], bad_request("Unsupported saved object type: 'hiddentype'")),
    ],
)
def test_invalid_requests_are_error_entries(
    repository: SavedObjectsRepository,
    type_name: str,
    namespaces: list[str] | None,
    error: dict[str, Any],
) -> None:
    repository.create(SINGLE, {}, id="ok", refresh=True)
    request: dict[str, Any] = {"type": type_name, "id": "x"}
    if namespaces is not None:
        request["namespaces"] = namespaces
    response = repository.bulk_get(
        [{"type": SINGLE, "id": "ok"}, request]  # type: ignore[list-item]
    )
    ok, failed = response.saved_objects
    assert ok.error is None
    assert failed.model_dump(exclude_unset=True) == {"id": "x", "type": type_name, "error": error}


def test_fields_limit_the_attributes(repository: SavedObjectsRepository) -> None:
    repository.create(
        MULTIPLE, {"title": "t", "count": 3, "nested": {"a": "x"}}, id="f", refresh=True
    )
    response = repository.bulk_get(
        [
            {"type": MULTIPLE, "id": "f", "fields": ["title", "nested"]},
            {"type": MULTIPLE, "id": "f", "fields": []},
            {"type": MULTIPLE, "id": "f"},
        ]
    )
    some, none, whole = response.saved_objects
    assert some.attributes == {"title": "t", "nested": {"a": "x"}}
    assert none.attributes is None
    assert whole.attributes == {"title": "t", "count": 3, "nested": {"a": "x"}}
    for entry in (some, none, whole):
        assert (entry.namespaces, entry.version) == (["default"], whole.version)
        assert entry.created_at == whole.created_at


def test_missing_index_reads_as_not_found(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(SINGLE, {}, id="here", refresh=True)
    concrete = repository.context.index_for(OTHER_INDEX) + "_001"
    repository.engine.perform(rq.delete_index(concrete))
    response = repository.bulk_get(
        [{"type": OTHER_INDEX, "id": "gone"}, {"type": SINGLE, "id": "here"}]
    )
    assert [entry.error for entry in response.saved_objects] == [
        not_found(OTHER_INDEX, "gone"),
        None,
    ]


def test_empty_input_and_namespace_star(
    repository: SavedObjectsRepository,
) -> None:
    assert (repository.bulk_get([])).saved_objects == []
    with pytest.raises(BadRequestError) as caught:
        repository.bulk_get([{"type": SINGLE, "id": "x"}], namespace="*")
    assert caught.value.message == '"options.namespace" cannot be "*": Bad Request'
