"""Every ``kbn-so`` command finds its engine in one order (issue 13, item 5):
``--url``, then ``KBN_SO_ENGINE_URL``, then the node of ``kbn-so engine start``; none
of them starts a node of its own except ``kbn-so demo``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
import pytest

from kbn_saved_objects.cli import _common
from kbn_saved_objects.engine import discovery
from kbn_saved_objects.engine.discovery import ENV_URL, ProvidedEngine
from tests.cli.conftest import ENGINE_COMMANDS, command_args, run_cli

pytestmark = pytest.mark.engine

SUCCESS = {"migrate check": {0, 3}}  # 3: the check found work to do, which is an answer


def assert_answered(command: str, exit_code: int, output: str) -> None:
    assert exit_code in SUCCESS.get(command, {0}), output


@pytest.fixture(autouse=True)
def never_start_a_node(monkeypatch: pytest.MonkeyPatch) -> None:
    """Starting a node here would be the bug (and take minutes): fail instead."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a command other than demo tried to start a node")

    monkeypatch.setattr(discovery, "LocalNode", refuse)


@pytest.mark.parametrize("command", ENGINE_COMMANDS)
def test_environment_url_comes_before_a_recorded_node(
    command: str,
    kbn_engine_url: str,
    migrated_prefix: str,
    dead_engine_url: str,
    record_node: Callable[[str], None],
    tmp_path: Path,
) -> None:
    record_node(dead_engine_url)
    result = run_cli(
        command_args(command, migrated_prefix, tmp_path), env={ENV_URL: kbn_engine_url}
    )
    assert_answered(command, result.exit_code, result.output)


@pytest.mark.parametrize("command", ENGINE_COMMANDS)
def test_recorded_node_without_environment_url(
    command: str,
    kbn_engine_url: str,
    migrated_prefix: str,
    record_node: Callable[[str], None],
    tmp_path: Path,
) -> None:
    record_node(kbn_engine_url)
    result = run_cli(command_args(command, migrated_prefix, tmp_path), env={ENV_URL: None})
    assert_answered(command, result.exit_code, result.output)


@pytest.mark.parametrize("command", ENGINE_COMMANDS)
def test_url_option_comes_first(
    command: str,
    kbn_engine_url: str,
    migrated_prefix: str,
    dead_engine_url: str,
    record_node: Callable[[str], None],
    tmp_path: Path,
) -> None:
    record_node(dead_engine_url)
    args = [*command_args(command, migrated_prefix, tmp_path), "--url", kbn_engine_url]
    result = run_cli(args, env={ENV_URL: dead_engine_url})
    assert_answered(command, result.exit_code, result.output)


@pytest.mark.parametrize("command", ENGINE_COMMANDS)
def test_no_engine_is_a_clean_error_and_starts_none(command: str, tmp_path: Path) -> None:
    result = run_cli(command_args(command, "kbn-so-cli-none", tmp_path), env={ENV_URL: None})
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines()[-1] == (
        f"Error: no engine: pass --url, set {ENV_URL}, or start one with `kbn-so engine start`"
    )


def test_only_demo_may_start_a_node(monkeypatch: pytest.MonkeyPatch) -> None:
    """``provide_cli_engine(may_start=True)`` hands over to ``provide_engine``, which
    starts a node when nothing runs; without it, nothing is started."""
    started = ProvidedEngine("http://127.0.0.1:1", "a started node", lambda: None)
    monkeypatch.delenv(ENV_URL, raising=False)
    monkeypatch.setattr(_common, "provide_engine", lambda: started)
    assert _common.provide_cli_engine(None, may_start=True) is started
    with pytest.raises(click.ClickException, match="no engine"):
        _common.provide_cli_engine(None)
    given = _common.provide_cli_engine("http://example:9200/")
    assert (given.url, given.source) == ("http://example:9200", "--url")
