"""``_export`` and ``_import`` of N objects over HTTP vs the Python API, same run, and the
server's peak memory at each N.

For each object count (default 10,000 and 100,000):

* **Python API**: the service facade's ``create_importer(client)`` /
  ``create_exporter(client)`` on a scoped client, in this process: the import of an
  NDJSON file on disk, then the export of every object to a null sink; sync, then async
  (the async one is what the server runs, so HTTP's own cost is the HTTP / async ratio).
* **HTTP**: the same file uploaded to ``POST /api/saved_objects/_import`` (multipart,
  streamed from disk by httpx), then ``POST /api/saved_objects/_export`` read as a
  stream, against a uvicorn server running the app in a **subprocess**. Import and export
  each get a fresh server process (warmed up by an empty import and export), so that
  the peak RSS (``VmHWM``) read from ``/proc/<pid>/status`` after the request is that
  request's alone.

Both sides use the same importer and exporter settings (the start contract's), so the
ratio is the cost of HTTP: multipart parsing and spooling, NDJSON streaming, uvicorn. Both
are expected to stay nearly flat in memory as N grows: the export streams from its spill
file, the import reads its objects back from a spool stage by stage and streams its
answer; what grows is their bookkeeping (keys, references, offsets: a few hundred bytes
per object). The upload itself is spooled to disk, never held whole.

    .venv/bin/python benchmarks/bench_http_import_export.py --docs 10000 100000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from _common import index_name, save_results

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine.discovery import provide_engine
from kbn_saved_objects.repository import RepositoryConfig
from kbn_saved_objects.service import RequestContext, SavedObjectsService
from kbn_saved_objects.types import SavedObjectsType, SavedObjectsTypeManagement

ALIAS = index_name("kbn-so-bench-http-import-export")
TYPE = "dashboard"
NOW = "2026-11-29T00:00:00.000Z"
PAYLOAD_LIMIT = 1 << 30


def configure(service: Any) -> None:
    service.setup().register_type(
        SavedObjectsType(
            name=TYPE,
            namespace_type="single",
            mappings={"properties": {"title": {"type": "text"}, "count": {"type": "integer"}}},
            management=SavedObjectsTypeManagement(importable_and_exportable=True),
        )
    )


def config() -> RepositoryConfig:
    return RepositoryConfig(default_index=ALIAS, refresh=False)


def write_file(path: Path, count: int) -> None:
    with path.open("w") as out:
        for i in range(count):
            line = {
                "type": TYPE,
                "id": f"bench-{i:06d}",
                "attributes": {"title": f"Dashboard {i}", "count": i},
                "references": [],
                "managed": False,
                "coreMigrationVersion": "8.8.0",
                "updated_at": NOW,
            }
            out.write(json.dumps(line, separators=(",", ":")) + "\n")


# --- the server subprocess -----------------------------------------------------------------


def serve(url: str, port: int, limit: int) -> None:
    """Run the app on ``port`` until killed (the ``--serve`` mode of this script)."""
    import uvicorn

    from kbn_saved_objects.engine import AsyncEngine
    from kbn_saved_objects.http import create_app
    from kbn_saved_objects.service import AsyncSavedObjectsService

    async def main() -> None:
        engine = await AsyncEngine.connect(url, request_timeout=300)
        service = AsyncSavedObjectsService(engine, config=config(), max_import_export_size=limit)
        configure(service)
        app = create_app(service.start(), xsrf=False)
        app.state.max_import_payload_bytes = PAYLOAD_LIMIT
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        )
        await server.serve()

    asyncio.run(main())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def memory_kib(pid: int) -> dict[str, int]:
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0])
    return values


class Server:
    """The app in a subprocess; ``peak_mib()`` is its peak RSS so far."""

    def __init__(self, url: str, limit: int) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", url, str(self.port), str(limit)],
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            self.stop()
            raise RuntimeError("the server did not start")
        self.warm_up()
        self.idle_mib = memory_kib(self.process.pid)["VmRSS"] / 1024

    def warm_up(self) -> None:
        """An empty import and an export of nothing: the first request of a fresh
        process pays for lazy imports and first uses, which the in-process Python runs
        (after the sync ones) do not."""
        with httpx.Client(base_url=self.base, timeout=60) as client:
            empty = client.post(
                "/api/saved_objects/_import",
                files={"file": ("export.ndjson", b"", "application/ndjson")},
            )
            assert empty.status_code == 200, empty.text
            client.post("/api/saved_objects/_export", json={"type": TYPE}).raise_for_status()

    def peak_mib(self) -> float:
        return memory_kib(self.process.pid)["VmHWM"] / 1024

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


# --- the measured paths --------------------------------------------------------------------


def timed(run: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def drop(engine: Engine) -> None:
    found = engine.perform(rq.get_index(f"{ALIAS}*"))
    names = [name for name in found if name.startswith(ALIAS)]
    if names:
        engine.perform(rq.delete_index(names))


def reset(engine: Engine, start: Any) -> None:
    drop(engine)
    start.create_internal_repository().setup_indices()


def python_import(start: Any, path: Path, count: int) -> None:
    importer = start.create_importer(start.get_scoped_client(RequestContext()))
    with path.open("rb") as lines:
        result = importer.import_(lines)
    assert result["success"], result.get("errors")
    assert result["successCount"] == count, result["successCount"]


def python_export(start: Any, count: int) -> None:
    exporter = start.create_exporter(start.get_scoped_client(RequestContext()))
    written = sum(1 for _ in exporter.export_by_types([TYPE]))
    assert written == count + 1, written


def async_python(url: str, count: int, path: Path) -> tuple[float, float]:
    """The async Python API (what the server runs, minus HTTP) in a fresh event loop:
    (import seconds, export seconds)."""
    from kbn_saved_objects.engine import AsyncEngine
    from kbn_saved_objects.service import AsyncSavedObjectsService

    async def run() -> tuple[float, float]:
        engine = await AsyncEngine.connect(url, request_timeout=300)
        try:
            service = AsyncSavedObjectsService(
                engine, config=config(), max_import_export_size=count
            )
            configure(service)
            start = service.start()
            client = start.get_scoped_client(RequestContext())
            started = time.perf_counter()
            with path.open("rb") as lines:
                result = await start.create_importer(client).import_(lines)
            imported = time.perf_counter() - started
            assert result["successCount"] == count, result.get("errors")
            await engine.perform(rq.refresh(f"{ALIAS}*"))
            started = time.perf_counter()
            written = 0
            async for _ in start.create_exporter(client).export_by_types([TYPE]):
                written += 1
            exported = time.perf_counter() - started
            assert written == count + 1, written
            return imported, exported
        finally:
            await engine.close()

    return asyncio.run(run())


def http_import(client: httpx.Client, path: Path, count: int) -> None:
    with path.open("rb") as upload:
        response = client.post(
            "/api/saved_objects/_import",
            files={"file": ("export.ndjson", upload, "application/ndjson")},
        )
    body = response.json()
    assert response.status_code == 200, body
    assert body["successCount"] == count, body


def http_export(client: httpx.Client, count: int) -> None:
    lines = 0
    with client.stream("POST", "/api/saved_objects/_export", json={"type": TYPE}) as response:
        assert response.status_code == 200, response.read()
        for _ in response.iter_lines():
            lines += 1
    assert lines == count + 1, lines


def refresh(engine: Engine, start: Any) -> None:
    engine.perform(rq.refresh(f"{ALIAS}*"))


def measure(engine: Engine, url: str, count: int, path: Path) -> dict[str, Any]:
    service = SavedObjectsService(engine, config=config(), max_import_export_size=count)
    configure(service)
    start = service.start()
    figures: dict[str, Any] = {"docs": count}

    reset(engine, start)
    figures["python_import_s"], _ = timed(lambda: python_import(start, path, count))
    refresh(engine, start)
    figures["python_export_s"], _ = timed(lambda: python_export(start, count))

    reset(engine, start)
    figures["async_import_s"], figures["async_export_s"] = async_python(url, count, path)

    reset(engine, start)
    server = Server(url, count)
    try:
        figures["server_idle_mib"] = server.idle_mib
        with httpx.Client(base_url=server.base, timeout=None) as client:  # made untimed
            figures["http_import_s"], _ = timed(lambda: http_import(client, path, count))
        figures["import_peak_rss_mib"] = server.peak_mib()
    finally:
        server.stop()
    refresh(engine, start)
    server = Server(url, count)
    try:
        with httpx.Client(base_url=server.base, timeout=None) as client:
            figures["http_export_s"], _ = timed(lambda: http_export(client, count))
        figures["export_peak_rss_mib"] = server.peak_mib()
    finally:
        server.stop()
    drop(engine)
    return figures


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--serve":
        serve(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    provided = provide_engine()
    rows = []
    try:
        with (
            Engine.connect(provided.url, request_timeout=300) as engine,
            tempfile.TemporaryDirectory() as tmp,
        ):
            for count in args.docs:
                path = Path(tmp) / f"bench-{count}.ndjson"
                write_file(path, count)
                rows.append(measure(engine, provided.url, count, path))
                path.unlink()
            print(engine.info)
    finally:
        provided.stop()
    print("seconds: sync Python API / async Python API / HTTP; ratio = HTTP vs async")
    print(
        f"{'objects':>8}{'import s':>18}{'ratio':>7}{'export s':>18}{'ratio':>7}"
        f"{'idle MiB':>10}{'import peak':>13}{'export peak':>13}"
    )
    for row in rows:
        imp = f"{row['python_import_s']:.1f}/{row['async_import_s']:.1f}/{row['http_import_s']:.1f}"
        exp = f"{row['python_export_s']:.1f}/{row['async_export_s']:.1f}/{row['http_export_s']:.1f}"
        print(
            f"{row['docs']:>8}{imp:>18}{row['http_import_s'] / row['async_import_s']:>7.2f}"
            f"{exp:>18}{row['http_export_s'] / row['async_export_s']:>7.2f}"
            f"{row['server_idle_mib']:>10.0f}{row['import_peak_rss_mib']:>13.0f}"
            f"{row['export_peak_rss_mib']:>13.0f}"
        )
    save_results("http_import_export", {"rows": rows})


if __name__ == "__main__":
    main()
