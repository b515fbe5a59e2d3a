"""Pure-Python cost per object of the repository's bulk paths, without an engine.

Each operation is driven offline (``run_offline``) with canned engine answers shaped like
OpenSearch's, recorded once per path, so the figure is the library's own work per object
(building requests, serializing, migration checks, result shaping) and does not depend on
the engine's speed or load. The objects are the ones ``bench_repository_bulk.py`` and
``bench_pit_finder.py`` use (a single-namespace ``dashboard`` of three attributes).

    .venv/bin/python benchmarks/profile_repository_python.py [--objects 1000] [--profile bulk_get]

Prints microseconds per object (best of ``--rounds``) per path; ``--profile PATH`` prints
a cProfile excerpt of that path instead.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections.abc import Callable
from typing import Any

from bench_repository_bulk import DASHBOARD, NOW, TYPE, attributes

from kbn_saved_objects.engine.flavors import EngineInfo
from kbn_saved_objects.migrations import DocumentMigrator
from kbn_saved_objects.repository.config import RepositoryConfig
from kbn_saved_objects.repository.context import MigratorHooks, RepositoryContext
from kbn_saved_objects.repository.operation import run_offline
from kbn_saved_objects.repository.operations.bulk_create import bulk_create
from kbn_saved_objects.repository.operations.bulk_get import bulk_get
from kbn_saved_objects.repository.operations.bulk_update import bulk_update
from kbn_saved_objects.repository.operations.find import find
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry

PIT_TYPE = "pit-dashboard"  # as bench_pit_finder.py seeds it: multi-namespace, no version fields
INDEX = "kbn-so-profile_9.0.0_001"


def registry() -> SavedObjectTypeRegistry:
    types = SavedObjectTypeRegistry()
    types.register(DASHBOARD)
    types.register(
        SavedObjectsType(
            name=PIT_TYPE,
            namespace_type="multiple",
            mappings={"properties": {"title": {"type": "text"}, "description": {"type": "text"}}},
        )
    )
    return types.freeze()


def context() -> RepositoryContext:
    types = registry()
    config = RepositoryConfig(default_index="kbn-so-profile", clock=lambda: NOW)
    return RepositoryContext(
        types, config, EngineInfo("opensearch", "2.19.6"), MigratorHooks(DocumentMigrator(types))
    )


def source(i: int) -> dict[str, Any]:
    """What bulk_create stores for object ``i``."""
    return {
        TYPE: attributes(i),
        "type": TYPE,
        "references": [],
        "managed": False,
        "coreMigrationVersion": "8.8.0",
        "updated_at": NOW,
        "created_at": NOW,
    }


def hit(i: int) -> dict[str, Any]:
    return {
        "_index": INDEX,
        "_id": f"{TYPE}:bench-{i}",
        "_version": 1,
        "_seq_no": i,
        "_primary_term": 1,
        "found": True,
        "_source": source(i),
    }


def search_hit(i: int) -> dict[str, Any]:
    return {
        "_index": INDEX,
        "_id": f"{TYPE}:bench-{i}",
        "_score": None,
        "_seq_no": i,
        "_primary_term": 1,
        "_source": source(i),
        "sort": [i],
    }


def pit_hit(i: int) -> dict[str, Any]:
    return {
        "_index": INDEX,
        "_id": f"{PIT_TYPE}:d{i}",
        "_score": None,
        "_seq_no": i,
        "_primary_term": 1,
        "_source": {
            "type": PIT_TYPE,
            "namespaces": ["default"],
            "updated_at": f"2026-01-01T00:00:{i % 60:02d}.000Z",
            "references": [],
            PIT_TYPE: {"title": f"Dashboard {i}", "description": "x" * 200},
        },
        "sort": [1767225600000 + i % 60, i],
    }


def paths(ctx: RepositoryContext, n: int) -> dict[str, Callable[[], Any]]:
    """Each path as a thunk running one operation over ``n`` objects offline."""
    objects = [{"type": TYPE, "id": f"bench-{i}"} for i in range(n)]
    mget = {"docs": [hit(i) for i in range(n)]}
    found = {
        "took": 3,
        "timed_out": False,
        "hits": {
            "total": {"value": n, "relation": "eq"},
            "hits": [search_hit(i) for i in range(n)],
        },
    }
    pit_found = {
        "took": 3,
        "timed_out": False,
        "hits": {"total": {"value": n, "relation": "eq"}, "hits": [pit_hit(i) for i in range(n)]},
    }
    creates = [{"type": TYPE, "id": f"bench-{i}", "attributes": attributes(i)} for i in range(n)]
    created = {
        "took": 5,
        "errors": False,
        "items": [
            {
                "create": {
                    "_index": INDEX,
                    "_id": f"{TYPE}:bench-{i}",
                    "_version": 1,
                    "result": "created",
                    "_seq_no": i,
                    "_primary_term": 1,
                    "status": 201,
                }
            }
            for i in range(n)
        ],
    }
    updates = [{"type": TYPE, "id": f"bench-{i}", "attributes": {"count": i + 1}} for i in range(n)]
    updated = {
        "took": 5,
        "errors": False,
        "items": [
            {
                "index": {
                    "_index": INDEX,
                    "_id": f"{TYPE}:bench-{i}",
                    "_version": 2,
                    "result": "updated",
                    "_seq_no": n + i,
                    "_primary_term": 1,
                    "status": 200,
                }
            }
            for i in range(n)
        ],
    }

    def run(operation: Any, answers: list[Any]) -> Any:
        result, _ = run_offline(operation, list(answers))
        return result

    return {
        "bulk_get": lambda: run(bulk_get(ctx, objects, {}), [mget]),  # type: ignore[arg-type]
        "find": lambda: run(find(ctx, {"type": TYPE, "per_page": n}), [found]),  # type: ignore[arg-type]
        "find_unstamped": lambda: run(
            find(ctx, {"type": PIT_TYPE, "per_page": n}),  # type: ignore[arg-type]
            [pit_found],
        ),
        "bulk_create": lambda: run(
            bulk_create(ctx, creates, {"refresh": False}),  # type: ignore[arg-type]
            [created],
        ),
        "bulk_update": lambda: run(
            bulk_update(ctx, updates, {"refresh": False}),  # type: ignore[arg-type]
            [mget, updated],
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--objects", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--profile", default=None)
    args = parser.parse_args()
    ctx = context()
    runs = paths(ctx, args.objects)
    for thunk in runs.values():
        thunk()  # warm caches, check that every path runs
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.rounds):
            runs[args.profile]()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(18)
        return
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(args.rounds):
        for name, thunk in runs.items():
            start = time.process_time()
            thunk()
            best[name] = min(best[name], time.process_time() - start)
    for name, seconds in best.items():
        print(f"{name:<18}{seconds / args.objects * 1e6:8.2f} us/object")


if __name__ == "__main__":
    main()
