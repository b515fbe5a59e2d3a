"""``kbn-so engine start|stop|status``: the local OpenSearch node, for development and CI."""

from __future__ import annotations

import os
from pathlib import Path

import click

from kbn_saved_objects.engine.discovery import ENV_URL
from kbn_saved_objects.engine.local.node import (
    OPENSEARCH_VERSION,
    EngineState,
    LocalEngineError,
    LocalNode,
    http_get_json,
    process_alive,
    stop_detached,
)


def describe(url: str) -> str:
    """``OpenSearch 2.19.6`` (or Elasticsearch) as the server at ``url`` reports itself."""
    root = http_get_json(url, timeout=5)
    version = root.get("version", {})
    name = "OpenSearch" if version.get("distribution") == "opensearch" else "Elasticsearch"
    return f"{name} {version.get('number', '?')}"


def running_state() -> EngineState | None:
    state = EngineState.load()
    if state is not None and not process_alive(state.pid):
        EngineState.clear()
        return None
    return state


@click.group()
def engine() -> None:
    """Manage the local OpenSearch node (provisioned from Maven Central)."""


@engine.command()
@click.option("--port", type=int, default=None, help="HTTP port (default: a free one).")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Keep the node's data here (default: a temporary folder removed on stop).",
)
@click.option("--heap", default=None, help="JVM heap, e.g. 1g (default: KBN_SO_ENGINE_HEAP or 1g).")
@click.option("--version", "version", default=OPENSEARCH_VERSION, show_default=True)
def start(port: int | None, data_dir: Path | None, heap: str | None, version: str) -> None:
    """Start a detached node and print its URL."""
    state = running_state()
    if state is not None:
        click.echo(f"already running: {describe(state.url)} at {state.url} (pid {state.pid})")
        return
    node = LocalNode(version=version, data_dir=data_dir, port=port, heap=heap)
    try:
        url = node.start(attached=False)
    except LocalEngineError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"started {describe(url)} at {url} (pid {node.process.pid if node.process else '?'})"
    )
    click.echo(f"use it with: export {ENV_URL}={url}")


@engine.command()
def status() -> None:
    """Print the running engine's product and version; exit 1 if none runs."""
    url = os.environ.get(ENV_URL)
    state = running_state()
    if state is not None:
        click.echo(f"{describe(state.url)} at {state.url} (pid {state.pid}, data {state.data_dir})")
        return
    if url:
        click.echo(f"{describe(url)} at {url} (from {ENV_URL})")
        return
    click.echo("no local engine is running (start one with: kbn-so engine start)", err=True)
    raise SystemExit(1)


@engine.command()
def stop() -> None:
    """Stop the detached node started by ``kbn-so engine start``."""
    state = EngineState.load()
    if state is None:
        click.echo("no local engine is running")
        return
    stop_detached(state)
    click.echo(f"stopped the engine at {state.url} (pid {state.pid})")
