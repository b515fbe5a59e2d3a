"""``find(aggs=...)``: aggregations checked against an allow-list, fields checked and
rewritten, before they reach the engine (Kibana's ``validateAndConvertAggregations``,
spec 04 §10).

Aggregations run over the documents the query matches, but their bodies can name any
field, run scripts or reach into other documents. So, as in Kibana, only a fixed set of
aggregation types is accepted, each with the keys its schema lists (which leaves out
every ``script``), and every field name is checked against the allowed types of the call
and rewritten to the index layout::

    validate_aggregations(registry, ["dashboard"],
                          {"titles": {"terms": {"field": "dashboard.attributes.title"}}})
    # {"titles": {"terms": {"field": "dashboard.title"}}}

Field names are the values under ``field`` and ``path`` and the keys of ``term`` maps:
``<type>.attributes.<path>`` becomes ``<type>.<path>``, ``<type>.<root field>`` becomes
the root field (``dashboard.updated_at`` -> ``updated_at``, ``dashboard.references.id`` ->
``references.id``), and a bare root field (``type``) stays as it is.

The first problem raises :class:`~kbn_saved_objects.errors.BadRequestError` with
``Invalid aggregation: <message>``; messages follow Kibana's, including the wording of
its schema library (``[terms.size]: expected value of type [number] but got [string]``).

Where this port deliberately differs from Kibana (all stricter):

* ``<type>.<x>...`` is rewritten to ``<x>...`` only when ``x`` is a root field; Kibana
  also accepts the name of another registered type there (``alert.foo.title`` reaching
  type ``foo`` although it is not allowed in the call).
* Kibana's schema library parses JSON *strings* where an object or list is expected,
  but the rewrite then skips the string, so its fields go unchecked; here a string is
  never taken for an object or list.
* ``top_hits.highlight`` accepts anything in Kibana, including a ``highlight_query``
  with a ``script`` query; here any key containing ``script`` is rejected inside it.
* An aggregation container or ``aggs`` entry that is not an object is an error (Kibana
  turns it into an empty aggregation that the engine rejects later).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from kbn_saved_objects.errors import BadRequestError
from kbn_saved_objects.search.filters import SavedObjectFieldChecker
from kbn_saved_objects.search.query import ROOT_SOURCE_FIELDS
from kbn_saved_objects.types import SavedObjectTypeRegistry

__all__ = ["AGGREGATION_TYPES", "validate_aggregations"]


def validate_aggregations(
    registry: SavedObjectTypeRegistry, types: Sequence[str], aggs: Mapping[str, Any]
) -> dict[str, Any]:
    """The aggregations to send for ``aggs``: validated, with fields rewritten.

    ``types`` are the allowed types of the ``find`` call. Raises
    :class:`~kbn_saved_objects.errors.BadRequestError` (``Invalid aggregation: ...``) on
    the first problem. The input is not modified; the result shares nothing with it.
    """
    validator = _Validator(SavedObjectFieldChecker(registry, types))
    try:
        return validator.aggregations(aggs, [])
    except _AggregationError as error:
        raise BadRequestError(reason=f"Invalid aggregation: {error.message}") from None


class _AggregationError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- the schema language ---------------------------------------------------------------
#
# A small port of what the aggregation schemas use from Kibana's ``@kbn/config-schema``:
# the same acceptance rules (every key required unless ``maybe``; unknown keys rejected;
# numbers from numeric strings; ``true``/``false`` strings as booleans) and the same
# messages, so errors read as Kibana's.


class _Missing:
    """An absent key (JavaScript's ``undefined``), as opposed to ``None`` (``null``)."""

    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Final = _Missing()


@dataclass(frozen=True)
class _Issue:
    """A schema failure at ``path`` (absolute within the validated body); a union
    failure lists the failure of each alternative as ``children``."""

    message: str
    path: tuple[str, ...]
    children: tuple[_Issue, ...] = ()

    def format(self, namespace: str, level: int = 0) -> str:
        """config-schema's ``ValidationError`` text: ``[<namespace>.<path>]: <message>``,
        alternatives as ``- `` lines indented one space per union level."""
        message = self.message
        if self.children:
            lines = [
                f"{' ' * level}- {child.format(namespace, level + 1)}" for child in self.children
            ]
            message = "\n".join([message, *lines])
        return f"[{'.'.join((namespace, *self.path))}]: {message}"


class _SchemaError(Exception):
    def __init__(self, issue: _Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def _fail(message: str, path: Sequence[str]) -> _SchemaError:
    return _SchemaError(_Issue(message, tuple(path)))


def _type_name(value: Any) -> str:
    """``type-detect``'s names, as config-schema prints them."""
    if value is _MISSING:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "Object"
    if isinstance(value, list | tuple):
        return "Array"
    return type(value).__name__


class _Schema:
    def check(self, value: Any, path: list[str]) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class _String(_Schema):
    def check(self, value: Any, path: list[str]) -> None:
        if not isinstance(value, str):
            raise _fail(f"expected value of type [string] but got [{_type_name(value)}]", path)


_SAFE_INTEGER = 2**53 - 1
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(
    chr(code) for code in range(0x2000, 0x200B)
)
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_RADIX = {"0x": 16, "0o": 8, "0b": 2}


def _js_number(text: str) -> float:
    """JavaScript's ``Number(text)`` (``NaN`` for text that is not a number)."""
    text = text.strip(_JS_SPACE)
    if text == "":
        return 0.0
    if _DECIMAL.fullmatch(text):
        return float(text)
    if text in ("Infinity", "+Infinity", "-Infinity"):
        return -math.inf if text.startswith("-") else math.inf
    radix = _RADIX.get(text[:2].lower())
    if radix is not None:
        try:
            return float(int(text[2:], radix))
        except ValueError:
            return math.nan
    return math.nan


@dataclass(frozen=True)
class _Number(_Schema):
    minimum: float | None = None

    def check(self, value: Any, path: list[str]) -> None:
        if isinstance(value, str):
            number = _js_number(value)
            if math.isnan(number):
                raise _fail("expected value of type [number] but got [string]", path)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            number = value
            if isinstance(number, float) and math.isnan(number):
                raise _fail("expected value of type [number] but got [number]", path)
        else:
            raise _fail(f"expected value of type [number] but got [{_type_name(value)}]", path)
        if self.minimum is not None and number < self.minimum:
            raise _fail(f"Value must be equal to or greater than [{_js_text(self.minimum)}].", path)
        if not math.isfinite(number) or abs(number) > _SAFE_INTEGER:
            raise _fail('"value" must be a safe number', path)


@dataclass(frozen=True)
class _Boolean(_Schema):
    def check(self, value: Any, path: list[str]) -> None:
        if isinstance(value, bool):
            return
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return
        raise _fail(f"expected value of type [boolean] but got [{_type_name(value)}]", path)


@dataclass(frozen=True)
class _Literal(_Schema):
    expected: str | None

    def check(self, value: Any, path: list[str]) -> None:
        if value is self.expected or (isinstance(value, str) and value == self.expected):
            return
        raise _fail(
            f"expected value to equal [{_js_text(self.expected)}] but got [{_js_text(value)}]",
            path,
        )


def _js_text(value: Any) -> str:
    """``String(value)``, or ``JSON.stringify`` for objects (config-schema's formatter)."""
    if value is _MISSING:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Mapping | list | tuple):
        return json.dumps(value, separators=(",", ":"), default=str)
    return str(value)


@dataclass(frozen=True)
class _Anything(_Schema):
    """Any value (``schema.any()``), except that no key may smuggle in a script."""

    def check(self, value: Any, path: list[str]) -> None:
        stack: list[tuple[Any, list[str]]] = [(value, path)]
        while stack:
            current, where = stack.pop()
            if isinstance(current, Mapping):
                for key, item in current.items():
                    if "script" in str(key).lower():
                        raise _fail("definition for this key is missing", [*where, str(key)])
                    stack.append((item, [*where, str(key)]))
            elif isinstance(current, list | tuple):
                stack.extend((item, [*where, str(index)]) for index, item in enumerate(current))


@dataclass(frozen=True)
class _Maybe(_Schema):
    inner: _Schema

    def check(self, value: Any, path: list[str]) -> None:
        if value is not _MISSING:
            self.inner.check(value, path)


@dataclass(frozen=True)
class _OneOf(_Schema):
    options: tuple[_Schema, ...]

    def check(self, value: Any, path: list[str]) -> None:
        if value is _MISSING:
            raise _fail("expected at least one defined value but got [undefined]", path)
        failures = []
        for index, option in enumerate(self.options):
            try:
                option.check(value, path)
            except _SchemaError as error:
                # The alternative's index goes after the union's own path; deeper
                # alternatives keep their paths (config-schema's quirk).
                issue = error.issue
                where = (*issue.path[: len(path)], str(index), *issue.path[len(path) :])
                failures.append(_Issue(issue.message, where, issue.children))
            else:
                return
        raise _SchemaError(_Issue("types that failed validation:", tuple(path), tuple(failures)))


def _nullable(inner: _Schema) -> _Schema:
    """``schema.nullable``: absent means ``null``."""
    return _Maybe(_OneOf((inner, _Literal(None))))


@dataclass(frozen=True)
class _Object(_Schema):
    """An object with exactly these keys, checked in this order, then unknown keys."""

    properties: Mapping[str, _Schema]

    def check(self, value: Any, path: list[str]) -> None:
        if value is _MISSING:
            value = {}  # config-schema objects default to {}; their keys still apply
        if not isinstance(value, Mapping):
            raise _fail(
                f"expected a plain object value, but found [{_type_name(value)}] instead.", path
            )
        for key, schema in self.properties.items():
            schema.check(value.get(key, _MISSING), [*path, key])
        for key in value:
            if key not in self.properties:
                raise _fail("definition for this key is missing", [*path, str(key)])


@dataclass(frozen=True)
class _Record(_Schema):
    """An object with string keys and values of one schema."""

    values: _Schema

    def check(self, value: Any, path: list[str]) -> None:
        if not isinstance(value, Mapping):
            raise _fail(f"expected value of type [object] but got [{_type_name(value)}]", path)
        for key, item in value.items():
            if not isinstance(key, str):
                raise _fail(
                    f"expected value of type [string] but got [{_type_name(key)}]",
                    [*path, f'key("{key}")'],
                )
            self.values.check(item, [*path, key])


@dataclass(frozen=True)
class _Array(_Schema):
    items: _Schema
    max_size: int | None = None

    def check(self, value: Any, path: list[str]) -> None:
        if not isinstance(value, list | tuple):
            raise _fail(f"expected value of type [array] but got [{_type_name(value)}]", path)
        for index, item in enumerate(value):
            self.items.check(item, [*path, str(index)])
        if self.max_size is not None and len(value) > self.max_size:
            raise _fail(
                f"array size is [{len(value)}], but cannot be greater than [{self.max_size}]",
                path,
            )


# -- the allowed aggregations (Kibana's aggs_types/*.ts) --------------------------------

_STR = _String()
_NUM = _Number()
_BOOL = _Boolean()
_SCALAR = _OneOf((_STR, _NUM, _BOOL))


def _obj(**properties: _Schema) -> _Object:
    return _Object(properties)


def _one_of(*options: _Schema) -> _OneOf:
    return _OneOf(options)


def _literals(*values: str) -> _OneOf:
    return _OneOf(tuple(_Literal(value) for value in values))


_SORT_ORDER = _literals("asc", "desc", "_doc")
_SORT_MODE = _literals("min", "max", "sum", "avg", "median")
_FIELD_SORT = _obj(missing=_Maybe(_SCALAR), mode=_Maybe(_SORT_MODE), order=_Maybe(_SORT_ORDER))
_SORT_COMBINATIONS = _one_of(_STR, _Record(_one_of(_SORT_ORDER, _FIELD_SORT)))
_SORT = _one_of(_SORT_COMBINATIONS, _Array(_SORT_COMBINATIONS, 100))

_TERM = _obj(term=_Record(_one_of(_STR, _BOOL, _NUM)))
_EXISTS = _obj(exists=_Maybe(_obj(field=_STR)))
_RANGE = _obj(range=_Record(_obj(**{op: _Maybe(_STR) for op in ("lt", "lte", "gt", "gte")})))
_TERM_VALUE = _obj(term=_Record(_obj(value=_STR)))
_NESTED_QUERY = _obj(nested=_obj(path=_STR, query=_obj(bool=_obj(filter=_Array(_TERM_VALUE, 100)))))
_QUERY_LIST = _Array(_one_of(_NESTED_QUERY, _RANGE), 100)
_BOOL_QUERY = _obj(
    bool=_one_of(
        _obj(must_not=_one_of(_TERM, _EXISTS)),
        _obj(filter=_one_of(_TERM, _EXISTS, _QUERY_LIST)),
    )
)
_ORDER = _one_of(_SORT_ORDER, _Record(_SORT_ORDER), _Array(_Record(_SORT_ORDER), 100))
_STRINGS = _one_of(_STR, _Array(_STR, 10000))

_TERMS = _obj(
    field=_Maybe(_STR),
    collect_mode=_Maybe(_STR),
    exclude=_Maybe(_STRINGS),
    include=_Maybe(_STRINGS),
    execution_hint=_Maybe(_STR),
    missing=_Maybe(_one_of(_NUM, _STR, _BOOL)),
    min_doc_count=_Maybe(_Number(minimum=1)),
    size=_Maybe(_NUM),
    show_term_doc_count_error=_Maybe(_BOOL),
    order=_Maybe(_ORDER),
)
_BOUNDS = _Maybe(_obj(min=_NUM, max=_NUM))
_HISTOGRAM = _obj(
    field=_Maybe(_STR),
    interval=_Maybe(_NUM),
    min_doc_count=_Maybe(_Number(minimum=1)),
    extended_bounds=_BOUNDS,
    hard_bounds=_BOUNDS,
    missing=_Maybe(_NUM),
    keyed=_Maybe(_BOOL),
    order=_Maybe(_obj(_count=_STR, _key=_STR)),
)
_FIELD_AND_MISSING = {"field": _Maybe(_STR), "missing": _Maybe(_SCALAR)}
_WEIGHTED_VALUE = _Maybe(_obj(field=_Maybe(_STR), missing=_Maybe(_NUM)))
_STORED_FIELDS = _Maybe(_one_of(_STR, _Array(_STR)))

AGGREGATION_TYPES: Final[Mapping[str, _Schema]] = {
    # bucket aggregations
    "date_range": _obj(
        field=_STR,
        format=_STR,
        ranges=_Array(_obj(**{"from": _Maybe(_STR), "to": _Maybe(_STR)}), 100),
    ),
    "filter": _one_of(_TERM, _EXISTS),
    "filters": _obj(filters=_Record(_one_of(_TERM, _BOOL_QUERY))),
    "histogram": _HISTOGRAM,
    "nested": _obj(path=_STR),
    "reverse_nested": _obj(path=_Maybe(_STR)),
    "multi_terms": _obj(
        terms=_Array(_TERMS, 100),
        size=_Maybe(_NUM),
        shard_size=_Maybe(_NUM),
        show_term_doc_count_error=_Maybe(_BOOL),
        min_doc_count=_Maybe(_NUM),
        shard_min_doc_count=_Maybe(_NUM),
        collect_mode=_Maybe(_literals("depth_first", "breadth_first")),
        order=_Maybe(_Record(_ORDER)),
    ),
    "terms": _TERMS,
    "composite": _obj(
        size=_Maybe(_NUM),
        after=_Maybe(_Record(_nullable(_one_of(_STR, _NUM)))),
        sources=_Array(_Record(_one_of(_obj(terms=_TERMS), _obj(histogram=_HISTOGRAM))), 100),
    ),
    # metrics aggregations
    "avg": _Object(_FIELD_AND_MISSING),
    "cardinality": _obj(
        field=_Maybe(_STR),
        precision_threshold=_Maybe(_NUM),
        rehash=_Maybe(_BOOL),
        missing=_Maybe(_SCALAR),
    ),
    "min": _Object({**_FIELD_AND_MISSING, "format": _Maybe(_STR)}),
    "max": _Object({**_FIELD_AND_MISSING, "format": _Maybe(_STR)}),
    "sum": _Object(_FIELD_AND_MISSING),
    "top_hits": _obj(
        explain=_Maybe(_BOOL),
        docvalue_fields=_STORED_FIELDS,
        stored_fields=_STORED_FIELDS,
        **{"from": _Maybe(_NUM)},
        size=_Maybe(_NUM),
        sort=_Maybe(_SORT),
        seq_no_primary_term=_Maybe(_BOOL),
        version=_Maybe(_BOOL),
        track_scores=_Maybe(_BOOL),
        highlight=_Maybe(_Anything()),
        _source=_Maybe(_one_of(_BOOL, _STR, _Array(_STR))),
    ),
    "value_count": _obj(field=_Maybe(_STR)),
    "weighted_avg": _obj(
        format=_Maybe(_STR),
        value_type=_Maybe(_STR),
        value=_WEIGHTED_VALUE,
        weight=_WEIGHTED_VALUE,
    ),
    # pipeline aggregations
    "max_bucket": _obj(
        buckets_path=_STR,
        gap=_Maybe(_literals("skip", "insert_zeros", "keep_values")),
        format=_Maybe(_STR),
    ),
}
"""The aggregation types ``find`` accepts, with the schema of their bodies."""

_SUB_AGGREGATIONS = ("aggregations", "aggs")
"""Keys of a container holding sub-aggregations, in the order Kibana writes them back."""

_ATTRIBUTE_VALUES = ("field", "path")
"""Keys whose string values are field names."""

_ATTRIBUTE_MAPS = ("term",)
"""Keys whose object values are keyed by field names."""


# -- the walk ---------------------------------------------------------------------------


_ROOT_FIELDS = frozenset(ROOT_SOURCE_FIELDS)
"""Root fields an aggregation may name without a type (``{"terms": {"field": "type"}}``)."""


@dataclass(frozen=True)
class _Validator:
    fields: SavedObjectFieldChecker

    def aggregations(self, aggs: Any, path: list[str]) -> dict[str, Any]:
        """A record of named containers (the top level, or a container's ``aggs``)."""
        if not isinstance(aggs, Mapping):
            where = f"[{'.'.join(path)}]: " if path else ""
            raise _AggregationError(
                f"{where}expected a plain object value, but found [{_type_name(aggs)}] instead."
            )
        return {
            name: self.container(container, [*path, str(name)]) for name, container in aggs.items()
        }

    def container(self, container: Any, path: list[str]) -> dict[str, Any]:
        """One named container: its aggregation(s), then its sub-aggregations."""
        if not isinstance(container, Mapping):
            raise _AggregationError(
                f"[{'.'.join(path)}]: expected a plain object value, but found "
                f"[{_type_name(container)}] instead."
            )
        result: dict[str, Any] = {}
        for agg_type, body in container.items():
            if agg_type not in _SUB_AGGREGATIONS:
                result[agg_type] = self.aggregation(agg_type, body, [*path, str(agg_type)])
        for key in _SUB_AGGREGATIONS:
            sub = container.get(key)
            if sub is not None:
                result[key] = self.aggregations(sub, [*path, key])
        return result

    def aggregation(self, agg_type: Any, body: Any, path: list[str]) -> dict[str, Any]:
        schema = AGGREGATION_TYPES.get(agg_type)
        where = ".".join(path)
        if schema is None:
            raise _AggregationError(
                f"[{where}] {agg_type} aggregation is not valid (or not registered yet)"
            )
        try:
            schema.check(body, [])
        except _SchemaError as error:
            raise _AggregationError(error.issue.format(where)) from None
        return self.rewrite(body, path, ())

    def rewrite(
        self, level: Mapping[str, Any], path: list[str], parents: tuple[str, ...]
    ) -> dict[str, Any]:
        """A copy of ``level`` with its field names checked and rewritten (Kibana's
        ``recursiveRewrite``: list items keep the path and parents of their list)."""
        result: dict[str, Any] = {}
        for key, value in level.items():
            child_path = [*path, str(key)]
            new_key = key
            if parents and parents[-1] in _ATTRIBUTE_MAPS:
                new_key = self.attribute(key, child_path)
            new_value: Any
            if key in _ATTRIBUTE_VALUES and isinstance(value, str):
                new_value = self.attribute(value, child_path)
            elif isinstance(value, list | tuple):
                new_value = [
                    self.rewrite(item, child_path, parents)
                    if isinstance(item, Mapping)
                    else _copy_json(item)
                    for item in value
                ]
            elif isinstance(value, Mapping):
                new_value = self.rewrite(value, child_path, (*parents, str(key)))
            else:
                new_value = value
            result[new_key] = new_value
        return result

    def attribute(self, name: Any, path: list[str]) -> str:
        """A field name in index form, or the ``Invalid attribute path`` error."""
        if isinstance(name, str):
            segments = name.split(".")
            types = self.fields.types
            if (
                len(segments) > 1
                and segments[0] in types
                and segments[1] not in types
                and self.fields.is_root_path(segments[1:])
            ):
                return ".".join(segments[1:])
            if self.fields.key_error(name) is None:
                return name.replace(".attributes", "", 1)
            if name in _ROOT_FIELDS:
                return name
        raise _AggregationError(f"[{'.'.join(path)}] Invalid attribute path: {name}")


def _copy_json(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _copy_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_copy_json(item) for item in value]
    return value
