"""Test a type's model version in one call, in your own pytest suite.

.. code-block:: python

    from kbn_saved_objects.testing.model_versions import check_model_version

    def test_version_2_adds_a_priority():
        check_model_version(
            task, 2,
            before={"title": "x"},                  # attributes at version 1
            after={"title": "x", "priority": 3},    # what version 2 makes of them
            down={"title": "x"},                    # what a version-1 process reads back
        )

It runs the document migrator of :class:`~kbn_saved_objects.migrations.ModelVersionTestMigrator`
(no engine): up from ``version - 1`` to ``version``, then the result down again, and fails
with a diff of the attributes when they are not the expected ones. Transforms that raise
and forward-compatibility schemas that refuse the newer document fail the test with their
own error.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from kbn_saved_objects.errors import UnclassifiedError
from kbn_saved_objects.migrations.document.testing import ModelVersionTestMigrator
from kbn_saved_objects.serialization.documents import SavedObjectDoc
from kbn_saved_objects.types.definition import SavedObjectsType

__all__ = ["check_model_version"]


def _lines(value: Any) -> list[str]:
    return json.dumps(value, indent=2, sort_keys=True, default=repr).splitlines()


def _assert_same(what: str, expected: Any, actual: Any) -> None:
    __tracebackhide__ = True
    if expected == actual:
        return
    diff = difflib.unified_diff(
        _lines(expected), _lines(actual), "expected", "actual", lineterm="", n=3
    )
    raise AssertionError(f"{what}: attributes differ\n" + "\n".join(diff))


def _model_version_numbers(definition: SavedObjectsType) -> set[int]:
    versions = definition.model_versions
    if callable(versions):
        versions = versions()
    return {int(number) for number in versions or {}}


def check_model_version(
    definition: SavedObjectsType,
    version: int,
    *,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    down: Mapping[str, Any] | None = None,
    references: Sequence[Mapping[str, Any]] = (),
) -> tuple[SavedObjectDoc, SavedObjectDoc]:
    """Assert what model ``version`` of ``definition`` does to a document.

    A document with attributes ``before``, written at ``version - 1``, must read as
    ``after`` at ``version``; brought back down to ``version - 1`` (what the previous
    release reads during a rollback) it must read as ``down`` -- when ``down`` is not
    given, the way down still runs, so a forward-compatibility schema that raises on the
    newer document fails the test, but its result is not compared. ``references`` go
    into the document unchanged, for transforms that use them.

    Returns the upgraded and the downgraded documents, for further assertions.
    Raises :class:`AssertionError` with a diff; an
    :class:`~kbn_saved_objects.errors.UnclassifiedError` when the type has no such
    model version.
    """
    __tracebackhide__ = True
    numbers = _model_version_numbers(definition)
    if version not in numbers:
        raise UnclassifiedError(
            f"Type {definition.name} has no model version {version} "
            f"(it has {sorted(numbers) or 'none'})"
        )
    migrator = ModelVersionTestMigrator(definition)
    document: dict[str, Any] = {
        "id": "model-version-test",
        "type": definition.name,
        "attributes": dict(before),
        "references": [dict(reference) for reference in references],
    }
    upgraded = migrator.migrate(document, from_version=version - 1, to_version=version)
    where = f"type {definition.name}, model version {version}"
    _assert_same(f"{where}, up from {version - 1}", dict(after), upgraded["attributes"])
    downgraded = migrator.migrate(upgraded, from_version=version, to_version=version - 1)
    if down is not None:
        _assert_same(f"{where}, down to {version - 1}", dict(down), downgraded["attributes"])
    return upgraded, downgraded
