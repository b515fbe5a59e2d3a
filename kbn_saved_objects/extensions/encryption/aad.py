"""What an encrypted value is bound to: its descriptor and AAD (spec 08 §5.2).

Every encrypted attribute of an object is authenticated together with the *additional
authenticated data* ``stable_json([namespace?, type, id, {AAD attributes}])``. Moving the
ciphertext to another object, another space or next to different AAD attributes makes it
undecryptable -- that is what stops a user who can write plain attributes from
re-pointing a secret.

The namespace is bound only for **single-namespace** types outside the default space: an
object of a multi-namespace (or agnostic) type is the same object in every space it is
shared to, so binding one of them would break it in the others (Kibana's
``getDescriptorNamespace``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kbn_saved_objects._js_json import js_stringify
from kbn_saved_objects.extensions.encryption.registry import EncryptedTypeDefinition
from kbn_saved_objects.repository.extensions import EncryptionDescriptor
from kbn_saved_objects.serialization import namespace_string_to_id
from kbn_saved_objects.types import SavedObjectTypeRegistry

__all__ = [
    "build_aad",
    "descriptor_label",
    "descriptor_namespace",
    "descriptor_to_list",
    "normalized_descriptor",
]


def descriptor_namespace(
    type_registry: SavedObjectTypeRegistry,
    type_name: str,
    namespace: str | Sequence[str] | None,
) -> str | None:
    """The namespace *id* the AAD binds: the (first) namespace of a single-namespace
    type, ``None`` for the default space and for every other namespace type."""
    if not type_registry.is_single_namespace(type_name):
        return None
    first = (
        namespace
        if namespace is None or isinstance(namespace, str)
        else next(iter(namespace), None)
    )
    return None if first is None else namespace_string_to_id(first)


def normalized_descriptor(
    type_registry: SavedObjectTypeRegistry, descriptor: EncryptionDescriptor
) -> EncryptionDescriptor:
    """``descriptor`` with its namespace as :func:`descriptor_namespace` says."""
    namespace = descriptor_namespace(type_registry, descriptor.type, descriptor.namespace)
    return EncryptionDescriptor(type=descriptor.type, id=descriptor.id, namespace=namespace)


def descriptor_to_list(descriptor: EncryptionDescriptor) -> list[str]:
    """``[namespace, type, id]``, or ``[type, id]`` without a namespace."""
    if descriptor.namespace:
        return [descriptor.namespace, descriptor.type, descriptor.id]
    return [descriptor.type, descriptor.id]


def descriptor_label(descriptor: EncryptionDescriptor) -> str:
    """How error messages name the object (``sales,known-type,id1``: JavaScript's
    array-to-string)."""
    return ",".join(descriptor_to_list(descriptor))


def build_aad(
    definition: EncryptedTypeDefinition,
    descriptor: EncryptionDescriptor,
    attributes: Mapping[str, Any],
) -> str:
    """The AAD text, byte for byte Kibana's (sorted keys, compact, JS number format)."""
    return js_stringify(
        [*descriptor_to_list(descriptor), definition.attributes_for_aad(attributes)],
        sort_keys=True,
    )
