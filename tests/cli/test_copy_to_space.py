"""``kbn-so copy-to-space`` end to end on the real engine, and its refusals: each a
one-line error with Kibana's message, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine.discovery import ENV_URL
from kbn_saved_objects.errors import NotFoundError
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from tests.cli._registry import REGISTRY
from tests.cli.conftest import REGISTRY_REF, VERSION, run_cli
from tests.cli.test_no_tracebacks import assert_clean_error

pytestmark = pytest.mark.engine


def _repository(engine: Engine, prefix: str) -> SavedObjectsRepository:
    config = RepositoryConfig(default_index=prefix, index_suffix=f"_{VERSION}", refresh=True)
    return SavedObjectsRepository(engine, REGISTRY, config=config)


def _args(url: str, prefix: str, *extra: str) -> list[str]:
    return [
        "copy-to-space",
        "--url",
        url,
        "--registry",
        REGISTRY_REF,
        "--index",
        prefix,
        "--index-suffix",
        f"_{VERSION}",
        "--namespace",
        "src",
        "--object",
        "widget:w1",
        *extra,
    ]


@pytest.fixture
def seeded(kbn_engine: Engine, migrated_prefix: str) -> SavedObjectsRepository:
    repository = _repository(kbn_engine, migrated_prefix)
    repository.create("widget", {"title": "W"}, id="w1", namespace="src")
    return repository


def test_copy_overwrite_and_resolve(
    seeded: SavedObjectsRepository, kbn_engine_url: str, migrated_prefix: str, tmp_path: Path
) -> None:
    # new copies by default: new ids in each space
    result = run_cli(_args(kbn_engine_url, migrated_prefix, "--space", "a", "--space", "b"))
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert list(answer) == ["a", "b"]
    for space in ("a", "b"):
        assert answer[space]["success"] is True
        [copied] = answer[space]["successResults"]
        assert copied["destinationId"] != "w1"
        assert seeded.get("widget", copied["destinationId"], namespace=space).attributes == {
            "title": "W"
        }

    # the same id: once written, then a conflict reported for that space (exit 1)
    same_id = _args(kbn_engine_url, migrated_prefix, "--space", "a", "--no-create-new-copies")
    assert run_cli(same_id).exit_code == 0
    conflict = run_cli(same_id)
    assert conflict.exit_code == 1, conflict.output
    assert json.loads(conflict.stdout)["a"]["errors"][0]["error"] == {"type": "conflict"}

    # --overwrite turns new copies off by itself
    seeded.update("widget", "w1", {"title": "W2"}, namespace="src")
    overwritten = run_cli(
        _args(kbn_engine_url, migrated_prefix, "--space", "a", "--overwrite", "--progress")
    )
    assert overwritten.exit_code == 0, overwritten.output
    assert "copying" in overwritten.stderr
    assert json.loads(overwritten.stdout)["a"]["successResults"][0]["overwrite"] is True
    assert seeded.get("widget", "w1", namespace="a").attributes == {"title": "W2"}

    # resolve: retries per space, from a file
    seeded.update("widget", "w1", {"title": "W3"}, namespace="src")
    retries = tmp_path / "retries.json"
    retries.write_text(
        json.dumps({"a": [{"type": "widget", "id": "w1", "overwrite": True}], "c": []})
    )
    resolved = run_cli(
        _args(kbn_engine_url, migrated_prefix, "--retries", str(retries), "--no-create-new-copies")
    )
    assert resolved.exit_code == 0, resolved.output
    assert json.loads(resolved.stdout) == {
        "a": {
            "success": True,
            "successCount": 1,
            "successResults": [
                {
                    "type": "widget",
                    "id": "w1",
                    "meta": {"title": "W3"},
                    "overwrite": True,
                    "managed": False,
                }
            ],
        },
        "c": {"success": True, "successCount": 0},
    }
    assert seeded.get("widget", "w1", namespace="a").attributes == {"title": "W3"}
    with pytest.raises(NotFoundError):
        seeded.get("widget", "w1", namespace="c")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--space", "Bad!"], '[spaces.0]: lower case, a-z, 0-9, "_", and "-" are allowed'),
        (["--space", "a", "--space", "a"], "[spaces]: duplicate space ids are not allowed"),
        (
            ["--space", "a", "--overwrite", "--create-new-copies"],
            "cannot use [overwrite] with [createNewCopies]",
        ),
        (["--space", "a", "--object", "widget:w1"], "duplicate objects are not allowed"),
        (["--space", "a", "--object", "widget:nope"], "Saved objects not found"),
    ],
)
def test_refused_requests_are_one_line_errors(
    seeded: SavedObjectsRepository,
    kbn_engine_url: str,
    migrated_prefix: str,
    extra: list[str],
    message: str,
) -> None:
    result = run_cli(_args(kbn_engine_url, migrated_prefix, *extra))
    assert_clean_error(result, 1, message)
    with pytest.raises(NotFoundError):
        seeded.get("widget", "w1", namespace="a")


def test_bad_retries_are_refused(
    seeded: SavedObjectsRepository, kbn_engine_url: str, migrated_prefix: str, tmp_path: Path
) -> None:
    retries = tmp_path / "retries.json"
    retries.write_text('{"Bad!": []}')
    result = run_cli(_args(kbn_engine_url, migrated_prefix, "--retries", str(retries)))
    assert_clean_error(result, 1, "Invalid space id: Bad!")
    retries.write_text("[]")
    result = run_cli(_args(kbn_engine_url, migrated_prefix, "--retries", str(retries)))
    assert_clean_error(result, 2, "must hold a JSON object of retries per space")
    retries.write_text("{")
    result = run_cli(_args(kbn_engine_url, migrated_prefix, "--retries", str(retries)))
    assert_clean_error(result, 2, "not JSON")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "name at least one destination with --space"),
        (["--space", "a", "--object", "nocolon"], "'nocolon' is not TYPE:ID"),
        (["--space", "a", "--retries", "{retries}"], "--retries names the spaces"),
        (["--overwrite", "--retries", "{retries}"], "--overwrite is per retry"),
    ],
)
def test_bad_usage_is_a_one_line_error(extra: list[str], message: str, tmp_path: Path) -> None:
    retries = tmp_path / "retries.json"
    retries.write_text("{}")
    args = [arg.format(retries=retries) for arg in extra]
    result = run_cli(_args("http://127.0.0.1:1", "unused", *args))
    assert_clean_error(result, 2, message)


def test_a_dead_engine_is_exit_4(dead_engine_url: str) -> None:
    result = run_cli(_args(dead_engine_url, "unused", "--space", "a"), env={ENV_URL: None})
    assert_clean_error(result, 4, "cannot reach the engine")
