# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""Key rotation on the real engine: Kibana's results, every space and hidden type,
batches, concurrent writers, and a rotation that dies mid-way then runs again.

Kibana's unit tests (``x-pack/platform/plugins/shared/encrypted_saved_objects/server/
crypto/encryption_key_rotation_service.test.ts``, commit
99cafbb2c85775553f9e73b5ca2725cc14a94be6) mock the clients; these run the same scenarios
against the engine instead.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from kbn_saved_objects.errors import BadRequestError, TooManyRequestsError
from kbn_saved_objects.extensions.encryption import (
    ROTATION_IN_PROGRESS,
    ROTATION_NOT_CONFIGURED,
    EncryptionError,
    EncryptionKeyRotation,
    RotationProgress,
    SavedObjectsEncryptionExtension,
)
from kbn_saved_objects.extensions.encryption.key_rotation import rotation_in_progress_guard
from kbn_saved_objects.repository import SavedObjectsRepository
from kbn_saved_objects.repository.extensions import EncryptionDescriptor
from kbn_saved_objects.repository.operations.bulk_update import BulkUpdateObject
from kbn_saved_objects.serialization import SavedObject
from tests.extensions.encryption.conftest import (
    HIDDEN,
    KIBANA_PRIMARY_KEY,
    MULTIPLE,
    NEW_KEY,
    OLD_KEY_A,
    OLD_KEY_B,
    PLAIN,
    SINGLE,
    make_extension,
    secret_attributes,
)
from tests.extensions.encryption.test_kibana_fixtures import kibana_documents

pytestmark = pytest.mark.engine

ROTATING = make_extension(NEW_KEY, OLD_KEY_A, OLD_KEY_B, KIBANA_PRIMARY_KEY)
NEW_ONLY = make_extension(NEW_KEY)


def seed(
    repo: SavedObjectsRepository,
    writer: SavedObjectsEncryptionExtension,
    type_name: str,
    n: int = 1,
    *,
    namespaces: tuple[str, ...] = ("default",),
) -> list[str]:
    """``n`` objects encrypted by ``writer``, written raw; their ids."""
    ids = []
    for i in range(n):
        obj_id = str(uuid.uuid4())
        attributes = writer.encrypt_attributes(
            EncryptionDescriptor(type=type_name, id=obj_id, namespace=namespaces[0]),
            secret_attributes(i),
        )
        if type_name == MULTIPLE:
            repo.create(type_name, attributes, id=obj_id, initial_namespaces=namespaces)
        else:
            repo.create(type_name, attributes, id=obj_id, namespace=namespaces[0])
        ids.append(obj_id)
    return ids


def stored_objects(repo: SavedObjectsRepository) -> list[SavedObject[Any]]:
    page = repo.find(
        type=[SINGLE, HIDDEN, MULTIPLE], namespaces=["*"], per_page=1000, sort_field="updated_at"
    )
    return list(page.saved_objects)


def on_old_keys(repo: SavedObjectsRepository) -> list[SavedObject[Any]]:
    """The stored objects the new primary key alone cannot open."""
    left = []
    for obj in stored_objects(repo):
        try:
            NEW_ONLY.get_decrypted_attributes(obj)
        except EncryptionError:
            left.append(obj)
    return left


def test_kibanas_example(repository: SavedObjectsRepository) -> None:
    """Three objects, one on an old key: ``{total: 3, successful: 1, failed: 0}``."""
    seed(repository, make_extension(OLD_KEY_A), SINGLE)
    seed(repository, NEW_ONLY, SINGLE, 2)
    result = EncryptionKeyRotation(repository, ROTATING).rotate()
    assert result.to_dict() == {"total": 3, "successful": 1, "failed": 0}
    assert on_old_keys(repository) == []


def test_rotates_objects_kibana_wrote(repository: SavedObjectsRepository) -> None:
    for doc in kibana_documents():
        source = doc["value"]["source"]
        type_name = source["type"]
        if type_name not in (SINGLE, HIDDEN, MULTIPLE):
            continue
        obj_id = doc["value"]["id"].split(":", 1)[1]
        options: dict[str, Any] = {"id": obj_id}
        if "namespaces" in source:
            options["initial_namespaces"] = source["namespaces"]
        repository.create(type_name, source[type_name], **options)
    assert len(on_old_keys(repository)) == 6
    result = EncryptionKeyRotation(repository, ROTATING).rotate()
    assert result.to_dict() == {"total": 6, "successful": 6, "failed": 0}
    assert on_old_keys(repository) == []
    for obj in stored_objects(repository):
        assert (
            NEW_ONLY.get_decrypted_attributes(obj)["privateProperty"] == "some-private-property-0"
        )


def test_every_space_hidden_type_and_batch(
    repository: SavedObjectsRepository,
) -> None:
    old_a, old_b = make_extension(OLD_KEY_A), make_extension(OLD_KEY_B)
    seed(repository, old_a, SINGLE, 2, namespaces=("sales",))
    seed(repository, old_b, SINGLE, 1)
    seed(repository, old_a, HIDDEN, 2, namespaces=("marketing",))
    seed(repository, old_b, MULTIPLE, 2, namespaces=("sales", "marketing"))
    seed(repository, old_a, MULTIPLE, 1, namespaces=("*",))
    seed(repository, NEW_ONLY, SINGLE, 1)
    progress: list[RotationProgress] = []
    result = EncryptionKeyRotation(repository, ROTATING).rotate(
        batch_size=3, on_batch=progress.append
    )
    assert result.to_dict() == {"total": 9, "successful": 8, "failed": 0}
    assert on_old_keys(repository) == []
    assert len(progress) >= 3
    assert progress[-1].examined == 9
    # the plain attributes and the spaces are what they were
    for obj in stored_objects(repository):
        read = NEW_ONLY.decrypt_or_strip_response_attributes(obj)
        assert read.error is None
        assert read.attributes["publicProperty"].startswith("some-public-property-")
        if obj.type == MULTIPLE:
            assert obj.namespaces in (["sales", "marketing"], ["*"])


def test_only_the_given_type(repository: SavedObjectsRepository) -> None:
    old = make_extension(OLD_KEY_A)
    seed(repository, old, SINGLE)
    seed(repository, old, MULTIPLE)
    rotation = EncryptionKeyRotation(repository, ROTATING)
    result = rotation.rotate(type=MULTIPLE)
    assert result.to_dict() == {"total": 1, "successful": 1, "failed": 0}
    assert [o.type for o in on_old_keys(repository)] == [SINGLE]
    for unknown in (PLAIN, "not-a-type"):
        assert (rotation.rotate(type=unknown)).to_dict() == {
            "total": 0,
            "successful": 0,
            "failed": 0,
        }


def test_objects_on_unknown_keys_are_left_alone(
    repository: SavedObjectsRepository,
) -> None:
    stranger = make_extension("s" * 32)
    [lost] = seed(repository, stranger, SINGLE)
    seed(repository, make_extension(OLD_KEY_A), SINGLE)
    result = EncryptionKeyRotation(repository, ROTATING).rotate()
    assert result.to_dict() == {"total": 2, "successful": 1, "failed": 0}
    [left] = on_old_keys(repository)
    assert left.id == lost
    assert stranger.get_decrypted_attributes(left) == secret_attributes(0)  # untouched


def test_refusals(repository: SavedObjectsRepository) -> None:
    with pytest.raises(BadRequestError) as caught:
        EncryptionKeyRotation(repository, NEW_ONLY).rotate()
    assert caught.value.message == ROTATION_NOT_CONFIGURED
    no_primary = make_extension(None, OLD_KEY_A)
    with pytest.raises(BadRequestError) as caught:
        EncryptionKeyRotation(repository, no_primary).rotate()
    assert caught.value.message == "Encryption is disabled because of missing encryption key."
    rotation = EncryptionKeyRotation(repository, ROTATING)
    with pytest.raises(BadRequestError) as caught:
        rotation.rotate(batch_size=0)
    assert caught.value.message == (
        "[request query.batch_size]: Value must be equal to or greater than [1]."
    )
    with pytest.raises(BadRequestError) as caught:
        rotation.rotate(batch_size=10_001)
    assert caught.value.message == (
        "[request query.batch_size]: Value must be equal to or lower than [10000]."
    )
    with rotation_in_progress_guard(), pytest.raises(TooManyRequestsError) as too_many:
        rotation.rotate()
    assert too_many.value.message == ROTATION_IN_PROGRESS
    assert too_many.value.status_code == 429
    assert (rotation.rotate()).total == 0  # the guard was released


class CrashingRotation(EncryptionKeyRotation):
    """Dies in the middle of its ``crash_at``-th write: half of that batch is written,
    then the process is gone (an exception nobody catches)."""

    def __init__(
        self,
        repository: SavedObjectsRepository,
        extension: SavedObjectsEncryptionExtension,
        crash_at: int,
    ) -> None:
        super().__init__(repository, extension)
        self.crash_at = crash_at
        self.writes = 0

    def _write(
        self,
        repository: SavedObjectsRepository,
        updates: list[BulkUpdateObject],
        batch: int,
    ) -> int:
        self.writes += 1
        if self.writes == self.crash_at:
            super()._write(repository, updates[: len(updates) // 2], batch)
            raise SystemExit("killed")
        return super()._write(repository, updates, batch)


@pytest.mark.parametrize("crash_at", [1, 3])
def test_a_killed_rotation_resumes(repository: SavedObjectsRepository, crash_at: int) -> None:
    old = make_extension(OLD_KEY_B)
    seed(repository, old, SINGLE, 5, namespaces=("sales",))
    seed(repository, old, MULTIPLE, 4, namespaces=("sales", "marketing"))
    seed(repository, old, HIDDEN, 3)
    before = {o.id: ROTATING.get_decrypted_attributes(o) for o in stored_objects(repository)}
    with pytest.raises(SystemExit):
        CrashingRotation(repository, ROTATING, crash_at).rotate(batch_size=4)
    remaining = len(on_old_keys(repository))
    assert 0 < remaining < 12
    # every object still opens (with one key or the other): nothing was lost
    for obj in stored_objects(repository):
        assert ROTATING.get_decrypted_attributes(obj) == before[obj.id]
    result = EncryptionKeyRotation(repository, ROTATING).rotate(batch_size=4)
    assert result.to_dict() == {"total": 12, "successful": remaining, "failed": 0}
    assert on_old_keys(repository) == []
    for obj in stored_objects(repository):
        assert NEW_ONLY.get_decrypted_attributes(obj) == before[obj.id]


class RacingRotation(EncryptionKeyRotation):
    """Another writer changes an object between the rotation's read and its write."""

    def __init__(
        self,
        repository: SavedObjectsRepository,
        extension: SavedObjectsEncryptionExtension,
    ) -> None:
        super().__init__(repository, extension)
        self.raced = False

    def _write(
        self,
        repository: SavedObjectsRepository,
        updates: list[BulkUpdateObject],
        batch: int,
    ) -> int:
        if not self.raced:
            self.raced = True
            first = updates[0]
            self.repository.update(
                first["type"], first["id"], {"publicPropertyExcludedFromAAD": "changed meanwhile"}
            )
        return super()._write(repository, updates, batch)


def test_a_concurrent_write_wins(repository: SavedObjectsRepository) -> None:
    seed(repository, make_extension(OLD_KEY_A), SINGLE, 3)
    result = RacingRotation(repository, ROTATING).rotate()
    assert result.to_dict() == {"total": 3, "successful": 2, "failed": 1}
    [left] = on_old_keys(repository)
    assert left.attributes["publicPropertyExcludedFromAAD"] == "changed meanwhile"
    again = EncryptionKeyRotation(repository, ROTATING).rotate()
    assert again.to_dict() == {"total": 3, "successful": 1, "failed": 0}
    assert on_old_keys(repository) == []


def test_a_failed_bulk_call_fails_its_batch(
    repository: SavedObjectsRepository,
) -> None:
    """A batch the repository refuses as a whole (here: an empty namespace, which it
    rejects before any write) counts every object as failed, as Kibana counts a
    ``bulkUpdate`` that threw, and nothing is written."""

    class Refusing(EncryptionKeyRotation):
        def _write(
            self,
            repository: SavedObjectsRepository,
            updates: list[BulkUpdateObject],
            batch: int,
        ) -> int:
            broken: list[BulkUpdateObject] = [{**u, "namespace": ""} for u in updates]
            return super()._write(repository, broken, batch)

    seed(repository, make_extension(OLD_KEY_A), SINGLE, 2)
    result = Refusing(repository, ROTATING).rotate()
    assert result.to_dict() == {"total": 2, "successful": 0, "failed": 2}
    assert len(on_old_keys(repository)) == 2


def test_reads_writes_that_are_not_searchable_yet(
    repository: SavedObjectsRepository,
) -> None:
    """An object re-encrypted by a run that died before the index refreshed: this run
    must see the new version, not find the old one and fail on a conflict."""
    [obj_id] = seed(repository, make_extension(OLD_KEY_A), SINGLE)
    done = NEW_ONLY.encrypt_attributes(
        EncryptionDescriptor(type=SINGLE, id=obj_id, namespace="default"), secret_attributes()
    )
    repository.update(SINGLE, obj_id, done, refresh=False)
    result = EncryptionKeyRotation(repository, ROTATING).rotate()
    assert result.to_dict() == {"total": 1, "successful": 0, "failed": 0}


def test_a_repository_scoped_to_one_space_cannot_rotate(
    repository: SavedObjectsRepository,
) -> None:
    """Rotation reads every space; a scope is a promise about where code acts."""
    seed(repository, make_extension(OLD_KEY_A), SINGLE, namespaces=("sales",))
    scoped = repository.as_scoped_to_namespace("sales")
    with pytest.raises(BadRequestError):
        EncryptionKeyRotation(scoped, ROTATING).rotate()
    assert len(on_old_keys(repository)) == 1
