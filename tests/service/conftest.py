"""A started service with the spaces extension over fresh indices, sync and async."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from kbn_saved_objects.engine import AsyncEngine, Engine
from kbn_saved_objects.extensions.spaces import (
    SPACE_TYPE,
    AsyncSpacesClient,
    Space,
    SpacesClient,
    enable_spaces,
)
from kbn_saved_objects.repository import RepositoryConfig
from kbn_saved_objects.service import (
    AsyncSavedObjectsService,
    AsyncSavedObjectsServiceStart,
    SavedObjectsService,
    SavedObjectsServiceStart,
)
from kbn_saved_objects.types import SavedObjectsType, SavedObjectsTypeManagement

MAPPINGS = {"properties": {"title": {"type": "text"}}}
EXPORTABLE = SavedObjectsTypeManagement(importable_and_exportable=True)
SPACES = ("s1", "s2")

TYPES = [
    SavedObjectsType(
        name="dashboard",
        namespace_type="multiple-isolated",
        mappings=MAPPINGS,
        management=EXPORTABLE,
    ),
    SavedObjectsType(
        name="note", namespace_type="single", mappings=MAPPINGS, management=EXPORTABLE
    ),
    SavedObjectsType(name="shared", namespace_type="multiple", mappings=MAPPINGS),
    SavedObjectsType(
        name="secret",
        namespace_type="single",
        hidden=True,
        mappings=MAPPINGS,
        management=EXPORTABLE,
    ),
]


def configure(service: Any) -> None:
    """What an application does at setup: its types, then spaces."""
    setup = service.setup()
    for definition in TYPES:
        setup.register_type(definition)
    enable_spaces(service)


def config(prefix: str) -> RepositoryConfig:
    return RepositoryConfig(default_index=f"{prefix}-svc", index_suffix="_1.0.0", refresh=True)


@pytest.fixture
def so_start(kbn_engine: Engine, kbn_index_prefix: str) -> SavedObjectsServiceStart:
    service = SavedObjectsService(kbn_engine, config=config(kbn_index_prefix))
    configure(service)
    start = service.start()
    start.create_internal_repository().setup_indices()
    spaces = SpacesClient(start.create_internal_repository([SPACE_TYPE]))
    spaces.ensure_default_space()
    for space_id in SPACES:
        spaces.create(Space(id=space_id, name=space_id.upper()))
    return start


@pytest_asyncio.fixture(loop_scope="session")
async def async_so_start(
    kbn_async_engine: AsyncEngine, kbn_index_prefix: str
) -> AsyncIterator[AsyncSavedObjectsServiceStart]:
    service = AsyncSavedObjectsService(kbn_async_engine, config=config(kbn_index_prefix))
    configure(service)
    start = service.start()
    await start.create_internal_repository().setup_indices()
    spaces = AsyncSpacesClient(start.create_internal_repository([SPACE_TYPE]))
    await spaces.ensure_default_space()
    for space_id in SPACES:
        await spaces.create(Space(id=space_id, name=space_id.upper()))
    yield start


@pytest.fixture
def spaces_client(so_start: SavedObjectsServiceStart) -> SpacesClient:
    return SpacesClient(so_start.create_internal_repository([SPACE_TYPE]))


@pytest.fixture
def async_spaces_client(async_so_start: AsyncSavedObjectsServiceStart) -> AsyncSpacesClient:
    return AsyncSpacesClient(async_so_start.create_internal_repository([SPACE_TYPE]))
