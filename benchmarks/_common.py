"""What the benchmark scripts share: the official client used as a baseline, timing,
and where results are saved. Scripts run as ``python benchmarks/<script>.py``, so this
module is imported by its bare name."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


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
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2))
    return path
