"""Running ``kbn-so`` as a user would, with the engine choice under the test's control.

Every test gets its own engine-state file (``KBN_SO_ENGINE_STATE``), so a node recorded
on the machine by ``kbn-so engine start`` is never seen, nor cleared, by these tests.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kbn_saved_objects.cli import main
from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine.local.node import EngineState
from kbn_saved_objects.migrations.index import migrate
from kbn_saved_objects.repository import RepositoryConfig
from tests.cli._registry import REGISTRY

REGISTRY_REF = "tests.cli._registry:REGISTRY"
VERSION = "1.0.0"


@pytest.fixture(autouse=True)
def state_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "engine-state.json"
    monkeypatch.setenv("KBN_SO_ENGINE_STATE", str(path))
    return path


@pytest.fixture
def record_node(state_file: Path, tmp_path: Path) -> Callable[[str], None]:
    """Record ``url`` as a running ``kbn-so engine start`` node (this process's pid is
    alive, so the record counts as running)."""

    def record(url: str) -> None:
        EngineState(
            pid=os.getpid(),
            url=url,
            data_dir=str(tmp_path),
            log_file=str(tmp_path / "node.log"),
            version="2.19.6",
            remove_data=False,
        ).save()
        assert json.loads(state_file.read_text())["url"] == url

    return record


@pytest.fixture
def dead_engine_url() -> str:
    """A URL on a port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def run_cli(args: list[str], env: Mapping[str, str | None] | None = None) -> Result:
    """``kbn-so ARGS`` in-process. Exceptions are not caught: one that escapes the
    command (a traceback for a user) fails the test with it."""
    return CliRunner().invoke(main, args, env=dict(env or {}), catch_exceptions=False)


@pytest.fixture
def index_prefix(kbn_index_prefix: str) -> str:
    return f"{kbn_index_prefix}-cli"


@pytest.fixture
def migrated_prefix(kbn_engine: Engine, index_prefix: str) -> str:
    """An index prefix whose indices exist (fresh install of the test registry)."""
    config = RepositoryConfig(default_index=index_prefix, index_suffix=f"_{VERSION}")
    migrate(kbn_engine, REGISTRY, config=config)
    return index_prefix


def command_args(
    command: str, index: str, tmp_path: Path, registry: str = REGISTRY_REF
) -> list[str]:
    """A working invocation of ``command`` against ``index`` with ``registry``."""
    repository = ["--registry", registry, "--index", index]
    if command == "export":
        return ["export", *repository, "--index-suffix", f"_{VERSION}", "--type", "widget"]
    if command == "import":
        source = tmp_path / "widgets.ndjson"
        source.write_text('{"type":"widget","id":"w1","attributes":{"title":"W"}}\n')
        return ["import", *repository, "--index-suffix", f"_{VERSION}", str(source)]
    if command == "migrate --dry-run":
        return ["migrate", "--dry-run", *repository, "--version", VERSION]
    return [*command.split(), *repository, "--version", VERSION]


ENGINE_COMMANDS = [
    "export",
    "import",
    "migrate",
    "migrate --dry-run",
    "migrate check",
    "migrate status",
]
"""Every command that talks to a saved-objects index (``demo`` uses its own indices)."""
