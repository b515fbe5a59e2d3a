"""The node tree: immutable, walkable, rewritable without touching the original."""

from __future__ import annotations

import dataclasses
import inspect
import sys

import pytest

from kbn_saved_objects.search.kql import (
    MATCH_ALL,
    And,
    Exists,
    Is,
    Literal,
    Nested,
    Node,
    Not,
    Or,
    Range,
    Wildcard,
    node_from_kuery_json,
    node_to_kuery_json,
    parse_kql,
    to_dsl,
    to_kql,
    transform,
    walk,
)
from kbn_saved_objects.search.kql.parser import MAX_DEPTH


def test_nodes_are_immutable_and_hashable() -> None:
    node = parse_kql("a: 1 and not b: (2 or 3)")
    with pytest.raises(dataclasses.FrozenInstanceError):
        node.children = ()  # type: ignore[misc]
    assert hash(node) == hash(parse_kql("a: 1 and not b: (2 or 3)"))


def test_walk_visits_parents_first_left_to_right() -> None:
    node = parse_kql("a: 1 and (b: 2 or c:{ d: 3 }) and not e: 4")
    assert [n.function for n in walk(node)] == [
        "and", "is", "or", "is", "nested", "is", "not", "is",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("kql", "field_name"),
    [
        ("a.b: 1", "a.b"),
        ("hello", None),
        ("ma*ne: x", "ma*ne"),
        ("x > 3", "x"),
        ("path:{ y: 1 }", "path"),
        ('"q": 1', "q"),
        ("true: 1", "true"),
    ],
)
def test_field_name(kql: str, field_name: str | None) -> None:
    node = parse_kql(kql)
    assert isinstance(node, Is | Range | Nested)
    assert node.field_name == field_name


def renamed(kql: str, name: str) -> Node:
    node = parse_kql(kql)
    assert isinstance(node, Is | Range | Nested)
    return node.with_field_name(name)


def test_with_field_name_keeps_kind_and_quoting() -> None:
    assert renamed('"foo.attributes.t": x', "foo.t") == parse_kql('"foo.t": x')
    assert renamed("foo.attributes.t*: x", "foo.t*") == parse_kql("foo.t*: x")
    assert renamed("foo.attributes.t* > 1", "t") == parse_kql("t > 1")
    assert renamed("p:{ c: 1 }", "q") == parse_kql("q:{ c: 1 }")
    assert Exists(Literal("a")).with_field_name("b") == Exists(Literal("b"))


def test_transform_rewrites_like_the_saved_objects_filter_validation() -> None:
    """Spec 04 section 9.4: strip ``.attributes``, wrap root fields in ``type: <type>``."""
    original = parse_kql(
        "foo.updated_at: 5 and (foo.attributes.bytes > 1000 or foo.attributes.t: *)"
    )

    def rewrite(node: Node) -> Node:
        if not isinstance(node, Is | Range) or node.field_name is None:
            return node
        type_name, _, rest = node.field_name.partition(".")
        if rest.startswith("attributes."):
            return node.with_field_name(f"{type_name}.{rest.removeprefix('attributes.')}")
        return And((Is(Literal("type"), Literal(type_name)), node.with_field_name(rest)))

    rewritten = transform(original, rewrite)
    assert rewritten == parse_kql(
        "(type: foo and updated_at: 5) and (foo.bytes > 1000 or foo.t: *)"
    )
    assert original == parse_kql(
        "foo.updated_at: 5 and (foo.attributes.bytes > 1000 or foo.attributes.t: *)"
    )


def test_transform_shares_untouched_subtrees() -> None:
    node = parse_kql("(a: 1 or b: 2) and c: 3")
    assert isinstance(node, And)
    result = transform(node, lambda n: n)
    assert result is node

    def rename_c(n: Node) -> Node:
        return n.with_field_name("x") if isinstance(n, Is) and n.field_name == "c" else n

    renamed = transform(node, rename_c)
    assert isinstance(renamed, And)
    assert renamed.children[0] is node.children[0]


def test_children_and_with_children() -> None:
    leaf = Is(Literal("a"), Literal("1"))
    assert leaf.children == ()
    assert leaf.with_children(()) is leaf
    with pytest.raises(ValueError, match="no child nodes"):
        leaf.with_children((leaf,))
    assert Not(leaf).with_children((MATCH_ALL,)) == Not(MATCH_ALL)
    assert Or((leaf, leaf)).with_children((leaf,)) == Or((leaf,))
    assert Nested(Literal("p"), leaf).with_children((MATCH_ALL,)) == Nested(Literal("p"), MATCH_ALL)


def test_wildcard_helpers() -> None:
    wildcard = Wildcard.from_pattern("C:/logs*")
    assert wildcard.parts == ("C:/logs", "")
    assert wildcard.text == "C:/logs*"
    assert wildcard.to_query_string() == "C\\:\\/logs*"
    assert not wildcard.is_lone
    assert not wildcard.has_leading_wildcard
    assert Wildcard.from_pattern("*").is_lone
    assert not Wildcard.from_pattern("*").has_leading_wildcard
    assert Wildcard.from_pattern("*ing").has_leading_wildcard
    assert Wildcard.from_pattern("ma*e").matches("machine")
    assert Wildcard.from_pattern("ma*e").matches("ma\ne")
    assert not Wildcard.from_pattern("ma*e").matches("machines")
    assert Wildcard.from_pattern("a.b*").matches("a.bc")
    assert not Wildcard.from_pattern("a.b*").matches("axbc")
    with pytest.raises(ValueError, match="at least one"):
        Wildcard(("no wildcard",))


def test_match_on_nodes() -> None:
    match parse_kql("hello"):
        case Is(field=Literal(value=None), value=Literal(value=text)):
            assert text == "hello"
        case _:
            pytest.fail("value-only term not matched")


def deepest_kql() -> str:
    """An expression exactly :data:`MAX_DEPTH` levels deep, using every kind of level."""
    kql = "x"
    for _ in range(3):
        kql = f"not ({kql})"
    levels, rest = divmod(MAX_DEPTH - 4, 4)
    for _ in range(levels):
        kql = f"p:{{ a or b and not ({kql}) }}"
    for _ in range(rest):
        kql = f"not ({kql})"
    return kql


def test_the_deepest_parsable_tree_needs_little_stack() -> None:
    """Every pass over the deepest tree fits in a few hundred recursion levels (equality
    of dataclasses, the most demanding, takes about 3.5 per tree level), and its printed
    text parses again."""
    node = parse_kql(deepest_kql())
    depth = max(_depths(node))
    assert depth == MAX_DEPTH
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 4 * depth + 50)
    try:
        text = to_kql(node)
        to_dsl(node)
        transform(node, lambda n: n)
        assert node_from_kuery_json(node_to_kuery_json(node)) == node
        assert parse_kql(text) == node
        assert hash(node) == hash(parse_kql(text))
    finally:
        sys.setrecursionlimit(limit)


def _depths(node: Node) -> list[int]:
    stack = [(node, 1)]
    depths = []
    while stack:
        current, depth = stack.pop()
        depths.append(depth)
        stack.extend((child, depth + 1) for child in current.children)
    return depths
