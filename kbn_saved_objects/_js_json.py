"""JSON text as JavaScript's ``JSON.stringify`` writes it.

Wherever Kibana hashes or authenticates text it built in JavaScript, we must build the
same bytes: the legacy mapping hashes (``mappings/hashes.py``) and encrypted values with
their AAD (``extensions/encryption``). Encrypted values are the strictest case: a
plaintext Kibana serialised with ``JSON.stringify`` and an AAD it built with
``safe-stable-stringify`` must come out of Python identical, or a value encrypted on one
side cannot be authenticated on the other.
Python's :func:`json.dumps` differs on numbers (``1.0`` vs ``1``, ``1e-05`` vs
``0.00001``), non-finite floats (``NaN`` vs ``null``) and lone surrogates; this module
writes what V8 writes. ``sort_keys`` orders keys by UTF-16 code units, as JavaScript's
default ``Array#sort`` does (safe-stable-stringify's order).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

__all__ = ["js_number", "js_stringify"]

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def js_number(value: float) -> str:
    """ECMAScript's ``Number::toString`` (the shortest digits that round-trip)."""
    if math.isnan(value) or math.isinf(value):
        return "null"  # what JSON.stringify writes for them
    if value == 0:
        return "0"
    sign, digit_tuple, exponent = Decimal(repr(value)).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0") or "0"
    assert isinstance(exponent, int)
    k = len(digits)
    n = exponent + len(digit_tuple)  # value = 0.<digits> * 10**n
    prefix = "-" if sign else ""
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = f"{digits[:n]}.{digits[n:]}"
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        e = n - 1
        mantissa = digits if k == 1 else f"{digits[0]}.{digits[1:]}"
        text = f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    return prefix + text


def _string(value: str) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _utf16_key(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def js_stringify(value: Any, *, sort_keys: bool = False) -> str:
    """``JSON.stringify(value)`` (compact); ``sort_keys``: safe-stable-stringify's output.

    Raises ``TypeError`` for what JSON cannot hold (as ``JSON.stringify`` returns
    ``undefined`` or throws for it).
    """
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return js_number(value)
    if isinstance(value, Mapping):
        keys = list(value)
        for key in keys:
            if not isinstance(key, str):
                raise TypeError(f"object keys must be strings, not {type(key).__name__}")
        if sort_keys:
            keys.sort(key=_utf16_key)
        items = (f"{_string(k)}:{js_stringify(value[k], sort_keys=sort_keys)}" for k in keys)
        return "{" + ",".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(js_stringify(v, sort_keys=sort_keys) for v in value) + "]"
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
