"""Seeding and inspecting indices for the engine tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.mappings import EngineCapabilities, build_index_mappings
from kbn_saved_objects.migrations.index import MigrationOptions, MigrationReport, migrate
from kbn_saved_objects.repository import RepositoryConfig
from kbn_saved_objects.types import SavedObjectTypeRegistry

FAST = {"retry_base_delay": 0.01}


def config(prefix: str, version: str) -> RepositoryConfig:
    return RepositoryConfig(default_index=prefix, index_suffix=f"_{version}")


def run(
    engine: Engine,
    registry: SavedObjectTypeRegistry,
    prefix: str,
    version: str,
    transitions: list[str] | None = None,
    **options: Any,
) -> MigrationReport:
    def record(old: Any, new: Any, took: float) -> None:
        if transitions is not None:
            transitions.append(str(new.control_state))

    return migrate(
        engine,
        registry,
        config=config(prefix, version),
        options=MigrationOptions(**{**FAST, **options}),
        on_transition=record,
        raise_on_failure=False,
    )


def pause_at(stop_at: str) -> Callable[[Any, Any, float], None]:
    """For the migrator processes the kill tests start: an ``on_transition`` that prints
    each new state and, at the ``STATE[:N]``-th arrival in ``STATE``, prints ``PAUSED`` and
    stops dead (sleeps) so the parent can SIGKILL the process exactly there."""
    state_name, _, nth = stop_at.partition(":")
    wanted = int(nth or 1)
    seen = 0

    def on_transition(old: Any, new: Any, took: float) -> None:
        nonlocal seen
        print(new.control_state, flush=True)
        if str(new.control_state) == state_name:
            seen += 1
            if seen == wanted:
                print("PAUSED", flush=True)
                time.sleep(60)

    return on_transition


def seed(engine: Engine, index: str, docs: list[tuple[str, dict[str, Any]]]) -> None:
    answer = engine.perform(
        rq.bulk([({"index": {"_id": doc_id}}, source) for doc_id, source in docs], index=index)
    )
    assert not answer["errors"], answer
    engine.perform(rq.refresh(index))


def widgets(n: int, *, start: int = 0) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"widget:w{i}", {"type": "widget", "widget": {"title": f"title {i}"}, "references": []})
        for i in range(start, start + n)
    ]


def all_docs(engine: Engine, index: str) -> dict[str, dict[str, Any]]:
    engine.perform(rq.refresh(index))
    body = engine.perform(rq.search({"size": 10000, "query": {"match_all": {}}}, index=index))
    return {hit["_id"]: hit["_source"] for hit in body["hits"]["hits"]}


def aliases(engine: Engine, prefix: str) -> dict[str, list[str]]:
    """index -> sorted aliases, for every index under ``prefix``."""
    found = engine.perform(rq.get_index(f"{prefix}*"))
    return {name: sorted(body.get("aliases", {})) for name, body in found.items()}


def target_mappings(
    engine: Engine, registry: SavedObjectTypeRegistry, prefix: str
) -> dict[str, Any]:
    """What the migrator should leave on the index of a single-index registry."""
    capabilities = EngineCapabilities(supports_version_field=engine.info.supports_version_field)
    mappings = build_index_mappings(registry, capabilities=capabilities, main_index=prefix)
    return mappings[prefix]
