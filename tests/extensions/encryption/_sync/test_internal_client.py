# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
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
    EncryptedSavedObjectsClient,
    EncryptionError,
)
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from kbn_saved_objects.types import SavedObjectTypeRegistry
from tests.extensions.encryption._sync.test_key_rotation import seed
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


def test_get_decrypts_every_secret(repository: SavedObjectsRepository) -> None:
    [in_sales] = seed(repository, make_extension(OLD_KEY_A), SINGLE, namespaces=("sales",))
    client = EncryptedSavedObjectsClient(repository, READER)
    obj = client.get_decrypted_as_internal_user(SINGLE, in_sales, namespace="sales")
    assert obj.attributes == secret_attributes(0)  # the stripped privateProperty too
    with pytest.raises(NotFoundError):
        client.get_decrypted_as_internal_user(SINGLE, in_sales)  # not in default


def test_get_raises_when_a_secret_does_not_open(
    repository: SavedObjectsRepository,
) -> None:
    [obj_id] = seed(repository, make_extension("u" * 32), MULTIPLE)
    client = EncryptedSavedObjectsClient(repository, READER)
    with pytest.raises(EncryptionError) as caught:
        client.get_decrypted_as_internal_user(MULTIPLE, obj_id)
    assert caught.value.attribute_name == "privateProperty"


def test_hidden_types_when_included(
    kbn_engine: Any, so_config: RepositoryConfig, type_registry: SavedObjectTypeRegistry
) -> None:
    writer = SavedObjectsRepository(
        kbn_engine, type_registry, config=so_config, include_hidden_types={HIDDEN}
    )
    writer.setup_indices()
    [obj_id] = seed(writer, READER, HIDDEN)
    plain = SavedObjectsRepository(kbn_engine, type_registry, config=so_config)
    client = EncryptedSavedObjectsClient(plain, READER, include_hidden_types=[HIDDEN])
    obj = client.get_decrypted_as_internal_user(HIDDEN, obj_id)
    assert obj.attributes["privateProperty"] == "some-private-property-0"


def test_the_finder_decrypts_or_strips_each_object(
    repository: SavedObjectsRepository,
) -> None:
    good = seed(repository, make_extension(OLD_KEY_A), SINGLE, 3)
    [bad] = seed(repository, make_extension("u" * 32), SINGLE)
    client = EncryptedSavedObjectsClient(repository, READER)
    seen: dict[str, Any] = {}
    pages = 0
    for page in client.find_decrypted_as_internal_user(type=SINGLE, per_page=2):
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


def test_objects_of_plain_types_are_returned_as_stored(
    repository: SavedObjectsRepository,
) -> None:
    repository.create(PLAIN, {"publicProperty": "p"}, id="plain-1")
    client = EncryptedSavedObjectsClient(repository, READER)
    obj = client.get_decrypted_as_internal_user(PLAIN, "plain-1")
    assert obj.attributes == {"publicProperty": "p"}
