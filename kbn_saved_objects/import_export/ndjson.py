"""Kibana's NDJSON: how export lines are written and how import files are read.

Writing (spec 07 §2.5): keys sorted at every level, no spaces, lines joined by ``\\n``
with no trailing newline. ``json.dumps(sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` is what Kibana's stable stringifier produces for the data saved
objects hold; two known differences are documented in docs/import-export.md (JavaScript
writes the float ``1.0`` as ``1``; key order is by code point, not UTF-16 unit).

:func:`encode_line` is the same text as UTF-8 bytes, written by orjson where its text is
known to be identical, for exports of many objects.

Reading (spec 07 §3): blank lines are skipped, every other line must be JSON, falsy
values and the export details line (anything with ``exportedCount``) are dropped,
wherever they appear. A bad line is an :class:`InvalidNdjsonError` naming its line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from kbn_saved_objects.import_export.errors import InvalidNdjsonError

__all__ = ["dumps_line", "dumps_lines", "encode_line", "is_details_line", "parse_ndjson"]

_encoder = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)

_ORJSON_OPTIONS = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)
# Where orjson's text can differ from json's: non-finite floats (``null`` for ``NaN``),
# floats in [1e-5, 1e-4) (``0.00001`` for ``1e-05``) and below, down to 1e-10 (``1e-7``
# for ``1e-07``). A real ``null``, or a string that looks like these, only costs the slow
# path. Separate literal searches: one regex with alternatives is several times slower.
_SHORT_NEGATIVE_EXPONENT = re.compile(rb"e-\d(?:[,\]}]|$)")


def _may_differ(data: bytes) -> bool:
    return b"null" in data or b"0.0000" in data or _SHORT_NEGATIVE_EXPONENT.search(data) is not None


def _refuse(value: Any) -> Any:
    raise TypeError


def dumps_line(value: Any) -> str:
    """One export line (no newline)."""
    return _encoder.encode(value)


def encode_line(value: Any) -> bytes:
    """``dumps_line(value).encode()``, an order of magnitude faster for plain JSON data.

    orjson writes the line unless the value holds something it writes differently (see
    ``_may_differ``) or that it would hand to a ``default`` (dataclasses, datetimes,
    subclasses of built-in types, ints beyond 64 bits, non-string keys): those go through
    :func:`dumps_line`, which then writes or refuses them exactly as before. The one
    difference: enums and UUIDs, which json refuses, are written by value.
    """
    try:
        data = orjson.dumps(value, default=_refuse, option=_ORJSON_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError is one
        return dumps_line(value).encode("utf-8")
    if not _may_differ(data):
        return data
    return dumps_line(value).encode("utf-8")


def dumps_lines(values: Iterable[Any]) -> str:
    """A whole export as Kibana writes it: joined by ``\\n``, no trailing newline."""
    return "\n".join(dumps_line(value) for value in values)


def is_details_line(value: object) -> bool:
    """Kibana drops any parsed value with an ``exportedCount`` key, wherever it is."""
    return isinstance(value, dict) and "exportedCount" in value


_INT_MIN = -(2**63)
_INT_LIMIT = 2**64


def _int_as_orjson_reads_it(text: str) -> int | float:
    """An integer beyond 64 bits becomes a float, as orjson (and ``JSON.parse``) reads it,
    so a line read by the ``json`` fallback holds no integer the writer cannot encode."""
    value = int(text)
    return value if _INT_MIN <= value < _INT_LIMIT else float(text)


def _loads(line: str) -> Any:
    """orjson (3x faster than ``json`` on a saved object), and ``json`` for what orjson
    refuses -- ``NaN``, ``1e400``, lone surrogates, nesting past 1,024 levels -- so such a
    line reads as it always did. One difference, on Kibana's side: an integer beyond 64
    bits becomes a float, as ``JSON.parse`` makes it in Kibana."""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return json.loads(line, parse_int=_int_as_orjson_reads_it)


def parse_ndjson(lines: Iterable[str | bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_number, object)`` for every saved-object line of ``lines``.

    ``lines`` may be a text or binary file, or any iterable of lines (with or without
    their ``\\n``); a chunk holding several lines is split. Values that are not JSON
    objects (after dropping falsy ones, as Kibana does) cannot be saved objects and are
    refused with their line number rather than crashing a later stage.
    """
    number = 0
    for chunk in lines:
        if isinstance(chunk, bytes):
            try:
                text = chunk.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InvalidNdjsonError(number + 1, f"not UTF-8 ({exc.reason})") from None
        else:
            text = chunk
        for line in text.split("\n"):
            number += 1
            if not line.strip():
                continue
            try:
                value = _loads(line)
            except (ValueError, RecursionError) as exc:
                raise InvalidNdjsonError(number, str(exc)) from None
            if not value or is_details_line(value):
                continue
            if not isinstance(value, dict):
                raise InvalidNdjsonError(number, "a saved object must be a JSON object")
            yield number, value
        if text.endswith("\n"):
            number -= 1  # the empty piece after the final newline is not a line
