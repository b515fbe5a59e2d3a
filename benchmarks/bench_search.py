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
* ``scan``: a point-in-time + ``search_after`` walk over every object in pages of 1000;
* ``find``: ``repository.find`` of one page of 1000 objects matching a simple-query-string
  search, against the very request ``find`` sends (taken from its operation) performed
  raw -- the library's cost of building the body and reading the page into saved objects.

The raw and ``search`` paths take turns query by query (page by page for the walks), so a
change of load on the machine weighs on both alike.

Prints queries/s or docs/s per path and the ratio ``search`` (or ``find``) / raw (target
>= 0.9x for a page, issue #20) and writes ``benchmarks/results/search.json``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from typing import Any

from _common import index_name, save_results

from kbn_saved_objects.engine import Engine, flavors
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine.discovery import provide_engine
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from kbn_saved_objects.repository.operations import find as find_op
from kbn_saved_objects.repository.operations.find import FindOptions
from kbn_saved_objects.search.query import single_type_clause
from kbn_saved_objects.search.raw_search import scoped_query
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry

INDEX = index_name("kbn-so-bench-search")
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
FIND: FindOptions = {
    "type": TYPE,
    "search": "dashboard",
    "search_fields": ["title"],
    "per_page": 1000,
    "namespaces": ["default"],
}
AGGS = {
    "size": 0,
    "aggs": {
        "kinds": {"terms": {"field": f"{TYPE}.kind", "size": 50}},
        "distinct": {"cardinality": {"field": f"{TYPE}.kind"}},
    },
}


def scoped(registry: SavedObjectTypeRegistry, body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with the type and namespace filter ``search`` adds, built by the same
    functions: sent raw, it shows what the filter costs the engine apart from the
    library's own work."""
    clause = single_type_clause(registry, TYPE, ["default"])
    scope = {"bool": {"should": [clause], "minimum_should_match": 1}}
    return {**body, "query": scoped_query(body.get("query"), scope)}


def scan_pages(
    search: Callable[[dict[str, Any]], dict[str, Any]], engine: Engine, index: str
) -> Iterator[int]:
    """A point-in-time walk over every object, one page (its hit count) per step."""
    pit = engine.open_point_in_time(index, keep_alive="2m")
    sort: list[Any] = [{"updated_at": "asc"}, *flavors.point_in_time_tiebreaker(engine.info)]
    after = None
    try:
        while True:
            body: dict[str, Any] = {
                "size": 1000,
                "sort": sort,
                "pit": {"id": pit, "keep_alive": "2m"},
            }
            if after is not None:
                body["search_after"] = after
            hits = search(body)["hits"]["hits"]
            yield len(hits)
            if len(hits) < 1000:
                return
            after = hits[-1]["sort"]
    finally:
        engine.close_point_in_time(pit)


def in_turns(steps: dict[str, Iterator[int]]) -> dict[str, tuple[float, int]]:
    """Run the step iterators in turn, one step each; seconds and items per name. Taking
    turns makes a change of load on the machine weigh on every path alike."""
    spent = {name: (0.0, 0) for name in steps}
    live = dict(steps)
    while live:
        for name in list(live):
            started = time.perf_counter()
            items = next(live[name], None)
            seconds = time.perf_counter() - started
            if items is None:
                del live[name]
                continue
            total, count = spent[name]
            spent[name] = (total + seconds, count + items)
    return spent


def repeated(run: Callable[[], Any], repeat: int) -> Iterator[int]:
    for _ in range(repeat):
        run()
        yield 1


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

            page = min(1000, args.docs)
            assert len(ours(PAGE)["hits"]["hits"]) == len(raw(PAGE)["hits"]["hits"]) == page
            scoped_page = scoped(repo.context.registry, PAGE)
            find_request = next(find_op.find(repo.context, FIND))
            assert len(repo.find(**FIND).saved_objects) == page
            names = (
                "page raw",
                "page search",
                "page scoped-raw",
                "find raw",
                "find repository",
                "aggs raw",
                "aggs search",
                "scan raw",
                "scan search",
            )
            best = dict.fromkeys(names, 0.0)
            for _ in range(args.rounds):
                measured = in_turns(
                    {
                        "page raw": repeated(lambda: raw(PAGE), args.repeat),
                        "page search": repeated(lambda: ours(PAGE), args.repeat),
                        "page scoped-raw": repeated(lambda: raw(scoped_page), args.repeat),
                    }
                )
                measured |= in_turns(
                    {
                        "find raw": repeated(lambda: engine.perform(find_request), args.repeat),
                        "find repository": repeated(lambda: repo.find(**FIND), args.repeat),
                    }
                )
                measured |= in_turns(
                    {
                        "aggs raw": repeated(lambda: raw(AGGS), args.repeat),
                        "aggs search": repeated(lambda: ours(AGGS), args.repeat),
                    }
                )
                measured |= in_turns(
                    {
                        "scan raw": scan_pages(raw, engine, index),
                        "scan search": scan_pages(ours, engine, index),
                    }
                )
                assert measured["scan raw"][1] == measured["scan search"][1] == args.docs
                for name, (seconds, count) in measured.items():
                    best[name] = max(best[name], count / seconds)
            print(f"{engine.info}, {args.docs} objects, best of {args.rounds}")
            print(f"{'path':<14}{'rate':>14}{'vs raw':>8}  unit")
            ratios: dict[str, float] = {}
            for name, value in best.items():
                kind, path = name.split()
                ratio = ""
                if path in ("search", "repository", "scoped-raw"):
                    key = f"{kind} {path}" if path == "scoped-raw" else kind
                    ratios[key] = value / best[f"{kind} raw"]
                    ratio = f"{ratios[key]:.2f}"
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
