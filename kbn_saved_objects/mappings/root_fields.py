"""The root fields every saved-object index maps, exactly as Kibana maps them.

They sit at the top of each document's ``_source`` beside the attributes (which live under
the type's name). The list is Kibana's current one (9.x ``getBaseMappings``, in
``migration-server-internal/src/core/build_active_mappings.ts``), ending with
``accessControl``: an object whose ``owner`` is indexed and whose other keys (the access
mode) are stored but not mapped (``dynamic: "false"``). Kibana 7.x / OpenSearch
Dashboards indices had fewer fields and a dynamic ``migrationVersion`` object (see
docs/document-format.md).
"""

from __future__ import annotations

from typing import Any

from kbn_saved_objects.mappings.capabilities import ELASTICSEARCH_CAPABILITIES, EngineCapabilities

__all__ = ["ROOT_FIELD_NAMES", "root_field_mappings"]

ROOT_FIELD_NAMES = (
    "type",
    "namespace",
    "namespaces",
    "originId",
    "updated_at",
    "updated_by",
    "created_at",
    "created_by",
    "references",
    "coreMigrationVersion",
    "typeMigrationVersion",
    "managed",
    "accessControl",
)


def root_field_mappings(
    capabilities: EngineCapabilities = ELASTICSEARCH_CAPABILITIES,
) -> dict[str, Any]:
    """A fresh ``{field: mapping}`` of the root fields, in Kibana's order."""
    return {
        "type": {"type": "keyword"},
        "namespace": {"type": "keyword"},
        "namespaces": {"type": "keyword"},
        "originId": {"type": "keyword"},
        "updated_at": {"type": "date"},
        "updated_by": {"type": "keyword"},
        "created_at": {"type": "date"},
        "created_by": {"type": "keyword"},
        "references": {
            "type": "nested",
            "properties": {
                "name": {"type": "keyword"},
                "type": {"type": "keyword"},
                "id": {"type": "keyword"},
            },
        },
        "coreMigrationVersion": {"type": "keyword"},
        "typeMigrationVersion": {
            "type": "version" if capabilities.supports_version_field else "keyword"
        },
        "managed": {"type": "boolean"},
        "accessControl": {"dynamic": "false", "properties": {"owner": {"type": "keyword"}}},
    }
