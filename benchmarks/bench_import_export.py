"""NDJSON import / export of 100k objects vs raw ``_bulk`` / point-in-time scan, same run.

Import: ``SavedObjectsImporter.import_`` of an in-memory NDJSON file (limit raised to the
object count) into an empty space, against the raw client reading the same lines
(``json.loads``) and writing them with ``_bulk`` in batches of the same size. The import
does what Kibana's does on top: collection checks, the exact-id conflict check (one
``_mget`` per batch), migration of every document, results per object.

Export: ``SavedObjectsExporter.export_by_types`` streamed to a null sink, against the raw
client paging a point-in-time with ``search_after`` and writing each ``_source`` as a JSON
line. The export adds Kibana's order (by id, then dependencies) through its spill file.

The type is single-namespace: multi-namespace types add one origin search per object to
an import, as in Kibana. Target: >= 0.7x raw for both.

    .venv/bin/python benchmarks/bench_import_export.py --docs 100000
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from _common import index_name, official_client, rate, report_best

from kbn_saved_objects.engine import Engine, flavors
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine.discovery import provide_engine
from kbn_saved_objects.import_export import SavedObjectsExporter, SavedObjectsImporter
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from kbn_saved_objects.types import (
    SavedObjectsType,
    SavedObjectsTypeManagement,
    SavedObjectTypeRegistry,
)

ALIAS = index_name("kbn-so-bench-import-export")
TYPE = "dashboard"
NOW = "2026-11-29T00:00:00.000Z"


def registry() -> SavedObjectTypeRegistry:
    types = SavedObjectTypeRegistry()
    types.register(
        SavedObjectsType(
            name=TYPE,
            namespace_type="single",
            mappings={"properties": {"title": {"type": "text"}, "count": {"type": "integer"}}},
            management=SavedObjectsTypeManagement(importable_and_exportable=True),
        )
    )
    return types.freeze()


def ndjson_lines(count: int) -> list[str]:
    return [
        json.dumps(
            {
                "type": TYPE,
                "id": f"bench-{i:06d}",
                "attributes": {"title": f"Dashboard {i}", "count": i},
                "references": [],
                "managed": False,
                "coreMigrationVersion": "8.8.0",
                "updated_at": NOW,
            },
            separators=(",", ":"),
        )
        + "\n"
        for i in range(count)
    ]


class RawClient:
    def __init__(self, url: str, opensearch: bool) -> None:
        self.client: Any = official_client(url, opensearch)

    def import_lines(self, index: str, lines: list[str], size: int) -> None:
        for start in range(0, len(lines), size):
            body: list[dict[str, Any]] = []
            for line in lines[start : start + size]:
                obj = json.loads(line)
                body.append({"create": {"_index": index, "_id": f"{obj['type']}:{obj['id']}"}})
                body.append(
                    {
                        TYPE: obj["attributes"],
                        "type": obj["type"],
                        "references": obj["references"],
                        "managed": obj["managed"],
                        "updated_at": NOW,
                        "created_at": NOW,
                    }
                )
            answer = self.client.bulk(body=body, refresh="false")
            assert not answer["errors"], answer["items"][0]

    def close(self) -> None:
        self.client.close()


def raw_scan(engine: Engine, index: str, size: int) -> int:
    """A point-in-time + ``search_after`` loop, each ``_source`` written as a JSON line."""
    pit = engine.open_point_in_time(index, keep_alive="2m")
    sort: list[Any] = [{"updated_at": "desc"}, *flavors.point_in_time_tiebreaker(engine.info)]
    seen, after = 0, None
    while True:
        body: dict[str, Any] = {"size": size, "sort": sort, "pit": {"id": pit, "keep_alive": "2m"}}
        if after is not None:
            body["search_after"] = after
        hits = engine.perform(rq.search(body))["hits"]["hits"]
        for hit in hits:
            json.dumps(hit["_source"], sort_keys=True, separators=(",", ":"))
        seen += len(hits)
        if len(hits) < size:
            break
        after = hits[-1]["sort"]
    engine.close_point_in_time(pit)
    return seen


def drop(engine: Engine) -> None:
    found = engine.perform(rq.get_index(f"{ALIAS}*"))
    names = [name for name in found if name.startswith(ALIAS)]
    if names:
        engine.perform(rq.delete_index(names))


def ours_import(repo: SavedObjectsRepository, lines: list[str], batch: int) -> None:
    importer = SavedObjectsImporter(
        repo, import_size_limit=len(lines), batch_size=batch, pause_gc=True
    )
    result = importer.import_(lines, refresh=False)
    assert result["success"], result.get("errors")
    assert result["successCount"] == len(lines)


def ours_export(repo: SavedObjectsRepository, count: int, batch: int) -> None:
    exporter = SavedObjectsExporter(repo, export_size_limit=count, page_size=batch, pause_gc=True)
    written = sum(1 for _ in exporter.export_by_types([TYPE]))
    assert written == count + 1, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    lines = ndjson_lines(args.docs)
    provided = provide_engine()
    try:
        with Engine.connect(provided.url, request_timeout=120) as engine:
            repo = SavedObjectsRepository(
                engine, registry(), config=RepositoryConfig(default_index=ALIAS, refresh=False)
            )
            index = repo.context.index_for(TYPE)
            raw = RawClient(provided.url, engine.info.is_opensearch)
            rates: dict[str, list[float]] = {
                k: [] for k in ("raw import", "import", "raw scan", "export")
            }
            try:
                for _ in range(args.rounds):
                    for imp_label, exp_label, do_import, do_export in (
                        (
                            "raw import",
                            "raw scan",
                            lambda: raw.import_lines(index, lines, args.batch),
                            lambda: raw_scan(engine, index, args.batch),
                        ),
                        (
                            "import",
                            "export",
                            lambda: ours_import(repo, lines, args.batch),
                            lambda: ours_export(repo, args.docs, args.batch),
                        ),
                    ):
                        drop(engine)
                        repo.setup_indices()
                        rates[imp_label].append(rate(do_import, args.docs))
                        engine.perform(rq.refresh(index))
                        written = engine.perform(rq.count(index))["count"]
                        assert written == args.docs, (imp_label, written)
                        rates[exp_label].append(rate(do_export, args.docs))
            finally:
                raw.close()
                drop(engine)
            report_best(
                "import_export",
                engine,
                args,
                rates,
                {"import": "raw import", "export": "raw scan"},
                12,
            )
    finally:
        provided.stop()


if __name__ == "__main__":
    main()
