# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""Objects that share a raw id are never mistaken for each other (issue 13 item 2).

``[<namespace>:]<type>:<id>`` with ids that may contain ``:`` lets two objects meet in
one engine ``_id``. With the registry of ``conftest``:

* the single-namespace ``isolated`` object ``victim`` of space ``shared`` and the
  default-space ``shared`` (multi-namespace) object ``isolated:victim`` are both stored
  at ``shared:isolated:victim``;
* likewise ``isolated``/``victim`` in space ``global`` and the agnostic ``global`` object
  ``isolated:victim``;
* and ``isolated``/``v`` in space ``isolated`` and ``isolated``/``isolated:v`` of the
  default space: one type, two spaces.

Reads must not return the other object, writes must not replace or delete it.
"""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import ConflictError, NotFoundError
from kbn_saved_objects.repository import SavedObjectsRepository
from tests.repository.conftest import AGNOSTIC, MULTIPLE, SINGLE

pytestmark = pytest.mark.engine

# (type, id, namespace) pairs that share a raw id: the first is stored, the second probes
PAIRS = [
    pytest.param((MULTIPLE, "isolated:victim", None), (SINGLE, "victim", "shared"), id="multi"),
    pytest.param((SINGLE, "victim", "shared"), (MULTIPLE, "isolated:victim", None), id="single"),
    pytest.param((AGNOSTIC, "isolated:victim", None), (SINGLE, "victim", "global"), id="agnostic"),
    pytest.param((SINGLE, "isolated:v", None), (SINGLE, "v", "isolated"), id="same-type"),
]
Obj = tuple[str, str, str | None]


def ns(namespace: str | None) -> dict[str, Any]:
    return {} if namespace is None else {"namespace": namespace}


def stored_source(repo: SavedObjectsRepository, victim: Obj) -> Any:
    """The raw document stored at the victim's raw id."""
    type_name, object_id, namespace = victim
    raw_id = repo.context.serializer.generate_raw_id(namespace, type_name, object_id)
    answer = repo.engine.perform(rq.get_document(repo.context.index_for(type_name), raw_id))
    return answer["_source"] if answer.get("found") else None


def plant(repo: SavedObjectsRepository, victim: Obj) -> Any:
    type_name, object_id, namespace = victim
    repo.create(type_name, {"title": "victim"}, id=object_id, **ns(namespace))
    return stored_source(repo, victim)


@pytest.mark.parametrize(("victim", "probe"), PAIRS)
def test_reads_do_not_return_the_other_object(
    repository: SavedObjectsRepository, victim: Obj, probe: Obj
) -> None:
    repo = repository
    plant(repo, victim)
    type_name, object_id, namespace = probe
    with pytest.raises(NotFoundError):
        repo.get(type_name, object_id, **ns(namespace))
    got = repo.bulk_get([{"type": type_name, "id": object_id}], **ns(namespace))
    assert got.saved_objects[0].error is not None
    assert got.saved_objects[0].error["statusCode"] == 404
    conflicts = repo.check_conflicts([{"type": type_name, "id": object_id}], **ns(namespace))
    assert [e.error for e in conflicts.errors] == [
        {
            "statusCode": 409,
            "error": "Conflict",
            "message": f"Saved object [{type_name}/{object_id}] conflict",
            "metadata": {"isNotOverwritable": True},
        }
    ]
    # the victim itself is still found where it lives
    victim_type, victim_id, victim_namespace = victim
    assert (repo.get(victim_type, victim_id, **ns(victim_namespace))).id == victim_id


@pytest.mark.parametrize(("victim", "probe"), PAIRS)
def test_writes_never_replace_the_other_object(
    repository: SavedObjectsRepository, victim: Obj, probe: Obj
) -> None:
    repo = repository
    before = plant(repo, victim)
    type_name, object_id, namespace = probe
    attempts = [
        lambda: repo.create(type_name, {"title": "x"}, id=object_id, **ns(namespace)),
        lambda: repo.create(
            type_name, {"title": "x"}, id=object_id, overwrite=True, **ns(namespace)
        ),
        lambda: repo.increment_counter(type_name, object_id, ["count"], **ns(namespace)),
    ]
    for attempt in attempts:
        with pytest.raises(ConflictError):
            attempt()
    for attempt in [
        lambda: repo.update(type_name, object_id, {"title": "x"}, **ns(namespace)),
        lambda: repo.update(
            type_name, object_id, {"title": "x"}, upsert={"title": "x"}, **ns(namespace)
        ),
        lambda: repo.delete(type_name, object_id, force=True, **ns(namespace)),
    ]:
        with pytest.raises(NotFoundError):
            attempt()
    created = repo.bulk_create(
        [
            {"type": type_name, "id": object_id, "attributes": {"title": "x"}},
            {"type": SINGLE, "id": "bystander", "attributes": {"title": "ok"}},
        ],
        overwrite=True,
        **ns(namespace),
    )
    refused, bystander = created.saved_objects
    assert refused.error is not None
    assert (refused.error["statusCode"], refused.error.get("metadata")) == (
        409,
        {"isNotOverwritable": True},
    )
    assert bystander.error is None
    updated = repo.bulk_update(
        [{"type": type_name, "id": object_id, "attributes": {"title": "x"}}], **ns(namespace)
    )
    assert updated.saved_objects[0].error is not None
    assert updated.saved_objects[0].error["statusCode"] == 404
    deleted = repo.bulk_delete([{"type": type_name, "id": object_id}], force=True, **ns(namespace))
    assert deleted.statuses[0].error is not None
    assert deleted.statuses[0].error["statusCode"] == 404
    assert stored_source(repo, victim) == before


def test_an_object_at_a_shareable_raw_id_is_still_written_and_deleted(
    repository: SavedObjectsRepository,
) -> None:
    """The guard reads what is there: the object's own document is overwritten (guarded by
    that read), a missing one created, a stale version refused."""
    repo = repository
    first = repo.create(SINGLE, {"title": "1"}, id="victim", namespace="shared", overwrite=True)
    again = repo.create(SINGLE, {"title": "2"}, id="victim", namespace="shared", overwrite=True)
    assert again.version != first.version
    with pytest.raises(ConflictError):
        repo.create(
            SINGLE,
            {"title": "3"},
            id="victim",
            namespace="shared",
            overwrite=True,
            version=first.version,
        )
    with pytest.raises(ConflictError):  # a version, but nothing stored to compare it with
        repo.create(
            SINGLE,
            {"title": "3"},
            id="other",
            namespace="shared",
            overwrite=True,
            version=first.version,
        )
    response = repo.bulk_create(
        [
            {"type": SINGLE, "id": "victim", "attributes": {"title": "4"}},
            {"type": SINGLE, "id": "fresh", "attributes": {"title": "5"}},
        ],
        overwrite=True,
        namespace="shared",
    )
    assert [o.error for o in response.saved_objects] == [None, None]
    counted = repo.increment_counter(SINGLE, "victim", ["count"], namespace="shared")
    assert counted.attributes["count"] == 1
    assert (repo.get(SINGLE, "victim", namespace="shared")).attributes == {
        "title": "4",
        "count": 1,
    }
    repo.delete(SINGLE, "victim", namespace="shared")
    statuses = repo.bulk_delete([{"type": SINGLE, "id": "fresh"}], namespace="shared")
    assert statuses.statuses[0].success is True
    with pytest.raises(NotFoundError):
        repo.get(SINGLE, "fresh", namespace="shared")
