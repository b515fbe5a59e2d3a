"""The KQL grammar, written for lark's LALR(1) parser with its contextual lexer.

It accepts the language of Kibana's ``kuery`` grammar (kbn-es-query ``grammar.peggy``) and
builds the same trees; what a PEG expresses with ordered choice and look-ahead is moved
into the terminals:

* Whitespace is only significant inside the keyword terminals: ``OR``/``AND`` carry
  their surrounding whitespace (``Space+ or Space+``), ``NOT`` the whitespace after it.
  Everywhere else whitespace is ignored, as the PEG's ``Space*`` does.
* An unquoted literal may contain whitespace (``title: hello world``) but stops before a
  keyword (`` or ``, `` and ``, ``not ``) and at a special character
  ``\\ ( ) : < > " * { }``; it never starts with whitespace.
* The contextual lexer only tries the terminals the parser can accept in its current
  state, so `` or b`` right after ``(`` or ``:`` is the value ``or b`` -- not a keyword --
  exactly as in Kibana.
* Quoted and unquoted values have one terminal per role (field-or-value, value in a
  ``field:(...)`` list, range bound) with identical patterns. Only one role is possible
  in any parser state, and the role tells the error message what was expected
  (``field name``, ``value``, ``literal``).

Building the parser takes tens of milliseconds and happens once per option set, on first
use; a typical filter then parses in well under a millisecond.
"""

from __future__ import annotations

import re

from lark import Lark, Token, Transformer

__all__ = [
    "LITERAL_PATTERN",
    "QUOTED_PATTERN",
    "TERMINAL_ROLES",
    "UNQUOTED_PATTERN",
    "WHITESPACE",
    "build_parser",
]

WHITESPACE = " \t\r\n\u00a0"
"""KQL's whitespace (the grammar's ``Space``): space, tab, CR, LF and no-break space."""

_SPACE = "[ \\t\\r\\n\\u00a0]"
_KEYWORD_AHEAD = f"(?:{_SPACE}(?:[oO][rR]|[aA][nN][dD]){_SPACE}|[nN][oO][tT]{_SPACE})"
# One character of an unquoted literal, alternatives in the grammar's order: escaped
# whitespace (so ``\not`` reads as a newline then "ot", as in Kibana), escaped special
# character, ``\uXXXX``, escaped keyword, wildcard, then any character that is not special
# and does not start a keyword.
_UNQUOTED_CHARACTER = (
    "(?:\\\\[trn]"
    '|\\\\[\\\\():<>"*{}]'
    "|\\\\u[0-9a-fA-F]{4}"
    "|\\\\(?:[oO][rR]|[aA][nN][dD]|[nN][oO][tT])"
    "|\\*"
    f'|(?!{_KEYWORD_AHEAD})[^\\\\():<>"*{{}}])'
)
UNQUOTED_PATTERN = f"(?!{_SPACE})(?:{_UNQUOTED_CHARACTER})++"
"""An unquoted literal inside a query (leading whitespace belongs to the query)."""

LITERAL_PATTERN = f"(?:{_UNQUOTED_CHARACTER})++"
"""An unquoted literal on its own (Kibana's ``Literal`` start rule): may start with space."""

# A backslash escapes t, r, n, a double quote, a backslash or starts \uXXXX; any other
# backslash is an ordinary character. Possessive so `"a\"` cannot end at the escaped quote.
# (No backslash directly before a quote in these patterns: lark's grammar loader would
# drop it.)
QUOTED_PATTERN = '"(?:[^"\\\\]|\\\\(?:["trn\\\\]|u[0-9a-fA-F]{4})?+)*+"'

TERMINAL_ROLES: dict[str, tuple[str, ...]] = {
    "QUOTED": ("field name", "value"),
    "UNQUOTED": ("field name", "value"),
    "LIST_QUOTED": ("value",),
    "LIST_UNQUOTED": ("value",),
    "RANGE_QUOTED": ("literal",),
    "RANGE_UNQUOTED": ("literal",),
}
"""How Kibana names what a literal terminal stands for in a syntax error."""

_GRAMMAR = rf"""
start: [query]

?query: and_query (OR and_query)*
?and_query: not_query (AND not_query)*
?not_query: NOT sub_query -> negation
          | sub_query
?sub_query: LPAR query RPAR -> group
          | nested_query
?nested_query: field COLON LBRACE query RBRACE -> nested
             | expression
?expression: field RANGE_OP range_literal -> range
           | field COLON list_of_values -> field_is
           | value -> value_is

field: QUOTED | UNQUOTED
value: QUOTED | UNQUOTED

?list_of_values: LPAR or_list RPAR -> list_group
               | list_value
?or_list: and_list (OR and_list)*
?and_list: not_list (AND not_list)*
?not_list: NOT list_of_values -> list_negation
         | list_of_values
list_value: LIST_QUOTED | LIST_UNQUOTED
range_literal: RANGE_QUOTED | RANGE_UNQUOTED

OR.2: /{_SPACE}+[oO][rR]{_SPACE}+/
AND.2: /{_SPACE}+[aA][nN][dD]{_SPACE}+/
NOT.2: /[nN][oO][tT]{_SPACE}+/
LPAR: "("
RPAR: ")"
LBRACE: "{{"
RBRACE: "}}"
COLON: ":"
RANGE_OP: /<=|>=|<|>/
QUOTED: /{QUOTED_PATTERN}/
UNQUOTED: /{UNQUOTED_PATTERN}/
LIST_QUOTED: /{QUOTED_PATTERN}/
LIST_UNQUOTED: /{UNQUOTED_PATTERN}/
RANGE_QUOTED: /{QUOTED_PATTERN}/
RANGE_UNQUOTED: /{UNQUOTED_PATTERN}/
WS: /{_SPACE}+/
%ignore WS
"""

re.compile(UNQUOTED_PATTERN)  # fail at import, not at first use, if a pattern is broken
re.compile(QUOTED_PATTERN)


def build_parser(transformer: Transformer[Token, object]) -> Lark:
    """The LALR parser calling ``transformer`` as it reduces (no intermediate tree).

    Building takes tens of milliseconds: :mod:`.parser` builds one per option set, once.
    """
    return Lark(
        _GRAMMAR,
        parser="lalr",
        lexer="contextual",
        transformer=transformer,
        maybe_placeholders=True,
        propagate_positions=False,
    )
