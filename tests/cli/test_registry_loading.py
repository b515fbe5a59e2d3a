"""``--registry module:attribute`` is loaded the same way by every command (issue 13,
item 6): a module in the current directory is found by ``import`` and ``export`` as it
was by ``migrate``, and a bad reference is a usage error, never a traceback."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest

from kbn_saved_objects.engine.discovery import ENV_URL
from tests.cli._registry import MODULE_SOURCE
from tests.cli.conftest import ENGINE_COMMANDS, command_args, run_cli

pytestmark = pytest.mark.engine

SUCCESS = {"migrate check": {0, 3}}


@pytest.fixture
def in_project_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh current directory, with ``sys.path`` restored afterwards."""
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(project)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", str(project))])
    return project


def write_module(directory: Path, source: str) -> str:
    """A module of a name no other test uses (``sys.modules`` outlives a test)."""
    name = f"kbn_so_cli_registry_{uuid.uuid4().hex}"
    (directory / f"{name}.py").write_text(source)
    return name


@pytest.mark.parametrize("attribute", ["REGISTRY", "registry"])  # a registry, a factory
@pytest.mark.parametrize("command", ENGINE_COMMANDS)
def test_every_command_loads_a_registry_module_from_the_current_directory(
    command: str,
    attribute: str,
    in_project_dir: Path,
    kbn_engine_url: str,
    migrated_prefix: str,
    tmp_path: Path,
) -> None:
    module = write_module(in_project_dir, MODULE_SOURCE)
    args = command_args(command, migrated_prefix, tmp_path, registry=f"{module}:{attribute}")
    result = run_cli(args, env={ENV_URL: kbn_engine_url})
    assert result.exit_code in SUCCESS.get(command, {0}), result.output


BAD_MODULES = {
    "syntax": ("def broken(:\n", "cannot load {module}:REGISTRY: SyntaxError"),
    "raises": ("raise RuntimeError('no')\n", "cannot load {module}:REGISTRY: RuntimeError: no"),
    "factory": (
        "def REGISTRY():\n    raise KeyError('k')\n",
        "cannot load {module}:REGISTRY: KeyError",
    ),
    "not-a-registry": ("REGISTRY = 42\n", "{module}:REGISTRY is not a SavedObjectTypeRegistry"),
    "missing": ("OTHER = 1\n", "cannot load {module}:REGISTRY: AttributeError"),
}


@pytest.mark.parametrize("problem", sorted(BAD_MODULES))
@pytest.mark.parametrize("command", ENGINE_COMMANDS)
def test_a_bad_registry_module_is_a_usage_error(
    command: str, problem: str, in_project_dir: Path, tmp_path: Path, dead_engine_url: str
) -> None:
    source, message = BAD_MODULES[problem]
    module = write_module(in_project_dir, source)
    args = command_args(command, "kbn-so-cli-unused", tmp_path, registry=f"{module}:REGISTRY")
    # the registry is loaded before the engine is needed
    result = run_cli(args, env={ENV_URL: dead_engine_url})
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Error: Invalid value for --registry: "), result.output
    assert message.format(module=module) in last


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("no_colon", "expected module:attribute"),
        (":REGISTRY", "expected module:attribute"),
        ("kbn_so_no_such_module_anywhere:REGISTRY", "ModuleNotFoundError"),
    ],
)
@pytest.mark.parametrize("command", ENGINE_COMMANDS)
def test_a_bad_registry_reference_is_a_usage_error(
    command: str, reference: str, message: str, tmp_path: Path, dead_engine_url: str
) -> None:
    args = command_args(command, "kbn-so-cli-unused", tmp_path, registry=reference)
    result = run_cli(args, env={ENV_URL: dead_engine_url})
    assert result.exit_code == 2, result.output
    assert message in result.output
