"""Hypothesis fuzz of NDJSON input on the real engine: only typed errors, never a
crash, and never a write when Kibana would write nothing."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbn_saved_objects.engine import Engine
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
LINE = (
    OBJECT.map(json.dumps)
    | JSON.map(json.dumps)
    | st.text(max_size=12)
    | st.just('{"exportedCount":1}')
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
