"""A service over an engine that is never called: for the rules of setup and start, which
do no I/O (a request reaching the engine fails the test)."""

from __future__ import annotations

from typing import Any

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine.flavors import EngineInfo
from kbn_saved_objects.engine.requests import Request
from kbn_saved_objects.repository import RepositoryConfig
from kbn_saved_objects.service import SavedObjectsService
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry

MAPPINGS = {"properties": {"title": {"type": "text"}}}


class NoIO:
    """An engine adapter that refuses every request."""

    info = EngineInfo("opensearch", "2.19.0")

    def perform(self, request: Request) -> Any:
        raise AssertionError(f"unexpected engine request {request.method} {request.path}")


def offline_service(registry: SavedObjectTypeRegistry | None = None) -> SavedObjectsService:
    return SavedObjectsService(
        Engine(NoIO()),  # type: ignore[arg-type]
        config=RepositoryConfig(default_index="offline_svc"),
        registry=registry,
        max_import_export_size=77,
    )


def a_type(name: str, **fields: Any) -> SavedObjectsType:
    return SavedObjectsType(name=name, mappings=MAPPINGS, **fields)
