"""The pytest plugin marks every test that uses an engine fixture, so ``-m engine`` and
``-m "not engine"`` split any suite cleanly (``make test`` runs them separately)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SUITE = """
import pytest

def test_pure():
    pass

def test_uses_engine(kbn_engine):
    pass

def test_uses_prefix(kbn_index_prefix):
    pass

async def test_uses_async_engine(kbn_async_engine):
    pass

def test_uses_cluster(kbn_cluster):
    pass

@pytest.mark.local_engine
def test_starts_its_own_node():
    pass
"""


def collected(tmp_path: Path, marks: str) -> list[str]:
    (tmp_path / "test_suite.py").write_text(SUITE)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "--strict-markers",
            "-m",
            marks,
            "test_suite.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 5), result.stdout + result.stderr
    return sorted(line.split("::")[1] for line in result.stdout.splitlines() if "::" in line)


def test_engine_fixtures_mark_their_tests(tmp_path: Path) -> None:
    assert collected(tmp_path, "not engine") == ["test_pure"]
    assert collected(tmp_path, "engine") == [
        "test_starts_its_own_node",
        "test_uses_async_engine",
        "test_uses_cluster",
        "test_uses_engine",
        "test_uses_prefix",
    ]
    assert collected(tmp_path, "local_engine") == ["test_starts_its_own_node", "test_uses_cluster"]
