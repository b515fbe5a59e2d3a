"""``kbn-so migrate`` / ``migrate check`` / ``migrate status`` against a real engine."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kbn_saved_objects.cli.migrate import EXIT_FAILED, EXIT_OUTDATED, migrate_command
from kbn_saved_objects.engine import Engine
from tests.migrations.index._helpers import seed, widgets

pytestmark = pytest.mark.engine

REGISTRIES = "tests.migrations.index._registries"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(migrate_command, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_migrate_check_status(
    kbn_engine: Engine, kbn_engine_url: str, kbn_index_prefix: str
) -> None:
    prefix = f"{kbn_index_prefix}-so"
    common = ["--url", kbn_engine_url, "--index", prefix]

    code, out = invoke("check", "--registry", f"{REGISTRIES}:V1", "--version", "1.0.0", *common)
    assert code == EXIT_OUTDATED, out
    assert "plan: fresh install" in out

    code, out = invoke("--registry", f"{REGISTRIES}:V1", "--version", "1.0.0", *common)
    assert code == 0, out
    assert f"index={prefix} from=INIT to=CREATE_NEW_TARGET" in out
    assert "result=ok" in out
    seed(kbn_engine, prefix, widgets(5))

    v2 = ["--registry", f"{REGISTRIES}:registry_v2", "--version", "2.0.0", *common]
    code, out = invoke("check", *v2)
    assert code == EXIT_OUTDATED, out
    assert "outdated=5" in out

    code, out = invoke("--dry-run", *v2)
    assert code == 0, out
    assert "transform 5 outdated documents" in out
    code, _ = invoke("check", *v2)
    assert code == EXIT_OUTDATED  # the dry run wrote nothing

    code, out = invoke("--json", "--batch-size", "2", *v2)
    assert code == 0, out
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines[-1]["event"] == "report"
    assert lines[-1]["ok"] is True
    assert lines[-1]["indices"][0]["processed"] == 5
    assert any(line.get("to") == "TRANSFORMED_DOCUMENTS_BULK_INDEX" for line in lines)

    report = lines[-1]["indices"][0]
    assert report["types"] == [
        {"type": "gadget", "total": 0, "migrated": 0, "unchanged": 0, "discarded": 0},
        # the registry's own alias type lives in the main index too
        {"type": "legacy-url-alias", "total": 0, "migrated": 0, "unchanged": 0, "discarded": 0},
        {"type": "widget", "total": 5, "migrated": 5, "unchanged": 0, "discarded": 0},
    ]
    assert report["docsPerSecond"] > 0

    code, out = invoke("check", *v2)
    assert code == 0, out
    code, out = invoke(*v2)  # a no-op now: the report still lists every type
    assert code == 0, out
    assert f"index={prefix} type=widget total=5 migrated=0 unchanged=5 discarded=0" in out
    code, out = invoke("status", *v2)
    assert code == 0, out
    assert f"current={prefix}_1.0.0_001" in out
    assert "documents=5" in out


def test_failed_migration_exit_code(
    kbn_engine: Engine, kbn_engine_url: str, kbn_index_prefix: str
) -> None:
    prefix = f"{kbn_index_prefix}-so"
    common = ["--url", kbn_engine_url, "--index", prefix]
    assert invoke("--registry", f"{REGISTRIES}:V1", "--version", "1.0.0", *common)[0] == 0
    seed(kbn_engine, prefix, [("mystery:1", {"type": "mystery"})])
    code, out = invoke("--registry", f"{REGISTRIES}:V2", "--version", "2.0.0", *common)
    assert code == EXIT_FAILED
    assert "status=failed" in out
    code, out = invoke(
        "--registry", f"{REGISTRIES}:V2", "--version", "2.0.0", "--discard-unknown-objects", *common
    )
    assert code == 0, out


def test_usage_errors() -> None:
    code, out = invoke("--url", "http://127.0.0.1:1")
    assert code == 2
    assert "--registry is required" in out
    code, out = invoke("check", "--registry", "nope", "--url", "http://127.0.0.1:1")
    assert code == 2


def test_progress_bar_on_a_real_terminal(
    kbn_engine: Engine, kbn_engine_url: str, kbn_index_prefix: str
) -> None:
    """``kbn-so migrate`` in a pseudo-terminal draws the bar: done/total, docs/s, ETA."""
    import os
    import pty
    import subprocess
    import sys

    prefix = f"{kbn_index_prefix}-so"
    common = ["--url", kbn_engine_url, "--index", prefix]
    code, out = invoke("--registry", f"{REGISTRIES}:V1", "--version", "1.0.0", *common)
    assert code == 0, out
    seed(kbn_engine, prefix, widgets(300))
    main, terminal = pty.openpty()
    entry = "from kbn_saved_objects.cli import main; main()"
    command = [sys.executable, "-c", entry, "migrate", "--batch-size", "10"]
    child = subprocess.Popen(
        [*command, "--registry", f"{REGISTRIES}:registry_v2", "--version", "2.0.0", *common],
        stdout=terminal,
        stderr=terminal,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__)))),
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert child.wait(timeout=120) == 0
    os.close(main)
    screen = b"".join(chunks).decode(errors="replace")
    assert f"{prefix} documents" in screen
    assert "300/300" in screen
    assert "docs/s" in screen
    assert "result=ok" in screen


def test_retry_timeout_reaches_the_migrator(
    kbn_engine_url: str, kbn_index_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kbn_saved_objects.cli.migrate as cli_migrate

    seen: list[float | None] = []
    real_migrate = cli_migrate.migrate

    def recording(*args: object, **kwargs: object) -> object:
        options = kwargs["options"]
        seen.append(options.retry_timeout)  # type: ignore[attr-defined]
        return real_migrate(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cli_migrate, "migrate", recording)
    common = ["--url", kbn_engine_url, "--index", f"{kbn_index_prefix}-so", "--version", "1.0.0"]
    code, out = invoke("--registry", f"{REGISTRIES}:V1", "--retry-timeout", "7.5", *common)
    assert code == 0, out
    assert seen == [7.5]

    code, out = invoke("--registry", f"{REGISTRIES}:V1", "--retry-timeout", "-1", *common)
    assert code == 2
    assert "--retry-timeout" in out
