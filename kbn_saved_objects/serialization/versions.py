"""The ``version`` token: optimistic concurrency as an opaque string.

A saved object's ``version`` is the base64 of ``[<_seq_no>,<_primary_term>]`` (compact
JSON, standard alphabet, padded) -- byte-identical to Kibana's, so tokens handed out by
either can be sent back to the other. Decoding is as lenient as Node's base64 decoder
(URL-safe alphabet, missing padding, stray characters) and fails with Kibana's
:class:`~kbn_saved_objects.errors.InvalidVersionError` (400, ``Invalid version [<v>]``).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Mapping
from typing import Any, TypedDict

from kbn_saved_objects.errors import InvalidRawDocumentError, create_invalid_version_error

__all__ = [
    "RequestVersion",
    "SeqNoPrimaryTerm",
    "decode_request_version",
    "decode_version",
    "encode_hit_version",
    "encode_version",
]


class SeqNoPrimaryTerm(TypedDict):
    _seq_no: int
    _primary_term: int


class RequestVersion(TypedDict):
    """Keyword arguments for an engine write guarded by a version."""

    if_seq_no: int
    if_primary_term: int


def _as_js_integer(value: object) -> int | None:
    """``value`` as an ``int`` if JavaScript's ``Number.isInteger`` would accept it."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return None


def encode_version(seq_no: object, primary_term: object) -> str:
    """The version token of a document at ``(_seq_no, _primary_term)``.

    Both must be integers (an integral float such as ``4.0`` counts, as in JavaScript);
    ``_primary_term`` is checked first, as Kibana does.
    """
    term = _as_js_integer(primary_term)
    if term is None:
        raise InvalidRawDocumentError("_primary_term from elasticsearch must be an integer")
    seq = _as_js_integer(seq_no)
    if seq is None:
        raise InvalidRawDocumentError("_seq_no from elasticsearch must be an integer")
    return base64.b64encode(f"[{seq},{term}]".encode("ascii")).decode("ascii")


def encode_int_version(seq_no: int, primary_term: int) -> str:
    """:func:`encode_version` for two ``int`` (not ``bool``) values, as engines send them:
    the same token without the checks (a hot path of every read)."""
    return binascii.b2a_base64(b"[%d,%d]" % (seq_no, primary_term), newline=False).decode("ascii")


def encode_hit_version(hit: Mapping[str, Any]) -> str:
    """:func:`encode_version` of a search hit or GET body (asked with ``seq_no_primary_term``)."""
    return encode_version(hit.get("_seq_no"), hit.get("_primary_term"))


_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/]")
_URL_SAFE = str.maketrans("-_", "+/")


def _lenient_b64decode(text: str) -> bytes:
    """Decode like Node's ``Buffer.from(text, 'base64')``.

    Both alphabets are accepted, characters outside them are skipped, the first ``=``
    ends the data and missing padding is fine.
    """
    data = text.translate(_URL_SAFE).split("=", 1)[0]
    cleaned = _NOT_BASE64.sub("", data)
    if len(cleaned) % 4 == 1:
        cleaned = cleaned[:-1]  # a lone trailing sextet carries no whole byte
    return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4))


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


_CANONICAL_TOKEN = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_INTEGER = rb"(-?(?:0|[1-9][0-9]*))"
_CANONICAL_PAIR = re.compile(rb"\[" + _INTEGER + rb"," + _INTEGER + rb"\]")


def _decode_canonical(version: str) -> SeqNoPrimaryTerm | None:
    """Fast path for well-formed tokens (the ones Kibana and this library hand out)."""
    if len(version) % 4 or not _CANONICAL_TOKEN.fullmatch(version):
        return None
    try:
        pair = _CANONICAL_PAIR.fullmatch(base64.b64decode(version))
    except binascii.Error:
        return None
    if pair is None:
        return None
    return {"_seq_no": int(pair[1]), "_primary_term": int(pair[2])}


def decode_version(version: object) -> SeqNoPrimaryTerm:
    """``{_seq_no, _primary_term}`` of a version token; raise ``Invalid version [<v>]``."""
    if isinstance(version, str):
        canonical = _decode_canonical(version)
        if canonical is not None:
            return canonical
        try:
            decoded = json.loads(
                _lenient_b64decode(version).decode("utf-8", errors="replace"),
                parse_constant=_reject_constant,
            )
        except (ValueError, binascii.Error):
            decoded = None
        if isinstance(decoded, list) and len(decoded) == 2:
            seq_no, primary_term = (_as_js_integer(part) for part in decoded)
            if seq_no is not None and primary_term is not None:
                return {"_seq_no": seq_no, "_primary_term": primary_term}
    raise create_invalid_version_error(version)


def decode_request_version(version: object) -> RequestVersion:
    """:func:`decode_version` as ``{if_seq_no, if_primary_term}`` for engine writes."""
    decoded = decode_version(version)
    return {"if_seq_no": decoded["_seq_no"], "if_primary_term": decoded["_primary_term"]}
