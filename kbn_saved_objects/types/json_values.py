"""Read-only copies of JSON-like definition data (mappings, model-version payloads).

Kibana deep-freezes a type when it is registered so that nothing can change it later. Here
a definition keeps its JSON data as nested ``MappingProxyType``/``tuple`` copies made when
the definition is created; :func:`thaw_json` gives back plain ``dict``/``list`` values for
the places that must hand JSON to an engine (index mappings).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

__all__ = ["freeze_json", "thaw_json"]


def freeze_json(value: Any) -> Any:
    """A deep, read-only copy: mappings become ``MappingProxyType``, lists become tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({key: freeze_json(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze_json(item) for item in value)
    return value


def thaw_json(value: Any) -> Any:
    """A deep, mutable copy made of ``dict`` and ``list`` (the inverse of :func:`freeze_json`)."""
    if isinstance(value, Mapping):
        return {key: thaw_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [thaw_json(item) for item in value]
    return value
