"""The index migrator against ``_reindex`` and a naive user script, measured in the same run.

Seeds N saved objects of about 1 KB shaped like real Kibana dashboards (title, description,
``panelsJSON``/``optionsJSON``, ``kibanaSavedObjectMeta``, two references, namespaces,
timestamps, ``typeMigrationVersion``) into a release-1.0.0 index once; every measured path
then starts from its own copy of it (a ``_clone`` of the write-blocked seed, instant).
Release 2.0.0 gives the type two model versions (two backfills), so each stored object goes
through a 2-version transform. Rows:

* ``_reindex (server-side)``: the engine's own ``_reindex`` (``slices=auto``) of the seed
  into a new index with the 2.0.0 mappings -- a copy without any transform;
* ``_update_by_query (in place)``: the engine's own rewrite of every document of a copy of
  the seed in place (``slices=auto``), no transform -- the same engine work as the
  in-place path (each write replaces a live document), for reference;
* ``naive script``: what a user would write with the official client:
  ``helpers.scan`` + a Python transform per document + ``helpers.bulk`` (defaults);
* ``client rewrite (in place)``: the ceiling of any client-side in-place rewrite -- the
  official client reading a copy of the seed through a point in time (``search_after``,
  ``seq_no_primary_term``, pages of 1000, the next page read while the last is written)
  and writing every document back unchanged with ``if_seq_no`` (NDJSON built with orjson,
  two ``_bulk`` requests in flight, as the migrator sends them), no transform at all. What
  separates it from ``_update_by_query`` is the HTTP round trip of every document, which
  no client can avoid;
* ``client copy (reindex)``: the same read of the seed, written (no ``if_seq_no``) into a
  new index with the 2.0.0 mappings: the ceiling of any client-side copy, where
  ``_reindex`` is the engine's;
* ``migrator, reindex``: ``migrate()`` where ``title`` goes ``text`` -> ``keyword``
  (incompatible: temp index, batches through the document migrator, clone);
* ``migrator, in-place``: ``migrate()`` with mappings additions only (compatible path:
  documents rewritten in place with ``if_seq_no``);
* ``migrator, server-side copy``: the reindex path when no document needs a transform
  (sliced ``_reindex`` inside the migrator), for reference;
* ``migrator, zdt``: the zero-downtime algorithm's document conversion (in place, as the
  in-place path, plus its ``_meta`` bookkeeping).

Each migrator row also times two more runs on the migrated index (``re-run ms``, first /
second): no-ops, which should take about the same time at any index size (the first one
right after a rewrite of every document pays for the engine reading fresh segments).

Each measured path runs in its own child process, so that its peak RSS (``ru_maxrss`` of
that process, interpreter and imports included) is its own. Targets (issue P6): migrator
>= 0.9x ``_reindex``, >= 3x the naive script, peak RSS < 300 MB whatever the index size.
Every row is verified (document count and migrated version in the destination). Prints a
table and writes ``benchmarks/results/index_migration.json``::

    .venv/bin/python benchmarks/bench_index_migration.py --docs 200000 --rounds 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from _common import RESULTS, index_name, official_client
from _dashboards import TYPE, backfill_time_restore, dashboard_source

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine.discovery import provide_engine
from kbn_saved_objects.errors import GeneralError
from kbn_saved_objects.mappings import EngineCapabilities, build_index_mappings
from kbn_saved_objects.migrations.index import MigrationOptions, migrate
from kbn_saved_objects.repository import RepositoryConfig
from kbn_saved_objects.types import (
    DataBackfill,
    MappingsAddition,
    ModelVersion,
    SavedObjectsType,
    SavedObjectTypeRegistry,
)

PREFIX = index_name("kbn-so-bench-mig")
OLD, NEW = "1.0.0", "2.0.0"
SEED_BULK = 5000
LATEST = "10.2.0"  # model version 2

MIGRATOR_PATHS = (
    "migrator, reindex",
    "migrator, in-place",
    "migrator, server-side copy",
    "migrator, zdt",
)
BASELINES = (
    "_reindex (server-side)",
    "_update_by_query (in place)",
    "client rewrite (in place)",
    "client copy (reindex)",
    "naive script",
)
ALL_PATHS = (*BASELINES, *MIGRATOR_PATHS)
SLUG = {
    "_reindex (server-side)": "engine-reindex",
    "_update_by_query (in place)": "engine-ubq",
    "naive script": "naive",
    "client rewrite (in place)": "rewrite",
    "client copy (reindex)": "copy",
    "migrator, reindex": "reindex",
    "migrator, zdt": "zdt",
    "migrator, in-place": "inplace",
    "migrator, server-side copy": "serverside",
}


# -- the saved-object type, three releases ---------------------------------------------------


def backfill_panel_count(document: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"attributes": {"panelCount": len(document.get("references") or [])}}


def registry(release: str) -> SavedObjectTypeRegistry:
    """``v1``: the seeded release. ``inplace``: two model versions, mappings additions only.
    ``reindex``: the same plus ``title`` as keyword. ``keyword``: ``title`` as keyword, no
    model version (a reindex without any transform)."""
    title = "keyword" if release in ("reindex", "keyword") else "text"
    properties: dict[str, Any] = {"title": {"type": title}, "description": {"type": "text"}}
    model_versions = None
    if release in ("inplace", "reindex"):
        properties["timeRestore"] = {"type": "boolean"}
        properties["panelCount"] = {"type": "integer"}
        model_versions = {
            1: ModelVersion(
                changes=[
                    MappingsAddition(added_mappings={"timeRestore": {"type": "boolean"}}),
                    DataBackfill(backfill_fn=backfill_time_restore),
                ]
            ),
            2: ModelVersion(
                changes=[
                    MappingsAddition(added_mappings={"panelCount": {"type": "integer"}}),
                    DataBackfill(backfill_fn=backfill_panel_count),
                ]
            ),
        }
    reg = SavedObjectTypeRegistry()
    reg.register(
        SavedObjectsType(
            name=TYPE,
            namespace_type="multiple-isolated",
            mappings={"dynamic": False, "properties": properties},
            model_versions=model_versions,
        )
    )
    return reg.freeze()


def config(prefix: str, version: str) -> RepositoryConfig:
    return RepositoryConfig(default_index=prefix, index_suffix=f"_{version}")


def source(i: int) -> dict[str, Any]:
    return dashboard_source(i, "10.0.0")


def naive_transform(doc: dict[str, Any]) -> dict[str, Any]:
    """The two backfills as a user would hand-write them, and the version stamp."""
    attributes = doc[TYPE]
    attributes["timeRestore"] = False
    attributes["refreshInterval"] = {"pause": True, "value": 0}
    attributes["panelCount"] = len(doc.get("references") or [])
    doc["typeMigrationVersion"] = LATEST
    return doc


# -- engine helpers ---------------------------------------------------------------------------


def delete_under(engine: Engine, pattern: str) -> None:
    names = list(engine.perform(rq.get_index(f"{pattern}*")))
    if names:
        engine.perform(rq.delete_index(names, ignore_unavailable=True))


def target_mappings(engine: Engine, release: str) -> dict[str, Any]:
    capabilities = EngineCapabilities(supports_version_field=engine.info.supports_version_field)
    return build_index_mappings(registry(release), capabilities=capabilities, main_index="x")["x"]


def golden_index(prefix: str) -> str:
    return f"{prefix}-seed_{OLD}_001"


def seed(engine: Engine, prefix: str, count: int) -> float:
    """The 1.0.0 index with ``count`` objects, write-blocked; returns the average doc bytes."""
    delete_under(engine, prefix)
    seeded = f"{prefix}-seed"
    report = migrate(engine, registry("v1"), config=config(seeded, OLD))
    assert report.ok, report.to_dict()
    size = len(orjson.dumps(source(0)))
    for start in range(0, count, SEED_BULK):
        body = rq.bulk_body(
            ({"index": {"_id": f"{TYPE}:{uuid.UUID(int=i)}"}}, source(i))
            for i in range(start, min(start + SEED_BULK, count))
        )
        assert not engine.perform(rq.bulk(body, index=seeded))["errors"]
    engine.perform(rq.refresh(golden_index(prefix)))
    engine.perform(rq.add_write_block(golden_index(prefix)))
    return size


IN_PLACE_BASELINES = ("_update_by_query (in place)", "client rewrite (in place)")


def prepare(engine: Engine, prefix: str, name: str) -> str:
    """A fresh copy of the seed for one path: its 1.0.0 index and aliases (migrator paths),
    or an empty destination (baselines). Returns the alias / index to check afterwards."""
    target = f"{prefix}-{SLUG[name]}"
    delete_under(engine, target)
    if name in BASELINES and name not in IN_PLACE_BASELINES:
        copies = ("_reindex (server-side)", "client copy (reindex)")
        release = "reindex" if name in copies else "inplace"
        engine.perform(rq.create_index(target, mappings=target_mappings(engine, release)))
        return target
    index = f"{target}_{OLD}_001"
    engine.perform(
        rq.clone_index(
            golden_index(prefix),
            index,
            settings={"index.blocks.write": False},
            wait_for_active_shards="1",
        )
    )
    engine.perform(rq.cluster_health(index, wait_for_status="yellow", timeout="60s"))
    engine.perform(
        rq.update_aliases(
            [
                {"add": {"index": index, "alias": target}},
                {"add": {"index": index, "alias": f"{target}_{OLD}"}},
            ]
        )
    )
    return target


def verify(engine: Engine, target: str, name: str, count: int) -> dict[str, Any]:
    """Every document there, each at the version its path writes.

    The counts come with the versions found and the shards that answered, so a failed
    check says what the index held. A failed first
    reading is read once more after a second refresh and both are kept: a transient
    answer of the engine then shows as such instead of passing for a lost migration.
    """
    copied = name in (
        "migrator, server-side copy",
        "_reindex (server-side)",
        "client copy (reindex)",
        *IN_PLACE_BASELINES,
    )
    expected_version = "10.0.0" if copied else LATEST
    first = _reading(engine, target, expected_version)
    first["ok"] = first["count"] == count and first["at_version"] == count
    if first["ok"]:
        return first
    again = _reading(engine, target, expected_version)
    again["ok"] = again["count"] == count and again["at_version"] == count
    return {**again, "first_reading": first}


def _reading(engine: Engine, target: str, expected_version: str) -> dict[str, Any]:
    engine.perform(rq.refresh(target))
    total = engine.perform(rq.count(target, {"match_all": {}}))["count"]
    at_version = engine.perform(
        rq.count(target, {"term": {"typeMigrationVersion": expected_version}})
    )["count"]
    # what the index holds, for a failure message (keys as indexed: an engine may keep
    # versions in an encoded, sortable form)
    body = {"size": 0, "aggs": {"versions": {"terms": {"field": "typeMigrationVersion"}}}}
    answer = engine.perform(rq.search(body, index=target))
    versions = {
        str(bucket["key"]): int(bucket["doc_count"])
        for bucket in answer["aggregations"]["versions"]["buckets"]
    }
    return {
        "count": int(total),
        "at_version": int(at_version),
        "expected_version": expected_version,
        "versions": versions,
        "shards": answer.get("_shards"),
    }


# -- the measured paths (each in a child process) ---------------------------------------------


def run_engine_reindex(url: str, prefix: str, dest: str) -> dict[str, Any]:
    body = {"source": {"index": golden_index(prefix), "size": 1000}, "dest": {"index": dest}}
    return run_engine_task(url, rq.reindex(body, wait_for_completion=False, slices="auto"))


def run_engine_update_by_query(url: str, target: str) -> dict[str, Any]:
    request = rq.update_by_query(
        target, {"query": {"match_all": {}}}, wait_for_completion=False, slices="auto"
    )
    return run_engine_task(url, request)


def run_engine_task(url: str, request: rq.Request) -> dict[str, Any]:
    with Engine.connect(url) as engine:
        started = time.perf_counter()
        task = engine.perform(request)["task"]
        while True:
            try:
                answer = engine.perform(rq.get_task(task, wait_for_completion=True, timeout="30s"))
            except GeneralError as error:  # the engine answers a wait timeout with a 500
                if "timeout_exception" not in str(error):
                    raise
                continue
            if answer.get("completed"):
                break
        elapsed = time.perf_counter() - started
        response = answer.get("response", {})
        assert not response.get("failures"), response.get("failures")
        processed = response.get("created", 0) + response.get("updated", 0)
        return {"elapsed_s": elapsed, "processed": processed}


def run_naive(url: str, prefix: str, dest: str) -> dict[str, Any]:
    split = {"read": 0.0, "transform": 0.0}
    with Engine.connect(url) as engine:
        is_opensearch = engine.info.is_opensearch
    client = official_client(url, is_opensearch)
    helpers: Any
    if is_opensearch:
        from opensearchpy import helpers
    else:
        from elasticsearch import helpers
    scan, bulk = helpers.scan, helpers.bulk

    def actions() -> Iterator[dict[str, Any]]:
        hits = scan(client, index=golden_index(prefix), query={"query": {"match_all": {}}})
        while True:
            t0 = time.perf_counter()
            hit = next(hits, None)
            t1 = time.perf_counter()
            split["read"] += t1 - t0
            if hit is None:
                return
            doc = naive_transform(hit["_source"])
            split["transform"] += time.perf_counter() - t1
            yield {"_index": dest, "_id": hit["_id"], "_source": doc}

    started = time.perf_counter()
    written, errors = bulk(client, actions())
    elapsed = time.perf_counter() - started
    client.close()
    assert not errors, errors
    split["write"] = elapsed - split["read"] - split["transform"]
    return {"elapsed_s": elapsed, "processed": written, "split_s": split}


def run_client_rewrite(url: str, source: str, dest: str | None = None) -> dict[str, Any]:
    """Every document of ``source`` read through a point in time and written back as it
    is with the official client: in place (``if_seq_no``) when ``dest`` is ``None``, else
    into ``dest``. The client-side floor of the in-place and the reindex paths."""
    from concurrent.futures import Future, ThreadPoolExecutor

    with Engine.connect(url) as engine:
        is_opensearch = engine.info.is_opensearch
    client = official_client(url, is_opensearch)
    index = next(iter(client.indices.get(index=source)))
    started = time.perf_counter()
    if is_opensearch:
        pit = client.create_pit(index=index, params={"keep_alive": "10m"})["pit_id"]
        sort: list[Any] = [{"_doc": "asc"}]  # one shard: the fastest total order there
    else:
        pit = client.open_point_in_time(index=index, keep_alive="10m")["id"]
        sort = [{"_shard_doc": "asc"}]
    written = 0

    def write(hits: list[dict[str, Any]]) -> int:
        lines = []
        for hit in hits:
            action = {"_id": hit["_id"]}
            if dest is None:
                action |= {"if_seq_no": hit["_seq_no"], "if_primary_term": hit["_primary_term"]}
            lines.append(orjson.dumps({"index": action}))
            lines.append(orjson.dumps(hit["_source"]))
        body = b"\n".join(lines) + b"\n"
        answer = client.bulk(body=body, index=dest or index, refresh=False)
        assert not answer["errors"], str(answer)[:2000]
        return len(hits)

    with ThreadPoolExecutor(max_workers=2) as pool:
        pending: list[Future[int]] = []
        search_after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {
                "pit": {"id": pit, "keep_alive": "10m"},
                "size": 1000,
                "sort": sort,
                "seq_no_primary_term": dest is None,
                "track_total_hits": False,
            }
            if search_after is not None:
                body["search_after"] = search_after
            hits = client.search(body=body)["hits"]["hits"]
            if not hits:
                break
            search_after = hits[-1]["sort"]
            half = (len(hits) + 1) // 2
            pending += [pool.submit(write, hits[:half]), pool.submit(write, hits[half:])]
            while len(pending) > 2:  # the next page is read while these two are written
                written += pending.pop(0).result()
        written += sum(future.result() for future in pending)
    if is_opensearch:
        client.delete_pit(body={"pit_id": [pit]})
    else:
        client.close_point_in_time(body={"id": pit})
    if dest is not None:
        client.indices.refresh(index=dest)  # as the migrator's copy ends refreshed
    elapsed = time.perf_counter() - started
    client.close()
    return {"elapsed_s": elapsed, "processed": written}


READ = ("_READ", "_OPEN_PIT", "_CLOSE_PIT")
WRITE = ("_BULK_INDEX", "_INDEX_BULK", "_SERVER_SIDE", "_SERVER_SIDE_WAIT")


def run_migrator(url: str, prefix: str, name: str) -> dict[str, Any]:
    release = {
        "migrator, reindex": "reindex",
        "migrator, in-place": "inplace",
        "migrator, zdt": "inplace",
    }.get(name, "keyword")
    algorithm = "zdt" if name == "migrator, zdt" else "v2"
    steps: dict[str, float] = defaultdict(float)
    last = [0.0]

    def record(old: Any, new: Any, took_ms: float) -> None:
        # wall time since the previous step: the retry/poll delays count too
        now = time.perf_counter()
        steps[str(old.control_state)] += now - last[0]
        last[0] = now

    with Engine.connect(url) as engine:
        started = last[0] = time.perf_counter()
        report = migrate(
            engine,
            registry(release),
            config=config(f"{prefix}-{SLUG[name]}", NEW),
            options=MigrationOptions(pause_gc=True, algorithm=algorithm),  # as kbn-so migrate
            on_transition=record,
            raise_on_failure=False,
        )
        elapsed = time.perf_counter() - started
        # The same migration again: a no-op (mapping comparison plus one count), whose time
        # should not depend on the index size.
        # Twice: the first count after a rewrite of every document reads cold segments.
        rerun_s = []
        reruns = []
        for _ in range(2):
            again = time.perf_counter()
            rerun = migrate(
                engine,
                registry(release),
                config=config(f"{prefix}-{SLUG[name]}", NEW),
                options=MigrationOptions(algorithm=algorithm),
            )
            rerun_s.append(time.perf_counter() - again)
            reruns.append(rerun)
    assert report.ok, report.to_dict()
    for rerun in reruns:  # each re-run finds nothing left to write
        assert rerun.results[0].written == 0, (report.to_dict(), rerun.to_dict())
    result = report.results[0]
    split = {"read": 0.0, "transform": 0.0, "write": 0.0, "other": 0.0}
    for state, seconds in steps.items():
        if state.endswith("_TRANSFORM"):
            split["transform"] += seconds
        elif state.endswith(READ):
            split["read"] += seconds
        elif state.endswith(WRITE):
            split["write"] += seconds
        else:
            split["other"] += seconds
    return {
        "elapsed_s": elapsed,
        "processed": result.processed,
        "written": result.written,
        "kind": result.kind,
        "split_s": split,
        "steps_s": dict(steps),
        "rerun_ms": [s * 1000 for s in rerun_s],
    }


def child(name: str, url: str, prefix: str) -> None:
    if name == "_reindex (server-side)":
        out = run_engine_reindex(url, prefix, f"{prefix}-{SLUG[name]}")
    elif name == "_update_by_query (in place)":
        out = run_engine_update_by_query(url, f"{prefix}-{SLUG[name]}")
    elif name == "naive script":
        out = run_naive(url, prefix, f"{prefix}-{SLUG[name]}")
    elif name == "client rewrite (in place)":
        out = run_client_rewrite(url, f"{prefix}-{SLUG[name]}")
    elif name == "client copy (reindex)":
        out = run_client_rewrite(url, golden_index(prefix), f"{prefix}-{SLUG[name]}")
    else:
        out = run_migrator(url, prefix, name)
    out["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(out))


def peak_rss_mb() -> float:
    """This process's peak RSS (``VmHWM``). Not ``ru_maxrss``: Linux carries that across
    ``exec`` from the forking parent, so every child would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


def measure(url: str, prefix: str, name: str) -> dict[str, Any]:
    command = [sys.executable, os.path.abspath(__file__), "--child", name, "--url", url]
    command += ["--prefix", prefix]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=7200)
    if done.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def idle_rss_mb() -> float:
    """Peak RSS of a child that only imports what the measured children import."""
    code = (
        f"import sys; sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r});"
        "import kbn_saved_objects.migrations.index, opensearchpy, elasticsearch, runpy;"
        f"print(runpy.run_path({os.path.abspath(__file__)!r})['peak_rss_mb']())"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout.strip())


# -- the run ----------------------------------------------------------------------------------


def run_benchmark(
    url: str,
    *,
    docs: int,
    rounds: int = 1,
    prefix: str = PREFIX,
    paths: tuple[str, ...] = ALL_PATHS,
    json_path: Path | None = None,
    cleanup: bool = True,
) -> dict[str, Any]:
    """Seed, run every path ``rounds`` times (in turn, each in a child process), verify each
    run, and return (and optionally write) the figures."""
    with Engine.connect(url) as engine:
        t0 = time.perf_counter()
        doc_bytes = seed(engine, prefix, docs)
        seed_s = time.perf_counter() - t0
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in paths}
        for _ in range(rounds):
            for name in paths:
                target = prepare(engine, prefix, name)
                result = measure(url, prefix, name)
                result["verified"] = verify(engine, target, name, docs)
                result["docs_per_s"] = docs / result["elapsed_s"]
                runs[name].append(result)
                delete_under(engine, target)
        info = str(engine.info)
        if cleanup:
            delete_under(engine, prefix)
    rows: dict[str, dict[str, Any]] = {}
    for name, results in runs.items():
        best = max(results, key=lambda r: r["docs_per_s"])
        rows[name] = {
            **best,
            "peak_rss_mb": max(r["peak_rss_mb"] for r in results),
            "verified_all": all(r["verified"]["ok"] for r in results),
        }
    for row in rows.values():
        for base in BASELINES:
            if base in rows:
                row[f"vs {base}"] = row["docs_per_s"] / rows[base]["docs_per_s"]
    figures = {
        "engine": info,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "docs": docs,
        "doc_bytes": doc_bytes,
        "rounds": rounds,
        "seed_s": seed_s,
        "idle_rss_mb": idle_rss_mb(),
        "rows": rows,
    }
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(figures, indent=2))
    return figures


def print_table(figures: dict[str, Any]) -> None:
    print(
        f"{figures['engine']}, {figures['docs']:,} objects of {figures['doc_bytes']} B, "
        f"best of {figures['rounds']}, seeded in {figures['seed_s']:.0f}s, "
        f"idle child RSS {figures['idle_rss_mb']:.0f} MB"
    )
    head = f"{'path':<28}{'docs/s':>10}{'vs _reindex':>13}{'vs _ubq':>9}{'vs client':>11}"
    head += f"{'vs naive':>10}"
    head += f"{'peak RSS MB':>13}"
    print(head + f"{'  read/transform/write/other s':<32}{'re-run ms':>10}{'ok':>4}")
    for name, row in figures["rows"].items():
        split = row.get("split_s", {})
        parts = "/".join(
            f"{split[k]:.1f}" for k in ("read", "transform", "write", "other") if k in split
        )
        ratio_r = row.get("vs _reindex (server-side)")
        ratio_u = row.get("vs _update_by_query (in place)")
        ratio_n = row.get("vs naive script")
        # the client-side ceiling of the same kind of work: a copy, or a rewrite in place
        copying = "reindex" in name or "copy" in name
        ratio_c = row.get("vs client copy (reindex)" if copying else "vs client rewrite (in place)")
        rerun = "/".join(f"{ms:.0f}" for ms in row["rerun_ms"]) if "rerun_ms" in row else "-"
        print(
            f"{name:<28}{row['docs_per_s']:>10,.0f}"
            f"{(f'{ratio_r:.2f}' if ratio_r else '-'):>13}"
            f"{(f'{ratio_u:.2f}' if ratio_u else '-'):>9}"
            f"{(f'{ratio_c:.2f}' if ratio_c else '-'):>11}"
            f"{(f'{ratio_n:.2f}' if ratio_n else '-'):>10}"
            f"{row['peak_rss_mb']:>13.0f}  {parts:<30}"
            f"{rerun:>10}"
            f"{'yes' if row['verified_all'] else 'NO':>4}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--json", type=Path, default=RESULTS / "index_migration.json")
    parser.add_argument("--paths", nargs="*", choices=ALL_PATHS, default=list(ALL_PATHS))
    parser.add_argument("--child", choices=ALL_PATHS, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--prefix", default=PREFIX, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.url, args.prefix)
        return
    provided = provide_engine()
    try:
        figures = run_benchmark(
            provided.url,
            docs=args.docs,
            rounds=args.rounds,
            paths=tuple(args.paths),
            json_path=args.json,
        )
    finally:
        provided.stop()
    print_table(figures)
    print(f"written to {args.json}")


if __name__ == "__main__":
    main()
