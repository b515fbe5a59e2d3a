"""The local OpenSearch node: lifecycle, CLI, and no orphan JVM when its parent dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbn_saved_objects.cli import main
from kbn_saved_objects.engine import discovery
from kbn_saved_objects.engine.local import node
from kbn_saved_objects.engine.local.node import default_version, process_alive

PARENT_SCRIPT = """
import sys, time
from kbn_saved_objects.engine.local.node import LocalNode
node = LocalNode(data_dir=__import__("pathlib").Path(sys.argv[1]), heap="256m")
node.start(attached=True)
print(node.process.pid, node.url, flush=True)
time.sleep(600)
"""


def wait_until_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not process_alive(pid):
            return True
        time.sleep(0.2)
    return False


@pytest.mark.local_engine
def test_attached_node_exits_when_its_parent_is_killed(tmp_path: Path) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT_SCRIPT, str(tmp_path / "node")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    line = parent.stdout.readline()
    jvm_pid = int(line.split()[0])
    try:
        assert process_alive(jvm_pid)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        assert wait_until_gone(jvm_pid, 60), "the JVM outlived its killed parent"
    finally:
        if process_alive(jvm_pid):
            os.kill(jvm_pid, signal.SIGKILL)


@pytest.mark.local_engine
def test_cli_start_status_stop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KBN_SO_ENGINE_STATE", str(tmp_path / "engine.json"))
    monkeypatch.delenv(discovery.ENV_URL, raising=False)
    runner = CliRunner()
    version = default_version()  # KBN_SO_ENGINE_VERSION: the suite runs once per engine
    started = runner.invoke(main, ["engine", "start", "--heap", "256m"])
    try:
        assert started.exit_code == 0, started.output
        assert f"started OpenSearch {version} at http://127.0.0.1:" in started.output
        status = runner.invoke(main, ["engine", "status"])
        assert status.exit_code == 0
        assert status.output.startswith(f"OpenSearch {version} at http://127.0.0.1:")
        again = runner.invoke(main, ["engine", "start"])
        assert "already running" in again.output
        # the tests and the demo pick up a running detached engine
        provided = discovery.provide_engine()
        assert provided.url in status.output
    finally:
        stopped = runner.invoke(main, ["engine", "stop"])
    assert stopped.exit_code == 0
    assert "stopped the engine" in stopped.output
    after = runner.invoke(main, ["engine", "status"])
    assert after.exit_code == 1
    assert "no local engine is running" in after.output


def test_no_engine_fails_with_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(discovery.ENV_URL, raising=False)
    monkeypatch.delenv(discovery.ENV_VERSION, raising=False)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("KBN_SO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(node, "JDK_SEARCH_PATTERNS", ())
    monkeypatch.setenv("KBN_SO_ENGINE_STATE", str(tmp_path / "engine.json"))
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-docker.sock")
    with pytest.raises(discovery.EngineSetupError) as caught:
        discovery.provide_engine()
    text = str(caught.value)
    assert "local OpenSearch node: OpenSearch 2.19.6 needs a Java 17 or newer JDK" in text
    assert "Install Maven and a JDK: Java 17+ for OpenSearch 2, Java 21+ for OpenSearch 3" in text
    assert "KBN_SO_ENGINE_URL" in text


def test_environment_url_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(discovery.ENV_URL, "http://example.invalid:9200/")
    provided = discovery.provide_engine()
    assert provided.url == "http://example.invalid:9200"
    assert provided.source == discovery.ENV_URL
