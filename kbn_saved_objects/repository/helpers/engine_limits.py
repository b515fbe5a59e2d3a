"""What the engine can store, checked per object before anything is sent.

Two limits would otherwise fail a whole request (a whole ``_bulk`` of a thousand
objects for one bad one) or escape as a bare ``TypeError``:

* the engine refuses a document ``_id`` longer than 512 bytes of UTF-8
  (``action_request_validation_exception``, for the *whole* bulk request). A raw id is
  ``[<namespace>:]<type>:<id>``, so a 500-character id fits in the default space and not
  in a space with a long name;
* the JSON encoder (orjson) refuses what JSON cannot carry: nesting deeper than its
  recursion limit (254 levels) and strings that are not valid UTF-8 (a lone surrogate
  such as ``"\\ud800"``, which Python's ``json`` module reads without complaint).

Both become a :class:`~kbn_saved_objects.errors.BadRequestError` (400): raised by
single-object calls, put in the object's entry by bulk calls, so the rest of a batch is
still written and nothing is written for the refused object.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import orjson

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import BadRequestError

__all__ = [
    "MAX_RAW_ID_BYTES",
    "bulk_lines_or_error",
    "encoded_request",
    "raw_id_error",
    "storable_raw_id",
    "unencodable_error",
]

MAX_RAW_ID_BYTES = 512
"""The engine's limit on a document ``_id`` (Elasticsearch and OpenSearch alike)."""


def raw_id_error(raw_id: str) -> BadRequestError | None:
    """Why the engine could not store a document under ``raw_id``, or ``None``."""
    if raw_id.isascii():  # the common case: one byte per character
        size = len(raw_id)
    else:
        try:
            size = len(raw_id.encode("utf-8"))
        except UnicodeEncodeError:
            return BadRequestError(
                reason="Invalid saved object ID: IDs must be valid UTF-8 (no lone surrogates)."
            )
    if size <= MAX_RAW_ID_BYTES:
        return None
    return BadRequestError(
        reason=f"Invalid saved object ID: its document id [<namespace>:<type>:<id>] is "
        f"{size} bytes of UTF-8, more than the engine's limit of {MAX_RAW_ID_BYTES} bytes.",
        metadata={"raw_id_bytes": size, "limit": MAX_RAW_ID_BYTES},
    )


def storable_raw_id(raw_id: str) -> bool:
    """Whether anything can be stored under ``raw_id``. Reads of one that cannot answer
    *not found* without asking the engine (a lone surrogate cannot even be sent)."""
    return raw_id_error(raw_id) is None


def unencodable_error(error: orjson.JSONEncodeError) -> BadRequestError:
    """The 400 for a document the JSON encoder refused (too deep, or not valid UTF-8)."""
    return BadRequestError(
        reason=f"The saved object cannot be encoded as JSON: {error} (objects and arrays "
        "nest at most 254 levels deep, strings must be valid UTF-8)"
    )


def bulk_lines_or_error(
    action: Mapping[str, Any], source: Mapping[str, Any] | None
) -> bytes | BadRequestError:
    """One object's lines of a ``_bulk`` body, or the error that keeps it out of the body.

    Encoding per object (rather than the whole body at once) is what lets one document
    the encoder refuses become that object's error instead of failing the whole call."""
    try:
        return rq.bulk_lines(action, source)
    except orjson.JSONEncodeError as exc:
        return unencodable_error(exc)


def encoded_request(build: Callable[..., rq.Request], *args: Any, **kwargs: Any) -> rq.Request:
    """``build(*args, **kwargs)``, a request whose body is encoded as it is built; a
    body the encoder refuses raises the 400 of :func:`unencodable_error`."""
    try:
        return build(*args, **kwargs)
    except orjson.JSONEncodeError as exc:
        raise unencodable_error(exc) from exc
