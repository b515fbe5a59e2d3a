"""Build the index mappings of saved-object indices from the type registry.

An index's mappings are Kibana's: ``dynamic: "strict"`` at the top (a field nobody
declared makes the engine reject the write), the root fields, one root property per
type holding that type's ``mappings`` verbatim (with its own ``dynamic`` if it has one),
and ``_meta`` recording what the mappings were built from so that a later start can tell
whether they changed:

* ``indexTypesMap`` -- which types live in which index, for all indices;
* ``mappingVersions`` -- each type's current virtual version (``10.<latest model
  version>.0``, ``10.0.0`` without model versions), as Kibana's v2 migrator stores it;
* ``migrationMappingPropertyHashes`` -- Kibana's legacy md5 per root property, understood
  by Kibana 7.x / OpenSearch Dashboards indices and by types that change mappings without
  a model version.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kbn_saved_objects.errors import TypeRegistrationError
from kbn_saved_objects.mappings.capabilities import ELASTICSEARCH_CAPABILITIES, EngineCapabilities
from kbn_saved_objects.mappings.hashes import legacy_property_hashes
from kbn_saved_objects.mappings.indices import MAIN_SAVED_OBJECT_INDEX, index_types_map
from kbn_saved_objects.mappings.root_fields import root_field_mappings
from kbn_saved_objects.types import (
    SavedObjectsType,
    SavedObjectTypeRegistry,
    latest_model_version,
    model_version_to_virtual_version,
)
from kbn_saved_objects.types.json_values import thaw_json

__all__ = [
    "build_index_mappings",
    "build_mappings",
    "build_type_mappings",
    "current_virtual_version",
]


def build_type_mappings(types: Iterable[SavedObjectsType]) -> dict[str, Any]:
    """``{type name: its mappings as plain JSON}``; a repeated name is an error."""
    mappings: dict[str, Any] = {}
    for definition in types:
        if definition.name in mappings:
            raise TypeRegistrationError(
                f"Type {definition.name} is already defined.", metadata={"type": definition.name}
            )
        mappings[definition.name] = thaw_json(definition.mappings)
    return mappings


def current_virtual_version(definition: SavedObjectsType) -> str:
    """``10.<latest model version>.0`` (``10.0.0`` when the type has none).

    Kibana's "model versions only" view, which its v2 migrator stores in
    ``_meta.mappingVersions``. Needs a registered (frozen) type: provider functions must
    have been resolved.
    """
    versions = definition.model_versions
    if callable(versions):
        raise TypeRegistrationError(
            f"Type {definition.name}: model versions are not resolved; freeze the registry first",
            metadata={"type": definition.name},
        )
    keys = [int(key) for key in versions] if versions else []
    return model_version_to_virtual_version(latest_model_version(keys))


def build_mappings(
    types: Iterable[SavedObjectsType],
    *,
    capabilities: EngineCapabilities = ELASTICSEARCH_CAPABILITIES,
    index_types: dict[str, list[str]] | None = None,
    include_legacy_hashes: bool = True,
) -> dict[str, Any]:
    """The mappings of one index holding ``types``.

    ``index_types`` is written as ``_meta.indexTypesMap`` when given (it describes all
    indices, not only this one).
    """
    types = list(types)
    properties = root_field_mappings(capabilities)
    for name, type_mappings in build_type_mappings(types).items():
        if name.startswith("_"):
            raise TypeRegistrationError(
                f'Invalid mapping "{name}". Mappings cannot start with _.', metadata={"type": name}
            )
        if name in properties:
            raise TypeRegistrationError(
                f'Cannot redefine core mapping "{name}".', metadata={"type": name}
            )
        properties[name] = type_mappings
    meta: dict[str, Any] = {}
    if index_types is not None:
        meta["indexTypesMap"] = {index: list(names) for index, names in index_types.items()}
    meta["mappingVersions"] = {
        definition.name: current_virtual_version(definition) for definition in types
    }
    if include_legacy_hashes:
        meta["migrationMappingPropertyHashes"] = legacy_property_hashes(properties)
    return {"dynamic": "strict", "properties": properties, "_meta": meta}


def build_index_mappings(
    registry: SavedObjectTypeRegistry,
    *,
    capabilities: EngineCapabilities = ELASTICSEARCH_CAPABILITIES,
    main_index: str = MAIN_SAVED_OBJECT_INDEX,
    include_legacy_hashes: bool = True,
) -> dict[str, dict[str, Any]]:
    """``{index alias: mappings}``, one entry per index the registered types live in.

    The registry must be frozen: mappings are built from final definitions only.
    """
    if not registry.frozen:
        raise TypeRegistrationError("the type registry must be frozen before mappings are built")
    index_types = index_types_map(registry, main_index=main_index)
    return {
        index: build_mappings(
            (definition for name in names if (definition := registry.get_type(name))),
            capabilities=capabilities,
            index_types=index_types,
            include_legacy_hashes=include_legacy_hashes,
        )
        for index, names in index_types.items()
    }
