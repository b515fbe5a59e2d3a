"""Types with secrets, the keys of Kibana's ESO test suite, and repositories over fresh
indices for the engine tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from kbn_saved_objects.engine import AsyncEngine, Engine
from kbn_saved_objects.extensions.encryption import (
    AttributeToEncrypt,
    EncryptedSavedObjectTypeRegistration,
    EncryptedTypeRegistry,
    EncryptionKeys,
    SavedObjectsEncryptionExtension,
)
from kbn_saved_objects.repository import (
    AsyncSavedObjectsRepository,
    RepositoryConfig,
    SavedObjectsRepository,
)
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry
from kbn_saved_objects.types.definition import NamespaceTypeName

# Kibana's x-pack/test/encrypted_saved_objects_api_integration/config.ts
KIBANA_PRIMARY_KEY = "wuGNaIhoMpk5sO4UBxgr3NyW1sFcLgIf"
OLD_KEY_A = "a" * 32
OLD_KEY_B = "b" * 32
NEW_KEY = "n" * 32

SINGLE = "saved-object-with-secret"
HIDDEN = "hidden-saved-object-with-secret"
MULTIPLE = "saved-object-with-secret-and-multiple-spaces"
AGNOSTIC = "global-secret"
PREDICTABLE = "type-with-predictable-ids"
PLAIN = "saved-object-without-secret"

SECRET_MAPPINGS = {
    "properties": {
        "publicProperty": {"type": "keyword"},
        "publicPropertyExcludedFromAAD": {"type": "keyword"},
        "publicPropertyStoredEncrypted": {"type": "binary"},
        "privateProperty": {"type": "binary"},
    }
}


def build_type_registry() -> SavedObjectTypeRegistry:
    """The types of Kibana's ESO API test plugin (plus an agnostic one)."""
    registry = SavedObjectTypeRegistry()
    types: tuple[tuple[str, NamespaceTypeName, bool], ...] = (
        (SINGLE, "single", False),
        (HIDDEN, "single", True),
        (MULTIPLE, "multiple", False),
        (AGNOSTIC, "agnostic", False),
        (PREDICTABLE, "single", False),
        (PLAIN, "single", False),
    )
    for name, namespace_type, hidden in types:
        registry.register(
            SavedObjectsType(
                name=name, namespace_type=namespace_type, hidden=hidden, mappings=SECRET_MAPPINGS
            )
        )
    return registry.freeze()


def build_encrypted_types() -> EncryptedTypeRegistry:
    """The registrations of that plugin: one stripped secret, one exposed, and
    ``publicProperty`` bound into the AAD."""
    encrypted = EncryptedTypeRegistry()
    for name in (SINGLE, HIDDEN, MULTIPLE, AGNOSTIC, PREDICTABLE):
        encrypted.register(
            EncryptedSavedObjectTypeRegistration(
                type=name,
                attributes_to_encrypt=[
                    "privateProperty",
                    AttributeToEncrypt(
                        "publicPropertyStoredEncrypted", dangerously_expose_value=True
                    ),
                ],
                attributes_to_include_in_aad=["publicProperty"],
                enforce_random_id=name != PREDICTABLE,
            )
        )
    return encrypted


def make_extension(primary: str | None = NEW_KEY, *old: str) -> SavedObjectsEncryptionExtension:
    return SavedObjectsEncryptionExtension(
        build_type_registry(), build_encrypted_types(), EncryptionKeys(primary, old)
    )


def secret_attributes(n: int = 0) -> dict[str, str]:
    return {
        "publicProperty": f"some-public-property-{n}",
        "publicPropertyExcludedFromAAD": f"some-public-property-excluded-from-aad-{n}",
        "publicPropertyStoredEncrypted": f"some-public-but-encrypted-property-{n}",
        "privateProperty": f"some-private-property-{n}",
    }


@pytest.fixture
def type_registry() -> SavedObjectTypeRegistry:
    return build_type_registry()


@pytest.fixture
def so_config(kbn_index_prefix: str) -> RepositoryConfig:
    return RepositoryConfig(
        default_index=f"{kbn_index_prefix}-eso", index_suffix="_1", refresh=True
    )


@pytest.fixture
def repository(
    kbn_engine: Engine, type_registry: SavedObjectTypeRegistry, so_config: RepositoryConfig
) -> SavedObjectsRepository:
    repo = SavedObjectsRepository(
        kbn_engine, type_registry, config=so_config, include_hidden_types={HIDDEN}
    )
    repo.setup_indices()
    return repo


@pytest_asyncio.fixture(loop_scope="session")
async def async_repository(
    kbn_async_engine: AsyncEngine,
    type_registry: SavedObjectTypeRegistry,
    so_config: RepositoryConfig,
) -> AsyncIterator[AsyncSavedObjectsRepository]:
    repo = AsyncSavedObjectsRepository(
        kbn_async_engine, type_registry, config=so_config, include_hidden_types={HIDDEN}
    )
    await repo.setup_indices()
    yield repo
