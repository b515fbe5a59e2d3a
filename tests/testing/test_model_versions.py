"""``check_model_version``: a user's test of one model version in a few lines (issue 19)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from kbn_saved_objects.errors import DocumentMigrationError, UnclassifiedError
from kbn_saved_objects.testing.model_versions import check_model_version
from kbn_saved_objects.types import (
    DataBackfill,
    MappingsAddition,
    ModelVersion,
    ModelVersionSchemas,
    SavedObjectsType,
    UnsafeTransform,
)


class TaskV1(BaseModel):
    title: str


class TaskV2(TaskV1):
    priority: int


def refuse_priority(attributes: Any) -> Any:
    if "priority" in attributes:
        raise ValueError("version 1 cannot read a priority")
    return attributes


def task(v1_schema: Any = TaskV1, backfill_priority: int = 3) -> SavedObjectsType:
    return SavedObjectsType(
        name="task",
        mappings={"properties": {"title": {"type": "text"}, "priority": {"type": "integer"}}},
        model_versions={
            1: ModelVersion(
                schemas=ModelVersionSchemas(forward_compatibility=v1_schema, create=TaskV1)
            ),
            2: ModelVersion(
                changes=[
                    MappingsAddition(added_mappings={"priority": {"type": "integer"}}),
                    DataBackfill(
                        backfill_fn=lambda doc, ctx: {"attributes": {"priority": backfill_priority}}
                    ),
                ],
                schemas=ModelVersionSchemas(forward_compatibility=TaskV2, create=TaskV2),
            ),
        },
    )


def test_a_correct_expectation_passes_and_returns_both_documents() -> None:
    up, down = check_model_version(
        task(), 2, before={"title": "x"}, after={"title": "x", "priority": 3}, down={"title": "x"}
    )
    assert up["typeMigrationVersion"] == "10.2.0"
    assert down["typeMigrationVersion"] == "10.1.0"


def test_a_wrong_upgrade_fails_with_a_diff() -> None:
    with pytest.raises(AssertionError) as caught:
        check_model_version(
            task(backfill_priority=5), 2, before={"title": "x"}, after={"title": "x", "priority": 3}
        )
    message = str(caught.value)
    assert message.startswith("type task, model version 2, up from 1: attributes differ\n")
    assert '-  "priority": 3,' in message
    assert '+  "priority": 5,' in message


def test_a_wrong_downgrade_fails_with_a_diff() -> None:
    with pytest.raises(AssertionError, match="model version 2, down to 1: attributes differ"):
        check_model_version(
            task(),
            2,
            before={"title": "x"},
            after={"title": "x", "priority": 3},
            down={"title": "x", "priority": 3},
        )


def test_the_way_down_runs_even_when_not_compared() -> None:
    with pytest.raises(DocumentMigrationError):
        check_model_version(
            task(v1_schema=refuse_priority),
            2,
            before={"title": "x"},
            after={"title": "x", "priority": 3},
        )


def test_the_first_model_version_and_references() -> None:
    def tag(doc: Any, ctx: Any) -> Any:
        return {
            "document": {**doc, "attributes": {**doc["attributes"], "n": len(doc["references"])}}
        }

    only = SavedObjectsType(
        name="thing",
        mappings={"properties": {}},
        model_versions={1: ModelVersion(changes=[UnsafeTransform(transform_fn=tag)])},
    )
    reference = {"type": "tag", "id": "t1", "name": "tag-1"}
    up, _ = check_model_version(only, 1, before={}, after={"n": 1}, references=[reference])
    assert up["references"] == [reference]


def test_a_version_the_type_does_not_have_is_an_error() -> None:
    with pytest.raises(
        UnclassifiedError, match=r"Type task has no model version 3 \(it has \[1, 2\]\)"
    ):
        check_model_version(task(), 3, before={}, after={})
