"""Namespace rules shared by every operation (spec 03 §1.10-1.11, 05 §1).

Namespace *strings* are public names (``"default"``, ``"marketing"``); namespace *ids*
are the internal form, where the default space is ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kbn_saved_objects.errors import BadRequestError, InvalidNamespaceError
from kbn_saved_objects.serialization import (
    ALL_NAMESPACES_STRING,
    namespace_id_to_string,
    namespace_string_to_id,
)
from kbn_saved_objects.types import SavedObjectTypeRegistry


def current_namespace(namespace: str | None) -> str | None:
    """The namespace id an operation runs in (Kibana's ``getCurrentNamespace``)."""
    if namespace is None:
        return None
    if namespace == ALL_NAMESPACES_STRING:
        raise BadRequestError(reason='"options.namespace" cannot be "*"')
    if namespace == "":
        raise InvalidNamespaceError("namespace must be a non-empty string")
    return namespace_string_to_id(namespace)


def exists_in_namespace(
    registry: SavedObjectTypeRegistry, source: Mapping[str, Any], namespace: str | None
) -> bool:
    """Whether a fetched document is visible from ``namespace`` (an id).

    Single-namespace and agnostic objects always are: their raw id already encodes the
    space. Multi-namespace objects must list the space, or ``"*"``.
    """
    type_name = source.get("type", "")
    if not registry.is_multi_namespace(type_name):
        return True
    stored = source.get("namespaces") or []
    return namespace_id_to_string(namespace) in stored or ALL_NAMESPACES_STRING in stored


def exists_in_any_namespace(
    registry: SavedObjectTypeRegistry, source: Mapping[str, Any], namespaces: Sequence[str]
) -> bool:
    """Whether a fetched document is visible from any of ``namespaces`` (strings)."""
    type_name = source.get("type", "")
    if not registry.is_multi_namespace(type_name):
        return True
    stored = source.get("namespaces") or []
    if not stored or not namespaces:
        return False
    if ALL_NAMESPACES_STRING in namespaces:
        return True
    return any(ns == ALL_NAMESPACES_STRING or ns in namespaces for ns in stored)


def result_namespaces(registry: SavedObjectTypeRegistry, source: Mapping[str, Any]) -> list[str]:
    """``namespaces`` of an object read by get/bulk_get (``getSavedObjectFromSource``)."""
    type_name = source.get("type", "")
    if registry.is_namespace_agnostic(type_name):
        return []
    stored = source.get("namespaces")
    if stored is not None:
        return list(stored)
    return [namespace_id_to_string(source.get("namespace"))]
