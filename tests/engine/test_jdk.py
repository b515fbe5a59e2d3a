"""Which JDK runs which OpenSearch: Java 17+ for 2.x, Java 21+ for 3.x, found in a fixed
order, and a missing one named in the error instead of a silent fallback."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbn_saved_objects.cli import main
from kbn_saved_objects.engine import discovery
from kbn_saved_objects.engine.local import node
from kbn_saved_objects.engine.local.node import (
    OPENSEARCH_3_VERSION,
    OPENSEARCH_VERSION,
    Jdk,
    LocalEngineError,
    find_jdk,
    provision,
    required_java,
    resolve_version,
)


def fake_jdk(home: Path, version: str, *, javac: bool = True) -> Path:
    """A JDK folder as the finder sees it: bin/java, bin/javac and a ``release`` file."""
    (home / "bin").mkdir(parents=True)
    (home / "bin" / "java").write_text("#!/bin/sh\nexit 1\n")
    if javac:
        (home / "bin" / "javac").write_text("#!/bin/sh\nexit 1\n")
    (home / "release").write_text(f'IMPLEMENTOR="test"\nJAVA_VERSION="{version}"\n')
    return home


@pytest.fixture
def no_java(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An environment with no JDK anywhere but the fake ones a test puts under jvm/."""
    for name in ("JAVA_HOME", node.ENV_JAVA21, node.ENV_VERSION, discovery.ENV_URL):
        monkeypatch.delenv(name, raising=False)
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("KBN_SO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("KBN_SO_ENGINE_STATE", str(tmp_path / "engine.json"))
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-docker.sock")
    monkeypatch.setattr(node, "JDK_SEARCH_PATTERNS", (str(tmp_path / "jvm" / "*"),))
    return tmp_path / "jvm"


def test_versions_by_major_and_in_full() -> None:
    assert resolve_version("3") == OPENSEARCH_3_VERSION
    assert resolve_version("2") == OPENSEARCH_VERSION
    assert resolve_version(" 3.1.0 ") == "3.1.0"
    assert (required_java("2.19.6"), required_java("3.9.0")) == (17, 21)
    with pytest.raises(LocalEngineError, match=r"unknown OpenSearch version 'latest'"):
        resolve_version("latest")
    with pytest.raises(LocalEngineError, match=r"OpenSearch 1\.3\.0 is not supported"):
        resolve_version("1.3.0")


def test_newest_installed_jdk_that_fits(no_java: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAVA_HOME", str(fake_jdk(no_java.parent / "old", "17.0.15")))
    fake_jdk(no_java / "jdk-21", "21.0.4")
    fake_jdk(no_java / "jdk-25", "25")
    fake_jdk(no_java / "jre-26", "26", javac=False)
    assert find_jdk(21) == Jdk(no_java / "jdk-25", 25)
    # Java 17 is enough for OpenSearch 2: JAVA_HOME comes first
    assert find_jdk(17) == Jdk(no_java.parent / "old", 17)


def test_java_home_is_used_when_new_enough(no_java: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAVA_HOME", str(fake_jdk(no_java.parent / "home21", "21.0.1")))
    fake_jdk(no_java / "jdk-25", "25")
    assert find_jdk(21).home == no_java.parent / "home21"


def test_explicit_java21_home_wins(no_java: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = fake_jdk(no_java.parent / "mine", "21.0.2")
    fake_jdk(no_java / "jdk-25", "25")
    monkeypatch.setenv(node.ENV_JAVA21, str(chosen))
    assert find_jdk(21) == Jdk(chosen, 21)


def test_explicit_java21_home_too_old_is_refused(
    no_java: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_jdk(no_java / "jdk-25", "25")
    monkeypatch.setenv(node.ENV_JAVA21, str(fake_jdk(no_java.parent / "j17", "17.0.15")))
    with pytest.raises(LocalEngineError) as caught:
        find_jdk(21, purpose="OpenSearch 3.9.0")
    assert str(caught.value).startswith(f"{node.ENV_JAVA21}={no_java.parent / 'j17'} cannot run ")
    assert "(Java 17); it needs a Java 21 or newer JDK" in str(caught.value)


def test_no_jdk_21_names_what_to_install(no_java: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAVA_HOME", str(fake_jdk(no_java / "jdk-17", "17.0.15")))
    fake_jdk(no_java / "jre-21", "21", javac=False)
    with pytest.raises(LocalEngineError) as caught:
        # the JDK is looked for before Maven (not on PATH here) would download anything
        provision("3")
    text = str(caught.value)
    assert text.startswith(
        "OpenSearch 3.9.0 needs a Java 21 or newer JDK (java and javac) and none was found"
    )
    assert f"JAVA_HOME {no_java / 'jdk-17'} (Java 17)" in text
    assert "a JRE without javac" not in text  # only JDKs are listed among the installed
    assert "apt-get install openjdk-21-jdk-headless" in text
    assert "Eclipse Temurin 21" in text
    assert f"set {node.ENV_JAVA21} (or JAVA_HOME) to its folder" in text


def test_cli_start_version_3_without_jdk_21(
    no_java: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    for nodes in ("1", "3"):
        result = CliRunner().invoke(main, ["engine", "start", "--version", "3", "--nodes", nodes])
        # the temporary data folder made for the node(s) goes with the failure
        assert list(scratch.iterdir()) == []
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.output.startswith("Error: OpenSearch 3.9.0 needs a Java 21 or newer JDK")
    assert len(result.output.strip().splitlines()) == 1


def test_cli_start_unknown_version(no_java: Path) -> None:
    result = CliRunner().invoke(main, ["engine", "start", "--version", "9.9"])
    assert result.exit_code == 1
    assert "Error: unknown OpenSearch version '9.9'" in result.output


def test_tests_asking_for_opensearch_3_never_fall_back(
    no_java: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With KBN_SO_ENGINE_VERSION=3 and no JDK 21, no other engine (a container, a recorded
    2.x node) stands in: the run fails with what to install."""
    monkeypatch.setenv(node.ENV_VERSION, "3")
    with pytest.raises(discovery.EngineSetupError) as caught:
        discovery.provide_engine()
    text = str(caught.value)
    assert text.startswith("KBN_SO_ENGINE_VERSION=3 asks for a local OpenSearch 3.9.0")
    assert "needs a Java 21 or newer JDK" in text
    assert "testcontainers" not in text


def test_bad_engine_version_variable(no_java: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(node.ENV_VERSION, "newest")
    with pytest.raises(discovery.EngineSetupError, match="KBN_SO_ENGINE_VERSION: unknown"):
        discovery.provide_engine()
