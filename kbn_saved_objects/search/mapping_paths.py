"""Field mappings by dotted path, over the whole index mapping (Kibana's ``getProperty``).

Kibana's search builders look fields up in the index mapping: the root fields and one
object per type, so ``dashboard.title`` and ``updated_at`` are both paths in one tree.
:func:`index_properties` builds that tree from the registry; :func:`mapping_at` walks it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kbn_saved_objects.mappings.root_fields import root_field_mappings
from kbn_saved_objects.types import SavedObjectTypeRegistry

__all__ = ["index_properties", "mapping_at"]


def index_properties(registry: SavedObjectTypeRegistry) -> dict[str, Any]:
    """The top-level ``properties`` of the index mapping: root fields, then every type."""
    properties = root_field_mappings()
    for definition in registry.get_all_types():
        properties[definition.name] = {
            "properties": dict(definition.mappings.get("properties", {}))
        }
    return properties


def mapping_at(properties: Mapping[str, Any], path: str) -> Mapping[str, Any] | None:
    """The mapping of the field at ``path``, or ``None`` when nothing is mapped there.

    Each segment is looked up among the current field's ``properties`` and, failing that,
    among its multi-fields (``fields``), so ``dashboard.title.raw`` finds the keyword
    sub-field of a text ``title``.
    """
    current: Mapping[str, Any] | None = None
    scope: Mapping[str, Any] = properties
    for part in path.split("."):
        if part in scope:
            current = scope[part]
        elif current is not None and part in current.get("fields", {}):
            current = current["fields"][part]
        else:
            return None
        scope = current.get("properties", {}) if current else {}
    return current
