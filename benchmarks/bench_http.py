"""``_bulk_get`` and ``_find`` over HTTP vs the Python API on the same objects, same run.

Seeds N objects (default 10,000, the most ``_find`` pages can reach without a
point-in-time) through the service's scoped client, then reads them all, the two paths
taking turns request by request so a change of load weighs on both alike:

* **Python API**: ``client.bulk_get`` (batches of 1000) and ``client.find(per_page=1000,
  page=k)`` on a request-scoped client in this process (sync);
* **HTTP**: ``POST /api/saved_objects/_bulk_get`` with the same batches and
  ``GET /api/saved_objects/_find?per_page=1000&page=k``, with a pooled httpx client, to
  the app served by uvicorn in a subprocess (the server of ``bench_http_import_export.py``:
  the same service settings, no security extension).

The ratio HTTP / Python is what serving the API costs on top of the library: JSON
encoding of the answer, uvicorn, the client's decoding. Prints objects/s and writes
``benchmarks/results/http.json``.

    .venv/bin/python benchmarks/bench_http.py --docs 10000
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
from _common import save_results
from bench_http_import_export import TYPE, Server, config, configure, drop

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine.discovery import provide_engine
from kbn_saved_objects.service import RequestContext, SavedObjectsService


def batches(count: int, size: int) -> Iterator[range]:
    for start in range(0, count, size):
        yield range(start, min(start + size, count))


def in_turns(steps: dict[str, Iterator[int]]) -> dict[str, float]:
    """Objects per second of each path, one step of each in turn."""
    spent = dict.fromkeys(steps, 0.0)
    done = dict.fromkeys(steps, 0)
    live = dict(steps)
    while live:
        for name in list(live):
            started = time.perf_counter()
            items = next(live[name], None)
            elapsed = time.perf_counter() - started
            if items is None:
                del live[name]
            else:
                spent[name] += elapsed
                done[name] += items
    return {name: done[name] / spent[name] for name in steps}


def steps(run: Callable[[Any], int], items: Iterator[Any]) -> Iterator[int]:
    for item in items:
        yield run(item)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.docs > 10_000:
        parser.error("_find pages reach 10,000 objects at most (use a point-in-time beyond)")
    provided = provide_engine()
    try:
        with Engine.connect(provided.url, request_timeout=300) as engine:
            drop(engine)
            service = SavedObjectsService(engine, config=config())
            configure(service)
            start = service.start()
            start.create_internal_repository().setup_indices()
            client = start.get_scoped_client(RequestContext())
            for chunk in batches(args.docs, 1000):
                client.bulk_create(
                    [
                        {"type": TYPE, "id": f"o{i}", "attributes": {"title": f"Dashboard {i}"}}
                        for i in chunk
                    ],
                    refresh=False,
                )
            engine.perform(rq.refresh(client.context.index_for(TYPE)))
            server = Server(provided.url, args.docs)
            best: dict[str, float] = {}
            try:
                with httpx.Client(base_url=server.base, timeout=300) as http:

                    def python_get(chunk: range) -> int:
                        got = client.bulk_get([{"type": TYPE, "id": f"o{i}"} for i in chunk])
                        return len(got.saved_objects)

                    def http_get(chunk: range) -> int:
                        answer = http.post(
                            "/api/saved_objects/_bulk_get",
                            json=[{"type": TYPE, "id": f"o{i}"} for i in chunk],
                        )
                        answer.raise_for_status()
                        return len(answer.json()["saved_objects"])

                    def python_find(page: int) -> int:
                        return len(client.find(type=TYPE, per_page=1000, page=page).saved_objects)

                    def http_find(page: int) -> int:
                        answer = http.get(
                            "/api/saved_objects/_find",
                            params={"type": TYPE, "per_page": 1000, "page": page},
                        )
                        answer.raise_for_status()
                        return len(answer.json()["saved_objects"])

                    pages = range(1, args.docs // 1000 + 1)
                    for _ in range(args.rounds):
                        rates = in_turns(
                            {
                                "bulk_get python": steps(python_get, batches(args.docs, 1000)),
                                "bulk_get http": steps(http_get, batches(args.docs, 1000)),
                            }
                        )
                        rates |= in_turns(
                            {
                                "find python": steps(python_find, iter(pages)),
                                "find http": steps(http_find, iter(pages)),
                            }
                        )
                        for name, value in rates.items():
                            best[name] = max(best.get(name, 0.0), value)
            finally:
                server.stop()
                drop(engine)
            ratios = {op: best[f"{op} http"] / best[f"{op} python"] for op in ("bulk_get", "find")}
            print(f"{engine.info}, {args.docs} objects, best of {args.rounds}")
            print(f"{'path':<18}{'objects/s':>12}{'http/python':>13}")
            for op in ("bulk_get", "find"):
                print(f"{op + ' python':<18}{best[f'{op} python']:>12,.0f}")
                print(f"{op + ' http':<18}{best[f'{op} http']:>12,.0f}{ratios[op]:>13.2f}")
            save_results(
                "http",
                {
                    "engine": str(engine.info),
                    "docs": args.docs,
                    "objects_per_s": best,
                    "ratio": ratios,
                },
            )
    finally:
        provided.stop()


if __name__ == "__main__":
    main()
