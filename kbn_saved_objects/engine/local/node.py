"""A real OpenSearch node (or cluster) the project starts itself, from Maven Central artifacts.

Machines without a Docker engine still have Java and Maven, so the library can provision
an OpenSearch server without any download outside Maven Central: Maven resolves the
server jar and the modules we need (HTTP transport, reindex, painless, mapper extras,
analysis, join, matrix stats) into a cache folder, and a small Java launcher of ours
(``LocalEngine.java``) starts one node with those modules on its classpath, bound to
127.0.0.1 on a free port. The same launcher serves OpenSearch 2.x (Java 17 or newer) and
3.x (Java 21 or newer); :func:`find_jdk` picks a JDK that can run the version asked for.

Two ways to run it:

* *attached* (tests): the node watches its standard input and exits when it closes, so a
  test run that dies, even by SIGKILL, never leaves a JVM behind;
* *detached* (``kbn-so engine start``): the node runs in its own session and a state file
  records its pid and URL for ``kbn-so engine status|stop``.

:class:`LocalCluster` starts several such nodes as one cluster on loopback (distinct
HTTP and transport ports, distinct data folders); each node can be killed on its own.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO, Any

OPENSEARCH_VERSION = "2.19.6"
"""The default: the newest OpenSearch 2, which runs on Java 17."""

OPENSEARCH_3_VERSION = "3.9.0"
"""The newest OpenSearch 3 whose artifacts all resolve from Maven Central (needs Java 21+)."""

KNOWN_VERSIONS = {"2": OPENSEARCH_VERSION, "3": OPENSEARCH_3_VERSION}
"""What a bare major (``--version 3``) stands for."""

ENV_VERSION = "KBN_SO_ENGINE_VERSION"
"""Which OpenSearch version local nodes run when none is given (tests, CLI, demo)."""

ENV_JAVA21 = "KBN_SO_JAVA21_HOME"
"""A JDK 21 or newer for OpenSearch 3; when set it is used as is, or refused loudly."""

JDK_SEARCH_PATTERNS = (
    "/usr/lib/jvm/*",
    "/usr/java/*",
    "/opt/java/*",
    "/opt/jdk*",
    "/Library/Java/JavaVirtualMachines/*/Contents/Home",
    "~/.sdkman/candidates/java/*",
    "~/.jdks/*",
)
"""Usual install locations of JDKs, searched after the environment (newest JDK first)."""

INSTALL_HINT = (
    "Install Maven and a JDK: Java 17+ for OpenSearch 2, Java 21+ for OpenSearch 3 "
    "(Debian/Ubuntu: apt-get install maven openjdk-17-jdk-headless, and openjdk-21-jdk-headless "
    f"or Eclipse Temurin 21 from https://adoptium.net, with {ENV_JAVA21} pointing at it "
    "if it is not under /usr/lib/jvm); "
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


def resolve_version(spec: str) -> str:
    """``3`` -> the newest known 3.x; ``3.9.0`` as is; anything else is refused."""
    spec = spec.strip()
    if spec in KNOWN_VERSIONS:
        return KNOWN_VERSIONS[spec]
    match = re.fullmatch(r"(\d+)\.\d+\.\d+", spec)
    if match is None:
        raise LocalEngineError(
            f"unknown OpenSearch version {spec!r}: give a major ({', '.join(KNOWN_VERSIONS)}) "
            f"or a full version such as {OPENSEARCH_3_VERSION}"
        )
    if int(match.group(1)) not in (2, 3):
        raise LocalEngineError(
            f"OpenSearch {spec} is not supported by the local engine: it starts 2.x and 3.x"
        )
    return spec


def default_version() -> str:
    """The version local nodes run unless told otherwise: ``KBN_SO_ENGINE_VERSION`` or 2.19.6."""
    return resolve_version(os.environ.get(ENV_VERSION) or OPENSEARCH_VERSION)


def required_java(version: str) -> int:
    """The oldest Java major that runs this OpenSearch version."""
    return 21 if int(version.split(".")[0]) >= 3 else 17


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise LocalEngineError(f"`{name}` was not found on PATH. {INSTALL_HINT}")
    return found


@dataclass(frozen=True)
class Jdk:
    """A JDK home with ``java`` and ``javac``, and its Java major version."""

    home: Path
    major: int

    @property
    def java(self) -> str:
        return str(self.home / "bin" / "java")

    @property
    def javac(self) -> str:
        return str(self.home / "bin" / "javac")


def _java_major(home: Path) -> int | None:
    """The Java major of a JDK home, from its ``release`` file or else ``java -version``."""
    with contextlib.suppress(OSError):
        found = re.search(r'^JAVA_VERSION="([^"]+)"', (home / "release").read_text(), re.M)
        if found:
            return _major_of(found.group(1))
    try:
        result = subprocess.run(
            [str(home / "bin" / "java"), "-version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r'version "([^"]+)"', result.stderr)
    return _major_of(found.group(1)) if found else None


def _major_of(version: str) -> int:
    parts = version.split(".")
    return int(parts[1]) if parts[0] == "1" and len(parts) > 1 else int(parts[0].split("-")[0])


def _inspect(home: Path) -> Jdk | str:
    """The JDK at ``home``, or why it cannot be used."""
    if not (home / "bin" / "java").exists():
        return "no bin/java"
    if not (home / "bin" / "javac").exists():
        return "a JRE without javac"
    major = _java_major(home)
    if major is None:
        return "its Java version could not be read"
    return Jdk(home, major)


def _home_of_path_java() -> Path | None:
    found = shutil.which("java")
    return Path(found).resolve().parent.parent if found else None


def find_jdk(minimum: int, *, purpose: str = "the local engine") -> Jdk:
    """A JDK of Java ``minimum`` or newer, looked for in a fixed order.

    1. ``KBN_SO_JAVA21_HOME`` (when Java 21+ is needed): used if it fits, else an error,
       since an explicit choice must never be silently replaced;
    2. ``JAVA_HOME``, then the ``java`` on ``PATH``, if new enough;
    3. the usual install locations (:data:`JDK_SEARCH_PATTERNS`), newest JDK first.

    Raises :class:`LocalEngineError` naming what to install when none fits.
    """
    looked: list[str] = []
    explicit = os.environ.get(ENV_JAVA21) if minimum >= 21 else None
    if explicit:
        jdk = _inspect(Path(explicit))
        if isinstance(jdk, Jdk) and jdk.major >= minimum:
            return jdk
        why = jdk if isinstance(jdk, str) else f"Java {jdk.major}"
        raise LocalEngineError(
            f"{ENV_JAVA21}={explicit} cannot run {purpose} ({why}); it needs a Java "
            f"{minimum} or newer JDK. Point {ENV_JAVA21} at one, or unset it."
        )
    candidates: list[tuple[str, Path]] = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(("JAVA_HOME", Path(os.environ["JAVA_HOME"])))
    path_home = _home_of_path_java()
    if path_home is not None:
        candidates.append(("java on PATH", path_home))
    for label, home in candidates:
        jdk = _inspect(home)
        if isinstance(jdk, Jdk) and jdk.major >= minimum:
            return jdk
        looked.append(f"{label} {home} ({jdk if isinstance(jdk, str) else f'Java {jdk.major}'})")
    installed: list[Jdk] = []
    for pattern in JDK_SEARCH_PATTERNS:
        for found in sorted(glob.glob(os.path.expanduser(pattern))):
            if Path(found).is_symlink():
                continue
            jdk = _inspect(Path(found))
            if isinstance(jdk, Jdk):
                installed.append(jdk)
                looked.append(f"{found} (Java {jdk.major})")
    fitting = [jdk for jdk in installed if jdk.major >= minimum]
    if fitting:
        return max(fitting, key=lambda jdk: jdk.major)
    env_hint = f" and set {ENV_JAVA21} (or JAVA_HOME) to its folder" if minimum >= 21 else ""
    raise LocalEngineError(
        f"{purpose} needs a Java {minimum} or newer JDK (java and javac) and none was found "
        f"(looked at: {'; '.join(looked) or 'nothing'}; "
        f"and {', '.join(JDK_SEARCH_PATTERNS)}). Install one, e.g. "
        f"apt-get install openjdk-{minimum}-jdk-headless or Eclipse Temurin {minimum} "
        f"from https://adoptium.net{env_hint}."
    )


def _read_resource(name: str) -> str:
    return resources.files("kbn_saved_objects.engine.local").joinpath(name).read_text()


@dataclass(frozen=True)
class Distribution:
    """The provisioned jars and compiled launcher of one OpenSearch version."""

    version: str
    lib: Path
    classes: Path
    jdk: Jdk

    def classpath(self) -> str:
        return f"{self.classes}{os.pathsep}{self.lib}/*"


def _run_maven(command: list[str], version: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise LocalEngineError(
            f"Maven could not resolve OpenSearch {version} (exit {result.returncode}):\n"
            f"{(result.stdout + result.stderr)[-3000:]}\n{INSTALL_HINT}"
        )


def provision(version: str = OPENSEARCH_VERSION, *, quiet: bool = True) -> Distribution:
    """Find a JDK, resolve the jars with Maven and compile the launcher, once per version.

    The JDK comes first so that a machine without Java 21 hears so before any download.
    Both steps leave a marker file when complete, so an interrupted download is resumed
    rather than trusted. The launcher is compiled for the oldest Java the version runs on
    (``--release``), so a later switch to another fitting JDK needs no recompilation.
    """
    version = resolve_version(version)
    minimum = required_java(version)
    jdk = find_jdk(minimum, purpose=f"OpenSearch {version}")
    home = cache_root() / f"opensearch-{version}"
    lib = home / "lib"
    home.mkdir(parents=True, exist_ok=True)
    jars_done = home / ".jars-complete"
    if not jars_done.exists():
        pom = home / "pom.xml"
        pom.write_text(_read_resource("pom.xml").replace("@OPENSEARCH_VERSION@", version))
        mvn = [_tool("mvn"), "-B", *(["-q"] if quiet else []), "-f", str(pom)]
        _run_maven([*mvn, "dependency:copy-dependencies", f"-DoutputDirectory={lib}"], version)
        # OpenSearch ships log4j-api only; the matching log4j-core lets it log to files.
        api = sorted(lib.glob("log4j-api-*.jar"))
        if not api:
            raise LocalEngineError(f"OpenSearch {version} resolved without log4j-api")
        log4j = api[-1].name.removeprefix("log4j-api-").removesuffix(".jar")
        _run_maven(
            [
                *mvn,
                "dependency:copy",
                f"-Dartifact=org.apache.logging.log4j:log4j-core:{log4j}",
                f"-DoutputDirectory={lib}",
            ],
            version,
        )
        jars_done.touch()
    source = _read_resource("LocalEngine.java")
    # one folder per launcher source and target release: checkouts with different
    # launchers can share the cache without recompiling under each other's running nodes
    digest = hashlib.sha256(source.encode()).hexdigest()[:12]
    build = home / f"launcher-{digest}-java{minimum}"
    if not build.exists():
        # compiled aside and renamed into place, so a concurrent start never sees half of it
        scratch = Path(tempfile.mkdtemp(prefix="launcher-", dir=home))
        (scratch / "classes").mkdir()
        (scratch / "LocalEngine.java").write_text(source)
        result = subprocess.run(
            [
                jdk.javac,
                "--release",
                str(minimum),
                "-cp",
                f"{lib}/*",
                "-d",
                str(scratch / "classes"),
                str(scratch / "LocalEngine.java"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            shutil.rmtree(scratch, ignore_errors=True)
            raise LocalEngineError(f"could not compile the launcher:\n{result.stderr[-3000:]}")
        try:
            scratch.rename(build)
        except OSError:  # another process won the race with the same launcher
            shutil.rmtree(scratch, ignore_errors=True)
    return Distribution(version, lib, build / "classes", jdk)


@dataclass
class EngineState:
    """What ``kbn-so engine status|stop`` needs to find a detached node or cluster again.

    ``pid``/``url`` are the first node's; ``pids``/``urls`` list every node of a cluster
    (empty for a single node, as in state files written before clusters existed).
    """

    pid: int
    url: str
    data_dir: str
    log_file: str
    version: str
    remove_data: bool
    pids: list[int] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    @property
    def all_pids(self) -> list[int]:
        return self.pids or [self.pid]

    @property
    def all_urls(self) -> list[str]:
        return self.urls or [self.url]

    def alive_pids(self) -> list[int]:
        return [pid for pid in self.all_pids if process_alive(pid)]

    def live_url(self) -> str | None:
        """The URL of a node that still runs (any node of a cluster answers), or ``None``."""
        alive = set(self.alive_pids())
        return next(
            (u for pid, u in zip(self.all_pids, self.all_urls, strict=False) if pid in alive), None
        )

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
    """One OpenSearch node on 127.0.0.1. Use as a context manager, or start/stop.

    Alone (the default) it is a single-node cluster; :class:`LocalCluster` passes
    ``discovery`` settings that make it one of several.
    """

    def __init__(
        self,
        *,
        version: str | None = None,
        data_dir: Path | None = None,
        port: int | None = None,
        heap: str | None = None,
        name: str = "kbn-so-local",
        transport_port: int | None = None,
        discovery: dict[str, str] | None = None,
    ) -> None:
        self.version = resolve_version(version) if version else default_version()
        self._remove_data = data_dir is None
        self.data_dir = Path(data_dir or tempfile.mkdtemp(prefix="kbn-so-engine-"))
        self.port = port or free_port()
        self.transport_port = transport_port or free_port()
        self.heap = heap or os.environ.get("KBN_SO_ENGINE_HEAP", "1g")
        self.name = name
        self.discovery = discovery or {"discovery.type": "single-node"}
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "engine.log"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def command(self, dist: Distribution, *, watch_stdin: bool) -> list[str]:
        home = self.data_dir / "home"
        (home / "config").mkdir(parents=True, exist_ok=True)
        settings = {
            "path.home": home,
            "path.data": self.data_dir / "data",
            "path.logs": self.data_dir / "logs",
            "cluster.name": "kbn-saved-objects",
            "node.name": self.name,
            "network.host": "127.0.0.1",
            "http.port": self.port,
            "transport.port": self.transport_port,
            **self.discovery,
            # a nearly full disk must not turn every index read-only under the tests
            "cluster.routing.allocation.disk.threshold_enabled": "false",
        }
        return [
            dist.jdk.java,
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

    def launch(self, dist: Distribution, *, attached: bool) -> None:
        """Start the JVM without waiting for it to serve."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._log = self.log_file.open("ab")
        self.process = subprocess.Popen(
            self.command(dist, watch_stdin=attached),
            stdin=subprocess.PIPE if attached else subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=not attached,
        )

    def start(self, *, attached: bool = True, timeout: float = 180.0) -> str:
        """Start the node and wait until the cluster is yellow; return its URL."""
        try:
            self.launch(provision(self.version), attached=attached)
            self.wait_ready(timeout)
        except BaseException:
            self.stop()  # also removes the temporary data folder made for this node
            raise
        if not attached:
            self.state().save()
        return self.url

    def state(self) -> EngineState:
        return EngineState(
            pid=self.pid or 0,
            url=self.url,
            data_dir=str(self.data_dir),
            log_file=str(self.log_file),
            version=self.version,
            remove_data=self._remove_data,
        )

    def exited(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def wait_ready(self, timeout: float, *, nodes: int = 1) -> None:
        deadline = time.monotonic() + timeout
        health = (
            f"{self.url}/_cluster/health?wait_for_status=yellow&wait_for_nodes={nodes}&timeout=1s"
        )
        while time.monotonic() < deadline:
            if self.exited():
                assert self.process is not None
                raise LocalEngineError(
                    f"the OpenSearch node {self.name} exited with code "
                    f"{self.process.returncode}:\n{self.log_tail()}"
                )
            with contextlib.suppress(OSError, urllib.error.URLError, ValueError):
                if http_get_json(health).get("status") in ("green", "yellow"):
                    return
            time.sleep(0.25)
        raise LocalEngineError(
            f"the OpenSearch node {self.name} was not ready after {timeout}s:\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def kill(self) -> None:
        """SIGKILL the node, as a crash would: no shutdown hook runs."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

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


class LocalCluster:
    """Several OpenSearch nodes forming one cluster on 127.0.0.1.

    Every node is cluster-manager eligible and holds data; they find each other through
    ``discovery.seed_hosts`` (their transport ports) and bootstrap the first election with
    ``cluster.initial_cluster_manager_nodes``. Each has its own ports and data folder
    under one root, so any node can be SIGKILLed (:meth:`kill`) while the others go on.
    Clients talk to :attr:`url`, the first node's HTTP port.
    """

    def __init__(
        self,
        size: int = 3,
        *,
        version: str | None = None,
        data_dir: Path | None = None,
        port: int | None = None,
        heap: str | None = None,
    ) -> None:
        if size < 1:
            raise LocalEngineError(f"a cluster needs at least one node, not {size}")
        self.version = resolve_version(version) if version else default_version()
        self._remove_data = data_dir is None
        self.data_dir = Path(data_dir or tempfile.mkdtemp(prefix="kbn-so-cluster-"))
        heap = heap or os.environ.get("KBN_SO_ENGINE_HEAP", "512m")
        names = [f"kbn-so-node-{i}" for i in range(size)]
        transport_ports = [free_port() for _ in names]
        discovery = {
            "discovery.seed_hosts": ",".join(f"127.0.0.1:{p}" for p in transport_ports),
            "cluster.initial_cluster_manager_nodes": ",".join(names),
        }
        self.nodes = [
            LocalNode(
                version=self.version,
                data_dir=self.data_dir / name,
                port=port if (i == 0 and port) else None,
                heap=heap,
                name=name,
                transport_port=transport_ports[i],
                discovery=discovery,
            )
            for i, name in enumerate(names)
        ]

    @property
    def url(self) -> str:
        return self.nodes[0].url

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes]

    def start(self, *, attached: bool = True, timeout: float = 300.0) -> str:
        """Start every node, wait until all joined and the cluster is yellow; return a URL."""
        try:
            dist = provision(self.version)
            for node in self.nodes:
                node.launch(dist, attached=attached)
            deadline = time.monotonic() + timeout
            for node in self.nodes:
                node.wait_ready(max(deadline - time.monotonic(), 1.0), nodes=len(self.nodes))
        except BaseException:
            self.stop()
            raise
        if not attached:
            self.state().save()
        return self.url

    def state(self) -> EngineState:
        first = self.nodes[0]
        return EngineState(
            pid=first.pid or 0,
            url=first.url,
            data_dir=str(self.data_dir),
            log_file=str(first.log_file),
            version=self.version,
            remove_data=self._remove_data,
            pids=[node.pid or 0 for node in self.nodes],
            urls=self.urls,
        )

    def kill(self, index: int) -> None:
        """SIGKILL one node; the others stay up."""
        self.nodes[index].kill()

    def stop(self, timeout: float = 30.0) -> None:
        for node in self.nodes:
            node.stop(timeout)
        if self._remove_data:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> LocalCluster:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def stop_detached(state: EngineState, timeout: float = 30.0) -> None:
    """Stop a node or cluster started by ``kbn-so engine start`` (possibly from another
    process), remove its data folder if it was temporary, and forget it.

    Nodes that already died (SIGKILL, crash) are fine: what they left is cleaned all the
    same, so a dead engine never leaves a data folder without a state file pointing to it.
    """
    for pid in state.alive_pids():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while state.alive_pids() and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in state.alive_pids():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    if state.remove_data:
        shutil.rmtree(state.data_dir, ignore_errors=True)
    EngineState.clear()
