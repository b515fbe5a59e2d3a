"""Index mappings of saved-object indices: root fields, per-type mappings, ``_meta``.

Pure functions of the type registry and an :class:`EngineCapabilities` value; nothing
here talks to an engine.
"""

from kbn_saved_objects.mappings.build import (
    build_index_mappings,
    build_mappings,
    build_type_mappings,
    current_virtual_version,
)
from kbn_saved_objects.mappings.capabilities import ELASTICSEARCH_CAPABILITIES, EngineCapabilities
from kbn_saved_objects.mappings.hashes import (
    canonical_stringify,
    legacy_mapping_hash,
    legacy_property_hashes,
)
from kbn_saved_objects.mappings.indices import (
    KNOWN_SAVED_OBJECT_INDICES,
    MAIN_SAVED_OBJECT_INDEX,
    index_types_map,
)
from kbn_saved_objects.mappings.root_fields import ROOT_FIELD_NAMES, root_field_mappings

__all__ = [
    "ELASTICSEARCH_CAPABILITIES",
    "KNOWN_SAVED_OBJECT_INDICES",
    "MAIN_SAVED_OBJECT_INDEX",
    "ROOT_FIELD_NAMES",
    "EngineCapabilities",
    "build_index_mappings",
    "build_mappings",
    "build_type_mappings",
    "canonical_stringify",
    "current_virtual_version",
    "index_types_map",
    "legacy_mapping_hash",
    "legacy_property_hashes",
    "root_field_mappings",
]
