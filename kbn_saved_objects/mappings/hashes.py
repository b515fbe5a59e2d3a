"""Kibana's legacy mapping hashes (``_meta.migrationMappingPropertyHashes``).

Kibana 7.x, OpenSearch Dashboards and 8.x before the "FIPS" change store one md5 per root
property of an index's mappings (root fields and types). Comparing them with freshly
computed hashes tells whether a type's mappings changed since the index was written, so
they must match Kibana's byte for byte. Kibana hashes a custom serialization, not JSON:

* arrays: ``[`` elements joined by ``,`` ``]``;
* non-empty objects: ``{key: value,key: value}`` -- keys unquoted, followed by ``": "``,
  sorted with JavaScript's ``localeCompare`` (ICU collation);
* anything else, ``{}`` included: ``JSON.stringify``.

``localeCompare`` is reproduced for ASCII (the characters mapping keys use): letters
compare case-insensitively first, lowercase before uppercase on ties, and punctuation
sorts before digits, before letters, in ICU's root order. Other characters fall back to
code point order after ASCII letters, which may differ from ICU.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from kbn_saved_objects._js_json import js_stringify

__all__ = ["canonical_stringify", "legacy_mapping_hash", "legacy_property_hashes"]

# ICU root collation order of ASCII whitespace and punctuation (all before digits).
_ICU_ASCII_SYMBOLS = "\t\n\v\f\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
_SYMBOL_RANK = {char: rank for rank, char in enumerate(_ICU_ASCII_SYMBOLS)}


def _primary_weight(char: str) -> tuple[int, int]:
    if char in _SYMBOL_RANK:
        return (0, _SYMBOL_RANK[char])
    if "0" <= char <= "9":
        return (1, ord(char))
    if char.isascii() and char.isalpha():
        return (2, ord(char.lower()))
    return (3, ord(char))


def _locale_compare_key(key: str) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...], str]:
    primary = tuple(_primary_weight(char) for char in key)
    tertiary = tuple(1 if char.isascii() and char.isupper() else 0 for char in key)
    return (primary, tertiary, key)


def _json_stringify(value: Any) -> str:
    """``JSON.stringify``, except that every object left here is empty (``{}``)."""
    if isinstance(value, Mapping):
        return "{}"
    return js_stringify(value)


def canonical_stringify(value: Any) -> str:
    """Kibana's ``canonicalStringify``: the stable text its mapping hashes are taken of."""
    if isinstance(value, list | tuple):
        return "[" + ",".join(canonical_stringify(item) for item in value) + "]"
    if isinstance(value, Mapping) and value:
        keys = sorted(value, key=_locale_compare_key)
        return "{" + ",".join(f"{key}: {canonical_stringify(value[key])}" for key in keys) + "}"
    return _json_stringify(value)


def legacy_mapping_hash(value: Any) -> str:
    """md5 hex digest of :func:`canonical_stringify` (UTF-8), as Kibana's ``md5Object``."""
    return hashlib.md5(
        canonical_stringify(value).encode("utf-8"), usedforsecurity=False
    ).hexdigest()


def legacy_property_hashes(properties: Mapping[str, Any]) -> dict[str, str]:
    """``{root property: md5}`` for every root property (root fields and types)."""
    return {name: legacy_mapping_hash(mapping) for name, mapping in properties.items()}
