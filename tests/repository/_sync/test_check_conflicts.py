# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""check_conflicts on the real engine (spec 03 §2.3)."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.errors import BadRequestError
from kbn_saved_objects.repository import SavedObjectsRepository
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE
from tests.repository.conftest import (
    AGNOSTIC,
    HIDDEN,
    MULTIPLE,
    MULTIPLE_ISOLATED,
    OTHER_INDEX,
    SINGLE,
)

pytestmark = pytest.mark.engine


def conflict(type_name: str, object_id: str, **metadata: Any) -> dict[str, Any]:
    error: dict[str, Any] = {
        "statusCode": 409,
        "error": "Conflict",
        "message": f"Saved object [{type_name}/{object_id}] conflict",
    }
    if metadata:
        error["metadata"] = metadata
    return error


@pytest.mark.parametrize(
    ("type_name", "from_other_space"),
    [
        (SINGLE, None),  # another space has another raw id: nothing is in the way
        (MULTIPLE, {"isNotOverwritable": True}),
        (MULTIPLE_ISOLATED, {"isNotOverwritable": True}),
        (OTHER_INDEX, {"isNotOverwritable": True}),
        (AGNOSTIC, {}),  # seen from everywhere: a plain conflict
    ],
)
def test_found_objects_conflict_by_namespace_type(
    repository: SavedObjectsRepository,
    type_name: str,
    from_other_space: dict[str, Any] | None,
) -> None:
    repository.create(type_name, {"title": "t"}, id="c", namespace="a", refresh=True)
    objects: list[Any] = [{"type": type_name, "id": "c"}, {"type": type_name, "id": "free"}]
    here = repository.check_conflicts(objects, namespace="a")
    assert here.model_dump() == {
        "errors": [{"id": "c", "type": type_name, "error": conflict(type_name, "c")}]
    }
    elsewhere = repository.check_conflicts(objects, namespace="b")
    if from_other_space is None:
        assert elsewhere.errors == []
    else:
        (entry,) = elsewhere.errors
        assert entry.error == conflict(type_name, "c", **from_other_space)


def test_entries_keep_input_order_and_report_unsupported_types(
    repository: SavedObjectsRepository,
) -> None:
    repository.bulk_create(
        [
            {"type": SINGLE, "id": "one", "attributes": {}},
            {"type": MULTIPLE, "id": "two", "attributes": {}, "initial_namespaces": ["*"]},
        ],
        refresh=True,
    )
    response = repository.check_conflicts(
        [
            {"type": MULTIPLE, "id": "two"},
            {"type": "unknown", "id": "u"},
            {"type": SINGLE, "id": "missing"},
            {"type": HIDDEN, "id": "h"},
            {"type": SINGLE, "id": "one"},
        ]
    )
    assert [(entry.type, entry.id, entry.error["statusCode"]) for entry in response.errors] == [
        (MULTIPLE, "two", 409),
        ("unknown", "u", 400),
        (HIDDEN, "h", 400),
        (SINGLE, "one", 409),
    ]
    assert response.errors[1].error == {
        "statusCode": 400,
        "error": "Bad Request",
        "message": "Unsupported saved object type: 'unknown': Bad Request",
    }
    assert "metadata" not in response.errors[0].error  # shared to "*": visible here


def test_legacy_url_aliases_are_not_conflicts(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(
        LEGACY_URL_ALIAS_TYPE,
        {"sourceId": "x", "targetNamespace": "default", "targetType": MULTIPLE, "targetId": "y"},
        id=f"default:{MULTIPLE}:x",
        refresh=True,
    )
    response = repository.check_conflicts([{"type": MULTIPLE, "id": "x"}])
    assert response.errors == []


def test_namespace_star_is_refused(repository: SavedObjectsRepository) -> None:
    with pytest.raises(BadRequestError) as caught:
        repository.check_conflicts([], namespace="*")
    assert caught.value.message == '"options.namespace" cannot be "*": Bad Request'


def test_check_conflicts_batches_answer_each_batch_in_order(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(SINGLE, {"title": "t"}, id="taken", refresh=True)
    batches: list[list[Any]] = [
        [{"type": SINGLE, "id": "free"}],
        [],
        [{"type": SINGLE, "id": "taken"}, {"type": "unknownType", "id": "u"}],
        [{"type": SINGLE, "id": "taken"}],
    ]
    answers = [
        [(e.id, e.error["statusCode"]) for e in response.errors]
        for response in repository.check_conflicts_batches(batches)
    ]
    assert answers == [[], [], [("taken", 409), ("u", 400)], [("taken", 409)]]
