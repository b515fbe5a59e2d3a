"""A registry with one type of each namespace kind, shared by the serializer tests."""

from __future__ import annotations

import pytest

from kbn_saved_objects.serialization import SavedObjectsSerializer
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry

NAMESPACE_TYPES = {
    "single": "single",
    "multiple": "multiple",
    "isolated": "multiple-isolated",
    "agnostic": "agnostic",
}


def registry_of(kinds: dict[str, str]) -> SavedObjectTypeRegistry:
    """Exactly the ``kinds`` given (an archive may declare ``legacy-url-alias`` itself)."""
    registry = SavedObjectTypeRegistry(core_types=False)
    for name, namespace_type in kinds.items():
        registry.register(
            SavedObjectsType(
                name=name,
                namespace_type=namespace_type,  # type: ignore[arg-type]
                mappings={"dynamic": False, "properties": {}},
            )
        )
    return registry.freeze()


@pytest.fixture(scope="session")
def kinds_registry() -> SavedObjectTypeRegistry:
    return registry_of(NAMESPACE_TYPES)


@pytest.fixture(scope="session")
def serializer(kinds_registry: SavedObjectTypeRegistry) -> SavedObjectsSerializer:
    return SavedObjectsSerializer(kinds_registry)
