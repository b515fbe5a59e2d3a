"""The ``find(filter=...)`` pipeline: KQL checked against saved-object types, then DSL.

A saved-objects filter does not name index fields directly. Keys are written with the type
in front, ``dashboard.attributes.title`` for an attribute and ``dashboard.updated_at`` for a
root field, so that a filter can only reach the types the caller may search and only
fields those types map (Kibana's ``validateConvertFilterToKueryNode``, spec 04 §9)::

    filter_to_dsl(registry, ["dashboard"], 'dashboard.attributes.title: "Q1"')
    # {"bool": {"should": [{"match_phrase": {"dashboard.title": "Q1"}}], ...}}

Every field key is checked; all problems are collected and raised together as one
:class:`~kbn_saved_objects.errors.BadRequestError` whose lines are Kibana's messages. A
valid tree is rewritten to the index layout (``<type>.attributes.x`` -> ``<type>.x``; a
root field ``<type>.updated_at`` -> ``type: <type> and updated_at``; ``<type>.id`` ->
``type: <type> and _id``) and converted without an index pattern, as Kibana's repository
does. :class:`SavedObjectFieldChecker` holds the key rules, which the aggregation
validation (:mod:`kbn_saved_objects.search.aggregations`) shares.

Where this port deliberately differs from Kibana (all stricter or more useful, never
looser):

* ``<type>.<x>`` counts as a root field only if ``x`` is a root field of the index
  mappings (or ``id``); Kibana also accepts a *type name* there (``foo.bar`` where ``bar``
  is another registered type) because both live at the root of the index mappings. For
  the same reason Kibana's ``isSavedObjectAttr`` is true for a lone type name; here it
  is not.
* Keys inside nested groups are prefixed with the *whole* nested path; Kibana keeps only
  the innermost path, so it rejects every field of a nested group inside another one.
* ``exists`` nodes (built in code; the parser never makes them) are checked and rewritten
  like ``is``; Kibana lets their field through unchecked and un-rewritten.
* Mapping lookups follow ``properties``/``fields`` by segment. Kibana goes through lodash
  paths, so names such as ``constructor`` or ``a[0]`` and field names containing the word
  ``properties`` resolve oddly there.

:func:`validate_filter_kuery_node` exposes the per-key verdicts the check is made of, in
Kibana's shape; a wildcard in a key is spelled as Kibana serializes it (a blank filter,
which parses to ``*: *``, names the key ``@kuery-wildcard@``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from typing_extensions import TypedDict

from kbn_saved_objects.errors import BadRequestError
from kbn_saved_objects.mappings.root_fields import root_field_mappings
from kbn_saved_objects.search.kql import (
    KQL_WILDCARD_SYMBOL,
    And,
    Exists,
    Is,
    Literal,
    Nested,
    Node,
    Not,
    Or,
    Range,
    ValueNode,
    Wildcard,
    node_from_kuery_json,
    parse_kql,
    to_dsl,
)
from kbn_saved_objects.types import SavedObjectTypeRegistry

__all__ = [
    "NO_KEYS_MESSAGE",
    "FilterInput",
    "FilterKeyValidation",
    "SavedObjectFieldChecker",
    "filter_to_dsl",
    "validate_filter",
    "validate_filter_kuery_node",
]

NO_KEYS_MESSAGE = (
    "If we have a filter options defined, we should always have validationFilterKuery defined too"
)
"""Kibana's error for a tree without a single field key (only possible for trees built in
code, e.g. an ``and`` without children)."""

FilterInput = str | Node | Mapping[str, Any] | None
"""What ``find`` accepts as ``filter``: KQL text, a node tree, or a tree in Kibana's
serialized ``KueryNode`` JSON shape."""

_FieldNode = Is | Range | Exists | Nested


class SavedObjectFieldChecker:
    """The field rules of one ``find`` call: which types may be named, what they map.

    Kibana checks keys against the whole index mappings (root fields and one root
    property per type). Here the two parts are kept apart, so that a type name can never
    pass for a root field: ``types`` are the allowed types of the call, in order (the
    messages list them comma-joined, as Kibana does); their mappings come from
    ``registry``, and the root fields from :func:`root_field_mappings`.
    """

    def __init__(self, registry: SavedObjectTypeRegistry, types: Sequence[str]) -> None:
        self.types: tuple[str, ...] = (types,) if isinstance(types, str) else tuple(types)
        self._types_text = ",".join(self.types)
        type_properties: dict[str, Any] = {}
        for name in self.types:
            definition = registry.get_type(name)
            if definition is not None:
                type_properties[name] = definition.mappings
        self._type_mappings: Mapping[str, Any] = {"properties": type_properties}
        self._root_mappings: Mapping[str, Any] = {"properties": root_field_mappings()}

    def is_root_path(self, segments: Sequence[str]) -> bool:
        """Whether ``segments`` (``["references", "id"]``) is a root-level field."""
        return _field_defined(self._root_mappings, segments)

    def is_type_field(self, segments: Sequence[str]) -> bool:
        """Whether ``segments`` (``["dashboard", "title"]``) is a field of an allowed type,
        as it is laid out in the index (no ``attributes``)."""
        return _field_defined(self._type_mappings, segments)

    def key_error(self, key: str | None) -> str | None:
        """Kibana's ``hasFilterKeyError``: why ``key`` may not be used, or ``None``.

        ``None`` as key is a value-only expression (``hello``), which names no field.
        """
        if key is None:
            return (
                "The key is empty and needs to be wrapped by a saved object type like "
                f"{self._types_text}"
            )
        if "." not in key:
            return (
                f"This key '{key}' need to be wrapped by a saved object type like "
                f"{self._types_text}"
            )
        segments = key.split(".")
        if segments[0] not in self.types:
            return f"This type {segments[0]} is not allowed"
        if (len(segments) == 2 and self.is_type_field(segments)) or (
            len(segments) > 2 and segments[1] != "attributes"
        ):
            return (
                f"This key '{key}' does NOT match the filter proposition "
                "SavedObjectType.attributes.key"
            )
        if (len(segments) == 2 and not self.is_root_path(segments[1:])) or (
            len(segments) > 2 and not self.is_type_field([segments[0], *segments[2:]])
        ):
            return (
                f"This key '{key}' does NOT exist in {self._types_text} saved object index patterns"
            )
        return None

    def is_saved_object_attr(self, key: str | None) -> bool:
        """Kibana's ``isSavedObjectAttr``: ``key`` names a root field rather than an
        attribute -- ``<root field>`` alone, ``<type>.<root field>`` or ``<type>.id``.

        For a valid key (see :meth:`key_error`) this means the rewrite turns it into
        ``type: <type> and <field>``; a lone root field is always invalid (not wrapped).
        """
        if key is None:
            return False
        segments = key.split(".")
        if len(segments) == 1:
            return self.is_root_path(segments)
        return len(segments) == 2 and (segments[1] == "id" or self.is_root_path(segments[1:]))


class FilterKeyValidation(TypedDict):
    """The verdict on one field key of a filter: Kibana's ``ValidateFilterKueryNode``.

    * ``astPath`` -- where the node naming the key sits in the tree, as a lodash path over
      Kibana's serialized ``KueryNode`` (``""`` for the root, ``"arguments.4.arguments.1"``
      for the second child of the fifth child);
    * ``key`` -- the key, with the path of the enclosing nested groups in front; ``None``
      for a value-only expression (``hello``);
    * ``type`` -- the saved-object type the key names (its first segment), ``None`` when
      the key has no ``.``;
    * ``isSavedObjectAttr`` -- the key names a root field (:meth:`SavedObjectFieldChecker.
      is_saved_object_attr`);
    * ``error`` -- Kibana's message when the key may not be used, else ``None``.
    """

    astPath: str
    error: str | None
    isSavedObjectAttr: bool
    key: str | None
    type: str | None


def filter_to_dsl(
    registry: SavedObjectTypeRegistry, types: Sequence[str], filter: FilterInput
) -> dict[str, Any] | None:
    """The query DSL for a ``find`` filter, or ``None`` when there is no filter.

    ``types`` are the allowed types of the call (the requested types that survived the
    registry and authorization checks); a key naming any other type is rejected. Raises
    :class:`~kbn_saved_objects.errors.KQLSyntaxError` for text that does not parse and
    :class:`~kbn_saved_objects.errors.BadRequestError` for invalid keys (all of them, one
    message per line). The result is the first clause of ``bool.filter`` of the search.
    """
    node = validate_filter(registry, types, filter)
    return None if node is None else to_dsl(node)


def validate_filter(
    registry: SavedObjectTypeRegistry, types: Sequence[str], filter: FilterInput
) -> Node | None:
    """The checked and rewritten node tree of a filter (``None`` when there is none).

    The tree uses index field names (``dashboard.title``, ``type: dashboard and
    updated_at``); this is Kibana's ``validateConvertFilterToKueryNode``, built like it on
    the verdicts of :func:`validate_filter_kuery_node`. A caller's tree is never changed
    (nodes are immutable); parts that need no rewrite are shared.
    """
    if filter is None or (isinstance(filter, str) and filter == ""):
        return None
    node = _read_filter(filter)
    verdicts = _validate(SavedObjectFieldChecker(registry, types), node)
    if not verdicts:
        raise BadRequestError(reason=NO_KEYS_MESSAGE)
    errors = [verdict["error"] for verdict in verdicts if verdict["error"] is not None]
    if errors:
        raise BadRequestError(reason="\n".join(errors))
    root_attributes = {
        verdict["astPath"]: verdict["type"]
        for verdict in verdicts
        if verdict["isSavedObjectAttr"] and verdict["type"] is not None
    }
    return _Rewriter(root_attributes).rewrite(node, "")


def validate_filter_kuery_node(
    registry: SavedObjectTypeRegistry,
    types: Sequence[str],
    filter: str | Node | Mapping[str, Any],
) -> list[FilterKeyValidation]:
    """One verdict per field key of ``filter``, parents before children, left to right.

    Kibana's ``validateFilterKueryNode`` as ``find`` calls it: the keys of ``is``,
    ``range`` and ``nested`` nodes (and, stricter than Kibana, of ``exists`` nodes) are
    checked against the allowed ``types`` and their mappings in ``registry``. Nothing is
    raised for a bad key -- its verdict carries the message; text that does not parse
    raises :class:`~kbn_saved_objects.errors.KQLSyntaxError` and a malformed serialized
    tree :class:`~kbn_saved_objects.errors.BadRequestError`. An empty string is read as
    KQL reads it (``*: *``), not as "no filter".
    """
    return _validate(SavedObjectFieldChecker(registry, types), _read_filter(filter))


def _read_filter(filter: str | Node | Mapping[str, Any]) -> Node:
    if isinstance(filter, str):
        return parse_kql(filter)
    if isinstance(filter, And | Or | Not | Is | Range | Exists | Nested):
        return filter
    if isinstance(filter, Mapping):
        return node_from_kuery_json(filter)
    raise BadRequestError(
        reason=f"options.filter must be a KQL string or node, not {type(filter).__name__}"
    )


def _validate(checker: SavedObjectFieldChecker, node: Node) -> list[FilterKeyValidation]:
    verdicts: list[FilterKeyValidation] = []
    for path, key in _keys(node):
        verdicts.append(
            {
                "astPath": path,
                "error": checker.key_error(key),
                "isSavedObjectAttr": checker.is_saved_object_attr(key),
                "key": key,
                "type": key.split(".")[0] if key is not None and "." in key else None,
            }
        )
    return verdicts


def _keys(node: Node) -> list[tuple[str, str | None]]:
    """``(astPath, key)`` of every field node of the tree, parents before children, left
    to right (the order of Kibana's error lines). Fields inside ``nested`` get the nested
    path in front."""
    keys: list[tuple[str, str | None]] = []
    stack: list[tuple[Node, str | None, str]] = [(node, None, "")]
    while stack:
        current, prefix, path = stack.pop()
        if isinstance(current, Is | Range | Exists | Nested):
            key = _key(current.field_node, prefix)
            keys.append((path, key))
            if isinstance(current, Nested):
                child_prefix = prefix if _is_null(current.path) else key
                stack.append((current.child, child_prefix, _argument_path(path, 1)))
            continue
        children = current.children
        for index in range(len(children) - 1, -1, -1):
            stack.append((children[index], prefix, _argument_path(path, index)))
    return keys


def _argument_path(path: str, index: int) -> str:
    """The lodash path of argument ``index`` of the node at ``path``. A function node's
    children are its arguments in order, except for ``nested``, whose child is argument 1
    (argument 0 being the path)."""
    return f"{path}.arguments.{index}" if path else f"arguments.{index}"


def _key(field: ValueNode, prefix: str | None) -> str | None:
    """The key a field stands for: ``None`` for "no field", ``<prefix>.<field>`` inside a
    nested group (``null`` spelled out, as Kibana's template string does). A wildcard is
    spelled as Kibana's serialized node holds it."""
    if _is_null(field):
        text = None
    elif isinstance(field, Wildcard):
        text = KQL_WILDCARD_SYMBOL.join(field.parts)
    else:
        text = field.text
    if prefix is None:
        return text
    return f"{prefix}.{'null' if text is None else text}"


def _is_null(field: ValueNode) -> bool:
    return isinstance(field, Literal) and field.value is None


@dataclass(frozen=True, slots=True)
class _Rewriter:
    root_attributes: Mapping[str, str]
    """``astPath -> type`` of the nodes whose key names a root field of that type."""

    def rewrite(self, node: Node, path: str) -> Node:
        """``node`` (at ``path``) with its keys in index form. One stack frame per tree
        level, like :func:`~kbn_saved_objects.search.kql.transform` (the path is why this
        is not ``transform``: equal subtrees at two places may be rewritten differently)."""
        if isinstance(node, Is | Range | Exists | Nested):
            return self._rewrite_field_node(node, path)
        children = node.children
        new_children = []
        for index, child in enumerate(children):
            new_children.append(self.rewrite(child, _argument_path(path, index)))
        if any(new is not old for new, old in zip(new_children, children, strict=True)):
            return node.with_children(tuple(new_children))
        return node

    def _rewrite_field_node(self, node: _FieldNode, path: str) -> Node:
        rewritten: _FieldNode = node
        if isinstance(node, Nested):
            child = self.rewrite(node.child, _argument_path(path, 1))
            if child is not node.child:
                rewritten = replace(node, child=child)
        field = node.field_node
        type_name = self.root_attributes.get(path)
        if type_name is not None:
            # ``<type>.<root field>`` (never inside a nested group, where keys are longer):
            # the node's own field is exactly the key.
            root_field = field.text.split(".")[1]
            name = "_id" if root_field == "id" else root_field
            quoted = field.is_quoted if isinstance(field, Literal) else False
            rewritten = _with_field(rewritten, Literal(name, quoted))
            return And((Is(Literal("type"), Literal(type_name)), rewritten))
        return _with_field(rewritten, _without_attributes(field))


def _with_field(node: _FieldNode, field: ValueNode) -> _FieldNode:
    """``node`` naming ``field`` (the node itself when the field object is unchanged)."""
    if field is node.field_node:
        return node
    if isinstance(node, Nested):
        return replace(node, path=field)
    return replace(node, field=field)


def _without_attributes(field: ValueNode) -> ValueNode:
    """The field with its first ``.attributes`` removed (JavaScript's ``replace`` with a
    string pattern). In a wildcard only the literal pieces are searched, so an escaped
    ``*`` stays an ordinary character."""
    if isinstance(field, Wildcard):
        parts = list(field.parts)
        for index, part in enumerate(parts):
            if ".attributes" in part:
                parts[index] = part.replace(".attributes", "", 1)
                return Wildcard(tuple(parts))
        return field
    if isinstance(field.value, str) and ".attributes" in field.value:
        return Literal(field.value.replace(".attributes", "", 1), field.is_quoted)
    return field


def _field_defined(mappings: Mapping[str, Any], segments: Sequence[str]) -> bool:
    """Kibana's ``fieldDefined``: the dotted path is mapped through ``properties``; or it
    is exactly ``id``; or its last segment is a multi-field (``fields``) of its parent; or
    one of its prefixes is a ``flattened`` field (whose keys are not mapped)."""
    if _mapping_at(mappings, segments) is not None:
        return True
    if list(segments) == ["id"]:
        return True
    parent = _mapping_at(mappings, segments[:-1])
    if parent is not None:
        multi_fields = parent.get("fields")
        if isinstance(multi_fields, Mapping) and multi_fields.get(segments[-1]) is not None:
            return True
    for end in range(1, len(segments) + 1):
        prefix = _mapping_at(mappings, segments[:end])
        if prefix is not None and prefix.get("type") == "flattened":
            return True
    return False


def _mapping_at(mappings: Mapping[str, Any], segments: Sequence[str]) -> Mapping[str, Any] | None:
    """The mapping of the field at ``segments`` (``mappings`` itself for no segments)."""
    current: Any = mappings
    for segment in segments:
        properties = current.get("properties") if isinstance(current, Mapping) else None
        if not isinstance(properties, Mapping):
            return None
        current = properties.get(segment)
    return current if isinstance(current, Mapping) else None
