"""``search`` vs a raw search of the same body, over N objects, same run.

Seeds N small saved objects of one multi-namespace type, shaped as the repository
writes them, all in the default space (so
the scope filter ``search`` adds removes nothing and both paths return the same hits),
then times three bodies through ``repository.search`` and through a raw ``_search`` of
the same body on the same index, sent over the library's engine layer (pooled
connections, orjson: the fastest client on this machine, so the strictest baseline):

* ``page``: a ``match`` query returning a page of 1000 whole hits (the hits are
  migrated on read by ``search``; the raw path returns them as stored);
* ``aggs``: ``size: 0`` with a ``terms`` and a ``cardinality`` aggregation over
  attributes (no hits to read: the cost is the wrapper and the filter);
* ``scan``: a point-in-time + ``search_after`` walk over every object in pages of 1000.

Prints queries/s or docs/s per path and the ratio ``search`` / raw (target >= 0.9x) and
writes ``benchmarks/results/search.json``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from _common import save_results

from kbn_saved_objects.engine import Engine, flavors
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine.discovery import provide_engine
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry

INDEX = "kbn-so-bench-search"
TYPE = "dashboard"


def registry() -> SavedObjectTypeRegistry:
    reg = SavedObjectTypeRegistry()
    reg.register(
        SavedObjectsType(
            name=TYPE,
            namespace_type="multiple",
            mappings={
                "properties": {
                    "title": {"type": "text"},
                    "kind": {"type": "keyword"},
                    "description": {"type": "text"},
                }
            },
        )
    )
    return reg.freeze()


def seed(engine: Engine, repo: SavedObjectsRepository, count: int) -> None:
    for name in engine.perform(rq.get_index(f"{INDEX}*")):
        engine.perform(rq.delete_index(name))
    repo.setup_indices()
    index = repo.context.index_for(TYPE)
    for start in range(0, count, 5000):
        body = rq.bulk_body(
            (
                {"index": {"_index": index, "_id": f"{TYPE}:d{i}"}},
                {
                    "type": TYPE,
                    "namespaces": ["default"],
                    "updated_at": f"2026-01-01T00:00:{i % 60:02d}.000Z",
                    "references": [],
                    "managed": False,
                    "coreMigrationVersion": "8.8.0",
                    TYPE: {
                        "title": f"Dashboard {i}",
                        "kind": f"k{i % 50}",
                        "description": "x" * 200,
                    },
                },
            )
            for i in range(start, min(start + 5000, count))
        )
        assert not engine.perform(rq.bulk(body, require_alias=True))["errors"]
    engine.perform(rq.refresh(index))


PAGE = {"query": {"match": {f"{TYPE}.title": "dashboard"}}, "size": 1000}
AGGS = {
    "size": 0,
    "aggs": {
        "kinds": {"terms": {"field": f"{TYPE}.kind", "size": 50}},
        "distinct": {"cardinality": {"field": f"{TYPE}.kind"}},
    },
}


def scan(search: Callable[[dict[str, Any]], dict[str, Any]], engine: Engine, index: str) -> int:
    pit = engine.open_point_in_time(index, keep_alive="2m")
    sort: list[Any] = [{"updated_at": "asc"}, *flavors.point_in_time_tiebreaker(engine.info)]
    seen, after = 0, None
    while True:
        body: dict[str, Any] = {"size": 1000, "sort": sort, "pit": {"id": pit, "keep_alive": "2m"}}
        if after is not None:
            body["search_after"] = after
        hits = search(body)["hits"]["hits"]
        seen += len(hits)
        if len(hits) < 1000:
            break
        after = hits[-1]["sort"]
    engine.close_point_in_time(pit)
    return seen


def timed(run: Callable[[], Any], repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        run()
    return repeat / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=20, help="queries per timing of page/aggs")
    args = parser.parse_args()
    provided = provide_engine()
    try:
        with Engine.connect(provided.url) as engine:
            repo = SavedObjectsRepository(
                engine, registry(), config=RepositoryConfig(default_index=INDEX)
            )
            seed(engine, repo, args.docs)
            index = repo.context.index_for(TYPE)

            def raw(body: dict[str, Any]) -> dict[str, Any]:
                answer: dict[str, Any] = engine.perform(
                    rq.search(body, index=None if "pit" in body else index)
                )
                return answer

            def ours(body: dict[str, Any]) -> dict[str, Any]:
                return repo.search(TYPE, body, namespaces=["default"])

            assert len(ours(PAGE)["hits"]["hits"]) == len(raw(PAGE)["hits"]["hits"]) == 1000
            paths: dict[str, Callable[[], Any]] = {
                "page raw": lambda: raw(PAGE),
                "page search": lambda: ours(PAGE),
                "aggs raw": lambda: raw(AGGS),
                "aggs search": lambda: ours(AGGS),
            }
            best = dict.fromkeys([*paths, "scan raw", "scan search"], 0.0)
            for _ in range(args.rounds):
                for name, run in paths.items():
                    best[name] = max(best[name], timed(run, args.repeat))
                for name, search in (("scan raw", raw), ("scan search", ours)):
                    start = time.perf_counter()
                    assert scan(search, engine, index) == args.docs, name
                    best[name] = max(best[name], args.docs / (time.perf_counter() - start))
            print(f"{engine.info}, {args.docs} objects, best of {args.rounds}")
            print(f"{'path':<14}{'rate':>14}{'vs raw':>8}  unit")
            ratios: dict[str, float] = {}
            for name, value in best.items():
                kind, path = name.split()
                ratio = ""
                if path == "search":
                    ratios[kind] = value / best[f"{kind} raw"]
                    ratio = f"{ratios[kind]:.2f}"
                unit = "docs/s" if kind == "scan" else "queries/s"
                print(f"{name:<14}{value:>14,.1f}{ratio:>8}  {unit}")
            save_results(
                "search",
                {"engine": str(engine.info), "docs": args.docs, "rates": best, "ratio": ratios},
            )
            for name in engine.perform(rq.get_index(f"{INDEX}*")):
                engine.perform(rq.delete_index(name))
    finally:
        provided.stop()


if __name__ == "__main__":
    main()
