"""Turning a parse failure into Kibana's ``KQLSyntaxError`` text.

Kibana's message lists what the PEG parser expected at the furthest position it reached,
each item named as in ``kuery_syntax_error.ts`` (``"("``, ``NOT``, ``field name``,
``value``, ``literal``, ``whitespace``, ``end of input``), de-duplicated and sorted by
code unit. The LALR parser knows the terminals it can accept at the failure point; three
rules, read off Kibana's cached PEG, add or remove what a PEG reports on top of that:

* ``whitespace`` is expected right after ``(``, ``{``, ``:``, a range operator, a quoted
  field-or-value, and at the start: there the grammar has an optional ``Space*`` of its own;
* after a quoted string, ``)`` or ``}`` *and whitespace*, ``AND``/``OR`` are not listed:
  Kibana records them where the whitespace began, not at the failure;
* the offset counts UTF-16 code units, as JavaScript does.

The texts of Kibana's own syntax-error tests come out byte for byte; for other inputs the
list is the same in every case compared against Kibana's grammar during development,
but parity is not promised beyond the documented examples.
"""

from __future__ import annotations

import re

from lark import Lark, Token
from lark.exceptions import UnexpectedInput, UnexpectedToken

from kbn_saved_objects.errors import KQLSyntaxError
from kbn_saved_objects.search.kql.grammar import TERMINAL_ROLES, WHITESPACE

__all__ = ["expected_message", "kql_syntax_error", "syntax_error_from_lark"]

_TERMINAL_TEXT: dict[str, tuple[str, ...]] = {
    "LPAR": ('"("',),
    "RPAR": ('")"',),
    "LBRACE": ('"{"',),
    "RBRACE": ('"}"',),
    "COLON": ('":"',),
    "RANGE_OP": ('"<"', '"<="', '">"', '">="'),
    "OR": ("OR",),
    "AND": ("AND",),
    "NOT": ("NOT",),
    "$END": ("end of input",),
    **TERMINAL_ROLES,
}

_OPTIONAL_SPACE_FOLLOWS = frozenset({"LPAR", "LBRACE", "COLON", "RANGE_OP", "QUOTED"})
_KEYWORDS_LOST_AFTER_SPACE = frozenset({"QUOTED", "LIST_QUOTED", "RANGE_QUOTED", "RPAR", "RBRACE"})
_SPECIAL_CHARACTERS = frozenset('\\():<>"*{}')
_LITERAL_UNIT = re.compile(
    r"\\u[0-9a-fA-F]{4}|\\(?:[oO][rR]|[aA][nN][dD]|[nN][oO][tT])|\\.|(?P<plain>[^\\*])|\*",
    re.DOTALL,
)


def kql_syntax_error(
    expression: str,
    offset: int,
    short_message: str,
    expected: tuple[str, ...] = (),
) -> KQLSyntaxError:
    """The error for a failure at ``offset`` (an index into ``expression``)."""
    utf16_offset = offset + sum(1 for char in expression[:offset] if ord(char) > 0xFFFF)
    kql_message = "\n".join([short_message, expression, "-" * utf16_offset + "^"])
    line = expression.count("\n", 0, offset) + 1
    column = offset - (expression.rfind("\n", 0, offset) + 1) + 1
    found = expression[offset] if offset < len(expression) else None
    return KQLSyntaxError(
        kql_message,
        expression=expression,
        offset=offset,
        line=line,
        column=column,
        short_message=short_message,
        expected=expected,
        found=found,
    )


def expected_message(expected: tuple[str, ...], found: str | None) -> str:
    found_text = f'"{found}"' if found is not None else "end of input"
    return f"Expected {', '.join(expected)} but {found_text} found."


def syntax_error_from_lark(error: UnexpectedInput, expression: str, parser: Lark) -> KQLSyntaxError:
    """Kibana's message for a lark failure: where, what was expected, what was found."""
    if isinstance(error, UnexpectedToken) and error.token.type == "$END":
        offset = len(expression)
    else:
        offset = error.pos_in_stream if error.pos_in_stream is not None else len(expression)
    accepted, previous = _replay(parser, expression, offset)
    expected = _expectations(accepted, previous, expression, offset)
    found = expression[offset] if offset < len(expression) else None
    return kql_syntax_error(expression, offset, expected_message(expected, found), expected)


def _replay(parser: Lark, expression: str, offset: int) -> tuple[set[str], list[Token]]:
    """The terminals acceptable at ``offset`` and the tokens before it.

    The failed parse may already have reduced on the offending token (LALR merges
    look-aheads, so ``)`` or the end can trigger reductions before the error shows),
    which hides alternatives: feed the tokens again and stop just before it.
    """
    replay = parser.parse_interactive(expression)
    previous: list[Token] = []
    try:
        for token in replay.lexer_thread.lex(replay.parser_state):  # type: ignore[no-untyped-call]
            if token.start_pos is not None and token.start_pos >= offset:
                break
            replay.feed_token(token)
            previous.append(token)
    except UnexpectedInput:
        pass
    return replay.accepts(), previous  # type: ignore[no-untyped-call]


def _expectations(
    accepted: set[str], tokens: list[Token], expression: str, offset: int
) -> tuple[str, ...]:
    items = {text for terminal in accepted for text in _TERMINAL_TEXT.get(terminal, ())}
    previous = tokens[-1] if tokens else None
    previous_type = previous.type if previous is not None else None
    space_expected = (
        previous_type is None
        or previous_type in _OPTIONAL_SPACE_FOLLOWS
        or (previous_type == "UNQUOTED" and _space_first_tried_by_field(tokens, expression, offset))
    )
    if space_expected:
        items.add("whitespace")
    spaced = previous is not None and (previous.end_pos or 0) < offset
    if spaced and previous_type in _KEYWORDS_LOST_AFTER_SPACE:
        items -= {"AND", "OR"}
    return tuple(sorted(items))


def _space_first_tried_by_field(tokens: list[Token], expression: str, offset: int) -> bool:
    """Whether Kibana's ``Field Space*`` is the first to look for whitespace right after an
    unquoted field-or-value (its memoized parser reports whitespace only then).

    The literal's own keyword look-ahead gets there first when the literal ends with a
    plain ``not``, `` or`` or `` and``; and nothing is reported when the literal stopped
    at a keyword rather than at a special character.
    """
    literal = tokens[-1]
    if offset >= len(expression) or expression[offset] not in _SPECIAL_CHARACTERS:
        return False
    if literal.end_pos != offset:
        return False
    raw = literal.value
    plain = {unit.start() for unit in _LITERAL_UNIT.finditer(raw) if unit.lastgroup == "plain"}
    end = len(raw)
    tail = raw[-4:].lower()
    looked_ahead = (
        (end - 3 in plain and tail.endswith("not"))
        or (end - 3 in plain and raw[end - 3] in WHITESPACE and tail.endswith("or"))
        or (end - 4 in plain and raw[end - 4] in WHITESPACE and tail.endswith("and"))
    )
    return not looked_ahead
