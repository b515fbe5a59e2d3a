"""A real OpenSearch node the project starts itself, from Maven Central artifacts.

Machines without a Docker engine still have Java and Maven, so the library can provision
an OpenSearch server without any download outside Maven Central: Maven resolves the
server jar and the modules we need (HTTP transport, reindex, painless, mapper extras,
analysis, join, matrix stats) into a cache folder, and a 60-line Java launcher of ours
(``LocalEngine.java``) starts one node with those modules on its classpath, bound to
127.0.0.1 on a free port.

Two ways to run it:

* *attached* (tests): the node watches its standard input and exits when it closes, so a
  test run that dies, even by SIGKILL, never leaves a JVM behind;
* *detached* (``kbn-so engine start``): the node runs in its own session and a state file
  records its pid and URL for ``kbn-so engine status|stop``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import IO, Any

OPENSEARCH_VERSION = "2.19.6"
"""The newest OpenSearch that runs on Java 17."""

INSTALL_HINT = (
    "Install Java 17 and Maven (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless maven), "
    "or point KBN_SO_ENGINE_URL at a running Elasticsearch 8/9 or OpenSearch 2/3, "
    "or run a Docker daemon for testcontainers."
)


class LocalEngineError(RuntimeError):
    """The local engine could not be provisioned, started or stopped."""


def cache_root() -> Path:
    """Where jars, the compiled launcher and the engine state live (``KBN_SO_CACHE_DIR``)."""
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "kbn-saved-objects"
    return Path(os.environ.get("KBN_SO_CACHE_DIR", default))


def state_file() -> Path:
    """Where a detached node is recorded (``KBN_SO_ENGINE_STATE`` overrides it)."""
    override = os.environ.get("KBN_SO_ENGINE_STATE")
    return Path(override) if override else cache_root() / "engine.json"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tool(name: str, env_home: str | None = None) -> str:
    if env_home:
        candidate = Path(env_home) / "bin" / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise LocalEngineError(f"`{name}` was not found on PATH. {INSTALL_HINT}")
    return found


def java_executable() -> str:
    return _tool("java", os.environ.get("JAVA_HOME"))


def tools_available() -> bool:
    """Whether this machine can provision the local engine (Java and Maven present)."""
    return all(
        shutil.which(t) or (t == "java" and os.environ.get("JAVA_HOME")) for t in ("java", "mvn")
    )


def _read_resource(name: str) -> str:
    return resources.files("kbn_saved_objects.engine.local").joinpath(name).read_text()


@dataclass(frozen=True)
class Distribution:
    """The provisioned jars and compiled launcher of one OpenSearch version."""

    version: str
    home: Path

    @property
    def lib(self) -> Path:
        return self.home / "lib"

    @property
    def classes(self) -> Path:
        return self.home / "classes"

    def classpath(self) -> str:
        return f"{self.classes}{os.pathsep}{self.lib}/*"


def provision(version: str = OPENSEARCH_VERSION, *, quiet: bool = True) -> Distribution:
    """Resolve the jars with Maven and compile the launcher, once per version.

    Both steps leave a marker file when complete, so an interrupted download is resumed
    rather than trusted.
    """
    dist = Distribution(version, cache_root() / f"opensearch-{version}")
    dist.home.mkdir(parents=True, exist_ok=True)
    jars_done = dist.home / ".jars-complete"
    if not jars_done.exists():
        pom = dist.home / "pom.xml"
        pom.write_text(_read_resource("pom.xml").replace("@OPENSEARCH_VERSION@", version))
        command = [
            _tool("mvn", os.environ.get("MAVEN_HOME")),
            "-B",
            "-f",
            str(pom),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={dist.lib}",
        ]
        if quiet:
            command.insert(1, "-q")
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise LocalEngineError(
                f"Maven could not resolve OpenSearch {version} (exit {result.returncode}):\n"
                f"{(result.stdout + result.stderr)[-3000:]}\n{INSTALL_HINT}"
            )
        jars_done.touch()
    launcher_done = dist.home / ".launcher-complete"
    source = _read_resource("LocalEngine.java")
    source_copy = dist.home / "LocalEngine.java"
    if not launcher_done.exists() or source_copy.read_text() != source:
        source_copy.write_text(source)
        dist.classes.mkdir(exist_ok=True)
        result = subprocess.run(
            [
                _tool("javac", os.environ.get("JAVA_HOME")),
                "-cp",
                f"{dist.lib}/*",
                "-d",
                str(dist.classes),
                str(source_copy),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise LocalEngineError(f"could not compile the launcher:\n{result.stderr[-3000:]}")
        launcher_done.touch()
    return dist


@dataclass
class EngineState:
    """What ``kbn-so engine status|stop`` needs to find a detached node again."""

    pid: int
    url: str
    data_dir: str
    log_file: str
    version: str
    remove_data: bool

    def save(self) -> None:
        path = state_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self)))

    @classmethod
    def load(cls) -> EngineState | None:
        path = state_file()
        if not path.exists():
            return None
        return cls(**json.loads(path.read_text()))

    @staticmethod
    def clear() -> None:
        state_file().unlink(missing_ok=True)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child still answers kill(0); ask /proc where it exists
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        with contextlib.suppress(OSError, IndexError):
            return stat.read_text().split(")")[-1].split()[0] != "Z"
    return True


def http_get_json(url: str, timeout: float = 2.0) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


class LocalNode:
    """One OpenSearch node on 127.0.0.1. Use as a context manager, or start/stop."""

    def __init__(
        self,
        *,
        version: str = OPENSEARCH_VERSION,
        data_dir: Path | None = None,
        port: int | None = None,
        heap: str | None = None,
    ) -> None:
        self.version = version
        self._remove_data = data_dir is None
        self.data_dir = Path(data_dir or tempfile.mkdtemp(prefix="kbn-so-engine-"))
        self.port = port or free_port()
        self.heap = heap or os.environ.get("KBN_SO_ENGINE_HEAP", "1g")
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "engine.log"

    def command(self, dist: Distribution, *, watch_stdin: bool) -> list[str]:
        home = self.data_dir / "home"
        (home / "config").mkdir(parents=True, exist_ok=True)
        settings = {
            "path.home": home,
            "path.data": self.data_dir / "data",
            "path.logs": self.data_dir / "logs",
            "cluster.name": "kbn-saved-objects",
            "node.name": "kbn-so-local",
            "network.host": "127.0.0.1",
            "http.port": self.port,
            "transport.port": free_port(),
            "discovery.type": "single-node",
            # a nearly full disk must not turn every index read-only under the tests
            "cluster.routing.allocation.disk.threshold_enabled": "false",
        }
        return [
            java_executable(),
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            "-Dfile.encoding=UTF-8",
            "-Dlog4j2.disable.jmx=true",
            f"-Dkbn.watchStdin={'true' if watch_stdin else 'false'}",
            "-cp",
            dist.classpath(),
            "LocalEngine",
            *(f"{key}={value}" for key, value in settings.items()),
        ]

    def start(self, *, attached: bool = True, timeout: float = 180.0) -> str:
        """Start the node and wait until the cluster is yellow; return its URL."""
        dist = provision(self.version)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._log = self.log_file.open("ab")
        self.process = subprocess.Popen(
            self.command(dist, watch_stdin=attached),
            stdin=subprocess.PIPE if attached else subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=not attached,
        )
        try:
            self.wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        if not attached:
            EngineState(
                pid=self.process.pid,
                url=self.url,
                data_dir=str(self.data_dir),
                log_file=str(self.log_file),
                version=self.version,
                remove_data=self._remove_data,
            ).save()
        return self.url

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        health = f"{self.url}/_cluster/health?wait_for_status=yellow&timeout=1s"
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise LocalEngineError(
                    f"the OpenSearch node exited with code {self.process.returncode}:\n"
                    f"{self.log_tail()}"
                )
            with contextlib.suppress(OSError, urllib.error.URLError, ValueError):
                if http_get_json(health).get("status") in ("green", "yellow"):
                    return
            time.sleep(0.25)
        raise LocalEngineError(
            f"the OpenSearch node was not ready after {timeout}s:\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the node (closing stdin, then SIGTERM, then SIGKILL) and remove temp data."""
        process = self.process
        if process is not None and process.poll() is None:
            if process.stdin is not None:
                with contextlib.suppress(OSError):
                    process.stdin.close()
            try:
                process.wait(timeout=timeout / 2)
            except subprocess.TimeoutExpired:
                process.terminate()
                try:
                    process.wait(timeout=timeout / 2)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None
        self.process = None
        if self._remove_data:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> LocalNode:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def stop_detached(state: EngineState, timeout: float = 30.0) -> None:
    """Stop a node started by ``kbn-so engine start`` (possibly from another process)."""
    if process_alive(state.pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(state.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while process_alive(state.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if process_alive(state.pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(state.pid, signal.SIGKILL)
    if state.remove_data:
        shutil.rmtree(state.data_dir, ignore_errors=True)
    EngineState.clear()
