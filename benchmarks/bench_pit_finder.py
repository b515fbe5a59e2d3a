"""Point-in-time finder over N objects vs a raw PIT + search_after loop, same run.

Seeds N small saved objects of one multi-namespace type with the engine's bulk API, then
reads them all twice: with ``create_point_in_time_finder`` (pages of 1000, results built
as saved objects; the finder's default read-ahead, and without it for reference) and with
a plain loop over the client that opens a PIT and follows ``search_after`` on the same
sort, keeping the raw hits. Prints docs/s and the ratio
(target >= 0.9x) and writes ``benchmarks/results/pit_finder.json``.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from _common import index_name, save_results

from kbn_saved_objects.engine import Engine, flavors
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine.discovery import provide_engine
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry

INDEX = index_name("kbn-so-bench-pit")
TYPE = "dashboard"


def registry() -> SavedObjectTypeRegistry:
    reg = SavedObjectTypeRegistry()
    reg.register(
        SavedObjectsType(
            name=TYPE,
            namespace_type="multiple",
            mappings={"properties": {"title": {"type": "text"}, "description": {"type": "text"}}},
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
                    TYPE: {"title": f"Dashboard {i}", "description": "x" * 200},
                },
            )
            for i in range(start, min(start + 5000, count))
        )
        assert not engine.perform(rq.bulk(body, require_alias=True))["errors"]
    engine.perform(rq.refresh(index))


def ours(repo: SavedObjectsRepository, read_ahead: bool = True) -> int:
    seen = 0
    with repo.create_point_in_time_finder(type=TYPE, per_page=1000) as finder:
        for page in finder.find(read_ahead=read_ahead):
            seen += len(page.saved_objects)
    return seen


def raw_loop(engine: Engine, index: str) -> int:
    pit = engine.open_point_in_time(index, keep_alive="2m")
    sort: list[Any] = [{"updated_at": "desc"}, *flavors.point_in_time_tiebreaker(engine.info)]
    seen, after = 0, None
    while True:
        body: dict[str, Any] = {"size": 1000, "sort": sort, "pit": {"id": pit, "keep_alive": "2m"}}
        if after is not None:
            body["search_after"] = after
        hits = engine.perform(rq.search(body))["hits"]["hits"]
        seen += len(hits)
        if len(hits) < 1000:
            break
        after = hits[-1]["sort"]
    engine.close_point_in_time(pit)
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    provided = provide_engine()
    try:
        with Engine.connect(provided.url) as engine:
            repo = SavedObjectsRepository(
                engine, registry(), config=RepositoryConfig(default_index=INDEX)
            )
            seed(engine, repo, args.docs)
            index = repo.context.index_for(TYPE)
            best: dict[str, float] = {
                "raw PIT + search_after": 0.0,
                "point-in-time finder": 0.0,
                "point-in-time finder, no read-ahead": 0.0,
            }
            for _ in range(args.rounds):
                for name, run in (
                    ("raw PIT + search_after", lambda: raw_loop(engine, index)),
                    ("point-in-time finder", lambda: ours(repo)),
                    ("point-in-time finder, no read-ahead", lambda: ours(repo, read_ahead=False)),
                ):
                    start = time.perf_counter()
                    assert run() == args.docs, name
                    best[name] = max(best[name], args.docs / (time.perf_counter() - start))
            baseline = best["raw PIT + search_after"]
            print(f"{engine.info}, {args.docs} objects, pages of 1000, best of {args.rounds}")
            print(f"{'path':<26}{'docs/s':>12}{'ratio':>8}")
            for name, value in best.items():
                print(f"{name:<26}{value:>12,.0f}{value / baseline:>8.2f}")
            save_results(
                "pit_finder", {"engine": str(engine.info), "docs": args.docs, "docs_per_s": best}
            )
            for name in engine.perform(rq.get_index(f"{INDEX}*")):
                engine.perform(rq.delete_index(name))
    finally:
        provided.stop()


if __name__ == "__main__":
    main()
