"""No ``kbn-so`` command shows a Python traceback for a problem of its input or its
engine (issue 13, item 10): each ends with a one-line ``Error: ...`` and a non-zero exit
code (2 bad usage, 1 refused input, 4 the engine did not answer)."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine.discovery import ENV_URL
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from tests._paths import REPO_ROOT
from tests.cli._registry import REGISTRY
from tests.cli.conftest import ENGINE_COMMANDS, REGISTRY_REF, VERSION, command_args, run_cli

pytestmark = pytest.mark.engine


def assert_clean_error(result: Result, exit_code: int, message: str) -> None:
    output = result.output
    assert result.exit_code == exit_code, output
    assert "Traceback" not in output
    lines = output.strip().splitlines()
    assert len(lines) <= 4, output  # at most click's usage lines, then the error
    assert lines[-1].startswith("Error: "), output
    assert message in lines[-1], output


DEAD_ENGINE_COMMANDS = [*ENGINE_COMMANDS, "import --retries", "demo", "engine status"]


def dead_engine_args(command: str, tmp_path: Path) -> list[str]:
    if command == "import --retries":
        retries = tmp_path / "retries.json"
        retries.write_text('[{"type": "widget", "id": "w1", "overwrite": true}]')
        return [*command_args("import", "kbn-so-cli-dead", tmp_path), "--retries", str(retries)]
    if command in ("demo", "engine status"):
        return command.split()
    return command_args(command, "kbn-so-cli-dead", tmp_path)


@pytest.mark.parametrize("command", DEAD_ENGINE_COMMANDS)
def test_a_dead_engine_is_a_one_line_error(
    command: str, dead_engine_url: str, tmp_path: Path
) -> None:
    result = run_cli(dead_engine_args(command, tmp_path), env={ENV_URL: dead_engine_url})
    assert_clean_error(result, 4, "")
    last = result.output.strip().splitlines()[-1]
    assert any(
        words in last
        for words in ("cannot reach the engine", "the engine did not answer", "no engine answers")
    ), last


def test_the_installed_script_against_a_dead_engine(dead_engine_url: str, tmp_path: Path) -> None:
    """The real ``kbn-so`` process, as a user runs it: exit 4, one line on stderr."""
    script = Path(sys.executable).with_name("kbn-so")
    args = [str(script), *command_args("migrate status", "kbn-so-cli-dead", tmp_path)]
    done = subprocess.run(
        args,
        env={
            "PATH": "/usr/bin:/bin",
            ENV_URL: dead_engine_url,
            "KBN_SO_ENGINE_STATE": str(tmp_path / "engine-state.json"),
            "PYTHONPATH": str(REPO_ROOT),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 4, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        line for line in done.stderr.strip().splitlines() if line.startswith("Error: ")
    ]
    assert f"cannot reach the engine at {dead_engine_url} (from {ENV_URL})" in done.stderr


def files(tmp_path: Path) -> dict[str, str]:
    contents: dict[str, str | bytes] = {
        "ok.ndjson": '{"type":"widget","id":"w1"}\n',
        "two.ndjson": '{"type":"widget","id":"w1"}\n{"type":"widget","id":"w2"}\n',
        "bad.ndjson": "nope\n",
        "array.ndjson": "[1]\n",
        "latin1.ndjson": b"\xff\n",
        "no-id.ndjson": '{"type":"widget"}\n',
        "dup.ndjson": '{"type":"widget","id":"w1"}\n{"type":"widget","id":"w1"}\n',
        "notes.txt": "x",
        "retries-item.json": "[1]",
        "retries-bad.json": "{",
    }
    paths = {}
    for name, content in contents.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
        paths[name] = str(path)
    paths["missing.ndjson"] = str(tmp_path / "missing.ndjson")
    return paths


# (arguments after the command's --registry/--index options, exit code, message)
BAD_INPUT: list[tuple[str, list[str], int, str]] = [
    ("import", ["missing.ndjson"], 2, "does not exist"),
    ("import", ["bad.ndjson"], 1, "Invalid NDJSON at line 1"),
    ("import", ["array.ndjson"], 1, "a saved object must be a JSON object"),
    ("import", ["latin1.ndjson"], 1, "not UTF-8"),
    ("import", ["no-id.ndjson"], 1, '"id" must be a non-empty string'),
    ("import", ["dup.ndjson"], 1, "Non-unique import objects detected: [widget:w1]"),
    ("import", ["notes.txt"], 2, "Invalid file extension .txt"),
    ("import", ["--limit", "abc", "ok.ndjson"], 2, "'abc' is not a valid integer"),
    ("import", ["--limit", "1", "two.ndjson"], 1, "Can't import more than 1 objects"),
    ("import", ["ok.ndjson", "--retries", "retries-item.json"], 1, "Retry 0: must be an object"),
    ("import", ["ok.ndjson", "--retries", "retries-bad.json"], 2, "not JSON"),
    ("import", ["ok.ndjson", "--index", "BAD"], 2, "invalid index name 'BAD'"),
    ("import", ["ok.ndjson", "--url", "nonsense"], 2, "URL must include"),
    ("export", ["--type", "nope"], 1, "non-exportable type(s): nope"),
    ("export", [], 1, "Either `type` or `objects` are required."),
    ("export", ["--object", "nocolon"], 2, "is not TYPE:ID"),
    ("export", ["--type", "widget", "-o", "/nonexistent/dir/x.ndjson"], 1, "No such file"),
    ("migrate", ["--version", "notsemver"], 2, "is not X.Y.Z"),
    ("migrate", ["--version", VERSION, "--batch-size", "0"], 2, "0 is not in the range"),
    ("migrate", ["--version", VERSION, "--index", ".kibana"], 2, "belongs to Kibana"),
    ("migrate", [], 2, "no migration version"),
    ("migrate check", ["--version", VERSION, "--index", "BAD"], 2, "invalid index name"),
    ("migrate status", ["--version", VERSION, "--bogus"], 2, "No such option '--bogus'"),
]


@pytest.mark.parametrize(
    ("command", "extra", "exit_code", "message"),
    BAD_INPUT,
    ids=[f"{c}-{' '.join(e) or 'nothing'}" for c, e, _, _ in BAD_INPUT],
)
def test_bad_input_is_a_one_line_error(
    command: str,
    extra: list[str],
    exit_code: int,
    message: str,
    kbn_engine_url: str,
    index_prefix: str,
    tmp_path: Path,
) -> None:
    paths = files(tmp_path)
    args = [*command.split(), "--registry", REGISTRY_REF, "--index", index_prefix]
    if command in ("import", "export"):
        args += ["--index-suffix", f"_{VERSION}"]
    args += [paths.get(item, item) for item in extra]
    result = run_cli(args, env={ENV_URL: kbn_engine_url})
    assert_clean_error(result, exit_code, message)


@pytest.mark.parametrize(
    ("args", "exit_code", "message"),
    [
        (["demo", "--documents", "abc"], 2, "'abc' is not a valid integer"),
        (["engine", "bogus"], 2, "No such command 'bogus'"),
        (["migrate", "--version", VERSION], 2, "--registry is required"),
        (["nope"], 2, "No such command 'nope'"),
    ],
)
def test_bad_usage_is_a_one_line_error(args: list[str], exit_code: int, message: str) -> None:
    assert_clean_error(run_cli(args), exit_code, message)


def test_engine_status_without_an_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_cli(["engine", "status"], env={ENV_URL: None})
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "no local engine is running" in result.output


def test_export_into_a_closed_pipe_ends_quietly(
    kbn_engine: Engine, kbn_engine_url: str, migrated_prefix: str, tmp_path: Path
) -> None:
    """``kbn-so export | head``: the reader leaving is no error to report."""
    config = RepositoryConfig(default_index=migrated_prefix, index_suffix=f"_{VERSION}")
    repository = SavedObjectsRepository(kbn_engine, REGISTRY, config=config)
    title = "x" * 500  # well past a pipe's buffer in all
    repository.bulk_create(
        [{"type": "widget", "id": f"w{n}", "attributes": {"title": title}} for n in range(3000)],
        refresh=True,
    )
    script = Path(sys.executable).with_name("kbn-so")
    export = [str(script), *command_args("export", migrated_prefix, tmp_path), "--no-progress"]
    command = f"{shlex.join(export)} | head -c 10 > /dev/null; exit ${{PIPESTATUS[0]}}"
    done = subprocess.run(
        ["bash", "-c", command],
        env={
            "PATH": "/usr/bin:/bin",
            ENV_URL: kbn_engine_url,
            "KBN_SO_ENGINE_STATE": str(tmp_path / "engine-state.json"),
            "PYTHONPATH": str(REPO_ROOT),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == ""
