"""The ``space`` saved-object type, registered as Kibana's spaces plugin registers it.

A space is itself a saved object: hidden (no HTTP saved-objects API reaches it, only the
spaces client), namespace-agnostic (it lives in no space), stored in the main index. Its
documents are interchangeable with Kibana's (``space:<id>`` raw ids, the same attributes),
so a service and Kibana sharing an index see the same spaces.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kbn_saved_objects.types import (
    MappingsAddition,
    ModelVersion,
    ModelVersionSchemas,
    SavedObjectsType,
)

__all__ = [
    "SPACE_TYPE",
    "SpaceAttributes",
    "migrate_to_660",
    "space_type",
]

SPACE_TYPE = "space"

SPACE_MAPPINGS: dict[str, Any] = {
    "dynamic": False,
    "properties": {
        "name": {
            "type": "text",
            "fields": {"keyword": {"type": "keyword", "ignore_above": 2048}},
        },
        "solution": {"type": "keyword"},
        "nameAttribute": {"type": "keyword"},
        "disabledFeatures": {"type": "keyword"},
    },
}
"""Only what is searched or sorted on is mapped (``name.keyword`` sorts the list)."""

Solution = Literal["es", "oblt", "security", "classic"]


class SpaceAttributes(BaseModel):
    """The stored attributes a create must match (Kibana's ``8.8.0`` schema, extended by
    model versions 1 and 3 with ``solution`` and ``solutionSetupRequired``)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str = Field(min_length=1)
    description: str | None = None
    initials: str | None = None
    color: str | None = None
    disabledFeatures: list[str] | None = None  # the stored attributes' names
    imageUrl: str | None = None
    reserved: bool | None = Field(default=None, alias="_reserved")
    solution: Solution | None = None
    solutionSetupRequired: bool | None = None


class _SpaceAttributesForwardCompatible(SpaceAttributes):
    """What an older reader keeps of a newer space document: the known attributes."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


def migrate_to_660(doc: Any, context: Any) -> Any:
    """6.6.0: spaces written before feature controls get an empty ``disabledFeatures``."""
    attributes = doc.get("attributes") or {}
    if "disabledFeatures" in attributes:
        return doc
    return {**doc, "attributes": {**attributes, "disabledFeatures": []}}


space_type = SavedObjectsType(
    name=SPACE_TYPE,
    hidden=True,
    namespace_type="agnostic",
    mappings=SPACE_MAPPINGS,
    migrations={"6.6.0": migrate_to_660},
    model_versions={
        1: ModelVersion(
            changes=[MappingsAddition(added_mappings={"solution": {"type": "keyword"}})],
            schemas=ModelVersionSchemas(create=SpaceAttributes),
        ),
        2: ModelVersion(
            changes=[MappingsAddition(added_mappings={"disabledFeatures": {"type": "keyword"}})],
        ),
        3: ModelVersion(
            schemas=ModelVersionSchemas(
                create=SpaceAttributes,
                forward_compatibility=_SpaceAttributesForwardCompatible,
            ),
        ),
    },
)
"""Kibana's ``space`` type: hidden, namespace-agnostic, its mappings, the 6.6.0 legacy
migration and model versions 1-3."""
