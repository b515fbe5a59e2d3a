"""What the benchmark scripts share: the official client used as a baseline, timing,
and where results are saved. Scripts run as ``python benchmarks/<script>.py``, so this
module is imported by its bare name."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS = Path(os.environ.get("KBN_SO_BENCH_RESULTS") or Path(__file__).parent / "results")
"""Where results are saved: ``benchmarks/results``, or ``KBN_SO_BENCH_RESULTS`` (set by
``kbn-so bench`` so that a report's raw figures stay beside it)."""


def index_name(base: str) -> str:
    """``base`` behind ``KBN_SO_BENCH_INDEX_PREFIX``: ``kbn-so bench`` gives each run its own
    prefix, so that it never deletes the indices of a script run by hand on the same engine
    (each script drops ``<its name>*`` before and after)."""
    return os.environ.get("KBN_SO_BENCH_INDEX_PREFIX", "") + base


def official_client(url: str, opensearch: bool) -> Any:
    """The engine's own Python client, used the documented way, as the baseline."""
    if opensearch:
        from opensearchpy import OpenSearch

        return OpenSearch(hosts=[url], timeout=120)
    from elasticsearch import Elasticsearch

    return Elasticsearch(url, request_timeout=120)


def rate(run: Callable[[], Any], count: int) -> float:
    """Items per second of one call of ``run`` that handles ``count`` items."""
    started = time.perf_counter()
    run()
    return count / (time.perf_counter() - started)


def save_results(name: str, payload: dict[str, Any]) -> Path:
    """Write ``benchmarks/results/<name>.json`` (the folder is git-ignored)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2))
    return path


def report_best(
    name: str,
    engine: Any,
    args: Any,
    rates: dict[str, list[float]],
    pairs: dict[str, str],
    label_width: int = 14,
) -> None:
    """Best rate per path, each of ``pairs`` (ours -> its raw baseline) as a ratio from the
    same run: printed as a table and saved as ``results/<name>.json``."""
    best = {path: max(values) for path, values in rates.items()}
    ratios = {ours: best[ours] / best[raw] for ours, raw in pairs.items()}
    print(f"{engine.info}, {args.docs} objects, batch {args.batch}, best of {args.rounds}")
    print(f"{'path':<{label_width}}{'objects/s':>12}{'vs raw':>8}")
    for path in rates:
        ratio = f"{ratios[path]:.2f}" if path in ratios else ""
        print(f"{path:<{label_width}}{best[path]:>12,.0f}{ratio:>8}")
    save_results(
        name,
        {
            "engine": str(engine.info),
            "docs": args.docs,
            "batch": args.batch,
            "rounds": args.rounds,
            "objects_per_s": best,
            "ratio_vs_raw": ratios,
        },
    )
