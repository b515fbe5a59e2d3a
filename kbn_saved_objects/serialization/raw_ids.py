"""Raw document ids: how ``(namespace, type, id)`` becomes an engine ``_id`` and back.

``[<namespace>:]<type>:<id>``, where only single-namespace objects outside the default
space carry the namespace prefix. Ids and type names may themselves contain ``:``, so a
raw id is never split on ``:``; it is checked against the prefix expected from the
document's own ``type`` and ``namespace`` fields instead.
"""

from __future__ import annotations

import uuid
from typing import NamedTuple, Protocol

from kbn_saved_objects.serialization.namespaces import (
    DEFAULT_NAMESPACE_STRING,
    namespace_id_to_string,
)

__all__ = [
    "IdPrefix",
    "NamespaceTypeLookup",
    "converted_object_id",
    "generate_raw_id",
    "legacy_url_alias_id",
    "legacy_url_alias_raw_id",
    "parse_id_prefix",
]

_LEGACY_URL_ALIAS_TYPE = "legacy-url-alias"


class NamespaceTypeLookup(Protocol):
    """The part of the type registry raw ids depend on."""

    def is_single_namespace(self, name: str) -> bool: ...

    def is_multi_namespace(self, name: str) -> bool: ...


class IdPrefix(NamedTuple):
    """The prefix a raw id must carry, whether it does, and the namespace it implies."""

    prefix: str
    matches: bool
    namespace: str | None


def generate_raw_id(
    registry: NamespaceTypeLookup, namespace: str | None, type_name: str, object_id: str
) -> str:
    """``<ns>:<type>:<id>`` for single-namespace types outside the default space, else
    ``<type>:<id>``. Unregistered types count as single-namespace."""
    if namespace and registry.is_single_namespace(type_name):
        return f"{namespace}:{type_name}:{object_id}"
    return f"{type_name}:{object_id}"


def legacy_url_alias_raw_id(namespace: str | None, type_name: str, object_id: str) -> str:
    """``legacy-url-alias:<ns string>:<type>:<id>``, whatever the target's namespace type."""
    return f"{_LEGACY_URL_ALIAS_TYPE}:{namespace_id_to_string(namespace)}:{type_name}:{object_id}"


def legacy_url_alias_id(namespace: str | None, type_name: str, object_id: str) -> str:
    """The alias *object* id ``<ns string>:<type>:<id>`` (its raw id adds the type prefix)."""
    return f"{namespace_id_to_string(namespace)}:{type_name}:{object_id}"


def converted_object_id(namespace: str | None, type_name: str, object_id: str) -> str:
    """The id an object gets when its type becomes multi-namespace.

    Unchanged in the default space; elsewhere the UUID v5 of ``<ns>:<type>:<id>`` in the
    DNS namespace, so every Kibana computes the same new id independently.
    """
    if namespace_id_to_string(namespace) == DEFAULT_NAMESPACE_STRING:
        return object_id
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{namespace}:{type_name}:{object_id}"))


def _matches(raw_id: str, prefix: str) -> bool:
    return len(raw_id) > len(prefix) and raw_id.startswith(prefix)


def parse_id_prefix(
    registry: NamespaceTypeLookup,
    source_namespace: object,
    type_name: str,
    raw_id: str,
    *,
    lax: bool = False,
) -> IdPrefix:
    """The prefix ``raw_id`` must start with, given the document's ``type``/``namespace``.

    A single-namespace object is in a namespace only if its ``_source.namespace`` is set
    *and* its raw id carries that prefix. ``lax`` (index migrator only) also accepts a
    namespace prefix on multi-namespace types, for objects being converted from single.
    """
    flexible = lax and registry.is_multi_namespace(type_name)
    if source_namespace and (flexible or registry.is_single_namespace(type_name)):
        prefix = f"{source_namespace}:{type_name}:"
        if not flexible or _matches(raw_id, prefix):
            return IdPrefix(prefix, _matches(raw_id, prefix), str(source_namespace))
    prefix = f"{type_name}:"
    return IdPrefix(prefix, _matches(raw_id, prefix), None)
