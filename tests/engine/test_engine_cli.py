"""``kbn-so engine status|stop`` when the engine is gone: one line, exit 1, no leftovers
(issue 13 item 7), and ``kbn-so engine start --nodes N`` for a local cluster."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbn_saved_objects.cli import main
from kbn_saved_objects.engine import discovery
from kbn_saved_objects.engine.local.node import (
    EngineState,
    LocalEngineError,
    LocalNode,
    default_version,
    free_port,
    http_get_json,
    process_alive,
)


@pytest.fixture
def own_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A state file of this test's own, and no engine URL from the environment."""
    state = tmp_path / "engine.json"
    monkeypatch.setenv("KBN_SO_ENGINE_STATE", str(state))
    monkeypatch.delenv(discovery.ENV_URL, raising=False)
    return state


def dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def one_line_error(output: str) -> str:
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    assert "Traceback" not in output
    return lines[0]


def test_status_of_a_dead_engine_url(own_state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv(discovery.ENV_URL, url)
    result = CliRunner().invoke(main, ["engine", "status"])
    assert result.exit_code == 4  # the engine did not answer, as for every command
    assert isinstance(result.exception, SystemExit)
    line = one_line_error(result.output)
    assert line.startswith(f"Error: no engine answers at {url} (")


@pytest.mark.parametrize("remove_data", [True, False])
def test_status_after_the_node_died_leaves_nothing_behind(
    own_state: Path, tmp_path: Path, remove_data: bool
) -> None:
    data = tmp_path / "node-data"
    (data / "data").mkdir(parents=True)
    EngineState(
        pid=dead_pid(),
        url=f"http://127.0.0.1:{free_port()}",
        data_dir=str(data),
        log_file=str(data / "engine.log"),
        version="2.19.6",
        remove_data=remove_data,
    ).save()
    result = CliRunner().invoke(main, ["engine", "status"])
    assert result.exit_code == 1
    assert "is no longer running; its record was cleared and its data folder" in result.stderr
    assert result.stderr.strip().endswith(
        "no local engine is running (start one with: kbn-so engine start)"
    )
    assert not own_state.exists()
    # a temporary data folder goes with the record; one the user chose stays
    assert data.exists() is not remove_data
    stopped = CliRunner().invoke(main, ["engine", "stop"])
    assert stopped.output == "no local engine is running\n"


@pytest.mark.local_engine
def test_status_after_sigkill_of_a_detached_node(own_state: Path) -> None:
    """The real thing: a detached node SIGKILLed behind the CLI's back."""
    node = LocalNode(heap="256m")
    node.start(attached=False)
    state = EngineState.load()
    assert state is not None
    data = Path(state.data_dir)
    try:
        os.kill(state.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while process_alive(state.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        result = CliRunner().invoke(main, ["engine", "status"])
    finally:
        if process_alive(state.pid):
            os.kill(state.pid, signal.SIGKILL)
    assert result.exit_code == 1
    assert f"the engine recorded at {state.url} (pid {state.pid}) is no longer running" in (
        result.stderr
    )
    assert f"its data folder {data} removed" in result.stderr
    assert not own_state.exists()
    assert not data.exists()


def test_stop_cleans_up_after_a_dead_node(own_state: Path, tmp_path: Path) -> None:
    data = tmp_path / "node-data"
    data.mkdir()
    EngineState(
        pid=dead_pid(),
        url="http://127.0.0.1:1",
        data_dir=str(data),
        log_file=str(data / "engine.log"),
        version="2.19.6",
        remove_data=True,
    ).save()
    result = CliRunner().invoke(main, ["engine", "stop"])
    assert result.exit_code == 0
    assert not own_state.exists()
    assert not data.exists()


def test_state_files_of_single_nodes_still_load(own_state: Path) -> None:
    """A state file written before clusters existed (no ``pids``) is still understood."""
    own_state.write_text(
        json.dumps(
            {
                "pid": 4242,
                "url": "http://127.0.0.1:1",
                "data_dir": "/nowhere",
                "log_file": "/nowhere/engine.log",
                "version": "2.19.6",
                "remove_data": False,
            }
        )
    )
    state = EngineState.load()
    assert state is not None
    assert (state.all_pids, state.all_urls) == ([4242], ["http://127.0.0.1:1"])


def test_cluster_needs_a_node() -> None:
    from kbn_saved_objects.engine.local.node import LocalCluster

    with pytest.raises(LocalEngineError, match="at least one node"):
        LocalCluster(0)
    result = CliRunner().invoke(main, ["engine", "start", "--nodes", "0"])
    assert result.exit_code == 2
    assert "0 is not in the range x>=1" in result.output


@pytest.mark.local_engine
def test_cli_cluster_start_status_kill_stop(own_state: Path) -> None:
    runner = CliRunner()
    version = default_version()
    started = runner.invoke(main, ["engine", "start", "--nodes", "3", "--heap", "384m"])
    state = EngineState.load()
    try:
        assert started.exit_code == 0, (started.output, started.stderr)
        assert started.output.startswith(f"started a 3-node cluster of OpenSearch {version} at ")
        assert state is not None
        assert len(state.all_pids) == 3
        assert len(set(state.all_urls)) == 3
        health = http_get_json(f"{state.url}/_cluster/health", timeout=30)
        assert health["number_of_nodes"] == 3
        status = runner.invoke(main, ["engine", "status"])
        assert status.exit_code == 0
        assert "3 of 3 nodes running" in status.output
        os.kill(state.all_pids[2], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while process_alive(state.all_pids[2]) and time.monotonic() < deadline:
            time.sleep(0.1)
        status = runner.invoke(main, ["engine", "status"])
        assert status.exit_code == 0
        assert "2 of 3 nodes running" in status.output
        assert own_state.exists()  # a half-alive cluster is still stop's to clean
    finally:
        stopped = runner.invoke(main, ["engine", "stop"])
    assert stopped.exit_code == 0
    assert state is not None
    assert not any(process_alive(pid) for pid in state.all_pids)
    assert not Path(state.data_dir).exists()
    assert not own_state.exists()
