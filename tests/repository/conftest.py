"""A registry with one type per namespace type, and repositories over fresh indices."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from pydantic import BaseModel

from kbn_saved_objects.engine import AsyncEngine, Engine
from kbn_saved_objects.repository import (
    AsyncSavedObjectsRepository,
    RepositoryConfig,
    SavedObjectsRepository,
)
from kbn_saved_objects.types import (
    ModelVersion,
    ModelVersionSchemas,
    SavedObjectsType,
    SavedObjectTypeRegistry,
    legacy_url_alias_type,
)

TITLE_MAPPINGS = {
    "properties": {
        "title": {"type": "text"},
        "count": {"type": "integer"},
        "nested": {"type": "object", "dynamic": False, "properties": {"a": {"type": "keyword"}}},
    }
}

SINGLE = "isolated"
MULTIPLE = "shared"
MULTIPLE_ISOLATED = "isolated-multi"
AGNOSTIC = "global"
HIDDEN = "hiddentype"
OTHER_INDEX = "elsewhere"
VALIDATED = "validated"

NAMESPACE_TYPES = {
    SINGLE: "single",
    MULTIPLE: "multiple",
    MULTIPLE_ISOLATED: "multiple-isolated",
    AGNOSTIC: "agnostic",
}


class ValidatedAttributes(BaseModel):
    title: str
    count: int = 0


def build_registry(other_index: str) -> SavedObjectTypeRegistry:
    registry = SavedObjectTypeRegistry()
    for name, namespace_type in NAMESPACE_TYPES.items():
        registry.register(
            SavedObjectsType(name=name, namespace_type=namespace_type, mappings=TITLE_MAPPINGS)
        )
    registry.register(
        SavedObjectsType(name=HIDDEN, namespace_type="single", hidden=True, mappings=TITLE_MAPPINGS)
    )
    registry.register(
        SavedObjectsType(
            name=OTHER_INDEX,
            namespace_type="multiple",
            index_pattern=other_index,
            mappings=TITLE_MAPPINGS,
        )
    )
    registry.register(
        SavedObjectsType(
            name=VALIDATED,
            namespace_type="single",
            mappings=TITLE_MAPPINGS,
            model_versions={
                1: ModelVersion(schemas=ModelVersionSchemas(create=ValidatedAttributes))
            },
        )
    )
    registry.register(legacy_url_alias_type)
    return registry.freeze()


@pytest.fixture
def so_config(kbn_index_prefix: str) -> RepositoryConfig:
    return RepositoryConfig(default_index=f"{kbn_index_prefix}-so", index_suffix="_1.0.0")


@pytest.fixture
def registry(kbn_index_prefix: str) -> SavedObjectTypeRegistry:
    return build_registry(f"{kbn_index_prefix}-other")


@pytest.fixture
def repository(
    kbn_engine: Engine, registry: SavedObjectTypeRegistry, so_config: RepositoryConfig
) -> SavedObjectsRepository:
    repo = SavedObjectsRepository(kbn_engine, registry, config=so_config)
    repo.setup_indices()
    return repo


@pytest_asyncio.fixture(loop_scope="session")
async def async_repository(
    kbn_async_engine: AsyncEngine,
    registry: SavedObjectTypeRegistry,
    so_config: RepositoryConfig,
    kbn_index_prefix: str,
) -> AsyncIterator[AsyncSavedObjectsRepository]:
    repo = AsyncSavedObjectsRepository(kbn_async_engine, registry, config=so_config)
    await repo.setup_indices()
    yield repo
