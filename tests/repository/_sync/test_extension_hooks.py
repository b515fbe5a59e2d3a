# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""Extensions end to end against the engine (spec 08 §1.3, §2.8, §5).

The recording extensions of ``tests/repository/recording_extensions.py`` stand in for a
security, encryption and spaces implementation; the documents are real, so these tests
show what is stored (ciphertext), what a caller reads back (plaintext, redacted spaces)
and which hits a partially authorized find may return.
"""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import ForbiddenError, NotFoundError
from kbn_saved_objects.repository import SavedObjectsRepository
from kbn_saved_objects.repository.extensions import (
    AuthorizationStatus,
    AuthorizationTypeEntry,
    RepositoryExtensions,
)
from tests.repository.conftest import MULTIPLE, SINGLE
from tests.repository.recording_extensions import (
    Entry,
    RecordingEncryption,
    RecordingSecurity,
    RecordingSpaces,
    everywhere,
)

pytestmark = pytest.mark.engine


def _with(
    repository: SavedObjectsRepository, extensions: RepositoryExtensions
) -> SavedObjectsRepository:
    """The same indices, seen through ``extensions``."""
    context = repository.context
    return SavedObjectsRepository(
        repository.engine,
        context.registry,
        config=context.config,
        migration=context.migration,
        extensions=extensions,
    )


def test_encrypted_attributes_are_stored_encrypted_and_read_decrypted(
    repository: SavedObjectsRepository,
) -> None:
    log: list[Entry] = []
    encrypting = _with(
        repository,
        RepositoryExtensions(
            # "title" is the secret here: the test mappings are strict
            encryption=RecordingEncryption(log, frozenset({SINGLE}), attribute="title"),
            spaces=RecordingSpaces(log, active="a"),
        ),
    )
    created = encrypting.create(SINGLE, {"title": "s", "count": 1})
    assert created.attributes == {"title": "s", "count": 1}
    assert created.namespaces == ["a"]

    index = repository.context.index_for(SINGLE)
    raw = repository.engine.perform(rq.get_document(index, f"a:{SINGLE}:{created.id}"))
    assert raw["_source"][SINGLE]["title"] == f"enc:a/{SINGLE}/{created.id}:s"

    got = encrypting.get(SINGLE, created.id)
    assert got.attributes == {"title": "s", "count": 1}
    plain = repository.get(SINGLE, created.id, namespace="a")
    assert plain.attributes["title"].startswith("enc:")

    updated = encrypting.update(SINGLE, created.id, {"title": "s2"})
    assert updated.attributes == {"title": "s2"}
    assert (encrypting.get(SINGLE, created.id)).attributes == {"title": "s2", "count": 1}

    [hit] = (encrypting.find(type=SINGLE)).saved_objects
    assert hit.attributes["title"] == "s2"
    [bulk] = (encrypting.bulk_get([{"type": SINGLE, "id": created.id}])).saved_objects
    assert bulk.attributes["title"] == "s2"
    with encrypting.create_point_in_time_finder(type=SINGLE, per_page=10) as finder:
        pages = [page for page in finder.find()]
    assert [o.attributes["title"] for o in pages[0].saved_objects] == ["s2"]


def test_find_under_partial_authorization_returns_only_authorized_hits(
    repository: SavedObjectsRepository,
) -> None:
    for space in ("a", "b"):
        repository.create(SINGLE, {"title": space}, id=f"s-{space}", namespace=space)
        repository.create(MULTIPLE, {"title": space}, id=f"m-{space}", namespace=space)
    repository.create(
        MULTIPLE, {"title": "ac"}, id="m-ac", initial_namespaces=["a", "c"], refresh=True
    )
    log: list[Entry] = []
    in_a = AuthorizationTypeEntry(authorized_spaces=("a",))
    security = RecordingSecurity(
        log,
        status=AuthorizationStatus.PARTIALLY_AUTHORIZED,
        type_map={
            SINGLE: {"find": in_a, "login:": in_a},
            MULTIPLE: {"find": AuthorizationTypeEntry(is_globally_authorized=True), "login:": in_a},
        },
        visible_spaces=("a", "b"),
    )
    security.redact_map = security.type_map
    restricted = _with(
        repository,
        RepositoryExtensions(security=security, spaces=RecordingSpaces(log)),
    )
    found = restricted.find(type=[SINGLE, MULTIPLE], namespaces=["*"], per_page=100)
    seen = {(o.type, o.id): o.namespaces for o in found.saved_objects}
    assert seen == {
        (SINGLE, "s-a"): ["a"],
        (MULTIPLE, "m-a"): ["a"],
        (MULTIPLE, "m-b"): ["b"],
        (MULTIPLE, "m-ac"): ["a", "?"],  # "c" is not a space the caller may see
    }
    assert found.total == 4

    security.status = AuthorizationStatus.UNAUTHORIZED
    empty = restricted.find(type=[SINGLE, MULTIPLE], namespaces=["*"])
    assert (empty.total, empty.saved_objects) == (0, [])


def test_unauthorized_caller_gets_403_for_missing_objects(
    repository: SavedObjectsRepository,
) -> None:
    log: list[Entry] = []
    security = RecordingSecurity(log, refuse={"get", "delete"}, type_map=everywhere(SINGLE))
    refused = _with(repository, RepositoryExtensions(security=security))
    with pytest.raises(ForbiddenError):
        refused.get(SINGLE, "nowhere")
    with pytest.raises(ForbiddenError):
        refused.delete(SINGLE, "nowhere")
    security.refuse = set()
    with pytest.raises(NotFoundError):
        refused.get(SINGLE, "nowhere")


def test_scoped_repository_scopes_the_spaces_extension(
    repository: SavedObjectsRepository,
) -> None:
    log: list[Entry] = []
    spaced = _with(repository, RepositoryExtensions(spaces=RecordingSpaces(log)))
    scoped = spaced.as_scoped_to_namespace("b")
    created: Any = scoped.create(SINGLE, {"title": "t"})
    assert created.namespaces == ["b"]
    assert scoped.get_current_namespace() == "b"
    # the request's space came from the spaces extension, scoped as Kibana scopes it
    assert log[:2] == [("as_scoped_to_namespace", "b"), ("get_current_namespace", None)]
    assert (spaced.create(SINGLE, {"title": "t"})).namespaces == ["default"]
