"""Legacy md5 mapping hashes, checked against hashes Kibana and OpenSearch Dashboards stored."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kbn_saved_objects.mappings import (
    canonical_stringify,
    legacy_mapping_hash,
    legacy_property_hashes,
)
from tests._paths import OSD_FIXTURES, require_fixtures

SPEC_EXAMPLES = [
    ({"type": "keyword"}, '{type: "keyword"}', "2f4316de49999235636386fe51dc06c1"),
    ({"type": "date"}, '{type: "date"}', "00da57df13e94e9d98437d13ace4bfe0"),
    (
        {"dynamic": "true", "type": "object"},
        '{dynamic: "true",type: "object"}',
        "4a1746014a75ade3a714e1db5763276f",
    ),
    (
        {
            "type": "nested",
            "properties": {
                "name": {"type": "keyword"},
                "type": {"type": "keyword"},
                "id": {"type": "keyword"},
            },
        },
        '{properties: {id: {type: "keyword"},name: {type: "keyword"},type: {type: "keyword"}},'
        'type: "nested"}',
        "7997cf5a56cc02bdc9c93361bde732b0",
    ),
    (
        {"dynamic": False, "properties": {}},
        "{dynamic: false,properties: {}}",
        "3d1b76c39bfb2cc8296b024d73854724",
    ),
    ({"type": "version"}, '{type: "version"}', "539e3ecebb3abc1133618094cc3b7ae7"),
    ({"type": "boolean"}, '{type: "boolean"}', "88cf246b441a6362458cb6a56ca3f7d7"),
]


@pytest.mark.parametrize(("value", "canonical", "md5"), SPEC_EXAMPLES)
def test_spec_examples(value: Any, canonical: str, md5: str) -> None:
    assert canonical_stringify(value) == canonical
    assert legacy_mapping_hash(value) == md5


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ([1, "a", None, True], '[1,"a",null,true]'),
        ({}, "{}"),
        ([], "[]"),
        ({"a": [{"b": 1.0}, {}]}, "{a: [{b: 1},{}]}"),
        ('é\n"', '"é\\n\\""'),
        (1.5, "1.5"),
        (1e21, "1e+21"),
        (1e-7, "1e-7"),
        (0.00001, "0.00001"),
        (-2.5e-10, "-2.5e-10"),
        (123456.0, "123456"),
        (0.0, "0"),
        (float("nan"), "null"),
    ],
)
def test_canonical_leaves_follow_json_stringify(value: Any, canonical: str) -> None:
    assert canonical_stringify(value) == canonical


@pytest.mark.parametrize(
    ("keys", "locale_order"),
    [
        (["b", "a", "c"], ["a", "b", "c"]),
        (["B", "a", "C"], ["a", "B", "C"]),  # case-insensitive first
        (["a", "A"], ["a", "A"]),  # lowercase first on a tie
        (["a1", "a_", "aa", "a-", "a:"], ["a_", "a-", "a:", "a1", "aa"]),  # punct < digit < letter
        (["dateFormat:tz", "dateFormat"], ["dateFormat", "dateFormat:tz"]),
        (["xPack", "x_pack", "xpack"], ["x_pack", "xpack", "xPack"]),
    ],
)
def test_keys_sort_like_locale_compare(keys: list[str], locale_order: list[str]) -> None:
    canonical = canonical_stringify(dict.fromkeys(keys, 1))
    assert canonical == "{" + ",".join(f"{key}: 1" for key in locale_order) + "}"


# Mappings as OpenSearch Dashboards' code defines them, where the stored index mapping also
# holds fields Elasticsearch added dynamically (``dynamic: true``), which the hash ignores.
OSD_CODE_DEFINED = {
    "config": {"dynamic": True, "properties": {"buildNum": {"type": "keyword"}}},
    "migrationVersion": {"dynamic": "true", "type": "object"},
}


def test_hashes_match_an_opensearch_dashboards_index() -> None:
    require_fixtures()
    archive = json.loads((OSD_FIXTURES / "mappings.json.txt").read_text())
    mappings = archive["value"]["mappings"]
    stored = mappings["_meta"]["migrationMappingPropertyHashes"]
    properties = {**mappings["properties"], **OSD_CODE_DEFINED}
    # ``server`` is a leftover of a type removed before these hashes were written.
    assert set(properties) - set(stored) == {"server"}
    del properties["server"]
    assert len(stored) == 21
    assert legacy_property_hashes(properties) == stored
