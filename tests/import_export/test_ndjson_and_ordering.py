"""Offline: the NDJSON format, collection rules and Kibana's export order."""

from __future__ import annotations

import json
import math
import uuid
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kbn_saved_objects.import_export import (
    ImportSizeExceededError,
    InvalidNdjsonError,
    SavedObjectsImportError,
    dumps_line,
    dumps_lines,
    parse_ndjson,
)
from kbn_saved_objects.import_export.export import (
    ExportedEntry,
    ExportIndex,
    dependency_order,
    exported_document,
    exported_from_document,
)
from kbn_saved_objects.import_export.importing import (
    classify_conflict,
    collect_saved_objects,
    create_origin_query,
    import_response,
    sort_destinations,
    validate_retries,
    why_unwritable,
)
from kbn_saved_objects.import_export.ndjson import encode_line
from kbn_saved_objects.serialization import saved_object_from_doc
from tests.import_export.conftest import NOT_IMPORTABLE, build_registry

REGISTRY = build_registry()
SUPPORTED = [t.name for t in REGISTRY.get_importable_and_exportable_types()]


def test_dumps_sorts_keys_at_every_level_without_spaces_or_trailing_newline() -> None:
    assert dumps_line({"b": {"z": 1, "a": [{"y": 2, "x": "é"}]}, "a": None}) == (
        '{"a":null,"b":{"a":[{"x":"é","y":2}],"z":1}}'
    )
    assert dumps_lines([{"a": 1}, {"b": 2}]) == '{"a":1}\n{"b":2}'


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(value=JSON_VALUES)
def test_encode_line_is_dumps_line_in_bytes(value: Any) -> None:
    assert encode_line(value) == dumps_line(value).encode("utf-8")


@pytest.mark.parametrize(
    "value",
    [
        {"small": [1e-05, -9.9e-05, 1e-07, 1.5e-09, 1e-10, 0.0001, 1e16, 1e-300]},
        {"odd": [math.nan, math.inf, -math.inf]},
        {"keys": {"é": 1, "e": 2, "😀": 3, "\uffff": 4}, "text": '\u2028\x00"\\é😀'},
        {"strings that look like floats": ["0.00001", "x1e-5,", "null"]},
        {"big": 2**64, "negative": -(2**63) - 1},
        {1: "int key"},
    ],
)
def test_encode_line_matches_dumps_line_where_orjson_writes_otherwise(value: Any) -> None:
    assert encode_line(value) == dumps_line(value).encode("utf-8")


@pytest.mark.parametrize("value", [{(1,): "key"}, {"at": datetime(2026, 1, 1)}, {"x": {1, 2}}])
def test_encode_line_refuses_what_dumps_line_refuses(value: Any) -> None:
    with pytest.raises(TypeError):
        dumps_line(value)
    with pytest.raises(TypeError):
        encode_line(value)


def test_encode_line_writes_enums_and_uuids_by_value() -> None:
    # the one documented difference: json refuses these, orjson writes their value
    value = uuid.UUID(int=1)
    assert encode_line({"id": value}) == b'{"id":"00000000-0000-0000-0000-000000000001"}'


DOCS = st.fixed_dictionaries(
    {"type": st.sampled_from(["dashboard", "config"]), "id": st.text(min_size=1)},
    optional={
        key: st.none() | JSON_VALUES
        for key in (
            "attributes",
            "references",
            "namespace",
            "namespaces",
            "originId",
            "managed",
            "migrationVersion",
            "coreMigrationVersion",
            "typeMigrationVersion",
            "updated_at",
            "updated_by",
            "created_at",
            "created_by",
            "version",
            "error",
            "not a saved-object key",
        )
    },
)


@given(doc=DOCS, include_namespaces=st.booleans())
def test_exported_from_document_is_exported_document_of_its_saved_object(
    doc: dict[str, Any], include_namespaces: bool
) -> None:
    saved = saved_object_from_doc(dict(doc))  # type: ignore[arg-type]
    assert exported_from_document(doc, include_namespaces=include_namespaces) == (
        exported_document(saved, include_namespaces=include_namespaces)
    )


def test_parse_skips_blank_and_details_lines_and_counts_lines() -> None:
    text = '\n  \n{"type":"a","id":"1"}\r\n{"exportedCount":9}\n0\nnull\n{"type":"b","id":"2"}'
    assert [n for n, _ in parse_ndjson([text])] == [3, 7]
    as_file = [line + "\n" for line in text.split("\n")]
    assert [n for n, _ in parse_ndjson(as_file)] == [3, 7]
    assert [n for n, _ in parse_ndjson([b'{"type":"a","id":"1"}\n'])] == [1]


def test_parse_reads_lines_as_json_does_where_orjson_refuses() -> None:
    """orjson reads most lines; what it refuses and ``json`` reads is read as before."""
    text = '{"a":NaN,"b":1e400,"c":"\\ud800","n":1.5,"i":18446744073709551615}'
    [(_, value)] = parse_ndjson([text])
    assert math.isnan(value["a"])
    assert value["b"] == math.inf
    assert value["c"] == "\ud800"
    assert value["i"] == 18446744073709551615
    with pytest.raises(InvalidNdjsonError):  # too deep for either: a typed error
        list(parse_ndjson(['{"d":' + "[" * 5000 + "]" * 5000 + "}"]))
    # beyond 64 bits, an integer is a float, as JSON.parse makes it in Kibana
    assert (
        next(parse_ndjson(['{"big":123456789012345678901234567890}']))[1]["big"]
        == 1.2345678901234568e29
    )
    # ... also on a line only the json fallback reads, so the writer can encode it
    [(_, fallback)] = parse_ndjson(['{"a":NaN,"big":123456789012345678901234567890,"n":-5}'])
    assert fallback["big"] == 1.2345678901234568e29
    assert fallback["n"] == -5
    assert why_unwritable(fallback) is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"a": "\ud800"}, "lone UTF-16 surrogate"),
        ({"\udc00": 1}, "lone UTF-16 surrogate"),
        ({"a": json.loads("[" * 300 + "]" * 300)}, "nested too deeply"),
        ({"a": 2**64}, "integer beyond 64 bits"),
        ({"a": {1, 2}}, "the engine's JSON encoder refuses it"),
    ],
)
def test_why_unwritable_names_what_the_encoder_refuses(value: Any, problem: str) -> None:
    reason = why_unwritable(value)
    assert reason is not None
    assert problem in reason


def test_collect_reports_unwritable_objects_per_object() -> None:
    lines = [
        json.dumps({"type": "dashboard", "id": "ok"}),
        json.dumps({"type": "dashboard", "id": "bad", "attributes": {"title": "\ud800"}}),
        json.dumps({"type": "dashboard", "id": "deep", "attributes": {"d": [[[[]]]]}}),
    ]
    collected = collect_saved_objects(lines, REGISTRY, limit=5, supported_types=SUPPORTED)
    assert [o["id"] for o in collected.objects] == ["ok", "deep"]
    [error] = collected.errors
    assert error["id"] == "bad"
    assert error["error"]["type"] == "unknown"
    assert error["error"]["message"].startswith("The object at line 2 cannot be written")
    assert "dashboard:bad" not in collected.state


@pytest.mark.parametrize(
    ("chunks", "line"),
    [
        (["ok\n"], 1),
        (['{"type":"a","id":"1"}\n', "\n", "[1,2]\n"], 3),
        ([b"\xff\n"], 1),
        (['{"type":"a","id":"1"}\n', '"just a string"\n'], 2),
    ],
)
def test_parse_errors_name_the_line(chunks: list[Any], line: int) -> None:
    with pytest.raises(InvalidNdjsonError) as caught:
        list(parse_ndjson(chunks))
    assert caught.value.line_number == line
    assert caught.value.payload()["attributes"] == {"line": line}


@pytest.mark.parametrize(
    "value",
    [
        {"type": 1, "id": "a"},
        {"type": "dashboard", "id": ""},
        {"type": "dashboard", "id": "a", "references": {}},
        {"type": "dashboard", "id": "a", "references": [{"type": "x"}]},
        {"type": "dashboard", "id": "a", "attributes": []},
        {"type": "dashboard", "id": "a", "originId": 3},
    ],
)
def test_collect_refuses_malformed_objects(value: dict[str, Any]) -> None:
    with pytest.raises(InvalidNdjsonError, match="line 1"):
        collect_saved_objects([json.dumps(value)], REGISTRY, limit=10, supported_types=SUPPORTED)


def test_collect_normalises_and_builds_the_state_map() -> None:
    lines = [
        json.dumps(
            {
                "type": "dashboard",
                "id": "d",
                "references": [{"name": "p", "type": "visualization", "id": "v"}],
            }
        ),
        json.dumps(
            {
                "type": "visualization",
                "id": "v",
                "managed": True,
                "migrationVersion": {"visualization": "7.0.0"},
            }
        ),
        json.dumps({"type": NOT_IMPORTABLE, "id": "x", "attributes": {"title": "X"}}),
    ]
    collected = collect_saved_objects(lines, REGISTRY, limit=3, supported_types=SUPPORTED)
    dash, vis = collected.objects
    assert dash["typeMigrationVersion"] == ""
    assert dash["managed"] is False
    assert "typeMigrationVersion" not in vis
    assert vis["managed"] is True
    # a reference to an object of the file is no "only a reference" entry
    assert "visualization:v" not in collected.state
    assert collected.keys == {"dashboard:d", "visualization:v"}
    assert collected.errors[0]["error"] == {"type": "unsupported_type"}
    forced = collect_saved_objects(
        lines, REGISTRY, limit=3, supported_types=SUPPORTED, managed=False
    )
    assert list(forced.objects)[1]["managed"] is False
    with pytest.raises(ImportSizeExceededError):  # unsupported objects count too
        collect_saved_objects(lines, REGISTRY, limit=2, supported_types=SUPPORTED)
    with pytest.raises(SavedObjectsImportError, match=rf"\[{NOT_IMPORTABLE}:x\]"):
        collect_saved_objects(lines + lines[2:], REGISTRY, limit=9, supported_types=SUPPORTED)


def test_validate_retries_shape() -> None:
    with pytest.raises(SavedObjectsImportError, match="string `type` and `id`"):
        validate_retries([{"type": "a"}])


def test_origin_query_escapes() -> None:
    assert create_origin_query("t", 'a"b\\c') == '"t:a\\"b\\\\c" | "a\\"b\\\\c"'


def test_classify_conflict() -> None:
    assert classify_conflict(None, overwrite=False) == "free"
    assert classify_conflict({"statusCode": 400}, overwrite=False) == "unknown"
    assert (
        classify_conflict(
            {"statusCode": 409, "metadata": {"isNotOverwritable": True}}, overwrite=True
        )
        == "unresolvable"
    )
    assert classify_conflict({"statusCode": 409}, overwrite=True) == "overwrite"
    assert classify_conflict({"statusCode": 409}, overwrite=False) == "conflict"


def test_destinations_sorted_by_updated_at_desc_then_id() -> None:
    dests = [
        {"id": "b", "updatedAt": "2024-03-01"},
        {"id": "c", "updatedAt": "2024-03-02"},
        {"id": "a", "updatedAt": "2024-03-01"},
    ]
    assert [d["id"] for d in sort_destinations(dests)] == ["c", "a", "b"]


def test_response_omits_empty_lists() -> None:
    assert import_response([], [], []) == {"successCount": 0, "success": True, "warnings": []}


def _entries(
    graph: dict[str, list[str]], requested: list[str] | None = None
) -> dict[str, ExportedEntry]:
    return {
        key: ExportedEntry(
            type=key.split(":")[0],
            id=key.split(":")[1],
            references=refs,
            offset=0,
            length=0,
            requested=requested.index(key) if requested and key in requested else None,
        )
        for key, refs in graph.items()
    }


def test_dependency_order_matches_kibana() -> None:
    graph = {
        "dashboard:dash-1": ["visualization:vis-1"],
        "visualization:vis-1": ["index-pattern:ip-1"],
        "index-pattern:ip-1": [],
    }
    assert dependency_order(_entries(graph, ["dashboard:dash-1"]), by_objects=True) == [
        "index-pattern:ip-1",
        "visualization:vis-1",
        "dashboard:dash-1",
    ]
    # by types: ids sorted first; unreferenced order kept
    flat: dict[str, list[str]] = {"dashboard:b": [], "dashboard:a": [], "index-pattern:c": []}
    assert dependency_order(_entries(flat), by_objects=False) == [
        "dashboard:a",
        "dashboard:b",
        "index-pattern:c",
    ]


def test_dependency_order_breaks_cycles_and_deep_chains() -> None:
    cycle = {"dashboard:a": ["dashboard:b"], "dashboard:b": ["dashboard:a"]}
    assert dependency_order(_entries(cycle), by_objects=False) == ["dashboard:b", "dashboard:a"]
    chain = {f"t:{i:06d}": [f"t:{i + 1:06d}"] for i in range(50_000)}
    chain["t:050000"] = []
    order = dependency_order(_entries(chain), by_objects=False)
    assert order[0] == "t:050000"
    assert order[-1] == "t:000000"


keys_strategy = st.lists(
    st.tuples(st.sampled_from(["dashboard", "index-pattern", "a:b"]), st.text(max_size=4)).map(
        lambda pair: f"{pair[0]}:{pair[1]}"
    ),
    unique=True,
    max_size=12,
)


@given(keys_strategy, st.data(), st.booleans())
def test_the_compact_export_index_orders_as_the_entries_it_stands_for(
    keys: list[str], data: st.DataObject, by_objects: bool
) -> None:
    """ExportIndex (what an export keeps) answers as a dict of ExportedEntry would: the
    same entries, and Kibana's dependency order over both is the same."""
    index = ExportIndex()
    plain: dict[str, ExportedEntry] = {}
    for offset, key in enumerate(keys):
        type_name = "a:b" if key.startswith("a:b:") else key.split(":")[0]
        refs = tuple(data.draw(st.lists(st.sampled_from(keys), max_size=3)))
        requested = data.draw(st.none() | st.integers(0, 20))
        index.add(key, type_name, refs, offset, len(key), requested)
        plain[key] = ExportedEntry(
            type=type_name,
            id=key[len(type_name) + 1 :],
            references=refs,
            offset=offset,
            length=len(key),
            requested=requested,
        )
    try:
        assert dict(index) == plain
        assert len(index) == len(plain)
        assert all(index.location(key) == (e.offset, e.length) for key, e in plain.items())
        key_at = {e.offset: key for key, e in plain.items()}
        walked = [key_at[offset] for offset, _ in index.ordered(by_objects=by_objects)]
        assert walked == dependency_order(plain, by_objects=by_objects)
    finally:
        index.close()
