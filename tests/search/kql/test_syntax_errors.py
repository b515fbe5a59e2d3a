"""Syntax errors: a 400 bad request with Kibana's ``KQLSyntaxError`` text and position."""

from __future__ import annotations

import pytest

from kbn_saved_objects.errors import BadRequestError, KQLSyntaxError, is_bad_request_error
from kbn_saved_objects.search.kql import parse_kql
from kbn_saved_objects.search.kql.parser import MAX_DEPTH

# kbn-es-query kuery_syntax_error.test.ts, message for message.
KIBANA_SYNTAX_ERROR_CASES = [
    (
        "response:",
        'Expected "(", "{", value, whitespace but end of input found.\nresponse:\n---------^',
    ),
    (
        "response:200 or ",
        'Expected "(", NOT, field name, value but end of input found.\n'
        "response:200 or \n----------------^",
    ),
    (
        "response:(200 or )",
        'Expected "(", NOT, value but ")" found.\nresponse:(200 or )\n-----------------^',
    ),
    (
        "response:200 and not ",
        'Expected "(", field name, value but end of input found.\n'
        "response:200 and not \n---------------------^",
    ),
    (
        "response:(200 and not )",
        'Expected "(", value but ")" found.\nresponse:(200 and not )\n----------------------^',
    ),
    ('foo:"ba ', 'Expected "(", "{", value, whitespace but """ found.\nfoo:"ba \n----^'),
    ('foo:"ba "r"', 'Expected AND, OR, end of input but "r" found.\nfoo:"ba "r"\n---------^'),
    ("foo:ba:r", 'Expected AND, OR, end of input but ":" found.\nfoo:ba:r\n------^'),
    ("foo > ", "Expected literal, whitespace but end of input found.\nfoo > \n------^"),
    (
        "< 1000",
        'Expected "(", NOT, end of input, field name, value, whitespace but "<" found.\n< 1000\n^',
    ),
]


@pytest.mark.parametrize(("kql", "message"), KIBANA_SYNTAX_ERROR_CASES)
def test_kibana_syntax_error_messages(kql: str, message: str) -> None:
    with pytest.raises(KQLSyntaxError) as caught:
        parse_kql(kql)
    assert caught.value.kql_message == message


def test_error_is_the_bad_request_find_answers() -> None:
    """Spec 04 section 11.7: the message ``find`` answers with, byte for byte."""
    with pytest.raises(KQLSyntaxError) as caught:
        parse_kql("dashboard.attributes.otherField:<")
    error = caught.value
    assert isinstance(error, BadRequestError)
    assert is_bad_request_error(error)
    assert error.status_code == 400
    assert str(error) == (
        'KQLSyntaxError: Expected "(", "{", value, whitespace but "<" found.\n'
        "dashboard.attributes.otherField:<\n"
        "--------------------------------^: Bad Request"
    )
    assert error.payload()["message"] == str(error)
    assert error.short_message == 'Expected "(", "{", value, whitespace but "<" found.'
    assert error.expected == ('"("', '"{"', "value", "whitespace")
    assert error.found == "<"
    assert (error.offset, error.line, error.column) == (32, 1, 33)
    assert error.metadata == {"offset": 32, "line": 1, "column": 33}


@pytest.mark.parametrize(
    ("kql", "message"),
    [
        ("(a", 'Expected ")", ":", "<", "<=", ">", ">=", AND, OR but end of input found.'),
        ("a:{ b", 'Expected ":", "<", "<=", ">", ">=", "}", AND, OR but end of input found.'),
        ("not(a)", 'Expected ":", "<", "<=", ">", ">=", AND, OR, end of input but "(" found.'),
        (
            '"a"x',
            'Expected ":", "<", "<=", ">", ">=", AND, OR, end of input, whitespace but "x" found.',
        ),
        ('"a"  x', 'Expected ":", "<", "<=", ">", ">=", end of input, whitespace but "x" found.'),
        ("(a)  x", 'Expected end of input but "x" found.'),
        ('a:("b"  x)', 'Expected ")" but "x" found.'),
        ("a:(b not c)", 'Expected ")", AND, OR but "n" found.'),
        (
            "a\\x",
            'Expected ":", "<", "<=", ">", ">=", AND, OR, end of input, whitespace but "\\" found.',
        ),
        ("a:b\\x", 'Expected AND, OR, end of input but "\\" found.'),
        ("cannot stop", 'Expected ":", "<", "<=", ">", ">=", AND, OR, end of input but "n" found.'),
        ("a or  ", 'Expected "(", NOT, field name, value but end of input found.'),
        ("a:{", 'Expected "(", NOT, field name, value, whitespace but end of input found.'),
        ("a:(", 'Expected "(", NOT, value, whitespace but end of input found.'),
        ('"abc', 'Expected "(", NOT, end of input, field name, value, whitespace but """ found.'),
        ("( )", 'Expected "(", NOT, field name, value, whitespace but ")" found.'),
        (
            '"a"or b',
            'Expected ":", "<", "<=", ">", ">=", AND, OR, end of input, whitespace but "o" found.',
        ),
    ],
)
def test_messages_match_kibanas_grammar(kql: str, message: str) -> None:
    """Messages recorded from Kibana's grammar (see test_kibana_grammar_corpus.py)."""
    with pytest.raises(KQLSyntaxError) as caught:
        parse_kql(kql)
    assert caught.value.short_message == message


def test_position_in_a_multi_line_expression() -> None:
    with pytest.raises(KQLSyntaxError) as caught:
        parse_kql("a:1 and\nb:2 and\n  c:)")
    error = caught.value
    assert (error.offset, error.line, error.column) == (20, 3, 5)
    assert error.kql_message.endswith("\n" + "-" * 20 + "^")


def test_caret_counts_utf16_code_units_like_javascript() -> None:
    with pytest.raises(KQLSyntaxError) as caught:
        parse_kql("\U0001f600:)")
    assert caught.value.offset == 2
    assert caught.value.kql_message.endswith("\n---^")


def test_leading_wildcard_error() -> None:
    with pytest.raises(KQLSyntaxError) as caught:
        parse_kql("a: b or c: (d or *e)", allow_leading_wildcards=False)
    assert caught.value.kql_message == (
        "Leading wildcards are disabled. See query:allowLeadingWildcards in Advanced Settings.\n"
        "a: b or c: (d or *e)\n"
        "-----------------^"
    )


def test_depth_limit_is_a_syntax_error() -> None:
    kql = "a"
    for _ in range(MAX_DEPTH - 1):
        kql = f"not ({kql})"
    parse_kql(kql)
    parse_kql("(" * 5000 + "a" + ")" * 5000)  # redundant parentheses add no depth
    with pytest.raises(KQLSyntaxError) as caught:
        parse_kql(f"b or not ({kql})")
    assert caught.value.kql_message.startswith(
        f"Expressions may nest at most {MAX_DEPTH} levels deep.\nb or not ("
    )
    assert caught.value.offset == 5  # the "not" that went one level too deep
    with pytest.raises(KQLSyntaxError) as caught:
        parse_kql(f"f: ({'not (' * MAX_DEPTH}v{')' * MAX_DEPTH})")
    assert caught.value.offset == 1  # the field's colon
