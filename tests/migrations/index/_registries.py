"""Registries of three releases of one small app, shared by the index-migrator tests and
the subprocess the crash test kills.

* 1.0.0 -- ``widget`` (title as text) and ``gadget``; no model versions.
* 2.0.0 -- ``widget`` model version 1 adds ``size`` (a *compatible* mappings change) and
  backfills it.
* 3.0.0 -- ``widget`` maps ``title`` as keyword (*incompatible*: needs a reindex) and model
  version 2 backfills ``upper``.
"""

from __future__ import annotations

from typing import Any

from kbn_saved_objects.types import (
    DataBackfill,
    MappingsAddition,
    ModelVersion,
    SavedObjectsType,
    SavedObjectTypeRegistry,
)

GADGET = SavedObjectsType(
    name="gadget", namespace_type="agnostic", mappings={"properties": {"name": {"type": "keyword"}}}
)


def _size(doc: Any, ctx: Any) -> dict[str, Any]:
    title = doc["attributes"].get("title")
    if title == "boom":
        raise ValueError("cannot size a boom")
    return {"attributes": {"size": len(title or "")}}


def _upper(doc: Any, ctx: Any) -> dict[str, Any]:
    return {"attributes": {"upper": str(doc["attributes"].get("title", "")).upper()}}


V1_MODEL = ModelVersion(
    changes=[
        MappingsAddition(added_mappings={"size": {"type": "integer"}}),
        DataBackfill(backfill_fn=_size),
    ]
)


def registry_v1() -> SavedObjectTypeRegistry:
    registry = SavedObjectTypeRegistry()
    registry.register(
        SavedObjectsType(
            name="widget",
            namespace_type="single",
            mappings={"properties": {"title": {"type": "text"}}},
        )
    )
    registry.register(GADGET)
    return registry.freeze()


def registry_v1_keyword() -> SavedObjectTypeRegistry:
    """1.1.0: ``title`` becomes a keyword (incompatible) but no document needs a transform,
    so the copy runs server-side."""
    registry = SavedObjectTypeRegistry()
    registry.register(
        SavedObjectsType(
            name="widget",
            namespace_type="single",
            mappings={"properties": {"title": {"type": "keyword"}}},
        )
    )
    registry.register(GADGET)
    return registry.freeze()


def registry_v2() -> SavedObjectTypeRegistry:
    registry = SavedObjectTypeRegistry()
    registry.register(
        SavedObjectsType(
            name="widget",
            namespace_type="single",
            mappings={"properties": {"title": {"type": "text"}, "size": {"type": "integer"}}},
            model_versions={1: V1_MODEL},
        )
    )
    registry.register(GADGET)
    return registry.freeze()


def registry_v3() -> SavedObjectTypeRegistry:
    registry = SavedObjectTypeRegistry()
    registry.register(
        SavedObjectsType(
            name="widget",
            namespace_type="single",
            mappings={
                "properties": {
                    "title": {"type": "keyword"},
                    "size": {"type": "integer"},
                    "upper": {"type": "keyword"},
                }
            },
            model_versions={
                1: V1_MODEL,
                2: ModelVersion(
                    changes=[
                        MappingsAddition(added_mappings={"upper": {"type": "keyword"}}),
                        DataBackfill(backfill_fn=_upper),
                    ]
                ),
            },
        )
    )
    registry.register(GADGET)
    return registry.freeze()


# module:attr targets for the CLI (`--registry tests.migrations.index._registries:V2`)
V1 = registry_v1()
V1_KEYWORD = registry_v1_keyword()
V2 = registry_v2()
V3 = registry_v3()
