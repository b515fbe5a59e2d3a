"""The document migrator on in-memory documents, against baselines measured in the same run.

Documents are dashboards of about 1 KB (as JSON), shaped like real ones: a title, a
description, ``panelsJSON``/``optionsJSON`` strings, a ``kibanaSavedObjectMeta`` object,
two references, namespaces and timestamps. They are generated as raw engine documents
and turned into saved-object documents with the serializer before timing.

The type has four model versions; outdated documents sit at version 1, so three steps
run: a backfill (v2), a removal (v3) and an unsafe transform (v4). Rows:

* ``dict copy``: ``dict(doc)`` per document -- the floor of touching every document;
* ``naive chain``: copy the document and its attributes, call the three step functions
  and stamp the version, with no version check, no error wrapping, no core transforms;
* ``migrate, outdated``: ``migrate(doc, allow_downgrade=True)`` (the read path) on
  version-1 documents -- target >= 200k docs/s;
* ``migrate_and_convert, outdated``: the index migrator's call on the same documents;
* ``migrate, up to date``: version-4 documents -- target >= 2M docs/s.

The heap holding the generated documents is frozen (``gc.freeze()``) before timing, as a
service migrating batch by batch never holds a million documents at once. Rows are timed
in turn within each round, so that a noisy neighbour slows them alike, and each row keeps
its best round. Rates are documents per CPU second of this single-threaded process
(``time.process_time``); wall-clock rates are written too. Prints a table and writes
``benchmarks/results/document_migrator.json``.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import time
import uuid
from collections.abc import Callable
from typing import Any

from _common import save_results
from _dashboards import backfill_time_restore, dashboard_source

from kbn_saved_objects.migrations.document import DocumentMigrator, ModelVersionContext
from kbn_saved_objects.serialization import SavedObjectDoc, raw_to_doc
from kbn_saved_objects.types import (
    DataBackfill,
    DataRemoval,
    MappingsAddition,
    ModelVersion,
    NamespaceType,
    SavedObjectsType,
    SavedObjectTypeRegistry,
    UnsafeTransform,
)


def rename_title(document: dict[str, Any], context: Any) -> dict[str, Any]:
    attributes = document["attributes"]
    attributes["name"] = attributes.pop("title")
    return {"document": document}


def dashboard_type() -> SavedObjectsType:
    return SavedObjectsType(
        name="dashboard",
        namespace_type="multiple-isolated",
        mappings={
            "dynamic": False,
            "properties": {"title": {"type": "text"}, "timeRestore": {"type": "boolean"}},
        },
        model_versions={
            1: ModelVersion(),
            2: ModelVersion(
                changes=[
                    MappingsAddition(added_mappings={"timeRestore": {"type": "boolean"}}),
                    DataBackfill(backfill_fn=backfill_time_restore),
                ]
            ),
            3: ModelVersion(changes=[DataRemoval(removed_attribute_paths=["version"])]),
            4: ModelVersion(changes=[UnsafeTransform(transform_fn=rename_title)]),
        },
    )


def raw_document(i: int, type_version: str) -> dict[str, Any]:
    return {
        "_id": f"dashboard:{uuid.UUID(int=i)}",
        "_source": dashboard_source(i, type_version),
        "_seq_no": i,
        "_primary_term": 1,
    }


def naive_chain(latest: str) -> Callable[[SavedObjectDoc], Any]:
    context = ModelVersionContext(
        log=__import__("logging").getLogger("bench"),
        model_version=4,
        namespace_type=NamespaceType.MULTIPLE_ISOLATED,
    )

    def run(doc: SavedObjectDoc) -> Any:
        work: dict[str, Any] = dict(doc)
        work["attributes"] = dict(work["attributes"])
        patch = backfill_time_restore(work, context)["attributes"]
        work["attributes"] = {**work["attributes"], **patch}
        work["attributes"].pop("version", None)
        work = rename_title(work, context)["document"]
        work["typeMigrationVersion"] = latest
        return work

    return run


def timed(docs: list[SavedObjectDoc], step: Callable[[SavedObjectDoc], Any]) -> tuple[float, float]:
    """CPU and wall seconds to run ``step`` on every document."""
    cpu, wall = time.process_time(), time.perf_counter()
    for doc in docs:
        step(doc)
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    registry = SavedObjectTypeRegistry(stack_version="8.18.0")
    registry.register(dashboard_type())
    registry.freeze()
    migrator = DocumentMigrator(registry)
    latest = migrator.latest_version("dashboard")
    assert latest == "10.4.0"

    outdated = [raw_to_doc(registry, raw_document(i, "10.1.0")) for i in range(args.docs)]
    current = [raw_to_doc(registry, raw_document(i, latest)) for i in range(args.docs)]
    size = len(json.dumps(raw_document(0, "10.1.0")["_source"]))
    sample = migrator.migrate(outdated[0], allow_downgrade=True)
    assert sample["attributes"]["name"] == "[Logs] Web traffic 0", sample
    assert migrator.migrate(current[0]) is current[0]
    gc.collect()
    gc.freeze()

    migrate = migrator.migrate

    def read(doc: SavedObjectDoc) -> Any:
        return migrate(doc, allow_downgrade=True)

    runs: dict[str, tuple[list[SavedObjectDoc], Callable[[SavedObjectDoc], Any]]] = {
        "dict copy": (outdated, dict),
        "naive chain": (outdated, naive_chain(latest)),
        "migrate, outdated": (outdated, read),
        "migrate_and_convert, outdated": (outdated, migrator.migrate_and_convert),
        "migrate, up to date": (current, read),
    }
    best_cpu = dict.fromkeys(runs, float("inf"))
    best_wall = dict.fromkeys(runs, float("inf"))
    for _ in range(args.rounds):
        for name, (docs, step) in runs.items():
            cpu, wall = timed(docs, step)
            best_cpu[name] = min(best_cpu[name], cpu)
            best_wall[name] = min(best_wall[name], wall)
    rows = {name: args.docs / seconds for name, seconds in best_cpu.items()}
    wall_rows = {name: args.docs / seconds for name, seconds in best_wall.items()}
    targets = {"migrate, outdated": 200_000, "migrate, up to date": 2_000_000}
    baseline = rows["naive chain"]
    print(
        f"{args.docs:,} docs of ~{size} bytes, 3-step model-version chain, best of "
        f"{args.rounds}, Python {platform.python_version()}, single core"
    )
    print(f"{'path':<32}{'docs/cpu-s':>12}{'docs/s wall':>13}{'vs naive':>10}{'target':>12}")
    for name, value in rows.items():
        target = targets.get(name)
        mark = "" if target is None else f"{target:>10,}{' ok' if value >= target else ' !!'}"
        print(
            f"{name:<32}{value:>12,.0f}{wall_rows[name]:>13,.0f}{value / baseline:>10.2f}  {mark}"
        )
    save_results(
        "document_migrator",
        {
            "docs": args.docs,
            "doc_bytes": size,
            "rounds": args.rounds,
            "python": platform.python_version(),
            "docs_per_cpu_s": rows,
            "docs_per_wall_s": wall_rows,
            "targets": targets,
        },
    )


if __name__ == "__main__":
    main()
