"""Server-side access to secrets on the real engine (Kibana's ``getDecryptedAsInternalUser``
and ``createPointInTimeFinderDecryptedAsInternalUser``).

Scenarios from Kibana's
``x-pack/platform/plugins/shared/encrypted_saved_objects/server/saved_objects/index.test.ts``
(commit 4926f7c08828a5e33b42b3381021c9c522c98425), in our own words, against the engine.
"""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.errors import NotFoundError
from kbn_saved_objects.extensions.encryption import (
    AsyncEncryptedSavedObjectsClient,
    EncryptionError,
)
from kbn_saved_objects.repository import AsyncSavedObjectsRepository, RepositoryConfig
from kbn_saved_objects.types import SavedObjectTypeRegistry
from tests.extensions.encryption._async.test_key_rotation import seed
from tests.extensions.encryption.conftest import (
    HIDDEN,
    MULTIPLE,
    NEW_KEY,
    OLD_KEY_A,
    PLAIN,
    SINGLE,
    make_extension,
    secret_attributes,
)

pytestmark = pytest.mark.engine

READER = make_extension(NEW_KEY, OLD_KEY_A)


async def test_get_decrypts_every_secret(async_repository: AsyncSavedObjectsRepository) -> None:
    [in_sales] = await seed(
        async_repository, make_extension(OLD_KEY_A), SINGLE, namespaces=("sales",)
    )
    client = AsyncEncryptedSavedObjectsClient(async_repository, READER)
    obj = await client.get_decrypted_as_internal_user(SINGLE, in_sales, namespace="sales")
    assert obj.attributes == secret_attributes(0)  # the stripped privateProperty too
    with pytest.raises(NotFoundError):
        await client.get_decrypted_as_internal_user(SINGLE, in_sales)  # not in default


async def test_get_raises_when_a_secret_does_not_open(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    [obj_id] = await seed(async_repository, make_extension("u" * 32), MULTIPLE)
    client = AsyncEncryptedSavedObjectsClient(async_repository, READER)
    with pytest.raises(EncryptionError) as caught:
        await client.get_decrypted_as_internal_user(MULTIPLE, obj_id)
    assert caught.value.attribute_name == "privateProperty"


async def test_hidden_types_when_included(
    kbn_async_engine: Any, so_config: RepositoryConfig, type_registry: SavedObjectTypeRegistry
) -> None:
    writer = AsyncSavedObjectsRepository(
        kbn_async_engine, type_registry, config=so_config, include_hidden_types={HIDDEN}
    )
    await writer.setup_indices()
    [obj_id] = await seed(writer, READER, HIDDEN)
    plain = AsyncSavedObjectsRepository(kbn_async_engine, type_registry, config=so_config)
    client = AsyncEncryptedSavedObjectsClient(plain, READER, include_hidden_types=[HIDDEN])
    obj = await client.get_decrypted_as_internal_user(HIDDEN, obj_id)
    assert obj.attributes["privateProperty"] == "some-private-property-0"


async def test_the_finder_decrypts_or_strips_each_object(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    good = await seed(async_repository, make_extension(OLD_KEY_A), SINGLE, 3)
    [bad] = await seed(async_repository, make_extension("u" * 32), SINGLE)
    client = AsyncEncryptedSavedObjectsClient(async_repository, READER)
    seen: dict[str, Any] = {}
    pages = 0
    async for page in client.find_decrypted_as_internal_user(type=SINGLE, per_page=2):
        pages += 1
        for obj in page.saved_objects:
            seen[obj.id] = obj
    assert pages == 2
    assert set(seen) == {*good, bad}
    for obj_id in good:
        assert seen[obj_id].error is None
        assert seen[obj_id].attributes["privateProperty"].startswith("some-private-property-")
    assert seen[bad].attributes == {
        "publicProperty": "some-public-property-0",
        "publicPropertyExcludedFromAAD": "some-public-property-excluded-from-aad-0",
    }
    assert seen[bad].error is not None
    assert seen[bad].error["message"].startswith('Unable to decrypt attribute "privateProperty"')


async def test_objects_of_plain_types_are_returned_as_stored(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    await async_repository.create(PLAIN, {"publicProperty": "p"}, id="plain-1")
    client = AsyncEncryptedSavedObjectsClient(async_repository, READER)
    obj = await client.get_decrypted_as_internal_user(PLAIN, "plain-1")
    assert obj.attributes == {"publicProperty": "p"}
