"""Every example of the README and of docs/ runs, as written, on the real engine.

A guide whose examples do not run teaches the wrong thing, so each Markdown file's blocks
are executed in page order, as a reader would paste them:

* ``python`` blocks run in one namespace (a later block may use what an earlier one
  defined);
* ``python title="name.py"`` blocks are files the reader saves: they are written to the
  working directory, not run;
* ``bash`` blocks are shell commands: a line starting with ``kbn-so serve`` starts that
  server in the background (stopped after the page, the next lines wait until it
  answers); the other lines run with ``bash -euo pipefail``, so a failing ``curl -f``
  fails the test. ``kbn-so`` is this checkout's.

Things adapted, all invisible to the reader: an engine URL on 127.0.0.1 becomes the test
engine's; the HTTP port ``5601`` of shell blocks becomes a free one; the blocks run in a
temporary working directory (files they write land there); and the indices a file
created are deleted after it (the test engine may be shared). A block that must not run
(a sketch, or output) is written as ``text`` or another language.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.repository.config import DEFAULT_INDEX
from tests._paths import REPO_ROOT

pytestmark = pytest.mark.engine

PAGES = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r'^```(python|bash)(?: title="([^"]+)")?\n(.*?)^```', re.S | re.M)
LOCAL_URL = re.compile(r"http://127\.0\.0\.1:\d+")
HTTP_PORT = re.compile(r"\b5601\b")


@dataclass(frozen=True)
class Block:
    language: str
    title: str | None
    source: str


def blocks(page: Path) -> list[Block]:
    return [
        Block(language, title or None, source)
        for language, title, source in BLOCK.findall(page.read_text(encoding="utf-8"))
    ]


def python_blocks(page: Path) -> list[str]:
    return [b.source for b in blocks(page) if b.language == "python" and b.title is None]


def index_names(engine: Engine) -> set[str]:
    return set(engine.perform(rq.get_index("*", ignore_unavailable=True)))


def named_in(page: Path, names: set[str]) -> list[str]:
    """The indices among ``names`` that the page's examples made: each starts with an
    index name quoted in the page (``"my_service"`` makes ``my_service_001``). Other
    tests may create indices on the same engine meanwhile; those are left alone."""
    quoted = set(re.findall(r'"([a-z0-9][a-z0-9_.-]*)"', page.read_text(encoding="utf-8")))
    quoted.add(DEFAULT_INDEX)  # where a repository without a configuration writes
    return sorted(
        name
        for name in names
        if not name.startswith("kbn-so-") and any(name.startswith(q) for q in quoted)
    )


@pytest.fixture
def clean_indices(kbn_engine: Engine, page: Path) -> Iterator[None]:
    before = index_names(kbn_engine)
    yield
    created = named_in(page, index_names(kbn_engine) - before)
    if created:
        kbn_engine.perform(rq.delete_index(created, ignore_unavailable=True))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Shell:
    """Runs a page's ``bash`` blocks; keeps the servers they start until :meth:`close`."""

    def __init__(self, workdir: Path, engine_url: str) -> None:
        self.workdir = workdir
        self.engine_url = engine_url
        self.port = free_port()
        self.servers: list[subprocess.Popen[bytes]] = []
        bin_dir = str(Path(sys.executable).parent)
        self.env = {
            **os.environ,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), str(workdir)]),
        }

    def adapt(self, source: str) -> str:
        return HTTP_PORT.sub(str(self.port), LOCAL_URL.sub(self.engine_url, source))

    def run(self, source: str, name: str) -> None:
        script: list[str] = []
        for line in self.adapt(source).replace("\\\n", " ").splitlines():
            if line.startswith("kbn-so serve"):
                self._serve(line.rstrip(" &"))
            else:
                script.append(line)
        if any(line.strip() for line in script):
            result = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", "\n".join(script)],
                cwd=self.workdir,
                env=self.env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert result.returncode == 0, (
                f"{name} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
            )

    def _serve(self, command: str) -> None:
        server = subprocess.Popen(
            ["bash", "-c", f"exec {command}"],
            cwd=self.workdir,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.servers.append(server)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                output = server.stdout.read().decode() if server.stdout else ""
                pytest.fail(f"`{command}` exited {server.returncode}:\n{output}")
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/", timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        pytest.fail(f"`{command}` did not answer on port {self.port} within 60s")

    def close(self) -> None:
        for server in self.servers:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@pytest.mark.parametrize(
    "page",
    [p for p in PAGES if any(b.language in ("python", "bash") for b in blocks(p))],
    ids=lambda p: p.relative_to(REPO_ROOT).as_posix(),
)
@pytest.mark.usefixtures("clean_indices")
def test_the_examples_run(
    page: Path, kbn_engine_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem.replace('-', '_')}"}
    shell = Shell(tmp_path, kbn_engine_url)
    try:
        for number, block in enumerate(blocks(page), start=1):
            name = f"{page.name} block {number}"
            if block.title is not None:
                (tmp_path / block.title).write_text(
                    LOCAL_URL.sub(kbn_engine_url, block.source), encoding="utf-8"
                )
            elif block.language == "python":
                source = LOCAL_URL.sub(kbn_engine_url, block.source)
                exec(compile(source, name, "exec"), namespace)
            else:
                shell.run(block.source, name)
    finally:
        shell.close()
