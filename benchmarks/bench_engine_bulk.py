"""Bulk indexing through the engine layer vs the raw client's bulk helper, same run.

Prints a table and writes ``benchmarks/results/engine_bulk.json``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from typing import Any

from _common import index_name, save_results

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine.discovery import provide_engine

INDEX = index_name("kbn-so-bench-bulk")
MAPPINGS = {
    "dynamic": False,
    "properties": {"type": {"type": "keyword"}, "updated_at": {"type": "date"}},
}


def documents(count: int) -> Iterator[tuple[str, dict[str, Any]]]:
    for i in range(count):
        yield (
            f"dashboard:bench-{i}",
            {
                "type": "dashboard",
                "updated_at": "2026-11-29T00:00:00.000Z",
                "references": [{"name": "panel_0", "type": "visualization", "id": f"v{i}"}],
                "dashboard": {
                    "title": f"Dashboard {i}",
                    "description": "x" * 400,
                    "panelsJSON": '[{"panelIndex":"1","gridData":{"x":0,"y":0,"w":24,"h":15}}]',
                },
            },
        )


def reset(engine: Engine) -> None:
    if engine.perform(rq.index_exists(INDEX)):
        engine.perform(rq.delete_index(INDEX))
    engine.perform(
        rq.create_index(
            INDEX,
            mappings=MAPPINGS,
            settings={"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "-1"},
        )
    )


def ours(engine: Engine, count: int, batch: int) -> None:
    docs = documents(count)
    while True:
        chunk = [
            ({"index": {"_index": INDEX, "_id": doc_id}}, source)
            for doc_id, source in (next(docs, (None, None)) for _ in range(batch))
            if doc_id is not None and source is not None
        ]
        if not chunk:
            return
        result = engine.perform(rq.bulk(rq.bulk_body(chunk)))
        assert not result["errors"]


def raw_helper(url: str, engine: Engine, count: int, batch: int) -> None:
    actions = ({"_index": INDEX, "_id": doc_id, "_source": src} for doc_id, src in documents(count))
    if engine.info.is_opensearch:
        from opensearchpy import OpenSearch, helpers

        os_client = OpenSearch(hosts=[url])
        helpers.bulk(os_client, actions, chunk_size=batch, max_chunk_bytes=100 * 2**20)
        os_client.close()
    else:
        from elasticsearch import Elasticsearch
        from elasticsearch import helpers as es_helpers

        es_client = Elasticsearch(url)
        es_helpers.bulk(es_client, actions, chunk_size=batch, max_chunk_bytes=100 * 2**20)
        es_client.close()


def timed(label: str, engine: Engine, count: int, run: Callable[[], None]) -> float:
    reset(engine)
    started = time.perf_counter()
    run()
    elapsed = time.perf_counter() - started
    engine.perform(rq.refresh(INDEX))
    written = engine.perform(rq.count(INDEX))["count"]
    assert written == count, (label, written)
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    provided = provide_engine()
    try:
        with Engine.connect(provided.url) as engine:
            rates: dict[str, list[float]] = {"engine layer": [], "client helpers.bulk": []}
            for _ in range(args.rounds):
                rates["client helpers.bulk"].append(
                    timed(
                        "raw",
                        engine,
                        args.docs,
                        lambda: raw_helper(provided.url, engine, args.docs, args.batch),
                    )
                )
                rates["engine layer"].append(
                    timed("ours", engine, args.docs, lambda: ours(engine, args.docs, args.batch))
                )
            engine.perform(rq.delete_index(INDEX))
            best = {name: max(values) for name, values in rates.items()}
            baseline = best["client helpers.bulk"]
            print(f"{engine.info}, {args.docs} docs, batch {args.batch}, best of {args.rounds}")
            print(f"{'path':<22}{'docs/s':>12}{'ratio':>8}")
            for name, rate in best.items():
                print(f"{name:<22}{rate:>12,.0f}{rate / baseline:>8.2f}")
            save_results(
                "engine_bulk", {"engine": str(engine.info), "docs": args.docs, "docs_per_s": best}
            )
    finally:
        provided.stop()


if __name__ == "__main__":
    main()
