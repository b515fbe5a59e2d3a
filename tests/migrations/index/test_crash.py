"""Kill a migrator process (SIGKILL) at a given step; a new run must converge."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from kbn_saved_objects.engine import Engine
from tests.migrations.index._helpers import aliases, all_docs, run, seed, widgets
from tests.migrations.index._registries import (
    registry_v1,
    registry_v1_keyword,
    registry_v2,
    registry_v3,
)

pytestmark = pytest.mark.engine

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))


def kill_at(url: str, prefix: str, version: str, registry: str, stop_at: str) -> list[str]:
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.migrations.index._crash_child",
            url,
            prefix,
            version,
            registry,
            stop_at,
            "4",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    seen: list[str] = []
    try:
        assert child.stdout is not None
        for line in child.stdout:
            seen.append(line.strip())
            if line.strip() in ("PAUSED", "FINISHED"):
                break
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert seen[-1] == "PAUSED", seen
    return seen


@pytest.mark.parametrize(
    "stop_at",
    [
        "CREATE_REINDEX_TEMP",  # source write-blocked, no temp yet
        "REINDEX_SOURCE_TO_TEMP_INDEX_BULK:3",  # temp half filled, mid-batch
        "CLONE_TEMP_TO_TARGET",  # temp write-blocked
        "UPDATE_TARGET_MAPPINGS_META",  # clone done, mappings not yet strict
        "MARK_VERSION_INDEX_READY",  # everything but the alias switch
    ],
)
def test_reindex_resumes_after_sigkill(
    kbn_engine: Engine, kbn_engine_url: str, kbn_index_prefix: str, stop_at: str
) -> None:
    prefix = f"{kbn_index_prefix}-so"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
    seed(kbn_engine, prefix, widgets(20))
    kill_at(kbn_engine_url, prefix, "3.0.0", "V3", stop_at)

    report = run(kbn_engine, registry_v3(), prefix, "3.0.0")
    assert report.ok, report.to_dict()
    assert aliases(kbn_engine, prefix) == {
        f"{prefix}_1.0.0_001": [f"{prefix}_1.0.0"],
        f"{prefix}_3.0.0_001": [prefix, f"{prefix}_3.0.0"],
    }
    docs = all_docs(kbn_engine, prefix)
    assert len(docs) == 20
    assert all(d["typeMigrationVersion"] == "10.2.0" for d in docs.values())
    assert all(d["widget"]["upper"] == d["widget"]["title"].upper() for d in docs.values())


def test_server_side_copy_resumes_after_sigkill(
    kbn_engine: Engine, kbn_engine_url: str, kbn_index_prefix: str
) -> None:
    prefix = f"{kbn_index_prefix}-so"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
    seed(kbn_engine, prefix, widgets(20))
    kill_at(
        kbn_engine_url, prefix, "1.1.0", "V1_KEYWORD", "REINDEX_SOURCE_TO_TEMP_SERVER_SIDE_WAIT"
    )
    report = run(kbn_engine, registry_v1_keyword(), prefix, "1.1.0")
    assert report.ok, report.to_dict()
    assert len(all_docs(kbn_engine, prefix)) == 20
    assert aliases(kbn_engine, prefix)[f"{prefix}_1.1.0_001"] == [prefix, f"{prefix}_1.1.0"]


@pytest.mark.parametrize(
    "stop_at", ["TRANSFORMED_DOCUMENTS_BULK_INDEX:3", "UPDATE_TARGET_MAPPINGS_META"]
)
def test_compatible_resumes_after_sigkill(
    kbn_engine: Engine, kbn_engine_url: str, kbn_index_prefix: str, stop_at: str
) -> None:
    prefix = f"{kbn_index_prefix}-so"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
    seed(kbn_engine, prefix, widgets(20))
    kill_at(kbn_engine_url, prefix, "2.0.0", "V2", stop_at)

    steps: list[str] = []
    report = run(kbn_engine, registry_v2(), prefix, "2.0.0", steps)
    assert report.ok, report.to_dict()
    # the version alias was added before the documents: the re-run takes the unnecessary
    # path, which still finishes the documents and the mappings
    assert report.results[0].kind == "unnecessary"
    docs = all_docs(kbn_engine, prefix)
    assert len(docs) == 20
    assert all("size" in d["widget"] for d in docs.values())
    steps.clear()
    assert run(kbn_engine, registry_v2(), prefix, "2.0.0", steps).ok
    assert "TRANSFORMED_DOCUMENTS_BULK_INDEX" not in steps
    assert "UPDATE_TARGET_MAPPINGS_PROPERTIES" not in steps


@pytest.mark.parametrize("migrators", [2, 3, 4])
@pytest.mark.parametrize("path", ["fresh", "compatible", "reindex"])
def test_concurrent_migrators_agree(
    kbn_engine: Engine, kbn_index_prefix: str, path: str, migrators: int
) -> None:
    """Several migrators of the same version at once: all DONE, one correct result."""
    from concurrent.futures import ThreadPoolExecutor

    prefix = f"{kbn_index_prefix}-so"
    registry, version = {
        "fresh": (registry_v2, "2.0.0"),
        "compatible": (registry_v2, "2.0.0"),
        "reindex": (registry_v3, "3.0.0"),
    }[path]
    if path != "fresh":
        assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
        seed(kbn_engine, prefix, widgets(40))
    with ThreadPoolExecutor(migrators) as pool:
        reports = list(
            pool.map(
                lambda _: run(kbn_engine, registry(), prefix, version, batch_size=5),
                range(migrators),
            )
        )
    assert all(r.ok for r in reports), [r.to_dict() for r in reports]
    docs = all_docs(kbn_engine, prefix)
    assert len(docs) == (0 if path == "fresh" else 40)
    for doc in docs.values():
        widget = doc["widget"]
        assert widget["size"] == len(widget["title"])  # migrated, correctly
        if path == "reindex":
            assert doc["typeMigrationVersion"] == "10.2.0"
            assert widget["upper"] == widget["title"].upper()
        else:
            assert doc["typeMigrationVersion"] == "10.1.0"
    found = aliases(kbn_engine, prefix)
    current = [name for name, names in found.items() if prefix in names]
    assert len(current) == 1
    assert found[current[0]] == [prefix, f"{prefix}_{version}"]
