"""A registry declaring every type found in the shared Kibana/OSD export fixtures, the
hooks used by the on_export/on_import tests, and repositories over fresh indices."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from kbn_saved_objects.engine import AsyncEngine, Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.repository import (
    AsyncSavedObjectsRepository,
    RepositoryConfig,
    SavedObjectsRepository,
)
from kbn_saved_objects.types import (
    SavedObjectsType,
    SavedObjectsTypeManagement,
    SavedObjectTypeRegistry,
)

MAPPINGS = {"dynamic": False, "properties": {"title": {"type": "text"}}}

# (name, namespace type, icon)
KIBANA_TYPES = [
    ("index-pattern", "multiple-isolated", "indexPatternApp"),
    ("visualization", "multiple-isolated", "visualizeApp"),
    ("dashboard", "multiple-isolated", "dashboardApp"),
    ("search", "multiple-isolated", "discoverApp"),
    ("lens", "multiple-isolated", "lensApp"),
    ("query", "multiple-isolated", None),
    ("tag", "multiple-isolated", "tag"),
    ("config", "single", "settingsApp"),
    ("isolatedtype", "single", None),
    ("sharedtype", "multiple", None),
    ("sharecapabletype", "multiple-isolated", None),
    ("cases", "single", None),
    ("cases-comments", "single", None),
    ("cases-user-actions", "single", None),
    ("single-ns", "single", None),
]
HIDDEN_TYPE = "test-actions-export-hidden"
NOT_IMPORTABLE = "not-importable"
HOOKED = "hooked"

MIGRATED = "migrated"
LATEST_KNOWN = "8.9.0"


def _identity(doc: Any, context: Any) -> Any:
    return doc


HookLog = dict[str, list[Any]]


def _step(name: str) -> Callable[[Any, Any], Any]:
    def migrate(doc: Any, context: Any) -> Any:
        attributes = {**doc["attributes"], "steps": [*doc["attributes"].get("steps", []), name]}
        return {**doc, "attributes": attributes}

    return migrate


def _hooked_type(log: HookLog) -> SavedObjectsType:
    def is_exportable(obj: Any) -> bool:
        title = obj.attributes.get("title", "")
        if title == "boom":
            raise RuntimeError("predicate failed")
        return bool(title != "secret")

    def on_export(context: Any, objects: list[Any]) -> list[Any]:
        log.setdefault("export", []).append([o.id for o in objects])
        mode = log.get("export_mode", ["keep"])[0]
        if mode == "raise":
            raise RuntimeError("transform failed")
        if mode == "drop":
            return objects[1:]
        if mode == "dicts":
            return [{**o.to_doc(), "attributes": {"as": "dict"}} for o in objects]
        if mode == "garbage":
            return [42]
        return [
            o.model_copy(update={"attributes": {**o.attributes, "exported": True}}) for o in objects
        ]

    def on_import(objects: list[Any]) -> dict[str, Any]:
        log.setdefault("import", []).append([o["id"] for o in objects])
        return {"warnings": [{"type": "simple", "message": f"{len(objects)} hooked imported"}]}

    return SavedObjectsType(
        name=HOOKED,
        namespace_type="single",
        mappings=MAPPINGS,
        management=SavedObjectsTypeManagement(
            importable_and_exportable=True,
            icon="hookIcon",
            get_title=lambda obj: (
                f"Hooked {obj['attributes'].get('title')}"
                if isinstance(obj, dict)
                else f"Hooked {obj.attributes.get('title')}"
            ),
            is_exportable=is_exportable,
            on_export=on_export,
            on_import=on_import,
        ),
    )


def build_registry(log: HookLog | None = None) -> SavedObjectTypeRegistry:
    registry = SavedObjectTypeRegistry()
    for name, namespace_type, icon in KIBANA_TYPES:
        registry.register(
            SavedObjectsType(
                name=name,
                namespace_type=namespace_type,  # type: ignore[arg-type]
                mappings=MAPPINGS,
                # Kibana's types carry migrations up to 8.x: the fixtures' versions must
                # be known (older), and a file "from the future" refused.
                migrations={LATEST_KNOWN: _identity},
                management=SavedObjectsTypeManagement(importable_and_exportable=True, icon=icon),
            )
        )
    registry.register(
        SavedObjectsType(
            name=HIDDEN_TYPE,
            namespace_type="single",
            hidden=True,
            mappings=MAPPINGS,
            migrations={LATEST_KNOWN: _identity},
            management=SavedObjectsTypeManagement(importable_and_exportable=True),
        )
    )
    registry.register(SavedObjectsType(name=NOT_IMPORTABLE, mappings=MAPPINGS))
    registry.register(
        SavedObjectsType(
            name=MIGRATED,
            namespace_type="multiple-isolated",
            mappings=MAPPINGS,
            migrations={"7.10.0": _step("7.10.0"), "8.0.0": _step("8.0.0")},
            management=SavedObjectsTypeManagement(importable_and_exportable=True),
        )
    )
    registry.register(_hooked_type(log if log is not None else {}))
    return registry.freeze()


@pytest.fixture
def hook_log() -> HookLog:
    return {}


@pytest.fixture
def registry(hook_log: HookLog) -> SavedObjectTypeRegistry:
    return build_registry(hook_log)


@pytest.fixture
def so_config(kbn_index_prefix: str) -> RepositoryConfig:
    return RepositoryConfig(
        default_index=f"{kbn_index_prefix}-ie", index_suffix="_1.0.0", refresh=True
    )


@pytest.fixture
def repository(
    kbn_engine: Engine, registry: SavedObjectTypeRegistry, so_config: RepositoryConfig
) -> SavedObjectsRepository:
    repo = SavedObjectsRepository(
        kbn_engine, registry, config=so_config, include_hidden_types={HIDDEN_TYPE}
    )
    repo.setup_indices()
    return repo


@pytest_asyncio.fixture(loop_scope="session")
async def async_repository(
    kbn_async_engine: AsyncEngine, registry: SavedObjectTypeRegistry, so_config: RepositoryConfig
) -> AsyncIterator[AsyncSavedObjectsRepository]:
    repo = AsyncSavedObjectsRepository(
        kbn_async_engine, registry, config=so_config, include_hidden_types={HIDDEN_TYPE}
    )
    await repo.setup_indices()
    yield repo


def archive_records(path: Path) -> list[dict[str, Any]]:
    """kbn_archiver files: pretty-printed JSON objects separated by blank lines."""
    text = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    records: list[dict[str, Any]] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return records
        value, pos = decoder.raw_decode(text, pos)
        records.append(value)


def archive_to_ndjson(path: Path) -> list[str]:
    """A kbn_archiver file as the export NDJSON lines Kibana would have produced."""
    return [json.dumps(r, separators=(",", ":")) + "\n" for r in archive_records(path)]


def count_docs(engine: Engine, index: str) -> int:
    """Documents in ``index`` (an alias or pattern), after a refresh."""
    engine.perform(rq.refresh(index))
    return int(engine.perform(rq.count(index))["count"])


def sequence_ids(prefix: str = "new") -> Callable[[], str]:
    counter = iter(range(1_000_000))
    return lambda: f"{prefix}-{next(counter)}"
