"""``kbn-so engine start|stop|status``: the local OpenSearch node or cluster, for development
and CI.

Every failure a user can cause or meet (an engine that does not answer, a node killed
behind our back, a version we cannot run) ends in one line on stderr and exit code 1.
"""

from __future__ import annotations

import os
import urllib.error
from pathlib import Path

import click

from kbn_saved_objects.cli._common import EngineUnreachableError
from kbn_saved_objects.engine.discovery import ENV_URL
from kbn_saved_objects.engine.local.node import (
    ENV_VERSION,
    OPENSEARCH_VERSION,
    EngineState,
    LocalCluster,
    LocalEngineError,
    LocalNode,
    default_version,
    http_get_json,
    stop_detached,
)


class EngineUnreachable(EngineUnreachableError):
    """The engine at a URL did not answer ``GET /``: one line, exit 4 as for every
    command whose engine does not answer."""


def describe(url: str) -> str:
    """``OpenSearch 2.19.6`` (or Elasticsearch) as the server at ``url`` reports itself."""
    try:
        root = http_get_json(url, timeout=5)
    except urllib.error.HTTPError as exc:
        raise EngineUnreachable(f"the engine at {url} answered HTTP {exc.code}") from exc
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise EngineUnreachable(f"no engine answers at {url} ({reason})") from exc
    version = root.get("version", {}) if isinstance(root, dict) else {}
    name = "OpenSearch" if version.get("distribution") == "opensearch" else "Elasticsearch"
    return f"{name} {version.get('number', '?')}"


def running_state() -> EngineState | None:
    """The recorded detached engine if at least one of its nodes is alive (else ``None``;
    the record itself is left for :func:`reap_dead_state` or ``stop`` to clean)."""
    state = EngineState.load()
    if state is not None and not state.alive_pids():
        return None
    return state


def reap_dead_state() -> str | None:
    """If the recorded engine died (every node SIGKILLed or crashed), clean up after it as
    ``stop`` would (its temporary data folder too) and say what was cleaned."""
    state = EngineState.load()
    if state is None or state.alive_pids():
        return None
    stop_detached(state)
    kept = "removed" if state.remove_data else "kept"
    return (
        f"the engine recorded at {state.url} (pid {', '.join(map(str, state.all_pids))}) "
        f"is no longer running; its record was cleared and its data folder "
        f"{state.data_dir} {kept}"
    )


@click.group()
def engine() -> None:
    """Manage the local OpenSearch node or cluster (provisioned from Maven Central)."""


@engine.command()
@click.option("--port", type=int, default=None, help="HTTP port (default: a free one).")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Keep the node's data here (default: a temporary folder removed on stop).",
)
@click.option(
    "--heap",
    default=None,
    help="JVM heap per node, e.g. 1g (default: KBN_SO_ENGINE_HEAP, else 1g for one node "
    "and 512m per node of a cluster).",
)
@click.option(
    "--version",
    "version",
    default=None,
    help=f"OpenSearch version: a full one (2.19.6, 3.9.0) or a major (2, 3) for the newest "
    f"known. Default: {ENV_VERSION}, else {OPENSEARCH_VERSION}. 3.x needs Java 21+.",
)
@click.option(
    "--nodes",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Start a cluster of this many nodes on loopback.",
)
def start(
    port: int | None, data_dir: Path | None, heap: str | None, version: str | None, nodes: int
) -> None:
    """Start a detached node (or cluster) and print its URL."""
    note = reap_dead_state()
    if note:
        click.echo(note, err=True)
    state = running_state()
    if state is not None:
        click.echo(f"already running: {describe(state.url)} at {state.url} (pid {state.pid})")
        return
    try:
        version = version or default_version()
        server: LocalNode | LocalCluster
        if nodes == 1:
            server = LocalNode(version=version, data_dir=data_dir, port=port, heap=heap)
        else:
            server = LocalCluster(nodes, version=version, data_dir=data_dir, port=port, heap=heap)
        url = server.start(attached=False)
    except LocalEngineError as exc:
        raise click.ClickException(str(exc)) from exc
    pids = ", ".join(str(pid) for pid in server.state().all_pids)
    what = f"a {nodes}-node cluster of " if nodes > 1 else ""
    click.echo(f"started {what}{describe(url)} at {url} (pid {pids})")
    click.echo(f"use it with: export {ENV_URL}={url}")


@engine.command()
def status() -> None:
    """Print the engine's product and version; exit 1 if none runs, 4 if it does not answer.

    ``KBN_SO_ENGINE_URL`` comes first, as for every other command; a recorded local
    engine is reported too.
    """
    url = os.environ.get(ENV_URL)
    if url:
        click.echo(f"{describe(url)} at {url} (from {ENV_URL})")
    note = reap_dead_state()
    if note:
        click.echo(note, err=True)
    state = running_state()
    if state is not None:
        alive = state.alive_pids()
        nodes = len(state.all_pids)
        where = state.live_url() or state.url
        size = f", {len(alive)} of {nodes} nodes running" if nodes > 1 else ""
        click.echo(
            f"{describe(where)} at {where} (pid {', '.join(map(str, alive))}{size}, "
            f"data {state.data_dir})"
        )
        return
    if url:
        return
    click.echo("no local engine is running (start one with: kbn-so engine start)", err=True)
    raise SystemExit(1)


@engine.command()
def stop() -> None:
    """Stop the detached node or cluster started by ``kbn-so engine start``."""
    state = EngineState.load()
    if state is None:
        click.echo("no local engine is running")
        return
    stop_detached(state)
    click.echo(f"stopped the engine at {state.url} (pid {', '.join(map(str, state.all_pids))})")
