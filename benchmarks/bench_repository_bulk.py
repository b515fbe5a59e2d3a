"""Repository bulk_create / bulk_get / bulk_update vs the raw client's ``_bulk`` / ``_mget``,
same run.

Both paths write (then read) the same small saved objects into the same index, in the
same batches. The raw path is what a caller of elasticsearch-py / opensearch-py would
write by hand: build each ``_source``, ``client.bulk``; ``client.mget`` and keep the
bodies; ``client.bulk`` of ``update`` actions carrying the same partial attributes. The
repository path adds what Kibana's semantics need on top: per-object checks, the
serializer, per-object results as ``SavedObject`` with their versions, compare-and-set
writes for updates. Targets (issue #20, checked by ``kbn-so bench``): bulk_create >= 0.9x
raw ``_bulk``, bulk_get >= 0.85x raw ``_mget``, bulk_update >= 0.85x the raw ``_bulk`` of
the same updates.

The type is single-namespace and the objects bring their own ids, so bulk_create needs no
preflight (multi-namespace objects with own ids add one ``_mget`` per batch).

Prints a table and writes ``benchmarks/results/repository_bulk.json``.

    .venv/bin/python benchmarks/bench_repository_bulk.py --docs 100000
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

from _common import index_name, official_client, rate, report_best

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine.discovery import provide_engine
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry

ALIAS = index_name("kbn-so-bench-repository")
TYPE = "dashboard"
NOW = "2026-11-29T00:00:00.000Z"


DASHBOARD = SavedObjectsType(
    name=TYPE,
    namespace_type="single",
    mappings={
        "properties": {
            "title": {"type": "text"},
            "count": {"type": "integer"},
            "description": {"type": "text"},
        },
    },
)
"""The measured type (also profiled without an engine by profile_repository_python.py)."""


def registry() -> SavedObjectTypeRegistry:
    types = SavedObjectTypeRegistry()
    types.register(DASHBOARD)
    return types.freeze()


def attributes(i: int) -> dict[str, Any]:
    return {"title": f"Dashboard {i}", "count": i, "description": "a small saved object"}


def updated_attributes(i: int) -> dict[str, Any]:
    """The partial update both paths write: one changed attribute."""
    return {"count": i + 1}


def batches(count: int, size: int) -> Iterator[range]:
    for start in range(0, count, size):
        yield range(start, min(start + size, count))


class RawClient:
    """The official client for the engine under test, called the documented way."""

    def __init__(self, url: str, opensearch: bool) -> None:
        self.client: Any = official_client(url, opensearch)

    def bulk_create(self, index: str, count: int, size: int) -> None:
        for chunk in batches(count, size):
            body: list[dict[str, Any]] = []
            for i in chunk:
                body.append({"create": {"_index": index, "_id": f"{TYPE}:bench-{i}"}})
                body.append(
                    {
                        TYPE: attributes(i),
                        "type": TYPE,
                        "references": [],
                        "managed": False,
                        "updated_at": NOW,
                        "created_at": NOW,
                    }
                )
            answer = self.client.bulk(body=body, refresh="false")
            assert not answer["errors"], answer["items"][0]

    def bulk_get(self, index: str, count: int, size: int) -> None:
        for chunk in batches(count, size):
            docs = [{"_index": index, "_id": f"{TYPE}:bench-{i}"} for i in chunk]
            answer = self.client.mget(body={"docs": docs})
            assert all(doc["found"] for doc in answer["docs"]), "raw mget missed"

    def bulk_update(self, index: str, count: int, size: int) -> None:
        for chunk in batches(count, size):
            body: list[dict[str, Any]] = []
            for i in chunk:
                body.append({"update": {"_index": index, "_id": f"{TYPE}:bench-{i}"}})
                body.append({"doc": {TYPE: updated_attributes(i), "updated_at": NOW}})
            answer = self.client.bulk(body=body, refresh="false")
            assert not answer["errors"], answer["items"][0]

    def close(self) -> None:
        self.client.close()


def ours_create(repo: SavedObjectsRepository, count: int, size: int) -> None:
    for chunk in batches(count, size):
        response = repo.bulk_create(
            [{"type": TYPE, "id": f"bench-{i}", "attributes": attributes(i)} for i in chunk],
            refresh=False,
        )
        assert response.saved_objects[-1].error is None, response.saved_objects[-1].error


def ours_get(repo: SavedObjectsRepository, count: int, size: int) -> None:
    for chunk in batches(count, size):
        response = repo.bulk_get([{"type": TYPE, "id": f"bench-{i}"} for i in chunk])
        assert response.saved_objects[-1].error is None, response.saved_objects[-1].error


def ours_update(repo: SavedObjectsRepository, count: int, size: int) -> None:
    for chunk in batches(count, size):
        objects = [
            {"type": TYPE, "id": f"bench-{i}", "attributes": updated_attributes(i)} for i in chunk
        ]
        response = repo.bulk_update(objects, refresh=False)
        assert response.saved_objects[-1].error is None, response.saved_objects[-1].error


def drop(engine: Engine) -> None:
    found = engine.perform(rq.get_index(f"{ALIAS}*"))
    names = [name for name in found if name.startswith(ALIAS)]
    if names:
        engine.perform(rq.delete_index(names))


def reset(engine: Engine, repo: SavedObjectsRepository) -> None:
    drop(engine)
    repo.setup_indices()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    provided = provide_engine()
    try:
        with Engine.connect(provided.url, request_timeout=120) as engine:
            repo = SavedObjectsRepository(
                engine, registry(), config=RepositoryConfig(default_index=ALIAS)
            )
            index = repo.context.index_for(TYPE)
            raw = RawClient(provided.url, engine.info.is_opensearch)
            rates: dict[str, list[float]] = {
                "raw _bulk": [],
                "bulk_create": [],
                "raw _mget": [],
                "bulk_get": [],
                "raw _bulk update": [],
                "bulk_update": [],
            }
            try:
                for _ in range(args.rounds):
                    for create_label, get_label, update_label, create, get, update in (
                        (
                            "raw _bulk",
                            "raw _mget",
                            "raw _bulk update",
                            lambda: raw.bulk_create(index, args.docs, args.batch),
                            lambda: raw.bulk_get(index, args.docs, args.batch),
                            lambda: raw.bulk_update(index, args.docs, args.batch),
                        ),
                        (
                            "bulk_create",
                            "bulk_get",
                            "bulk_update",
                            lambda: ours_create(repo, args.docs, args.batch),
                            lambda: ours_get(repo, args.docs, args.batch),
                            lambda: ours_update(repo, args.docs, args.batch),
                        ),
                    ):
                        reset(engine, repo)
                        rates[create_label].append(rate(create, args.docs))
                        engine.perform(rq.refresh(index))
                        written = engine.perform(rq.count(index))["count"]
                        assert written == args.docs, (create_label, written)
                        rates[get_label].append(rate(get, args.docs))
                        rates[update_label].append(rate(update, args.docs))
            finally:
                raw.close()
                drop(engine)
            report_best(
                "repository_bulk",
                engine,
                args,
                rates,
                {
                    "bulk_create": "raw _bulk",
                    "bulk_get": "raw _mget",
                    "bulk_update": "raw _bulk update",
                },
                18,
            )
    finally:
        provided.stop()


if __name__ == "__main__":
    main()
