"""``kbn-so export`` / ``kbn-so import`` on the real engine, through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kbn_saved_objects.cli.import_export import export_command, import_command
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from tests._paths import KIBANA_FIXTURES

pytestmark = pytest.mark.engine

REGISTRY = "tests.import_export.cli_registry:REGISTRY"


def base(url: str, config: RepositoryConfig) -> list[str]:
    return [
        "--url",
        url,
        "--registry",
        REGISTRY,
        "--index",
        config.default_index,
        "--index-suffix",
        config.index_suffix,
    ]


def test_import_then_export(
    repository: SavedObjectsRepository,
    kbn_engine_url: str,
    so_config: RepositoryConfig,
    tmp_path: Path,
) -> None:
    source = KIBANA_FIXTURES / "ndjson_exports" / "_import_objects_circular_refs.ndjson"
    runner = CliRunner()
    imported = runner.invoke(
        import_command, [*base(kbn_engine_url, so_config), str(source), "--progress"]
    )
    assert imported.exit_code == 0, imported.output
    response = json.loads(imported.stdout)
    assert response["successCount"] == 2

    again = runner.invoke(import_command, [*base(kbn_engine_url, so_config), str(source)])
    assert again.exit_code == 1
    assert {e["error"]["type"] for e in json.loads(again.stdout)["errors"]} == {"conflict"}

    out = tmp_path / "export.ndjson"
    exported = runner.invoke(
        export_command,
        [*base(kbn_engine_url, so_config), "--type", "dashboard", "-o", str(out), "--progress"],
    )
    assert exported.exit_code == 0, exported.output
    lines = out.read_text().split("\n")
    assert len(lines) == 3
    assert json.loads(lines[-1])["exportedCount"] == 2

    to_stdout = runner.invoke(
        export_command,
        [
            *base(kbn_engine_url, so_config),
            "--object",
            f"{json.loads(lines[0])['type']}:{json.loads(lines[0])['id']}",
            "--exclude-export-details",
        ],
    )
    assert to_stdout.exit_code == 0, to_stdout.output
    assert len(to_stdout.stdout.split("\n")) == 1

    retries = tmp_path / "retries.json"
    retries.write_text(
        json.dumps([{"type": "dashboard", "id": json.loads(lines[0])["id"], "overwrite": True}])
    )
    resolved = runner.invoke(
        import_command, [*base(kbn_engine_url, so_config), str(out), "--retries", str(retries)]
    )
    assert resolved.exit_code == 0, resolved.output
    assert json.loads(resolved.stdout)["successResults"][0]["overwrite"] is True


@pytest.mark.parametrize(
    ("command", "extra", "message"),
    [
        ("import", ["FILE_TXT"], "Invalid file extension .txt"),
        ("import", ["FILE_BAD"], "Invalid NDJSON at line 1"),
        (
            "import",
            ["FILE_OK", "--overwrite", "--create-new-copies"],
            "cannot use [overwrite] with [createNewCopies]",
        ),
        ("import", ["FILE_OK", "--retries", "FILE_TXT"], "not JSON"),
        ("import", ["FILE_OK", "--retries", "FILE_OBJ"], "must hold a JSON array"),
        ("import", ["FILE_OK", "--retries", "FILE_ARR", "--overwrite"], "--overwrite is per retry"),
        ("export", [], "Either `type` or `objects` are required."),
        ("export", ["--object", "nocolon"], "is not TYPE:ID"),
        ("export", ["--object", "dashboard:a", "--type", "dashboard"], "cannot be combined"),
        ("export", ["--type", "not-importable"], "non-exportable type(s): not-importable"),
    ],
)
def test_cli_errors(
    repository: SavedObjectsRepository,
    kbn_engine_url: str,
    so_config: RepositoryConfig,
    tmp_path: Path,
    command: str,
    extra: list[str],
    message: str,
) -> None:
    files = {
        "FILE_TXT": ("f.txt", "x"),
        "FILE_BAD": ("bad.ndjson", "nope\n"),
        "FILE_OK": ("ok.ndjson", '{"type":"dashboard","id":"a"}\n'),
        "FILE_OBJ": ("obj.json", "{}"),
        "FILE_ARR": ("arr.json", "[]"),
    }
    args = []
    for item in extra:
        if item in files:
            name, content = files[item]
            (tmp_path / name).write_text(content)
            item = str(tmp_path / name)
        args.append(item)
    cmd = import_command if command == "import" else export_command
    result = CliRunner().invoke(cmd, [*base(kbn_engine_url, so_config), *args])
    assert result.exit_code != 0
    assert message in result.output


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nocolon", "expected module:attribute"),
        ("tests.import_export.cli_registry:MISSING", "cannot load"),
        ("tests.import_export.cli_registry:NOT_A_REGISTRY", "is not a SavedObjectTypeRegistry"),
    ],
)
def test_bad_registry(spec: str, message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        export_command, ["--url", "http://unused", "--registry", spec, "--type", "x"]
    )
    assert result.exit_code == 2
    assert message in result.output


def test_engine_from_environment(
    repository: SavedObjectsRepository,
    kbn_engine_url: str,
    so_config: RepositoryConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KBN_SO_ENGINE_URL", kbn_engine_url)
    args = ["--registry", REGISTRY, "--index", so_config.default_index]
    args += ["--index-suffix", so_config.index_suffix, "--type", "*", "--no-progress"]
    result = CliRunner().invoke(export_command, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["exportedCount"] == 0


def test_import_reports_unwritable_objects_without_a_traceback(
    repository: SavedObjectsRepository,
    kbn_engine_url: str,
    so_config: RepositoryConfig,
    tmp_path: Path,
) -> None:
    """Too deep to encode, or a lone surrogate: per-object errors, the rest imported,
    and the response printed (the surrogate as its JSON escape)."""
    deep: dict[str, object] = {}
    for _ in range(300):
        deep = {"a": deep}
    source = tmp_path / "unwritable.ndjson"
    source.write_text(
        "\n".join(
            json.dumps(o)
            for o in [
                {"type": "dashboard", "id": "deep", "attributes": {"title": "D", "x": deep}},
                {"type": "dashboard", "id": "surrogate", "attributes": {"title": "\ud800"}},
                {"type": "dashboard", "id": "fine", "attributes": {"title": "F"}},
            ]
        )
    )
    result = CliRunner().invoke(
        import_command, [*base(kbn_engine_url, so_config), str(source)], catch_exceptions=False
    )
    assert result.exit_code == 1, result.output
    assert '"title": "\\ud800"' in result.stdout
    response = json.loads(result.stdout)
    assert response["successCount"] == 1
    errors = {e["id"]: e for e in response["errors"]}
    assert set(errors) == {"deep", "surrogate"}
    assert errors["surrogate"]["meta"]["title"] == "\ud800"
    assert {e["error"]["statusCode"] for e in errors.values()} == {400}
    found = repository.find(type="dashboard")
    assert [so.id for so in found.saved_objects] == ["fine"]
