"""escape_kuery / escape_quotes: Kibana's escaping tests, and where we differ on purpose."""

from __future__ import annotations

import pytest

from kbn_saved_objects.search.kql import Is, Literal, escape_kuery, escape_quotes, parse_kql


def test_escape_quotes() -> None:
    assert escape_quotes('I said, "Hello."') == 'I said, \\"Hello.\\"'
    assert escape_quotes('Backslashes \\" in the middle and ends with quotes \\"') == (
        'Backslashes \\\\\\" in the middle and ends with quotes \\\\\\"'
    )


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        (
            """This \\ has (a lot of) <special> characters, don't you *think*? "Yes.\"""",
            "This \\\\ has \\(a lot of\\) \\<special\\> characters, "
            'don\'t you \\*think\\*? \\"Yes.\\"',
        ),
        ("And this has keywords, or does it not?", "And this has keywords, \\or does it not?"),
        ("foo AND bar", "foo \\AND bar"),
        ("Hello, world, and <nice> to meet you!", "Hello, world, \\and \\<nice\\> to meet you!"),
        ("This\nhas\tnewlines\r\nwith\ttabs", "This\\nhas\\tnewlines\\r\\nwith\\ttabs"),
        ("foo NOT bar", "foo \\NOT bar"),
    ],
)
def test_kibana_escape_kuery_cases(text: str, escaped: str) -> None:
    assert escape_kuery(text) == escaped


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        # Kibana: "foo \and bar \or baz \not qux", whose "\n" reads back as a newline.
        ("foo and bar or baz not qux", "foo \\and bar \\or baz \\u006eot qux"),
        ("foo and bar or not baz", "foo \\and bar \\or \\u006eot baz"),
        ("cannot stop", "can\\u006eot stop"),
        # Kibana leaves braces alone and misses the second of two adjacent keywords.
        ("{x}", "\\{x\\}"),
        ("a or and b", "a \\or \\and b"),
    ],
)
def test_escapes_that_differ_from_kibana(text: str, escaped: str) -> None:
    assert escape_kuery(text) == escaped
    assert parse_kql(f"f: {escaped}") == Is(Literal("f"), Literal(text))
