"""Two consecutive releases of one small app, as Kibana's rules for a rolling upgrade
want them, for the zero-downtime (ZDT) tests that run both against one index at once.

* release N (``1.0.0``) -- ``note`` (multi-namespace: title, body, counter) at model
  version 1, which changes nothing but carries the forward-compatibility schema: that is
  how N reads a note N+1 wrote (it keeps the fields it knows, drops ``title_length``);
  ``gizmo``, a type N+1 retires.
* release N+1 (``1.1.0``) -- ``note`` model version 2 adds the mapped field
  ``title_length`` and backfills it from ``title`` (MappingsAddition + DataBackfill, the
  only kind of change a rolling upgrade allows); ``gizmo`` is listed as removed, so the
  conversion deletes its documents; ``tag`` is new.

An N+1 application keeps ``title_length`` right on its own writes (the backfill only
converts what was stored before): a rule the writer child follows.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from kbn_saved_objects.types import (
    DataBackfill,
    MappingsAddition,
    ModelVersion,
    ModelVersionSchemas,
    SavedObjectsType,
    SavedObjectTypeRegistry,
)

N = "1.0.0"
N1 = "1.1.0"
VERSIONS = {"n": N, "n1": N1}
NOTE_VERSION = {"n": "10.1.0", "n1": "10.2.0"}
"""The ``typeMigrationVersion`` of a note as each release reads and writes it."""

N_FIELDS = frozenset({"title", "body", "counter"})
"""The note attributes release N knows."""


class NoteV1(BaseModel):
    """What release N keeps of a note, whichever release wrote it."""

    title: str
    body: str = ""
    counter: int = 0


class NoteV2(NoteV1):
    title_length: int | None = None


NOTE_MAPPINGS_N: dict[str, Any] = {
    "properties": {
        "title": {"type": "text"},
        "body": {"type": "text"},
        "counter": {"type": "integer"},
    }
}

NOTE_MODEL_1 = ModelVersion(schemas=ModelVersionSchemas(forward_compatibility=NoteV1))


def _title_length(doc: Any, ctx: Any) -> dict[str, Any]:
    return {"attributes": {"title_length": len(doc["attributes"].get("title") or "")}}


NOTE_MODEL_2 = ModelVersion(
    changes=[
        MappingsAddition(added_mappings={"title_length": {"type": "integer"}}),
        DataBackfill(backfill_fn=_title_length),
    ],
    schemas=ModelVersionSchemas(forward_compatibility=NoteV2),
)


def release_n() -> SavedObjectTypeRegistry:
    registry = SavedObjectTypeRegistry()
    registry.register(
        SavedObjectsType(
            name="note",
            namespace_type="multiple",
            mappings=NOTE_MAPPINGS_N,
            model_versions={1: NOTE_MODEL_1},
        )
    )
    registry.register(
        SavedObjectsType(
            name="gizmo",
            namespace_type="single",
            mappings={"properties": {"name": {"type": "keyword"}}},
        )
    )
    return registry.freeze()


def release_n1() -> SavedObjectTypeRegistry:
    registry = SavedObjectTypeRegistry(legacy_types=["gizmo"])
    registry.register(
        SavedObjectsType(
            name="note",
            namespace_type="multiple",
            mappings={
                "properties": {
                    **NOTE_MAPPINGS_N["properties"],
                    "title_length": {"type": "integer"},
                }
            },
            model_versions={1: NOTE_MODEL_1, 2: NOTE_MODEL_2},
        )
    )
    registry.register(
        SavedObjectsType(
            name="tag",
            namespace_type="single",
            mappings={"properties": {"name": {"type": "keyword"}}},
        )
    )
    return registry.freeze()


REGISTRIES = {"n": release_n, "n1": release_n1}


def as_seen_by(release: str, attributes: dict[str, Any]) -> dict[str, Any]:
    """A note's attributes as ``release`` reads them: N drops what it does not know, N+1
    derives ``title_length`` from ``title`` (the backfill, or the app's own write)."""
    kept = {k: v for k, v in attributes.items() if k in N_FIELDS}
    if release == "n1":
        kept["title_length"] = len(kept.get("title") or "")
    return kept
