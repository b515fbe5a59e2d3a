"""A registry with one type per namespace type, and repositories over fresh indices."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import pytest_asyncio
from pydantic import BaseModel

from kbn_saved_objects.engine import AsyncEngine, Engine
from kbn_saved_objects.engine.flavors import EngineInfo
from kbn_saved_objects.repository import (
    AsyncSavedObjectsRepository,
    RepositoryConfig,
    SavedObjectsRepository,
)
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.types import (
    ModelVersion,
    ModelVersionSchemas,
    SavedObjectsType,
    SavedObjectTypeRegistry,
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
    return registry.freeze()


@pytest.fixture
def so_config(kbn_index_prefix: str) -> RepositoryConfig:
    # refresh=True: "wait_for" (the default) would make every write wait for the next
    # scheduled refresh, up to a second each.
    return RepositoryConfig(
        default_index=f"{kbn_index_prefix}-so", index_suffix="_1.0.0", refresh=True
    )


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


@pytest.fixture
def offline_context() -> RepositoryContext:
    """A repository context for driving operations with ``run_offline`` (no engine):
    a fixed clock, an OpenSearch 2 engine description and the registry above."""
    config = RepositoryConfig(
        default_index="offline-so", index_suffix="_1", clock=lambda: "2024-05-01T10:00:00.000Z"
    )
    return RepositoryContext(
        build_registry("offline-other"), config, EngineInfo("opensearch", "2.19.0")
    )


class AsyncConcurrently:
    """Run jobs at the same time and collect each one's result or exception.

    Concurrency tests are written once in ``_async``; unasync turns this class's name into
    :class:`SyncConcurrently`, which runs the same jobs on threads against the sync
    repository.
    """

    @staticmethod
    async def run(jobs: list[Callable[[], Awaitable[Any]]]) -> list[Any]:
        return list(await asyncio.gather(*(job() for job in jobs), return_exceptions=True))


class SyncConcurrently:
    """The sync twin of :class:`AsyncConcurrently`: one thread per job."""

    @staticmethod
    def run(jobs: list[Callable[[], Any]]) -> list[Any]:
        def guarded(job: Callable[[], Any]) -> Any:
            try:
                return job()
            except Exception as exc:
                return exc

        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            return list(pool.map(guarded, jobs))
