"""Unknown types and corrupt documents: reported by name, or discarded on request."""

from __future__ import annotations

import pytest

from kbn_saved_objects.engine import Engine
from tests.migrations.index._helpers import all_docs, run, seed, widgets
from tests.migrations.index._registries import registry_v1, registry_v2, registry_v3

pytestmark = pytest.mark.engine

# (a removed plugin's attributes would be mapped; strict mappings refuse them here)
UNKNOWN = [("mystery:m1", {"type": "mystery"}), ("mystery:m2", {"type": "mystery"})]
CORRUPT = [("no-prefix", {"type": "widget", "widget": {"title": "x"}})]
BOOM = [("widget:boom", {"type": "widget", "widget": {"title": "boom"}})]


@pytest.mark.parametrize(("registry", "version"), [(registry_v2, "2.0.0"), (registry_v3, "3.0.0")])
def test_unknown_types_stop_the_migration(
    kbn_engine: Engine, kbn_index_prefix: str, registry: object, version: str
) -> None:
    prefix = f"{kbn_index_prefix}-so"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
    seed(kbn_engine, prefix, widgets(3) + UNKNOWN)
    report = run(kbn_engine, registry(), prefix, version)  # type: ignore[operator]
    result = report.results[0]
    assert not report.ok
    assert result.status == "failed"
    assert sorted(result.unknown_documents) == [
        ("mystery:m1", "mystery"),
        ("mystery:m2", "mystery"),
    ]
    assert 'mystery:m1" (type: "mystery")' in (result.reason or "")
    assert "mystery:m1" in all_docs(kbn_engine, prefix)  # nothing deleted

    report = run(kbn_engine, registry(), prefix, version, discard_unknown_objects=True)  # type: ignore[operator]
    assert report.ok, report.to_dict()
    docs = all_docs(kbn_engine, prefix)
    assert sorted(docs) == ["widget:w0", "widget:w1", "widget:w2"]


@pytest.mark.parametrize(("registry", "version"), [(registry_v2, "2.0.0"), (registry_v3, "3.0.0")])
def test_corrupt_and_failing_documents(
    kbn_engine: Engine, kbn_index_prefix: str, registry: object, version: str
) -> None:
    prefix = f"{kbn_index_prefix}-so"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
    seed(kbn_engine, prefix, widgets(12) + CORRUPT + BOOM)
    report = run(kbn_engine, registry(), prefix, version, batch_size=5)  # type: ignore[operator]
    result = report.results[0]
    assert not report.ok
    assert result.corrupt_ids == ("no-prefix",)
    assert [doc_id for doc_id, _ in result.transform_errors] == ["widget:boom"]
    assert "cannot size a boom" in (result.reason or "")
    assert result.processed == 14  # every document was scanned, so all problems are listed

    report = run(kbn_engine, registry(), prefix, version, discard_corrupt_objects=True)  # type: ignore[operator]
    assert report.ok, report.to_dict()
    docs = all_docs(kbn_engine, prefix)
    assert "no-prefix" not in docs
    assert "widget:boom" not in docs
    assert len(docs) == 12
    assert all("size" in d["widget"] for d in docs.values())
