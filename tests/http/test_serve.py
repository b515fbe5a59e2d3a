"""``kbn-so serve`` run as a user runs it: a real process on a free port, the real engine,
a registry module (or a setup function) in the current directory."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests._paths import REPO_ROOT

MODULE = '''
from kbn_saved_objects.extensions.spaces import enable_spaces
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry

NOTE = SavedObjectsType(
    name="note", namespace_type="multiple-isolated",
    mappings={"properties": {"title": {"type": "text"}}},
)

registry = SavedObjectTypeRegistry()
registry.register(NOTE)


def setup(service):
    """A setup function: types and extensions, as an application registers them."""
    service.setup().register_type(NOTE)
    enable_spaces(service)


NOT_A_REGISTRY = 42
'''


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def kbn_so(*args: str) -> list[str]:
    """The ``kbn-so`` script of this interpreter's environment."""
    script = Path(sys.executable).parent / "kbn-so"
    return [str(script), *args]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "served_types.py").write_text(MODULE, encoding="utf-8")
    return tmp_path


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO_ROOT)}


@pytest.fixture
def serve(workdir: Path, kbn_engine_url: str, kbn_index_prefix: str) -> Iterator[object]:
    processes: list[subprocess.Popen[bytes]] = []

    def start(reference: str, *extra: str) -> str:
        port = free_port()
        process = subprocess.Popen(
            kbn_so(
                "serve",
                "--registry",
                reference,
                "--port",
                str(port),
                "--engine-url",
                kbn_engine_url,
                "--index",
                f"{kbn_index_prefix}-serve",
                *extra,
            ),
            cwd=workdir,
            env=environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"kbn-so serve exited {process.returncode}: {output}")
            try:
                httpx.get(f"{url}/api/saved_objects/_find?type=note", timeout=1)
                return url
            except httpx.TransportError:
                time.sleep(0.1)
        pytest.fail("kbn-so serve did not answer within 60s")

    yield start
    for process in processes:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def round_trip(url: str) -> None:
    http = httpx.Client(base_url=url, headers={"kbn-xsrf": "true"})
    created = http.post("/s/s1/api/saved_objects/note/n1", json={"attributes": {"title": "hi"}})
    assert created.status_code == 200, created.text
    assert created.json()["namespaces"] == ["s1"]
    assert http.get("/s/s1/api/saved_objects/note/n1").json()["attributes"] == {"title": "hi"}
    assert http.get("/api/saved_objects/note/n1").status_code == 404
    found = http.get("/s/s1/api/saved_objects/_find", params={"type": "note"}).json()
    assert found["total"] == 1


def test_serve_a_registry(serve: object) -> None:
    round_trip(serve("served_types:registry"))  # type: ignore[operator]


def test_serve_with_a_setup_function(serve: object) -> None:
    round_trip(serve("served_types:setup"))  # type: ignore[operator]


def test_serve_without_xsrf(serve: object) -> None:
    url = serve("served_types:registry", "--no-xsrf")  # type: ignore[operator]
    response = httpx.post(f"{url}/api/saved_objects/note", json={"attributes": {}})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("served_types:NOT_A_REGISTRY", "is not a SavedObjectTypeRegistry"),
        ("no_such_module:x", "cannot load no_such_module:x"),
        ("served_types", "expected module:attribute"),
    ],
)
def test_a_bad_registry_is_a_usage_error(workdir: Path, reference: str, message: str) -> None:
    result = subprocess.run(
        kbn_so("serve", "--registry", reference, "--engine-url", "http://127.0.0.1:9"),
        cwd=workdir,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_engine_that_does_not_answer_exits_4(workdir: Path) -> None:
    result = subprocess.run(
        kbn_so(
            "serve",
            "--registry",
            "served_types:registry",
            "--engine-url",
            f"http://127.0.0.1:{free_port()}",
        ),
        cwd=workdir,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr
