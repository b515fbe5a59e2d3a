"""The ``sort`` of ``find`` (Kibana's ``getSortingParams``, spec 04 §8, Kibana main).

One type: sort on ``<type>.<field>``, else on the root field. Several types: a root field
sorts directly; a field of the types' own attributes is merged into one runtime field
(``merged_<field>``) whose script takes the value of the first type, in the order given,
that has one. That needs every searched type to map the field with a sortable kind
(keyword, numeric, date, boolean) and all kinds to agree once numbers count as ``double``.

OpenSearch has no ``runtime_mappings`` in search requests (2.19 answers "Unknown key for a
START_OBJECT in [runtime_mappings]"), so :meth:`MergedField.script_sort` turns the merged field
into a ``_script`` sort that gives the same order, missing values included. The caller
picks one through ``EngineInfo.supports_runtime_fields``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from kbn_saved_objects.errors import SavedObjectsError
from kbn_saved_objects.search.mapping_paths import mapping_at

__all__ = [
    "MergedField",
    "NotAcceptableError",
    "PlainBadRequestError",
    "SortParams",
    "check_sort_order",
    "sorting_params",
]

SortOrder = Literal["asc", "desc"]

TOP_LEVEL_FIELDS = ("_id", "_score")
NUMERIC_TYPES = frozenset(
    ("long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float")
)
SORTABLE_TYPES = NUMERIC_TYPES | {"date", "keyword", "boolean"}


class NotAcceptableError(SavedObjectsError):
    """406: Kibana's plain HTTP error for ``sortOrder`` without ``sortField``."""

    code = "notAcceptable"
    status_code = 406
    label = "Not Acceptable"


class PlainBadRequestError(SavedObjectsError):
    """400 without a saved-objects classification (Kibana's sort errors)."""

    code = "plainBadRequest"
    status_code = 400
    label = "Bad Request"


@dataclass(frozen=True)
class MergedField:
    """A sort field merged over several types: the value of the first type in ``paths``
    (one per type, in the order the types were given) that has one."""

    name: str
    kind: str
    """``keyword``, ``double`` (every numeric type), ``date`` or ``boolean``."""
    paths: tuple[str, ...]

    def runtime_mapping(self) -> dict[str, Any]:
        """Kibana's runtime field: ``""`` when no type has a keyword value, nothing
        (so the document sorts last) for the other kinds."""
        branches = [
            f"{'if' if index == 0 else 'else if'} (doc.containsKey('{path}') && "
            f"doc['{path}'].size() != 0) {{ emit(doc['{path}'].value); }}"
            for index, path in enumerate(self.paths)
        ]
        if self.kind == "keyword":
            branches.append('else { emit(""); }')
        return {"type": self.kind, "script": {"source": " ".join(branches)}}

    def script_sort(self, order: str | None) -> dict[str, Any]:
        """A ``_script`` sort in the same order as the runtime field, for engines without
        runtime fields. A document without a value sorts last in either direction, as it
        does under the runtime field: the script returns the largest number when
        ascending, the smallest when descending."""
        branches = []
        for path in self.paths:
            value = _SCRIPT_VALUE[self.kind].format(value=f"doc['{path}'].value")
            branches.append(
                f"if (doc.containsKey('{path}') && doc['{path}'].size() != 0) {{ return {value}; }}"
            )
        script: dict[str, Any] = {}
        if self.kind == "keyword":
            branches.append("return '';")
        else:
            branches.append("return params.missing;")
            script["params"] = {"missing": -_LARGEST if order == "desc" else _LARGEST}
        script = {"source": " ".join(branches), **script}
        body: dict[str, Any] = {
            "type": "string" if self.kind == "keyword" else "number",
            "script": script,
        }
        if order:
            body["order"] = order
        return {"_script": body}


_LARGEST = 1.7976931348623157e308
_SCRIPT_VALUE = {
    "keyword": "{value}",
    "double": "{value}",
    "date": "{value}.toInstant().toEpochMilli()",
    "boolean": "({value} ? 1 : 0)",
}


@dataclass(frozen=True)
class SortParams:
    """What sorting adds to the search body: ``sort`` and, for several types sorted on
    an attribute, the merged field behind it."""

    sort: list[Any] | None = None
    merged: MergedField | None = None

    @property
    def runtime_mappings(self) -> dict[str, Any]:
        """Kibana's ``runtime_mappings`` (empty when no field is merged)."""
        if self.merged is None:
            return {}
        return {self.merged.name: self.merged.runtime_mapping()}

    def body(self, *, runtime_fields: bool) -> dict[str, Any]:
        """The ``sort`` (and ``runtime_mappings``) keys for the search body; without
        runtime fields a merged field is sorted by script instead."""
        if self.sort is None:
            return {}
        if self.merged is None:
            return {"sort": list(self.sort)}
        if runtime_fields:
            return {"sort": list(self.sort), "runtime_mappings": self.runtime_mappings}
        order = self.sort[0][self.merged.name].get("order")
        return {"sort": [self.merged.script_sort(order), *self.sort[1:]]}


def check_sort_order(sort_field: str | None, sort_order: str | None) -> None:
    """Kibana refuses a sort order without a field before it builds anything
    (``getSearchDsl``), with a 406."""
    if sort_order and not sort_field:
        raise NotAcceptableError("sortOrder requires a sortField")


def _order(sort_order: SortOrder | None) -> dict[str, Any]:
    return {"order": sort_order} if sort_order else {}


def sorting_params(
    properties: Mapping[str, Any],
    types: Sequence[str],
    sort_field: str | None,
    sort_order: SortOrder | None,
    *,
    has_pit: bool,
) -> SortParams:
    """Kibana's sort for ``types`` over the index mapping ``properties``.

    Without a field there is no sort, except under a point-in-time, which needs one to
    page: ``_shard_doc``, the cheapest. An absent order is left out (the engine's default).
    """
    if not sort_field:
        return SortParams(["_shard_doc"] if has_pit else None)
    order = _order(sort_order)
    if sort_field in TOP_LEVEL_FIELDS:
        return SortParams([{sort_field: order}])
    if len(types) > 1:
        root = mapping_at(properties, sort_field)
        if root is not None:
            return SortParams([{sort_field: _with_unmapped_type(order, root)}])
        return _merged_sort(properties, types, sort_field, order)
    key = f"{types[0]}.{sort_field}"
    mapping = mapping_at(properties, key)
    if mapping is None:
        key = sort_field
        mapping = mapping_at(properties, sort_field)
        if mapping is None:
            raise PlainBadRequestError(f"Unknown sort field {sort_field}")
    return SortParams([{key: _with_unmapped_type(order, mapping)}])


def _with_unmapped_type(order: dict[str, Any], mapping: Mapping[str, Any]) -> dict[str, Any]:
    """Indices that lack the field sort as if it were mapped (Kibana leaves the key out
    for a field without a ``type``, such as an object)."""
    kind = mapping.get("type")
    return {**order, "unmapped_type": kind} if kind is not None else dict(order)


def _merged_sort(
    properties: Mapping[str, Any],
    types: Sequence[str],
    sort_field: str,
    order: dict[str, Any],
) -> SortParams:
    mappings = [mapping_at(properties, f"{name}.{sort_field}") for name in types]
    if any(mapping is None for mapping in mappings):
        raise PlainBadRequestError(
            f'Sort field "{sort_field}" must be present in all types to use in sorting '
            "when multiple types are specified."
        )
    kinds: list[str] = []
    for name, mapping in zip(types, mappings, strict=True):
        kind = mapping.get("type") if mapping else None
        if kind not in SORTABLE_TYPES:
            raise PlainBadRequestError(
                f'Sort field "{name}.{sort_field}" is of type "{kind or "undefined"}" which is '
                'not sortable. If the field has a sortable subfield e.g "keyword" subfield, '
                'use "field.keyword" for sorting.'
            )
        kinds.append("double" if kind in NUMERIC_TYPES else str(kind))
    distinct = list(dict.fromkeys(kinds))
    if len(distinct) > 1:
        raise PlainBadRequestError(
            f'Sort field "{sort_field}" has incompatible types across saved object types: '
            f"[{', '.join(distinct)}]. All field types must be compatible for sorting "
            "(numeric types are considered equivalent)."
        )
    name = f"merged_{sort_field}"
    paths = tuple(f"{type_name}.{sort_field}" for type_name in types)
    return SortParams([{name: order}], MergedField(name, distinct[0], paths))
