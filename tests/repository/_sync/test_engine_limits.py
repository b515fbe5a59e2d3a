# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""Objects the engine cannot store are refused per object, before anything is sent
(issue 13 items 3-4): a raw id over 512 bytes of UTF-8, attributes nested deeper than the
JSON encoder allows, a string holding a lone surrogate. Bulk calls give that object a 400
entry and write the rest; single calls raise a ``BadRequestError``; nothing is written for
the refused object.
"""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import BadRequestError, NotFoundError
from kbn_saved_objects.repository import SavedObjectsRepository
from tests.repository.conftest import MULTIPLE, SINGLE

pytestmark = pytest.mark.engine

LONG_ID = "x" * 500
"""Fits in the default space (``isolated:`` + 500 = 509 bytes), not in space ``team``."""
WIDE_ID = "é" * 255
"""255 characters, but 510 bytes of UTF-8."""


def nested(levels: int) -> dict[str, Any]:
    attributes: dict[str, Any] = {"title": "deep"}
    inner = attributes
    for _ in range(levels):
        inner["nested"] = {}
        inner = inner["nested"]
    return attributes


DEEP = nested(300)
SURROGATE = {"title": "\ud800"}


def too_long(size: int) -> dict[str, Any]:
    return {
        "statusCode": 400,
        "error": "Bad Request",
        "message": "Invalid saved object ID: its document id [<namespace>:<type>:<id>] is "
        f"{size} bytes of UTF-8, more than the engine's limit of 512 bytes.: Bad Request",
    }


def unencodable(reason: str) -> dict[str, Any]:
    return {
        "statusCode": 400,
        "error": "Bad Request",
        "message": f"The saved object cannot be encoded as JSON: {reason} (objects and arrays "
        "nest at most 254 levels deep, strings must be valid UTF-8): Bad Request",
    }


NOT_UTF8_ID = {
    "statusCode": 400,
    "error": "Bad Request",
    "message": "Invalid saved object ID: IDs must be valid UTF-8 (no lone surrogates).: "
    "Bad Request",
}
TOO_DEEP = unencodable("Recursion limit reached")
NOT_UTF8 = unencodable("str is not valid UTF-8: surrogates not allowed")


def count(repo: SavedObjectsRepository) -> int:
    indices = repo.context.indices_for([SINGLE])
    repo.engine.perform(rq.refresh(indices))
    return int((repo.engine.perform(rq.count(indices)))["count"])


def test_bulk_create_refuses_what_the_engine_cannot_store_per_object(
    repository: SavedObjectsRepository,
) -> None:
    repo = repository
    objects: list[Any] = [
        {"type": SINGLE, "id": LONG_ID, "attributes": {"title": "long"}},
        {"type": SINGLE, "id": WIDE_ID, "attributes": {"title": "wide"}},
        {"type": MULTIPLE, "id": "deep", "attributes": DEEP},
        {"type": SINGLE, "id": "surrogate", "attributes": SURROGATE},
        {"type": MULTIPLE, "id": "bad\ud800id", "attributes": {"title": "t"}},
        {"type": SINGLE, "id": "fine", "attributes": {"title": "fine"}},
    ]
    for overwrite in (False, True):
        response = repo.bulk_create(objects, namespace="team", overwrite=overwrite)
        long, wide, deep, surrogate, bad_id, fine = response.saved_objects
        assert long.model_dump(exclude_unset=True) == {
            "type": SINGLE,
            "id": LONG_ID,
            "error": too_long(514),
        }
        assert wide.error == too_long(524)
        assert deep.error == TOO_DEEP
        assert surrogate.error == NOT_UTF8
        assert bad_id.error == NOT_UTF8_ID
        assert (fine.error, fine.namespaces) == (None, ["team"])
        assert count(repo) == 1
    # in the default space the same 500-character id fits
    default = repo.bulk_create([objects[0]])
    assert default.saved_objects[0].error is None
    assert (repo.get(SINGLE, LONG_ID)).attributes == {"title": "long"}


def test_bulk_create_batches_keep_the_other_batches_and_objects(
    repository: SavedObjectsRepository,
) -> None:
    batches: list[list[Any]] = [
        [
            {"type": SINGLE, "id": LONG_ID, "attributes": {}},
            {"type": SINGLE, "id": "a", "attributes": {}},
        ],
        [{"type": SINGLE, "id": "b", "attributes": SURROGATE}],
        [{"type": SINGLE, "id": "c", "attributes": {}}],
    ]
    errors = []
    for response in repository.bulk_create_batches(batches, namespace="team"):
        errors.append([o.error["statusCode"] if o.error else None for o in response.saved_objects])
    assert errors == [[400, None], [400], [None]]
    assert count(repository) == 2


@pytest.mark.parametrize(
    ("attributes", "error"), [(DEEP, TOO_DEEP), (SURROGATE, NOT_UTF8)], ids=["deep", "surrogate"]
)
def test_single_writes_raise_for_what_cannot_be_encoded(
    repository: SavedObjectsRepository, attributes: Any, error: dict[str, Any]
) -> None:
    repo = repository
    repo.create(SINGLE, {"title": "kept"}, id="kept")
    attempts = [
        lambda: repo.create(SINGLE, attributes, id="new"),
        lambda: repo.create(SINGLE, attributes, id="kept", overwrite=True),
        lambda: repo.update(SINGLE, "kept", attributes),
        lambda: repo.update(SINGLE, "new", attributes, upsert=attributes),
        lambda: repo.increment_counter(SINGLE, "new", ["count"], upsert_attributes=attributes),
    ]
    for attempt in attempts:
        with pytest.raises(BadRequestError) as caught:
            attempt()
        assert caught.value.payload() == error
    assert (repo.get(SINGLE, "kept")).attributes == {"title": "kept"}
    with pytest.raises(NotFoundError):
        repo.get(SINGLE, "new")


@pytest.mark.parametrize(
    ("attributes", "error"), [(DEEP, TOO_DEEP), (SURROGATE, NOT_UTF8)], ids=["deep", "surrogate"]
)
def test_bulk_update_refuses_what_cannot_be_encoded_per_object(
    repository: SavedObjectsRepository, attributes: Any, error: dict[str, Any]
) -> None:
    repo = repository
    repo.create(SINGLE, {"title": "kept"}, id="kept")
    repo.create(SINGLE, {"title": "old"}, id="other")
    response = repo.bulk_update(
        [
            {"type": SINGLE, "id": "kept", "attributes": attributes},
            {"type": SINGLE, "id": "other", "attributes": {"title": "new"}},
        ]
    )
    refused, updated = response.saved_objects
    assert refused.model_dump(exclude_unset=True) == {"type": SINGLE, "id": "kept", "error": error}
    assert updated.error is None
    assert (repo.get(SINGLE, "kept")).attributes == {"title": "kept"}
    assert (repo.get(SINGLE, "other")).attributes == {"title": "new"}


def test_single_writes_refuse_an_over_long_raw_id(
    repository: SavedObjectsRepository,
) -> None:
    repo = repository
    attempts = [
        lambda: repo.create(SINGLE, {}, id=LONG_ID, namespace="team"),
        lambda: repo.create(SINGLE, {}, id=LONG_ID, initial_namespaces=["team"]),
        lambda: repo.create(MULTIPLE, {}, id="y" * 510, overwrite=True),
        lambda: repo.create(MULTIPLE, {}, id="\ud800", overwrite=True),
        lambda: repo.update(SINGLE, LONG_ID, {}, upsert={}, namespace="team"),
        lambda: repo.increment_counter(SINGLE, LONG_ID, ["count"], namespace="team"),
    ]
    for attempt in attempts:
        with pytest.raises(BadRequestError, match="Invalid saved object ID"):
            attempt()
    # an object that cannot exist is simply not there
    with pytest.raises(NotFoundError):
        repo.update(SINGLE, LONG_ID, {}, namespace="team")
    response = repo.bulk_update(
        [{"type": SINGLE, "id": LONG_ID, "attributes": {}}], namespace="team"
    )
    assert response.saved_objects[0].error is not None
    assert response.saved_objects[0].error["statusCode"] == 404
    assert count(repo) == 0


@pytest.mark.parametrize("object_id", [LONG_ID, "bad\ud800id"], ids=["long", "surrogate"])
def test_ids_that_cannot_be_stored_are_not_found(
    repository: SavedObjectsRepository, object_id: str
) -> None:
    repo = repository
    repo.create(SINGLE, {"title": "t"}, id="here", namespace="team")
    for attempt in [
        lambda: repo.get(SINGLE, object_id, namespace="team"),
        lambda: repo.update(SINGLE, object_id, {}, namespace="team"),
        lambda: repo.delete(SINGLE, object_id, namespace="team"),
        lambda: repo.get(MULTIPLE, object_id),
        lambda: repo.delete(MULTIPLE, object_id),
    ]:
        with pytest.raises(NotFoundError):
            attempt()
    objects: list[Any] = [{"type": SINGLE, "id": object_id}, {"type": SINGLE, "id": "here"}]
    got = (repo.bulk_get(objects, namespace="team")).saved_objects
    assert [o.error["statusCode"] if o.error else None for o in got] == [404, None]
    updates: list[Any] = [{**o, "attributes": {"title": "u"}} for o in objects]
    updated = (repo.bulk_update(updates, namespace="team")).saved_objects
    assert [o.error["statusCode"] if o.error else None for o in updated] == [404, None]
    conflicts = repo.check_conflicts(objects, namespace="team")
    assert [e.id for e in conflicts.errors] == ["here"]
    deleted = (repo.bulk_delete(objects, namespace="team")).statuses
    assert [d.success for d in deleted] == [False, True]
