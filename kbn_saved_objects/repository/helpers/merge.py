"""How ``update`` and ``bulk_update`` combine new attributes with stored ones (spec 03 §2.7.1).

Kibana 8.13 moved the merge from Elasticsearch (``_update`` with a partial ``doc``) into
the client (``mergeForUpdate``), so that the write can be a compare-and-set ``index``
operation. The rules are Elasticsearch's partial-update rules, plus one exception taken
from the type's mappings:

* a non-empty object is merged key by key, recursively;
* anything else -- a scalar, ``None`` (JSON ``null``), a list, an *empty* object -- replaces
  the stored value at that path;
* an object whose mapping is ``flattened`` replaces the stored value as a whole, because
  its keys are data, not fields (merging would make removed keys impossible to drop).

A key that is *missing* from the update is JavaScript's ``undefined`` and leaves the stored
value alone; there is no way (and no need) to spell ``undefined`` as a value in Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["merge_for_update"]


def _field_mapping(parent: Mapping[str, Any] | None, name: str) -> Mapping[str, Any] | None:
    if parent is None:
        return None
    properties = parent.get("properties")
    if not isinstance(properties, Mapping):
        return None
    child = properties.get(name)
    return child if isinstance(child, Mapping) else None


def _merges_into(value: Any, mapping: Mapping[str, Any] | None) -> bool:
    if mapping is not None and mapping.get("type") == "flattened":
        return False
    return isinstance(value, Mapping) and len(value) > 0


def _merge(
    target: dict[str, Any], update: Mapping[str, Any], mapping: Mapping[str, Any] | None
) -> None:
    """Merge ``update`` into ``target`` in place; ``target`` is already a private copy."""
    for key, value in update.items():
        # Only a non-empty object can merge; any other value (the common case: a scalar)
        # replaces the stored one whatever its mapping, so the mapping is not looked up.
        if (type(value) is dict or isinstance(value, Mapping)) and len(value) > 0:
            child_mapping = _field_mapping(mapping, key)
            merges = child_mapping is None or child_mapping.get("type") != "flattened"
        else:
            merges = False
        if merges:
            existing = target.get(key)
            # copy on write: the caller's nested dicts are never mutated. A stored value
            # that is not an object (a scalar, a list) is replaced by a fresh object, as
            # lodash's ``set`` does for a non-object on the path.
            child = (
                dict(existing) if type(existing) is dict or isinstance(existing, Mapping) else {}
            )
            _merge(child, value, child_mapping)
            target[key] = child
        else:
            target[key] = value


def merge_for_update(
    stored: Any, update: Any, type_mappings: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The attributes ``update`` writes when merging ``update`` into ``stored``.

    Pure: neither argument is modified, and the result shares no mutable container with
    ``stored`` along the merged paths (values taken from ``update`` are used as given).
    ``type_mappings`` is the type's mappings (``{"properties": {...}}``); only
    ``flattened`` field types influence the result. Stored attributes that are not an
    object count as empty, and an update that is not a non-empty object changes nothing,
    as in Kibana.
    """
    target: dict[str, Any] = dict(stored) if isinstance(stored, Mapping) else {}
    root: Mapping[str, Any] = {"properties": (type_mappings or {}).get("properties") or {}}
    if _merges_into(update, None):
        _merge(target, update, root)
    return target
