"""Namespace ids and namespace strings.

A space is named by its *namespace string*; the default space's string is ``'default'``.
Stored documents and the serializer use *namespace ids* instead, where the default space
is ``None``. Mixing them up writes ``default:<type>:<id>`` raw ids, so the conversion
happens at the API boundary, with these two functions.
"""

from __future__ import annotations

from kbn_saved_objects.errors import InvalidNamespaceError

__all__ = [
    "ALL_NAMESPACES_STRING",
    "DEFAULT_NAMESPACE_STRING",
    "namespace_id_to_string",
    "namespace_string_to_id",
]

DEFAULT_NAMESPACE_STRING = "default"
ALL_NAMESPACES_STRING = "*"
"""Stored in a shareable object's ``namespaces``: the object is in every space."""


def namespace_id_to_string(namespace: str | None) -> str:
    """``None`` -> ``'default'``; any other id unchanged; ``''`` is an error."""
    if namespace == "":
        raise InvalidNamespaceError("namespace cannot be an empty string")
    return DEFAULT_NAMESPACE_STRING if namespace is None else namespace


def namespace_string_to_id(namespace: str | None) -> str | None:
    """``'default'`` -> ``None``; any other string unchanged; ``''``/``None`` are errors."""
    if not namespace:
        raise InvalidNamespaceError("namespace must be a non-empty string")
    return None if namespace == DEFAULT_NAMESPACE_STRING else namespace
