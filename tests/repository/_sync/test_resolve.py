# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""resolve and bulk_resolve on the real engine: the three outcomes, legacy URL aliases
and their counters, and per-object errors (spec 05 §6)."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.errors import BadRequestError, NotFoundError
from kbn_saved_objects.repository import SavedObjectsRepository
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE
from tests.repository.conftest import HIDDEN, MULTIPLE, SINGLE

pytestmark = pytest.mark.engine


def add_alias(
    repo: SavedObjectsRepository,
    space: str,
    type_name: str,
    source_id: str,
    target_id: str,
    **extra: Any,
) -> None:
    repo.create(
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


def alias_attributes(
    repo: SavedObjectsRepository, space: str, type_name: str, source_id: str
) -> dict[str, Any]:
    alias = repo.get(LEGACY_URL_ALIAS_TYPE, f"{space}:{type_name}:{source_id}")
    return dict(alias.attributes)


def test_exact_match(repository: SavedObjectsRepository) -> None:
    repository.create(MULTIPLE, {"title": "t"}, id="one", namespace="a")
    result = repository.resolve(MULTIPLE, "one", namespace="a")
    assert result.outcome == "exactMatch"
    assert result.saved_object.id == "one"
    assert result.saved_object.namespaces == ["a"]
    assert result.alias_target_id is None
    assert "alias_target_id" not in result.model_dump(exclude_unset=True)


def test_alias_match_returns_the_target_and_counts_the_resolve(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(MULTIPLE, {"title": "new"}, id="new-id", namespace="a")
    add_alias(repository, "a", MULTIPLE, "old-id", "new-id")

    result = repository.resolve(MULTIPLE, "old-id", namespace="a")
    assert result.outcome == "aliasMatch"
    assert result.saved_object.id == "new-id"
    assert result.saved_object.attributes == {"title": "new"}
    assert result.alias_target_id == "new-id"
    assert result.alias_purpose == "savedObjectConversion"
    first = alias_attributes(repository, "a", MULTIPLE, "old-id")
    assert first["resolveCounter"] == 1
    assert first["lastResolved"]

    repository.resolve(MULTIPLE, "old-id", namespace="a")
    assert (alias_attributes(repository, "a", MULTIPLE, "old-id"))["resolveCounter"] == 2


def test_conflict_returns_the_exact_object(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(MULTIPLE, {"title": "exact"}, id="dup", namespace="a")
    repository.create(MULTIPLE, {"title": "target"}, id="moved", namespace="a")
    add_alias(repository, "a", MULTIPLE, "dup", "moved")

    result = repository.resolve(MULTIPLE, "dup", namespace="a")
    assert result.outcome == "conflict"
    assert result.saved_object.attributes == {"title": "exact"}
    assert result.alias_target_id == "moved"
    assert result.alias_purpose == "savedObjectConversion"


def test_a_disabled_alias_is_ignored_and_not_counted(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(MULTIPLE, {"title": "t"}, id="target", namespace="a")
    add_alias(repository, "a", MULTIPLE, "gone", "target", disabled=True)
    with pytest.raises(NotFoundError, match=r"Saved object \[shared/gone\] not found"):
        repository.resolve(MULTIPLE, "gone", namespace="a")
    attributes = alias_attributes(repository, "a", MULTIPLE, "gone")
    assert "resolveCounter" not in attributes

    repository.create(MULTIPLE, {"title": "e"}, id="gone", namespace="a")
    result = repository.resolve(MULTIPLE, "gone", namespace="a")
    assert result.outcome == "exactMatch"


def test_aliases_and_objects_of_other_spaces_are_not_followed(
    repository: SavedObjectsRepository,
) -> None:
    # the alias lives in space a; its target only in space b
    repository.create(MULTIPLE, {"title": "t"}, id="in-b", namespace="b")
    add_alias(repository, "a", MULTIPLE, "old", "in-b")
    with pytest.raises(NotFoundError):
        repository.resolve(MULTIPLE, "old", namespace="a")
    with pytest.raises(NotFoundError):
        repository.resolve(MULTIPLE, "old", namespace="b")


def test_single_namespace_types_resolve_by_their_space(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(SINGLE, {"title": "t"}, id="x", namespace="a")
    result = repository.resolve(SINGLE, "x", namespace="a")
    assert (result.outcome, result.saved_object.namespaces) == ("exactMatch", ["a"])
    with pytest.raises(NotFoundError):
        repository.resolve(SINGLE, "x")


def test_unsupported_types_are_refused(
    repository: SavedObjectsRepository,
) -> None:
    for type_name in ("nope", HIDDEN):
        with pytest.raises(BadRequestError, match="Unsupported saved object type"):
            repository.resolve(type_name, "x")


def test_bulk_resolve_keeps_input_order_and_reports_errors_per_object(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(MULTIPLE, {"title": "t"}, id="here", namespace="a")
    repository.create(MULTIPLE, {"title": "n"}, id="new", namespace="a")
    add_alias(repository, "a", MULTIPLE, "old", "new")

    response = repository.bulk_resolve(
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


def test_bulk_resolve_of_nothing(repository: SavedObjectsRepository) -> None:
    assert (repository.bulk_resolve([])).resolved_objects == []


def test_a_scoped_repository_resolves_in_its_own_space_only(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(MULTIPLE, {"title": "t"}, id="s", namespace="a")
    scoped = repository.as_scoped_to_namespace("a")
    assert (scoped.resolve(MULTIPLE, "s")).outcome == "exactMatch"
    with pytest.raises(Exception, match="scoped"):
        scoped.resolve(MULTIPLE, "s", namespace="b")


def test_disable_legacy_url_aliases(repository: SavedObjectsRepository) -> None:
    repository.create(MULTIPLE, {"title": "t"}, id="to", namespace="a")
    add_alias(repository, "a", MULTIPLE, "from", "to")
    assert (repository.resolve(MULTIPLE, "from", namespace="a")).outcome == ("aliasMatch")
    response = repository.disable_legacy_url_aliases(
        [
            {"target_space": "a", "target_type": MULTIPLE, "source_id": "from"},
            {"target_space": "a", "target_type": MULTIPLE, "source_id": "never"},
        ]
    )
    assert response.saved_objects[0].error is None
    assert response.saved_objects[1].error is not None
    assert response.saved_objects[1].error["statusCode"] == 404
    with pytest.raises(NotFoundError):
        repository.resolve(MULTIPLE, "from", namespace="a")
    attributes = alias_attributes(repository, "a", MULTIPLE, "from")
    assert attributes["disabled"] is True
    assert attributes["resolveCounter"] == 1

    scoped = repository.as_scoped_to_namespace("b")
    with pytest.raises(Exception, match="scoped"):
        scoped.disable_legacy_url_aliases(
            [{"target_space": "a", "target_type": MULTIPLE, "source_id": "from"}]
        )


def test_an_object_of_another_type_sharing_the_raw_id_is_not_resolved(
    repository: SavedObjectsRepository,
) -> None:
    # "<space>:<type>:<id>" of a single-namespace object in space `shared` is also the raw
    # id of the default-space `shared` object whose id is "<type>:<id>"
    repository.create(SINGLE, {"title": "victim"}, id="victim", namespace=MULTIPLE)
    with pytest.raises(NotFoundError):
        repository.resolve(MULTIPLE, f"{SINGLE}:victim")
    response = repository.bulk_resolve([{"type": MULTIPLE, "id": f"{SINGLE}:victim"}])
    assert response.resolved_objects[0].saved_object.error is not None
