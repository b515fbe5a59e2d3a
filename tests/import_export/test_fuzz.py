"""Hypothesis fuzz of NDJSON input on the real engine: only typed errors, never a
crash, and never a write when Kibana would write nothing.

Besides plausible saved objects with wrong field types, lines carry extreme values:
nesting around and past the encoder's and the parsers' limits, lone surrogates in every
field, integers beyond 64 bits, non-finite numbers, control characters, huge strings,
JSON that is not an object. After each import the index must hold exactly the objects
the response reports as imported (examples are bounded by ``KBN_SO_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import SavedObjectsError
from kbn_saved_objects.import_export import SavedObjectsImporter
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from tests.import_export.conftest import count_docs

pytestmark = pytest.mark.engine

TYPES = [
    "dashboard",
    "visualization",
    "index-pattern",
    "search",
    "config",
    "not-importable",
    "nope",
]
IDS = st.sampled_from(["a", "b", "c", "ip-1", 'q"uote', "é"])
JSON_LEAF = st.none() | st.booleans() | st.integers() | st.text(max_size=5)
JSON = st.recursive(
    JSON_LEAF,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
REFERENCE = st.fixed_dictionaries(
    {"name": st.text(max_size=3), "type": st.sampled_from(TYPES), "id": IDS}
)
OBJECT = st.fixed_dictionaries(
    {"type": st.sampled_from(TYPES), "id": IDS},
    optional={
        "attributes": st.dictionaries(st.sampled_from(["title", "x"]), JSON, max_size=2) | JSON,
        "references": st.lists(REFERENCE, max_size=2) | JSON,
        "originId": IDS | JSON_LEAF,
        "managed": st.booleans() | JSON_LEAF,
        "migrationVersion": st.just({"dashboard": "7.0.0"}),
        "typeMigrationVersion": st.sampled_from(["", "7.9.3", "99.0.0", "not-semver"]),
        "version": st.just("WzEsMV0="),
    },
)
SURROGATE = st.integers(0xD800, 0xDFFF).map(chr)
CONTROL = st.text(st.characters(max_codepoint=0x1F), min_size=1, max_size=3)
BIG_INT = st.integers(min_value=2**64, max_value=2**200) | st.integers(
    min_value=-(2**200), max_value=-(2**63) - 1
)


def _deep_line(depth: int) -> str:
    nested = "[" * depth + "]" * depth
    return f'{{"type":"dashboard","id":"deep-{depth}","attributes":{{"title":"d","x":{nested}}}}}'


def _with_surrogate(field: str, surrogate: str) -> str:
    value: dict[str, Any] = {"type": "dashboard", "id": "s", "attributes": {"title": "t"}}
    if field in ("type", "id", "originId"):
        value[field] = f"a{surrogate}"
    elif field == "reference":
        value["references"] = [{"name": "r", "type": "index-pattern", "id": surrogate}]
    elif field == "key":
        value["attributes"] = {surrogate: 1}
    else:
        value["attributes"] = {"title": surrogate}
    return json.dumps(value)  # escapes it as \udXXX, which only the json fallback reads


def _with_number(literal: str) -> str:
    return f'{{"type":"dashboard","id":"n","attributes":{{"title":"n","x":{literal}}}}}'


EXTREME_LINE = st.one_of(
    st.sampled_from([10, 252, 253, 254, 300, 1000, 1100, 5000]).map(_deep_line),
    st.builds(
        _with_surrogate,
        st.sampled_from(["type", "id", "originId", "reference", "key", "title"]),
        SURROGATE,
    ),
    BIG_INT.map(str).map(_with_number),
    BIG_INT.map(lambda n: f"[NaN, {n}]").map(_with_number),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400"]).map(
        _with_number
    ),
    st.sampled_from(["[1]", '"s"', "1", "true", "false", "null", "0", '""', "{}", "[]"]),
    CONTROL.map(lambda c: json.dumps({"type": "dashboard", "id": f"c{c}", "attributes": {}})),
    CONTROL.map(lambda c: f'{{"type":"dashboard","id":"c{c}"}}'),  # raw: not JSON
    st.sampled_from([600, 200_000]).map(
        lambda n: json.dumps({"type": "dashboard", "id": "big", "attributes": {"title": "x" * n}})
    ),
    st.just(json.dumps({"type": "dashboard", "id": "x" * 600})),  # raw id past 512 bytes
    st.just('{"type":"a","type":"dashboard","id":"dup-key"}'),
)
LINE = (
    OBJECT.map(json.dumps)
    | JSON.map(json.dumps)
    | st.text(max_size=12)
    | st.just('{"exportedCount":1}')
    | EXTREME_LINE
)


@settings(
    max_examples=int(os.environ.get("KBN_SO_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    lines=st.lists(LINE, max_size=6),
    mode=st.sampled_from(["plain", "overwrite", "copies"]),
)
def test_fuzz_import(
    repository: SavedObjectsRepository,
    so_config: RepositoryConfig,
    kbn_engine: Engine,
    lines: list[str],
    mode: str,
) -> None:
    index = f"{so_config.default_index}*"
    before = count_docs(kbn_engine, index)
    importer = SavedObjectsImporter(repository, import_size_limit=5)
    try:
        result: dict[str, Any] = importer.import_(
            [line + "\n" for line in lines],
            overwrite=mode == "overwrite",
            create_new_copies=mode == "copies",
        )
    except SavedObjectsError as exc:
        # a typed refusal is the expected outcome here, not a failure to assert with raises
        assert exc.payload()["statusCode"] in (400, 413), exc  # noqa: PT017
        assert count_docs(kbn_engine, index) == before, "a refused request wrote"
        return
    assert result["successCount"] == len(result.get("successResults", []))
    assert result["success"] == ("errors" not in result)
    kinds = {e["error"]["type"] for e in result.get("errors", [])}
    assert kinds <= {
        "conflict",
        "ambiguous_conflict",
        "missing_references",
        "unsupported_type",
        "unknown",
    }
    if kinds & {"conflict", "ambiguous_conflict", "missing_references"}:
        assert count_docs(kbn_engine, index) == before, (
            "resolvable errors, yet something was written"
        )


def _wipe(engine: Engine, index: str) -> None:
    engine.perform(
        rq.delete_by_query(index, {"query": {"match_all": {}}}, refresh=True, conflicts="proceed")
    )


def _stored(engine: Engine, index: str) -> set[str]:
    engine.perform(rq.refresh(index))
    found = engine.perform(rq.search({"size": 100, "_source": False}, index=index))
    return {hit["_id"] for hit in found["hits"]["hits"]}


def _imported(result: dict[str, Any]) -> set[str]:
    """Raw ids of what the response says was written (default space: ``type:id``)."""
    return {
        f"{entry['type']}:{entry.get('destinationId', entry['id'])}"
        for entry in result.get("successResults", [])
    }


def _check_outcome(engine: Engine, index: str, run: Any) -> None:
    """Only typed errors; the index holds exactly what the response says it imported
    (nothing, when the request was refused or has an error that blocks every write)."""
    try:
        result: dict[str, Any] = run()
    except SavedObjectsError as exc:
        # a typed refusal is the expected outcome here, not a failure to assert with raises
        assert exc.payload()["statusCode"] in (400, 413), exc  # noqa: PT017
        assert _stored(engine, index) == set(), "a refused request wrote"
        return
    assert result["success"] == ("errors" not in result)
    kinds = {error["error"]["type"] for error in result.get("errors", [])}
    assert kinds <= {"conflict", "ambiguous_conflict", "missing_references"} | {
        "unsupported_type",
        "unknown",
    }
    if kinds & {"conflict", "ambiguous_conflict", "missing_references"}:
        # Kibana's rule: nothing is written; successResults lists what would have been
        assert _stored(engine, index) == set(), "resolvable errors, yet something was written"
    else:
        assert _stored(engine, index) == _imported(result)


@settings(
    max_examples=int(os.environ.get("KBN_SO_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    lines=st.lists(EXTREME_LINE | OBJECT.map(json.dumps), min_size=1, max_size=5),
    mode=st.sampled_from(["plain", "overwrite", "copies"]),
)
def test_fuzz_import_extreme_values_writes_exactly_what_it_reports(
    repository: SavedObjectsRepository,
    so_config: RepositoryConfig,
    kbn_engine: Engine,
    lines: list[str],
    mode: str,
) -> None:
    index = f"{so_config.default_index}*"
    _wipe(kbn_engine, index)
    importer = SavedObjectsImporter(repository, import_size_limit=5)
    _check_outcome(
        kbn_engine,
        index,
        lambda: importer.import_(
            [line + "\n" for line in lines],
            overwrite=mode == "overwrite",
            create_new_copies=mode == "copies",
        ),
    )


RETRY = st.fixed_dictionaries(
    {"type": st.sampled_from(TYPES), "id": IDS | st.just("deep-300") | st.just("s")},
    optional={
        "overwrite": st.booleans() | JSON_LEAF,
        "destinationId": IDS | JSON_LEAF | SURROGATE,
        "createNewCopy": st.booleans() | JSON_LEAF,
        "ignoreMissingReferences": st.booleans() | JSON_LEAF,
        "replaceReferences": st.lists(
            st.fixed_dictionaries(
                {"type": st.sampled_from(TYPES), "from": IDS, "to": IDS | JSON_LEAF}
            ),
            max_size=2,
        )
        | JSON,
    },
)


@settings(
    max_examples=int(os.environ.get("KBN_SO_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    lines=st.lists(LINE, min_size=1, max_size=5),
    retries=st.lists(RETRY | JSON_LEAF, max_size=4),
    copies=st.booleans(),
)
def test_fuzz_resolve_import_errors(
    repository: SavedObjectsRepository,
    so_config: RepositoryConfig,
    kbn_engine: Engine,
    lines: list[str],
    retries: list[Any],
    copies: bool,
) -> None:
    index = f"{so_config.default_index}*"
    _wipe(kbn_engine, index)
    importer = SavedObjectsImporter(repository, import_size_limit=5)
    _check_outcome(
        kbn_engine,
        index,
        lambda: importer.resolve_import_errors(
            [line + "\n" for line in lines], retries, create_new_copies=copies
        ),
    )
