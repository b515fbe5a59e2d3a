"""The ``legacy-url-alias`` type that Kibana core registers itself.

An alias redirects ``<targetNamespace>:<targetType>:<sourceId>`` (its object id) to the id
an object got when it was converted to a multi-namespace type or imported with a new id.
Its definition must stay byte-compatible with Kibana's so that aliases written by Kibana
resolve here and the other way round.
"""

from __future__ import annotations

from typing import Any

from kbn_saved_objects.types.definition import NamespaceType, SavedObjectsType

__all__ = ["LEGACY_URL_ALIAS_TYPE", "legacy_url_alias_type"]

LEGACY_URL_ALIAS_TYPE = "legacy-url-alias"


def _add_conversion_purpose(document: dict[str, Any], context: object = None) -> dict[str, Any]:
    """8.2.0 added ``purpose``; every alias written before that came from a conversion."""
    del context
    attributes = {**(document.get("attributes") or {}), "purpose": "savedObjectConversion"}
    return {**document, "attributes": attributes}


legacy_url_alias_type = SavedObjectsType(
    name=LEGACY_URL_ALIAS_TYPE,
    namespace_type=NamespaceType.AGNOSTIC,
    hidden=False,
    mappings={
        "dynamic": False,
        "properties": {
            "sourceId": {"type": "keyword"},
            "targetNamespace": {"type": "keyword"},
            "targetType": {"type": "keyword"},
            "targetId": {"type": "keyword"},
            "resolveCounter": {"type": "long"},
            "disabled": {"type": "boolean"},
        },
    },
    migrations={"8.2.0": _add_conversion_purpose},
)
"""Every :class:`SavedObjectTypeRegistry` adds it when frozen (as Kibana core registers it);
registering it yourself is harmless."""
