"""What a model version's changes do to a document (Kibana's ``buildModelVersionTransformFn``).

Only three kinds of change touch documents, and they run in the order the model version
lists them, each receiving the previous one's output:

* ``data_backfill``: the function's ``{"attributes": partial}`` is deep-merged into the
  attributes with lodash ``merge`` rules (nested objects merge, arrays merge element by
  element, ``None`` overwrites);
* ``data_removal``: each dotted path is deleted from the attributes (absent paths are
  ignored), with lodash ``unset`` path rules;
* ``unsafe_transform``: the function's ``{"document": ...}`` replaces the document.

``mappings_addition`` and ``mappings_deprecation`` change mappings only; a version without
data changes is an identity transform that still moves ``typeMigrationVersion``.

Each step receives a document whose ``attributes`` dict belongs to the migrator (it copied
the caller's once). The merge and the removal change that dict in place, but copy any
nested container before changing it (copy-on-write, along the changed path only), and a
step re-copies attributes a user function replaced. That is what lets the migrator skip a
deep copy of every document and still leave its caller's document untouched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeAlias, TypeGuard

from kbn_saved_objects.types.model_versions import (
    DataBackfill,
    DataRemoval,
    ModelChange,
    UnsafeTransform,
)

__all__ = [
    "ModelVersionStep",
    "build_model_version_transform",
    "merge_attributes",
    "merge_into",
    "parse_attribute_path",
    "unset_attribute",
    "unset_in",
]

ModelVersionStep: TypeAlias = Callable[[dict[str, Any], Any], dict[str, Any]]
"""``(document, context) -> document``; the document is the migrator's working copy."""

_MISSING: Any = object()
_SCALARS = frozenset({str, int, float, bool, type(None)})

# lodash's stringToPath: plain segments, [index] and ["quoted key"] (with \-escapes).
_PATH_TOKEN = re.compile(
    r"[^.\[\]]+|\[(?:(-?\d+(?:\.\d+)?)|([\"'])((?:(?!\2)[^\\]|\\.)*?)\2)\]"
    r"|(?=(?:\.|\[\])(?:\.|\[\]|$))"
)
_ESCAPE = re.compile(r"\\(\\)?")
_INDEX = re.compile(r"^(?:0|[1-9][0-9]*)$")


def build_model_version_transform(changes: Sequence[ModelChange]) -> ModelVersionStep | None:
    """One function running the data changes of a model version in order.

    ``None`` when the version has no data change, so the migrator can stamp the version
    without calling anything.
    """
    steps: list[ModelVersionStep] = []
    for change in changes:
        if isinstance(change, DataBackfill):
            steps.append(_backfill_step(change))
        elif isinstance(change, DataRemoval):
            steps.append(_removal_step(change))
        elif isinstance(change, UnsafeTransform):
            steps.append(_unsafe_step(change))
    if not steps:
        return None
    if len(steps) == 1:
        return steps[0]
    chain = tuple(steps)

    def run_all(document: dict[str, Any], context: Any) -> dict[str, Any]:
        for step in chain:
            document = step(document, context)
        return document

    return run_all


def _owned(attributes: Any, before: Any) -> dict[str, Any]:
    """``attributes`` as a dict the migrator owns: the one it handed out (``before``) stays
    as is, anything a function put in its place is copied, anything not an object is
    ``{}``."""
    if type(attributes) is dict:
        return attributes if attributes is before else dict(attributes)
    if isinstance(attributes, Mapping):
        return dict(attributes)
    return {}


def _backfill_step(change: DataBackfill) -> ModelVersionStep:
    backfill = change.backfill_fn

    def backfill_step(document: dict[str, Any], context: Any) -> dict[str, Any]:
        before = document.get("attributes")
        result = backfill(document, context)
        if type(result) is not dict and not isinstance(result, Mapping):
            raise TypeError(
                "backfill_fn must return a mapping like {'attributes': {...}}, "
                f"got {type(result).__name__}"
            )
        attributes = document.get("attributes")
        if attributes is not before or type(attributes) is not dict:
            attributes = _owned(attributes, before)
            document["attributes"] = attributes
        patch = result.get("attributes")
        if patch:
            # merge_into, with _merge_value's object case inlined one level deep: this is
            # the hot path, and backfills are mostly scalars and small objects of scalars.
            for key, value in patch.items():
                kind = type(value)
                if kind in _SCALARS:
                    attributes[key] = value
                elif kind is dict:
                    current = attributes.get(key)
                    merged = dict(current) if type(current) is dict else {}
                    for inner_key, inner in value.items():
                        merged[inner_key] = (
                            inner
                            if type(inner) in _SCALARS
                            else _merge_value(merged.get(inner_key, _MISSING), inner)
                        )
                    attributes[key] = merged
                else:
                    attributes[key] = _merge_value(attributes.get(key, _MISSING), value)
        return document

    return backfill_step


def _removal_step(change: DataRemoval) -> ModelVersionStep:
    paths = tuple(
        (path, keys, keys == (path,))
        for path in change.removed_attribute_paths
        for keys in [parse_attribute_path(path)]
    )

    def removal_step(document: dict[str, Any], context: Any) -> dict[str, Any]:
        attributes = document.get("attributes")
        if type(attributes) is dict:
            for path, keys, plain in paths:
                if path in attributes:
                    del attributes[path]
                elif not plain:
                    unset_in(attributes, path, keys)
        return document

    return removal_step


def _unsafe_step(change: UnsafeTransform) -> ModelVersionStep:
    transform = change.transform_fn

    def unsafe_step(document: dict[str, Any], context: Any) -> dict[str, Any]:
        before = document.get("attributes")
        result = transform(document, context)
        migrated = (
            result.get("document") if type(result) is dict or isinstance(result, Mapping) else None
        )
        if type(migrated) is not dict:
            raise TypeError(
                "transform_fn must return {'document': <document dict>}, "
                f"got {type(result).__name__}"
            )
        attributes = migrated.get("attributes")
        if attributes is not before and isinstance(attributes, Mapping):
            migrated["attributes"] = dict(attributes)
        return migrated

    return unsafe_step


# -- lodash merge ----------------------------------------------------------------------


def merge_attributes(attributes: object, patch: object) -> dict[str, Any]:
    """``lodash.merge({}, attributes, patch)``: a new dict; neither argument is modified
    and untouched subtrees are shared, not copied. A missing or non-object
    ``attributes`` counts as ``{}``, a missing ``patch`` as no change."""
    merged = dict(attributes) if isinstance(attributes, Mapping) else {}
    if _is_mapping(patch):
        merge_into(merged, patch)
    return merged


def merge_into(target: dict[str, Any], patch: Mapping[Any, Any]) -> None:
    """Merge ``patch`` into ``target`` in place, with lodash rules: nested objects merge,
    arrays merge element by element, ``None`` overwrites. Only ``target``'s top level is
    changed in place; nested containers on the way are copied, never modified."""
    for key, value in patch.items():
        if type(value) in _SCALARS:
            target[key] = value
        else:
            target[key] = _merge_value(target.get(key, _MISSING), value)


def _is_mapping(value: object) -> TypeGuard[Mapping[Any, Any]]:
    return type(value) is dict or isinstance(value, Mapping)


def _merge_value(current: Any, incoming: Any) -> Any:
    if type(incoming) in _SCALARS:
        return incoming
    if type(incoming) is dict or isinstance(incoming, Mapping):
        base = dict(current) if type(current) is dict else {}
        for key, value in incoming.items():
            base[key] = (
                value if type(value) in _SCALARS else _merge_value(base.get(key, _MISSING), value)
            )
        return base
    if isinstance(incoming, list | tuple):
        items = list(current) if type(current) is list else []
        for index, value in enumerate(incoming):
            if index < len(items):
                items[index] = _merge_value(items[index], value)
            else:
                items.append(_merge_value(_MISSING, value))
        return items
    return incoming


# -- lodash unset ----------------------------------------------------------------------


def parse_attribute_path(path: str) -> tuple[str, ...]:
    """Split a lodash path: ``a.b``, ``a[0].b``, ``a["dotted.key"]``."""
    keys: list[str] = []
    if path.startswith("."):
        keys.append("")
    for match in _PATH_TOKEN.finditer(path):
        number, quote, quoted = match.group(1), match.group(2), match.group(3)
        if quote:
            keys.append(_ESCAPE.sub(r"\1", quoted))
        elif number is not None:
            keys.append(number)
        else:
            keys.append(match.group(0))
    return tuple(keys)


def _child(container: Any, key: str) -> Any:
    if isinstance(container, dict):
        return container.get(key, _MISSING)
    if isinstance(container, list) and _INDEX.match(key) and int(key) < len(container):
        return container[int(key)]
    return _MISSING


def unset_attribute(
    attributes: dict[str, Any], path: str, keys: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """``lodash.unset`` on a copy: a new dict without ``path``, or ``attributes`` itself
    when the path is absent (``attributes`` is never modified)."""
    trimmed = dict(attributes)
    return trimmed if unset_in(trimmed, path, keys) else attributes


def unset_in(attributes: dict[str, Any], path: str, keys: tuple[str, ...] | None = None) -> bool:
    """Delete ``path`` from ``attributes`` with lodash ``unset`` rules; whether it was there.

    Only the top level of ``attributes`` changes in place: nested containers on the path
    are replaced by copies. A key that exists literally (``"a.b"`` as one key) wins over
    the dotted reading. Deleting an array element leaves ``None`` in its place
    (JavaScript leaves a hole, which serializes as ``null``).
    """
    if path in attributes:
        del attributes[path]
        return True
    if keys is None:
        keys = parse_attribute_path(path)
    if len(keys) < 2:
        if keys and keys[0] in attributes:
            del attributes[keys[0]]
            return True
        return False
    chain: list[Any] = [attributes]
    for key in keys[:-1]:
        child = _child(chain[-1], key)
        if not isinstance(child, dict | list):
            return False
        chain.append(child)
    last = keys[-1]
    parent = chain[-1]
    if _child(parent, last) is _MISSING:
        return False
    if isinstance(parent, dict):
        replacement: Any = dict(parent)
        del replacement[last]
    else:
        replacement = list(parent)
        replacement[int(last)] = None
    for depth in range(len(chain) - 2, 0, -1):
        container = chain[depth]
        key = keys[depth]
        copied: Any = dict(container) if isinstance(container, dict) else list(container)
        copied[int(key) if isinstance(copied, list) else key] = replacement
        replacement = copied
    attributes[keys[0]] = replacement
    return True
