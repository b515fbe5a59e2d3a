"""Escaping arbitrary text so KQL reads it back as the same value.

Callers that splice an id or a title into a KQL string (``dashboard.id: <escaped id>``)
need this; the printer uses it for every unquoted literal. It follows Kibana's
``escapeKuery``/``escapeQuotes`` and differs only where Kibana's output would not read
back as the input:

* ``{`` and ``}`` are escaped too (the grammar treats them as special);
* keywords next to each other (``a or and b``) are all escaped;
* a lowercase ``not`` before whitespace is written ``\\u006eot``: ``\\not`` -- Kibana's
  spelling -- reads back as a newline followed by ``ot``, because ``\\n`` is matched first.
"""

from __future__ import annotations

import re

__all__ = ["escape_kuery", "escape_quotes"]

_SPECIAL = re.compile(r'[\\():<>"*{}]')
# JavaScript's \s (Kibana's escaping tests against it): ASCII \s plus Unicode spaces.
_JS_SPACE = "\\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_AND_OR = re.compile(f"(?<=[{_JS_SPACE}])(?:and|or)(?=[{_JS_SPACE}])", re.IGNORECASE | re.ASCII)
_NOT = re.compile(f"not(?=[{_JS_SPACE}])", re.IGNORECASE | re.ASCII)


def escape_kuery(text: str) -> str:
    """``text`` as an unquoted KQL value: special characters, keywords and tab, CR, LF
    escaped. Leading and trailing whitespace cannot survive unquoted (KQL trims it);
    quote such values with :func:`escape_quotes` instead."""
    text = _SPECIAL.sub(r"\\\g<0>", text)
    text = _AND_OR.sub(r"\\\g<0>", text)
    text = _NOT.sub(_escape_not, text)
    return text.replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def escape_quotes(text: str) -> str:
    """``text`` for use between double quotes: only ``\\`` and ``"`` are escaped."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _escape_not(match: re.Match[str]) -> str:
    word = match.group()
    return "\\u006e" + word[1:] if word[0] == "n" else "\\" + word
