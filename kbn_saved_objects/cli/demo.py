"""``kbn-so demo``: the README's main job, run against the local engine.

It shows the library end to end on a real engine: find or start an engine, register two
saved-object types, create their indices, write objects in two namespaces with one bulk
call, read them back, query them with KQL and page through all of them with the
point-in-time finder; then evolve the dashboard type with a model version and let the
index migrator rewrite the stored objects, and print what happened.
"""

from __future__ import annotations

import time
from typing import Any

import click

from kbn_saved_objects.cli._common import provide_cli_engine
from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.migrations.index import MigrationReport, check, migrate
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from kbn_saved_objects.repository.operations.bulk_create import BulkCreateObject
from kbn_saved_objects.types import (
    DataBackfill,
    MappingsAddition,
    ModelVersion,
    SavedObjectsType,
    SavedObjectTypeRegistry,
)

DEMO_INDEX = "kbn_so_demo"


DASHBOARD_MAPPINGS: dict[str, Any] = {
    "properties": {"title": {"type": "text"}, "panels": {"type": "integer"}}
}


def demo_registry(*, evolved: bool = False) -> SavedObjectTypeRegistry:
    """Version 1 of the demo types, or version 2 where dashboards gained a ``layout``
    field that existing objects get by backfill."""
    registry = SavedObjectTypeRegistry()
    mappings = DASHBOARD_MAPPINGS
    model_versions = None
    if evolved:
        mappings = {
            "properties": {**DASHBOARD_MAPPINGS["properties"], "layout": {"type": "keyword"}}
        }
        model_versions = {
            1: ModelVersion(
                changes=[
                    MappingsAddition(added_mappings={"layout": {"type": "keyword"}}),
                    DataBackfill(backfill_fn=lambda doc, ctx: {"attributes": {"layout": "grid"}}),
                ]
            )
        }
    registry.register(
        SavedObjectsType(
            name="dashboard",
            namespace_type="multiple",
            mappings=mappings,
            model_versions=model_versions,
        )
    )
    registry.register(
        SavedObjectsType(
            name="config",
            namespace_type="single",
            mappings={"properties": {"theme": {"type": "keyword"}}},
        )
    )
    return registry.freeze()


def describe(report: MigrationReport) -> str:
    return ", ".join(
        f"{r.prefix}: {r.status}"
        + (f" ({r.kind})" if r.kind else "")
        + f", {r.written} written, {r.elapsed_ms} ms"
        for r in report.results
    )


@click.command()
@click.option("--documents", default=1000, show_default=True, help="How many objects to write.")
def demo(documents: int) -> None:
    """Start (or find) an engine, then create, read, query and page saved objects."""
    started = time.monotonic()
    provided = provide_cli_engine(None, may_start=True)
    click.echo(f"engine: {provided.source} at {provided.url} ({time.monotonic() - started:.1f}s)")
    try:
        with Engine.connect(provided.url) as engine:
            click.echo(f"server: {engine.info}")
            run(engine, documents)
    finally:
        provided.stop()


def run(engine: Engine, documents: int) -> None:
    for name in engine.perform(rq.get_index(f"{DEMO_INDEX}*")):
        engine.perform(rq.delete_index(name))
    config = RepositoryConfig(default_index=DEMO_INDEX, index_suffix="_1.0.0")
    fresh = migrate(engine, demo_registry(), config=config)
    click.echo(f"index migrator, fresh install: {describe(fresh)}")
    repo = SavedObjectsRepository(engine, demo_registry(), config=config)
    t0 = time.monotonic()
    objects: list[BulkCreateObject] = [
        {
            "type": "dashboard",
            "id": f"d{i}",
            "attributes": {"title": f"Demo dashboard {i}", "panels": i % 7},
            "initial_namespaces": ["marketing"] if i % 2 else ["sales", "marketing"],
        }
        for i in range(documents)
    ]
    created = repo.bulk_create(objects, refresh=True)
    errors = [so for so in created.saved_objects if so.error]
    elapsed = time.monotonic() - t0
    click.echo(
        f"bulk_create: {documents - len(errors)} dashboards in one call "
        f"({documents / elapsed:,.0f} objects/s), {len(errors)} errors"
    )
    repo.create("config", {"theme": "dark"}, id="1.0.0", namespace="sales")
    one = repo.get("dashboard", "d0", namespace="sales")
    click.echo(f"get d0 from sales: {one.attributes['title']!r}, namespaces={one.namespaces}")
    try:
        repo.get("config", "1.0.0", namespace="marketing")
    except Exception as exc:  # the generic not-found rule, shown on purpose
        click.echo(f"get config from marketing: {type(exc).__name__}: {exc}")
    page = repo.find(
        type="dashboard",
        namespaces=["sales"],
        filter="dashboard.attributes.panels >= 5",
        sort_field="panels",
        sort_order="desc",
        per_page=3,
    )
    click.echo(
        f"find in sales, KQL 'panels >= 5': {page.total} matches, first "
        f"{[so.id for so in page.saved_objects]}"
    )
    seen = 0
    with repo.create_point_in_time_finder(type="dashboard", namespaces=["marketing"]) as finder:
        for batch in finder.find():
            seen += len(batch.saved_objects)
    click.echo(f"point-in-time finder over marketing: {seen} dashboards")

    upgraded_config = RepositoryConfig(default_index=DEMO_INDEX, index_suffix="_2.0.0")
    evolved = demo_registry(evolved=True)
    checks = check(engine, evolved, config=upgraded_config)
    click.echo(
        "release 2.0.0 adds dashboard.layout; before migrating: "
        + ", ".join(
            f"{c.prefix} up to date={c.up_to_date}, {c.outdated_documents} outdated documents"
            for c in checks
        )
    )
    upgrade = migrate(engine, evolved, config=upgraded_config)
    click.echo(f"index migrator, upgrade: {describe(upgrade)}")
    upgraded = SavedObjectsRepository(engine, evolved, config=upgraded_config)
    after = upgraded.get("dashboard", "d1", namespace="marketing")
    click.echo(
        f"d1 after the upgrade: layout={after.attributes.get('layout')!r}, "
        f"typeMigrationVersion={after.type_migration_version}"
    )
    again = migrate(engine, evolved, config=upgraded_config)
    click.echo(f"second run: {describe(again)}")
    for name in engine.perform(rq.get_index(f"{DEMO_INDEX}*")):
        engine.perform(rq.delete_index(name))
    click.echo(f"deleted the demo indices ({DEMO_INDEX}*)")
