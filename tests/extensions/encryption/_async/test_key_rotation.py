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
    AsyncEncryptionKeyRotation,
    EncryptionError,
    RotationProgress,
    SavedObjectsEncryptionExtension,
)
from kbn_saved_objects.extensions.encryption.key_rotation import rotation_in_progress_guard
from kbn_saved_objects.repository import AsyncSavedObjectsRepository
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


async def seed(
    repo: AsyncSavedObjectsRepository,
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
            await repo.create(type_name, attributes, id=obj_id, initial_namespaces=namespaces)
        else:
            await repo.create(type_name, attributes, id=obj_id, namespace=namespaces[0])
        ids.append(obj_id)
    return ids


async def stored_objects(repo: AsyncSavedObjectsRepository) -> list[SavedObject[Any]]:
    page = await repo.find(
        type=[SINGLE, HIDDEN, MULTIPLE], namespaces=["*"], per_page=1000, sort_field="updated_at"
    )
    return list(page.saved_objects)


async def on_old_keys(repo: AsyncSavedObjectsRepository) -> list[SavedObject[Any]]:
    """The stored objects the new primary key alone cannot open."""
    left = []
    for obj in await stored_objects(repo):
        try:
            NEW_ONLY.get_decrypted_attributes(obj)
        except EncryptionError:
            left.append(obj)
    return left


async def test_kibanas_example(async_repository: AsyncSavedObjectsRepository) -> None:
    """Three objects, one on an old key: ``{total: 3, successful: 1, failed: 0}``."""
    await seed(async_repository, make_extension(OLD_KEY_A), SINGLE)
    await seed(async_repository, NEW_ONLY, SINGLE, 2)
    result = await AsyncEncryptionKeyRotation(async_repository, ROTATING).rotate()
    assert result.to_dict() == {"total": 3, "successful": 1, "failed": 0}
    assert await on_old_keys(async_repository) == []


async def test_rotates_objects_kibana_wrote(async_repository: AsyncSavedObjectsRepository) -> None:
    for doc in kibana_documents():
        source = doc["value"]["source"]
        type_name = source["type"]
        if type_name not in (SINGLE, HIDDEN, MULTIPLE):
            continue
        obj_id = doc["value"]["id"].split(":", 1)[1]
        options: dict[str, Any] = {"id": obj_id}
        if "namespaces" in source:
            options["initial_namespaces"] = source["namespaces"]
        await async_repository.create(type_name, source[type_name], **options)
    assert len(await on_old_keys(async_repository)) == 6
    result = await AsyncEncryptionKeyRotation(async_repository, ROTATING).rotate()
    assert result.to_dict() == {"total": 6, "successful": 6, "failed": 0}
    assert await on_old_keys(async_repository) == []
    for obj in await stored_objects(async_repository):
        assert (
            NEW_ONLY.get_decrypted_attributes(obj)["privateProperty"] == "some-private-property-0"
        )


async def test_every_space_hidden_type_and_batch(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    old_a, old_b = make_extension(OLD_KEY_A), make_extension(OLD_KEY_B)
    await seed(async_repository, old_a, SINGLE, 2, namespaces=("sales",))
    await seed(async_repository, old_b, SINGLE, 1)
    await seed(async_repository, old_a, HIDDEN, 2, namespaces=("marketing",))
    await seed(async_repository, old_b, MULTIPLE, 2, namespaces=("sales", "marketing"))
    await seed(async_repository, old_a, MULTIPLE, 1, namespaces=("*",))
    await seed(async_repository, NEW_ONLY, SINGLE, 1)
    progress: list[RotationProgress] = []
    result = await AsyncEncryptionKeyRotation(async_repository, ROTATING).rotate(
        batch_size=3, on_batch=progress.append
    )
    assert result.to_dict() == {"total": 9, "successful": 8, "failed": 0}
    assert await on_old_keys(async_repository) == []
    assert len(progress) >= 3
    assert progress[-1].examined == 9
    # the plain attributes and the spaces are what they were
    for obj in await stored_objects(async_repository):
        read = NEW_ONLY.decrypt_or_strip_response_attributes(obj)
        assert read.error is None
        assert read.attributes["publicProperty"].startswith("some-public-property-")
        if obj.type == MULTIPLE:
            assert obj.namespaces in (["sales", "marketing"], ["*"])


async def test_only_the_given_type(async_repository: AsyncSavedObjectsRepository) -> None:
    old = make_extension(OLD_KEY_A)
    await seed(async_repository, old, SINGLE)
    await seed(async_repository, old, MULTIPLE)
    rotation = AsyncEncryptionKeyRotation(async_repository, ROTATING)
    result = await rotation.rotate(type=MULTIPLE)
    assert result.to_dict() == {"total": 1, "successful": 1, "failed": 0}
    assert [o.type for o in await on_old_keys(async_repository)] == [SINGLE]
    for unknown in (PLAIN, "not-a-type"):
        assert (await rotation.rotate(type=unknown)).to_dict() == {
            "total": 0,
            "successful": 0,
            "failed": 0,
        }


async def test_objects_on_unknown_keys_are_left_alone(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    stranger = make_extension("s" * 32)
    [lost] = await seed(async_repository, stranger, SINGLE)
    await seed(async_repository, make_extension(OLD_KEY_A), SINGLE)
    result = await AsyncEncryptionKeyRotation(async_repository, ROTATING).rotate()
    assert result.to_dict() == {"total": 2, "successful": 1, "failed": 0}
    [left] = await on_old_keys(async_repository)
    assert left.id == lost
    assert stranger.get_decrypted_attributes(left) == secret_attributes(0)  # untouched


async def test_refusals(async_repository: AsyncSavedObjectsRepository) -> None:
    with pytest.raises(BadRequestError) as caught:
        await AsyncEncryptionKeyRotation(async_repository, NEW_ONLY).rotate()
    assert caught.value.message == ROTATION_NOT_CONFIGURED
    no_primary = make_extension(None, OLD_KEY_A)
    with pytest.raises(BadRequestError) as caught:
        await AsyncEncryptionKeyRotation(async_repository, no_primary).rotate()
    assert caught.value.message == "Encryption is disabled because of missing encryption key."
    rotation = AsyncEncryptionKeyRotation(async_repository, ROTATING)
    with pytest.raises(BadRequestError) as caught:
        await rotation.rotate(batch_size=0)
    assert caught.value.message == (
        "[request query.batch_size]: Value must be equal to or greater than [1]."
    )
    with pytest.raises(BadRequestError) as caught:
        await rotation.rotate(batch_size=10_001)
    assert caught.value.message == (
        "[request query.batch_size]: Value must be equal to or lower than [10000]."
    )
    with rotation_in_progress_guard(), pytest.raises(TooManyRequestsError) as too_many:
        await rotation.rotate()
    assert too_many.value.message == ROTATION_IN_PROGRESS
    assert too_many.value.status_code == 429
    assert (await rotation.rotate()).total == 0  # the guard was released


class CrashingRotation(AsyncEncryptionKeyRotation):
    """Dies in the middle of its ``crash_at``-th write: half of that batch is written,
    then the process is gone (an exception nobody catches)."""

    def __init__(
        self,
        repository: AsyncSavedObjectsRepository,
        extension: SavedObjectsEncryptionExtension,
        crash_at: int,
    ) -> None:
        super().__init__(repository, extension)
        self.crash_at = crash_at
        self.writes = 0

    async def _write(
        self,
        repository: AsyncSavedObjectsRepository,
        updates: list[BulkUpdateObject],
        batch: int,
    ) -> int:
        self.writes += 1
        if self.writes == self.crash_at:
            await super()._write(repository, updates[: len(updates) // 2], batch)
            raise SystemExit("killed")
        return await super()._write(repository, updates, batch)


@pytest.mark.parametrize("crash_at", [1, 3])
async def test_a_killed_rotation_resumes(
    async_repository: AsyncSavedObjectsRepository, crash_at: int
) -> None:
    old = make_extension(OLD_KEY_B)
    await seed(async_repository, old, SINGLE, 5, namespaces=("sales",))
    await seed(async_repository, old, MULTIPLE, 4, namespaces=("sales", "marketing"))
    await seed(async_repository, old, HIDDEN, 3)
    before = {
        o.id: ROTATING.get_decrypted_attributes(o) for o in await stored_objects(async_repository)
    }
    with pytest.raises(SystemExit):
        await CrashingRotation(async_repository, ROTATING, crash_at).rotate(batch_size=4)
    remaining = len(await on_old_keys(async_repository))
    assert 0 < remaining < 12
    # every object still opens (with one key or the other): nothing was lost
    for obj in await stored_objects(async_repository):
        assert ROTATING.get_decrypted_attributes(obj) == before[obj.id]
    result = await AsyncEncryptionKeyRotation(async_repository, ROTATING).rotate(batch_size=4)
    assert result.to_dict() == {"total": 12, "successful": remaining, "failed": 0}
    assert await on_old_keys(async_repository) == []
    for obj in await stored_objects(async_repository):
        assert NEW_ONLY.get_decrypted_attributes(obj) == before[obj.id]


class RacingRotation(AsyncEncryptionKeyRotation):
    """Another writer changes an object between the rotation's read and its write."""

    def __init__(
        self,
        repository: AsyncSavedObjectsRepository,
        extension: SavedObjectsEncryptionExtension,
    ) -> None:
        super().__init__(repository, extension)
        self.raced = False

    async def _write(
        self,
        repository: AsyncSavedObjectsRepository,
        updates: list[BulkUpdateObject],
        batch: int,
    ) -> int:
        if not self.raced:
            self.raced = True
            first = updates[0]
            await self.repository.update(
                first["type"], first["id"], {"publicPropertyExcludedFromAAD": "changed meanwhile"}
            )
        return await super()._write(repository, updates, batch)


async def test_a_concurrent_write_wins(async_repository: AsyncSavedObjectsRepository) -> None:
    await seed(async_repository, make_extension(OLD_KEY_A), SINGLE, 3)
    result = await RacingRotation(async_repository, ROTATING).rotate()
    assert result.to_dict() == {"total": 3, "successful": 2, "failed": 1}
    [left] = await on_old_keys(async_repository)
    assert left.attributes["publicPropertyExcludedFromAAD"] == "changed meanwhile"
    again = await AsyncEncryptionKeyRotation(async_repository, ROTATING).rotate()
    assert again.to_dict() == {"total": 3, "successful": 1, "failed": 0}
    assert await on_old_keys(async_repository) == []


async def test_a_failed_bulk_call_fails_its_batch(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    """A batch the repository refuses as a whole (here: an empty namespace, which it
    rejects before any write) counts every object as failed, as Kibana counts a
    ``bulkUpdate`` that threw, and nothing is written."""

    class Refusing(AsyncEncryptionKeyRotation):
        async def _write(
            self,
            repository: AsyncSavedObjectsRepository,
            updates: list[BulkUpdateObject],
            batch: int,
        ) -> int:
            broken: list[BulkUpdateObject] = [{**u, "namespace": ""} for u in updates]
            return await super()._write(repository, broken, batch)

    await seed(async_repository, make_extension(OLD_KEY_A), SINGLE, 2)
    result = await Refusing(async_repository, ROTATING).rotate()
    assert result.to_dict() == {"total": 2, "successful": 0, "failed": 2}
    assert len(await on_old_keys(async_repository)) == 2


async def test_reads_writes_that_are_not_searchable_yet(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    """An object re-encrypted by a run that died before the index refreshed: this run
    must see the new version, not find the old one and fail on a conflict."""
    [obj_id] = await seed(async_repository, make_extension(OLD_KEY_A), SINGLE)
    done = NEW_ONLY.encrypt_attributes(
        EncryptionDescriptor(type=SINGLE, id=obj_id, namespace="default"), secret_attributes()
    )
    await async_repository.update(SINGLE, obj_id, done, refresh=False)
    result = await AsyncEncryptionKeyRotation(async_repository, ROTATING).rotate()
    assert result.to_dict() == {"total": 1, "successful": 0, "failed": 0}


async def test_a_repository_scoped_to_one_space_cannot_rotate(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    """Rotation reads every space; a scope is a promise about where code acts."""
    await seed(async_repository, make_extension(OLD_KEY_A), SINGLE, namespaces=("sales",))
    scoped = async_repository.as_scoped_to_namespace("sales")
    with pytest.raises(BadRequestError):
        await AsyncEncryptionKeyRotation(scoped, ROTATING).rotate()
    assert len(await on_old_keys(async_repository)) == 1
