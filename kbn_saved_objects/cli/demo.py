"""``kbn-so demo``: the README's main job, run against the local engine.

It shows the library end to end on a real engine: find or start an engine, create an
index through the engine layer, write documents in one bulk call, read them back, and
print what happened. Later capabilities (repository, migrations) grow it.
"""

from __future__ import annotations

import time

import click

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine.discovery import EngineSetupError, provide_engine

DEMO_INDEX = "kbn-so-demo"


@click.command()
@click.option("--documents", default=1000, show_default=True, help="How many documents to write.")
def demo(documents: int) -> None:
    """Start (or find) an engine, write and read back saved-object documents."""
    started = time.monotonic()
    try:
        provided = provide_engine()
    except EngineSetupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"engine: {provided.source} at {provided.url} ({time.monotonic() - started:.1f}s)")
    try:
        with Engine.connect(provided.url) as engine:
            click.echo(f"server: {engine.info}")
            run(engine, documents)
    finally:
        provided.stop()


def run(engine: Engine, documents: int) -> None:
    if engine.perform(rq.index_exists(DEMO_INDEX)):
        engine.perform(rq.delete_index(DEMO_INDEX))
    engine.perform(
        rq.create_index(
            DEMO_INDEX,
            mappings={
                "dynamic": "strict",
                "properties": {
                    "type": {"type": "keyword"},
                    "namespaces": {"type": "keyword"},
                    "updated_at": {"type": "date"},
                    "dashboard": {"properties": {"title": {"type": "text"}}},
                },
            },
            settings={"number_of_shards": 1, "auto_expand_replicas": "0-1"},
        )
    )
    click.echo(f"created index {DEMO_INDEX}")
    t0 = time.monotonic()
    body = rq.bulk_body(
        (
            {"index": {"_index": DEMO_INDEX, "_id": f"dashboard:demo-{i}"}},
            {
                "type": "dashboard",
                "namespaces": ["default"],
                "updated_at": "2026-11-29T00:00:00.000Z",
                "dashboard": {"title": f"Demo dashboard {i}"},
            },
        )
        for i in range(documents)
    )
    result = engine.perform(rq.bulk(body, refresh=True))
    elapsed = time.monotonic() - t0
    if result["errors"]:
        raise click.ClickException("some documents were not written")
    click.echo(f"wrote {documents} documents in one bulk call ({documents / elapsed:,.0f} docs/s)")
    got = engine.perform(rq.get_document(DEMO_INDEX, "dashboard:demo-0"))
    click.echo(f"read back dashboard:demo-0 -> {got['_source']['dashboard']['title']!r}")
    page = engine.perform(
        rq.search(
            {"query": {"match": {"dashboard.title": "dashboard 7"}}, "size": 3},
            index=DEMO_INDEX,
        )
    )
    total = engine.perform(rq.count(DEMO_INDEX))["count"]
    click.echo(
        f"count: {total}; search 'dashboard 7' -> {[h['_id'] for h in page['hits']['hits']]}"
    )
    engine.perform(rq.delete_index(DEMO_INDEX))
    click.echo(f"deleted index {DEMO_INDEX}")
